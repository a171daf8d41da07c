from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListKind(models.TextChoices):
    """The national list system (清单制): which list an item is on."""

    POWER = "power", _("petty powers (小微权力)")
    SERVICE = "service", _("public services (公共服务)")
    CERTIFICATE = "certificate", _("certificates (证明事项)")
    NEGATIVE = "negative", _("negative list (负面清单)")

    @property
    def has_flow(self) -> bool:
        """A negative-list item says what a village may not be made to do: no procedure."""
        return self != ListKind.NEGATIVE


class Starter(models.TextChoices):
    """Who may start a case of an item."""

    VILLAGER = "villager", _("a villager or household applies")
    OFFICIAL = "official", _("the village starts it")
    EITHER = "either", _("either")


class Level(models.TextChoices):
    """Who acts at a step."""

    APPLICANT = "applicant", _("applicant")
    GROUP = "group", _("villagers' group")
    VILLAGE = "village", _("village committees")
    TOWN = "town", _("town")
    COUNTY = "county", _("county department")


class Disclosure(models.TextChoices):
    """五公开: what of an item is made public."""

    CONTENT = "content", _("content")
    BASIS = "basis", _("basis")
    PROCEDURE = "procedure", _("procedure")
    PROGRESS = "progress", _("progress")
    RESULT = "result", _("result")

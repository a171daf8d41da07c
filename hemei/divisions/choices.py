from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """The five levels of the statistical division code."""

    PROVINCE = 1, _("province")
    CITY = 2, _("city")
    COUNTY = 3, _("county")
    TOWN = 4, _("town")
    VILLAGE = 5, _("village")


#: Digits of the official code at each level: the code of a division starts with the code
#: of each of its ancestors, so the code itself is the materialized path of the tree.
CODE_LENGTH: dict[int, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWN: 9,
    Level.VILLAGE: 12,
}
LEVEL_BY_LENGTH: dict[int, int] = {length: level for level, length in CODE_LENGTH.items()}


class ChangeKind(models.TextChoices):
    RENAMED = "renamed", _("renamed")
    MOVED = "moved", _("moved")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    OPEN = "open", _("in hand")
    PAUSED = "paused", _("paused")
    DONE = "done", _("completed")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")

    @classmethod
    def running(cls) -> tuple[str, ...]:
        return (cls.OPEN, cls.PAUSED)


class Outcome(models.TextChoices):
    OPEN = "open", _("in hand")
    PASSED = "passed", _("passed")
    RETURNED = "returned", _("returned")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


class EventKind(models.TextChoices):
    STARTED = "started", _("applied")
    PASSED = "passed", _("step passed")
    RETURNED = "returned", _("returned")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")
    PAUSED = "paused", _("clock paused")
    RESUMED = "resumed", _("clock resumed")
    EXTENDED = "extended", _("time extended")
    FILE = "file", _("file added")
    DONE = "done", _("completed")

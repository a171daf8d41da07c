from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    OPEN = "open", _("in hand")
    PAUSED = "paused", _("paused")
    NOTICE = "notice", _("in public notice")
    DONE = "done", _("completed")
    REFUSED = "refused", _("refused in writing")
    WITHDRAWN = "withdrawn", _("withdrawn")

    @classmethod
    def running(cls) -> tuple[str, ...]:
        return (cls.OPEN, cls.PAUSED, cls.NOTICE)


class Outcome(models.TextChoices):
    OPEN = "open", _("in hand")
    PASSED = "passed", _("passed")
    RETURNED = "returned", _("returned")
    REFUSED = "refused", _("refused in writing")
    WITHDRAWN = "withdrawn", _("withdrawn")


class EventKind(models.TextChoices):
    STARTED = "started", _("applied")
    PASSED = "passed", _("step passed")
    RETURNED = "returned", _("returned")
    REFUSED = "refused", _("refused in writing")
    WITHDRAWN = "withdrawn", _("withdrawn")
    PAUSED = "paused", _("clock paused")
    RESUMED = "resumed", _("clock resumed")
    EXTENDED = "extended", _("time extended")
    FILE = "file", _("file added")
    NOTICE = "notice", _("public notice posted")
    OBJECTION = "objection", _("objection raised")
    NOTICE_ENDED = "notice_ended", _("public notice ended")
    DONE = "done", _("completed")


class ActAction(models.TextChoices):
    """What an office (or the applicant) does on a case's page."""

    PASS = "pass", _("agree and sign")
    RETURN = "return", _("send back")
    REFUSE = "refuse", _("refuse")
    WITHDRAW = "withdraw", _("withdraw")
    PAUSE = "pause", _("pause the clock")
    RESUME = "resume", _("resume the clock")
    EXTEND = "extend", _("extend")
    FILES = "files", _("add material")
    DECISION = "decision", _("link the decision record")

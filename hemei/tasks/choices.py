"""The vocabulary of tasks: state, light, priority and the kinds of timeline event."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    OVERDUE = "overdue", _("overdue")


class Light(models.TextChoices):
    GREEN = "green", _("green")
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")


class Priority(models.IntegerChoices):
    URGENT = 1, _("urgent")
    HIGH = 2, _("high")
    NORMAL = 3, _("normal")
    LOW = 4, _("low")


class Source(models.TextChoices):
    MANUAL = "manual", _("entered")
    FAN_OUT = "fan_out", _("fanned out")
    IMPORT = "import", _("imported from a table")
    INGEST = "ingest", _("drafted from a meeting report")
    CASE = "case", _("a step of a case (办件)")
    DISCLOSURE = "disclosure", _("a disclosure due (村务公开)")


class EventKind(models.TextChoices):
    """What can happen to a task; every app that acts on a task adds to its timeline."""

    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    FANNED_OUT = "fanned_out", _("fanned out")
    PROGRESS = "progress", _("progress changed")
    COMPLETED = "completed", _("completed")
    REPORT_SUBMITTED = "report_submitted", _("report submitted")
    REPORT_APPROVED = "report_approved", _("report approved")
    REPORT_RETURNED = "report_returned", _("report returned")
    REMINDER = "reminder", _("reminder sent")
    YELLOW_CARD = "yellow_card", _("yellow card")
    RED_CARD = "red_card", _("red card")
    SUPERVISION_ORDER = "supervision_order", _("supervision order issued")
    ORDER_REPLIED = "order_replied", _("supervision order answered")
    ORDER_CLOSED = "order_closed", _("supervision order closed")
    EXTENSION_REQUESTED = "extension_requested", _("extension requested")
    EXTENSION_APPROVED = "extension_approved", _("extension approved")
    EXTENSION_REFUSED = "extension_refused", _("extension refused")
    DEADLINE_CHANGED = "deadline_changed", _("deadline changed")
    LIGHT_CHANGED = "light_changed", _("light changed")
    NOTE = "note", _("note")


class LinkKind(models.TextChoices):
    """Leaders' contact points (三包三联)."""

    TOWN = "town", _("responsible for a town (包镇)")
    VILLAGE = "village", _("linked to a village (联村)")
    TASK = "task", _("responsible for a key task (包项目)")

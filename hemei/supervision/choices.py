"""The vocabulary of supervision: ladder steps, cards, orders and extension requests."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepKind(models.TextChoices):
    REMINDER = "reminder", _("reminder")
    YELLOW_CARD = "yellow_card", _("yellow card")
    RED_CARD = "red_card", _("red card")
    SUPERVISION_ORDER = "supervision_order", _("supervision order")


class CardKind(models.TextChoices):
    YELLOW = "yellow", _("yellow card")
    RED = "red", _("red card")


class OrderState(models.TextChoices):
    OPEN = "open", _("awaiting reply")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class OrderSource(models.TextChoices):
    LADDER = "ladder", _("issued by the ladder")
    MANUAL = "manual", _("issued by hand")


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")

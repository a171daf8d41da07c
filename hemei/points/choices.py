from django.db import models
from django.utils.translation import gettext_lazy as _

from hemei.notices.choices import ObjectionState as _ObjectionState


class Category(models.TextChoices):
    """The usual chapters of a village's points rules (积分细则)."""

    CIVILITY = "civility", _("civility and customs")
    ENVIRONMENT = "environment", _("living environment")
    LAW = "law", _("law and order")
    GOVERNANCE = "governance", _("taking part in governance")
    INDUSTRY = "industry", _("industry and livelihood")
    FAMILY = "family", _("filial piety and family")
    OTHER = "other", _("other")


class CapPeriod(models.TextChoices):
    YEAR = "year", _("per year")
    QUARTER = "quarter", _("per quarter")
    MONTH = "month", _("per month")


class EntryState(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting initial assessment")
    ASSESSED = "assessed", _("awaiting committee review")
    IN_NOTICE = "in_notice", _("in public notice")
    EFFECTIVE = "effective", _("effective")
    REJECTED = "rejected", _("rejected")


#: States an entry may still leave (it counts against caps while in one of these).
OPEN_STATES = (EntryState.SUBMITTED, EntryState.ASSESSED, EntryState.IN_NOTICE)


class EntrySource(models.TextChoices):
    RECORDED = "recorded", _("recorded by the village")
    REQUESTED = "requested", _("requested by the household")
    CORRECTION = "correction", _("correction")


#: Objections are the public notices' (hemei.notices); named here for the points' callers.
ObjectionState = _ObjectionState


class LedgerKind(models.TextChoices):
    AWARD = "award", _("points entry")
    REVERSAL = "reversal", _("reversal")
    REDEMPTION = "redemption", _("redemption")
    SETTLEMENT = "settlement", _("yearly settlement")


class SettlementMode(models.TextChoices):
    CARRY_OVER = "carry_over", _("carry over to the next year")
    RESET = "reset", _("reset to zero")

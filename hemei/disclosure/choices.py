from django.db import models
from django.utils.translation import gettext_lazy as _

from . import timing


class Timing(models.TextChoices):
    """How a catalogue item's disclosures fall due (the rule's values are on the item)."""

    MONTHLY = timing.MONTHLY, _("monthly")
    QUARTERLY = timing.QUARTERLY, _("quarterly")
    HALF_YEARLY = timing.HALF_YEARLY, _("half-yearly")
    YEARLY = timing.YEARLY, _("yearly")
    EVENT = timing.EVENT, _("within working days of an event")
    AT_ONCE = timing.AT_ONCE, _("at once")


class Audience(models.TextChoices):
    """公开对象: everyone (the public board), or a specific group (members, recipients)."""

    PUBLIC = "public", _("everyone (全社会)")
    GROUP = "group", _("a specific group (特定群体)")


class PublishLevel(models.TextChoices):
    """公开层级: the level whose board carries the item."""

    VILLAGE = "village", _("village")
    TOWN = "town", _("town")
    COUNTY = "county", _("county")


class DisclosureState(models.TextChoices):
    DUE = "due", _("due")
    LATE = "late", _("late")
    PUBLISHED = "published", _("published")

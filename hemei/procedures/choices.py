from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    """How a time limit counts: 工作日 and 日 differ from one rule to another."""

    WORKDAY = "workday", _("working days")
    CALENDAR_DAY = "day", _("calendar days")

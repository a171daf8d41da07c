"""The vocabulary of rankings: period kinds and export job states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    WEEK = "week", _("week")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class JobFailure(models.TextChoices):
    """Why an export job failed: its renderer raised, or its worker was lost twice."""

    ERROR = "error", _("the rendering failed")
    WORKER_LOST = "worker_lost", _("the worker stopped")

"""What the intake pages keep between steps, so that nothing the browser sends back is trusted.

A :class:`TableUpload` holds a decomposition table (任务分解表) that passed validation, until
its owner confirms the import; an :class:`IngestDraft` holds what ingest read in a meeting
report until its owner accepts it. Both belong to one user, and unconfirmed ones expire.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemei.core import clock
from hemei.core.models import TimeStampedModel

#: How long an unconfirmed upload or draft is kept.
DRAFT_LIFETIME = dt.timedelta(days=7)


class OwnedQuerySet(models.QuerySet[Any]):
    def owned_by(self, user: Any) -> OwnedQuerySet:
        """The user's own rows that have not expired (anything else answers 404)."""
        return self.filter(owner=user, created_at__gte=clock.now() - DRAFT_LIFETIME)

    def stale(self) -> OwnedQuerySet:
        return self.filter(created_at__lt=clock.now() - DRAFT_LIFETIME)


class TableUpload(TimeStampedModel):
    """A decomposition table waiting for (or past) its owner's confirmation."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    parent = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("parent task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    filename = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("file"))
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("tasks created"), default=0)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("decomposition table upload")
        verbose_name_plural = _("decomposition table uploads")

    def __str__(self) -> str:
        return self.filename


class IngestDraft(TimeStampedModel):
    """What ingest read in one meeting report, waiting for its owner's review."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("organizing division"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    result = models.JSONField(_("extraction"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set once the draft is accepted."),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meeting report draft")
        verbose_name_plural = _("meeting report drafts")

    def __str__(self) -> str:
        name = (self.result or {}).get("meeting", {}).get("name")
        return name or self.filename or str(_("meeting report"))

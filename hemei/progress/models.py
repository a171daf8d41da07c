"""Progress reports (进度填报) with evidence (留痕).

A report states a task's percent, the milestones reached and what was done, with photos and
documents as evidence. Its states: draft → submitted → approved, or returned (退回) with a
reason, after which the author edits and submits again. Only approval moves the task's
progress (through ``hemei.tasks.services.record_progress``).

Evidence files are private: they live under ``MEDIA_ROOT/progress/`` with a generated name
and are served only through a view that checks the task's scope.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import WORK_ROLES
from hemei.core.models import TimeStampedModel
from hemei.core.search import search

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class ReportState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    DOCUMENT = "document", _("document")


class ProgressReportQuerySet(RestrictedQuerySet["ProgressReport"]):
    def for_list(self) -> ProgressReportQuerySet:
        """What a list row shows, in a fixed number of queries."""
        return self.select_related(
            "task", "task__division", "task__lead_unit", "author", "decided_by"
        ).annotate(
            evidence_count=models.Count("evidence", distinct=True),
            duplicate_count=models.Count(
                "evidence", filter=Q(evidence__duplicate_of__isnull=False), distinct=True
            ),
        )

    def search(self, text: str) -> ProgressReportQuerySet:
        """Reports matching a query (hemei.core.search) in the task's title or division, the
        text or the author."""
        return search(
            self, text, ["task__title", "task__division__name", "text", "author__full_name"]
        )


class ProgressReport(TimeStampedModel):
    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    percent = models.DecimalField(
        _("progress (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    text = models.TextField(_("what was done"))
    milestones = models.ManyToManyField(
        "tasks.Milestone", verbose_name=_("milestones reached"), blank=True, related_name="reports"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for return"), blank=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        indexes = [
            models.Index(fields=["task", "state"], name="report_task_state"),
            models.Index(fields=["state", "submitted_at"], name="report_state_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="report_percent_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.percent}%"

    @property
    def is_editable(self) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED)


def evidence_path(instance: Evidence, filename: str) -> str:
    """A generated name under ``progress/``; the uploaded name is kept in ``original_name``."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"progress/{instance.report_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A photo or document attached to a report."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    taken_at = models.DateTimeField(_("photo taken at"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_photo(self) -> bool:
        return self.kind == EvidenceKind.PHOTO

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def map_url(self) -> str:
        if not self.has_location:
            return ""
        lat, lon = self.latitude, self.longitude
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def thumbnail_name(name: str) -> str:
    """Where a photo's thumbnail is kept, next to the photo."""
    return f"{name}.thumb.jpg"


@receiver(post_delete, sender=Evidence)
def _delete_stored_file(sender: Any, instance: Evidence, **kwargs: Any) -> None:
    """Remove the file (and thumbnail) once the row is gone for good, cascades included."""
    storage, name = instance.file.storage, instance.file.name
    if not name:
        return
    names = [name, thumbnail_name(name)] if instance.kind == EvidenceKind.PHOTO else [name]

    def delete() -> None:
        for each in names:
            storage.delete(each)

    transaction.on_commit(delete)


# Reports and their evidence are seen where their task is; writing and reviewing them are the
# Task policy's ``report`` and ``review``.
register(ProgressReport, Policy(field="task__division", view=Rule(WORK_ROLES)))
register(Evidence, Policy(field="report__task__division", view=Rule(WORK_ROLES)))

"""Adopted versions: the life shared by a village's points rules and its procedure catalogue.

A town or county publishes a *template*; a village drafts its own version (empty, a copy of
a template published above it, or a copy of one of its own versions), edits the draft, and a
villagers' meeting or representatives' meeting adopts it: from then on the version is frozen
and in force from a date until the next adopted version. A change is a new draft.

:class:`AdoptedVersion` holds the fields and the constraint; the functions below hold the
checks both owners make. Each owner keeps its own parent model (points' ``RuleSet``, the
catalogue's ``Catalogue``), its items and the access checks of its own actions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.audit import record
from hemei.accounts.choices import AuditAction
from hemei.core import clock
from hemei.core.models import TimeStampedModel


class VersionState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("draft")
    ADOPTED = "adopted", gettext_lazy("adopted")
    PUBLISHED = "published", gettext_lazy("published template")


class MeetingKind(models.TextChoices):
    """The body that adopts a village's version."""

    VILLAGERS = "villagers", gettext_lazy("villagers' meeting")
    REPRESENTATIVES = "representatives", gettext_lazy("villagers' representatives meeting")


class AdoptedVersion(TimeStampedModel):
    """One version: a draft, a published template, or adopted by a village's meeting."""

    number = models.PositiveIntegerField(gettext_lazy("version"))
    state = models.CharField(
        gettext_lazy("state"),
        max_length=10,
        choices=VersionState.choices,
        default=VersionState.DRAFT,
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("based on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting_kind = models.CharField(
        gettext_lazy("adopted by"), max_length=16, choices=MeetingKind.choices, blank=True
    )
    meeting_date = models.DateField(gettext_lazy("meeting date"), null=True, blank=True)
    in_force_from = models.DateField(gettext_lazy("in force from"), null=True, blank=True)
    note = models.CharField(gettext_lazy("note"), max_length=500, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=VersionState.ADOPTED)
                | (
                    Q(meeting_date__isnull=False)
                    & Q(in_force_from__isnull=False)
                    & ~Q(meeting_kind="")
                ),
                name="%(app_label)s_adopted_version_has_meeting",
                violation_error_message=gettext_lazy(
                    "An adopted version names its meeting and dates."
                ),
            ),
        ]

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT


def next_number(versions: QuerySet[Any]) -> int:
    """The number of the next version among ``versions`` (one parent's)."""
    last = versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def in_force(versions: QuerySet[Any], on: dt.date) -> Any:
    """The adopted version of ``versions`` in force on ``on`` (None before the first)."""
    return (
        versions.filter(state=VersionState.ADOPTED, in_force_from__lte=on)
        .order_by("-in_force_from", "-number")
        .first()
    )


def check_draft(version: AdoptedVersion) -> None:
    if not version.is_draft:
        raise ValidationError(_("An adopted or published version cannot change; draft a new one."))


def check_base(*, village_code: str, own: bool, template: bool, state: str, above: str) -> None:
    """A draft starts from the village's own version or a template published above it."""
    published_above = (
        template and state == VersionState.PUBLISHED and village_code.startswith(above)
    )
    if not (own or published_above):
        raise ValidationError(_("Start from your own version or a template published above."))


def publish(*, version: AdoptedVersion, actor: Any, division_code: str) -> AdoptedVersion:
    """A template's draft becomes published (saved, on the audit trail of ``division_code``)."""
    check_draft(version)
    version.state = VersionState.PUBLISHED
    version.adopted_by = actor
    version.save(update_fields=["state", "adopted_by", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=version,
        changes={"state": [VersionState.DRAFT, VersionState.PUBLISHED]},
        division_code=division_code,
    )
    return version


def adopt(
    *,
    version: AdoptedVersion,
    versions: QuerySet[Any],
    actor: Any,
    meeting_kind: str,
    meeting_date: dt.date,
    in_force_from: dt.date,
    note: str = "",
    division_code: str,
) -> AdoptedVersion:
    """Record the meeting that adopted the draft ``version`` (one of ``versions``): the dates
    checked, the version saved and put on the audit trail of ``division_code``."""
    check_draft(version)
    if meeting_kind not in MeetingKind.values:
        raise ValidationError({"meeting_kind": _("Choose the meeting that adopted it.")})
    if meeting_date > clock.today():
        raise ValidationError({"meeting_date": _("The meeting cannot be in the future.")})
    if in_force_from < meeting_date:
        raise ValidationError(
            {"in_force_from": _("The version comes into force on or after the meeting.")}
        )
    latest = (
        versions.filter(state=VersionState.ADOPTED)
        .order_by("-in_force_from")
        .values_list("in_force_from", flat=True)
        .first()
    )
    if latest and in_force_from <= latest:
        raise ValidationError(
            {
                "in_force_from": _("The version in force now started on %(date)s; start later.")
                % {"date": latest}
            }
        )
    version.state = VersionState.ADOPTED
    version.meeting_kind = meeting_kind
    version.meeting_date = meeting_date
    version.in_force_from = in_force_from
    version.note = note.strip()
    version.adopted_by = actor
    version.full_clean()
    version.save()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=version,
        changes={
            "state": [VersionState.DRAFT, VersionState.ADOPTED],
            "meeting_kind": [None, meeting_kind],
            "meeting_date": [None, str(meeting_date)],
            "in_force_from": [None, str(in_force_from)],
        },
        division_code=division_code,
    )
    return version

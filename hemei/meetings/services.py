"""Writing meetings: create and edit a meeting, its decisions and its attachments.

Keyword arguments, one transaction each, the actor's right checked (the task managers of the
meeting's division), an audit entry for every change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import allows_at
from hemei.core.uploads import DOCUMENT_TYPES, MAX_BYTES, check_upload
from hemei.divisions.models import Division

from .models import Decision, Meeting, MeetingAttachment

#: What a meeting may carry: documents and photos, each at most 20 MB.
ATTACHMENT_TYPES = DOCUMENT_TYPES
ATTACHMENT_MAX_BYTES = MAX_BYTES
FIELDS = ("name", "held_on", "level", "place", "host", "speakers", "attendees", "full_text")


def _check_manage(actor: Any, division: Division) -> None:
    if not allows_at(actor, "manage_tasks", division.code):
        raise PermissionDenied(
            _("You may not manage meetings in %(division)s.") % {"division": division}
        )


@dataclass(frozen=True)
class DecisionRow:
    """One decision as a form gives it: ``pk`` None for a new one, ``delete`` to drop it."""

    number: int
    text: str
    speaker: str = ""
    theme: str = ""
    responsible: str = ""
    deadline_text: str = ""
    pk: int | None = None
    delete: bool = False


@transaction.atomic
def create_meeting(
    *,
    actor: Any,
    division: Division,
    name: str,
    held_on: dt.date,
    level: str,
    decisions: Sequence[DecisionRow] = (),
    **fields: Any,
) -> Meeting:
    _check_manage(actor, division)
    meeting = Meeting(
        division=division,
        name=name.strip(),
        held_on=held_on,
        level=level,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(
        actor=actor, action=AuditAction.CREATE, instance=meeting, division_code=division.code
    )
    set_decisions(actor=actor, meeting=meeting, rows=decisions)
    return meeting


@transaction.atomic
def update_meeting(
    *,
    actor: Any,
    meeting: Meeting,
    decisions: Sequence[DecisionRow] | None = None,
    **changes: Any,
) -> Meeting:
    """Change the meeting's fields and, when given, its decisions: all or nothing."""
    _check_manage(actor, meeting.division)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = audit.snapshot(meeting)
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    diff = audit.diff(before, audit.snapshot(meeting))
    if diff:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=meeting,
            changes=diff,
            division_code=meeting.division_id,
        )
    if decisions is not None:
        set_decisions(actor=actor, meeting=meeting, rows=decisions)
    return meeting


@transaction.atomic
def add_decision(
    *, actor: Any, meeting: Meeting, text: str, number: int | None = None, **fields: Any
) -> Decision:
    """A decision at the end of the meeting's list (or with the number given)."""
    _check_manage(actor, meeting.division)
    if number is None:
        last = meeting.decisions.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    decision = Decision(meeting=meeting, number=number, text=text.strip(), **fields)
    decision.full_clean()
    decision.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=decision,
        division_code=meeting.division_id,
    )
    return decision


@transaction.atomic
def set_decisions(*, actor: Any, meeting: Meeting, rows: Sequence[DecisionRow]) -> list[Decision]:
    """Add, change and drop the meeting's decisions as a form lists them.

    A decision that tasks came from is kept (the tasks point back to it); the numbers must
    stay unique within the meeting.
    """
    _check_manage(actor, meeting.division)
    existing = {d.pk: d for d in meeting.decisions.all()}
    kept_numbers = [row.number for row in rows if not row.delete]
    if len(kept_numbers) != len(set(kept_numbers)):
        raise ValidationError(_("Two decisions have the same number."))
    for row in rows:
        if row.pk is not None and row.pk not in existing:
            raise ValidationError(_("No such decision in this meeting."))
    # Drop first, and move the numbers that stay out of the way, so renumbering is free.
    for row in rows:
        if row.delete and row.pk is not None:
            decision = existing.pop(row.pk)
            if decision.tasks.exists():
                raise ValidationError(
                    _("Decision %(number)s has tasks; it cannot be removed.")
                    % {"number": decision.number}
                )
            audit.record(
                actor=actor,
                action=AuditAction.DELETE,
                instance=decision,
                division_code=meeting.division_id,
            )
            decision.delete()
    for decision in existing.values():
        Decision.objects.filter(pk=decision.pk).update(number=decision.number + 1_000_000)
    saved = []
    for row in rows:
        if row.delete:
            continue
        values = {
            "number": row.number,
            "text": row.text.strip(),
            "speaker": row.speaker,
            "theme": row.theme,
            "responsible": row.responsible,
            "deadline_text": row.deadline_text,
        }
        if row.pk is None:
            decision = Decision(meeting=meeting, **values)
            decision.full_clean(validate_unique=False)
            decision.save()
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                instance=decision,
                division_code=meeting.division_id,
            )
        else:
            decision = existing.pop(row.pk)
            before = audit.snapshot(decision)
            for name, value in values.items():
                setattr(decision, name, value)
            decision.full_clean(validate_unique=False)
            decision.save()
            diff = audit.diff(before, audit.snapshot(decision))
            if diff:
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    instance=decision,
                    changes=diff,
                    division_code=meeting.division_id,
                )
        saved.append(decision)
    for decision in existing.values():  # not listed by the form: keep, with its old number
        Decision.objects.filter(pk=decision.pk).update(number=decision.number)
    return saved


def check_attachment(upload: UploadedFile) -> str:
    """The file's lower-case suffix once its type, size and first bytes pass; else an error."""
    return check_upload(upload, types=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)


@transaction.atomic
def add_attachment(*, actor: Any, meeting: Meeting, upload: UploadedFile) -> MeetingAttachment:
    """Keep an uploaded file with the meeting, its size and SHA-256 recorded."""
    _check_manage(actor, meeting.division)
    suffix = check_attachment(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = PurePath(upload.name or "file").name[:200]
    attachment = MeetingAttachment(
        meeting=meeting, name=name, size=upload.size or 0, sha256=digest.hexdigest()
    )
    # Store under a name of our own: the digest, so no user-given path reaches the disk.
    attachment.file.save(f"{digest.hexdigest()[:16]}{suffix}", upload, save=False)
    attachment.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=attachment,
        changes={"sha256": [None, attachment.sha256], "size": [None, attachment.size]},
        division_code=meeting.division_id,
    )
    return attachment


@transaction.atomic
def remove_attachment(*, actor: Any, attachment: MeetingAttachment) -> None:
    meeting = attachment.meeting
    _check_manage(actor, meeting.division)
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=attachment,
        changes={"sha256": [attachment.sha256, None]},
        division_code=meeting.division_id,
    )
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


def get_visible(user: Any, pk: int) -> Meeting:
    """The meeting if the user may see it, else 404."""
    try:
        return Meeting.objects.visible_to(user).select_related("division").get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404(_("No such meeting.")) from None

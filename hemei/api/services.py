"""Writing API tokens: create (the key is shown once), revoke, and look a key up."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.core import clock

from .models import Token

#: Every key starts with this, so a leaked key is easy to recognise in logs and code.
KEY_PREFIX = "hm_"
#: How stale ``last_used_at`` may get before a request writes it again.
LAST_USED_RESOLUTION_SECONDS = 60


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def create_token(*, actor: Any, name: str) -> tuple[Token, str]:
    """A new token of ``actor``; answers the token and its key (never stored, shown once)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. what script uses it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most %(count)d characters.") % {"count": 100}})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = Token.objects.create(user=actor, name=name, key_hash=hash_key(key), prefix=key[:10])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=token,
        changes={"name": [None, name]},
        division_code=actor.division_id or "",
    )
    return token, key


@transaction.atomic
def revoke_token(*, actor: Any, token: Token) -> Token:
    """Revoke the token for good (only its owner may)."""
    if token.user_id != actor.pk:
        raise PermissionDenied(_("Only the owner may revoke a token."))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=token,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
            division_code=actor.division_id or "",
        )
    return token


def authenticate_key(key: str) -> Token | None:
    """The active token of an active user with this key, else ``None``.

    The stored hash is compared by an indexed lookup: a SHA-256 of a 256-bit random key
    leaks nothing useful through timing.
    """
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    token = (
        Token.objects.active()
        .select_related("user")
        .filter(key_hash=hash_key(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def create_meeting(
    *,
    actor: Any,
    division: Any,
    name: str,
    held_on: Any,
    level: str,
    decisions: Sequence[Mapping[str, Any]] = (),
    speakers: Sequence[str] = (),
    attendees: Sequence[str] = (),
    **fields: Any,
) -> Any:
    """A meeting at ``division`` with its decisions numbered in order.

    The meetings app has no write service yet; this one lives here until it does (and then
    the endpoint calls that one instead).
    """
    from hemei.divisions.choices import Level
    from hemei.meetings.models import Decision, Meeting, MeetingLevel
    from hemei.tasks.permissions import can_manage

    if not can_manage(actor, division.code):
        raise PermissionDenied(
            _("You may not record meetings of %(division)s.") % {"division": division}
        )
    expected = {
        MeetingLevel.COUNTY: Level.COUNTY,
        MeetingLevel.TOWN: Level.TOWN,
        MeetingLevel.VILLAGE: Level.VILLAGE,
    }
    if expected.get(level) != division.level:
        raise ValidationError(
            {"level": _("A meeting of this level is held by a division of the same level.")}
        )
    meeting = Meeting(
        division=division,
        name=name.strip(),
        held_on=held_on,
        level=level,
        speakers="\n".join(s.strip() for s in speakers if s.strip()),
        attendees="\n".join(a.strip() for a in attendees if a.strip()),
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    meeting.full_clean()
    meeting.save()
    for number, decision in enumerate(decisions, start=1):
        item = Decision(meeting=meeting, number=number, **decision)
        item.full_clean()
        item.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=meeting,
        changes={"name": [None, meeting.name], "decisions": [None, len(decisions)]},
        division_code=division.code,
    )
    return meeting

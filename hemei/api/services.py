"""Writing API tokens: create (the key is shown once), revoke, and look a key up."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
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


def locked_out(username: Any) -> Exists:
    """Whether django-axes has locked the account out: as many failed logins for the
    username as the limit within the cool-off, from any address (a query expression)."""
    attempts = AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=get_failure_limit(None, {})
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        # axes stamps its attempts with the wall clock, not the platform's
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return Exists(attempts)


def authenticate_key(key: str) -> Token | None:
    """The active token of an active user with this key, else ``None``. The token's
    ``locked`` says whether the account is locked out after failed logins (the caller
    refuses it then: a stolen password's owner cannot go on through a token).

    The stored hash is compared by an indexed lookup: a SHA-256 of a 256-bit random key
    leaks nothing useful through timing.
    """
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    token = (
        Token.objects.active()
        .select_related("user")
        .filter(key_hash=hash_key(key), user__is_active=True)
        .annotate(locked=locked_out(OuterRef("user__username")))
        .first()
    )
    if token is None or getattr(token, "locked", False):
        return token
    now = clock.now()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

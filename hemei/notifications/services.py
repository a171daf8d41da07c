"""Sending notifications: in-app rows in bulk, e-mail to those who have an address.

E-mail is best effort: a mail server that is down must not undo the work that caused the
message, so failures are logged and the in-app notification stays. Mail goes out only once
the caller's transaction has committed (``transaction.on_commit``): work that rolls back,
or a process killed half-way, sends nothing, and the retry that does the work sends it once.
Outside a transaction it goes out at once; tests inside one capture the on-commit callbacks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import transaction

from hemei.core import clock

from .models import Notification

log = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    base = getattr(settings, "HEMEI_SITE_URL", "")
    if url and base and url.startswith("/"):
        return base.rstrip("/") + url
    return url


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    task: Any = None,
    email: bool = True,
) -> int:
    """Notify each distinct active recipient once; answer how many notifications were made.

    ``recipients`` may hold users or ``None`` (skipped), so callers can pass
    ``[task.responsible, task.lead_leader]`` without checking.
    """
    people: dict[int, Any] = {}
    for person in recipients:
        if person is not None and getattr(person, "pk", None) and person.is_active:
            people.setdefault(person.pk, person)
    if not people:
        return 0
    now = clock.now()
    title = title[:300]
    rows = [
        Notification(
            recipient=person,
            kind=kind[:32],
            title=title,
            body=body,
            url=url[:500],
            task=task,
            created_at=now,
        )
        for person in people.values()
    ]
    Notification.objects.bulk_create(rows)
    if email:
        addressed = [p for p in people.values() if p.email]
        if addressed:
            transaction.on_commit(
                lambda: _send_mail(addressed, title=title, body=body, url=url, sent=now)
            )
    return len(rows)


def _send_mail(people: list[Any], *, title: str, body: str, url: str, sent: Any) -> None:
    """Send one message per person; mark what went out, log what did not."""
    text = body
    link = _absolute(url)
    if link:
        text = f"{text}\n\n{link}" if text else link
    delivered: list[int] = []
    try:
        connection = get_connection(fail_silently=False)
        with connection:
            for person in people:
                message = EmailMessage(
                    subject=title,
                    body=text,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[person.email],
                    connection=connection,
                )
                try:
                    message.send()
                except Exception:  # a bad address must not stop the others
                    log.exception("notification e-mail to user %s failed", person.pk)
                else:
                    delivered.append(person.pk)
    except Exception:  # the server is down: the in-app message stays
        log.exception("notification e-mail could not be sent (%d recipients)", len(people))
    if delivered:
        Notification.objects.filter(
            recipient_id__in=delivered, created_at=sent, title=title, emailed_at__isnull=True
        ).update(emailed_at=clock.now())


def mark_read(*, user: Any, pks: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when ``pks`` is None)."""
    rows = Notification.objects.for_user(user).unread()
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    return rows.update(read_at=clock.now())


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_user(user).unread().count()

"""The caller's notifications (消息中心): unread first, the unread count, marking read.

A notification belongs to its recipient and nobody else: there is no scope to widen and
no id of someone else's message to find. Every role may read their own (villagers get
notifications too, as on the notification pages); marking goes through
:func:`hemei.notifications.services.mark_read`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.notifications import services
from hemei.notifications.models import Notification

from .. import schema as s
from ..framework import Call
from .common import api, moment

TAG = "notifications"
api.gate(TAG, Notification)
MAX_IDS = 1000

NOTIFICATION = s.response(
    "Notification",
    {
        "id": s.Int(minimum=1),
        "kind": s.Str(
            description=gettext_lazy("What it is about: reminder, yellow_card, supervision_order…")
        ),
        "title": s.Str(),
        "body": s.Str(),
        "url": s.Str(description=gettext_lazy("The page it points to (may be empty).")),
        "task_id": s.Int(minimum=1, nullable=True),
        "created_at": s.DateTime(),
        "read_at": s.DateTime(nullable=True),
    },
)
UNREAD = s.response("UnreadCount", {"unread": s.Int(minimum=0)})
MARKED = s.response(
    "MarkedRead",
    {
        "marked": s.Int(
            minimum=0, description=gettext_lazy("Notifications marked read by this call.")
        ),
        "unread": s.Int(minimum=0, description=gettext_lazy("Unread notifications left.")),
    },
)
MARK_READ = s.Obj(
    "MarkRead",
    {
        "ids": s.List(
            s.Int(minimum=1),
            max_items=MAX_IDS,
            description=gettext_lazy("Your notifications to mark read."),
        ),
        "all": s.Bool(description=gettext_lazy("true: mark every notification of yours read.")),
    },
)
FILTERS = (
    s.Param("unread", s.Bool(), gettext_lazy("Only unread notifications (true) or read ones.")),
)


def notification_item(row: Notification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "url": row.url,
        "task_id": row.task_id,
        "created_at": moment(row.created_at),
        "read_at": moment(row.read_at),
    }


notification_list = api.route("notifications/", "notification_list")
notification_unread = api.route("notifications/unread-count/", "notification_unread")
notification_read = api.route("notifications/read/", "notification_read")


@notification_list.operation(
    "GET",
    summary=gettext_lazy("List your notifications"),
    description=gettext_lazy("Your own notifications: unread first, then newest first."),
    tag=TAG,
    query=FILTERS,
    response=NOTIFICATION,
    paged=True,
)
def list_notifications(call: Call) -> Any:
    rows = Notification.objects.for_user(call.user)
    if "unread" in call.query:
        rows = rows.filter(read_at__isnull=call.query["unread"])
    rows = rows.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    return call.page(rows, notification_item)


@notification_unread.operation(
    "GET",
    summary=gettext_lazy("Count your unread notifications"),
    description=gettext_lazy("The number the top bar shows."),
    tag=TAG,
    response=UNREAD,
)
def count_unread(call: Call) -> Any:
    return {"unread": services.unread_count(call.user)}


@notification_read.operation(
    "POST",
    summary=gettext_lazy("Mark notifications read"),
    description=gettext_lazy(
        'Send ``ids`` (some of yours) or ``"all": true`` (every one); one of the two. An id '
        "that is not one of your notifications is refused and nothing is marked."
    ),
    tag=TAG,
    body=MARK_READ,
    response=MARKED,
)
def mark_read(call: Call) -> Any:
    ids = call.body.get("ids")
    every = call.body.get("all", False)
    if (ids is None) == (not every):
        raise ValidationError({"body": _('Send either ids or "all": true.')})
    if ids is not None:
        wanted = set(ids)
        own = set(
            Notification.objects.for_user(call.user)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        )
        missing = sorted(wanted - own)
        if missing:
            raise ValidationError(
                {"ids": _("Nothing with the id %(id)s is open to you.") % {"id": missing[0]}}
            )
        marked = services.mark_read(user=call.user, pks=wanted)
    else:
        marked = services.mark_read(user=call.user)
    return {"marked": marked, "unread": services.unread_count(call.user)}

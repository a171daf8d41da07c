"""The caller's notifications (消息中心): unread first, the unread count, marking read.

A notification belongs to its recipient and nobody else: there is no scope to widen and
no id of someone else's message to find. Every role may read their own (villagers get
notifications too, as on the notification pages); marking goes through
:func:`hemei.notifications.services.mark_read`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from pydantic import Field

from hemei.notifications import models, services

from ..engine import Flag, Id, Input, Paging, page_of, paginate
from .common import Moment, v1

TAG = "notifications"
v1.gate(TAG, models.Notification)
MAX_IDS = 1000

router = Router(tags=[TAG])


class Notification(Schema):
    id: int = Field(ge=1)
    kind: str = Field(
        description=gettext_lazy("What it is about: reminder, yellow_card, supervision_order…")
    )
    title: str
    body: str
    url: str = Field(description=gettext_lazy("The page it points to (may be empty)."))
    task_id: int | None = Field(ge=1)
    created_at: Moment
    read_at: Moment | None


class UnreadCount(Schema):
    unread: int = Field(ge=0)


class MarkedRead(Schema):
    marked: int = Field(ge=0, description=gettext_lazy("Notifications marked read by this call."))
    unread: int = Field(ge=0, description=gettext_lazy("Unread notifications left."))


class MarkRead(Input):
    ids: list[Id] | None = Field(
        None, max_length=MAX_IDS, description=gettext_lazy("Your notifications to mark read.")
    )
    all: Flag = Field(
        False, description=gettext_lazy("true: mark every notification of yours read.")
    )


class Filters(Schema):
    unread: bool | None = Field(
        None, description=gettext_lazy("Only unread notifications (true) or read ones.")
    )


@router.get(
    "notifications/",
    url_name="notification_list",
    response=page_of(Notification),
    summary=gettext_lazy("List your notifications"),
    description=gettext_lazy("Your own notifications: unread first, then newest first."),
)
def list_notifications(
    request: HttpRequest, filters: Query[Filters], paging: Query[Paging]
) -> dict[str, object]:
    rows = models.Notification.objects.for_user(request.user)
    if filters.unread is not None:
        rows = rows.filter(read_at__isnull=filters.unread)
    rows = rows.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    return paginate(request, paging, rows, lambda row: row)


@router.get(
    "notifications/unread-count/",
    url_name="notification_unread",
    response=UnreadCount,
    summary=gettext_lazy("Count your unread notifications"),
    description=gettext_lazy("The number the top bar shows."),
)
def count_unread(request: HttpRequest) -> dict[str, int]:
    return {"unread": services.unread_count(request.user)}


@router.post(
    "notifications/read/",
    url_name="notification_read",
    response=MarkedRead,
    summary=gettext_lazy("Mark notifications read"),
    description=gettext_lazy(
        'Send ``ids`` (some of yours) or ``"all": true`` (every one); one of the two. An id '
        "that is not one of your notifications is refused and nothing is marked."
    ),
)
def mark_read(request: HttpRequest, payload: MarkRead) -> dict[str, int]:
    if (payload.ids is None) == (not payload.all):
        raise ValidationError({"body": _('Send either ids or "all": true.')})
    if payload.ids is not None:
        wanted = set(payload.ids)
        own = set(
            models.Notification.objects.for_user(request.user)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        )
        missing = sorted(wanted - own)
        if missing:
            raise ValidationError(
                {"ids": _("Nothing with the id %(id)s is open to you.") % {"id": missing[0]}}
            )
        marked = services.mark_read(user=request.user, pks=wanted)
    else:
        marked = services.mark_read(user=request.user)
    return {"marked": marked, "unread": services.unread_count(request.user)}

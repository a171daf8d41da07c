"""Reads of public notices: the lists people see (through the access policy) and the
village's public board (:func:`board_items`, public by nature: it shows only what a notice
shows on the wall)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from hemei.board.sections import BoardItem
from hemei.core import clock
from hemei.divisions.models import Division
from hemei.documents.rendering import personal_data_in

from . import registry
from .choices import NoticeState, ObjectionState
from .models import Notice

#: How long an ended notice stays on the public board.
BOARD_DAYS = 30


def notices(
    user: Any, *, q: str = "", state: str = "", kind: str = "", area: str = ""
) -> QuerySet[Notice]:
    """The notices the user may read, filtered by words, state, kind and area (a code)."""
    rows = (
        Notice.objects.restrict(user, "view")
        .select_related("village")
        .annotate(
            open_objections=Count("objections", filter=Q(objections__state=ObjectionState.OPEN))
        )
    )
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(body__icontains=q) | Q(group__icontains=q))
    if state == "running":
        rows = rows.filter(state=NoticeState.POSTED, ends_at__gt=clock.now())
    elif state in NoticeState.values:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    if area:
        rows = rows.filter(village__code__startswith=area)
    return rows.order_by("-starts_at", "-id")


def export_columns() -> list[tuple[str, Any]]:
    """The columns of the notice list's Excel export (the page's and the API's)."""
    return [
        (_("Village"), lambda n: n.village.name),
        (_("Group"), lambda n: n.group),
        (_("Kind"), lambda n: str(registry.label_of(n.kind))),
        (_("Title"), lambda n: n.title),
        (_("Text"), lambda n: n.body),
        (_("Notice from"), lambda n: f"{local(n.starts_at):%Y-%m-%d %H:%M}"),
        (_("Notice until"), lambda n: f"{local(n.ends_at):%Y-%m-%d %H:%M}"),
        (_("Period"), lambda n: f"{n.days} {n.get_unit_display()}"),
        (_("State"), lambda n: status_text(n)),
        (_("Open objections"), lambda n: n.open_objections),
    ]


def local(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)) if moment else None


def period_text(notice: Notice) -> str:
    """``2026-06-15 10:00 至 2026-06-22 10:00`` in the platform's time zone."""
    starts, ends = local(notice.starts_at), local(notice.ends_at)
    return _("%(start)s to %(end)s") % {
        "start": f"{starts:%Y-%m-%d %H:%M}",
        "end": f"{ends:%Y-%m-%d %H:%M}",
    }


def status_text(notice: Notice, now: dt.datetime | None = None) -> str:
    now = now or clock.now()
    if notice.state == NoticeState.POSTED:
        return _("in public notice") if now < notice.ends_at else _("period passed")
    if notice.state == NoticeState.WITHDRAWN:
        return _("withdrawn")
    return notice.outcome or _("ended")


def _clean(text: str) -> str:
    """A notice's text for the public board: nothing that shows a person's numbers or
    health (it was checked when posted; a notice that slipped through shows no text)."""
    return "" if personal_data_in(text) else text


def _board_rows(village: Division, today: dt.date) -> list[dict[str, Any]]:
    """The village's notices for its public board (村务公开栏): those running and those
    ended in the last 30 days (not withdrawn ones), newest first. Each is a dict with the
    keys of the board's ``BoardItem`` (title, date, body, period, status, attachments);
    nothing personal: a notice's own text only, never its objections or the people who
    raised them, never the subject's record."""
    zone = ZoneInfo(settings.TIME_ZONE)
    since = dt.datetime.combine(today - dt.timedelta(days=BOARD_DAYS), dt.time(), tzinfo=zone)
    end_of_today = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    rows = (
        Notice.objects.filter(village=village, starts_at__lt=end_of_today)
        .filter(
            Q(state=NoticeState.POSTED, ends_at__gte=since)
            | Q(state=NoticeState.ENDED, closed_at__gte=since)
            | Q(state=NoticeState.ENDED, closed_at__isnull=True, ends_at__gte=since)
        )
        .order_by("-starts_at", "-id")
    )
    now = min(clock.now(), end_of_today)
    items = []
    for notice in rows:
        label = registry.label_of(notice.kind)
        title = _clean(notice.title) or str(label)
        items.append(
            {
                "title": title,
                "date": local(notice.starts_at).date(),  # type: ignore[union-attr]
                "body": _clean(notice.body),
                "period": period_text(notice),
                "status": status_text(notice, now),
                # the board serves files publicly; the notices' file page needs a login
                "attachments": (),
            }
        )
    return items


def board_items(village: Division, today: dt.date) -> list[BoardItem]:
    """The board's items (``hemei.board.sections``): see :func:`_board_rows`."""
    return [BoardItem(**row) for row in _board_rows(village, today)]

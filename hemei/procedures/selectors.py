"""Reads of procedures: the platform's clock, the time limit in force, and the lists people see.

:func:`schedule`, :func:`limit_for` and :func:`due_date` are the platform's own arithmetic
(a due date binds whoever the procedure concerns, like the lights of a task): they read the
schedule and the limits as they are, for no one in particular. What a person *lists* goes
through the access policy (:func:`workday_years`, :func:`time_limits`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from hemei.board.sections import BoardItem
from hemei.core.lists import Column
from hemei.divisions.choices import CODE_LENGTH, Level
from hemei.divisions.models import Division

from . import calendar
from .choices import DecisionState, StepKind
from .models import (
    DecisionProcess,
    DecisionPublication,
    DecisionRecord,
    TimeLimit,
    WorkdayYear,
)


class TimeLimitMissing(LookupError):
    """No row of the key is in force for the county, nor for its province, on the day."""

    def __init__(self, key: str, county_code: str, day: dt.date) -> None:
        self.key, self.county_code, self.day = key, county_code, day
        super().__init__(
            _("No time limit %(key)s is in force on %(day)s for %(county)s or its province.")
            % {"key": key, "day": day.isoformat(), "county": county_code}
        )


# --------------------------------------------------------------------------- the clock


def schedule() -> calendar.Schedule:
    """The library's years and, replacing them, the administrators' (the newest per year)."""
    return calendar.Schedule(row.schedule() for row in WorkdayYear.objects.in_force())


def unknown_year_message(exc: calendar.ScheduleUnknown) -> str:
    """What to tell a user whose date falls in a year without a known schedule."""
    return _(
        "No official working-day schedule is known for %(year)s; the platform knows "
        "%(years)s. An administrator adds a new year from the State Council's notice."
    ) % {"year": exc.day.year, "years": calendar.describe_years(exc.known)}


def days_after(start: dt.date, n: int, *, workdays: bool) -> dt.date:
    """The day ``n`` working (or calendar) days after ``start``; a year without a known
    schedule is a ``ValidationError`` telling the user what to do (for services)."""
    try:
        return calendar.add_days(start, n, workdays=workdays, schedule=schedule())
    except calendar.ScheduleUnknown as error:
        raise ValidationError(unknown_year_message(error)) from error


def workdays_left(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` to ``end`` (0 when ``end`` is past), as a
    ``ValidationError`` for a year without a known schedule (for services)."""
    try:
        return max(workdays_between(start, end), 0)
    except calendar.ScheduleUnknown as error:
        raise ValidationError(unknown_year_message(error)) from error


def add_workdays(start: dt.date, n: int) -> dt.date:
    return calendar.add_workdays(start, n, schedule())


def workdays_between(a: dt.date, b: dt.date) -> int:
    return calendar.workdays_between(a, b, schedule())


# --------------------------------------------------------------------------- time limits


def limit_for(key: str, county_code: str, on_date: dt.date) -> TimeLimit:
    """The county's row of ``key`` in force on ``on_date``, else its province's; else
    :class:`TimeLimitMissing`."""
    county = county_code[: CODE_LENGTH[Level.COUNTY]]
    province = county_code[: CODE_LENGTH[Level.PROVINCE]]
    rows = {
        row.division_id: row
        for row in TimeLimit.objects.filter(key=key, division_id__in=[county, province])
        .in_force_on(on_date)
        .order_by("valid_from", "id")
    }
    found = rows.get(county) or rows.get(province)
    if found is None:
        raise TimeLimitMissing(key, county, on_date)
    return found


def due_date(
    limit: TimeLimit,
    start: dt.date,
    *,
    extended: bool = False,
    clock: calendar.Schedule | None = None,
) -> dt.date:
    """The last day of ``limit`` counted from ``start`` (the day the step began, which does
    not count), in its unit; with ``extended``, its extension added. Working days follow
    the official schedule, and a date beyond every known year raises
    :class:`~hemei.procedures.calendar.ScheduleUnknown`."""
    days = limit.days + (limit.extension_days if extended else 0)
    return calendar.add_days(
        start, days, workdays=limit.counts_workdays, schedule=clock or schedule()
    )


# --------------------------------------------------------------------------- lists


def workday_years(user: Any) -> Any:
    return WorkdayYear.objects.restrict(user, "view").select_related("added_by")


def time_limits(user: Any, county_code: str) -> Any:
    """The rows of the county and of its province the user may see."""
    codes = [county_code, county_code[: CODE_LENGTH[Level.PROVINCE]]]
    return (
        TimeLimit.objects.restrict(user, "view")
        .filter(division_id__in=codes)
        .select_related("division", "added_by")
    )


# --------------------------------------------------------------------------- 四议两公开


def decision_records(
    user: Any, *, q: str = "", state: str = "", area: str = ""
) -> QuerySet[DecisionRecord]:
    """The records the user may read, filtered by words, state and area (a division code)."""
    rows = DecisionRecord.objects.restrict(user, "view").select_related(
        "village", "process", "step"
    )
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if state in DecisionState.values:
        rows = rows.filter(state=state)
    if area:
        rows = rows.filter(village__code__startswith=area)
    return rows


def decision_processes(user: Any, village_code: str = "") -> QuerySet[DecisionProcess]:
    """The processes in use the user may read (the national one and their county's)."""
    rows = DecisionProcess.objects.restrict(user, "view").filter(active=True)
    if village_code:
        rows = rows.filter(Q(division__isnull=True) | Q(division_id=village_code[:6]))
    return rows.order_by("division_id", "name", "id")


def published_decisions(village_code: str) -> QuerySet[DecisionRecord]:
    """What the village's public board shows: records whose resolution is published, each
    with its publications only (never the meetings' counts or files)."""
    return (
        DecisionRecord.objects.published()
        .filter(village_id=village_code)
        .prefetch_related("publications")
        .order_by("-updated_at", "-id")
    )


#: The most publications the public board shows (the newest).
BOARD_PUBLICATIONS = 30


def board_items(village: Division, today: dt.date) -> list[BoardItem]:
    """The village's public board: the published resolutions and results of its decision
    records (决议公开, 实施结果公开), newest first. Only the matter and the publication's own
    text, date and kind: never who recorded or published it, nor the meetings' attendance,
    votes or files."""
    publications = (
        DecisionPublication.objects.filter(
            record__village_id=village.code,
            record__in=DecisionRecord.objects.published(),
            published_on__lte=today,
        )
        .select_related("record")
        .order_by("-published_on", "-id")[:BOARD_PUBLICATIONS]
    )
    return [
        BoardItem(
            title=publication.record.title,
            date=publication.published_on,
            body=publication.text,
            status=str(StepKind(publication.kind).label),
        )
        for publication in publications
    ]


def decision_columns() -> list[Column]:
    """The columns of the decision records' Excel export (the page's and the API's)."""
    return [
        (_("Village"), lambda r: r.village.name),
        (_("Matter"), lambda r: r.title),
        (_("Process"), lambda r: r.process.name),
        (_("Current step"), lambda r: r.step.name if r.step else ""),
        (_("State"), lambda r: r.get_state_display()),
        (_("Why not passed"), lambda r: r.stopped_reason),
        (_("Created at"), lambda r: localtime(r.created_at).strftime("%Y-%m-%d %H:%M")),
    ]

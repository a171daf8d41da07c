"""Ranking periods, free of the database: a week (Monday to Sunday), a calendar month,
quarter or year, each named by its first day."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from .choices import PeriodKind


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period of ``kind`` that contains ``day``."""
    if kind == PeriodKind.WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if kind == PeriodKind.MONTH:
        start = day.replace(day=1)
        return start, _next_month(start) - dt.timedelta(days=1)
    if kind == PeriodKind.QUARTER:
        start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        end = _next_month(_next_month(_next_month(start))) - dt.timedelta(days=1)
        return start, end
    if kind == PeriodKind.YEAR:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    raise ValueError(f"unknown period kind: {kind!r}")


def previous_start(kind: str, start: dt.date) -> dt.date:
    """The first day of the period just before the one starting on ``start``."""
    return period_bounds(kind, start - dt.timedelta(days=1))[0]


def next_start(kind: str, start: dt.date) -> dt.date:
    return period_bounds(kind, start)[1] + dt.timedelta(days=1)


def period_label(kind: str, start: dt.date) -> str:
    """How people name the period: 2026年11月, 2026年第4季度, 2026年第47周, 2026年."""
    if kind == PeriodKind.WEEK:
        year, week, _weekday = start.isocalendar()
        return _("%(year)d week %(week)d") % {"year": year, "week": week}
    if kind == PeriodKind.MONTH:
        return _("%(year)d-%(month)02d") % {"year": start.year, "month": start.month}
    if kind == PeriodKind.QUARTER:
        return _("%(year)d Q%(quarter)d") % {
            "year": start.year,
            "quarter": (start.month - 1) // 3 + 1,
        }
    return _("year %(year)d") % {"year": start.year}


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)

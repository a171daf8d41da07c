"""Writes of procedures: a year's working-day schedule, and the time limits of a division."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import Who, allows, may
from hemei.accounts.roles import ADMIN_ROLES
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from . import calendar
from .models import FIRST_YEAR, LAST_YEAR, TimeLimit, WorkdayYear
from .selectors import schedule

#: the levels a time limit is set at: a province, and a county that overrides it
LIMIT_LEVELS = (Level.PROVINCE, Level.COUNTY)


def _trail_division(actor: Any) -> str:
    """Where an addition to the national schedule shows in the audit log: the actor's
    (first) administered division, so their own office sees it; the whole platform else."""
    prefixes = Who(actor).prefixes(ADMIN_ROLES)
    return prefixes[0] if prefixes else ""


@transaction.atomic
def add_workday_year(
    *,
    actor: Any,
    year: int,
    holidays: Iterable[dt.date],
    workdays: Iterable[dt.date],
    source: str,
    supersedes: bool = False,
) -> WorkdayYear:
    """Add a year's official schedule (or replace the known one, when ``supersedes``).

    Refused: a year outside 2000–2100, a date outside the year, a date both holiday and
    working day, an empty source, a year the clock already knows without ``supersedes``.
    """
    if not may(actor, "change", WorkdayYear):
        raise PermissionDenied(_("Only administrators add working-day schedules."))
    source = source.strip()
    wanted = calendar.YearSchedule(
        year=year, holidays=frozenset(holidays), workdays=frozenset(workdays), source=source
    )
    errors: dict[str, list[str]] = {}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = [
            _("Give a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    else:
        for name, dates in (("holidays", wanted.holidays), ("workdays", wanted.workdays)):
            outside = sorted(d for d in dates if d.year != year)
            if outside:
                errors[name] = [
                    _("These dates are not in %(year)s: %(dates)s.")
                    % {"year": year, "dates": "、".join(map(str, outside))}
                ]
        both = sorted(wanted.holidays & wanted.workdays)
        if both:
            errors.setdefault("workdays", []).append(
                _("A day cannot be both a holiday and a working day: %(dates)s.")
                % {"dates": "、".join(map(str, both))}
            )
    if not source:
        errors["source"] = [_("Name the notice the dates come from.")]
    # Lock the year's rows (PostgreSQL; SQLite's IMMEDIATE transactions already serialize).
    earlier = list(WorkdayYear.objects.select_for_update().filter(year=year))
    known = bool(earlier) or schedule().knows(year)
    if known and not supersedes and "year" not in errors:
        errors["supersedes"] = [
            _(
                "The schedule of %(year)s is already known. Tick “replaces the known "
                "schedule” to replace it as a whole with these dates."
            )
            % {"year": year}
        ]
    if errors:
        raise ValidationError(errors)
    row = WorkdayYear.objects.create(
        year=year,
        holidays=[d.isoformat() for d in sorted(wanted.holidays)],
        workdays=[d.isoformat() for d in sorted(wanted.workdays)],
        source=source,
        supersedes=known,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=row,
        changes=audit.diff({}, audit.snapshot(row)),
        division_code=_trail_division(actor),
    )
    return row


def _check_limit_division(actor: Any, division: Division) -> None:
    if division.level not in LIMIT_LEVELS:
        raise ValidationError({"division": [_("Time limits are set for a province or a county.")]})
    if not allows(actor, "change", TimeLimit(division=division)):
        raise PermissionDenied(_("You do not administer %(division)s.") % {"division": division})


def _check_no_overlap(
    *, key: str, division: Division, valid_from: dt.date, valid_to: dt.date | None, pk: Any = None
) -> None:
    clash = (
        TimeLimit.objects.filter(key=key, division=division)
        .overlapping(valid_from, valid_to)
        .exclude(pk=pk)
        .order_by("valid_from")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "%(division)s already has the time limit %(key)s from %(start)s to %(end)s; "
                "the validity periods must not overlap (end the earlier one first)."
            )
            % {
                "division": division.name,
                "key": key,
                "start": clash.valid_from,
                "end": clash.valid_to or _("further notice"),
            }
        )


@transaction.atomic
def add_time_limit(
    *,
    actor: Any,
    division: Division,
    key: str,
    name: str,
    days: int,
    unit: str,
    extension_days: int = 0,
    basis: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> TimeLimit:
    """Add a province's or a county's time limit; refused when its validity overlaps
    another row of the same key and division."""
    _check_limit_division(actor, division)
    # Serialize additions for the division (PostgreSQL; SQLite's transactions already do).
    Division.objects.select_for_update().filter(code=division.code).first()
    limit = TimeLimit(
        division=division,
        key=key.strip(),
        name=name.strip(),
        days=days,
        unit=unit,
        extension_days=extension_days,
        basis=basis.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    limit.full_clean()
    _check_no_overlap(key=limit.key, division=division, valid_from=valid_from, valid_to=valid_to)
    limit.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=limit,
        changes=audit.diff({}, audit.snapshot(limit)),
        division_code=division.code,
    )
    return limit


@transaction.atomic
def end_time_limit(*, actor: Any, limit: TimeLimit, valid_to: dt.date) -> TimeLimit:
    """Set the last day a limit is in force (to make room for a new one)."""
    limit = TimeLimit.objects.select_for_update().select_related("division").get(pk=limit.pk)
    _check_limit_division(actor, limit.division)
    if valid_to < limit.valid_from:
        raise ValidationError(
            {
                "valid_to": [
                    _("The end of validity is before its start (%(start)s).")
                    % {"start": limit.valid_from}
                ]
            }
        )
    _check_no_overlap(
        key=limit.key,
        division=limit.division,
        valid_from=limit.valid_from,
        valid_to=valid_to,
        pk=limit.pk,
    )
    before = audit.snapshot(limit)
    limit.valid_to = valid_to
    limit.save(update_fields=["valid_to", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=limit,
        changes=audit.diff(before, audit.snapshot(limit)),
        division_code=limit.division_id,
    )
    return limit

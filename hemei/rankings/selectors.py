"""Reads shared by the pages, the export job and the API: rows of a run, a division's rank
over past periods, and the plain data of a circular."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from hemei.divisions.models import Division, subtree_q

from .circular import Circular, Table
from .models import RankingRow, RankingRun
from .services import config_for

CENT = Decimal("0.01")
#: No., task, where, lead unit, deadline, days or progress (mm; 156 mm of text on A4)
TASK_WIDTHS = [10, 52, 30, 26, 25, 13]


def run_rows(run: RankingRun) -> QuerySet[RankingRow]:
    return run.rows.select_related("division")


def rank_history(
    run: RankingRun, division_code: str, limit: int = 12
) -> list[tuple[str, int | None]]:
    """(period label, rank) of ``division_code`` in the last runs of the same kind and scope."""
    rows = (
        RankingRow.objects.filter(
            division_id=division_code,
            run__scope_id=run.scope_id,
            run__period_kind=run.period_kind,
            run__period_start__lte=run.period_start,
        )
        .select_related("run")
        .order_by("-run__period_start")[:limit]
    )
    return [(row.run.period_label, row.rank) for row in reversed(list(rows))]


def first_places(run_ids: list[int]) -> dict[int, list[RankingRow]]:
    """The first-placed rows of each run (ties included), in one query."""
    found: dict[int, list[RankingRow]] = {}
    rows = RankingRow.objects.filter(run_id__in=run_ids, rank=1).select_related("division")
    for row in rows.order_by("run_id", "division_id"):
        found.setdefault(row.run_id, []).append(row)
    return found


def _leaf_tasks(run: RankingRun) -> QuerySet[Any]:
    from hemei.tasks.models import Task

    return (
        Task.objects.filter(subtree_q([run.scope_id], "division_id"))
        .exclude(division_id=run.scope_id)
        .filter(~Exists(Task.objects.filter(parent_id=OuterRef("pk"))))
        .select_related("division", "lead_unit")
    )


def overdue_tasks(run: RankingRun) -> QuerySet[Any]:
    """The run's tasks overdue as of its ``as_of``, longest overdue first."""
    from django.db.models import Q

    return (
        _leaf_tasks(run)
        .filter(due_on__gte=run.period_start, due_on__lte=run.period_end, due_on__lt=run.as_of)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=run.as_of))
        .order_by("due_on", "division_id", "id")
    )


def lit_tasks(run: RankingRun, light: str) -> QuerySet[Any]:
    """Open tasks in the run's area whose light is ``light`` now (the red and yellow lists)."""
    from hemei.tasks.choices import State

    return _leaf_tasks(run).filter(light=light).exclude(state=State.DONE).order_by("due_on", "id")


def _place(task: Any, names: dict[str, str], length: int) -> str:
    unit = names.get(task.division_id[:length], "")
    if task.division_id[:length] == task.division_id:
        return unit
    return f"{unit}{task.division.name}"


def _date(day: dt.date) -> str:
    return _("%(year)d-%(month)d-%(day)d") % {"year": day.year, "month": day.month, "day": day.day}


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return formats.number_format(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP), 2)


def circular_data(run: RankingRun, *, document_number: str, issued_on: dt.date) -> Circular:
    """Everything the circular of ``run`` says, as plain values."""
    from hemei.tasks.choices import Light

    config = config_for(run.county_id)
    scope = Division.objects.get(code=run.scope_id)
    county = Division.objects.get(code=run.county_id)
    rows = list(run_rows(run))
    names = {row.division_id: row.division.name for row in rows}
    length = 12 if run.ranks_villages else 9
    ranked = [row for row in rows if row.rank is not None]
    due = sum(row.due_count for row in rows)
    on_time = sum(row.on_time_count for row in rows)
    overdue = sum(row.overdue_count for row in rows)
    late = sum(row.late_count for row in rows)
    delay_days = sum(row.average_delay * row.late_count for row in rows)
    orders = sum(row.orders_count for row in rows)
    units = _("villages") if run.ranks_villages else _("towns")
    lines = [
        _(
            "In %(period)s, %(units_count)d %(units)s of %(scope)s had %(due)d key tasks due: "
            "%(on_time)d were completed on time (on-time rate %(rate)s%%), %(overdue)d are "
            "overdue, the late ones were %(delay)s days late on average, and %(orders)d "
            "supervision orders were issued."
        )
        % {
            "period": run.period_label,
            "units_count": len(rows),
            "units": units,
            "scope": scope.name,
            "due": due,
            "on_time": on_time,
            "rate": _number(Decimal(on_time * 100) / due if due else Decimal(0)),
            "overdue": overdue,
            "delay": _number(delay_days / late if late else Decimal(0)),
            "orders": orders,
        }
    ]
    if ranked:
        top = [row.division.name for row in ranked if row.rank is not None and row.rank <= 3]
        # The last three places by rank, ties included (nine towns tied at the bottom are
        # all named, not three of them picked by table order).
        cut = ranked[max(len(ranked) - 3, 0)].rank
        bottom = [
            row.division.name
            for row in ranked
            if row.rank is not None and row.rank >= cut and row.division.name not in top
        ]
        text = _("First places: %(top)s.") % {"top": "、".join(top)}
        if bottom:
            text += _(" Last places: %(bottom)s; they are asked to catch up.") % {
                "bottom": "、".join(bottom)
            }
        lines.append(text)
    idle = [row.division.name for row in rows if row.rank is None]
    if idle:
        lines.append(
            _("%(count)d %(units)s had no task due and are not ranked.")
            % {"count": len(idle), "units": units}
        )

    ranking_table = Table(
        heading=_("1. Ranking"),
        sheet=_("Ranking"),
        headers=[
            _("Rank"),
            _("Division"),
            _("Score"),
            _("On-time rate (%)"),
            _("Tasks due"),
            _("Completed on time"),
            _("Overdue"),
            _("Average delay (days)"),
            _("Supervision orders"),
            _("Change"),
        ],
        rows=[
            [
                row.rank if row.rank is not None else "—",
                row.division.name,
                _number(row.score),
                _number(row.on_time_rate),
                row.due_count,
                row.on_time_count,
                row.overdue_count,
                _number(row.average_delay),
                row.orders_count,
                _change_text(row.rank_change),
            ]
            for row in rows
        ],
        widths=[10, 28, 17, 17, 15, 15, 13, 16, 12, 13],
    )
    task_headers = [
        _("No."),
        _("Task"),
        _("Where"),
        _("Lead unit"),
        _("Deadline"),
    ]
    overdue_table = Table(
        heading=_("2. Overdue tasks"),
        sheet=_("Overdue tasks"),
        headers=[*task_headers, _("Days overdue")],
        rows=[
            [
                number,
                task.title,
                _place(task, names, length),
                task.lead_unit.name if task.lead_unit else "",
                _date(task.due_on),
                (run.as_of - task.due_on).days,
            ]
            for number, task in enumerate(overdue_tasks(run), start=1)
        ],
        empty=_("No task of the period is overdue."),
        widths=TASK_WIDTHS,
    )
    light_tables = []
    for light, heading, sheet, empty in (
        (Light.RED, _("3. Red list (red-light tasks)"), _("Red list"), _("No red-light task.")),
        (
            Light.YELLOW,
            _("4. Yellow list (yellow-light tasks)"),
            _("Yellow list"),
            _("No yellow-light task."),
        ),
    ):
        light_tables.append(
            Table(
                heading=heading,
                sheet=sheet,
                headers=[*task_headers, _("Progress (%)")],
                rows=[
                    [
                        number,
                        task.title,
                        _place(task, names, length),
                        task.lead_unit.name if task.lead_unit else "",
                        _date(task.due_on),
                        _number(task.progress),
                    ]
                    for number, task in enumerate(lit_tasks(run, light), start=1)
                ],
                empty=empty,
                widths=TASK_WIDTHS,
            )
        )
    return Circular(
        issuing_body=config.issuing_body
        or _("%(county)s rural revitalization office") % {"county": county.name},
        document_number=document_number,
        title=_("Circular on the progress of %(scope)s key rural revitalization tasks (%(period)s)")
        % {"scope": scope.name, "period": run.period_label},
        issued_on=_date(issued_on),
        summary=lines,
        tables=[ranking_table, overdue_table, *light_tables],
    )


def _change_text(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "="

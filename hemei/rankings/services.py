"""Computing rankings, configuring them, and asking for a circular.

What a period's figures are (for the towns of a county, or the villages of a town):

- the tasks counted are the *leaf* tasks (no subtasks) at or below each unit whose deadline
  falls in the period; a task split into village parts is counted through its parts, so no
  work is counted twice, and county-level tasks count for no town;
- ``as_of`` is the day after the period, or today while the period runs: what happened
  before it is known;
- on time: completed before ``as_of`` and no later than the deadline;
- overdue: the deadline is before ``as_of`` and the task was not completed before ``as_of``;
- late: overdue, or completed after its deadline; its delay is the days from the deadline to
  completion (or to ``as_of`` while it is still open); the average delay is over late tasks;
- supervision orders: those issued in the period on a task at or below the unit.

Each is one grouped query over all units at once (a few queries per ranking, whatever the
number of towns). The scores are computed by :mod:`hemei.rankings.scoring`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import allows_at
from hemei.core import clock
from hemei.divisions.choices import Level
from hemei.divisions.models import Division, subtree_q

from .choices import PeriodKind
from .models import ExportJob, RankingConfig, RankingRow, RankingRun
from .periods import next_start, period_bounds, previous_start
from .scoring import Figures, score_and_rank

#: Code length of the units ranked inside a scope of each level.
UNIT_LENGTH = {Level.COUNTY: 9, Level.TOWN: 12}


def config_for(county: Division | str) -> RankingConfig:
    """The county's configuration (an unsaved default one until an administrator saves it)."""
    code = county if isinstance(county, str) else county.code
    found = RankingConfig.objects.filter(county_id=code[:6]).first()
    return found or RankingConfig(county_id=code[:6])


@transaction.atomic
def update_config(*, actor: Any, county: Division, **fields: Any) -> RankingConfig:
    """Change the weights or the circular's heading of ``county``."""
    if county.level != Level.COUNTY:
        raise ValidationError(_("Rankings are configured per county."))
    if not allows_at(actor, "administer", county.code):
        raise PermissionDenied(_("Only the county's administrators configure its rankings."))
    allowed = {
        "weight_on_time",
        "weight_overdue",
        "weight_delay",
        "weight_orders",
        "issuing_body",
        "number_prefix",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not configurable: {sorted(unknown)}")
    config = config_for(county)
    before = audit.snapshot(config) if config.pk else {}
    for name, value in fields.items():
        setattr(config, name, value.strip() if isinstance(value, str) else value)
    config.full_clean()
    config.save()
    changes = audit.diff(before, audit.snapshot(config))
    if changes:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            instance=config,
            changes=changes,
            division_code=county.code,
        )
    return config


def _unit_tasks(scope: Division, start: dt.date, end: dt.date) -> Any:
    from hemei.tasks.models import Task

    return (
        Task.objects.filter(subtree_q([scope.code], "division_id"))
        .exclude(division_id=scope.code)
        .filter(due_on__gte=start, due_on__lte=end)
        .filter(~Exists(Task.objects.filter(parent_id=OuterRef("pk"))))
    )


def task_figures(
    scope: Division, start: dt.date, end: dt.date, as_of: dt.date
) -> dict[str, dict[str, Any]]:
    """Per unit code: due, on_time, overdue, late and delay (a timedelta), in one query."""
    length = UNIT_LENGTH[scope.level]
    done_before = Q(completed_on__isnull=False, completed_on__lt=as_of)
    on_time = done_before & Q(completed_on__lte=F("due_on"))
    done_late = done_before & Q(completed_on__gt=F("due_on"))
    overdue = Q(due_on__lt=as_of) & (Q(completed_on__isnull=True) | Q(completed_on__gte=as_of))
    delay = Case(
        When(done_late, then=ExpressionWrapper(F("completed_on") - F("due_on"), DurationField())),
        When(overdue, then=ExpressionWrapper(Value(as_of) - F("due_on"), DurationField())),
        default=None,
        output_field=DurationField(),
    )
    rows = (
        _unit_tasks(scope, start, end)
        .annotate(unit=Substr("division_id", 1, length))
        .values("unit")
        .annotate(
            due=Count("id"),
            on_time=Count("id", filter=on_time),
            overdue=Count("id", filter=overdue),
            late=Count("id", filter=done_late | overdue),
            delay=Sum(delay),
        )
        .order_by()
    )
    return {row["unit"]: row for row in rows}


def order_figures(scope: Division, start: dt.date, end: dt.date) -> dict[str, int]:
    """Supervision orders issued in the period, per unit code (one query)."""
    try:
        from hemei.supervision.models import SupervisionOrder
    except ImportError:  # the supervision app has not landed its model yet
        return {}
    length = UNIT_LENGTH[scope.level]
    zone = timezone.get_current_timezone()
    begins = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    ends = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = (
        SupervisionOrder.objects.filter(subtree_q([scope.code], "task__division_id"))
        .exclude(task__division_id=scope.code)
        .filter(issued_at__gte=begins, issued_at__lt=ends)
        .annotate(unit=Substr("task__division_id", 1, length))
        .values("unit")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["unit"]: row["count"] for row in rows}


def _days(value: dt.timedelta | int | None) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.timedelta):
        return value.days
    return int(value)


def check_scope(scope: Division) -> None:
    if scope.level not in UNIT_LENGTH:
        raise ValidationError(
            _("Rank the towns of a county or the villages of a town, not %(division)s.")
            % {"division": scope}
        )


@transaction.atomic
def compute_ranking(
    *,
    county_or_town: Division,
    period_kind: str,
    period_start: dt.date,
    actor: Any,
) -> RankingRun:
    """Rank the towns of a county (or the villages of a town) for the period containing
    ``period_start``; recomputing a period replaces its run's rows."""
    scope = county_or_town
    check_scope(scope)
    if period_kind not in PeriodKind.values:
        raise ValidationError(_("Choose a week, month, quarter or year."))
    if actor is not None and not allows_at(actor, "compute_ranking", scope.code):
        raise PermissionDenied(
            _("You may not compute the ranking of %(division)s.") % {"division": scope}
        )
    start, end = period_bounds(period_kind, period_start)
    today = clock.today()
    if start > today:
        raise ValidationError(_("The period has not begun yet."))
    as_of = min(end + dt.timedelta(days=1), today)
    config = config_for(scope.code)
    weights = config.weights

    units = list(
        Division.objects.current()
        .below(scope.code)
        .filter(level=scope.level + 1)
        .values_list("code", flat=True)
    )
    tasks = task_figures(scope, start, end, as_of)
    orders = order_figures(scope, start, end)
    figures = []
    for code in units:
        row = tasks.get(code, {})
        figures.append(
            Figures(
                code=code,
                due=row.get("due", 0),
                on_time=row.get("on_time", 0),
                overdue=row.get("overdue", 0),
                late=row.get("late", 0),
                delay_days=_days(row.get("delay")),
                orders=orders.get(code, 0),
            )
        )
    ordered = score_and_rank(figures, weights)

    run, created = RankingRun.objects.select_for_update().get_or_create(
        scope=scope,
        period_kind=period_kind,
        period_start=start,
        defaults={
            "county_id": scope.code[:6],
            "period_end": end,
            "as_of": as_of,
            "computed_at": clock.now(),
            "computed_by": actor if getattr(actor, "pk", None) else None,
            "config": weights,
        },
    )
    if not created:
        run.period_end, run.as_of, run.config = end, as_of, weights
        run.computed_at = clock.now()
        run.computed_by = actor if getattr(actor, "pk", None) else None
        run.save()
        run.rows.all().delete()

    previous = dict(
        RankingRow.objects.filter(
            run__scope=scope,
            run__period_kind=period_kind,
            run__period_start=previous_start(period_kind, start),
        ).values_list("division_id", "rank")
    )
    RankingRow.objects.bulk_create(
        [
            RankingRow(
                run=run,
                division_id=unit.code,
                rank=unit.rank,
                score=unit.score,
                on_time_rate=unit.on_time_rate,
                due_count=unit.due,
                on_time_count=unit.on_time,
                overdue_count=unit.overdue,
                late_count=unit.late,
                average_delay=unit.average_delay,
                orders_count=unit.orders,
                previous_rank=previous.get(unit.code),
                rank_change=_change(previous.get(unit.code), unit.rank),
            )
            for unit in ordered
        ],
        batch_size=1000,
    )
    _refresh_following(run, {unit.code: unit.rank for unit in ordered})
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=run,
        changes={
            "period": [None, f"{period_kind} {start.isoformat()}"],
            "weights": [None, weights],
        },
        division_code=scope.code,
    )
    return run


def _change(previous: int | None, current: int | None) -> int | None:
    if previous is None or current is None:
        return None
    return previous - current


def _refresh_following(run: RankingRun, ranks: dict[str, int | None]) -> None:
    """A recomputed period changes the rank changes shown by the period after it."""
    rows = list(
        RankingRow.objects.filter(
            run__scope_id=run.scope_id,
            run__period_kind=run.period_kind,
            run__period_start=next_start(run.period_kind, run.period_start),
        )
    )
    for row in rows:
        row.previous_rank = ranks.get(row.division_id)
        row.rank_change = _change(row.previous_rank, row.rank)
    RankingRow.objects.bulk_update(rows, ["previous_rank", "rank_change"], batch_size=1000)


def document_number(run: RankingRun, config: RankingConfig | None = None) -> str:
    """〔2026〕3号, after the county's prefix when it has one."""
    config = config or config_for(run.county_id)
    return f"{config.number_prefix}〔{run.circular_year}〕{run.circular_number}号"


@transaction.atomic
def request_circular(*, run: RankingRun, actor: Any) -> ExportJob:
    """Queue the circular and workbook of ``run``; the worker renders them.

    The run takes the county's next document number of the year the first time its circular
    is asked for, and keeps it when it is exported again.
    """
    if not allows_at(actor, "compute_ranking", run.scope_id):
        raise PermissionDenied(_("Only the office that publishes the ranking issues its circular."))
    run = RankingRun.objects.select_for_update().get(pk=run.pk)
    if run.circular_number is None:
        # Lock the county's configuration row so two requests cannot take the same number.
        config = config_for(run.county_id)
        if config.pk is None:
            config.save()
        RankingConfig.objects.select_for_update().get(pk=config.pk)
        year = clock.today().year
        taken = RankingRun.objects.filter(county_id=run.county_id, circular_year=year).aggregate(
            top=Max("circular_number")
        )["top"]
        run.circular_year, run.circular_number = year, (taken or 0) + 1
        run.save(update_fields=["circular_year", "circular_number"])
    job = ExportJob.objects.create(
        run=run,
        requested_by=actor if getattr(actor, "pk", None) else None,
        language=translation.get_language() or "zh-hans",
        document_number=document_number(run),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=job,
        changes={"document_number": [None, job.document_number]},
        division_code=run.scope_id,
    )

    from .jobs import enqueue  # the jobs read the rankings through the selectors (and us)

    enqueue(job)
    return job

"""Computing a ranking: the figures of each town, the scores, ties, weights, stored history
and rank changes, and a query count that does not grow with the number of towns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division
from hemei.rankings.models import RankingConfig, RankingRow, RankingRun
from hemei.rankings.scoring import Figures, score_and_rank
from hemei.rankings.services import compute_ranking

from .factories import NOV_23, OCT, SEP, TOWN_C, day, make_task

pytestmark = pytest.mark.django_db


def october_tasks() -> None:
    # Town A: one on time, one done 5 days late, one still open 1 day past its deadline,
    # one completed only after the period (open as of 1 November: 17 days late).
    make_task(TOWN_A, day(10, 10), day(10, 5))
    make_task(VILLAGE_A, day(10, 20), day(10, 25))
    make_task(TOWN_A, day(10, 31))
    make_task(TOWN_A, day(10, 15), day(11, 10))
    # Town B: everything on time; its split task counts through its village part only.
    make_task(TOWN_B, day(10, 10), day(10, 10))
    make_task(TOWN_B, day(10, 20), day(10, 1))
    parent = make_task(TOWN_B, day(10, 12))
    make_task(VILLAGE_B, day(10, 12), day(10, 12), parent=parent)
    # Town C: one task, on time.
    make_task(TOWN_C, day(10, 5), day(10, 5))
    # Not counted: a county task, and a town task due in November.
    make_task(COUNTY, day(10, 3))
    make_task(TOWN_A, day(11, 3))


def county() -> Division:
    return Division.objects.get(code=COUNTY)


def rows(run: RankingRun) -> dict[str, RankingRow]:
    return {row.division_id: row for row in run.rows.all()}


def test_it_counts_each_towns_tasks_of_the_period(cast: Cast) -> None:
    october_tasks()
    with clock.frozen_at(NOV_23):
        run = compute_ranking(
            county_or_town=county(), period_kind="month", period_start=day(10, 17), actor=cast.alice
        )
    assert (run.period_start, run.period_end, run.as_of) == (OCT, day(10, 31), day(11, 1))
    found = rows(run)
    a, b, c = found[TOWN_A], found[TOWN_B], found[TOWN_C]
    assert (a.due_count, a.on_time_count, a.overdue_count, a.late_count) == (4, 1, 2, 3)
    assert a.on_time_rate == Decimal("25.00")
    assert a.average_delay == Decimal("7.67")  # (5 + 1 + 17) / 3
    assert (b.due_count, b.on_time_count, b.overdue_count, b.average_delay) == (3, 3, 0, 0)
    assert (c.due_count, c.on_time_count) == (1, 1)


def test_it_scores_by_the_weights_and_ties_share_a_rank(cast: Cast) -> None:
    october_tasks()
    with clock.frozen_at(NOV_23):
        run = compute_ranking(
            county_or_town=county(), period_kind="month", period_start=OCT, actor=cast.alice
        )
    found = rows(run)
    # B and C are perfect: 100 each, sharing rank 1; A gets 50·25 + 20·0 + 15·0 + 15·100.
    assert (found[TOWN_B].score, found[TOWN_B].rank) == (Decimal("100.00"), 1)
    assert (found[TOWN_C].score, found[TOWN_C].rank) == (Decimal("100.00"), 1)
    assert (found[TOWN_A].score, found[TOWN_A].rank) == (Decimal("27.50"), 3)
    assert run.config == {"on_time": 50, "overdue": 20, "delay": 15, "orders": 15}


def test_a_town_without_tasks_due_is_listed_unranked(cast: Cast) -> None:
    october_tasks()
    with clock.frozen_at(NOV_23):
        run = compute_ranking(
            county_or_town=county(), period_kind="month", period_start=OCT, actor=cast.alice
        )
    idle = run.rows.get(division_id="370215104")  # 移风店镇
    assert (idle.due_count, idle.rank, idle.score, idle.on_time_rate) == (0, None, None, None)
    towns = Division.objects.filter(parent_id=COUNTY, valid_to__isnull=True).count()
    assert run.rows.count() == towns
    assert list(run.rows.values_list("rank", flat=True)[:3]) == [1, 1, 3]


def test_other_weights_give_other_scores(cast: Cast) -> None:
    october_tasks()
    RankingConfig.objects.create(
        county_id=COUNTY, weight_on_time=0, weight_overdue=1, weight_delay=0, weight_orders=0
    )
    with clock.frozen_at(NOV_23):
        run = compute_ranking(
            county_or_town=county(), period_kind="month", period_start=OCT, actor=cast.alice
        )
    assert rows(run)[TOWN_A].score == Decimal("0.00")
    assert run.config["overdue"] == 1


def test_it_ranks_the_villages_of_a_town(cast: Cast) -> None:
    october_tasks()
    with clock.frozen_at(NOV_23):
        run = compute_ranking(
            county_or_town=Division.objects.get(code=TOWN_A),
            period_kind="month",
            period_start=OCT,
            actor=cast.tom,
        )
    found = rows(run)
    assert found[VILLAGE_A].due_count == 1 and found[VILLAGE_A].rank == 1
    assert all(len(code) == 12 and code.startswith(TOWN_A) for code in found)


def test_it_keeps_history_and_shows_rank_changes(cast: Cast) -> None:
    make_task(TOWN_A, day(9, 10), day(9, 9))
    make_task(TOWN_B, day(9, 10))
    october_tasks()
    with clock.frozen_at(NOV_23):
        september = compute_ranking(
            county_or_town=county(), period_kind="month", period_start=SEP, actor=cast.alice
        )
        october = compute_ranking(
            county_or_town=county(), period_kind="month", period_start=OCT, actor=cast.alice
        )
    assert rows(september)[TOWN_A].rank == 1 and rows(september)[TOWN_B].rank == 2
    found = rows(october)
    assert (found[TOWN_A].previous_rank, found[TOWN_A].rank_change) == (1, -2)
    assert (found[TOWN_B].previous_rank, found[TOWN_B].rank_change) == (2, 1)
    assert found[TOWN_C].previous_rank is None and found[TOWN_C].rank_change is None
    assert RankingRun.objects.filter(scope_id=COUNTY).count() == 2


def test_recomputing_a_period_replaces_its_run_and_updates_the_next(cast: Cast) -> None:
    make_task(TOWN_A, day(9, 10), day(9, 9))
    make_task(TOWN_B, day(9, 10))
    october_tasks()
    with clock.frozen_at(NOV_23):
        september = compute_ranking(
            county_or_town=county(), period_kind="month", period_start=SEP, actor=cast.alice
        )
        compute_ranking(
            county_or_town=county(), period_kind="month", period_start=OCT, actor=cast.alice
        )
        # Town B's September task turns out done on time after all.
        from hemei.tasks.models import Task

        Task.objects.filter(division_id=TOWN_B, due_on=day(9, 10)).update(completed_on=day(9, 1))
        again = compute_ranking(
            county_or_town=county(), period_kind="month", period_start=SEP, actor=cast.alice
        )
    assert again.pk == september.pk
    assert RankingRun.objects.filter(scope_id=COUNTY, period_start=SEP).count() == 1
    assert rows(again)[TOWN_B].rank == 1
    october_b = RankingRow.objects.get(run__period_start=OCT, division_id=TOWN_B)
    assert (october_b.previous_rank, october_b.rank_change) == (1, 0)


def test_the_query_count_does_not_grow_with_the_towns(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    october_tasks()

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with clock.frozen_at(NOV_23), CaptureQueriesContext(connection) as queries:
            compute_ranking(
                county_or_town=county(), period_kind="month", period_start=OCT, actor=cast.alice
            )
        return len(queries)

    count_queries()  # the first run creates the period's run; the next ones replace it
    before = count_queries()
    for number in range(30):
        code = f"370215{700 + number}"
        Division.objects.create(code=code, name=f"新镇{number}", level=4, parent_id=COUNTY)
        make_task(code, day(10, 9), day(10, 8 if number % 2 else 12))
    after = count_queries()
    assert after == before
    assert RankingRun.objects.get().rows.count() >= 30
    with django_assert_max_num_queries(before), clock.frozen_at(NOV_23):
        compute_ranking(
            county_or_town=county(), period_kind="month", period_start=OCT, actor=cast.alice
        )


def test_it_refuses_who_may_not_compute_and_bad_input(cast: Cast) -> None:
    town_a = Division.objects.get(code=TOWN_A)
    with clock.frozen_at(NOV_23):
        with pytest.raises(PermissionDenied):
            compute_ranking(
                county_or_town=town_a, period_kind="month", period_start=OCT, actor=cast.owen
            )
        with pytest.raises(PermissionDenied):
            compute_ranking(
                county_or_town=county(), period_kind="month", period_start=OCT, actor=cast.tom
            )
        with pytest.raises(ValidationError):
            compute_ranking(
                county_or_town=Division.objects.get(code=VILLAGE_A),
                period_kind="month",
                period_start=OCT,
                actor=cast.alice,
            )
        with pytest.raises(ValidationError):
            compute_ranking(
                county_or_town=county(), period_kind="decade", period_start=OCT, actor=cast.alice
            )
        with pytest.raises(ValidationError):
            compute_ranking(
                county_or_town=county(),
                period_kind="month",
                period_start=day(12, 1),
                actor=cast.alice,
            )
    assert not RankingRun.objects.exists()


def test_scores_stay_within_0_and_100_and_ties_skip_ranks() -> None:
    units = [
        Figures("a", due=4, on_time=4),
        Figures("b", due=4, on_time=4),
        Figures("c", due=2, on_time=0, overdue=2, late=2, delay_days=10, orders=3),
        Figures("d"),
    ]
    ordered = score_and_rank(units, {"on_time": 50, "overdue": 20, "delay": 15, "orders": 15})
    assert [(u.code, u.rank, u.score) for u in ordered] == [
        ("a", 1, Decimal("100.00")),
        ("b", 1, Decimal("100.00")),
        ("c", 3, Decimal("0.00")),
        ("d", None, None),
    ]
    with pytest.raises(ValueError):
        score_and_rank(units, {"on_time": 0, "overdue": 0, "delay": 0, "orders": 0})


def test_the_demo_ranks_the_last_twelve_months(cast: Cast) -> None:
    from django.utils import timezone

    from hemei.rankings import demo

    make_task(TOWN_A, day(10, 10), day(10, 9))
    make_task(TOWN_B, day(11, 10))
    with clock.frozen_at(NOV_23):
        demo.load()
        demo.load()  # running it again replaces the same periods
    county_runs = RankingRun.objects.filter(scope_id=COUNTY).order_by("period_start")
    starts = [run.period_start for run in county_runs]
    assert len(starts) == 12 and starts[0] == dt.date(2025, 12, 1) and starts[-1] == day(11, 1)
    assert starts[-3:] == [day(9, 1), OCT, day(11, 1)]
    assert RankingRun.objects.filter(scope_id=TOWN_A).count() == 12
    # A past month was computed the morning after it ended; this month on the day.
    october = county_runs.get(period_start=OCT)
    assert timezone.localtime(october.computed_at).date() == day(11, 1)
    assert county_runs.get(period_start=day(11, 1)).computed_at == NOV_23
    assert RankingConfig.objects.get(county_id=COUNTY).number_prefix == "即振办"


def test_supervision_orders_of_the_period_count_against_a_town(cast: Cast) -> None:
    import datetime as dt

    from hemei.supervision.services import issue_order

    a = make_task(TOWN_A, day(10, 10), day(10, 9))
    b = make_task(TOWN_B, day(10, 10), day(10, 9))
    c = make_task(VILLAGE_A, day(10, 20), day(10, 20))  # town A's village
    for moment, task in (
        (dt.datetime(2026, 10, 2, 1, 0, tzinfo=dt.UTC), a),  # 2 Oct in Shanghai
        (dt.datetime(2026, 10, 31, 15, 30, tzinfo=dt.UTC), c),  # 31 Oct 23:30 in Shanghai
        (dt.datetime(2026, 10, 31, 16, 30, tzinfo=dt.UTC), b),  # already 1 November there
    ):
        with clock.frozen_at(moment):
            issue_order(task=task, actor=cast.alice, text="请抓紧推进", reply_due=day(12, 1))
    with clock.frozen_at(NOV_23):
        run = compute_ranking(
            county_or_town=county(), period_kind="month", period_start=OCT, actor=cast.alice
        )
    found = rows(run)
    assert (found[TOWN_A].orders_count, found[TOWN_B].orders_count) == (2, 0)
    # Both perfect on time; A's two orders cost it the orders part: 100 − 15 = 85.
    assert (found[TOWN_B].score, found[TOWN_B].rank) == (Decimal("100.00"), 1)
    assert (found[TOWN_A].score, found[TOWN_A].rank) == (Decimal("85.00"), 2)

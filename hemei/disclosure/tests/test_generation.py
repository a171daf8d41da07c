"""Due disclosures: the generator (idempotent, per period, overrides, unknown years), the
events other modules record, and the duty each opens on the one supervision ladder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.core import clock
from hemei.core.testing import TOWN_A, VILLAGE_A, VILLAGE_B, Cast
from hemei.disclosure import services, timing
from hemei.disclosure.choices import DisclosureState
from hemei.disclosure.models import CatalogueItem, Disclosure
from hemei.divisions.models import Division
from hemei.procedures import calendar
from hemei.supervision import services as supervision
from hemei.supervision.choices import StepKind
from hemei.supervision.models import Card, SupervisionOrder
from hemei.tasks.choices import Source, State
from hemei.tasks.models import Task

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def generate(day: dt.date) -> services.Generated:
    with clock.frozen_at(at(day)):
        return services.generate_due(today=day)


def test_it_creates_each_period_once_with_its_duty(cast: Cast, catalogue) -> None:
    first = generate(D(2026, 4, 2))
    rows = Disclosure.objects.filter(village_id=VILLAGE_A)
    codes = sorted(rows.filter(item__key="finance.monthly").values_list("slot", flat=True))
    assert codes == ["2026-01", "2026-02", "2026-03"]
    q1 = rows.get(item__key="finance.quarterly", slot="2026Q1")
    assert (q1.period_label, q1.due_on, q1.state) == ("2026年第一季度", D(2026, 4, 20), "due")
    assert rows.get(item__key="plan.yearly").due_on == D(2026, 3, 31)
    assert not rows.filter(item__key="land.pension").exists()  # H1 not over yet
    assert not rows.filter(item__key="project.major").exists()  # events come by record_event
    duty = q1.duty
    assert (duty.division_id, duty.due_on, duty.source) == (
        VILLAGE_A,
        D(2026, 4, 20),
        Source.DISCLOSURE,
    )
    assert "财务" in duty.title
    # again, the same day and later: nothing twice
    assert generate(D(2026, 4, 2)).created == 0
    assert rows.count() == first.created
    assert Task.objects.filter(source=Source.DISCLOSURE).count() == first.created
    assert generate(D(2026, 4, 3)).created == 0


def test_it_marks_late_ones_and_villages_that_do_not_follow_get_nothing(
    cast: Cast, catalogue
) -> None:
    generate(D(2026, 4, 2))
    result = generate(D(2026, 4, 21))
    assert result.marked_late >= 1
    late = Disclosure.objects.get(
        village_id=VILLAGE_A, item__key="finance.quarterly", slot="2026Q1"
    )
    assert late.state == DisclosureState.LATE
    assert not Disclosure.objects.filter(village_id=VILLAGE_B).exists()


def test_a_towns_item_replaces_the_countys_for_its_villages(cast: Cast, catalogue) -> None:
    county_item = CatalogueItem.objects.get(key="finance.monthly", division_id="370215")
    with clock.frozen_at(at(D(2026, 1, 5))):
        town_item = services.save_item(
            actor=cast.tom,
            division=Division.objects.get(code=TOWN_A),
            rule=timing.parse_timing("每月5日前"),
            number=1,
            key="finance.monthly",
            level1="集体财务",
            level2="月度财务收支（镇定）",
            content="上月收支明细",
            basis="",
            publisher="村集体经济组织",
            channel="公开栏",
            level="village",
            audience="public",
            mask_fields=[],
            valid_from=D(2026, 3, 1),
        )
    generate(D(2026, 4, 2))
    rows = Disclosure.objects.filter(village_id=VILLAGE_A, item__key="finance.monthly")
    assert dict(rows.values_list("slot", "item")) == {
        "2026-01": county_item.pk,
        "2026-02": county_item.pk,
        "2026-03": town_item.pk,
    }
    assert rows.get(slot="2026-03").due_on == D(2026, 4, 7)  # 04-05 is 清明 (04-04…06)


def test_a_year_without_a_known_schedule_is_reported_and_tried_again(
    cast: Cast, catalogue, monkeypatch
) -> None:
    from hemei.disclosure import selectors

    only_2025 = calendar.Schedule(library=False, added=[calendar.YearSchedule(2025)])
    monkeypatch.setattr(selectors, "schedule", lambda: only_2025)
    result = generate(D(2026, 2, 2))
    assert result.created == 0 and result.unknown
    assert "2026" in result.unknown[0][3]
    monkeypatch.undo()
    assert generate(D(2026, 2, 2)).created >= 1


def test_an_event_is_due_within_its_working_days_once(cast: Cast, catalogue) -> None:
    with clock.frozen_at(at(D(2026, 10, 9))):
        made = services.record_event(
            village=VILLAGE_A,
            item_key="decision.resolution",
            happened_on=D(2026, 9, 30),
            title="鱼塘发包",
        )
        again = services.record_event(
            village=VILLAGE_A,
            item_key="decision.resolution",
            happened_on=D(2026, 9, 30),
            title="鱼塘发包",
        )
    assert made == again
    assert made.due_on == D(2026, 10, 13)  # 5 working days: 10-08, 09, 10 (调休), 12, 13
    assert made.title == "“四议两公开”决议：鱼塘发包"
    assert made.duty.due_on == made.due_on
    # a village that does not follow the catalogue, an unknown key: nothing
    with clock.frozen_at(at(D(2026, 10, 9))):
        assert (
            services.record_event(
                village=VILLAGE_B,
                item_key="decision.resolution",
                happened_on=D(2026, 9, 30),
                title="x",
            )
            is None
        )
        assert (
            services.record_event(
                village=VILLAGE_A, item_key="no.such", happened_on=D(2026, 9, 30), title="x"
            )
            is None
        )
        with pytest.raises(ValidationError):
            services.record_event(
                village=VILLAGE_A, item_key="finance.monthly", happened_on=D(2026, 9, 30), title="x"
            )
        with pytest.raises(ValidationError):
            services.record_event(
                village=VILLAGE_A, item_key="project.major", happened_on=D(2026, 10, 10), title="x"
            )
        with pytest.raises(PermissionDenied):
            services.record_event(
                village=VILLAGE_A,
                item_key="project.major",
                happened_on=D(2026, 10, 1),
                title="x",
                actor=cast.owen,
            )


def test_an_event_past_the_known_schedule_is_refused(cast: Cast, catalogue, monkeypatch) -> None:
    from hemei.disclosure import selectors

    monkeypatch.setattr(selectors, "schedule", lambda: calendar.Schedule(library=False))
    with clock.frozen_at(at(D(2026, 10, 9))), pytest.raises(ValidationError) as caught:
        services.record_event(
            village=VILLAGE_A,
            item_key="project.major",
            happened_on=D(2026, 10, 1),
            title="村道硬化",
        )
    assert "2026" in caught.value.messages[0]
    assert not Disclosure.objects.exists()


def climb(day: dt.date) -> dict[str, int]:
    with clock.frozen_at(at(day)):
        return supervision.climb_ladder(today=day)


def test_a_late_disclosure_climbs_the_ladder_and_publishing_stops_it(cast: Cast, catalogue) -> None:
    generate(D(2026, 4, 2))
    late = Disclosure.objects.get(
        village_id=VILLAGE_A, item__key="finance.quarterly", slot="2026Q1"
    )
    other = Disclosure.objects.get(
        village_id=VILLAGE_A, item__key="finance.monthly", slot="2026-03"
    )
    with clock.frozen_at(at(D(2026, 4, 8))):
        services.publish(
            actor=cast.victor, disclosure=other, published_on=D(2026, 4, 8), text="3月收支表"
        )
    other.refresh_from_db()
    assert other.state == DisclosureState.PUBLISHED and other.duty.state == State.DONE
    assert other.duty.completed_on == D(2026, 4, 8)
    assert climb(D(2026, 4, 21))[StepKind.YELLOW_CARD] >= 1
    assert Card.objects.filter(task=late.duty).exists()
    climb(D(2026, 5, 4))
    assert SupervisionOrder.objects.filter(task=late.duty).exists()
    assert not Card.objects.filter(task=other.duty).exists()
    assert not SupervisionOrder.objects.filter(task=other.duty).exists()

"""Task services: create, fan out, roll-up, lights and deadlines, driven by the platform clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, Cast
from hemei.divisions.models import Division
from hemei.tasks import services
from hemei.tasks.choices import EventKind, Light, State
from hemei.tasks.models import Program, Task

pytestmark = pytest.mark.django_db

MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def county_task(cast: Cast, **fields) -> Task:
    defaults = {
        "title": "完成农村户厕改造",
        "due_on": dt.date(2026, 6, 30),
        "start_on": dt.date(2026, 3, 1),
    }
    defaults.update(fields)
    return services.create_task(
        actor=cast.alice, division=Division.objects.get(code=COUNTY), **defaults
    )


def test_fan_out_makes_one_part_per_town_inheriting_the_task(cast: Cast) -> None:
    with clock.frozen_at(MORNING):
        program = Program.objects.create(name="六大攻坚战")
        task = county_task(
            cast,
            programs=[program],
            co_units=[cast.unit],
            lead_leader=cast.lily,
            milestones=[("摸底", dt.date(2026, 4, 1), 1)],
        )
        parts = services.fan_out(actor=cast.alice, task=task)
    towns = Division.objects.current().filter(level=4).within(COUNTY)
    assert {p.division_id for p in parts} == set(towns.values_list("code", flat=True))
    part = Task.objects.get(parent=task, division_id=TOWN_A)
    assert part.title == task.title and part.lead_leader == cast.lily
    assert list(part.programs.all()) == [program]
    assert list(part.co_units.all()) == [cast.unit]
    assert part.milestones.get().name == "摸底"
    assert task.events.filter(kind=EventKind.FANNED_OUT).exists()
    assert services.fan_out(actor=cast.alice, task=task) == []  # twice adds nothing


def test_approved_progress_rolls_up_and_shows_which_towns_lag(cast: Cast) -> None:
    with clock.frozen_at(MORNING):
        task = county_task(cast)
        services.fan_out(actor=cast.alice, task=task, codes=[TOWN_A, TOWN_B])
        part_a = task.children.get(division_id=TOWN_A)
        services.record_progress(task=part_a, percent=100, actor=cast.alice)
    task.refresh_from_db()
    part_a.refresh_from_db()
    assert part_a.state == State.DONE and part_a.completed_on == MORNING.date()
    assert task.progress == Decimal(50)
    assert task.state == State.IN_PROGRESS
    lagging = task.children.exclude(state=State.DONE).get()
    assert lagging.division_id == TOWN_B


def test_lights_follow_the_clock(cast: Cast) -> None:
    with clock.frozen_at(MORNING):
        task = county_task(cast, due_on=dt.date(2026, 3, 20))
    assert task.light == Light.GREEN
    assert services.refresh_lights(today=dt.date(2026, 3, 15)) >= 1
    task.refresh_from_db()
    assert (task.state, task.light) == (State.NOT_STARTED, Light.YELLOW)
    services.refresh_lights(today=dt.date(2026, 3, 21))
    task.refresh_from_db()
    assert (task.state, task.light) == (State.OVERDUE, Light.RED)
    kinds = list(task.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.LIGHT_CHANGED) == 2


def test_only_managers_create_and_parts_stay_inside(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.create_task(
            actor=cast.owen,
            division=Division.objects.get(code=TOWN_A),
            title="x",
            due_on=dt.date(2026, 5, 1),
        )
    with pytest.raises(PermissionDenied):
        services.create_task(
            actor=cast.victor,
            division=Division.objects.get(code=TOWN_A),
            title="x",
            due_on=dt.date(2026, 5, 1),
        )
    parent = services.create_task(
        actor=cast.tom,
        division=Division.objects.get(code=TOWN_A),
        title="x",
        due_on=dt.date(2026, 5, 1),
    )
    with pytest.raises(ValidationError):
        services.create_task(
            actor=cast.alice,
            division=Division.objects.get(code=TOWN_B),
            parent=parent,
            title="y",
            due_on=dt.date(2026, 5, 1),
        )
    with pytest.raises(ValidationError):
        services.create_task(
            actor=cast.tom,
            division=Division.objects.get(code=TOWN_A),
            title="z",
            start_on=dt.date(2026, 6, 1),
            due_on=dt.date(2026, 5, 1),
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_stored_roll_up_equals_the_rule_whatever_the_order_of_approvals(
    cast: Cast, seed: int
) -> None:
    import random

    from hemei.tasks import rules

    rng = random.Random(seed)
    county = Division.objects.get(code=COUNTY)
    town = Division.objects.get(code=TOWN_A)
    with clock.frozen_at(MORNING):
        root = county_task(cast)
        nodes = [root]
        for index in range(12):
            parent = rng.choice(nodes)
            division = county if index % 2 else town
            if not division.code.startswith(parent.division_id):
                division = Division.objects.get(code=parent.division_id)
            nodes.append(
                services.create_task(
                    actor=cast.alice,
                    division=division,
                    parent=parent,
                    title=f"子任务{index}",
                    due_on=dt.date(2026, 6, 30),
                    weight=Decimal(rng.randint(0, 5)),
                )
            )
        leaves = [n for n in nodes if not Task.objects.filter(parent=n).exists()]
        values = {leaf.pk: Decimal(rng.randint(0, 100)) for leaf in leaves}
        for order in (leaves, list(reversed(leaves))):
            for leaf in order:
                services.record_progress(task=leaf, percent=values[leaf.pk], actor=cast.alice)
            root.refresh_from_db()

            def expected(task: Task) -> Decimal:
                children = list(Task.objects.filter(parent=task))
                if not children:
                    return values[task.pk]
                return rules.rolled_up([(c.weight, expected(c)) for c in children])

            assert root.progress == expected(root)
            assert Decimal(0) <= root.progress <= Decimal(100)


def test_who_may_manage_report_and_review(cast: Cast) -> None:
    from hemei.accounts.policy import allows, allows_at

    with clock.frozen_at(MORNING):
        task = county_task(cast, lead_leader=cast.lily)
        part = services.fan_out(actor=cast.alice, task=task, codes=[TOWN_A])[0]
    assert allows_at(cast.alice, "manage_tasks", COUNTY) and allows_at(
        cast.tom, "manage_tasks", TOWN_A
    )
    assert not allows_at(cast.tom, "manage_tasks", COUNTY) and not allows_at(
        cast.victor, "manage_tasks", TOWN_A
    )
    assert allows(cast.tom, "report", part) and not allows(cast.owen, "report", part)
    assert allows(cast.alice, "review", part) and allows(cast.dan, "review", part)
    assert not allows(cast.tom, "review", part)  # a town does not approve its own part
    assert allows(cast.alice, "review", task) and allows(cast.lily, "review", task)
    assert not allows(cast.dan, "review", task)  # department staff do not review at their own level


def test_a_new_deadline_turns_a_red_task_green_and_stays_on_the_timeline(cast: Cast) -> None:
    with clock.frozen_at(MORNING):
        task = county_task(cast, due_on=dt.date(2026, 3, 1), start_on=dt.date(2026, 2, 1))
    assert task.light == Light.RED
    with clock.frozen_at(MORNING):
        services.change_deadline(
            task=task, due_on=dt.date(2026, 5, 31), actor=cast.lily, reason="雨季施工推迟"
        )
    task.refresh_from_db()
    assert (task.state, task.light) == (State.NOT_STARTED, Light.GREEN)
    event = task.events.get(kind=EventKind.DEADLINE_CHANGED)
    assert event.data == {"before": "2026-03-01", "after": "2026-05-31"}
    assert event.text == "雨季施工推迟"


def test_milestones_change_until_they_are_reached(cast: Cast) -> None:
    with clock.frozen_at(MORNING):
        task = county_task(
            cast, milestones=[("摸底", dt.date(2026, 4, 1), 1), ("建设", dt.date(2026, 6, 1), 2)]
        )
        survey, _build = task.milestones.order_by("due_on")
        services.set_milestones(
            actor=cast.alice,
            task=task,
            rows=[
                (survey.pk, "摸底排查", dt.date(2026, 4, 10), 1),
                (None, "验收", dt.date(2026, 6, 30), 1),
            ],
        )
        assert [m.name for m in task.milestones.order_by("due_on")] == ["摸底排查", "验收"]
        event = task.events.filter(kind=EventKind.CHANGED).last()
        assert event.data["milestones"] == {
            "added": ["验收"],
            "changed": ["摸底排查"],
            "removed": ["建设"],
        }
        services.record_progress(task=task, percent=20, milestones=[survey], actor=cast.alice)
        with pytest.raises(ValidationError):
            services.set_milestones(actor=cast.alice, task=task, rows=[])
        with pytest.raises(ValidationError):
            services.set_milestones(
                actor=cast.alice, task=task, rows=[(survey.pk, "改名", dt.date(2026, 4, 10), 1)]
            )
        with pytest.raises(PermissionDenied):
            services.set_milestones(actor=cast.tom, task=task, rows=[])
    assert task.milestones.count() == 2


def test_a_town_cannot_move_the_deadline_the_county_handed_down(cast: Cast) -> None:
    with clock.frozen_at(MORNING):
        task = county_task(cast)
        part = services.fan_out(actor=cast.alice, task=task, codes=[TOWN_A])[0]
        services.update_task(actor=cast.tom, task=part, description="分三批推进")
        with pytest.raises(PermissionDenied):
            services.update_task(actor=cast.tom, task=part, due_on=dt.date(2026, 9, 30))
        with pytest.raises(PermissionDenied):
            services.update_task(actor=cast.tom, task=part, weight=Decimal(5))
        services.update_task(actor=cast.alice, task=part, due_on=dt.date(2026, 9, 30))
    part.refresh_from_db()
    assert part.due_on == dt.date(2026, 9, 30) and part.description == "分三批推进"

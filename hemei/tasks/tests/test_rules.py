"""Property tests of the roll-up, state and light rules (pure functions, any input)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hemei.tasks import rules
from hemei.tasks.choices import Light, State

weights = st.decimals(min_value=0, max_value=1000, places=2)
percents = st.decimals(min_value=-50, max_value=150, places=2)  # the rule clamps stray input
leaf = st.tuples(weights, percents)
trees = st.recursive(
    leaf,
    lambda children: st.tuples(weights, st.lists(children, min_size=1, max_size=6)),
    max_leaves=40,
)


def progress_of(node: tuple) -> Decimal:
    _weight, body = node
    if isinstance(body, list):
        return rules.rolled_up([(child[0], progress_of(child)) for child in body])
    return rules.clamp_percent(body)


def shuffled(node: tuple, draw_order: st.DataObject) -> tuple:
    weight, body = node
    if isinstance(body, list):
        children = [shuffled(child, draw_order) for child in body]
        return weight, draw_order.draw(st.permutations(children))
    return node


@given(trees)
def test_any_tree_rolls_up_within_0_and_100(tree: tuple) -> None:
    assert Decimal(0) <= progress_of(tree) <= Decimal(100)


@given(trees, st.data())
def test_the_order_of_children_does_not_matter(tree: tuple, data: st.DataObject) -> None:
    assert progress_of(shuffled(tree, data)) == progress_of(tree)


@given(st.lists(percents, min_size=1, max_size=20), weights.filter(lambda w: w > 0))
def test_equal_weights_give_the_plain_mean(values: list[Decimal], weight: Decimal) -> None:
    expected = rules.clamp_percent(
        sum(rules.clamp_percent(v) for v in values) / Decimal(len(values))
    )
    assert rules.rolled_up([(weight, v) for v in values]) == expected


def test_weights_decide_the_share() -> None:
    assert rules.rolled_up([(Decimal(3), Decimal(100)), (Decimal(1), Decimal(0))]) == Decimal(75)
    assert rules.rolled_up([(Decimal(0), Decimal(100)), (Decimal(0), Decimal(0))]) == Decimal(50)
    assert rules.rolled_up([]) == Decimal(0)


dates = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))


@settings(max_examples=300)
@given(percents, dates, dates, dates, st.integers(0, 60), st.integers(0, 50))
def test_light_agrees_with_state(
    progress: Decimal, start: dt.date, due: dt.date, today: dt.date, days: int, lag: int
) -> None:
    progress = rules.clamp_percent(progress)
    policy = rules.Policy(yellow_days=days, lag_points=lag)
    state = rules.state_of(progress, due, today)
    light = rules.light_of(progress, start, due, today, policy)
    assert (light == Light.RED) == (state == State.OVERDUE)
    if state == State.DONE:
        assert light == Light.GREEN
    if light == Light.YELLOW:
        assert (due - today).days <= days


def test_yellow_means_near_and_behind() -> None:
    policy = rules.Policy(yellow_days=7, lag_points=10)
    start, due = dt.date(2026, 1, 1), dt.date(2026, 1, 31)
    today = dt.date(2026, 1, 28)  # 90% of the time gone, 3 days left
    assert rules.light_of(Decimal(85), start, due, today, policy) == Light.GREEN
    assert rules.light_of(Decimal(79), start, due, today, policy) == Light.YELLOW
    assert rules.light_of(Decimal(0), start, due, dt.date(2026, 1, 10), policy) == Light.GREEN
    assert rules.light_of(Decimal(99), start, due, dt.date(2026, 2, 1), policy) == Light.RED
    assert rules.light_of(Decimal(100), start, due, dt.date(2026, 2, 1), policy) == Light.GREEN

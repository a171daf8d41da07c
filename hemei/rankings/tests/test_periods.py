"""Ranking periods: weeks from Monday, calendar months, quarters and years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from hemei.rankings.periods import next_start, period_bounds, period_label, previous_start


@pytest.mark.parametrize(
    ("kind", "day", "bounds"),
    [
        ("week", dt.date(2026, 11, 23), (dt.date(2026, 11, 23), dt.date(2026, 11, 29))),
        ("week", dt.date(2026, 11, 29), (dt.date(2026, 11, 23), dt.date(2026, 11, 29))),
        ("month", dt.date(2026, 2, 14), (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
        ("month", dt.date(2026, 12, 31), (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
        ("quarter", dt.date(2026, 11, 23), (dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
        ("quarter", dt.date(2026, 2, 1), (dt.date(2026, 1, 1), dt.date(2026, 3, 31))),
        ("year", dt.date(2026, 6, 6), (dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
    ],
)
def test_a_period_is_the_one_containing_the_day(
    kind: str, day: dt.date, bounds: tuple[dt.date, dt.date]
) -> None:
    assert period_bounds(kind, day) == bounds


def test_periods_follow_one_another() -> None:
    assert previous_start("month", dt.date(2026, 1, 1)) == dt.date(2025, 12, 1)
    assert previous_start("quarter", dt.date(2026, 1, 1)) == dt.date(2025, 10, 1)
    assert previous_start("week", dt.date(2026, 11, 23)) == dt.date(2026, 11, 16)
    assert next_start("month", dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)
    with pytest.raises(ValueError):
        period_bounds("decade", dt.date(2026, 1, 1))


def test_periods_are_named_the_way_people_say_them() -> None:
    with translation.override("zh-hans"):
        assert period_label("month", dt.date(2026, 11, 1)) == "2026年11月"
        assert period_label("quarter", dt.date(2026, 10, 1)) == "2026年第4季度"
        assert period_label("week", dt.date(2026, 11, 23)) == "2026年第48周"
        assert period_label("year", dt.date(2026, 1, 1)) == "2026年"

"""The working-day clock against the State Council's notices, and its counting rules.

The dates below are those of the notices (国务院办公厅关于2024年/2025年/2026年部分节假日安排的
通知): each holiday season's rest days and its adjusted working weekends (调休).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemei.procedures.calendar import (
    LIBRARY,
    LIBRARY_YEARS,
    Schedule,
    ScheduleUnknown,
    YearSchedule,
    add_days,
    add_workdays,
    describe_years,
    is_workday,
    workdays_between,
)

D = dt.date


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(n) for n in range((last - first).days + 1)]


# --------------------------------------------------------------------------- the notices

#: (rest days, adjusted working days) of each season, as the notices give them
SEASONS = {
    "2024 Spring Festival": (days(D(2024, 2, 10), D(2024, 2, 17)), [D(2024, 2, 4), D(2024, 2, 18)]),
    "2024 Qingming": (days(D(2024, 4, 4), D(2024, 4, 6)), [D(2024, 4, 7)]),
    "2024 Labour Day": (days(D(2024, 5, 1), D(2024, 5, 5)), [D(2024, 4, 28), D(2024, 5, 11)]),
    "2024 Mid-Autumn": (days(D(2024, 9, 15), D(2024, 9, 17)), [D(2024, 9, 14)]),
    "2024 National Day": (days(D(2024, 10, 1), D(2024, 10, 7)), [D(2024, 9, 29), D(2024, 10, 12)]),
    "2025 Spring Festival": (days(D(2025, 1, 28), D(2025, 2, 4)), [D(2025, 1, 26), D(2025, 2, 8)]),
    "2025 Labour Day": (days(D(2025, 5, 1), D(2025, 5, 5)), [D(2025, 4, 27)]),
    "2025 National Day": (days(D(2025, 10, 1), D(2025, 10, 8)), [D(2025, 9, 28), D(2025, 10, 11)]),
    "2026 New Year": (days(D(2026, 1, 1), D(2026, 1, 3)), [D(2026, 1, 4)]),
    "2026 Spring Festival": (
        days(D(2026, 2, 15), D(2026, 2, 23)),
        [D(2026, 2, 14), D(2026, 2, 28)],
    ),
    "2026 Labour Day": (days(D(2026, 5, 1), D(2026, 5, 5)), [D(2026, 5, 9)]),
    "2026 National Day": (days(D(2026, 10, 1), D(2026, 10, 7)), [D(2026, 9, 20), D(2026, 10, 10)]),
}


@pytest.mark.parametrize("season", SEASONS)
def test_it_rests_on_the_holidays_and_works_the_adjusted_weekends(season: str) -> None:
    rest, worked = SEASONS[season]
    assert [d for d in rest if is_workday(d)] == []
    assert all(d.weekday() >= 5 for d in worked)  # the 调休 days are weekend days …
    assert [d for d in worked if not is_workday(d)] == []  # … that are worked


def test_new_years_eve_2024_was_a_working_day() -> None:
    # The 2024 notice only encouraged rest on 除夕 (2024-02-09, a Friday).
    assert is_workday(D(2024, 2, 9))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 2024 Spring Festival: the working Sundays count, the week of rest does not.
        (D(2024, 2, 2), 1, D(2024, 2, 4)),
        (D(2024, 2, 8), 1, D(2024, 2, 9)),
        (D(2024, 2, 8), 2, D(2024, 2, 18)),
        (D(2024, 2, 8), 3, D(2024, 2, 19)),
        # 2024 National Day
        (D(2024, 9, 27), 1, D(2024, 9, 29)),
        (D(2024, 9, 30), 1, D(2024, 10, 8)),
        (D(2024, 10, 11), 1, D(2024, 10, 12)),
        # 2025 Spring Festival and National Day
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 2, 7), 1, D(2025, 2, 8)),
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 10, 10), 1, D(2025, 10, 11)),
        # 2026 Spring Festival (nine days) and National Day
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 27), 1, D(2026, 2, 28)),
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        # a time limit across a season: 10 working days from the eve of the 2025 holidays
        (D(2025, 1, 27), 10, D(2025, 2, 17)),
        # zero is the start itself, working day or not
        (D(2024, 10, 3), 0, D(2024, 10, 3)),
        # backwards: the working day from which n working days reach the start
        (D(2024, 10, 8), -3, D(2024, 9, 27)),
        (D(2024, 10, 5), -3, D(2024, 9, 26)),
    ],
)
def test_it_adds_working_days_across_the_holiday_seasons(
    start: dt.date, n: int, expected: dt.date
) -> None:
    assert add_workdays(start, n) == expected
    assert workdays_between(start, expected) == n


def test_it_counts_the_working_days_of_whole_years() -> None:
    # As reported with the notices: 251 working days in 2024, 248 in 2025.
    assert workdays_between(D(2023, 12, 31), D(2024, 12, 31)) == 251
    assert workdays_between(D(2024, 12, 31), D(2025, 12, 31)) == 248


def test_it_counts_after_the_first_date_up_to_the_second() -> None:
    # (Thu 2024-02-08, Mon 2024-02-19]: Fri the 9th, Sun the 18th (worked), Mon the 19th.
    assert workdays_between(D(2024, 2, 8), D(2024, 2, 19)) == 3
    assert workdays_between(D(2024, 2, 19), D(2024, 2, 8)) == -3
    assert workdays_between(D(2024, 2, 10), D(2024, 2, 17)) == 0
    assert workdays_between(D(2024, 2, 9), D(2024, 2, 9)) == 0


def test_calendar_days_are_plain_days() -> None:
    assert add_days(D(2024, 9, 30), 5, workdays=False) == D(2024, 10, 5)
    assert add_days(D(2024, 9, 30), 5, workdays=True) == D(2024, 10, 12)


# --------------------------------------------------------------------------- unknown years


def test_the_library_knows_2004_to_2026() -> None:
    assert (LIBRARY_YEARS.start, LIBRARY_YEARS.stop - 1) == (2004, 2026)
    assert describe_years(LIBRARY.known_years()) == "2004–2026"


@pytest.mark.parametrize(
    "call",
    [
        lambda: is_workday(D(2027, 1, 4)),
        lambda: add_workdays(D(2026, 12, 28), 5),  # runs into 2027
        lambda: add_workdays(D(2004, 1, 5), -5),  # runs back into 2003
        lambda: workdays_between(D(2026, 12, 1), D(2027, 1, 10)),
        lambda: workdays_between(D(2003, 12, 30), D(2004, 1, 10)),
        lambda: add_workdays(dt.date.max, 1),  # the last date there is
        lambda: add_workdays(dt.date.min, -1),
    ],
)
def test_a_date_beyond_every_known_schedule_is_an_error(call) -> None:
    with pytest.raises(ScheduleUnknown, match="2004–2026"):
        call()


def test_the_error_names_the_year_and_what_is_known() -> None:
    with pytest.raises(ScheduleUnknown) as raised:
        is_workday(D(2027, 3, 1))
    assert raised.value.day == D(2027, 3, 1)
    assert "2027" in str(raised.value)


#: A 2027 as an administrator might enter it from the notice (the dates are the test's own).
YEAR_2027 = YearSchedule(
    year=2027,
    holidays=frozenset([D(2027, 1, 1), *days(D(2027, 2, 5), D(2027, 2, 11))]),
    workdays=frozenset([D(2027, 2, 13)]),
    source="国办发明电〔2026〕1号",
)


def test_an_added_year_makes_it_computable() -> None:
    schedule = Schedule([YEAR_2027])
    assert schedule.known_years()[-2:] == [2026, 2027]
    assert not schedule.is_workday(D(2027, 1, 1))  # a Friday holiday
    assert schedule.is_workday(D(2027, 2, 13))  # a worked Saturday
    assert schedule.is_workday(D(2027, 3, 1))  # an ordinary Monday
    assert not schedule.is_workday(D(2027, 3, 6))  # an ordinary Saturday
    # across the turn of the year: Thu 2026-12-31, then Mon 2027-01-04
    assert add_workdays(D(2026, 12, 30), 2, schedule) == D(2027, 1, 4)
    assert add_workdays(D(2027, 2, 4), 1, schedule) == D(2027, 2, 12)
    assert add_workdays(D(2027, 2, 12), 1, schedule) == D(2027, 2, 13)
    with pytest.raises(ScheduleUnknown, match="2004–2027"):
        add_workdays(D(2027, 12, 30), 5, schedule)


def test_an_added_year_replaces_the_library_year() -> None:
    # 2020: the Spring Festival was extended to 2 February (国办发明电〔2020〕1号).
    extended = Schedule(
        [YearSchedule(2020, holidays=frozenset(days(D(2020, 1, 24), D(2020, 2, 2))))]
    )
    assert LIBRARY.is_workday(D(2020, 1, 19))  # the library's working Sunday …
    assert not extended.is_workday(D(2020, 1, 19))  # … is not in the replacing year
    assert not extended.is_workday(D(2020, 1, 31))


def test_a_year_schedule_names_its_problems() -> None:
    bad = YearSchedule(
        2027,
        holidays=frozenset([D(2026, 12, 31), D(2027, 1, 1)]),
        workdays=frozenset([D(2027, 1, 1)]),
    )
    assert bad.problems() == [
        "dates outside 2027: 2026-12-31",
        "both holiday and working day: 2027-01-01",
    ]
    assert YEAR_2027.problems() == []


# --------------------------------------------------------------------------- properties

# Far enough inside 2004–2026 that ±250 working days stay known.
starts = st.dates(min_value=D(2006, 1, 1), max_value=D(2024, 12, 31))
counts = st.integers(min_value=-250, max_value=250)


@given(starts, counts)
def test_adding_then_counting_round_trips(start: dt.date, n: int) -> None:
    assert workdays_between(start, add_workdays(start, n)) == n


@given(starts, st.integers(min_value=1, max_value=250))
def test_n_working_days_later_is_a_working_day_after_the_start(start: dt.date, n: int) -> None:
    later = add_workdays(start, n)
    assert later > start and is_workday(later)
    assert add_workdays(start, n - 1) < later


@given(starts, starts)
def test_counting_then_adding_reaches_a_working_day(a: dt.date, b: dt.date) -> None:
    # (0 working days back from a rest day stays on it: the only exception)
    n = workdays_between(a, b)
    if is_workday(b) and (n or a == b):
        assert add_workdays(a, n) == b


@given(starts, starts, starts)
def test_counting_is_additive(a: dt.date, b: dt.date, c: dt.date) -> None:
    assert workdays_between(a, b) + workdays_between(b, c) == workdays_between(a, c)


def naive_add(start: dt.date, n: int) -> dt.date:
    """The convention read literally, one day at a time (the reference for the fast code)."""
    day, step = start, (1 if n >= 0 else -1)
    if n < 0:  # the (-n + 1)-th working day at or before the start
        remaining = -n + 1
        while True:
            if is_workday(day):
                remaining -= 1
                if not remaining:
                    return day
            day -= dt.timedelta(1)
    remaining = n
    while remaining:
        day += dt.timedelta(step)
        remaining -= is_workday(day)
    return day


def naive_between(a: dt.date, b: dt.date) -> int:
    if b < a:
        return -naive_between(b, a)
    return sum(is_workday(d) for d in days(a + dt.timedelta(1), b)) if a < b else 0


near_turns = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 12, 31))


@given(near_turns, st.integers(min_value=-40, max_value=40))
def test_it_adds_as_counting_one_day_at_a_time_does(start: dt.date, n: int) -> None:
    try:
        expected = naive_add(start, n)
    except ScheduleUnknown:
        with pytest.raises(ScheduleUnknown):
            add_workdays(start, n)
    else:
        assert add_workdays(start, n) == expected


@given(near_turns, st.integers(min_value=-90, max_value=90))
def test_it_counts_as_counting_one_day_at_a_time_does(a: dt.date, offset: int) -> None:
    b = a + dt.timedelta(offset)
    try:
        expected = naive_between(a, b)
    except ScheduleUnknown:
        with pytest.raises(ScheduleUnknown):
            workdays_between(a, b)
    else:
        assert workdays_between(a, b) == expected


def test_the_day_before_the_first_known_year_may_start_a_count() -> None:
    # (2003-12-31, …] holds only days of 2004
    assert add_workdays(D(2003, 12, 31), 1) == naive_add(D(2003, 12, 31), 1) == D(2004, 1, 2)
    assert workdays_between(D(2003, 12, 31), D(2004, 1, 2)) == 1

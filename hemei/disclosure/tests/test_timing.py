"""Timing rules: due dates across month, quarter and year ends and the official holidays
(real 2025–2026 schedules), the wording read back, and the clock's unknown years."""

from __future__ import annotations

import datetime as dt

import pytest

from hemei.disclosure import timing
from hemei.disclosure.timing import TimingRule, parse_timing
from hemei.procedures import calendar

D = dt.date


def due(rule: TimingRule, day: dt.date) -> dt.date:
    return rule.due_on(rule.period_of(day))


def test_quarterly_is_due_by_the_20th_of_the_quarters_first_month() -> None:
    rule = parse_timing("每季度的首个月20日")  # Zhejiang's wording
    assert rule == TimingRule(timing.QUARTERLY, day=20)
    q4 = rule.period_of(D(2025, 12, 31))
    assert (q4.code, q4.label, q4.start, q4.end) == (
        "2025Q4",
        "2025年第四季度",
        D(2025, 10, 1),
        D(2025, 12, 31),
    )
    assert rule.due_on(q4) == D(2026, 1, 20)  # across the year end, a Tuesday
    assert due(rule, D(2026, 2, 1)) == D(2026, 4, 20)
    # 2025-07-20 is a Sunday: the first working day after it
    assert due(rule, D(2025, 5, 5)) == D(2025, 7, 21)
    # Q3 2026 after 国庆: the 20th of October is a working Tuesday
    assert due(rule, D(2026, 9, 30)) == D(2026, 10, 20)


def test_monthly_moves_off_the_spring_festival_unless_told_not_to() -> None:
    rule = parse_timing("每月15日前公开上月情况")
    january = rule.period_of(D(2026, 1, 31))
    assert (january.opens_on, january.nominal_due) == (D(2026, 2, 1), D(2026, 2, 15))
    assert rule.due_on(january) == D(2026, 2, 24)  # 2026-02-15 … 23 is the holiday
    fixed = parse_timing("每月15日前（遇节假日不顺延）")
    assert fixed.due_on(fixed.period_of(D(2026, 1, 5))) == D(2026, 2, 15)
    # 2026-10-10 is a Saturday worked in exchange for 国庆 (调休): it stays
    assert due(parse_timing("每月10日前"), D(2026, 9, 1)) == D(2026, 10, 10)
    # December's disclosure falls in January of the next year
    assert rule.period_of(D(2025, 12, 3)).nominal_due == D(2026, 1, 15)


def test_half_yearly_and_yearly() -> None:
    half = parse_timing("每半年，于1月、7月15日前公开上一个半年情况")
    h2 = half.period_of(D(2025, 8, 1))
    assert (h2.code, h2.label, half.due_on(h2)) == ("2025H2", "2025年下半年", D(2026, 1, 15))
    assert due(half, D(2026, 3, 1)) == D(2026, 7, 15)
    yearly = parse_timing("每年3月31日前")
    year = yearly.period_of(D(2026, 6, 1))
    assert (year.code, year.opens_on, yearly.due_on(year)) == (
        "2026",
        D(2026, 1, 1),
        D(2026, 3, 31),
    )
    # 2025-06-30 is a Monday; 2024-03-31 a Sunday → 2024-04-01
    assert due(parse_timing("每年6月30日前"), D(2025, 1, 1)) == D(2025, 6, 30)
    assert due(yearly, D(2024, 5, 5)) == D(2024, 4, 1)


def test_event_rules_count_working_days_across_national_day() -> None:
    rule = parse_timing("信息形成或变更之日起20个工作日内")
    assert rule == TimingRule(timing.EVENT, workdays=20)
    # 2026-09-30 (Wed) + 3 working days: 10-01…07 are the holiday, 10-08, 09, 10 (a 调休 Saturday)
    assert TimingRule(timing.EVENT, workdays=3).due_after(D(2026, 9, 30)) == D(2026, 10, 10)
    assert calendar.workdays_between(D(2026, 9, 30), rule.due_after(D(2026, 9, 30))) == 20
    at_once = parse_timing("随时公布")
    assert at_once == TimingRule(timing.AT_ONCE, workdays=timing.AT_ONCE_WORKDAYS)
    assert at_once.workdays == 1  # "at once" is read as within one working day
    assert at_once.due_after(D(2025, 9, 30)) == D(2025, 10, 9)  # 国庆+中秋 2025: 10-01…08
    assert parse_timing("随时公开（3个工作日内）").due_after(D(2026, 4, 30)) == D(2026, 5, 8)


def test_a_date_past_the_known_schedule_is_an_error_not_a_guess() -> None:
    last = max(calendar.LIBRARY_YEARS)
    rule = parse_timing("每月10日前")
    december = rule.period_of(D(last, 12, 1))
    with pytest.raises(calendar.ScheduleUnknown):
        rule.due_on(december)
    with pytest.raises(calendar.ScheduleUnknown):
        parse_timing("信息形成或变更之日起5个工作日内").due_after(D(last, 12, 30))


def test_periods_owed_start_with_the_first_whole_period() -> None:
    rule = parse_timing("每季度首月20日前")
    owed = rule.periods_between(D(2026, 2, 10), D(2026, 10, 1))
    assert [p.code for p in owed] == ["2026Q2", "2026Q3"]  # Q1 was under way
    assert [p.code for p in rule.periods_between(D(2026, 1, 1), D(2026, 3, 31))] == []
    assert rule.next_period(D(2026, 12, 6)).code == "2026Q4"
    monthly = parse_timing("每月10日前")
    assert len(monthly.periods_between(D(2026, 1, 1), D(2026, 12, 6))) == 11


@pytest.mark.parametrize(
    "text",
    [
        "每月10日前公开上月情况",
        "每季度首月20日前公开上季度情况",
        "每半年，于1月、7月15日前公开上一个半年情况",
        "每年3月31日前",
        "每年6月30日前（遇节假日不顺延）",
        "信息形成或变更之日起20个工作日内",
        "随时公开",
        "随时公开（3个工作日内）",
    ],
)
def test_the_written_rule_reads_back(text: str) -> None:
    rule = parse_timing(text)
    assert rule.text() == text
    assert parse_timing(rule.text()) == rule


@pytest.mark.parametrize("text", ["", "每周一", "每月40日前", "每年2月30日前", "之日起0个工作日内"])
def test_text_that_makes_no_rule_is_refused(text: str) -> None:
    with pytest.raises(timing.BadTiming):
        parse_timing(text)

"""When a disclosure is due (公开时限): timing rules as data, free of the database.

A catalogue item carries one :class:`TimingRule`. Its kind says how due dates arise:

* **periodic** — ``monthly`` (by day D of the next month, for the month before), ``quarterly``
  (by day D of a quarter's first month, for the quarter before: Zhejiang's "每季度的首个月20日"),
  ``half_yearly`` (by day D of January and July, for the half-year before) and ``yearly``
  (by month M, day D of the year, for that year: the yearly plan). The platform makes one
  disclosure per village and period once the period is over (the yearly one on January 1);
* **on an event** — ``event`` ("信息形成或变更之日起20个工作日内": within N working days of
  the day the matter arose) and ``at_once`` (随时公开). "At once" has no number in the law;
  the platform reads it as *within N working days*, N = 1 unless the catalogue says otherwise
  ("随时公开（3个工作日内）"), so it can be late like anything else.

A fixed date that falls on a rest day moves to the next working day when the rule says so
(``roll``, the default: a time limit ending on a holiday ends on the first working day
after it, as Chinese procedure law counts). Working days come from
:mod:`hemei.procedures.calendar` only; a date outside every known schedule raises its
:class:`~hemei.procedures.calendar.ScheduleUnknown`, never a guess.

:meth:`TimingRule.text` writes a rule the way county catalogues do, and :func:`parse_timing`
reads such text back (the Excel column 公开时限 and the form use both), so an export
re-imports unchanged.
"""

from __future__ import annotations

import calendar as month_lengths
import datetime as dt
import re
from dataclasses import dataclass

from hemei.procedures import calendar
from hemei.procedures.calendar import LIBRARY, ONE_DAY, Schedule

MONTHLY = "monthly"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"
EVENT = "event"
AT_ONCE = "at_once"

PERIODIC = (MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)
ON_EVENT = (EVENT, AT_ONCE)
#: "随时公开" with no number: within this many working days (⚠ the law sets no number)
AT_ONCE_WORKDAYS = 1
#: the most working days an event rule may give
MAX_WORKDAYS = 60


@dataclass(frozen=True)
class Period:
    """One period of a periodic rule and its disclosure's due date."""

    code: str  # "2026-03", "2026Q1", "2026H1", "2026"
    label: str  # "2026年3月", "2026年第一季度"
    start: dt.date
    end: dt.date
    #: the day the disclosure is owed from (the day after the period, or its first day)
    opens_on: dt.date
    #: the rule's date before a rest day moves it (:meth:`TimingRule.due_on` moves it)
    nominal_due: dt.date


class BadTiming(ValueError):
    """A timing text or set of values that makes no rule (English; callers word it)."""


QUARTER_NAMES = ("一", "二", "三", "四")


@dataclass(frozen=True)
class TimingRule:
    kind: str
    #: periodic: the day of the month the disclosure is due by
    day: int = 0
    #: yearly: the month of the due date
    month: int = 0
    #: event and at_once: working days after the event
    workdays: int = 0
    #: a fixed date on a rest day moves to the next working day
    roll: bool = True

    def __post_init__(self) -> None:
        problem = self.problem()
        if problem:
            raise BadTiming(problem)

    def problem(self) -> str:
        if self.kind in PERIODIC:
            if not 1 <= self.day <= 28 and not (self.kind == YEARLY and 1 <= self.day <= 31):
                return "day must be 1–28"
            if self.kind == YEARLY:
                if not 1 <= self.month <= 12:
                    return "month must be 1–12"
                if self.day > month_lengths.monthrange(2025, self.month)[1]:
                    return "no such day in that month"
            return ""
        if self.kind in ON_EVENT:
            if not 1 <= self.workdays <= MAX_WORKDAYS:
                return f"working days must be 1–{MAX_WORKDAYS}"
            return ""
        return f"unknown kind {self.kind!r}"

    @property
    def periodic(self) -> bool:
        return self.kind in PERIODIC

    # ----------------------------------------------------------------------- periods

    def period_of(self, day: dt.date) -> Period:
        """The period containing ``day`` (periodic rules only)."""
        if self.kind == MONTHLY:
            start = day.replace(day=1)
            end = _month_end(start)
            code, label = f"{start:%Y-%m}", f"{start.year}年{start.month}月"
            due = _day_of(_next_month(start), self.day)
            return Period(code, label, start, end, end + ONE_DAY, due)
        if self.kind == QUARTERLY:
            index = (day.month - 1) // 3
            start = dt.date(day.year, index * 3 + 1, 1)
            end = _month_end(dt.date(day.year, index * 3 + 3, 1))
            label = f"{day.year}年第{QUARTER_NAMES[index]}季度"
            due = _day_of(end + ONE_DAY, self.day)
            return Period(f"{day.year}Q{index + 1}", label, start, end, end + ONE_DAY, due)
        if self.kind == HALF_YEARLY:
            first = day.month <= 6
            start = dt.date(day.year, 1 if first else 7, 1)
            end = dt.date(day.year, 6, 30) if first else dt.date(day.year, 12, 31)
            label = f"{day.year}年{'上' if first else '下'}半年"
            due = _day_of(end + ONE_DAY, self.day)
            return Period(f"{day.year}H{1 if first else 2}", label, start, end, end + ONE_DAY, due)
        if self.kind == YEARLY:
            start, end = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
            due = _day_of(dt.date(day.year, self.month, 1), self.day)
            return Period(str(day.year), f"{day.year}年度", start, end, start, due)
        raise BadTiming(f"{self.kind} has no periods")

    def periods_between(self, first: dt.date, today: dt.date) -> list[Period]:
        """The periods owed by ``today``: those starting on or after ``first`` (the day the
        village began to follow the item: a period already under way then is not owed)
        whose disclosure has opened (on or before ``today``)."""
        found = []
        period = self.period_of(first)
        if period.start < first:
            period = self.period_of(period.end + ONE_DAY)
        while period.opens_on <= today:
            found.append(period)
            period = self.period_of(period.end + ONE_DAY)
        return found

    def next_period(self, today: dt.date) -> Period:
        """The next period whose disclosure opens after ``today`` (what the board announces)."""
        period = self.period_of(today)
        while period.opens_on <= today:
            period = self.period_of(period.end + ONE_DAY)
        return period

    def due_on(self, period: Period, schedule: Schedule = LIBRARY) -> dt.date:
        """The period's due date: the rule's date, or the first working day from it when the
        rule rolls (:class:`~hemei.procedures.calendar.ScheduleUnknown` past the schedule)."""
        due = period.nominal_due
        if self.roll:
            while not schedule.is_workday(due):
                due += ONE_DAY
        return due

    # ----------------------------------------------------------------------- events

    def due_after(self, happened_on: dt.date, schedule: Schedule = LIBRARY) -> dt.date:
        """The due date of a disclosure of an event that happened on ``happened_on``."""
        if self.kind not in ON_EVENT:
            raise BadTiming(f"{self.kind} is not an event rule")
        return calendar.add_workdays(happened_on, self.workdays, schedule)

    # ----------------------------------------------------------------------- words

    def text(self) -> str:
        """The rule as a county catalogue writes it (read back by :func:`parse_timing`)."""
        suffix = "" if self.roll else "（遇节假日不顺延）"
        if self.kind == MONTHLY:
            return f"每月{self.day}日前公开上月情况{suffix}"
        if self.kind == QUARTERLY:
            return f"每季度首月{self.day}日前公开上季度情况{suffix}"
        if self.kind == HALF_YEARLY:
            return f"每半年，于1月、7月{self.day}日前公开上一个半年情况{suffix}"
        if self.kind == YEARLY:
            return f"每年{self.month}月{self.day}日前{suffix}"
        if self.kind == EVENT:
            return f"信息形成或变更之日起{self.workdays}个工作日内"
        if self.workdays == AT_ONCE_WORKDAYS:
            return "随时公开"
        return f"随时公开（{self.workdays}个工作日内）"


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=month_lengths.monthrange(day.year, day.month)[1])


def _day_of(month_start: dt.date, day: int) -> dt.date:
    """Day ``day`` of the month of ``month_start`` (its last day when the month is shorter)."""
    return month_start.replace(day=min(day, _month_end(month_start).day))


def _next_month(day: dt.date) -> dt.date:
    return (_month_end(day) + dt.timedelta(days=1)).replace(day=1)


# --------------------------------------------------------------------------- reading text

_DIGITS = r"(\d{1,2})"
_NO_ROLL = re.compile(r"[（(]\s*遇?节假日不顺延\s*[)）]")
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^(?:每月|按月|次月).*?{_DIGITS}日"), MONTHLY),
    (re.compile(rf"^(?:每季度?|按季度?)(?:的)?(?:首个?月|第一个月).*?{_DIGITS}日"), QUARTERLY),
    (re.compile(rf"^(?:每半年|按半年|每年1月、?7月).*?{_DIGITS}日"), HALF_YEARLY),
    (re.compile(rf"^(?:每年|按年).*?{_DIGITS}月{_DIGITS}日"), YEARLY),
    (re.compile(rf"(?:之日起|后|起)\s*{_DIGITS}\s*个工作日"), EVENT),
]
_AT_ONCE = re.compile(rf"^随时(?:公开|公布)?(?:[（(]\s*{_DIGITS}\s*个工作日内?\s*[)）])?$")


def parse_timing(text: str) -> TimingRule:
    """A rule from a catalogue's wording; :class:`BadTiming` for text that says none.

    Reads what :meth:`TimingRule.text` writes and the usual variants: "每月10日前",
    "每季度的首个月20日", "每半年…次月15日前", "每年3月31日前", "信息形成或变更之日起20个工作日内",
    "随时公布", "随时公开（3个工作日内）"; "（遇节假日不顺延）" keeps a fixed date on a rest day.
    """
    cleaned = re.sub(r"\s+", "", text or "")
    if not cleaned:
        raise BadTiming("empty")
    roll = not _NO_ROLL.search(cleaned)
    cleaned = _NO_ROLL.sub("", cleaned)
    found = _AT_ONCE.match(cleaned)
    if found:
        days = int(found.group(1)) if found.group(1) else AT_ONCE_WORKDAYS
        return TimingRule(AT_ONCE, workdays=days)
    for pattern, kind in _PATTERNS:
        found = pattern.search(cleaned)
        if not found:
            continue
        if kind == YEARLY:
            return TimingRule(kind, month=int(found.group(1)), day=int(found.group(2)), roll=roll)
        if kind == EVENT:
            return TimingRule(kind, workdays=int(found.group(1)))
        return TimingRule(kind, day=int(found.group(1)), roll=roll)
    raise BadTiming(f"not a timing rule: {text!r}")

"""The working-day clock: China's official schedule, free of the database.

Which days are working days (工作日) is set each year by the State Council's notice on the
public holidays (国务院办公厅关于某年部分节假日安排的通知): the holidays, and the weekend days
worked in exchange (调休). A :class:`Schedule` answers :meth:`~Schedule.is_workday` from

* the ``chinese-calendar`` library, which carries every notice since 2004 (version 1.11.0
  knows 2004–2026, see :data:`LIBRARY_YEARS`), and
* the years an administrator added (:class:`YearSchedule`, stored as ``WorkdayYear`` rows):
  a year the library does not know yet, or one whose notice was amended (the 2020 Spring
  Festival was extended by 国办发明电〔2020〕1号). An added year replaces the library's year
  as a whole.

A date outside every known year raises :class:`ScheduleUnknown`: an unknown year is never
guessed from its weekends.

**Why chinese-calendar and not holidays.** Both are kept. ``chinese-calendar`` is the State
Council's notices as data, adjusted working weekends included (2024-02-04 and 2024-02-18 were
working Sundays), and it raises for a year it has no notice for. ``holidays`` (its ``China``
class) lists holidays only, so a 调休 Sunday reads as a rest day, and it derives any year's
holidays from rules (lunar dates, patterns of past notices), so a year whose notice is not out
yet gets a plausible guess instead of an error: exactly what a legal time limit must not use.

**Counting convention.** ``add_workdays(A, n)`` for ``n > 0`` is the n-th working day strictly
after A (A itself never counts, whether it is a working day or not); ``n = 0`` is A.
``workdays_between(A, B)`` for ``A <= B`` is the number of working days in (A, B] (after A, up
to and including B); for ``A > B`` it is ``-workdays_between(B, A)``. So, for every A and n,
``workdays_between(A, add_workdays(A, n)) == n``, and ``between`` is additive:
``between(A, B) + between(B, C) == between(A, C)``.
For ``n < 0``, ``add_workdays(A, n)`` is the working day D from which counting ``-n`` working
days forward reaches A (or, when A is a rest day, reaches the last working day before A): the inverse
of the forward move, so the round trip holds both ways.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import chinese_calendar
from chinese_calendar import constants as _library_data

ONE_DAY = dt.timedelta(days=1)


def _library_years() -> range:
    # The library accepts exactly the years between its first and last holiday.
    years = {day.year for day in _library_data.holidays}
    return range(min(years), max(years) + 1)


#: The years the library knows (2004–2026 in chinese-calendar 1.11.0).
LIBRARY_YEARS = _library_years()


class ScheduleUnknown(LookupError):
    """A date in a year for which no official schedule is known (never a guess)."""

    def __init__(self, day: dt.date, known: Iterable[int]) -> None:
        self.day = day
        self.known = sorted(set(known))
        super().__init__(
            f"no official working-day schedule is known for {day.year} ({day.isoformat()});"
            f" known years: {describe_years(self.known)}"
        )


def describe_years(years: Iterable[int]) -> str:
    """``2004–2026, 2028`` for a set of years: runs joined by a dash."""
    ordered = sorted(set(years))
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs) or "none"


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: its holidays and its adjusted working days (调休).

    Any other day is a working day from Monday to Friday and a rest day on the weekend.
    """

    year: int
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    source: str = ""

    def problems(self) -> list[str]:
        """What makes the schedule unusable (English; the service words them for people)."""
        found = []
        outside = sorted(d for d in self.holidays | self.workdays if d.year != self.year)
        if outside:
            found.append(f"dates outside {self.year}: {', '.join(map(str, outside))}")
        both = sorted(self.holidays & self.workdays)
        if both:
            found.append(f"both holiday and working day: {', '.join(map(str, both))}")
        return found

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


class Schedule:
    """The library's years plus the years added by administrators (which win)."""

    def __init__(self, added: Iterable[YearSchedule] = (), *, library: bool = True) -> None:
        self.added: Mapping[int, YearSchedule] = {year.year: year for year in added}
        self.library = library
        self._workdays: dict[int, list[dt.date]] = {}

    def knows(self, year: int) -> bool:
        return year in self.added or (self.library and year in LIBRARY_YEARS)

    def known_years(self) -> list[int]:
        return sorted(set(self.added) | (set(LIBRARY_YEARS) if self.library else set()))

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day; :class:`ScheduleUnknown` outside every year."""
        added = self.added.get(day.year)
        if added is not None:
            return added.is_workday(day)
        if self.library and day.year in LIBRARY_YEARS:
            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError:  # pragma: no cover - the range above says it knows
                pass
        raise ScheduleUnknown(day, self.known_years())

    def workdays_of(self, year: int, *, asked: dt.date) -> list[dt.date]:
        """The working days of ``year`` in order (``asked``: the date named if unknown)."""
        if not self.knows(year):
            raise ScheduleUnknown(asked, self.known_years())
        found = self._workdays.get(year)
        if found is None:
            first = dt.date(year, 1, 1)
            every = (first + dt.timedelta(days=n) for n in range(366))
            found = [d for d in every if d.year == year and self.is_workday(d)]
            self._workdays[year] = found
        return found


#: The library alone (the administrator-added years come from the database).
LIBRARY = Schedule()


def is_workday(day: dt.date, schedule: Schedule = LIBRARY) -> bool:
    return schedule.is_workday(day)


def add_workdays(start: dt.date, n: int, schedule: Schedule = LIBRARY) -> dt.date:
    """The date ``n`` working days after ``start`` (see the module's counting convention)."""
    if n == 0:
        return start
    if n > 0:
        if start == dt.date.max:  # no day follows it, let alone a known one
            raise ScheduleUnknown(start, schedule.known_years())
        # the n-th working day after ``start``, year by year
        year = (start + ONE_DAY).year
        found = schedule.workdays_of(year, asked=start + ONE_DAY)
        index = bisect_right(found, start) + n - 1
        while index >= len(found):
            index -= len(found)
            year += 1
            found = schedule.workdays_of(year, asked=dt.date(year, 1, 1))
        return found[index]
    # backwards: the (-n + 1)-th working day at or before ``start``
    year = start.year
    found = schedule.workdays_of(year, asked=start)
    index = bisect_right(found, start) - (-n + 1)
    while index < 0:
        year -= 1
        found = schedule.workdays_of(year, asked=dt.date(year, 12, 31))
        index += len(found)
    return found[index]


def workdays_between(a: dt.date, b: dt.date, schedule: Schedule = LIBRARY) -> int:
    """The working days in (a, b] (negative when b is before a)."""
    if b < a:
        return -workdays_between(b, a, schedule)
    if a == b:
        return 0
    low = a + ONE_DAY
    count = 0
    for year in range(low.year, b.year + 1):
        first = max(low, dt.date(year, 1, 1))
        found = schedule.workdays_of(year, asked=first)
        count += bisect_right(found, min(b, dt.date(year, 12, 31))) - bisect_left(found, first)
    return count


def add_days(start: dt.date, n: int, *, workdays: bool, schedule: Schedule = LIBRARY) -> dt.date:
    """``n`` working days (``workdays``) or calendar days (日) after ``start``."""
    if workdays:
        return add_workdays(start, n, schedule)
    return start + dt.timedelta(days=n)


# --------------------------------------------------------------------------- reading dates


class BadDate(ValueError):
    """A part of a list of dates that is no date (or no range of dates)."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"not a date: {text!r}")


_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)$")
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_RANGE = re.compile(r"[~～至到—–]")
#: a range longer than a year is a typing error, not a holiday
MAX_RANGE_DAYS = 366


def parse_date(text: str) -> dt.date:
    """``2027-02-05``, ``2027/2/5``, ``2027.2.5`` or ``2027年2月5日``."""
    found = _DATE.match(text.strip())
    if not found:
        raise BadDate(text)
    year, month, day = (int(g) for g in found.groups() if g is not None)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadDate(text) from None


def parse_dates(text: str) -> list[dt.date]:
    """The dates of a list typed by a person, sorted and without repeats.

    Separated by new lines, spaces, commas or 、; a range is two dates joined by ~, 至 or 到
    (``2027-02-05至2027-02-11``) and stands for every day from the first to the last.
    """
    found: set[dt.date] = set()
    for part in _SEPARATORS.split(text.strip()):
        if not part:
            continue
        ends = _RANGE.split(part)
        if len(ends) == 1:
            found.add(parse_date(part))
            continue
        if len(ends) != 2 or not all(ends):
            raise BadDate(part)
        first, last = parse_date(ends[0]), parse_date(ends[1])
        if last < first or (last - first).days >= MAX_RANGE_DAYS:
            raise BadDate(part)
        found.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return sorted(found)

"""Deadlines as county offices write them, read into dates (pure Python, no database).

Accepted: date cells, ``2026-06-30``, ``2026/6/30``, ``2026.6.30``, ``2026年6月30日``,
``2026年6月底``, ``2026年底``; with the year given separately: ``6月30日``, ``6月底``,
``六月底``, ``年底``/``今年底``/``年内``, ``上半年``/``下半年``, ``一季度``…``四季度``.
A trailing ``前``/``之前``/``以前`` and a leading ``于``/``在``/``到`` are ignored. Anything else
(``长期``, ``持续推进``) is not a date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

__all__ = ["parse_deadline", "split_milestone"]

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_MONTH = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"

_FULL = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_FULL_CN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?")
_YEAR_MONTH_CN = re.compile(r"(\d{4})年" + _MONTH + r"月(?:底|末|份)?")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_YEAR_END = re.compile(r"(\d{4})年(?:底|末|内|年底)?")
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})[日号]")
_MONTH_END = re.compile(_MONTH + r"月(?:底|末|份)?")
_YEAR_WORDS = {
    "年底": (12, None),
    "年末": (12, None),
    "年内": (12, None),
    "今年": (12, None),
    "今年底": (12, None),
    "今年年底": (12, None),
    "今年内": (12, None),
    "本年度": (12, None),
    "年度内": (12, None),
    "全年": (12, None),
    "上半年": (6, None),
    "下半年": (12, None),
}
_QUARTER = re.compile(r"(?:今年|本年)?第?([一二三四1-4])季度(?:末|底)?")
_AROUND = re.compile(r"^(?:于|在|到|至|截至|截止)?(.*?)(?:之前|以前|前|止)?$")


def _month(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS.get(text[1:], 0) if len(text) > 1 else 0)
    return _CN_DIGITS[text]


def _end_of_month(year: int, month: int) -> dt.date | None:
    if not (1 <= month <= 12):
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_deadline(value: Any, *, year: int) -> dt.date | None:
    """The date a deadline cell or phrase stands for, or ``None`` when it is not one.

    ``year`` completes dates written without a year. Numbers are Excel date serials (a cell
    formatted as a number): 40000–80000 map to 2009–2119, anything else is not a date.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 40000 <= value <= 80000:
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        return None
    text = re.sub(r"\s+", "", str(value)).replace("（", "(").replace("）", ")")
    text = text.rstrip("。.;；,，")
    if not text:
        return None
    inner = _AROUND.match(text)
    text = inner.group(1) if inner else text
    if not text:
        return None
    if text.endswith("00:00:00"):  # a date cell that came through as text
        text = text[:-8]
    for pattern in (_FULL, _FULL_CN):
        found = pattern.fullmatch(text)
        if found:
            return _day(int(found[1]), int(found[2]), int(found[3]))
    found = _YEAR_MONTH_CN.fullmatch(text) or _YEAR_MONTH.fullmatch(text)
    if found:
        return _end_of_month(int(found[1]), _month(found[2]))
    found = _YEAR_END.fullmatch(text)
    if found:
        return dt.date(int(found[1]), 12, 31)
    found = _MONTH_DAY.fullmatch(text)
    if found:
        return _day(year, int(found[1]), int(found[2]))
    found = _MONTH_END.fullmatch(text)
    if found:
        return _end_of_month(year, _month(found[1]))
    if text in _YEAR_WORDS:
        return _end_of_month(year, _YEAR_WORDS[text][0])
    found = _QUARTER.fullmatch(text)
    if found:
        quarter = found[1]
        number = int(quarter) if quarter.isdigit() else _CN_DIGITS[quarter]
        return _end_of_month(year, number * 3)
    return None


_MILESTONE_GLUE = " \t：:，,、-—"
#: What may follow a shorter date inside a longer one (``6月`` + ``底``): never a name's start.
_DATE_TAILS = frozenset("底末份日号前")


def split_milestone(text: str, *, year: int) -> tuple[str, dt.date] | None:
    """A milestone written as ``6月底前完成摸底`` (date first) or ``完成摸底（2026-06-30）`` /
    ``完成摸底：9月底前`` (date last): its name and date, or ``None`` when no date is found."""
    text = text.strip()
    if parse_deadline(text, year=year) is not None:
        return None  # a date without a name
    for end in range(min(len(text), 16), 0, -1):
        date = parse_deadline(text[:end], year=year)
        name = text[end:].strip(_MILESTONE_GLUE)
        if date is not None and name and name[0] not in _DATE_TAILS:
            return name, date
    bare = text.rstrip(")）】]")
    for start in range(max(0, len(bare) - 16), len(bare)):
        date = parse_deadline(bare[start:], year=year)
        name = bare[:start].rstrip("(（【[").strip(_MILESTONE_GLUE)
        if date is not None and name:
            return name, date
    return None

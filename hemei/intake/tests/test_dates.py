"""Deadlines and milestones as offices write them (pure functions, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from ..dates import parse_deadline, split_milestone
from ..matching import split_names
from ..sheet import header_key

D = dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-06-30", D(2026, 6, 30)),
        ("2026/6/30", D(2026, 6, 30)),
        ("2026.6.30", D(2026, 6, 30)),
        ("2026年6月30日", D(2026, 6, 30)),
        ("2026年6月30日前", D(2026, 6, 30)),
        ("2026年6月底", D(2026, 6, 30)),
        ("2027年底", D(2027, 12, 31)),
        ("6月30日", D(2026, 6, 30)),
        ("6月底", D(2026, 6, 30)),
        ("6月底前", D(2026, 6, 30)),
        ("于10月底前", D(2026, 10, 31)),
        ("二月底", D(2026, 2, 28)),
        ("十二月底", D(2026, 12, 31)),
        ("年底", D(2026, 12, 31)),
        ("今年底前", D(2026, 12, 31)),
        ("年内", D(2026, 12, 31)),
        ("上半年", D(2026, 6, 30)),
        ("三季度", D(2026, 9, 30)),
        ("第一季度末", D(2026, 3, 31)),
        (dt.datetime(2026, 5, 1, 0, 0), D(2026, 5, 1)),
        (D(2026, 5, 2), D(2026, 5, 2)),
        (46203, D(2026, 6, 30)),  # an Excel date serial in a number cell
        ("2026-06-30 00:00:00", D(2026, 6, 30)),
        (" 2026 - 6 - 30 ", D(2026, 6, 30)),
    ],
)
def test_it_reads_the_usual_ways_of_writing_a_deadline(value: object, expected: D) -> None:
    assert parse_deadline(value, year=2026) == expected


@pytest.mark.parametrize(
    "value",
    [None, "", "长期", "持续推进", "明年", "2026-02-30", "13月底", "6", 12, 3.5, True, "前"],
)
def test_what_is_not_a_date_is_none(value: object) -> None:
    assert parse_deadline(value, year=2026) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6月底前完成摸底", ("完成摸底", D(2026, 6, 30))),
        ("2026年9月30日前 完成建设", ("完成建设", D(2026, 9, 30))),
        ("完成摸底（2026-06-30）", ("完成摸底", D(2026, 6, 30))),
        ("完成验收：11月底前", ("完成验收", D(2026, 11, 30))),
        ("7月完成验收", ("完成验收", D(2026, 7, 31))),
    ],
)
def test_a_milestone_has_a_name_and_a_date(text: str, expected: tuple[str, D]) -> None:
    assert split_milestone(text, year=2026) == expected


@pytest.mark.parametrize("text", ["完成摸底", "6月底", ""])
def test_a_milestone_without_both_parts_is_none(text: str) -> None:
    assert split_milestone(text, year=2026) is None


def test_unit_cells_split_on_every_usual_separator() -> None:
    cell = "区财政局、区农业农村局，区住建局;区水务局\n区卫健局  区教体局、区财政局"
    assert split_names(cell) == [
        "区财政局",
        "区农业农村局",
        "区住建局",
        "区水务局",
        "区卫健局",
        "区教体局",
    ]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("序号", "number"),
        ("完成时间", "due"),
        ("完成时限（年月日）", "due"),
        ("* 牵头单位", "lead_unit"),
        ("责任单位", "lead_unit"),
        ("节点时限", "milestone_dates"),
        ("任 务 内 容", "title"),
        ("其他", None),
        (None, None),
    ],
)
def test_header_synonyms(text: str | None, key: str | None) -> None:
    assert header_key(text) == key

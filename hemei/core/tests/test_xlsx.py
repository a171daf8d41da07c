"""The one Excel writer (text stays text) and the one Excel reader (sizes checked before
anything is unpacked, rows streamed up to a limit)."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from hemei.core.testing import zip_bomb_xlsx
from hemei.core.xlsx import (
    TooManyRows,
    UnreadableWorkbook,
    append_row,
    new_workbook,
    open_workbook,
    render_xlsx,
    workbook_bytes,
)

HEMEI = Path(__file__).resolve().parents[2]


def test_text_that_looks_like_a_formula_stays_text() -> None:
    data = render_xlsx(
        title="名单",
        headers=["姓名", "备注"],
        rows=[["张三", '=HYPERLINK("http://x","点我")'], ["李四", 3]],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == '=HYPERLINK("http://x","点我")'
    assert sheet["B3"].value == 3


def test_a_cell_set_by_hand_is_written_as_text_too() -> None:
    book = new_workbook()
    append_row(book.active, ["=1+1", None])
    book.active["C1"] = "=SUM(A1:A9)"  # styling code may set a cell directly
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book))).active
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=1+1", "s")
    assert (sheet["C1"].value, sheet["C1"].data_type) == ("=SUM(A1:A9)", "s")


def _code_files() -> list[Path]:
    return [
        path
        for path in HEMEI.rglob("*.py")
        if "tests" not in path.relative_to(HEMEI).parts
        and path.relative_to(HEMEI).as_posix() not in ("core/xlsx.py", "core/testing.py")
    ]


def test_every_workbook_is_written_and_read_through_core_xlsx() -> None:
    offending = [
        f"{path.relative_to(HEMEI)}: {match.group(0)}"
        for path in _code_files()
        for match in re.finditer(r"\b(?:Workbook|load_workbook)\(", path.read_text("utf-8"))
    ]
    assert offending == []


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = zip_bomb_xlsx(100)
    assert len(bomb) < 1024 * 1024
    with translation.override("zh-hans"), pytest.raises(UnreadableWorkbook) as caught:
        open_workbook(bomb, max_rows=100)
    assert "30 MB" in caught.value.message and "解压" in caught.value.message


def test_a_part_packed_too_tightly_is_refused_even_under_the_total() -> None:
    with pytest.raises(UnreadableWorkbook):
        open_workbook(zip_bomb_xlsx(5), max_rows=100)


def _workbook(rows: int, *, empty_after: int = 0, merge: str = "") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for number in range(1, rows + 1):
        sheet.append([number, f"第{number}行"])
    for number in range(rows + 1, rows + empty_after + 1):
        sheet.cell(number, 1).number_format = "@"  # formatting left on an empty row
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_rows_are_read_up_to_the_limit_and_no_further() -> None:
    with open_workbook(_workbook(10, empty_after=50, merge="A2:A3"), max_rows=10) as book:
        sheet = book.sheets[0]
        rows = list(sheet.rows())
        assert rows[:2] == [(1, "第1行"), (2, "第2行")]
        assert rows[2] == (None, "第3行")  # A3 lies under the merge
        assert rows[3:] == [(n, f"第{n}行") for n in range(4, 11)]
        assert [merged.coord for merged in sheet.merged_ranges()] == ["A2:A3"]
    with translation.override("zh-hans"), open_workbook(_workbook(11), max_rows=10) as book:
        rows = book.sheets[0].rows()
        with pytest.raises(TooManyRows) as caught:
            list(rows)
    assert "超过 10 行" in caught.value.message


@pytest.mark.parametrize(
    "data",
    [b"", b"plain text", b"PK\x03\x04broken zip", b"PK\x03\x04" + b"\x00" * 100],
    ids=["empty", "text", "broken zip", "zeros"],
)
def test_what_is_not_a_workbook_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableWorkbook):
        open_workbook(data, max_rows=10)

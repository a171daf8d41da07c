"""Reading a task decomposition table (任务分解表) out of an .xlsx file, before any lookup.

The header row may sit anywhere in the first rows (titles above it are common); columns may
come in any order and under the usual synonyms. Merged cells follow one rule: a merge down
one column reads as "same as above" in every column but 序号 and 任务内容 (offices merge
the 牵头领导 of consecutive tasks); a merge across columns, or of 序号 or 任务内容, is
reported with its range. Empty rows and note rows (``注：…``) are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from hemei.core.xlsx import TooManyRows, UnreadableWorkbook, open_workbook

#: Column key → the header texts it answers to; the first is the template's.
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序", "No", "number"),
    "title": (
        "任务内容",
        "任务",
        "工作任务",
        "任务名称",
        "重点任务",
        "工作内容",
        "具体任务",
        "任务事项",
        "title",
        "task",
    ),
    "leader": (
        "牵头领导",
        "责任领导",
        "分管领导",
        "包挂领导",
        "牵头区领导",
        "牵头县领导",
        "leader",
    ),
    "lead_unit": (
        "牵头单位",
        "牵头部门",
        "责任单位",
        "主责单位",
        "责任部门",
        "牵头责任单位",
        "lead unit",
    ),
    "co_units": ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "co-units"),
    "due": (
        "完成时限",
        "完成时间",
        "时限",
        "时限要求",
        "完成期限",
        "截止时间",
        "截止日期",
        "办结时限",
        "deadline",
    ),
    "milestones": (
        "节点",
        "时间节点",
        "节点安排",
        "进度安排",
        "阶段目标",
        "节点要求",
        "milestones",
    ),
    "milestone_dates": ("节点时限", "节点时间", "节点日期", "milestone dates"),
    "theme": ("主题", "振兴类别", "类别", "theme"),
    "programs": ("所属专项", "专项", "专项行动", "programs"),
    "responsible": ("责任人", "具体责任人", "联系人", "responsible"),
    "description": ("备注", "说明", "工作目标", "具体措施", "description"),
}
REQUIRED = ("number", "title", "lead_unit", "due")
#: Columns where a vertical merge may not stand for "same as above".
OWN_PER_ROW = frozenset({"number", "title"})
HEADER_SEARCH_ROWS = 15
MAX_ROWS = 2000

_SYNONYMS = {
    re.sub(r"\s+", "", name).lower(): key for key, names in COLUMNS.items() for name in names
}
_NOTE = re.compile(r"^(?:注|说明|备注|填表说明|填报说明)[：:]")


@dataclass
class Problem:
    """One thing wrong with the table, where it is and what to do."""

    row: int
    column: str
    message: str


@dataclass
class SheetRow:
    row: int
    cells: dict[str, Any]


@dataclass
class Sheet:
    header_row: int
    labels: dict[str, str] = field(default_factory=dict)
    letters: dict[str, str] = field(default_factory=dict)
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def where(self, key: str) -> str:
        """``C（牵头单位）``: the column as the user sees it."""
        if key not in self.labels:
            return ""
        return f"{self.letters[key]}（{self.labels[key]}）"


class SheetError(Exception):
    """The file cannot be read as a decomposition table at all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def header_key(text: Any) -> str | None:
    """The column key of a header cell, or ``None``: spaces, ``*`` and a bracketed note
    (``完成时限（年月日）``) are ignored."""
    if text is None:
        return None
    plain = re.sub(r"\s+|\*|＊", "", str(text))
    plain = re.sub(r"[（(][^）)]*[）)]$", "", plain).lower()
    return _SYNONYMS.get(plain)


def _plain(value: Any) -> Any:
    """Strings stripped, whole floats as integers, dates kept."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime | dt.date | int | float):
        return value
    return None if value is None else str(value).strip() or None


def _find_header(grid: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for index, values in enumerate(grid[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        for column, value in enumerate(values):
            key = header_key(value)
            if key and key not in positions:
                positions[key] = column
        if "title" in positions and len(positions) >= 3:
            return index, positions
    return None


def read_sheet(data: bytes) -> Sheet:
    """The table's rows by column key, with the problems found in its shape.

    Raises :class:`SheetError` when there is no table to read (not a workbook, no header,
    missing columns, too many rows).
    """
    found = None
    try:
        with open_workbook(data, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS) as book:
            for sheet in book.sheets:
                grid = [list(values) for values in sheet.rows()]
                found = _find_header(grid)
                if found is not None:
                    merged = sheet.merged_ranges()
                    break
    except TooManyRows:
        raise SheetError(
            [Problem(0, "", _("At most %(n)s rows per import.") % {"n": MAX_ROWS})]
        ) from None
    except UnreadableWorkbook as refused:
        raise SheetError([Problem(0, "", refused.message)]) from None
    if found is None:
        raise SheetError(
            [
                Problem(
                    0,
                    "",
                    _(
                        "No header row found in the first %(n)s rows: the table needs the "
                        "columns 序号, 任务内容, 牵头单位 and 完成时限."
                    )
                    % {"n": HEADER_SEARCH_ROWS},
                )
            ]
        )
    header_index, positions = found
    header_row = header_index + 1
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in positions]
    if missing:
        raise SheetError(
            [
                Problem(
                    header_row,
                    "",
                    _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)},
                )
            ]
        )
    result = Sheet(
        header_row=header_row,
        labels={key: str(grid[header_index][column]).strip() for key, column in positions.items()},
        letters={key: get_column_letter(column + 1) for key, column in positions.items()},
    )
    key_of_column = {column: key for key, column in positions.items()}
    copied = _apply_merges(merged, grid, header_row, key_of_column, result)
    for index in range(header_index + 1, len(grid)):
        values = grid[index]
        cells = {
            key: _plain(values[column]) if column < len(values) else None
            for key, column in positions.items()
        }
        # A row holding nothing but copies of a merged cell above is still an empty row.
        filled = [
            value
            for key, value in cells.items()
            if value is not None and (index, positions[key]) not in copied
        ]
        if not filled:
            continue
        if len(filled) == 1 and isinstance(filled[0], str) and _NOTE.match(filled[0]):
            continue
        result.rows.append(SheetRow(row=index + 1, cells=cells))
    return result


def _apply_merges(
    merged_ranges: list[CellRange],
    grid: list[list[Any]],
    header_row: int,
    key_of_column: dict[int, str],
    result: Sheet,
) -> set[tuple[int, int]]:
    """Copy vertical merges down as "same as above"; report the merges that cannot be read.

    Answers the (row index, column index) of the cells it filled.
    """
    copied: set[tuple[int, int]] = set()
    for merged in sorted(merged_ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row <= header_row:
            continue  # titles above the table
        keys = {
            key_of_column.get(column - 1) for column in range(merged.min_col, merged.max_col + 1)
        }
        keys.discard(None)
        if not keys:
            continue  # a column the import does not read
        where = merged.coord
        if merged.min_row <= header_row:
            result.problems.append(
                Problem(
                    header_row,
                    where,
                    _("Cells %(range)s join the header to the rows below; unmerge them.")
                    % {"range": where},
                )
            )
        elif merged.min_col != merged.max_col:
            result.problems.append(
                Problem(
                    merged.min_row,
                    where,
                    _(
                        "Cells %(range)s are merged across columns; each column needs its own "
                        "value: unmerge them (or delete a section heading row)."
                    )
                    % {"range": where},
                )
            )
        elif keys & OWN_PER_ROW:
            label = result.labels[next(iter(keys))]
            result.problems.append(
                Problem(
                    merged.min_row,
                    where,
                    _("Cells %(range)s are merged, but each task needs its own %(column)s.")
                    % {"range": where, "column": label},
                )
            )
        else:
            column = merged.min_col - 1
            if merged.min_row > len(grid):
                continue  # empty rows after the table (they are not read)
            top_row = grid[merged.min_row - 1]
            top = top_row[column] if column < len(top_row) else None
            for row in range(merged.min_row, min(merged.max_row, len(grid))):
                while len(grid[row]) <= column:
                    grid[row].append(None)
                grid[row][column] = top
                copied.add((row, column))
    return copied

"""A pure Excel renderer: headers and rows in, .xlsx bytes out (no database)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def render_xlsx(*, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet named ``title``: a bold header row, then the rows; widths fitted to text.

    Text is always written as text: a value such as ``=HYPERLINK(...)`` typed into a form
    stays a string in the workbook and never becomes a formula.
    """
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31] or "Sheet1"
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [max(4, _width(header)) for header in headers]
    for row in rows:
        values = ["" if value is None else value for value in row]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
        for index, value in enumerate(values[: len(widths)]):
            widths[index] = max(widths[index], min(60, _width(str(value))))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _width(text: str) -> int:
    # CJK characters take two columns in Excel's default font.
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)

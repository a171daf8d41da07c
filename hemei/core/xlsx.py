"""The platform's one Excel writer and one Excel reader (no database).

Writing: every .xlsx the platform makes is built with :func:`new_workbook` and
:func:`append_row` and saved with :func:`workbook_bytes` (or made whole by
:func:`render_xlsx`). Text is always written as text: a value such as ``=HYPERLINK(...)``
typed into a form stays a string in the workbook and never becomes a formula, whichever
sheet, cover or cell it lands in.

Reading: every uploaded workbook is opened with :func:`open_workbook`, which looks at the
zip's declared sizes before anything is unpacked (a 400 KB file can unpack to gigabytes),
then streams the rows (openpyxl's read-only mode) and stops at a row limit. What it cannot
read safely is refused with :class:`UnreadableWorkbook`, whose message is for the user.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from xml.etree.ElementTree import iterparse

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from . import packages

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- writing -----------------------------------------------------------------------------


def new_workbook() -> Workbook:
    """An empty workbook (one sheet) to fill with :func:`append_row`."""
    return Workbook()


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Add a row at the bottom of ``sheet``; ``None`` becomes an empty cell, text stays text."""
    row = ["" if value is None else value for value in values]
    sheet.append(row)
    # the row just written, cell by cell (``sheet.max_row`` would look at every cell of the
    # sheet on each row: writing a long sheet grew with the square of its rows)
    number = sheet._current_row
    for column in range(1, len(row) + 1):
        _as_text(sheet.cell(row=number, column=column))


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes; any cell that would be a formula is written as text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                _as_text(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _as_text(cell: Any) -> None:
    if cell.data_type == "f":  # openpyxl reads any string starting with "=" as a formula
        cell.data_type = "s"


def render_xlsx(*, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet named ``title``: a bold header row, then the rows; widths fitted to text.

    Written in openpyxl's write-only mode (a long export streams instead of building a cell
    object per value); text that would read as a formula stays text."""
    table = [list(row) for row in rows]
    widths = [max(4, text_width(str(header))) for header in headers]
    for values in table:
        for index, value in enumerate(values[: len(widths)]):
            widths[index] = max(widths[index], min(60, text_width(_str(value))))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Sheet1")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        _as_text(cell)
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in table:
        sheet.append([_write_only(sheet, value) for value in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_only(sheet: Any, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        _as_text(cell)
        return cell
    return value


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def text_width(text: str) -> int:
    """Columns ``text`` takes: CJK characters take two in Excel's default font."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


# --- reading -----------------------------------------------------------------------------

#: Limits on what an uploaded workbook may unpack to (see :mod:`hemei.core.packages`).
MAX_UNPACKED_BYTES = packages.MAX_UNPACKED_BYTES
MAX_RATIO = packages.MAX_RATIO
RATIO_FROM_BYTES = packages.RATIO_FROM_BYTES
MAX_PARTS = packages.MAX_PARTS
#: Columns read per row (imports read about a dozen).
MAX_COLUMNS = 100
#: Empty rows tolerated past the row limit (formatting left on empty rows) before refusing.
EMPTY_ROWS_ALLOWED = 10_000


class UnreadableWorkbook(Exception):
    """The upload cannot be read as a workbook; ``message`` says why to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooManyRows(UnreadableWorkbook):
    """A filled row past the row limit (callers may word the limit their own way)."""


def not_a_workbook() -> UnreadableWorkbook:
    return UnreadableWorkbook(_("The file is not an Excel workbook (.xlsx)."))


def check_package(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to too much, from the sizes the zip declares
    (nothing is unpacked here: :func:`hemei.core.packages.check_declared_sizes`)."""
    try:
        packages.check_declared_sizes(
            data,
            max_unpacked=MAX_UNPACKED_BYTES,
            max_parts=MAX_PARTS,
            max_ratio=MAX_RATIO,
            ratio_from=RATIO_FROM_BYTES,
        )
    except packages.NotAPackage:
        raise not_a_workbook() from None
    except packages.PackageTooLarge:
        raise UnreadableWorkbook(
            _(
                "The workbook unpacks to more than %(limit)s MB. Save it again in Excel, or "
                "split it into smaller files."
            )
            % {"limit": MAX_UNPACKED_BYTES // 1024 // 1024}
        ) from None


class SheetReader:
    """One sheet of an opened workbook: its rows, streamed, and its merged ranges."""

    def __init__(self, sheet: Any, data: bytes, max_rows: int) -> None:
        self._sheet = sheet
        self._data = data
        self._max_rows = max_rows
        self.title: str = sheet.title

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """The rows from the first, as tuples of values (trailing empty cells dropped).

        Raises :class:`UnreadableWorkbook` at the first filled row past the row limit, or
        when more than a few thousand empty rows follow it.
        """
        self._sheet.reset_dimensions()  # the declared size may be wrong: read what is there
        pending = 0
        limit = self._max_rows
        cells = _guarded(self._sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS))
        for number, values in enumerate(cells, start=1):
            if number > limit + EMPTY_ROWS_ALLOWED:
                raise self._too_long()
            end = len(values)
            while end and values[end - 1] in (None, ""):
                end -= 1
            if not end:
                pending += 1
                continue
            if number > limit:
                raise self._too_long()
            for _empty in range(pending):
                yield ()
            pending = 0
            yield tuple(values[:end])

    def _too_long(self) -> TooManyRows:
        return TooManyRows(
            _("The sheet “%(sheet)s” has more than %(n)s rows: split it into smaller files.")
            % {"sheet": self.title, "n": self._max_rows}
        )

    def merged_ranges(self) -> list[CellRange]:
        """The sheet's merged cells (read-only mode leaves them out, so read them here)."""
        path = getattr(self._sheet, "_worksheet_path", None)
        if not path:
            return []
        ranges: list[CellRange] = []
        try:
            with zipfile.ZipFile(io.BytesIO(self._data)) as archive, archive.open(path) as source:
                for _event, element in iterparse(source):
                    if element.tag.endswith("}mergeCell") and element.get("ref"):
                        ranges.append(CellRange(element.get("ref")))
                    element.clear()
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError):
            raise not_a_workbook() from None
        return ranges


def _guarded(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """``rows``, with a broken part (bad XML, a wrong checksum) refused as not a workbook."""
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # openpyxl raises many kinds on a broken or foreign package
            raise not_a_workbook() from None
        yield values


class WorkbookReader:
    """An uploaded workbook opened for reading; close it (or use ``with``) when done."""

    def __init__(self, book: Any, data: bytes, max_rows: int) -> None:
        self._book = book
        self.sheets = [
            SheetReader(sheet, data, max_rows)
            for sheet in book.worksheets
            if hasattr(sheet, "iter_rows")  # chart sheets hold no cells
        ]

    def close(self) -> None:
        self._book.close()

    def __enter__(self) -> WorkbookReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_workbook(data: bytes, *, max_rows: int) -> WorkbookReader:
    """An uploaded .xlsx, checked before it is unpacked and read as a stream of rows.

    ``max_rows`` is the last row number a filled row may have (the header included).
    Raises :class:`UnreadableWorkbook` (with a message for the user) for anything that is
    not a workbook, unpacks to too much, or, while rows are read, runs past ``max_rows``.
    """
    if not data.startswith(b"PK\x03\x04"):
        raise not_a_workbook()
    check_package(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken or foreign package
        raise not_a_workbook() from None
    reader = WorkbookReader(book, data, max_rows)
    if not reader.sheets:
        reader.close()
        raise not_a_workbook()
    return reader

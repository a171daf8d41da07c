"""Pure renderers of a ranking circular (通报): plain data in, .docx and .xlsx bytes out.

The Word document follows the layout county offices use for official documents (GB/T 9704):
A4 paper, the issuing body in red as the heading (版头), the document number under it, a red
rule, the title in 方正小标宋简体, the body in 仿宋 at 16 pt (三号), section headings in 黑体,
then the tables, and the issuing body and date at the end. Chinese fonts are set through the
East-Asian font property (``w:eastAsia``), which is what Word reads for CJK text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from hemei.core.xlsx import append_row, new_workbook, text_width, workbook_bytes

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
RED = RGBColor(0xE0, 0x00, 0x00)


@dataclass
class Table:
    """One table of the circular: it becomes a section of the document and a sheet."""

    heading: str
    sheet: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    empty: str = ""
    #: column widths in millimetres (the text block of an A4 page is 156 mm wide)
    widths: Sequence[float] = ()


@dataclass
class Circular:
    issuing_body: str
    document_number: str
    title: str
    issued_on: str
    summary: Sequence[str]
    tables: Sequence[Table] = field(default_factory=list)


def _fonts(run: Run, east_asian: str, size: float, *, bold: bool = False) -> Run:
    run.font.name = east_asian
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), east_asian)
    fonts.set(qn("w:hAnsi"), east_asian)
    return run


def _paragraph(
    document: Any,
    text: str,
    font: str = BODY_FONT,
    size: float = 16,
    *,
    bold: bool = False,
    center: bool = False,
    right: bool = False,
    indent: bool = False,
    color: RGBColor | None = None,
) -> Paragraph:
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    run = _fonts(paragraph.add_run(text), font, size, bold=bold)
    if color is not None:
        run.font.color.rgb = color
    return paragraph


def _red_rule(paragraph: Paragraph) -> None:
    """A red line under the paragraph (the rule between the heading and the body)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "12"),
        ("w:space", "1"),
        ("w:color", "E00000"),
    ):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _table(document: Any, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = not table.widths
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(cell.paragraphs[0].add_run(str(header)), HEADING_FONT, 10)
    for values in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = ""
            _fonts(cell.paragraphs[0].add_run(_text(value)), BODY_FONT, 10)
    if table.widths:
        # Word reads the cells' widths, LibreOffice the grid's: set both.
        for column, width in zip(grid.columns, table.widths, strict=False):
            column.width = Mm(width)
        for row in grid.rows:
            for cell, width in zip(row.cells, table.widths, strict=False):
                cell.width = Mm(width)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def render_docx(circular: Circular) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _paragraph(document, circular.issuing_body, TITLE_FONT, 26, center=True, color=RED)
    number = _paragraph(document, circular.document_number, BODY_FONT, 16, center=True)
    _red_rule(number)
    _paragraph(document, "")
    _paragraph(document, circular.title, TITLE_FONT, 22, center=True, color=RED)
    _paragraph(document, "")
    for text in circular.summary:
        _paragraph(document, text, indent=True)
    for table in circular.tables:
        _paragraph(document, table.heading, HEADING_FONT, 16, indent=True)
        if table.rows:
            _table(document, table)
        else:
            _paragraph(document, table.empty, indent=True)
    _paragraph(document, "")
    _paragraph(document, circular.issuing_body, right=True)
    _paragraph(document, circular.issued_on, right=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_workbook(circular: Circular) -> bytes:
    """The same tables, one sheet each, after a first sheet with the heading and summary.

    Titles, names and the issuing body are text typed by users: they stay text (never a
    formula), through the platform's one Excel writer.
    """
    book = new_workbook()
    cover = book.active
    cover.title = circular.document_number[-31:] or "通报"
    for line in (
        circular.title,
        circular.document_number,
        circular.issuing_body,
        circular.issued_on,
        "",
        *circular.summary,
    ):
        append_row(cover, [line])
    cover["A1"].font = Font(bold=True, size=14)
    cover.column_dimensions["A"].width = 100
    for row in cover.iter_rows(min_row=6):
        row[0].alignment = Alignment(wrap_text=True)
    for table in circular.tables:
        sheet = book.create_sheet(table.sheet[:31])
        append_row(sheet, table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [text_width(str(header)) for header in table.headers]
        for values in table.rows:
            append_row(sheet, values)
            for index, value in enumerate(values[: len(widths)]):
                widths[index] = max(widths[index], min(50, text_width(_text(value))))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width + 2
        sheet.freeze_panes = "A2"
    return workbook_bytes(book)

"""Pure renderers: the public notice (公示) as a Word document for the notice board."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt


@dataclass(frozen=True)
class NoticeRow:
    household: str
    head: str
    rule: str
    points: int
    reason: str
    ends: str


NOTICE_HEADERS = [
    gettext_noop("No."),
    gettext_noop("Household no."),
    gettext_noop("Head of household"),
    gettext_noop("Rule"),
    gettext_noop("Point value"),
    gettext_noop("Grounds"),
    gettext_noop("Notice until"),
]


def render_notice_docx(
    *, village: str, rows: Sequence[NoticeRow], issued: str, how_to_object: str
) -> bytes:
    """Title, lead paragraph, one table row per entry, how to object, and the date."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    title = document.add_heading(
        _("%(village)s: public notice of governance points") % {"village": village}, level=1
    )
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        _(
            "The following points entries were reviewed by the village committee and are "
            "posted for public notice. They take effect when the notice ends without objection."
        )
    )
    table = document.add_table(rows=1, cols=len(NOTICE_HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, NOTICE_HEADERS, strict=True):
        cell.text = _(header)
    for number, row in enumerate(rows, start=1):
        cells = table.add_row().cells
        values = [
            str(number),
            row.household,
            row.head,
            row.rule,
            f"{row.points:+d}",
            row.reason,
            row.ends,
        ]
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    document.add_paragraph(how_to_object)
    closing = document.add_paragraph(issued)
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

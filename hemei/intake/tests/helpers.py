"""Real .xlsx and .docx files built for the tests, and the units the tables name."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import docx
from openpyxl import Workbook

from hemei.core.testing import COUNTY, TOWN_A, Cast
from hemei.units.models import Unit

HEADER = ["序号", "任务内容", "牵头领导", "牵头单位", "配合单位", "完成时限", "节点"]


def workbook(
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = HEADER,
    title: str | None = "2026年乡村振兴重点任务分解表",
    merges: Sequence[str] = (),
) -> bytes:
    """A sheet with an optional title row (merged across), a blank row, the header, the rows."""
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_report(paragraphs: Sequence[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def units(cast: Cast) -> dict[str, Unit]:
    """The county's agriculture bureau (from the cast) and a few more units."""
    made = {"agri": cast.unit}
    for key, name, short, division in (
        ("finance", "区财政局", "财政局", COUNTY),
        ("health", "区卫生健康局", "卫健局", COUNTY),
        ("hr", "区人力资源和社会保障局", "人社局", COUNTY),
        ("service", "田横镇农业服务中心", "农服中心", TOWN_A),
        ("organization", "田横镇组织办", "", TOWN_A),
    ):
        made[key] = Unit.objects.create(
            name=name, short_name=short, kind="department", division_id=division
        )
    return made


JUNE_END = dt.date(2026, 6, 30)
YEAR_END = dt.date(2026, 12, 31)

"""Build the default Word templates that ship with Hemei (run it after changing one, and commit
the .docx files it writes):

    python scripts/build_docx_templates.py

The templates follow the layout of official documents (GB/T 9704): A4, margins 3.7/3.5/2.8/2.6
cm, the title in 宋体 二号 (standing in for 方正小标宋, which few computers have), the text in
仿宋 三号, and at the end the boxes of the paper form: a signature box (签字：, 年 月 日) and a
seal box (（盖章）). The ``{{ … }}`` and ``{%tr … %}`` tags are docxtpl's (Jinja); each is written
as one run so that Word keeps it whole.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
#: A date left empty is filled in by hand on the printed paper.
DATE_LINE = "{% if date %}{{ date }}{% else %}　　　　年　　月　　日{% endif %}"


def set_font(target: object, name: str, size: float | None = None, bold: bool = False) -> None:
    """Latin and East Asian font of a run or a style (Word reads ``w:eastAsia`` for Chinese)."""
    font = target.font  # type: ignore[attr-defined]
    font.name = name
    if size:
        font.size = Pt(size)
    font.bold = bold
    element = target.element if hasattr(target, "element") else target._element  # type: ignore[attr-defined]
    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def new_document(body_size: float = 16) -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    set_font(normal, BODY_FONT, body_size)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    document.core_properties.author = "Hemei"
    document.core_properties.title = ""
    return document


def title(document: Document, text: str, size: float = 22) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(16)
    set_font(paragraph.add_run(text), TITLE_FONT, size, bold=True)


def line(
    document: Document,
    text: str,
    *,
    indent: bool = True,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size: float | None = None,
) -> None:
    """One paragraph: the first line indented by two characters, as official text is."""
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * (size or 16))
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.line_spacing = Pt(28 if (size or 16) >= 14 else 20)
    run = paragraph.add_run(text)
    if size:
        set_font(run, BODY_FONT, size)


def _borders(cell: object) -> None:
    """A single black line on every side of the cell (whatever the table's style says)."""
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "8")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    tc_pr.append(borders)


def _cell_text(cell: object, lines: list[str], *, size: float, align: WD_ALIGN_PARAGRAPH) -> None:
    first = True
    for text in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()  # type: ignore[attr-defined]
        first = False
        paragraph.alignment = align
        set_font(paragraph.add_run(text), BODY_FONT, size)


def items_table(
    document: Document,
    headers: list[str],
    cells: list[str],
    loop: str,
    widths: list[float],
    size: float,
) -> None:
    """A bordered table: the header row, then one row per item (docxtpl's ``{%tr for %}``)."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = table.rows
    for column, (header, width) in enumerate(zip(headers, widths, strict=True)):
        for row in rows:
            row.cells[column].width = Cm(width)
        _cell_text(rows[0].cells[column], [header], size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
        rows[0].cells[column].paragraphs[0].runs[0].font.bold = True
        _cell_text(rows[2].cells[column], [cells[column]], size=size, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_text(
        rows[1].cells[0], [f"{{%tr for {loop} %}}"], size=size, align=WD_ALIGN_PARAGRAPH.LEFT
    )
    _cell_text(rows[3].cells[0], ["{%tr endfor %}"], size=size, align=WD_ALIGN_PARAGRAPH.LEFT)
    header = rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    header.append(repeat)


def seal_boxes(
    document: Document, *, signature: bool, issuer: bool = True, size: float = 14
) -> None:
    """The boxes of the paper form, at the right: the signature box (签字：, the date or
    年 月 日 to fill in by hand) and the seal box (（盖章）, the issuing body under it)."""
    document.add_paragraph()
    columns = 2 if signature else 1
    table = document.add_table(rows=1, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    row = table.rows[0]
    row.height = Cm(4.2)  # an official seal is 4.2 cm across
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    cells = row.cells
    if signature:
        sign = cells[0]
        sign.width = Cm(6.0)
        sign.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell_text(
            sign,
            ["签字：{{ signer }}", "", DATE_LINE],
            size=size,
            align=WD_ALIGN_PARAGRAPH.LEFT,
        )
        _borders(sign)
    seal = cells[-1]
    seal.width = Cm(6.0)
    seal.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = ["（盖章）", "", "{{ issuer }}"] if issuer else ["（盖章）"]
    _cell_text(seal, lines, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
    _borders(seal)


def save(document: Document, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    print(f"wrote {path.relative_to(ROOT)}")


# --------------------------------------------------------------------------- the templates


def notice() -> Document:
    """The generic 公示 (title, village, period, text, items, contact, signer, seal, date)."""
    document = new_document()
    title(document, "{{ title }}")
    line(document, "{{ village }}全体村民：", indent=False)
    line(document, "{{ body }}")
    line(document, "公示期：{{ period_from }}至{{ period_to }}。")
    items_table(
        document,
        ["序号", "对象", "公示内容", "备注"],
        ["{{ item.no }}", "{{ item.subject }}", "{{ item.content }}", "{{ item.remark }}"],
        "item in items",
        [1.5, 4.0, 7.0, 3.0],
        size=14,
    )
    line(
        document,
        "公示期间，如有异议，请向{{ contact }}反映。反映问题应实事求是，"
        "以真实姓名反映的将予以保密。",
    )
    seal_boxes(document, signature=True)
    return document


def refusal() -> Document:
    """不予批准/不予受理决定书: applicant, matter, reasons, legal basis, the remedy, the
    issuing body with its seal, the date."""
    document = new_document()
    title(document, "{{ issuer }}", size=22)
    title(document, "{{ decision }}决定书", size=22)
    line(document, "{{ number }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    line(document, "{{ applicant }}：", indent=False)
    line(
        document,
        "你（单位）于{{ applied_on }}提出的{{ matter }}申请，本机关经审查认为：{{ reasons }}。",
    )
    line(
        document,
        "根据{{ legal_basis }}的规定，本机关决定对你（单位）的申请{{ decision }}。",
    )
    line(
        document,
        "如不服本决定，可在收到本决定书之日起六十日内依法申请行政复议"
        "或者在六个月内依法提起行政诉讼。",
    )
    seal_boxes(document, signature=True)
    return document


def points_notice() -> Document:
    """The governance points' 公示 of 红花山村 and its peers (hemei.points)."""
    document = new_document(body_size=14)
    title(document, "{{ village }}治理积分公示", size=18)
    line(document, "以下积分经村民委员会审核，现予公示。公示期满无异议后生效。", size=14)
    items_table(
        document,
        ["序号", "户号", "户主", "积分项目", "分值", "事由", "公示截止"],
        [
            "{{ row.no }}",
            "{{ row.household }}",
            "{{ row.head }}",
            "{{ row.rule }}",
            "{{ row.points }}",
            "{{ row.reason }}",
            "{{ row.ends }}",
        ],
        "row in rows",
        [1.2, 1.6, 2.0, 3.4, 1.4, 3.4, 2.6],
        size=10.5,
    )
    line(
        document,
        "本村村民如有异议，请于公示截止前在平台（积分 → 公示 → 异议）或向村委会提出。",
        size=14,
    )
    seal_boxes(document, signature=False, issuer=False)
    line(
        document, "{{ issuer }}　{{ date }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, size=14
    )
    return document


def case_form() -> Document:
    """办件审批表 (hemei.cases): the case, then one row per step taken with the boxes of the
    paper form — the office's opinion, who signed, whether it is sealed, the date."""
    document = new_document(body_size=14)
    title(document, "{{ item }}审批表", size=18)
    line(document, "办件编号：{{ number }}　　村（社区）：{{ village }}", indent=False, size=12)
    line(document, "申请人：{{ applicant }}　　申请日期：{{ applied_on }}", indent=False, size=12)
    line(document, "申请事项：{{ matter }}", indent=False, size=12)
    items_table(
        document,
        ["环节", "办理主体", "意见", "签字", "盖章", "日期"],
        [
            "{{ step.name }}",
            "{{ step.office }}",
            "{{ step.opinion }}",
            "{{ step.signer }}",
            "{{ step.seal }}",
            "{{ step.date }}",
        ],
        "step in steps",
        [3.0, 2.2, 5.0, 2.0, 1.6, 2.4],
        size=10.5,
    )
    line(document, "办理结果：{{ outcome }}", indent=False, size=12)
    seal_boxes(document, signature=True, size=12)
    return document


BUILDS = {
    ROOT / "hemei/cases/templates_docx/case_form.docx": case_form,
    ROOT / "hemei/documents/templates_docx/notice.docx": notice,
    ROOT / "hemei/documents/templates_docx/refusal.docx": refusal,
    ROOT / "hemei/points/templates_docx/points_notice.docx": points_notice,
}


def main() -> int:
    for path, build in BUILDS.items():
        save(build(), path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

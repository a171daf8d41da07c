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


# --------------------------------------------------------------------------- homestead forms
# The five forms of 农村宅基地和建房（规划许可）审批 (hemei.homestead, DOMAIN §1.3): a grid of
# boxes as on the paper forms, in 仿宋 五号, with the signature, seal and date in each box.

#: The width of the text area (A4 less the margins), shared by the columns of a form.
FORM_WIDTH = 15.6
BLANK_DATE = "　　　　年　　月　　日"


def date_of(name: str) -> str:
    """The date ``name`` or, when empty, 年 月 日 to fill in by hand."""
    return f"{{% if {name} %}}{{{{ {name} }}}}{{% else %}}{BLANK_DATE}{{% endif %}}"


def form_table(
    document: Document,
    widths: list[float],
    rows: list[list[object]],
    *,
    size: float = 10.5,
    heights: dict[int, float] | None = None,
) -> None:
    """A grid of boxes. Each row lists its cells: a text, a list of lines, or ``(text or
    lines, span)`` for a box over several columns. Boxes holding a ``{{ … }}`` value are
    aligned left, labels centred; ``heights`` gives rows (by index) a least height in cm."""
    table = document.add_table(rows=len(rows), cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid, which WPS and LibreOffice read
    for index, spec in enumerate(rows):
        row = table.rows[index]
        for column, width in enumerate(widths):
            row.cells[column].width = Cm(width)
        if heights and index in heights:
            row.height = Cm(heights[index])
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        column = 0
        for cell_spec in spec:
            content, span = cell_spec if isinstance(cell_spec, tuple) else (cell_spec, 1)
            lines = content if isinstance(content, list) else [content]
            cell = table.cell(index, column)
            if span > 1:
                cell = cell.merge(table.cell(index, column + span - 1))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            value = any("{{" in text or "{%" in text for text in lines) or len(lines) > 1
            _cell_text(
                cell,
                lines,
                size=size,
                align=WD_ALIGN_PARAGRAPH.LEFT if value else WD_ALIGN_PARAGRAPH.CENTER,
            )
            column += span
        if column != len(widths):
            raise ValueError(f"row {index} spans {column} columns, not {len(widths)}")


def section_row(text: str, columns: int = 8) -> list[object]:
    return [(text, columns)]


def loop_rows(loop: str, cells: list[object], columns: int = 8) -> list[list[object]]:
    """The rows of a docxtpl ``{%tr for %}`` loop: the tag, the repeated row, the end."""
    return [[(f"{{%tr for {loop} %}}", columns)], cells, [("{%tr endfor %}", columns)]]


def opinion_box(prefix: str, head: str, *, seal: bool) -> list[str]:
    """An office's box: its opinion, who signs, the seal, the date."""
    lines = [f"{{{{ {prefix}_opinion }}}}", "", f"{head}（签字）：{{{{ {prefix}_signer }}}}"]
    if seal:
        lines.append(f"（盖章）{{{{ {prefix}_seal }}}}")
    lines.append(date_of(f"{prefix}_date"))
    return lines


def homestead_application() -> Document:
    """《农村宅基地和建房（规划许可）申请表》 (DOMAIN §1.3 A)."""
    document = new_document(body_size=10.5)
    title(document, "农村宅基地和建房（规划许可）申请表", size=18)
    line(
        document,
        "申请编号：{{ number }}　　申请日期：{{ applied_on }}",
        indent=False,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        size=10.5,
    )
    widths = [2.0, 2.0, 2.0, 1.8, 2.0, 2.0, 2.0, 1.8]
    rows: list[list[object]] = [
        section_row("申请户主信息"),
        [
            "姓名",
            "{{ head_name }}",
            "性别",
            "{{ head_gender }}",
            "年龄",
            "{{ head_age }}",
            "民族",
            "{{ head_ethnicity }}",
        ],
        ["联系电话", ("{{ head_phone }}", 3), "身份证号", ("{{ head_id_number }}", 3)],
        ["户口所在地", ("{{ registered_at }}", 3), "户口性质", ("{{ registration_type }}", 3)],
        section_row("家庭成员情况"),
        [
            "姓名",
            "性别",
            "年龄",
            "与户主关系",
            ("身份证号", 2),
            "户口所在地",
            "户口性质",
        ],
        *loop_rows(
            "m in members",
            [
                "{{ m.name }}",
                "{{ m.gender }}",
                "{{ m.age }}",
                "{{ m.relation }}",
                ("{{ m.id_number }}", 2),
                "{{ m.registered_at }}",
                "{{ m.registration_type }}",
            ],
        ),
        section_row("现宅基地及农房情况"),
        [
            "宅基地面积（㎡）",
            "{{ current_site_area }}",
            "房屋建筑面积（㎡）",
            "{{ current_floor_area }}",
            "权属证书号",
            ("{{ current_certificate }}", 3),
        ],
        ["现宅基地处置情况", ("{{ disposal_marks }}", 7)],
        section_row("拟申请宅基地及建房（规划许可）情况"),
        [
            "宅基地面积（㎡）",
            "{{ site_area }}",
            "房基占地面积（㎡）",
            "{{ footprint }}",
            "地址",
            ("{{ address }}", 3),
        ],
        ["四至", ("东至：{{ east }}　南至：{{ south }}　西至：{{ west }}　北至：{{ north }}", 7)],
        ["地类", ("{{ land_type_marks }}", 7)],
        ["是否符合村庄规划", ("{{ fits_plan_marks }}", 7)],
        ["建房类型", ("{{ build_type_marks }}", 7)],
        [
            "住房建筑面积（㎡）",
            "{{ floor_area }}",
            "建筑层数",
            "{{ floors }}",
            "建筑高度（米）",
            "{{ height }}",
            "基底/台基高度（米）",
            "{{ base_height }}",
        ],
        ["是否选用通用设计图集", ("{{ design }}", 7)],
        section_row("四邻意见"),
        ["方位", ("姓名", 2), ("意见", 4), "签字"],
        *loop_rows(
            "n in neighbours",
            ["{{ n.side }}", ("{{ n.name }}", 2), ("{{ n.opinion }}", 4), ""],
        ),
    ]
    reason = len(rows)
    rows += [
        [
            "申请理由",
            (
                [
                    "{{ reason }}",
                    "",
                    "申请人（签字）：{{ applicant }}",
                    date_of("applied_on"),
                ],
                7,
            ),
        ],
        ["村民小组意见", (opinion_box("group", "负责人", seal=False), 7)],
        ["村集体经济组织或村民委员会意见", (opinion_box("village", "负责人", seal=True), 7)],
    ]
    form_table(
        document,
        widths,
        rows,
        heights={reason: 3.0, reason + 1: 3.0, reason + 2: 3.6},
    )
    return document


def homestead_approval_form() -> Document:
    """《农村宅基地和建房（规划许可）审批表》 (DOMAIN §1.3 B): the case, the joint review's
    opinions (one row per office) and the town's decision with its seal."""
    document = new_document(body_size=10.5)
    title(document, "农村宅基地和建房（规划许可）审批表", size=18)
    line(
        document,
        "申请编号：{{ number }}　　申请日期：{{ applied_on }}",
        indent=False,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        size=10.5,
    )
    widths = [2.0, 2.2, 1.8, 2.2, 1.8, 1.8, 1.8, 2.0]
    rows: list[list[object]] = [
        [
            "申请户主",
            "{{ head_name }}",
            "身份证号",
            ("{{ head_id_number }}", 3),
            "联系电话",
            "{{ head_phone }}",
        ],
        ["所在村", "{{ village }}", "建房类型", ("{{ build_type }}", 3), "地类", "{{ land_type }}"],
        ["建设地点", ("{{ address }}", 7)],
        ["四至", ("东至：{{ east }}　南至：{{ south }}　西至：{{ west }}　北至：{{ north }}", 7)],
        [
            "宅基地面积（㎡）",
            "{{ site_area }}",
            "房基占地面积（㎡）",
            "{{ footprint }}",
            "住房建筑面积（㎡）",
            "{{ floor_area }}",
            "层数/高度",
            "{{ floors }}层/{{ height }}米",
        ],
        ["是否符合村庄规划", ("{{ fits_plan }}", 3), "现宅基地处置", ("{{ disposal }}", 3)],
        section_row("乡镇有关部门联审意见"),
        ["部门", ("意见", 3), "是否同意", "经办人", "盖章", "日期"],
        *loop_rows(
            "o in opinions",
            [
                "{{ o.office }}",
                ("{{ o.opinion }}", 3),
                "{{ o.agrees }}",
                "{{ o.signer }}",
                "{{ o.seal }}",
                "{{ o.date }}",
            ],
        ),
    ]
    decision = len(rows)
    rows.append(["乡镇政府审核意见", (opinion_box("town", "负责人", seal=True), 7)])
    form_table(document, widths, rows, heights={decision: 4.2})
    line(
        document,
        "注：本表一式三份，乡镇政府、村集体经济组织或村委会、申请户各存一份。",
        indent=False,
        size=10.5,
    )
    return document


def homestead_approval() -> Document:
    """《农村宅基地批准书》 (DOMAIN §1.3 C): its number, the holder, where, how much, 四至,
    the date, and the town's seal."""
    document = new_document(body_size=12)
    title(document, "农村宅基地批准书", size=22)
    line(document, "{{ number }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    widths = [3.4, 4.4, 3.4, 4.4]
    form_table(
        document,
        widths,
        [
            ["户主姓名", "{{ holder }}", "家庭人口", "{{ family_size }}"],
            ["身份证号", ("{{ holder_id_number }}", 3)],
            ["所在村", "{{ village }}", "建房类型", "{{ build_type }}"],
            ["宅基地坐落", ("{{ address }}", 3)],
            ["批准宅基地面积（㎡）", "{{ site_area }}", "其中房基占地（㎡）", "{{ footprint }}"],
            ["地类", ("{{ land_type }}", 3)],
            [
                "四至",
                (
                    [
                        "东至：{{ east }}",
                        "南至：{{ south }}",
                        "西至：{{ west }}",
                        "北至：{{ north }}",
                    ],
                    3,
                ),
            ],
            ["批准日期", ("{{ approved_on }}", 3)],
        ],
        size=12,
    )
    line(
        document,
        "经审核，同意你户按照本批准书核定的位置、面积和四至使用宅基地建房。开工前须经乡镇定点"
        "放样到场，施工中接受巡查，竣工后申请验收。不得超出批准面积和四至建房。",
        size=12,
    )
    seal_boxes(document, signature=False, size=12)
    line(document, date_of("date"), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, size=12)
    return document


def homestead_permit() -> Document:
    """《乡村建设规划许可证》 (DOMAIN §1.3 C): its number, the building and the issuer."""
    document = new_document(body_size=12)
    title(document, "乡村建设规划许可证", size=22)
    line(document, "编号：{{ number }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    line(
        document,
        "根据《中华人民共和国城乡规划法》第四十一条和国家有关规定，经审核，本建设工程符合"
        "国土空间规划和用途管制要求，颁发此证。",
        size=12,
    )
    widths = [3.4, 4.4, 3.4, 4.4]
    form_table(
        document,
        widths,
        [
            ["建设单位（个人）", ("{{ holder }}", 3)],
            ["建设项目名称", ("{{ project }}", 3)],
            ["建设位置", ("{{ address }}", 3)],
            [
                "四至",
                ("东至：{{ east }}　南至：{{ south }}　西至：{{ west }}　北至：{{ north }}", 3),
            ],
            ["宅基地面积（㎡）", "{{ site_area }}", "房基占地面积（㎡）", "{{ footprint }}"],
            ["建筑面积（㎡）", "{{ floor_area }}", "建筑层数", "{{ floors }}"],
            ["建筑高度（米）", "{{ height }}", "基底/台基高度（米）", "{{ base_height }}"],
            ["农村宅基地批准书号", ("{{ approval_number }}", 3)],
            ["发证日期", ("{{ approved_on }}", 3)],
        ],
        size=12,
    )
    line(document, "遵守事项：", indent=False, size=10.5)
    for text in (
        "一、本证是经依法审核，在乡、村庄规划区内有关建设工程符合国土空间规划和用途管制要求"
        "的法律凭证。",
        "二、依法应当取得本证，但未取得本证或违反本证规定的，均属违法行为。",
        "三、未经发证机关审核同意，本证的各项规定不得随意变更。",
        "四、本证所需附图与附件由发证机关依法确定，与本证具有同等法律效力。",
    ):
        line(document, text, indent=False, size=10.5)
    seal_boxes(document, signature=False, size=12)
    line(document, date_of("date"), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, size=12)
    return document


def homestead_acceptance() -> Document:
    """《农村宅基地和建房（规划许可）验收意见表》 (DOMAIN §1.3 D): the numbers, the dates,
    approved against built, the hand-back, each office's box with 经办人 and date, the
    town's with its seal, the sketch of the house and the photos."""
    document = new_document(body_size=10.5)
    title(document, "农村宅基地和建房（规划许可）验收意见表", size=18)
    widths = [2.2, 1.7, 2.2, 1.7, 2.2, 1.7, 2.2, 1.7]
    rows: list[list[object]] = [
        ["申请编号", ("{{ number }}", 3), "户主", ("{{ head_name }}", 3)],
        ["身份证号", ("{{ head_id_number }}", 3), "建设地点", ("{{ address }}", 3)],
        [
            "乡村建设规划许可证号",
            ("{{ permit_number }}", 3),
            "农村宅基地批准书号",
            ("{{ approval_number }}", 3),
        ],
        [
            "施工负责人",
            "{{ builder }}",
            "开工日期",
            "{{ started_on }}",
            "竣工日期",
            ("{{ completed_on }}", 3),
        ],
        [
            "批准宅基地面积（㎡）",
            "{{ site_area }}",
            "实用宅基地面积（㎡）",
            "{{ actual_site_area }}",
            "批准房基占地面积（㎡）",
            "{{ footprint }}",
            "实际房基占地面积（㎡）",
            "{{ actual_footprint }}",
        ],
        [
            "批建层数/高度",
            ("{{ floors }}层/{{ height }}米", 3),
            "竣工层数/高度",
            ("{{ actual_floors }}层/{{ actual_height }}米", 3),
        ],
        ["拆旧退还宅基地情况", ("{{ handback }}", 7)],
        *loop_rows(
            "o in opinions",
            [
                "{{ o.office }}",
                (
                    [
                        "{{ o.opinion }}",
                        "",
                        "经办人（签字）：{{ o.signer }}　　" + date_of("o.date"),
                    ],
                    7,
                ),
            ],
        ),
    ]
    town = len(rows)
    rows += [
        ["乡镇政府验收意见", (opinion_box("town", "经办人", seal=True), 7)],
        [
            "农房竣工平面简图",
            (["{{ sketch }}", "", "", "", "", "绘图人：{{ drawer }}　　" + date_of("drawn_on")], 7),
        ],
        ["主房及附属设施照片", ("{{ photos }}", 7)],
    ]
    form_table(document, widths, rows, heights={town: 4.2, town + 1: 6.0, town + 2: 2.0})
    return document


BUILDS = {
    ROOT / "hemei/cases/templates_docx/case_form.docx": case_form,
    ROOT / "hemei/documents/templates_docx/notice.docx": notice,
    ROOT / "hemei/documents/templates_docx/refusal.docx": refusal,
    ROOT / "hemei/points/templates_docx/points_notice.docx": points_notice,
    ROOT / "hemei/homestead/templates_docx/homestead_application.docx": homestead_application,
    ROOT / "hemei/homestead/templates_docx/homestead_approval_form.docx": homestead_approval_form,
    ROOT / "hemei/homestead/templates_docx/homestead_approval.docx": homestead_approval,
    ROOT / "hemei/homestead/templates_docx/homestead_permit.docx": homestead_permit,
    ROOT / "hemei/homestead/templates_docx/homestead_acceptance.docx": homestead_acceptance,
}


def main() -> int:
    for path, build in BUILDS.items():
        save(build(), path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

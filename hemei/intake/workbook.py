"""The downloadable decomposition table template: the format the import reads, by example."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment, Font

from hemei.core import clock
from hemei.core.xlsx import append_row, new_workbook, workbook_bytes

from .sheet import COLUMNS

TEMPLATE_COLUMNS = (
    "number",
    "title",
    "leader",
    "lead_unit",
    "co_units",
    "due",
    "milestones",
    "theme",
    "programs",
    "responsible",
    "description",
)
WIDTHS = (8, 40, 12, 20, 28, 14, 40, 12, 16, 10, 24)

INSTRUCTIONS = (
    "填表说明",
    "1. 表头行可以放在前15行中的任意一行，表头上方可以有标题；列的顺序不限。",
    "2. 必填列：序号、任务内容、牵头单位、完成时限。可选列：牵头领导、配合单位、节点、节点时限、"
    "主题、所属专项、责任人、备注。常见的同义表头也可识别（如“完成时间”“责任单位”）。",
    "3. 序号写作 1、2、3；子任务写作 1.1、1.2（成为任务1的子任务），可以多级（1.1.1）。序号不能重复。",
    "4. 牵头单位、配合单位填写平台上的单位全称或简称，多个单位用“、”“，”“；”或换行分隔；"
    "牵头单位写多个时，第一个为牵头单位，其余作为配合单位。",
    "5. 牵头领导填写平台上具有领导角色的人员姓名（可在括号中注明职务，如“王强（副区长）”）；"
    "责任人填写平台上的人员姓名。",
    "6. 完成时限可以写 2026-06-30、2026/6/30、2026年6月30日，或按导入时选择的年份写“6月底”“年底”"
    "“上半年”“三季度”，也可以是 Excel 日期单元格。",
    "7. 节点：每个节点“时间在前、内容在后”，如“6月底前完成摸底；9月底前完成建设”，用“；”或换行分隔；"
    "也可以另设“节点时限”列，与“节点”列按顺序一一对应。节点时间不能晚于完成时限。",
    "8. 主题填写：产业振兴、人才振兴、文化振兴、生态振兴、组织振兴或其他（留空为其他）。"
    "所属专项为任务的专项标签（如“六大攻坚战”），多个用“、”分隔，平台上没有的会新建。",
    "9. 合并单元格：同一列上下合并（常见于牵头领导、牵头单位、完成时限）视为“同上”；"
    "序号、任务内容不能合并，也不能左右合并单元格（如分类标题行），这些会被列为错误。",
    "10. 整个表格没有任何错误才会导入（全部导入或全部不导入）。同一表格重复导入到同一区划、会议和上级任务时，"
    "已导入的任务（任务内容相同）会被跳过，不会重复创建。",
)


@dataclass(frozen=True)
class Example:
    """The names the example rows use: the user's own units and people where they exist, so
    that the template imports as it is and shows what the platform knows."""

    leader: str = "李丽"
    lead_unit: str = "区农业农村局"
    co_units: tuple[str, ...] = ("区卫生健康局", "区财政局")
    other_unit: str = "区人力资源和社会保障局"
    responsible: str = "丁丹"


def example_for(division: Any) -> Example:
    """Example names from the platform: a leader, units and a person of ``division``."""
    from .matching import PeopleIndex, units_for

    default = Example()
    units = [unit.name for unit in units_for(division)][:4]
    people = PeopleIndex(division)
    leaders = sorted(people.leaders)
    others = sorted(name for name in people.people if name not in people.leaders)
    return Example(
        leader=leaders[0] if leaders else default.leader,
        lead_unit=units[0] if units else default.lead_unit,
        co_units=tuple(units[1:3]) if len(units) > 2 else default.co_units,
        other_unit=units[3] if len(units) > 3 else default.other_unit,
        responsible=others[0] if others else default.responsible,
    )


def render_template(example: Example | None = None) -> bytes:
    """The template workbook: a title, the header row, three example rows, instructions."""
    example = example or Example()
    year = clock.today().year
    book = new_workbook()
    sheet = book.active
    sheet.title = "任务分解表"
    append_row(sheet, [f"{year}年乡村振兴重点工作任务分解表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TEMPLATE_COLUMNS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append_row(sheet, [COLUMNS[key][0] for key in TEMPLATE_COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    append_row(
        sheet,
        [
            "1",
            "推进农村户厕改造提升",
            example.leader,
            example.lead_unit,
            "、".join(example.co_units),
            f"{year}-12-31",
            "6月底前完成摸底；9月底前完成改造",
            "生态振兴",
            "六大攻坚战",
            example.responsible,
            "",
        ],
    )
    append_row(
        sheet,
        [
            "1.1",
            "完成改厕需求摸底",
            example.leader,
            example.lead_unit,
            "",
            "6月底",
            "",
            "生态振兴",
            "",
            "",
            "子任务：序号 1.1 属于任务 1",
        ],
    )
    append_row(
        sheet,
        [
            "2",
            "培育高素质农民",
            example.leader,
            example.lead_unit,
            example.other_unit,
            f"{year}年11月30日",
            "5月底前制定培训计划\n10月底前完成培训",
            "人才振兴",
            "15件实事",
            "",
            "",
        ],
    )
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    notes = book.create_sheet("填表说明")
    for line in INSTRUCTIONS:
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 120
    notes["A1"].font = Font(bold=True)
    return workbook_bytes(book)

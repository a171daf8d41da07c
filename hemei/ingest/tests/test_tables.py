"""A Word report's task table: each row is a demand with its lead unit and deadline."""

from __future__ import annotations

import io

import docx

from hemei.ingest import ingest
from hemei.ingest.readers import read_document


def _minutes() -> bytes:
    document = docx.Document()
    document.add_paragraph("石湾镇乡村振兴工作专题会议纪要")
    document.add_paragraph(
        "5月12日上午，镇党委书记钟立华在镇政府二楼会议室主持召开乡村振兴工作专题会议，"
        "研究部署二季度重点工作。会议议定事项如下。"
    )
    document.add_paragraph("一、会议要求，各村、各站所按下表分工抓好落实。")
    table = document.add_table(rows=3, cols=4)
    rows = [
        ("序号", "工作事项", "责任单位", "完成时限"),
        ("1", "完成全镇农村生活污水治理设施排查，建立问题台账", "镇生态环境办", "6月20日前"),
        ("2", "组织各村开展人居环境整治“红黑榜”评比", "镇农业服务中心", "6月底前"),
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("参加会议：钟立华、孟凡宇，镇属各站所负责人。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_each_row_of_a_task_table_is_a_directive_with_its_unit_and_deadline() -> None:
    result = ingest(read_document(_minutes(), "minutes.docx"), year=2026)
    rows = [d for d in result.directives if d.text.startswith(("1.", "2."))]
    assert [(d.responsible, d.deadline_text) for d in rows] == [
        (["镇生态环境办"], "6月20日前"),
        (["镇农业服务中心"], "6月底前"),
    ]
    assert "完成全镇农村生活污水治理设施排查" in rows[0].text
    assert rows[0].source == rows[0].text


def test_a_table_of_facts_without_a_unit_column_is_not_a_demand() -> None:
    document = docx.Document()
    document.add_paragraph("3月2日，青河县召开农村工作会议。")
    table = document.add_table(rows=2, cols=2)
    for cell, value in zip(table.rows[0].cells, ("指标", "完成值"), strict=True):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ("粮食播种面积", "52.3万亩"), strict=True):
        cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    result = ingest(read_document(buffer.getvalue(), "facts.docx"), year=2026)
    assert result.directives == []

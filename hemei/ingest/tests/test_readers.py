"""Reading uploaded reports: text in any encoding, Word documents and web pages."""

from __future__ import annotations

import io

import docx
import pytest

from hemei.ingest import IngestError
from hemei.ingest.readers import read_document, table_lines

REPORT = "4月17日，我市召开乡村振兴专题会议。市委书记李猛讲话。"


def _docx_bytes() -> bytes:
    """Build a small Word document with a paragraph and a table."""
    document = docx.Document()
    document.add_paragraph("德州召开乡村振兴专题会议")
    document.add_paragraph(REPORT)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "任务"
    table.cell(0, 1).text = "责任单位"
    table.cell(1, 0).text = "农村改厕"
    table.cell(1, 1).text = "市农业农村局"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_reads_text_files_in_any_encoding() -> None:
    assert read_document(REPORT.encode("gbk"), "report.txt") == REPORT
    assert read_document(REPORT.encode("utf-8-sig"), "REPORT.TXT") == REPORT


def test_it_reads_docx_paragraphs_and_a_table_row_per_line() -> None:
    text = read_document(_docx_bytes(), "report.docx")
    assert text.split("\n") == [
        "德州召开乡村振兴专题会议",
        REPORT,
        "农村改厕（责任单位：市农业农村局）。",
    ]


def test_a_task_table_reads_as_numbered_demands_with_their_columns() -> None:
    rows = [
        ["序号", "工作任务", "牵头单位", "完成时限"],
        ["1", "完成高标准农田建设并通过验收。", "县农业农村局", "11月底前"],
        ["2", "新建村级集体经济示范项目", "县委组织部", ""],
        ["合计：2项"],
    ]
    assert table_lines(rows) == [
        "1. 完成高标准农田建设并通过验收（牵头单位：县农业农村局，完成时限：11月底前）。",
        "2. 新建村级集体经济示范项目（牵头单位：县委组织部）。",
        "合计：2项",
    ]


def test_a_table_without_a_header_joins_its_cells() -> None:
    assert table_lines([["县农业农村局", "负责全县高标准农田建设的组织实施"], ["", ""]]) == [
        "县农业农村局；负责全县高标准农田建设的组织实施"
    ]


def test_it_reads_html_body_without_title_scripts_and_styles() -> None:
    page = (
        "<html><head><title>会议</title><style>p{color:red}</style></head><body>"
        "<script>var x = '不要';</script><div>德州召开会议</div><p>"
        + REPORT
        + "<br>第二行</p><ul><li>一</li><li>二</li></ul></body></html>"
    )
    text = read_document(page.encode("utf-8"), "page.html")
    assert text.split("\n") == ["德州召开会议", REPORT, "第二行", "一", "二"]
    assert "不要" not in text and "color" not in text


def test_it_refuses_a_broken_docx() -> None:
    with pytest.raises(IngestError, match=r"not a valid \.docx"):
        read_document(b"this is not a zip file", "report.docx")


def test_it_refuses_unknown_extensions_and_empty_files() -> None:
    with pytest.raises(IngestError, match=r"Unsupported file type '\.pdf'"):
        read_document(b"%PDF-1.4", "report.pdf")
    with pytest.raises(IngestError, match="Unsupported file type"):
        read_document(b"text", "report")
    with pytest.raises(IngestError, match="empty"):
        read_document(b"", "report.txt")


def test_it_separates_adjacent_links_but_not_links_inside_sentences() -> None:
    page = "<div><a>首页</a><a>政务公开</a><a>政务服务</a></div><p>详见<a href='x'>通知</a>。</p>"
    assert read_document(page.encode("utf-8"), "page.htm").split("\n") == [
        "首页 政务公开 政务服务",
        "详见通知。",
    ]


def test_it_leaves_only_the_article_of_a_government_page() -> None:
    from hemei.ingest import ingest

    page = (
        "<html><head><title>会议召开_某县人民政府</title></head><body>"
        "<div><a>首页</a><a>政务公开</a><a>政务服务</a><a>互动交流</a></div>"
        "<div>当前位置：首页 &gt; 新闻中心</div><h1>全县农村工作会议召开</h1>"
        "<div>发布时间：2026-02-12 来源：县农业农村局 字号：[大 中 小] 浏览次数：356</div>"
        "<p>2月11日,全县农村工作会议在县委礼堂召开。县委书记周明远出席会议并讲话。</p>"
        "<p>周明远强调,要守牢粮食安全底线,各乡镇要在3月底前完成春播任务。</p>"
        "<div>分享到：<a>微信</a><a>微博</a></div><div><a>网站地图</a> | <a>联系我们</a>"
        "<p>主办单位：某县人民政府办公室</p><p>网站标识码：123 ICP备12345号</p></div></body></html>"
    )
    result = ingest(read_document(page.encode("utf-8"), "page.html"))
    assert result.text.split("\n") == [
        "全县农村工作会议召开",
        "2月11日，全县农村工作会议在县委礼堂召开。县委书记周明远出席会议并讲话。",
        "周明远强调，要守牢粮食安全底线，各乡镇要在3月底前完成春播任务。",
    ]
    assert len(result.removed) == 7

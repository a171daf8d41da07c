"""Reading uploaded reports: text in any encoding, Word documents and web pages."""

from __future__ import annotations

import io

import docx
import pytest

from hemei.ingest import IngestError
from hemei.ingest.readers import read_document

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


def test_it_reads_docx_paragraphs_and_table_cells() -> None:
    text = read_document(_docx_bytes(), "report.docx")
    assert text.split("\n") == [
        "德州召开乡村振兴专题会议",
        REPORT,
        "任务",
        "责任单位",
        "农村改厕",
        "市农业农村局",
    ]


def test_it_reads_html_title_and_body_without_scripts_and_styles() -> None:
    page = (
        "<html><head><title>会议</title><style>p{color:red}</style></head><body>"
        "<script>var x = '不要';</script><div>德州召开会议</div><p>"
        + REPORT
        + "<br>第二行</p><ul><li>一</li><li>二</li></ul></body></html>"
    )
    text = read_document(page.encode("utf-8"), "page.html")
    assert text.split("\n") == ["会议", "德州召开会议", REPORT, "第二行", "一", "二"]
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

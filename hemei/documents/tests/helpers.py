"""Word files for the tests: a template written with python-docx from a few paragraphs."""

from __future__ import annotations

import io
import zipfile

from docx import Document


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def texts(data: bytes) -> str:
    """Every paragraph of the document, the table cells' included, one per line."""
    document = Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(paragraph.text for paragraph in cell.paragraphs)
    return "\n".join(lines)


def zip_bomb() -> bytes:
    """A small .docx whose one extra part unpacks to 40 MB of zeros."""
    out = io.BytesIO(docx_with("{{ title }}"))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * (40 * 1024 * 1024))
    return out.getvalue()

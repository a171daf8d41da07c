"""Read the text out of an uploaded report: .txt (any encoding), .docx or .html."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from pathlib import PurePath

from hemei.ingest.errors import IngestError
from hemei.ingest.normalize import decode_bytes

__all__ = ["SUPPORTED_EXTENSIONS", "read_document"]

SUPPORTED_EXTENSIONS = (".txt", ".docx", ".html", ".htm")


def _words(text: str) -> tuple[str, ...]:
    """Return the space-separated words of a lexicon string."""
    return tuple(text.split())


_BLOCK_TAGS = frozenset(
    _words(
        "address article aside blockquote br dd div dl dt fieldset figcaption figure footer "
        "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot "
        "th thead tr ul"
    )
)
# <title> usually repeats the headline with the site name ("…_某县人民政府"); the body has it.
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "title"})
# Adjacent links get a space between them so that a menu does not read as one word.
_SPACED_TAGS = frozenset({"a", "button", "option"})


class _TextExtractor(HTMLParser):
    """Collect visible text, one line per block element, skipping scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.after_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a skipped region or break the line before a block element."""
        if tag in _SKIPPED_TAGS:
            self.skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _SPACED_TAGS and self.after_link:
            self.parts.append(" ")
        self.after_link = False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Treat ``<br/>`` and friends as line breaks."""
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Close a skipped region or break the line after a block element."""
        if tag in _SKIPPED_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        self.after_link = tag in _SPACED_TAGS

    def handle_data(self, data: str) -> None:
        """Keep text outside skipped regions."""
        if not self.skip_depth:
            self.parts.append(data)
            if data.strip():
                self.after_link = False

    def text(self) -> str:
        """Return the collected text with blank lines dropped."""
        lines = (line.strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _read_html(data: bytes) -> str:
    """Return the visible text of an HTML page."""
    parser = _TextExtractor()
    parser.feed(decode_bytes(data))
    parser.close()
    return parser.text()


def _read_docx(data: bytes) -> str:
    """Return the paragraphs and table cells of a .docx document, in document order."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError("The file is not a valid .docx document.")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on broken packages
        raise IngestError("The file is not a valid .docx document.") from error
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            rows: list[list[str]] = []
            for row in Table(block, document).rows:
                seen: set[int] = set()
                cells: list[str] = []
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
                rows.append(cells)
            lines.extend(table_lines(rows))
    return "\n".join(line for line in lines if line.strip())


_HEADER_CELL = 10
_SEQUENCE_HEADERS = ("序号", "编号", "序", "No.", "No")
#: Header words of the column that says what is to be done (else the longest column is it).
_TASK_HEADERS = ("任务", "事项", "内容", "措施", "工作")
_CLAUSE_END = "。；！？;"


def table_lines(rows: list[list[str]]) -> list[str]:
    """Return one line per row of a table, so a task table reads as a list of demands.

    Where the first row is a header (every cell short and not a number), each later row is
    written as its sequence number, its task column (headed 任务, 事项, 内容 … or else the
    longest) and the other columns as
    ``label：value`` in brackets: "1. 完成…（牵头单位：县农业农村局，完成时限：11月底前）。"
    (commas, not semicolons: the row stays one sentence).
    A table without a header has its cells joined with "；". A row of one cell stays as it is.
    """
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        return []
    header = rows[0]
    has_header = len(rows) > 1 and all(
        cell and len(cell) <= _HEADER_CELL and not cell.isdigit() for cell in header
    )
    if not has_header:
        return [_joined(row) for row in rows]
    body = [row for row in rows[1:] if len(row) == len(header)]
    others = [_joined(row) for row in rows[1:] if len(row) != len(header)]
    if not body:
        return [_joined(header), *others]
    sequence = next((i for i, label in enumerate(header) if label in _SEQUENCE_HEADERS), None)
    lengths = [sum(len(row[i]) for row in body) for i in range(len(header))]
    candidates = [i for i in range(len(header)) if i != sequence]
    named = [i for i in candidates if any(word in header[i] for word in _TASK_HEADERS)]
    main = max(named or candidates, key=lambda i: lengths[i])
    lines = []
    for row in body:
        details = "，".join(
            f"{header[i]}：{row[i]}"
            for i in range(len(header))
            if i not in (sequence, main) and row[i]
        )
        number = f"{row[sequence]}. " if sequence is not None and row[sequence] else ""
        task = row[main].rstrip(_CLAUSE_END)
        lines.append(f"{number}{task}（{details}）。" if details else f"{number}{task}。")
    return [*lines, *others]


def _joined(row: list[str]) -> str:
    cells = [cell for cell in row if cell]
    return cells[0] if len(cells) == 1 else "；".join(cells)


def read_document(data: bytes, filename: str) -> str:
    """Return the text of an uploaded report, chosen by the file's extension.

    ``.txt`` may be in any common Chinese encoding; ``.docx`` yields paragraphs and table
    cells; ``.html``/``.htm`` yields visible text with block elements on their own lines.
    Raises :class:`IngestError` for empty data, an unknown extension or a broken document.
    """
    extension = PurePath(filename or "").suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise IngestError(
            f"Unsupported file type {extension or '(none)'!r}; expected one of {supported}."
        )
    if not data:
        raise IngestError("The file is empty.")
    if extension == ".docx":
        text = _read_docx(data)
    elif extension in (".html", ".htm"):
        text = _read_html(data)
    else:
        text = decode_bytes(data)
    if not text.strip():
        raise IngestError("The file holds no text.")
    return text

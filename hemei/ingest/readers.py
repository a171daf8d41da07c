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
            for row in Table(block, document).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    lines.append(cell.text)
    return "\n".join(line for line in lines if line.strip())


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

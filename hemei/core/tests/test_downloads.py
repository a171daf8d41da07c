"""The one way files are served: saved, not opened in the site; photos alone shown in place."""

import re
from pathlib import Path

from hemei.core.downloads import download

HEMEI = Path(__file__).resolve().parents[2]


def test_a_document_is_an_attachment_with_its_utf8_name_even_when_asked_inline() -> None:
    response = download(b"%PDF-1.4\n", filename="通报\r\n.pdf", inline=True)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E9%80%9A%E6%8A%A5_.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_photo_may_be_shown_in_place() -> None:
    response = download(b"\x89PNG", filename="../照片.png", content_type="image/png", inline=True)
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert "%2F" not in response["Content-Disposition"]  # no path in the name


def test_every_file_is_served_through_core_downloads() -> None:
    offending = [
        f"{path.relative_to(HEMEI)}: {match.group(0)}"
        for path in HEMEI.rglob("*.py")
        if "tests" not in path.relative_to(HEMEI).parts
        and path.relative_to(HEMEI).as_posix() != "core/downloads.py"
        for match in re.finditer(
            r"FileResponse|content_disposition_header|Content-Disposition",
            path.read_text("utf-8"),
        )
    ]
    assert offending == []

"""Serving a file: the one way every view answers with a document, an export or evidence.

The browser is told to save the file (``Content-Disposition: attachment`` with the name in
UTF-8 as ``filename*``), never to guess its type (``X-Content-Type-Options: nosniff``).
Only a photo may be shown in the page instead (``inline``), so that ``<img>`` can show it: a
PDF, an Office file or anything else is always downloaded, never opened inside the site.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import PurePath
from typing import IO

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header

#: The only types a page may show in place (evidence photos in ``<img>``).
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def safe_filename(name: str, default: str = "download") -> str:
    """The last part of ``name`` without control characters, at most 200 characters."""
    plain = _CONTROL.sub("_", PurePath(name.replace("\\", "/")).name).strip()
    return plain[-200:] or default


def stamped(filename: str) -> str:
    """``名单.xlsx`` → ``名单-20261123-1030.xlsx``: an export named with the local time."""
    stem, dot, suffix = filename.rpartition(".")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{stem}-{stamp}.{suffix}" if dot else f"{filename}-{stamp}"


def download(
    content: bytes | IO[bytes],
    *,
    filename: str,
    content_type: str | None = None,
    inline: bool = False,
) -> HttpResponseBase:
    """``content`` (bytes, or an open file that is streamed and closed) as a download.

    ``inline`` asks for a photo to be shown in place; it is honoured for photos only.
    """
    name = safe_filename(filename)
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    shown = inline and content_type in INLINE_TYPES
    if isinstance(content, bytes):
        response: HttpResponseBase = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not shown, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Checking an uploaded Office file (a zip package) before anything in it is unpacked.

A 400 KB .xlsx or .docx can unpack to gigabytes. :func:`check_declared_sizes` looks only at
the sizes the zip declares for its parts; Python's zip reader later stops every part at its
declared size (and checks its CRC), so a part that lies about its size cannot unpack to more.
Used by the Excel reader (:mod:`hemei.core.xlsx`) and the Word templates of documents.
"""

from __future__ import annotations

import io
import zipfile

#: All parts together may unpack to at most this many bytes.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
#: A part larger than RATIO_FROM_BYTES may unpack to at most MAX_RATIO times its packed size.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
MAX_PARTS = 1000


class NotAPackage(ValueError):
    """Not a zip package (or one with more parts than any Office file has)."""


class PackageTooLarge(ValueError):
    """The parts declare more unpacked bytes, or a higher ratio, than allowed."""


def part_names(data: bytes) -> list[str]:
    """The names of the package's parts (nothing is unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise NotAPackage from None


def check_declared_sizes(
    data: bytes,
    *,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_parts: int = MAX_PARTS,
    max_ratio: int = MAX_RATIO,
    ratio_from: int = RATIO_FROM_BYTES,
) -> None:
    """Raise :class:`NotAPackage` or :class:`PackageTooLarge`; return quietly when the sizes
    the zip declares are within the limits."""
    if not data.startswith(b"PK\x03\x04"):
        raise NotAPackage
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise NotAPackage from None
    if len(parts) > max_parts:
        raise NotAPackage
    if sum(part.file_size for part in parts) > max_unpacked:
        raise PackageTooLarge
    for part in parts:
        if part.file_size > ratio_from and part.file_size > max_ratio * max(part.compress_size, 1):
            raise PackageTooLarge

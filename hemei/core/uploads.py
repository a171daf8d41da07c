"""Checking an uploaded document before it is kept: its type, size and first bytes.

Shared by every place that takes an attachment (meeting files, answers to supervision
orders). The first bytes must match the suffix, so a renamed program is not taken for a PDF.
Evidence photos, which need more (Pillow, EXIF), are checked by ``hemei.core.evidence``.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

#: Documents and photos an official may attach.
DOCUMENT_TYPES = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".jpg", ".jpeg", ".png"}
)
MAX_BYTES = 20 * 1024 * 1024
#: The first bytes of each kind of file (plain text has none to check).
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def check_upload(
    upload: UploadedFile, *, types: frozenset[str] = DOCUMENT_TYPES, max_bytes: int = MAX_BYTES
) -> str:
    """The file's lower-case suffix once its type, size and first bytes pass; else an error."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in types:
        raise ValidationError(
            _("Files of type %(suffix)s are not accepted; use %(types)s.")
            % {"suffix": suffix or "?", "types": " ".join(sorted(types))}
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(limit)d MB.") % {"limit": max_bytes // 1024 // 1024}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    signatures = SIGNATURES.get(suffix)
    if signatures and not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            _("The file's content does not match its type %(suffix)s.") % {"suffix": suffix}
        )
    return suffix

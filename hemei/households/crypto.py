"""Protection at rest for identity numbers and phones.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, a fresh IV per value), so the
database column never holds the plain number. Exact lookups (is this ID number already in the
village?) go through a *blind index*: a keyed HMAC-SHA256 of the normalised value, computed
with a key derived from the field key, so equal numbers give equal digests while the digest
alone reveals nothing without the key.

The key comes from ``HEMEI_FIELD_KEY`` (a Fernet key: 32 url-safe base64-encoded bytes), else
from ``DATA_DIR / "field_key"``, generated on first use like the secret key in settings. Losing
the key loses the numbers: back it up with the database.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "blind_index", "decrypt", "encrypt"]


def _load_key() -> bytes:
    key = os.environ.get("HEMEI_FIELD_KEY", "").strip()
    if not key:
        key_file = settings.DATA_DIR / "field_key"
        if key_file.exists():
            key = key_file.read_text(encoding="utf-8").strip()
        else:
            key = _create_key_file(key_file, Fernet.generate_key().decode("ascii"))
    try:
        Fernet(key)
    except ValueError:
        raise ImproperlyConfigured(
            "HEMEI_FIELD_KEY (or the field_key file) must be a Fernet key: "
            "32 url-safe base64-encoded bytes."
        ) from None
    return key.encode("ascii")


def _create_key_file(key_file: Path, key: str) -> str:
    """Write a new key file, unless another process (the server runs several) wrote one
    first: then its key is the key. The file appears whole (a link to a finished file)."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", dir=key_file.parent, prefix=".field_key.", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(key)
    temporary = Path(handle.name)
    temporary.chmod(0o600)
    try:
        os.link(temporary, key_file)
    except FileExistsError:
        key = key_file.read_text(encoding="utf-8").strip()
    finally:
        temporary.unlink()
    return key


@functools.cache
def _keys() -> tuple[Fernet, bytes]:
    key = _load_key()
    index_key = hmac.new(key, b"hemei blind index v1", hashlib.sha256).digest()
    return Fernet(key), index_key


def encrypt(plain: str) -> str:
    return _keys()[0].encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    return _keys()[0].decrypt(token.encode("ascii")).decode("utf-8")


def blind_index(plain: str) -> str:
    """The keyed digest used for exact matching; empty for an empty value."""
    normal = plain.strip().upper()
    if not normal:
        return ""
    return hmac.new(_keys()[1], normal.encode("utf-8"), hashlib.sha256).hexdigest()

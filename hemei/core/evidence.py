"""Checking an uploaded evidence file: what it really is, its digest, and the photo's EXIF.

The one evidence check of the platform, used by progress reports (留痕) and by governance
points entries. Pure functions over bytes (no database): the type is read from the content
(Pillow opens images, PDF and Office files are recognised by their signature and parts),
never from the name. Accepted: photos as JPEG, PNG or WebP; documents as PDF, Word (.docx)
and Excel (.xlsx); a caller may take fewer kinds. A picture with more pixels than a photo
has (a small file can unpack to gigabytes) is refused before it is decoded.

HEIC is refused with a clear message: Pillow cannot read it without an extra plugin, and
phones convert their HEIC photos to JPEG when a browser uploads them from an
``<input accept="image/*">`` (iOS does this by itself), so the camera path still works.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

#: What a checked file is (the values of the evidence models' ``kind``).
PHOTO = "photo"
DOCUMENT = "document"

MAX_FILE_BYTES = 10 * 1024 * 1024
THUMB_SIZE = (360, 360)
#: Larger pictures are refused before they are decoded (a small file can unpack to gigabytes).
MAX_PIXELS = 80_000_000

#: Pillow format → (content type, suffix)
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
PDF = ("application/pdf", ".pdf")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}

EXIF_DATETIME_ORIGINAL = 0x9003
EXIF_OFFSET_TIME_ORIGINAL = 0x9011
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4
SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, with what was read from it."""

    name: str
    data: bytes
    kind: str
    content_type: str
    suffix: str
    sha256: str
    taken_at: dt.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    @property
    def size(self) -> int:
        return len(self.data)


def accepted_types_text() -> str:
    return _("photos (JPEG, PNG, WebP), PDF, Word (.docx) and Excel (.xlsx)")


def too_big(name: str, size: int, limit: int = MAX_FILE_BYTES) -> ValidationError:
    return ValidationError(
        _("%(name)s is %(size)s MB; a file may be at most %(limit)s MB.")
        % {
            "name": name,
            "size": f"{size / 1024 / 1024:.1f}",
            "limit": limit // 1024 // 1024,
        },
        code="too_big",
    )


def too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s has too many pixels; a photo may have at most %(limit)d megapixels.")
        % {"name": name, "limit": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def check_file(name: str, data: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> CheckedFile:
    """The checked file, or ``ValidationError`` saying what is wrong with it."""
    name = PurePath(name.replace("\\", "/")).name[:255] or "file"
    if not data:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    if len(data) > max_bytes:
        raise too_big(name, len(data), max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        raise ValidationError(
            _(
                "%(name)s is a HEIC/HEIF photo, which cannot be read here. Upload it from the "
                "phone's browser (it converts the photo to JPEG), or set the camera to "
                "“Most compatible” (JPEG)."
            )
            % {"name": name},
            code="heic",
        )
    if data.startswith(b"%PDF-"):
        return CheckedFile(name, data, DOCUMENT, *PDF, sha256=digest)
    if data.startswith(b"PK\x03\x04"):
        office = _office_type(data)
        if office is not None:
            return CheckedFile(name, data, DOCUMENT, *office, sha256=digest)
    image = _image_type(name, data)
    if image is not None:
        content_type, suffix, taken_at, latitude, longitude = image
        return CheckedFile(
            name,
            data,
            PHOTO,
            content_type,
            suffix,
            digest,
            taken_at,
            latitude,
            longitude,
        )
    raise ValidationError(
        _("%(name)s is not a file of an accepted kind. Accepted: %(types)s.")
        % {"name": name, "types": accepted_types_text()},
        code="type",
    )


def check_upload(upload: Any, *, max_bytes: int = MAX_FILE_BYTES) -> CheckedFile:
    """:func:`check_file` on an uploaded file: its declared size first (a large file is
    refused before it is read), then its content."""
    name = getattr(upload, "name", "") or "file"
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise too_big(name, size, max_bytes)
    upload.seek(0)
    return check_file(name, upload.read(), max_bytes=max_bytes)


def check_uploads(files: Sequence[Any], *, max_files: int) -> list[CheckedFile]:
    """Every file of one submission checked, or the first problem (nothing is kept)."""
    if len(files) > max_files:
        raise ValidationError(_("At most %(n)d files at a time.") % {"n": max_files})
    return [check_upload(upload) for upload in files]


def _office_type(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _image_type(
    name: str,
    data: bytes,
) -> tuple[str, str, dt.datetime | None, Decimal | None, Decimal | None] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise too_many_pixels(name)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in IMAGE_TYPES:
                    return None
                content_type, suffix = IMAGE_TYPES[image.format]
                image.load()
                exif = image.getexif()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels(name) from None
    except UnidentifiedImageError:
        return None
    except (OSError, SyntaxError, ValueError, EOFError):
        return None
    taken_at = _taken_at(exif)
    latitude, longitude = _location(exif)
    return content_type, suffix, taken_at, latitude, longitude


def _taken_at(exif: Image.Exif) -> dt.datetime | None:
    """EXIF DateTimeOriginal, in its recorded offset or else the platform's time zone."""
    try:
        details = exif.get_ifd(ExifTags.IFD.Exif)
    except (KeyError, ValueError, OSError):
        return None
    raw = details.get(EXIF_DATETIME_ORIGINAL) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(raw, str):
        return None
    try:
        moment = dt.datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = details.get(EXIF_OFFSET_TIME_ORIGINAL)
    if isinstance(offset, str):
        try:
            parsed = dt.datetime.strptime(offset.strip().rstrip("\x00"), "%z")
        except ValueError:
            parsed = None
        if parsed is not None:
            return moment.replace(tzinfo=parsed.tzinfo)
    return moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def _degrees(value: object, ref: object, negative: str, limit: int) -> Decimal | None:
    try:
        d, m, s = (Decimal(str(float(part))) for part in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
        return None
    degrees = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if isinstance(ref, str) and ref.strip().upper().startswith(negative):
        degrees = -degrees
    if not degrees.is_finite() or abs(degrees) > limit:
        return None
    return degrees.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def _location(exif: Image.Exif) -> tuple[Decimal | None, Decimal | None]:
    """GPS latitude and longitude in decimal degrees (south and west negative)."""
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except (KeyError, ValueError, OSError):
        return None, None
    if GPS_LATITUDE not in gps or GPS_LONGITUDE not in gps:
        return None, None
    latitude = _degrees(gps[GPS_LATITUDE], gps.get(GPS_LATITUDE_REF), "S", 90)
    longitude = _degrees(gps[GPS_LONGITUDE], gps.get(GPS_LONGITUDE_REF), "W", 180)
    if latitude is None or longitude is None:
        return None, None
    return latitude, longitude


def thumbnail(data: bytes) -> bytes:
    """A small JPEG of a photo, turned upright by its EXIF orientation."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail(THUMB_SIZE)
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        out = io.BytesIO()
        upright.save(out, "JPEG", quality=80)
    return out.getvalue()

"""Fixtures of the progress tests: private media in a temporary folder, tasks in town A and B,
and real files (JPEGs with EXIF made by Pillow, Word and Excel files, a PDF)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.tasks import services as task_services
from hemei.tasks.models import Task

MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Work:
    county: Task
    part_a: Task  # 田横镇's part (town A)
    part_b: Task  # 金口镇's part (town B)
    village: Task  # a task of 红花山村 in town A


@pytest.fixture
def work(cast: Cast) -> Work:
    with clock.frozen_at(MORNING):
        county = task_services.create_task(
            actor=cast.alice,
            division=Division.objects.get(code=COUNTY),
            title="完成农村户厕改造",
            start_on=dt.date(2026, 3, 1),
            due_on=dt.date(2026, 6, 30),
            lead_leader=cast.lily,
            lead_unit=cast.unit,
            milestones=[("摸底", dt.date(2026, 4, 1), 1), ("完工", dt.date(2026, 6, 1), 2)],
        )
        task_services.fan_out(actor=cast.alice, task=county, codes=[TOWN_A, TOWN_B])
        village = task_services.create_task(
            actor=cast.tom,
            division=Division.objects.get(code=VILLAGE_A),
            title="村内道路硬化",
            start_on=dt.date(2026, 3, 1),
            due_on=dt.date(2026, 5, 31),
        )
    return Work(
        county=county,
        part_a=county.children.get(division_id=TOWN_A),
        part_b=county.children.get(division_id=TOWN_B),
        village=village,
    )


def jpeg(
    *,
    color: tuple[int, int, int] = (200, 60, 60),
    taken: str | None = "2026:03:01 10:30:00",
    gps: tuple[float, float] | None = (36.39, 120.5),
    size: tuple[int, int] = (64, 48),
) -> bytes:
    """A real JPEG, with EXIF DateTimeOriginal and GPS tags when asked."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "HemeiTest"
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if gps:
        lat, lon = gps
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        info[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
        info[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        info[ExifTags.GPS.GPSLongitude] = _dms(abs(lon))
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", exif=exif)
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 128, 0, 255)).save(out, "PNG")
    return out.getvalue()


def docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("改厕验收记录")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["户主", "完成"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)

"""The homestead register from Excel + GeoJSON: all or nothing with a row-by-row report,
warnings that do not stop it, safe to re-run; the template and the export."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook
from shapely.geometry import mapping

from hemei.accounts.models import AuditEntry
from hemei.core.testing import VILLAGE_A, Cast, zip_bomb_xlsx
from hemei.divisions.models import Division
from hemei.places import register
from hemei.places.choices import EventKind, UseState
from hemei.places.models import Parcel, ParcelEvent
from hemei.points.tests.factories import household

from .test_geometry import surveyed

pytestmark = pytest.mark.django_db

HEADERS = register.HEADERS


def workbook(*rows: list[Any], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def features(*items: tuple[str, Any]) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": mapping(g), "properties": {"宗地编号": code}}
                for code, g in items
            ],
        }
    ).encode()


def row(code: str, number: str = "003", head: str = "王长福", **values: Any) -> list[Any]:
    cells = {
        "address": "红花山村3号",
        "area": 180,
        "floor": 210.5,
        "floors": 2,
        "cert": "鲁(2020)即墨区不动产权第0000003号",
        "acquired": "1998-05-01",
        "use": "在用",
        "note": "",
        **values,
    }
    return [code, number, head, *cells.values()]


@pytest.fixture
def village(cast: Cast) -> Division:
    household(VILLAGE_A, "003", "王长福")
    household(VILLAGE_A, "004", "李秀英")
    return Division.objects.get(code=VILLAGE_A)


def test_a_register_imports_with_its_outlines_and_a_rerun_changes_nothing(
    cast: Cast, village: Division
) -> None:
    sheet = workbook(row("Z001"), row("Z002", "004", "李秀英", area=100, use="闲置"))
    shapes = features(("Z001", surveyed(12, 15)), ("Z002", surveyed(10, 10, x0=30)))
    report = register.import_register(
        actor=cast.victor, village=village, workbook=sheet, geojson=shapes
    )
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.warnings == []
    first = Parcel.objects.get(code="Z001")
    assert first.household.number == "003" and first.address == "红花山村3号"
    assert first.recorded_area_m2 == Decimal("180.00") and first.floors == 2
    assert first.floor_area_m2 == Decimal("210.50") and str(first.acquired_on) == "1998-05-01"
    assert abs(float(first.area_m2) - 180) < 0.9 and first.min_lon is not None
    assert Parcel.objects.get(code="Z002").use_state == UseState.IDLE
    assert ParcelEvent.objects.filter(kind=EventKind.IMPORTED).count() == 2
    assert AuditEntry.objects.filter(action="import", object_id=VILLAGE_A).exists()

    again = register.import_register(
        actor=cast.victor, village=village, workbook=sheet, geojson=shapes
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Parcel.objects.count() == 2 and ParcelEvent.objects.count() == 2
    # the sheet alone keeps the outlines; a changed use is appended to the record
    changed = register.import_register(
        actor=cast.victor,
        village=village,
        workbook=workbook(
            row("Z001", use="闲置"), row("Z002", "004", "李秀英", area=100, use="闲置")
        ),
    )
    assert (changed.updated, changed.unchanged) == (1, 1) and changed.warnings == []
    first.refresh_from_db()
    assert first.use_state == UseState.IDLE and first.geometry is not None
    assert first.events.filter(note__contains="闲置").exists()


def test_the_export_imports_again_unchanged(cast: Cast, village: Division) -> None:
    sheet = workbook(row("Z001"), row("Z002", "", "", area=""))
    register.import_register(
        actor=cast.victor,
        village=village,
        workbook=sheet,
        geojson=features(("Z001", surveyed(12, 15))),
    )
    exported = register.export_xlsx(Parcel.objects.filter(village=village))
    titles = [c.value for c in next(load_workbook(io.BytesIO(exported)).active.iter_rows())]
    assert titles[: len(HEADERS)] == HEADERS and titles[-1] == "测量面积(m²)"
    again = register.import_register(actor=cast.victor, village=village, workbook=exported)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_warnings_do_not_stop_the_import(cast: Cast, village: Division) -> None:
    report = register.import_register(
        actor=cast.victor,
        village=village,
        workbook=workbook(
            row("Z001", area=200),  # measured 180: 11 % more
            row("Z002", "", ""),  # no outline, no household
            headers=[*HEADERS, "调查员"],
        ),
        geojson=features(("Z001", surveyed(12, 15))),
    )
    said = {(p.row, p.column): p.message for p in report.warnings}
    assert "180" in said[(2, "宅基地面积(m²)")] and "%" in said[(2, "宅基地面积(m²)")]
    assert "图形" in said[(3, "宗地编号")]
    assert (3, "户号") in said and (1, "调查员") in said
    assert Parcel.objects.get(code="Z002").geometry is None
    assert Parcel.objects.count() == 2


def test_a_bad_register_imports_nothing_and_names_row_and_column(
    cast: Cast, village: Division
) -> None:
    sheet = workbook(
        row("Z001"),
        row("Z001", "004", "李秀英"),  # the number twice
        row("Z003", "999"),  # no such household
        row("Z004", "004", "张三"),  # not the head
        row("Z005", area="一百八"),  # not a number
        row("Z006", floors="两层", acquired="去年", use="出售"),
        row("", "004", "李秀英"),
    )
    shapes = features(("Z001", surveyed(10, 10)), ("Z099", surveyed(10, 10, x0=40)))
    with pytest.raises(register.RegisterImportFailed) as failed:
        register.import_register(actor=cast.victor, village=village, workbook=sheet, geojson=shapes)
    errors = {(p.row, p.column) for p in failed.value.report.errors}
    assert {
        (3, "宗地编号"),
        (4, "户号"),
        (5, "户主姓名"),
        (6, "宅基地面积(m²)"),
        (7, "层数"),
        (7, "取得时间"),
        (7, "使用状态"),
        (8, "宗地编号"),
        (0, "GeoJSON"),
    } <= errors
    messages = " ".join(p.message for p in failed.value.report.errors)
    assert "Z099" in messages and "李秀英" in messages and "张三" in messages
    assert not Parcel.objects.exists() and not ParcelEvent.objects.exists()


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (zip_bomb_xlsx(100), "MB"),
        (b"PK\x03\x04 not really a zip", "Excel"),
        (b"x" * (10 * 1024 * 1024 + 1), "10 MB"),
        (workbook(headers=["户号", "户主姓名"]), "宗地编号"),
        (workbook(), "没有宅基地"),
    ],
)
def test_unreadable_sheets_are_refused_with_a_message(
    cast: Cast, village: Division, data: bytes, said: str
) -> None:
    with pytest.raises(register.RegisterImportFailed) as failed:
        register.import_register(actor=cast.victor, village=village, workbook=data)
    assert said in " ".join(p.column + p.message for p in failed.value.report.errors)
    assert not Parcel.objects.exists()


def test_a_bad_geojson_file_is_refused(cast: Cast, village: Division) -> None:
    with pytest.raises(register.RegisterImportFailed) as failed:
        register.import_register(
            actor=cast.victor, village=village, workbook=workbook(row("Z1")), geojson=b"{nope"
        )
    assert failed.value.report.errors[0].column == "GeoJSON"
    assert not Parcel.objects.exists()


def test_only_the_keepers_of_the_village_import(cast: Cast, village: Division) -> None:
    with pytest.raises(PermissionDenied):
        register.import_register(actor=cast.owen, village=village, workbook=workbook(row("Z1")))


def test_the_template_has_the_headers_and_reads_back(cast: Cast, village: Division) -> None:
    data = register.template_xlsx()
    book = load_workbook(io.BytesIO(data))
    assert [c.value for c in next(book.active.iter_rows())] == HEADERS
    assert "说明" in book.sheetnames

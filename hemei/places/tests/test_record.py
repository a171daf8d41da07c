"""A homestead's record (idle, exit, lease ≤ 20 years to outsiders), the register pages and
the parcels API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from openpyxl import load_workbook
from shapely.geometry import mapping

from hemei.accounts.models import AuditEntry
from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.places import register, services
from hemei.places.choices import EventKind, UseState
from hemei.places.models import Parcel

from .test_geometry import surveyed
from .test_register import features, row, workbook

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def parcel(cast: Cast) -> Parcel:
    from hemei.points.tests.factories import household

    household(VILLAGE_A, "003", "王长福")
    register.import_register(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        workbook=workbook(row("Z001"), row("Z002", "", "", address="村西")),
        geojson=features(("Z001", surveyed(12, 15))),
    )
    return Parcel.objects.get(code="Z001")


def test_idle_marked_and_cleared_on_the_record(cast: Cast, parcel: Parcel) -> None:
    services.mark_idle(actor=cast.victor, parcel=parcel, on=dt.date(2025, 3, 1), note="外出务工")
    parcel.refresh_from_db()
    assert parcel.use_state == UseState.IDLE
    with pytest.raises(ValidationError):
        services.mark_idle(actor=cast.victor, parcel=parcel, on=dt.date(2025, 3, 2))
    services.clear_idle(actor=cast.victor, parcel=parcel, on=dt.date(2025, 9, 1))
    parcel.refresh_from_db()
    assert parcel.use_state == UseState.IN_USE
    kinds = list(parcel.events.values_list("kind", flat=True))
    assert kinds == [EventKind.IMPORTED, EventKind.IDLE_MARKED, EventKind.IDLE_CLEARED]
    assert AuditEntry.objects.filter(object_id=str(parcel.pk), action="update").count() == 2


def test_a_voluntary_exit_with_its_agreement(cast: Cast, parcel: Parcel) -> None:
    event = services.record_exit(
        actor=cast.victor,
        parcel=parcel,
        on=dt.date(2025, 6, 1),
        compensation=Decimal("52000.50"),
        agreement=SimpleUploadedFile("协议.pdf", PDF, content_type="application/pdf"),
    )
    parcel.refresh_from_db()
    assert parcel.use_state == UseState.EXITED and event.compensation == Decimal("52000.50")
    assert event.agreement and event.agreement_name == "协议.pdf"
    with pytest.raises(ValidationError):
        services.record_exit(
            actor=cast.victor, parcel=parcel, on=dt.date(2025, 6, 2), compensation=Decimal(1)
        )
    with pytest.raises(ValidationError):
        services.mark_idle(actor=cast.victor, parcel=parcel, on=dt.date(2025, 6, 3))


def test_a_lease_to_an_outsider_over_twenty_years_is_refused(cast: Cast, parcel: Parcel) -> None:
    start = dt.date(2026, 1, 1)
    with pytest.raises(ValidationError) as refused:
        services.record_lease(
            actor=cast.victor,
            parcel=parcel,
            kind="lease",
            lessee="青岛某文旅公司",
            outsider=True,
            starts_on=start,
            ends_on=dt.date(2046, 1, 2),
        )
    text = " ".join(refused.value.messages)
    assert "20 年" in text and "中农发〔2019〕11号" in text and "2046-01-01" in text
    # exactly twenty years is fine; a member of the collective is not limited by the rule
    services.record_lease(
        actor=cast.victor,
        parcel=parcel,
        kind="lease",
        lessee="青岛某文旅公司",
        outsider=True,
        starts_on=start,
        ends_on=dt.date(2046, 1, 1),
    )
    other = Parcel.objects.get(code="Z002")
    services.record_lease(
        actor=cast.victor,
        parcel=other,
        kind="cooperation",
        lessee="本村合作社",
        outsider=False,
        starts_on=start,
        ends_on=dt.date(2056, 1, 1),
    )
    with pytest.raises(ValidationError, match="已于"):  # overlapping an earlier lease
        services.record_lease(
            actor=cast.victor,
            parcel=parcel,
            kind="equity",
            lessee="某合作社",
            outsider=False,
            starts_on=dt.date(2030, 1, 1),
            ends_on=dt.date(2031, 1, 1),
        )


@override_settings(HEMEI_HOMESTEAD_LEASE_MAX_YEARS=10)
def test_the_limit_is_a_setting(cast: Cast, parcel: Parcel) -> None:
    with pytest.raises(ValidationError, match="10 年"):
        services.record_lease(
            actor=cast.victor,
            parcel=parcel,
            kind="lease",
            lessee="某公司",
            outsider=True,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2036, 1, 2),
        )


def test_the_pages_list_search_export_and_record(
    cast: Cast, parcel: Parcel, client: Client
) -> None:
    client.force_login(cast.victor)
    listing = client.get(f"/places/village/{VILLAGE_A}/parcels/")
    assert listing.status_code == 200 and "Z001" in listing.text and "Z002" in listing.text
    found = client.get(f"/places/village/{VILLAGE_A}/parcels/", {"q": "村西"})
    assert "Z002" in found.text and "Z001" not in found.text
    outlined = client.get(f"/places/village/{VILLAGE_A}/parcels/", {"geometry": "no"})
    assert "Z002" in outlined.text and "Z001" not in outlined.text
    exported = client.get(f"/places/village/{VILLAGE_A}/parcels/export/", {"use": "in_use"})
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Z001", "Z002"]

    page = client.get(f"/places/parcels/{parcel.pk}/")
    assert page.status_code == 200 and 'id="parcel-map"' in page.text and "由台账导入" in page.text
    too_long = client.post(
        f"/places/parcels/{parcel.pk}/lease/",
        {
            "kind": "lease",
            "lessee": "某公司",
            "outsider": "on",
            "starts_on": "2026-01-01",
            "ends_on": "2050-01-01",
        },
    )
    assert too_long.status_code == 400 and "不得超过 20 年" in too_long.text
    idle = client.post(f"/places/parcels/{parcel.pk}/idle/", {"action": "mark", "on": "2026-01-05"})
    assert idle.status_code == 302
    exit_ = client.post(
        f"/places/parcels/{parcel.pk}/exit/",
        {
            "on": "2026-02-01",
            "compensation": "30000",
            "agreement": SimpleUploadedFile("协议.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert exit_.status_code == 302
    page = client.get(f"/places/parcels/{parcel.pk}/")
    assert "自愿有偿退出" in page.text and "协议.pdf" in page.text
    event = parcel.events.get(kind=EventKind.EXITED)
    file = client.get(f"/places/parcels/{parcel.pk}/events/{event.pk}/file/")
    assert file.status_code == 200 and b"".join(file.streaming_content).startswith(b"%PDF")


def test_the_import_page_reports_row_by_row(cast: Cast, parcel: Parcel, client: Client) -> None:
    client.force_login(cast.victor)
    url = f"/places/village/{VILLAGE_A}/import/"
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {"workbook": SimpleUploadedFile("台账.xlsx", workbook(row("Z009", "999"), row("Z009")))},
    )
    assert bad.status_code == 400 and "本村没有户号为 999 的户" in bad.text
    assert "与第 2 行重复" in bad.text and not Parcel.objects.filter(code="Z009").exists()
    good = client.post(
        url,
        {
            "workbook": SimpleUploadedFile("台账.xlsx", workbook(row("Z001"), row("Z003"))),
            "geojson": SimpleUploadedFile(
                "宗地.geojson", features(("Z003", surveyed(10, 10, x0=50)))
            ),
        },
    )
    # imported, with the warning of the recorded 180 m² against the measured 100 m²
    assert good.status_code == 200 and "相差" in good.text and "台账已导入" in good.text
    assert Parcel.objects.filter(code="Z003").exists()
    template = client.get("/places/register/template/")
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == ("宗地编号")


def test_the_api_gives_geometry_and_household_numbers_only(
    cast: Cast, parcel: Parcel, client: Client
) -> None:
    client.force_login(cast.victor)
    listing = client.get("/api/v1/parcels/", {"village": VILLAGE_A, "q": "Z001"}).json()
    assert listing["count"] == 1
    item = listing["results"][0]
    assert item["household"] == "003" and item["geometry"]["type"] == "Polygon"
    assert "王长福" not in str(listing)
    detail = client.get(f"/api/v1/parcels/{parcel.pk}/").json()
    assert detail["events"][0]["kind"] == "imported" and detail["recorded_area_m2"] == 180.0
    assert mapping(surveyed(12, 15))["type"] == "Polygon"
    client.force_login(cast.owen)
    assert client.get(f"/api/v1/parcels/{parcel.pk}/").status_code == 404
    assert client.get("/api/v1/parcels/").json()["count"] == 0

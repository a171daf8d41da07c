"""The homestead pages: the ledger with its filters and export, applying from a phone (a
villager) and for a household (an official), the application's page with its forms, a site
visit with photos, the forms as Word, and the area limits."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.homestead.models import Application, AreaLimit, Deviation, Flag, SiteVisit
from hemei.points.tests.factories import household

from .helpers import START, apply, jpeg, parcel, rectangle, setup_village, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(cast: Cast):
    setup_village(cast)
    return household(VILLAGE_A, "H001", "王秀英", user=cast.vera)


def client(user) -> Client:
    found = Client()
    found.force_login(user)
    return found


def test_a_villager_applies_from_the_phone_and_sees_the_flags_answered(cast: Cast, home) -> None:
    parcel("ZJ001", rectangle(100, 100, 10, 10), household=home)
    vera = client(cast.vera)
    with clock.frozen_at(START):
        page = vera.get("/homestead/apply/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="household"' not in html  # the villager's own household, not chosen
        assert "vendor/leaflet/leaflet.js" in html and "id_geometry" in html
        answer = vera.post(
            "/homestead/apply/",
            {
                "build_type": "move",
                "reason": "原宅基地在河道旁，申请易址新建",
                "address": "红花山村东片1号",
                "terrain": "plain",
                "land_type": "construction",
                "fits_plan": "1",
                "site_area": "150",
                "footprint": "110",
                "floor_area": "220",
                "floors": "2",
                "height": "7.5",
                "disposal": "return",
                "handback_promised": "on",
                "geometry": json.dumps(rectangle(0, 0, 10, 15)),
                "neighbour_east": "王大",
                "neighbour_east_agrees": "1",
                "files": [jpeg("户口簿.jpg")],
            },
        )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    application = Application.objects.get()
    assert application.case.applicant == cast.vera and application.case.files.count() == 1
    assert answer["Location"] == f"/homestead/{application.pk}/"
    detail = vera.get(answer["Location"]).content.decode()
    assert "已有宅基地" in detail and "ZJ001" in detail
    assert 'action="/homestead/' not in detail  # nothing for the villager to sign
    assert vera.get("/homestead/").status_code == 403  # the ledger is the officials'


def test_bad_input_is_a_400_with_the_message_and_changes_nothing(cast: Cast, home) -> None:
    victor = client(cast.victor)
    with clock.frozen_at(START):
        answer = victor.post(
            "/homestead/apply/",
            {
                "household": "H001",
                "build_type": "rebuild",
                "reason": "旧房破损，申请翻建",
                "address": "红花山村",
                "terrain": "plain",
                "land_type": "construction",
                "fits_plan": "1",
                "site_area": "100",
                "footprint": "80",
                "floor_area": "160",
                "floors": "2",
                "height": "7",
                "disposal": "keep",
                "geometry": '{"type": "Point", "coordinates": [120.45, 36.39]}',
            },
        )
        assert answer.status_code == 400
        assert "地块应为面" in answer.content.decode()
        oversized = victor.post(
            "/homestead/apply/",
            {
                "household": "H001",
                "geometry_file": SimpleUploadedFile("a.geojson", b" " * (11 * 1024 * 1024)),
            },
        )
        assert oversized.status_code == 400
    assert Application.objects.count() == 0


def test_the_town_works_the_application_on_its_page(cast: Cast, home) -> None:
    application = apply(cast, build_type="split")
    tom, victor = client(cast.tom), client(cast.victor)
    url = f"/homestead/{application.pk}/"
    page = tom.get(url).content.decode()
    assert "分户新建但台账无分户记录" in page
    flag = Flag.objects.get(application=application)
    with clock.frozen_at(START + dt.timedelta(days=1)):
        assert tom.post(f"{url}flags/{flag.pk}/", {"answer": "", "signer": ""}).status_code == 400
        answer = {"answer": "户籍已分户，台账补录中", "signer": "魏村"}
        assert victor.post(f"{url}flags/{flag.pk}/", answer).status_code == 302
        assert victor.post(f"{url}flags/{flag.pk}/", answer).status_code == 400  # once
    flag.refresh_from_db()
    assert flag.answered_on and flag.answerer_name == "魏村"
    application = walk_to(cast, application, "homestead.joint_review")
    assert "农业农村" in tom.get(url).content.decode()
    with clock.frozen_at(START + dt.timedelta(days=30)):
        opinion = application.opinions.first()
        signed = {"agrees": "1", "opinion": "同意", "signer": "唐涛"}
        assert victor.post(f"{url}opinions/{opinion.pk}/", signed).status_code == 403
        assert tom.post(f"{url}opinions/{opinion.pk}/", signed).status_code == 302
        assert tom.post(f"{url}offices/", {"offices": ["water"]}).status_code == 302
    assert application.opinions.filter(office="water").exists()
    assert client(cast.owen).get(url).status_code == 404
    assert client(cast.dan).get(url).status_code == 403


def test_a_staking_visit_with_photos_from_the_phone(cast: Cast, home) -> None:
    application = walk_to(cast, apply(cast), "homestead.staking")
    tom = client(cast.tom)
    url = f"/homestead/{application.pk}/visits/new/"
    assert tom.get(url).status_code == 200
    assert client(cast.victor).get(url).status_code == 403
    day = START + dt.timedelta(days=40)
    data = {
        "stage": "staking",
        "visited_on": day.date().isoformat(),
        "officials": "唐涛、张工",
        "neighbours": ["east", "south", "west"],
        "photos": [jpeg(taken=day.strftime("%Y:%m:%d 10:00:00"))],
    }
    with clock.frozen_at(day):
        refused = tom.post(url, data)
        assert refused.status_code == 400 and "四邻" in refused.content.decode()
        data["neighbours"] = ["east", "south", "west", "north"]
        data["photos"] = [jpeg(taken=day.strftime("%Y:%m:%d 10:00:00"))]
        data.update(
            {
                "deviation": "moved",
                "deviation_text": "放样位置向北偏移1米",
                "correct_by": (day.date() + dt.timedelta(days=3)).isoformat(),
            }
        )
        assert tom.post(url, data).status_code == 302
    visit = SiteVisit.objects.get()
    photo = visit.photos.get()
    assert tom.get(f"/homestead/{application.pk}/photos/{photo.pk}/").status_code == 200
    deviation = Deviation.objects.get()
    with clock.frozen_at(day + dt.timedelta(days=1)):
        assert (
            tom.post(
                f"/homestead/{application.pk}/deviations/{deviation.pk}/",
                {"answer": "已按红线重新放样"},
            ).status_code
            == 302
        )
    deviation.refresh_from_db()
    assert not deviation.is_open


def test_the_ledger_filters_and_exports_and_the_filing_lists_the_approved(cast: Cast, home) -> None:
    walk_to(
        cast,
        apply(cast, address="红花山村一组", geometry=rectangle(0, 0, 10, 12)),
        "homestead.staking",
    )
    apply(cast, address="红花山村二组", build_type="split", geometry=rectangle(40, 0, 10, 12))
    tom = client(cast.tom)
    page = tom.get("/homestead/").content.decode()
    assert "红花山村一组" in page and "红花山村二组" in page
    flagged = tom.get("/homestead/?flagged=1").content.decode()
    assert "红花山村二组" in flagged and "红花山村一组" not in flagged
    filing = tom.get("/homestead/filing/").content.decode()
    assert "红花山村一组" in filing and "红花山村二组" not in filing
    book = load_workbook(io.BytesIO(tom.get("/homestead/?export=xlsx").content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert "批准书编号" in header and sheet.max_row == 3
    assert client(cast.owen).get("/homestead/").content.decode().count("红花山村") == 0


def test_the_forms_download_as_the_case_reaches_them(cast: Cast, home) -> None:
    application = apply(cast)
    tom = client(cast.tom)
    base = f"/homestead/{application.pk}/documents/"
    answer = tom.get(base + "application/")
    assert answer.status_code == 200 and answer["Content-Type"].endswith("document")
    assert tom.get(base + "approval/").status_code == 404  # not approved yet
    walk_to(cast, application, "homestead.staking")
    assert tom.get(base + "approval/").status_code == 200
    assert tom.get(base + "permit/").status_code == 200
    assert tom.get(base + "nonsense/").status_code == 404


def test_the_county_keeps_the_limits_on_their_page(cast: Cast, home) -> None:
    alice = client(cast.alice)
    assert "县级测试规定" in alice.get("/homestead/limits/").content.decode()
    data = {
        "division": "370215",
        "terrain": "hill",
        "max_site_area": "160",
        "basis": "县政府令",
        "valid_from": "2026-01-01",
    }
    assert alice.post("/homestead/limits/", data).status_code == 302
    assert (
        alice.post("/homestead/limits/", data).status_code == 400
    )  # the same terrain, overlapping
    assert client(cast.tom).post("/homestead/limits/", data).status_code == 403
    assert AreaLimit.objects.filter(terrain="hill").count() == 1


def test_an_official_uploads_the_surveyors_shapefile(cast: Cast, home) -> None:
    from hemei.places.tests.test_survey import plot, survey_zip

    victor = client(cast.victor)
    with clock.frozen_at(START):
        answer = victor.post(
            "/homestead/apply/",
            {
                "household": "H001",
                "build_type": "rebuild",
                "reason": "旧房破损，申请原址翻建",
                "address": "红花山村三组12号",
                "terrain": "plain",
                "land_type": "construction",
                "fits_plan": "1",
                "site_area": "180",
                "footprint": "120",
                "floor_area": "240",
                "floors": "2",
                "height": "7.8",
                "disposal": "keep",
                "geometry_file": SimpleUploadedFile(
                    "宗地.zip", survey_zip([plot(12, 15)]), content_type="application/zip"
                ),
            },
        )
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    application = Application.objects.get()
    assert abs(application.measured_area - 180) < 1

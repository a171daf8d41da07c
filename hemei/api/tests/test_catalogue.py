"""Procedure catalogues through the API: the list (templates above, villages' catalogues
inside the area) with its export, a catalogue's versions, a version with its items and
flows, its workbook, one item, and the negative list; other towns 404, villagers 403."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from hemei.catalogue.models import CatalogueVersion
from hemei.catalogue.samples import adopted_catalogue
from hemei.core.testing import COUNTY, TOWN_A, VILLAGE_A, Cast

pytestmark = pytest.mark.django_db

LIST = "/api/v1/catalogues/"


@pytest.fixture
def version(cast: Cast) -> CatalogueVersion:
    return adopted_catalogue(cast.alice, VILLAGE_A)


def test_the_list_and_its_export(cast: Cast, version: CatalogueVersion, as_user, conforms):
    tom = as_user(cast.tom)
    answer = tom.get(LIST)
    conforms(answer, "/api/v1/catalogues/", "get")
    rows = answer.json["results"]
    assert [(r["is_template"], r["division"]["code"]) for r in rows] == [
        (True, COUNTY),
        (False, VILLAGE_A),
    ]
    assert tom.get(LIST, {"template": "false"}).json["count"] == 1
    assert tom.get(LIST, {"division": TOWN_A}).json["count"] == 1
    assert tom.get(LIST, {"q": "范本"}).json["count"] == 1
    owen = as_user(cast.owen).get(LIST).json["results"]
    assert [r["division"]["code"] for r in owen] == [COUNTY]  # the template above him only
    response = tom.client.get(LIST, {"format": "xlsx"}, headers=tom.headers)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row >= 3
    assert as_user(cast.vera).get(LIST).status == 403


def test_a_catalogue_its_version_items_and_workbook(
    cast: Cast, version: CatalogueVersion, as_user, conforms
):
    dan = as_user(cast.dan)  # department staff read catalogues (not cases)
    catalogue = dan.get(f"{LIST}{version.catalogue_id}/")
    conforms(catalogue, "/api/v1/catalogues/{pk}/", "get")
    assert [(v["number"], v["state"]) for v in catalogue.json["versions"]] == [(1, "adopted")]
    detail = dan.get(f"/api/v1/catalogue-versions/{version.pk}/")
    conforms(detail, "/api/v1/catalogue-versions/{pk}/", "get")
    items = {i["code"]: i for i in detail.json["items"]}
    assert list(items) == ["F01", "G01", "N01"] and detail.json["item_count"] == 3
    works = items["G01"]["steps"]
    assert works[2]["needs_decision"] and works[2]["min_amount"] == 50000.0
    item = dan.get(f"/api/v1/catalogue-items/{items['F01']['id']}/")
    conforms(item, "/api/v1/catalogue-items/{pk}/", "get")
    assert [s["level"] for s in item.json["steps"]] == ["applicant", "village", "town"]
    book = dan.client.get(f"/api/v1/catalogue-versions/{version.pk}/workbook/", headers=dan.headers)
    assert book.status_code == 200
    names = load_workbook(io.BytesIO(b"".join(book.streaming_content))).sheetnames
    assert names[:2] == ["事项清单", "运行流程"]
    owen = as_user(cast.owen)
    assert owen.get(f"{LIST}{version.catalogue_id}/").status == 404
    assert owen.get(f"/api/v1/catalogue-versions/{version.pk}/").status == 404
    assert owen.get(f"/api/v1/catalogue-items/{items['F01']['id']}/").status == 404


def test_the_negative_list_of_a_village(cast: Cast, version: CatalogueVersion, as_user, conforms):
    tom = as_user(cast.tom)
    answer = tom.get(f"/api/v1/negative-list/{VILLAGE_A}/")
    conforms(answer, "/api/v1/negative-list/{code}/", "get")
    assert [i["code"] for i in answer.json["items"]] == ["N01"]
    assert [i["code"] for i in tom.get(f"/api/v1/negative-list/{TOWN_A}/").json["items"]] == ["N01"]
    response = tom.client.get(
        f"/api/v1/negative-list/{VILLAGE_A}/", {"format": "xlsx"}, headers=tom.headers
    )
    assert response.status_code == 200
    assert as_user(cast.owen).get(f"/api/v1/negative-list/{VILLAGE_A}/").status == 404
    assert tom.get("/api/v1/negative-list/abc/").status == 404

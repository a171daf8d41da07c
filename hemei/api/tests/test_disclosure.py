"""Village-affairs disclosure (村务公开) through the API: the catalogue items of an area, the
disclosures with the list page's filters, lights and export, one disclosure, publishing,
recording an event, a town's overview; bad input 400 with nothing changed; another town
404; villagers and department staff 403; the lists' queries do not grow with the page."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from hemei.core import clock
from hemei.core.testing import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, Cast
from hemei.disclosure import services
from hemei.disclosure.choices import DisclosureState
from hemei.disclosure.models import Disclosure, DisclosureFile
from hemei.disclosure.tests.conftest import START, load_defaults
from hemei.divisions.models import Division
from hemei.tasks.choices import State
from hemei.tasks.models import Task

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
LIST = "/api/v1/disclosures/"
ITEMS = "/api/v1/disclosure-items/"
EVENTS = "/api/v1/disclosure-events/"


@pytest.fixture(autouse=True)
def _today(settings: Any, tmp_path: Any):
    settings.MEDIA_ROOT = str(tmp_path)
    with clock.frozen_at(MONDAY):
        yield


@pytest.fixture
def owed(cast: Cast) -> dict[str, Disclosure]:
    """The county's default catalogue, 红花山村 following it since 2026-01-01, its periodic
    disclosures generated (some late by now) and a lease recorded as an event."""
    load_defaults(cast.alice)
    services.adopt(actor=cast.tom, village=Division.objects.get(code=VILLAGE_A), since=START)
    services.generate_due(today=clock.today())
    lease = services.record_event(
        actor=cast.victor,
        village=VILLAGE_A,
        item_key="asset.lease",
        happened_on=dt.date(2026, 6, 12),
        title="鱼塘发包",
    )
    return {
        "lease": lease,
        "dibao": Disclosure.objects.get(
            village_id=VILLAGE_A, item__key="welfare.dibao", slot="2026Q1"
        ),
    }


def fingerprint() -> tuple[Any, ...]:
    return (
        Disclosure.objects.count(),
        Disclosure.objects.filter(state=DisclosureState.PUBLISHED).count(),
        DisclosureFile.objects.count(),
        Task.objects.count(),
    )


def sheet(client: Any, url: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    response = client.client.get(url, {**params, "format": "xlsx"}, headers=client.headers)
    assert response.status_code == 200, response.content[:300]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(data))
    return list(book.active.iter_rows(values_only=True))


def test_the_catalogue_of_an_area(cast: Cast, owed: dict, as_user, conforms):
    tom = as_user(cast.tom)
    answer = tom.get(ITEMS, {"division": VILLAGE_A, "page_size": 100})
    conforms(answer, "/api/v1/disclosure-items/", "get")
    keys = {row["key"] for row in answer.json["results"]}
    assert {"welfare.dibao", "asset.lease", "finance.monthly"} <= keys
    monthly = next(r for r in answer.json["results"] if r["key"] == "finance.monthly")
    assert monthly["timing"] == "monthly" and monthly["next_due_on"] and monthly["next_period"]
    lease = next(r for r in answer.json["results"] if r["key"] == "asset.lease")
    assert lease["next_due_on"] is None and lease["division"]["code"] == "370215"
    assert tom.get(ITEMS, {"timing": "monthly"}).json["count"] == 1
    assert tom.get(ITEMS, {"q": "低保"}).json["count"] >= 1
    rows = sheet(tom, ITEMS, {"division": VILLAGE_A})
    assert len(rows) == answer.json["count"] + 1
    assert any("welfare.dibao" in row for row in rows[1:])
    assert tom.get(ITEMS, {"timing": "weekly"}).status == 400


def test_the_list_filters_lights_and_export(cast: Cast, owed: dict, as_user, conforms):
    tom = as_user(cast.tom)
    answer = tom.get(LIST, {"page_size": 100})
    conforms(answer, "/api/v1/disclosures/", "get")
    everything = answer.json["count"]
    assert everything > 5
    lease = next(r for r in answer.json["results"] if r["id"] == owed["lease"].pk)
    assert lease["light"] == "yellow" and lease["happened_on"] == "2026-06-12"
    assert lease["duty"] == owed["lease"].duty_id
    late = tom.get(LIST, {"state": "late"}).json["count"]
    red = tom.get(LIST, {"light": "red"}).json["count"]
    yellow = tom.get(LIST, {"light": "yellow"}).json["count"]
    assert late == red > 0 and yellow >= 1 and red + yellow == everything
    assert tom.get(LIST, {"light": "green"}).json["count"] == 0
    assert tom.get(LIST, {"item": owed["dibao"].item_id}).json["count"] >= 1
    first_quarter = tom.get(LIST, {"period": "第一季度"}).json
    assert first_quarter["count"] >= 1
    assert all("第一季度" in r["period_label"] for r in first_quarter["results"])
    assert tom.get(LIST, {"year": 2025}).json["count"] == 0
    assert tom.get(LIST, {"village": VILLAGE_A}).json["count"] == everything
    assert tom.get(LIST, {"village": TOWN_B}).json["count"] == 0
    rows = sheet(tom, LIST, {"light": "red"})
    assert len(rows) == red + 1 and rows[1][0].startswith("红花山村")
    assert tom.get(LIST, {"light": "blue"}).status == 400


def test_another_town_sees_nothing_and_villagers_are_refused(cast: Cast, owed: dict, as_user):
    owen = as_user(cast.owen)
    assert owen.get(LIST).json["count"] == 0
    assert owen.get(f"{LIST}{owed['lease'].pk}/").status == 404
    assert owen.get(f"/api/v1/disclosure-towns/{TOWN_A}/").status == 404
    before = fingerprint()
    body = {"published_on": "2026-06-15", "text": "已发包"}
    assert as_user(cast.alice).get(f"{LIST}{owed['lease'].pk}/").status == 200
    for user in (cast.vera, cast.dan):
        client = as_user(user)
        assert client.get(LIST).status == 403
        assert client.post(f"{LIST}{owed['lease'].pk}/publish/", body).status == 403
    assert as_user(cast.tom).post(f"{LIST}{owed['lease'].pk}/publish/", body).status == 403
    assert owen.post(f"{LIST}{owed['lease'].pk}/publish/", body).status == 403
    assert fingerprint() == before


def test_publish_closes_the_duty_and_refuses_bad_input(cast: Cast, owed: dict, as_user, conforms):
    victor = as_user(cast.victor)
    url = f"{LIST}{owed['dibao'].pk}/publish/"
    shown = victor.get(f"{LIST}{owed['dibao'].pk}/")
    conforms(shown, "/api/v1/disclosures/{pk}/", "get")
    assert shown.json["light"] == "red" and shown.json["may_publish"] is True
    before = fingerprint()
    for body, field in [
        ({"published_on": "2026-06-15", "text": "王某 370215198001011234 每月 620 元"}, "text"),
        ({"published_on": "2026-06-15", "text": "联系人 13905321234"}, "text"),
        ({"published_on": "2026-06-16", "text": "低保名单"}, "published_on"),
        ({"published_on": "2025-12-01", "text": "低保名单"}, "published_on"),
        ({"published_on": "2026-06-15", "text": "  "}, "text"),
        ({"published_on": "2026-02-30", "text": "低保名单"}, "published_on"),
        ({"text": "低保名单"}, "published_on"),
        ({"published_on": "2026-06-15", "text": "低保名单", "files": []}, "files"),
    ]:
        answer = victor.post(url, body)
        assert answer.status == 400, (body, answer)
        assert field in answer.error["fields"], (body, answer.error)
    assert fingerprint() == before
    answer = victor.post(url, {"published_on": "2026-06-15", "text": "2026年一季度低保名单：王某"})
    conforms(answer, "/api/v1/disclosures/{pk}/publish/", "post")
    assert answer.status == 200 and answer.json["state"] == "published"
    assert answer.json["published_late"] and answer.json["light"] == "red"
    assert answer.json["published_by"]["id"] == cast.victor.pk
    assert answer.json["may_publish"] is False
    assert Task.objects.get(pk=owed["dibao"].duty_id).state == State.DONE
    again = victor.post(url, {"published_on": "2026-06-15", "text": "再次"})
    assert again.status == 400 and again.error["message"]


def test_record_an_event(cast: Cast, owed: dict, as_user, conforms):
    victor = as_user(cast.victor)
    body = {
        "village": VILLAGE_A,
        "item_key": "project.major",
        "happened_on": "2026-06-12",
        "title": "村道硬化",
    }
    made = victor.post(EVENTS, body)
    conforms(made, "/api/v1/disclosure-events/", "post")
    assert made.status == 201 and made.json["state"] == "due"
    assert made.json["title"].endswith("村道硬化") and made.json["due_on"] > "2026-06-12"
    assert victor.post(EVENTS, body).json["id"] == made.json["id"]
    before = fingerprint()
    for change, field in [
        ({"item_key": "finance.monthly"}, "item_key"),  # periodic
        ({"item_key": "no.such"}, "item_key"),
        ({"happened_on": "2026-06-16"}, "happened_on"),  # in the future
        ({"happened_on": "2025-12-31"}, "happened_on"),  # before the village followed
        ({"village": "370215100001"}, "village"),  # not a village inside victor's area
        ({"village": VILLAGE_B}, "village"),  # outside victor's area
        ({"title": ""}, "title"),
        ({"happened_on": None}, "happened_on"),
    ]:
        answer = victor.post(EVENTS, {**body, **change})
        assert answer.status == 400, (change, answer)
        assert field in answer.error["fields"], (change, answer.error)
    assert as_user(cast.tom).post(EVENTS, body).status == 403
    assert as_user(cast.vera).post(EVENTS, body).status == 403
    assert fingerprint() == before


def test_the_town_overview(cast: Cast, owed: dict, as_user, conforms):
    tom = as_user(cast.tom)
    url = f"/api/v1/disclosure-towns/{TOWN_A}/"
    answer = tom.get(url)
    conforms(answer, "/api/v1/disclosure-towns/{code}/", "get")
    assert answer.json["town"]["code"] == TOWN_A and answer.json["year"] == 2026
    first = answer.json["villages"][0]
    assert first["village"]["code"] == VILLAGE_A and first["since"] == "2026-01-01"
    assert first["counts"]["late"] > 0 and first["late_titles"]
    assert len(first["cells"]) == len(answer.json["items"]) and "red" in first["cells"]
    assert answer.json["totals"]["villages"] == 1 and answer.json["totals"]["late_villages"] == 1
    assert tom.get(url, {"year": 2025}).json["totals"]["late"] == 0
    rows = sheet(tom, url, {})
    assert rows[1][0].startswith("红花山村") and rows[1][3] == first["counts"]["late"]
    assert as_user(cast.victor).get(url).status == 403  # a village has no town to oversee
    assert tom.get(f"/api/v1/disclosure-towns/{TOWN_B}/").status == 404
    assert tom.get("/api/v1/disclosure-towns/abc/").status == 404
    assert as_user(cast.alice).get(f"/api/v1/disclosure-towns/{TOWN_B}/").status == 200


def queries(client: Any, url: str, params: dict[str, Any]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url, params)
    assert answer.status == 200, answer
    return len(captured), len(answer.json["results"])


@pytest.mark.parametrize("url", [LIST, ITEMS])
def test_the_lists_do_not_grow_with_the_page(cast: Cast, owed: dict, as_user, url: str):
    client = as_user(cast.tom)
    client.get(url)  # the first call notes the token's use
    small, _rows = queries(client, url, {"page_size": 1})
    large, rows = queries(client, url, {"page_size": 100})
    assert rows > 10
    assert small == large <= 7

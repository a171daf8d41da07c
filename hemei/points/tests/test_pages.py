"""Pages: who may open what (the permission matrix), forms, exports, pinned query counts."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from hemei.core.testing import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, Cast, png_bomb

from .. import services
from ..choices import EntryState
from ..models import Entry, Goods
from .conftest import Village
from .factories import approved, effective, item, photo

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Cast, Village], str]
    #: villagers of the village may open it (their public pages)
    public: bool = False
    #: only those who run the village's points (not the town, which reads): 403 for tom
    runs_only: bool = False
    #: a town's page: above a village official's area (404 for victor)
    town_level: bool = False


def _entry(cast: Cast, village: Village) -> Entry:
    return services.record_entry(
        actor=cast.victor,
        household=village.wang,
        item=item(village.rules, "A2"),
        occurred_on=dt.date(2026, 6, 1),
        description="开会",
    )


PAGES = [
    Page("village", lambda c, v: f"/points/v/{VILLAGE_A}/"),
    Page("settings", lambda c, v: f"/points/v/{VILLAGE_A}/settings/"),
    Page("rules", lambda c, v: f"/points/v/{VILLAGE_A}/rules/"),
    Page("version", lambda c, v: f"/points/rules/{v.rules.pk}/"),
    Page("entries", lambda c, v: f"/points/v/{VILLAGE_A}/entries/"),
    Page("entries export", lambda c, v: f"/points/v/{VILLAGE_A}/entries/?export=xlsx"),
    Page("entry record", lambda c, v: f"/points/v/{VILLAGE_A}/entries/new/", runs_only=True),
    Page("bulk entry", lambda c, v: f"/points/v/{VILLAGE_A}/entries/bulk/", runs_only=True),
    Page("review queue", lambda c, v: f"/points/v/{VILLAGE_A}/review/"),
    Page("entry detail", lambda c, v: f"/points/entries/{_entry(c, v).pk}/"),
    Page("ledger", lambda c, v: f"/points/v/{VILLAGE_A}/ledger/"),
    Page("ledger export", lambda c, v: f"/points/v/{VILLAGE_A}/ledger/?export=xlsx"),
    Page("notice", lambda c, v: f"/points/v/{VILLAGE_A}/notice/", public=True),
    Page("notice docx", lambda c, v: f"/points/v/{VILLAGE_A}/notice.docx", public=True),
    Page("shop", lambda c, v: f"/points/v/{VILLAGE_A}/shop/", public=True),
    Page("rankings", lambda c, v: f"/points/v/{VILLAGE_A}/rankings/", public=True),
    Page("town rankings", lambda c, v: f"/points/t/{TOWN_A}/rankings/", town_level=True),
]
IDS = [page.name for page in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_sends_anonymous_visitors_to_login(
    page: Page, cast: Cast, village: Village, client: Client
) -> None:
    response = client.get(page.url(cast, village))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_refuses_an_account_without_a_role(
    page: Page, cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.nora)
    assert client.get(page.url(cast, village)).status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_opens_for_the_village_official_and_the_town(
    page: Page, cast: Cast, village: Village, client: Client
) -> None:
    for user in (cast.victor, cast.tom, cast.alice):
        client.force_login(user)
        expected = 403 if page.runs_only and user == cast.tom else 200
        if page.town_level and user == cast.victor:
            expected = 404
        assert client.get(page.url(cast, village)).status_code == expected, user


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_hides_the_village_from_another_town(
    page: Page, cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.owen)
    # a town official never records points: the role answers 403 before the place's 404
    expected = 403 if page.runs_only else 404
    assert client.get(page.url(cast, village)).status_code == expected


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_a_villager_sees_only_the_public_pages(
    page: Page, cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.vera)
    # the officials' pages are not a villager's kind of page at all: 403 (the policy's may)
    expected = 200 if page.public else 403
    if page.name == "entry detail":
        expected = 404  # her kind of page, but another household's entry (not in notice)
    assert client.get(page.url(cast, village)).status_code == expected


def test_a_village_official_cannot_record_for_another_village(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    assert client.get(f"/points/v/{VILLAGE_B}/entries/new/").status_code == 404
    response = client.post(
        f"/points/v/{VILLAGE_B}/entries/new/",
        {
            "household": village.other.pk,
            "item": item(village.rules, "A2").pk,
            "occurred_on": "2026-06-01",
            "description": "x",
        },
    )
    assert response.status_code == 404
    # Nor can he slip another village's household into his own village's form.
    response = client.post(
        f"/points/v/{VILLAGE_A}/entries/new/",
        {
            "household": village.other.pk,
            "item": item(village.rules, "A2").pk,
            "occurred_on": "2026-06-01",
            "description": "x",
        },
    )
    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_a_town_official_reads_but_does_not_record(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.tom)
    response = client.post(
        f"/points/v/{VILLAGE_A}/entries/new/",
        {
            "household": village.wang.pk,
            "item": item(village.rules, "A2").pk,
            "occurred_on": "2026-06-01",
            "description": "x",
        },
    )
    assert response.status_code == 403
    entry = _entry(cast, village)
    assert client.post(f"/points/entries/{entry.pk}/", {"action": "assess"}).status_code == 403


def test_a_villager_sees_her_household_and_not_others(
    cast: Cast, village: Village, client: Client
) -> None:
    mine = services.request_entry(
        actor=cast.vera,
        item=item(village.rules, "A2"),
        occurred_on=dt.date(2026, 6, 1),
        description="参加会议",
    )
    theirs = _entry(cast, village)
    client.force_login(cast.vera)
    page = client.get("/points/me/")
    assert page.status_code == 200
    assert "参加会议" in page.content.decode()
    assert client.get(f"/points/entries/{mine.pk}/").status_code == 200
    assert client.get(f"/points/entries/{theirs.pk}/").status_code == 404
    # Once in public notice, the other household's entry is published: she may read it.
    approved(cast.victor, theirs)
    assert client.get(f"/points/entries/{theirs.pk}/").status_code == 200
    assert client.get("/points/").status_code == 302  # the home sends her to her household


def test_it_records_an_entry_with_a_photo_through_the_form(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    response = client.post(
        f"/points/v/{VILLAGE_A}/entries/new/",
        {
            "household": village.wang.pk,
            "item": item(village.rules, "B1").pk,
            "occurred_on": "2026-06-14",
            "description": "救人",
            "evidence": photo(),
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.evidence.count() == 1
    image = client.get(f"/points/entries/{entry.pk}/evidence/{entry.evidence.get().pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_a_picture_bomb_as_evidence_answers_400_with_a_message(
    cast: Cast, village: Village, client: Client
) -> None:
    """A 20000 × 20000 PNG of 50 KB is refused before it is decoded, like progress evidence."""
    client.force_login(cast.victor)
    response = client.post(
        f"/points/v/{VILLAGE_A}/entries/new/",
        {
            "household": village.wang.pk,
            "item": item(village.rules, "B1").pk,
            "occurred_on": "2026-06-14",
            "description": "救人",
            "evidence": SimpleUploadedFile("big.png", png_bomb(), content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert "“big.png”像素过多" in response.content.decode()
    assert not Entry.objects.exists()


def test_evidence_pdf_is_downloaded_not_opened_in_the_page(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        f"/points/v/{VILLAGE_A}/entries/new/",
        {
            "household": village.wang.pk,
            "item": item(village.rules, "B1").pk,
            "occurred_on": "2026-06-14",
            "description": "救人",
            "evidence": pdf,
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    served = client.get(f"/points/entries/{entry.pk}/evidence/{entry.evidence.get().pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%AF%81%E6%98%8E.pdf" in served["Content-Disposition"]
    assert served["X-Content-Type-Options"] == "nosniff"


def test_it_answers_bad_input_with_a_message_and_400(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    response = client.post(
        f"/points/v/{VILLAGE_A}/entries/new/",
        {
            "household": village.wang.pk,
            "item": item(village.rules, "B1").pk,
            "occurred_on": "2026-06-14",
            "description": "救人",
        },
    )
    assert response.status_code == 400
    assert "现场照片" in response.content.decode()
    response = client.post(
        f"/points/v/{VILLAGE_A}/entries/bulk/",
        {"households": [], "item": "nope", "occurred_on": "yesterday", "description": ""},
    )
    assert response.status_code == 400
    assert client.get(f"/points/v/{VILLAGE_A}/entries/?from=garbage&state=zzz").status_code == 200
    assert not Entry.objects.exists()


def test_it_walks_the_path_through_the_pages(cast: Cast, village: Village, client: Client) -> None:
    entry = _entry(cast, village)
    client.force_login(cast.victor)
    client.post(f"/points/entries/{entry.pk}/", {"action": "assess", "note": "属实"})
    client.post(f"/points/entries/{entry.pk}/", {"action": "approve"})
    entry.refresh_from_db()
    assert entry.state == EntryState.IN_NOTICE
    client.force_login(cast.vera)
    notice = client.get(f"/points/v/{VILLAGE_A}/notice/")
    assert "开会" in notice.content.decode()
    response = client.post(f"/points/entries/{entry.pk}/object/", {"reason": "没去开会"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.ASSESSED
    # Back in review, it is no longer published: not hers to see.
    assert client.post(f"/points/entries/{entry.pk}/object/", {"reason": "x"}).status_code == 404


def test_the_notice_is_a_word_document_with_a_table(
    cast: Cast, village: Village, client: Client
) -> None:
    approved(cast.victor, _entry(cast, village))
    client.force_login(cast.vera)
    response = client.get(f"/points/v/{VILLAGE_A}/notice.docx")
    document = Document(io.BytesIO(response.content))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells][:3] == ["序号", "户号", "户主"]
    row = [cell.text for cell in table.rows[1].cells]
    assert row[1:5] == ["002", "王长福", "A2 参加村民会议", "+2"]
    assert "红花山村" in document.paragraphs[0].text


def test_the_ledger_and_rankings_export_to_excel(
    cast: Cast, village: Village, client: Client
) -> None:
    effective(cast.victor, _entry(cast, village))
    client.force_login(cast.victor)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/points/v/{VILLAGE_A}/ledger/?export=xlsx").content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == 1 and rows[1][2:4] == ("002", "王长福") and rows[1][5] == 2
    sheet = load_workbook(
        io.BytesIO(client.get(f"/points/v/{VILLAGE_A}/rankings/?export=xlsx").content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == (1, "002", "王长福", 2)
    client.force_login(cast.tom)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/points/t/{TOWN_A}/rankings/?export=xlsx").content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "红花山村" in rows[1][1] and rows[1][2] == 3
    client.force_login(cast.owen)
    assert client.get(f"/points/t/{TOWN_A}/rankings/").status_code == 404
    assert client.get(f"/points/t/{TOWN_B}/rankings/").status_code == 200


def test_a_villager_redeems_at_the_shop(cast: Cast, village: Village, client: Client) -> None:
    entry = services.request_entry(
        actor=cast.vera,
        item=item(village.rules, "A1"),
        occurred_on=dt.date(2026, 6, 1),
        description="门前整洁",
    )
    effective(cast.victor, entry)
    goods = services.add_goods(
        actor=cast.victor, village=village.rules.rule_set.division, name="毛巾", price=5, stock=2
    )
    client.force_login(cast.vera)
    page = client.get(f"/points/v/{VILLAGE_A}/shop/").content.decode()
    assert "毛巾" in page
    form = {"form": "redeem", "goods": goods.pk, "quantity": 1}
    response = client.post(f"/points/v/{VILLAGE_A}/shop/", {**form, "key": "first-form"})
    assert response.status_code == 302
    assert Goods.objects.get().stock == 1
    response = client.post(f"/points/v/{VILLAGE_A}/shop/", {**form, "key": "second-form"})
    assert response.status_code == 400  # no points left
    assert Goods.objects.get().stock == 1


def _many_entries(cast: Cast, village: Village, count: int) -> None:
    for index in range(count):
        effective(
            cast.victor,
            services.record_entry(
                actor=cast.victor,
                household=[village.wang, village.li, village.vera_home][index % 3],
                item=item(village.rules, "A2"),
                occurred_on=dt.date(2026, 6, 1 + index % 10),
                description=f"第{index}次",
            ),
        )


@pytest.mark.parametrize(
    "url",
    [
        f"/points/v/{VILLAGE_A}/entries/",
        f"/points/v/{VILLAGE_A}/review/",
        f"/points/v/{VILLAGE_A}/ledger/",
        f"/points/v/{VILLAGE_A}/notice/",
        f"/points/v/{VILLAGE_A}/rankings/",
        "/points/me/",
        "/points/",
    ],
)
def test_list_queries_do_not_grow_with_rows(
    url: str, cast: Cast, village: Village, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    user = {"/points/me/": cast.vera, "/points/": cast.tom}.get(url, cast.victor)
    client.force_login(user)
    _many_entries(cast, village, 3)
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        assert client.get(url).status_code == 200
    _many_entries(cast, village, 12)
    for entry in Entry.objects.all()[:4]:
        correction = services.reverse_entry(actor=cast.victor, entry=entry, reason="x")
        services.review_entry(actor=cast.victor, entry=correction, approve=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_rules_are_drafted_and_adopted_through_the_pages(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    response = client.post(f"/points/v/{VILLAGE_A}/rules/", {"based_on": village.rules.pk})
    assert response.status_code == 302
    draft = village.rules.rule_set.versions.get(number=2)
    url = f"/points/rules/{draft.pk}/"
    response = client.post(
        url,
        {
            "form": "item",
            "code": "H1",
            "category": "family",
            "title": "赡养老人",
            "points": 6,
            "cap_period": "year",
        },
    )
    assert response.status_code == 302 and draft.items.filter(code="H1").exists()
    response = client.post(
        url,
        {
            "form": "adopt",
            "meeting_kind": "villagers",
            "meeting_date": "2026-06-20",
            "in_force_from": "2026-07-01",
        },
    )
    assert response.status_code == 400  # the meeting is in the future
    response = client.post(
        url,
        {
            "form": "adopt",
            "meeting_kind": "villagers",
            "meeting_date": "2026-06-14",
            "in_force_from": "2026-07-01",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "adopted" and draft.meeting_date == dt.date(2026, 6, 14)
    page = client.get(f"/points/v/{VILLAGE_A}/rules/").content.decode()
    assert "v2" in page and "村民会议" in page
    # Town officials publish templates; a village official cannot.
    assert client.post("/points/templates/", {"division": TOWN_A, "name": "x"}).status_code == 400
    client.force_login(cast.tom)
    response = client.post("/points/templates/", {"division": TOWN_A, "name": "田横镇范本"})
    assert response.status_code == 302


def test_a_template_is_seen_inside_its_area_and_below_once_published(
    cast: Cast, village: Village, client: Client
) -> None:
    from hemei.divisions.models import Division

    template = services.create_template(
        actor=cast.tom, division=Division.objects.get(code=TOWN_A), name="田横镇范本"
    )
    url = f"/points/rules/{template.pk}/"
    # a villager reads no rules at all (403); a village official not a town's template (404)
    expected = {cast.tom: 200, cast.alice: 200, cast.victor: 404, cast.owen: 404, cast.vera: 403}
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user
    services.add_item(
        actor=cast.tom, version=template, code="T1", category="family", title="孝老", points=5
    )
    services.publish_template(actor=cast.tom, version=template)
    expected[cast.victor] = 200
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_the_entry_list_answers_htmx_with_its_rows_only(
    cast: Cast, village: Village, client: Client
) -> None:
    _entry(cast, village)
    client.force_login(cast.victor)
    response = client.get(
        f"/points/v/{VILLAGE_A}/entries/?q=王长福", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="rows">') and "<html" not in body and "王长福" in body

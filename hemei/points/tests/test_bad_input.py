"""Odd input on the points pages answers 4xx, and the pages read right in
Chinese (dates prefilled, caps, the notice's signature, bulk entry on a phone)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from hemei.core.testing import VILLAGE_A, Cast

from .. import services
from ..models import Entry, Goods, Settlement
from .conftest import Village
from .factories import TODAY, approved, effective, item

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def test_bulk_entry_with_a_number_too_big_for_the_database_is_a_form_error(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    response = client.post(
        f"/points/v/{VILLAGE_A}/entries/bulk/",
        {
            "households": [village.wang.pk, HUGE],
            "item": item(village.rules, "A2").pk,
            "occurred_on": "2026-06-14",
            "description": "清洁日",
        },
    )
    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_a_rule_or_goods_named_by_garbage_is_404(
    cast: Cast, village: Village, client: Client
) -> None:
    Goods.objects.create(village_id=VILLAGE_A, name="毛巾", price=8, stock=3)
    client.force_login(cast.victor)
    for value in ("abc", "²", HUGE, ""):
        remove = {"form": "remove", "item": value}
        assert client.post(f"/points/rules/{village.rules.pk}/", remove).status_code == 404
        shelf = {"form": "shelf", "goods": value}
        assert client.post(f"/points/v/{VILLAGE_A}/shop/", shelf).status_code == 404
    assert Goods.objects.get().is_active


def test_a_bad_settlement_year_is_400_with_its_message(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    for year in (HUGE, "abc", "1999"):
        response = client.post(f"/points/v/{VILLAGE_A}/ledger/", {"year": year})
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()
    assert not Settlement.objects.exists()


def test_a_villagers_bad_request_is_400(cast: Cast, village: Village, client: Client) -> None:
    client.force_login(cast.vera)
    response = client.post("/points/me/request/", {"item": HUGE, "occurred_on": "9999-12-31"})
    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_date_fields_come_filled_with_today_in_chinese(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    for url in (f"/points/v/{VILLAGE_A}/entries/new/", f"/points/v/{VILLAGE_A}/entries/bulk/"):
        body = client.get(url).content.decode()
        assert 'type="date" name="occurred_on" value="2026-06-15"' in body
    client.force_login(cast.vera)
    body = client.get("/points/me/request/").content.decode()
    assert 'value="2026-06-15"' in body


def test_a_cap_reads_as_chinese(cast: Cast, village: Village, client: Client) -> None:
    client.force_login(cast.victor)
    body = client.get(f"/points/v/{VILLAGE_A}/rules/").content.decode()
    assert "每月最多 20 分" in body


def test_the_notice_is_signed_by_the_committee_once(
    cast: Cast, village: Village, client: Client
) -> None:
    entry = services.record_entry(
        actor=cast.victor,
        household=village.wang,
        item=item(village.rules, "A2"),
        occurred_on=village.rules.in_force_from,
        description="开会",
    )
    approved(cast.victor, entry)
    client.force_login(cast.vera)
    document = Document(io.BytesIO(client.get(f"/points/v/{VILLAGE_A}/notice.docx").content))
    signature = document.paragraphs[-1].text
    assert "红花山村" in signature and "2026-06-15" in signature
    assert signature.count("委员会") == 1


def test_bulk_entry_has_an_all_households_box_and_tappable_names(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    body = client.get(f"/points/v/{VILLAGE_A}/entries/bulk/").content.decode()
    assert 'id="check-all"' in body and "全部农户" in body
    assert f'<label><input type="checkbox" name="households" value="{village.wang.pk}"' in body


def test_the_ledger_names_the_head_on_the_page_and_in_the_export(
    cast: Cast, village: Village, client: Client
) -> None:
    entry = services.record_entry(
        actor=cast.victor,
        household=village.wang,
        item=item(village.rules, "A2"),
        occurred_on=village.rules.in_force_from,
        description="开会",
    )
    effective(cast.victor, entry)
    client.force_login(cast.victor)
    assert "002 王长福" in client.get(f"/points/v/{VILLAGE_A}/ledger/").content.decode()
    response = client.get(f"/points/v/{VILLAGE_A}/ledger/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2:4] == ("户号", "户主")
    assert any(row[2:4] == ("002", "王长福") for row in rows[1:])


def test_a_villager_requests_only_rules_that_give_points(
    cast: Cast, village: Village, client: Client
) -> None:
    from django.core.exceptions import ValidationError

    deduction = item(village.rules, "C1")
    client.force_login(cast.vera)
    body = client.get("/points/me/request/").content.decode()
    assert "焚烧秸秆" not in body and "参加村民会议" in body
    response = client.post(
        "/points/me/request/",
        {"item": deduction.pk, "occurred_on": "2026-06-14", "description": "烧了"},
    )
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        services.request_entry(
            actor=cast.vera, item=deduction, occurred_on=TODAY.date(), description="烧了"
        )
    assert not Entry.objects.exists()


def test_the_villager_page_leads_to_the_household_register_entry(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.vera)
    body = client.get("/points/me/").content.decode()
    assert 'href="/households/mine/"' in body and "我家户籍" in body

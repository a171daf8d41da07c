"""A town official, who reads a village's points but does not run them, is
not shown forms that would answer 403 (settings, a village's draft rules)."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division

from .. import services
from .conftest import Village

pytestmark = pytest.mark.django_db


def test_the_town_reads_the_settings_without_a_save_button(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.tom)
    body = client.get(f"/points/v/{VILLAGE_A}/settings/").content.decode()
    assert 'name="notice_days"' not in body and "settings-facts" in body
    assert client.post(f"/points/v/{VILLAGE_A}/settings/", {}).status_code == 403
    client.force_login(cast.victor)
    body = client.get(f"/points/v/{VILLAGE_A}/settings/").content.decode()
    assert 'name="notice_days"' in body


def test_the_town_sees_a_village_draft_without_its_forms(
    cast: Cast, village: Village, client: Client
) -> None:
    draft = services.draft_version(
        actor=cast.victor, village=Division.objects.get(code=VILLAGE_A), based_on=village.rules
    )
    client.force_login(cast.tom)
    body = client.get(f"/points/rules/{draft.pk}/").content.decode()
    assert 'name="form" value="adopt"' not in body and 'value="remove"' not in body
    assert 'name="form" value="item"' not in body
    client.force_login(cast.victor)
    body = client.get(f"/points/rules/{draft.pk}/").content.decode()
    assert 'name="form" value="adopt"' in body and 'value="remove"' in body


def test_a_village_official_goes_straight_to_their_village(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    response = client.get("/points/")
    assert response.status_code == 302 and response["Location"] == f"/points/v/{VILLAGE_A}/"
    assert client.get("/points/?q=红花").status_code == 200  # a search still lists
    client.force_login(cast.tom)  # a town official chooses among the town's villages
    assert client.get("/points/").status_code == 200


def test_the_settlement_asks_before_it_runs_and_the_objection_asks_why(
    cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.victor)
    body = client.get(f"/points/v/{VILLAGE_A}/ledger/").content.decode()
    # site.js asks the form's data-confirm question before it is sent (no inline handler)
    assert 'id="settle" data-confirm="' in body and "不能撤销" in body
    assert "hemei/site.js" in body
    entry = services.record_entry(
        actor=cast.victor,
        household=village.wang,
        item=village.rules.items.get(code="A2"),
        occurred_on=village.rules.in_force_from,
        description="开会",
    )
    services.assess_entry(actor=cast.victor, entry=entry, approve=True)
    services.review_entry(actor=cast.victor, entry=entry, approve=True)
    client.force_login(cast.vera)
    assert "异议理由" in client.get(f"/points/entries/{entry.pk}/object/").content.decode()


def test_the_villager_is_told_why_goods_cannot_be_redeemed(
    cast: Cast, village: Village, client: Client
) -> None:
    division = village.rules.rule_set.division
    services.add_goods(actor=cast.victor, village=division, name="电饭煲", price=150, stock=2)
    services.add_goods(actor=cast.victor, village=division, name="毛巾", price=1, stock=0)
    client.force_login(cast.vera)
    body = client.get(f"/points/v/{division.code}/shop/").content.decode()
    assert "积分不足" in body and "已售完" in body

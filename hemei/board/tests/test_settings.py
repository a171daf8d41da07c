"""Officials turn a village's board on and off: the village, the town and the county; an
ID or mobile number in the welcome or the contact is refused with a Chinese message."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import load_workbook

from hemei.accounts.models import AuditEntry
from hemei.board import services
from hemei.board.models import BoardSettings
from hemei.core.testing import TOWN_A, VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division

from .helpers import turn_on

SETTINGS = f"/board/{VILLAGE_A}/settings/"
GOOD = {"enabled": "on", "welcome": "村务公开，欢迎监督。", "contact": "村委会办公室 0532-88512345"}


def village(code: str = VILLAGE_A) -> Division:
    return Division.objects.get(code=code)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["victor", "tom", "alice"])
def test_the_village_the_town_and_the_county_turn_the_board_on(
    cast: Cast, client: Client, who: str
) -> None:
    client.force_login(getattr(cast, who))
    page = client.get(SETTINGS)
    assert page.status_code == 200 and "开启村务公开栏" in page.content.decode()
    assert "公开栏未开启" in page.content.decode()
    response = client.post(SETTINGS, GOOD)
    assert response.status_code == 302 and response["Location"] == SETTINGS
    row = BoardSettings.objects.get(village_id=VILLAGE_A)
    assert row.enabled and row.contact == GOOD["contact"]
    assert AuditEntry.objects.filter(object_id=VILLAGE_A, content_type__model="boardsettings")
    shown = client.get(SETTINGS).content.decode()
    assert f"/board/{VILLAGE_A}/poster/" in shown and f"/board/{VILLAGE_A}/qr.svg" in shown
    assert f"http://testserver/board/{VILLAGE_A}/" in shown
    # and off again: the box unticked
    client.post(SETTINGS, {**GOOD, "enabled": ""})
    assert not BoardSettings.objects.get(village_id=VILLAGE_A).enabled


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value",
    [
        ("contact", "刘主任 13905320006"),
        ("contact", "联系人13905320006"),
        ("welcome", "户主身份证370215198001011234"),
        ("welcome", "x" * 501),
        ("contact", "0" * 101),
    ],
)
def test_personal_numbers_and_overlong_text_are_refused_and_change_nothing(
    cast: Cast, client: Client, field: str, value: str
) -> None:
    turn_on(cast)
    before = BoardSettings.objects.get(village_id=VILLAGE_A)
    client.force_login(cast.victor)
    response = client.post(SETTINGS, {**GOOD, field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "errorlist" in page
    if field in ("contact", "welcome") and len(value) <= 100:
        assert "村务公开栏不得显示身份证号或手机号" in page
    after = BoardSettings.objects.get(village_id=VILLAGE_A)
    assert (after.welcome, after.contact, after.updated_at) == (
        before.welcome,
        before.contact,
        before.updated_at,
    )


@pytest.mark.django_db
def test_a_masked_number_and_a_landline_are_fine(cast: Cast) -> None:
    row = services.update_board(
        actor=cast.victor,
        village=village(),
        enabled=True,
        welcome="主任 139****0006",
        contact="0532-88512345",
    )
    assert row.enabled and row.welcome == "主任 139****0006"


@pytest.mark.django_db
def test_a_leader_reads_the_settings_but_does_not_change_them(cast: Cast, client: Client) -> None:
    client.force_login(cast.lily)
    page = client.get(SETTINGS)
    assert page.status_code == 200 and '<form method="post" class="stacked"' not in (
        page.content.decode()
    )
    assert client.post(SETTINGS, GOOD).status_code == 403
    assert not BoardSettings.objects.exists()


@pytest.mark.django_db
def test_outside_the_area_or_no_village_is_a_404_and_other_roles_a_403(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.owen)  # town B
    assert client.get(SETTINGS).status_code == 404
    assert client.post(SETTINGS, GOOD).status_code == 404
    client.force_login(cast.tom)
    for code in (TOWN_A, "abc", "370215100999", VILLAGE_B):
        assert client.get(f"/board/{code}/settings/").status_code == 404
    for who in ("dan", "vera", "nora"):
        client.force_login(getattr(cast, who))
        assert client.get(SETTINGS).status_code == 403
    assert not BoardSettings.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_town_and_an_outsider(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.update_board(actor=cast.alice, village=village(TOWN_A), enabled=True)
    with pytest.raises(PermissionDenied):
        services.update_board(actor=cast.owen, village=village(), enabled=True)
    with pytest.raises(PermissionDenied):
        services.update_board(actor=cast.vera, village=village(), enabled=True)
    assert not BoardSettings.objects.exists()


@pytest.mark.django_db
def test_the_list_shows_the_areas_villages_with_search_filter_and_export(
    cast: Cast, client: Client
) -> None:
    turn_on(cast)
    client.force_login(cast.tom)
    page = client.get("/board/").content.decode()
    assert "红花山村" in page and "已开启" in page
    on = client.get("/board/?state=on").content.decode()
    assert on.count(f"/board/{VILLAGE_A}/settings/") == 1 and "1 rows" not in on
    off = client.get("/board/?state=off").content.decode()
    assert f"/board/{VILLAGE_A}/settings/" not in off
    found = client.get("/board/?q=红花山").content.decode()
    assert f"/board/{VILLAGE_A}/settings/" in found
    assert "金口" not in client.get("/board/?q=金口村").content.decode().split("<tbody>")[1]
    export = client.get("/board/?state=on&export=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert any(row[0] == VILLAGE_A and "已开启" in row for row in rows)
    assert any(f"http://testserver/board/{VILLAGE_A}/" in row for row in rows)
    # a village official lists their own village only; bad filters are no error
    client.force_login(cast.victor)
    mine = client.get("/board/?state=nonsense&page=999").content.decode()
    assert "红花山村" in mine and "高埠村" not in mine


@pytest.mark.django_db
def test_the_home_page_links_a_village_official_to_the_board_and_its_poster(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.victor)
    home = client.get("/").content.decode()
    assert "公开栏未开启" in home and SETTINGS in home
    turn_on(cast)
    home = client.get("/").content.decode()
    assert f'href="/board/{VILLAGE_A}/"' in home and f"/board/{VILLAGE_A}/poster/" in home
    client.force_login(cast.tom)  # a town official has the list in the menu instead
    home = client.get("/").content.decode()
    assert 'href="/board/"' in home and f"/board/{VILLAGE_A}/poster/" not in home

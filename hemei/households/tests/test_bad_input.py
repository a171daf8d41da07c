"""Odd input on the register's pages answers 4xx, and people read as 姓名."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.households.models import Household
from hemei.households.tests.factories import make_household

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def home(cast: Cast) -> Household:
    return make_household(cast.victor, Division.objects.get(code=VILLAGE_A))


@pytest.mark.parametrize("group", ["²", HUGE, "abc", "-1"])
def test_a_group_filter_that_is_no_number_is_ignored(cast, client, home, group):
    client.force_login(cast.victor)
    for query in (f"?group={group}", f"?village={VILLAGE_A}&group={group}"):
        response = client.get(f"/households/{query}")
        assert response.status_code == 200
        assert home.number in response.content.decode()


def test_a_split_naming_a_member_too_big_for_the_database_is_400(cast, client, home):
    client.force_login(cast.victor)
    response = client.post(
        f"/households/{home.pk}/split/",
        {"members": [HUGE], "new_head": HUGE, "new_number": "009", "date": "2026-01-01"},
    )
    assert response.status_code == 400
    assert Household.objects.count() == 1


def test_a_file_level_import_error_shows_no_row_zero(cast, client):
    client.force_login(cast.victor)
    response = client.post(
        "/households/import/",
        {"village": VILLAGE_A, "file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<td>—</td>" in body and "<td>0</td>" not in body


def test_people_are_headed_by_name_and_groups_by_group_name(cast, client, home):
    client.force_login(cast.victor)
    assert "<th>姓名</th>" in client.get(f"/households/{home.pk}/").content.decode()
    assert "<th>小组名称</th>" in client.get("/households/groups/").content.decode()


def test_a_household_merged_away_says_where_its_members_went(cast, client, home):
    from hemei.households import services

    other = make_household(cast.victor, Division.objects.get(code=VILLAGE_A), number="002")
    services.merge_households(actor=cast.victor, source=home, target=other)
    client.force_login(cast.victor)
    body = client.get(f"/households/{home.pk}/").content.decode()
    assert "本户现无成员" in body


@pytest.mark.parametrize("url", ["/households/import/", "/households/new/", "/households/groups/"])
def test_a_village_officials_only_village_comes_chosen(cast, client, url):
    client.force_login(cast.victor)
    body = client.get(url).content.decode()
    assert f'<option value="{VILLAGE_A}" selected>' in body
    assert "---------" not in body.split('name="village"')[1].split("</select>")[0]
    client.force_login(cast.tom)  # a town official has many villages: none is chosen for them
    body = client.get(url).content.decode()
    assert f'<option value="{VILLAGE_A}" selected>' not in body


def test_one_import_lists_every_problem_of_a_row_at_once(cast, client):
    from hemei.households.tests.test_import_export import xlsx

    rows = [
        ["101", "一组", "赵大", "户主", "男", "1970-05-01", "", "", ""],
        ["101", "一组", "赵二", "配偶", "女", "1972-13-15", "123", "abc", ""],
        ["102", "一组", "", "户主", "", "2099-01-01", "", "", ""],
    ]
    client.force_login(cast.victor)
    response = client.post(
        "/households/import/",
        {"village": VILLAGE_A, "file": SimpleUploadedFile("r.xlsx", xlsx(rows))},
    )
    assert response.status_code == 400
    report = response.context["report"]
    by_row: dict[int, list[str]] = {}
    for row, message in report.errors:
        by_row.setdefault(row, []).append(message)
    assert len(by_row[3]) == 3  # the bad date, the bad ID number and the bad phone together
    assert any("姓名" in m for m in by_row[4])
    assert any("晚于今天" in m for m in by_row[4])
    assert Household.objects.count() == 0


def test_the_register_leads_administrators_to_the_log_of_full_views(cast, client, home):
    client.force_login(cast.alice)
    assert 'href="/households/full-views/"' in client.get("/households/").content.decode()
    client.force_login(cast.victor)  # who would get 403 there is not shown the way
    assert 'href="/households/full-views/"' not in client.get("/households/").content.decode()
    assert client.get("/households/full-views/").status_code == 403


def test_the_new_household_form_says_whose_details_it_asks(cast, client):
    client.force_login(cast.victor)
    body = client.get("/households/new/").content.decode()
    for label in ("户主姓名", "户主身份证号", "户主手机", "建户日期"):
        assert label in body


@pytest.mark.parametrize("url", ["/households/?q=", "/households/full-views/?q="])
def test_a_nul_in_a_register_search_is_no_500(url, cast, client) -> None:
    client.force_login(cast.alice)
    assert client.get(url + "a%00b").status_code == 200

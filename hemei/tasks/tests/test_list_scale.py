"""The task list at a province's scale: a county menu before the towns (never 1,600 town
options), a count that stops at ``COUNT_CAP``, and filter menus written without a template per
option (the same HTML as Django's)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.cache import cache
from django.test import Client

from hemei.accounts.models import RoleAssignment, User
from hemei.core.forms import QuickSelect
from hemei.core.lists import CappedPaginator
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B
from hemei.divisions.models import Division
from hemei.tasks import services
from hemei.tasks.models import Task

from . import test_pages
from .test_pages import World, _ids

world = pytest.fixture(test_pages.world.__wrapped__)  # the task pages' world

pytestmark = pytest.mark.django_db

CITY = COUNTY[:4]
OTHER_COUNTY = f"{CITY}99"
OTHER_TOWN = f"{OTHER_COUNTY}100"


@pytest.fixture
def city_admin(world: World) -> User:
    """An administrator of the whole city, which holds a second county with one town."""
    Division.objects.create(code=OTHER_COUNTY, name="合成县", level=3, parent_id=CITY)
    Division.objects.create(code=OTHER_TOWN, name="合成镇", level=4, parent_id=OTHER_COUNTY)
    user = User.objects.create_user(username="carl", password="x", full_name="市管理员")
    RoleAssignment.objects.create(user=user, role="county_admin", division_id=CITY)
    services.create_task(
        actor=user,
        division=Division.objects.get(code=OTHER_TOWN),
        title="合成镇任务",
        due_on=dt.date(2026, 9, 30),
    )
    return user


def _menu(body: str, name: str) -> str:
    start = body.index(f'<select name="{name}" id="id_{name}"')
    return body[start : body.index("</select>", start)]


def test_a_city_user_chooses_a_county_before_its_towns(
    world: World, city_admin: User, client: Client
) -> None:
    client.force_login(city_admin)
    body = client.get("/tasks/").content.decode()
    counties = _menu(body, "county")
    assert f'value="{COUNTY}"' in counties and f'value="{OTHER_COUNTY}"' in counties
    towns = _menu(body, "division")
    assert towns.count("<option") == 1 and "请先选择区县" in towns  # no town before a county
    body = client.get(f"/tasks/?county={OTHER_COUNTY}").content.decode()
    towns = _menu(body, "division")
    assert f'value="{OTHER_TOWN}"' in towns and TOWN_A not in towns
    assert _ids(client.get(f"/tasks/?county={OTHER_COUNTY}")) == set(
        Task.objects.filter(division_id=OTHER_TOWN).values_list("pk", flat=True)
    )
    # A town alone (a link from the overview) opens its county's towns with it chosen.
    body = client.get(f"/tasks/?division={TOWN_A}").content.decode()
    assert f'<option value="{COUNTY}" selected>' in _menu(body, "county")
    assert f'<option value="{TOWN_A}" selected>' in _menu(body, "division")
    assert _ids(client.get(f"/tasks/?division={TOWN_A}")) == {world.part_a.pk, world.village.pk}


def test_changing_the_county_forgets_the_town_and_swaps_the_town_menu(
    world: World, city_admin: User, client: Client
) -> None:
    client.force_login(city_admin)
    response = client.get(
        f"/tasks/?county={OTHER_COUNTY}&division={TOWN_A}", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.startswith('<div id="rows">')
    assert "无法识别" not in body  # the forgotten town is not "not understood"
    assert _ids(response) == set(
        Task.objects.filter(division_id=OTHER_TOWN).values_list("pk", flat=True)
    )
    swapped = body[body.index('<select id="id_division" hx-swap-oob="innerHTML">') :]
    assert f'value="{OTHER_TOWN}"' in swapped and TOWN_A not in swapped


def test_a_county_user_gets_their_towns_and_no_county_menu(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    body = client.get("/tasks/").content.decode()
    assert 'name="county"' not in body
    towns = _menu(body, "division")
    assert f'value="{TOWN_A}"' in towns and f'value="{TOWN_B}"' in towns
    rows = client.get("/tasks/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-swap-oob" not in rows  # nothing to swap: the towns never change


def test_the_count_stops_at_the_cap(world: World) -> None:
    tasks = Task.objects.order_by("due_on", "id")
    total = tasks.count()
    assert total == 4

    class Small(CappedPaginator):
        cap = 3

    paginator = Small(tasks, 2)
    assert paginator.capped and paginator.count == 3 and paginator.num_pages == 2
    roomy = Small(tasks.filter(division_id=TOWN_B), 2)
    assert not roomy.capped and roomy.count == 1
    assert not CappedPaginator(list(tasks), 2).capped  # a list is counted as it is


def test_a_capped_list_says_more_than_the_cap(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    client.force_login(world.cast.alice)
    body = client.get("/tasks/").content.decode()
    assert "超过 2 条，请用筛选条件缩小范围" in body
    assert "共 1 条" in client.get(f"/tasks/?division={TOWN_B}").content.decode()


def test_a_search_pages_by_ids_first_and_counts_to_its_own_cap(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(7):
        Task.objects.create(
            title=f"秸秆禁烧巡查{number}", division_id=TOWN_A, due_on=dt.date(2026, 7, 7 - number)
        )
    tasks = Task.objects.search("秸秆").order_by("due_on", "id")
    expected = list(tasks.values_list("pk", flat=True))
    assert len(expected) == 7
    late = CappedPaginator(tasks.for_list(), 3, late=True)
    pages = [[task.pk for task in late.page(number)] for number in (1, 2, 3)]
    assert pages == [expected[:3], expected[3:6], expected[6:]]  # same rows, same order

    monkeypatch.setattr("hemei.core.lists.SEARCH_COUNT_CAP", 5)
    client.force_login(world.cast.alice)
    found = client.get("/tasks/", {"q": "秸秆"})
    assert "超过 5 条，请用筛选条件缩小范围" in found.content.decode()
    assert [task.pk for task in found.context["page"]] == expected[:5]
    assert "超过" not in client.get("/tasks/").content.decode()  # the list's own cap


@pytest.mark.parametrize("value", ["", "b", None, ["a"]])
def test_the_quick_select_writes_what_djangos_select_writes(value: object) -> None:
    choices = [("", "全部"), ("a", "<甲>"), ("b", "乙 & 丙"), (3, "三")]
    quick = QuickSelect(choices=choices).render("f", value, {"id": "id_f"})
    django = forms.Select(choices=choices).render("f", value, {"id": "id_f"})
    assert quick == "".join(line.strip() for line in django.splitlines())


def test_the_overview_of_a_city_counts_by_county_then_by_town(
    world: World, city_admin: User, client: Client
) -> None:
    cache.clear()
    client.force_login(city_admin)
    response = client.get("/tasks/overview/")
    rows = {row.code: row for row in response.context["rows"]}
    assert response.context["by_county"] and set(rows) == {COUNTY, OTHER_COUNTY}
    assert (rows[COUNTY].total, rows[OTHER_COUNTY].total) == (3, 1)  # the county task is not
    body = response.content.decode()
    assert f'href="?county={OTHER_COUNTY}"' in body and "各区县亮灯情况" in body
    response = client.get(f"/tasks/overview/?county={COUNTY}")
    rows = {row.code: row for row in response.context["rows"]}
    assert not response.context["by_county"] and TOWN_A in rows and OTHER_TOWN not in rows
    assert (rows[TOWN_A].total, rows[TOWN_B].total) == (2, 1)
    assert client.get("/tasks/overview/?county=x").status_code == 200  # not understood: all


def test_the_figures_of_several_counties_are_kept_a_minute(
    world: World, city_admin: User, client: Client
) -> None:
    cache.clear()
    client.force_login(city_admin)

    def totals() -> dict[str, int]:
        return {row.code: row.total for row in client.get("/tasks/overview/").context["rows"]}

    first = totals()
    services.create_task(
        actor=city_admin,
        division=Division.objects.get(code=OTHER_TOWN),
        title="又一项任务",
        due_on=dt.date(2026, 10, 31),
    )
    assert totals() == first  # counted less than a minute ago
    # A county's own overview (its towns) is counted on every request.
    towns = client.get(f"/tasks/overview/?county={OTHER_COUNTY}").context["rows"]
    assert {row.code: row.total for row in towns} == {OTHER_TOWN: 2}
    cache.clear()  # a minute later
    assert totals()[OTHER_COUNTY] == first[OTHER_COUNTY] + 1

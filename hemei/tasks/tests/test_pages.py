"""Task pages: who may open what (the permission matrix), what the list filters and exports,
and that create, edit and fan-out refuse bad input without writing anything."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.tasks import services
from hemei.tasks.choices import Light, State
from hemei.tasks.models import LeaderLink, Program, Task

pytestmark = pytest.mark.django_db

MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclass
class World:
    cast: Cast
    county: Task  # 即墨区, fanned out to towns A and B
    part_a: Task  # 田横镇's part, fanned out to 红花山村
    part_b: Task  # 金口镇's part
    village: Task  # 红花山村's part


@pytest.fixture
def world(cast: Cast) -> World:
    with clock.frozen_at(MORNING):
        program = Program.objects.create(name="六大攻坚战")
        county = services.create_task(
            actor=cast.alice,
            division=Division.objects.get(code=COUNTY),
            title="完成农村户厕改造",
            start_on=dt.date(2026, 3, 1),
            due_on=dt.date(2026, 6, 30),
            lead_leader=cast.lily,
            lead_unit=cast.unit,
            programs=[program],
            milestones=[("摸底排查", dt.date(2026, 4, 1), 1)],
        )
        services.fan_out(actor=cast.alice, task=county, codes=[TOWN_A, TOWN_B])
        part_a = county.children.get(division_id=TOWN_A)
        part_b = county.children.get(division_id=TOWN_B)
        services.fan_out(actor=cast.tom, task=part_a, codes=[VILLAGE_A])
        village = part_a.children.get()
    return World(cast, county, part_a, part_b, village)


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[World], str]
    manage: bool = False
    #: the same page for an object in town B, which tom must not see
    outside: Callable[[World], str] | None = None


PAGES = [
    Page("list", lambda w: "/tasks/"),
    Page("list export", lambda w: "/tasks/?export=xlsx"),
    Page(
        "detail",
        lambda w: f"/tasks/{w.part_a.pk}/",
        outside=lambda w: f"/tasks/{w.part_b.pk}/",
    ),
    Page(
        "tree",
        lambda w: f"/tasks/{w.part_a.pk}/tree/",
        outside=lambda w: f"/tasks/{w.part_b.pk}/tree/",
    ),
    Page("create", lambda w: "/tasks/new/", manage=True),
    Page(
        "edit",
        lambda w: f"/tasks/{w.part_a.pk}/edit/",
        manage=True,
        outside=lambda w: f"/tasks/{w.part_b.pk}/edit/",
    ),
    Page(
        "subtask",
        lambda w: f"/tasks/{w.part_a.pk}/subtasks/new/",
        manage=True,
        outside=lambda w: f"/tasks/{w.part_b.pk}/subtasks/new/",
    ),
    Page(
        "fan out",
        lambda w: f"/tasks/{w.part_a.pk}/fan-out/",
        manage=True,
        outside=lambda w: f"/tasks/{w.part_b.pk}/fan-out/",
    ),
    Page("my work", lambda w: "/tasks/mine/"),
    Page("overview", lambda w: "/tasks/overview/"),
    Page("leaders", lambda w: "/tasks/leaders/"),
    Page("leader", lambda w: f"/tasks/leaders/{w.cast.lily.pk}/"),
]
IDS = [page.name for page in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_sends_anonymous_visitors_to_login(page: Page, world: World, client: Client) -> None:
    response = client.get(page.url(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_refuses_an_account_without_a_role(page: Page, world: World, client: Client) -> None:
    client.force_login(world.cast.nora)
    assert client.get(page.url(world)).status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_opens_for_the_county_administrator_and_the_town(
    page: Page, world: World, client: Client
) -> None:
    for user in (world.cast.alice, world.cast.tom):
        client.force_login(user)
        assert client.get(page.url(world)).status_code == 200, user.username


@pytest.mark.parametrize("page", [p for p in PAGES if p.outside], ids=lambda p: p.name)
def test_it_answers_404_outside_the_subtree(page: Page, world: World, client: Client) -> None:
    assert page.outside is not None
    client.force_login(world.cast.owen)
    assert client.get(page.url(world)).status_code == 404
    assert client.get(page.outside(world)).status_code == 200
    client.force_login(world.cast.tom)
    assert client.get(page.outside(world)).status_code == 404
    assert client.get("/tasks/999999/").status_code == 404  # missing: the same answer


def test_a_village_official_sees_the_village_part_but_cannot_manage(
    world: World, client: Client
) -> None:
    client.force_login(world.cast.victor)
    response = client.get(f"/tasks/{world.village.pk}/")
    assert response.status_code == 200
    assert f"/tasks/{world.village.pk}/edit/" not in response.content.decode()
    assert client.get(f"/tasks/{world.part_a.pk}/").status_code == 404
    assert client.get(f"/tasks/{world.village.pk}/edit/").status_code == 403
    assert client.get(f"/tasks/{world.village.pk}/subtasks/new/").status_code == 403
    assert client.get("/tasks/new/").status_code == 403
    assert client.post(f"/tasks/{world.village.pk}/edit/", {"title": "x"}).status_code == 403
    assert Task.objects.get(pk=world.village.pk).title == "完成农村户厕改造"


def test_the_detail_shows_leader_unit_and_person_apart_and_the_whole_timeline(
    world: World, client: Client
) -> None:
    client.force_login(world.cast.alice)
    body = client.get(f"/tasks/{world.county.pk}/").content.decode()
    assert "李丽" in body and "区农业农村局" in body and "摸底排查" in body
    assert "田横镇" in body and "金口镇" in body  # the towns' parts with their progress
    assert "已分解" in body or "fanned out" in body
    # tom sees his part but not the county task it hangs under: no parent link.
    client.force_login(world.cast.tom)
    body = client.get(f"/tasks/{world.part_a.pk}/").content.decode()
    assert f'href="/tasks/{world.county.pk}/"' not in body
    assert "红花山村" in body


def test_the_detail_loads_other_apps_sections_only_when_they_exist(
    world: World, client: Client
) -> None:
    from django.urls import NoReverseMatch, reverse

    client.force_login(world.cast.alice)
    body = client.get(f"/tasks/{world.county.pk}/").content.decode()
    for app in ("progress", "supervision"):
        try:
            url = reverse(f"{app}:task_section", args=[world.county.pk])
        except NoReverseMatch:
            assert f'hx-get="/{app}/' not in body
        else:
            assert f'hx-get="{url}"' in body


def _ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {task.pk for task in response.context["page"]}


def test_the_list_filters(world: World, client: Client) -> None:
    services.record_progress(task=world.village, percent=100, actor=world.cast.tom)
    services.refresh_lights(today=dt.date(2026, 7, 1))  # everything open is now overdue
    client.force_login(world.cast.alice)
    every = {world.county.pk, world.part_a.pk, world.part_b.pk, world.village.pk}
    assert _ids(client.get("/tasks/")) == every
    town_a = _ids(client.get(f"/tasks/?division={TOWN_A}"))
    assert town_a == {world.part_a.pk, world.village.pk}  # the town and its villages
    done = {world.village.pk, world.part_a.pk}  # the village's 100% rolls up into town A
    assert _ids(client.get("/tasks/?state=done")) == done
    assert _ids(client.get("/tasks/?open=on")) == every - done
    assert _ids(client.get("/tasks/?light=red")) == every - done
    program = Program.objects.get()
    assert _ids(client.get(f"/tasks/?program={program.pk}")) == every
    assert _ids(client.get(f"/tasks/?unit={world.cast.unit.pk}")) == every
    assert _ids(client.get("/tasks/?theme=industry")) == set()
    assert _ids(client.get("/tasks/?due_from=2026-07-01")) == set()
    assert _ids(client.get("/tasks/?due_to=2026-06-30&q=户厕")) == every
    assert _ids(client.get("/tasks/?q=不存在")) == set()
    # A filter value that does not parse filters nothing and breaks nothing.
    assert client.get("/tasks/?due_from=yesterday&unit=x&light=blue").status_code == 200


def test_the_list_is_scoped(world: World, client: Client) -> None:
    client.force_login(world.cast.owen)
    assert _ids(client.get("/tasks/")) == {world.part_b.pk}
    assert _ids(client.get(f"/tasks/?division={TOWN_A}")) == set()


def test_the_export_reopens_with_the_filtered_rows(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    response = client.get(f"/tasks/?division={TOWN_A}&export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {row[2][:4] for row in rows[1:]} == {"田横镇", "红花山村"}
    assert rows[1][5] == "李丽" and rows[1][6] == "区农业农村局"


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tasks/").status_code == 200
    return len(queries)


def test_the_list_query_count_does_not_grow_with_the_rows(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    few = _list_queries(client)
    county = Division.objects.get(code=COUNTY)
    for number in range(46):
        services.create_task(
            actor=world.cast.alice,
            division=county,
            title=f"任务{number}",
            due_on=dt.date(2026, 12, 31),
            lead_unit=world.cast.unit,
            responsible=world.cast.dan,
            co_units=[world.cast.unit],
            programs=[Program.objects.get()],
        )
    assert Task.objects.count() == 50
    assert _list_queries(client) == few
    assert few <= 14
    # every row still names its programs, read for the whole page in one query
    tagged = Task.objects.filter(programs__isnull=False).count()
    body = client.get("/tasks/").content.decode()
    assert body.count('<span class="tag">六大攻坚战</span>') == tagged >= 47


def _form(world: World, **changes: str) -> dict[str, str]:
    data = {
        "title": "村庄清洁行动",
        "division": COUNTY,
        "theme": "ecology",
        "priority": "3",
        "weight": "1",
        "due_on": "2026-09-30",
        "start_on": "2026-04-01",
        "lead_leader": str(world.cast.lily.pk),
        "lead_unit": str(world.cast.unit.pk),
        "responsible": str(world.cast.dan.pk),
        "new_programs": "15件实事、六大攻坚战",
        "milestones-TOTAL_FORMS": "3",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-name": "方案印发",
        "milestones-0-due_on": "2026-05-01",
        "milestones-0-weight": "2",
    }
    data.update(changes)
    return data


def test_the_county_creates_a_task_with_milestones_and_new_programs(
    world: World, client: Client
) -> None:
    client.force_login(world.cast.alice)
    response = client.post("/tasks/new/", _form(world))
    assert response.status_code == 302
    task = Task.objects.get(title="村庄清洁行动")
    assert response["Location"] == f"/tasks/{task.pk}/"
    assert task.lead_leader == world.cast.lily and task.responsible == world.cast.dan
    assert sorted(p.name for p in task.programs.all()) == ["15件实事", "六大攻坚战"]
    assert Program.objects.count() == 2  # the existing one reused
    assert task.milestones.get().weight == Decimal(2)


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"due_on": "not a date"},
        {"start_on": "2026-10-01"},  # after the deadline
        {"division": TOWN_B + "9"},  # no such division
        {"lead_unit": "999999"},
        {"milestones-0-due_on": ""},
        {"weight": "-1"},
    ],
    ids=["no title", "bad date", "start after due", "bad division", "bad unit", "milestone", "w"],
)
def test_bad_input_answers_400_and_writes_nothing(
    changes: dict[str, str], world: World, client: Client
) -> None:
    client.force_login(world.cast.alice)
    before = (Task.objects.count(), Program.objects.count())
    response = client.post("/tasks/new/", _form(world, **changes))
    assert response.status_code == 400
    assert response.context["form"].errors or response.context["milestones"].errors
    assert (Task.objects.count(), Program.objects.count()) == before


def test_a_town_cannot_create_a_county_task(world: World, client: Client) -> None:
    client.force_login(world.cast.tom)
    response = client.post("/tasks/new/", _form(world, responsible=""))
    assert response.status_code == 400
    assert "division" in response.context["form"].errors
    response = client.post("/tasks/new/", _form(world, division=TOWN_A, responsible=""))
    assert response.status_code == 302


def test_a_subtask_starts_from_its_parent_and_stays_inside_it(world: World, client: Client) -> None:
    client.force_login(world.cast.tom)
    response = client.get(f"/tasks/{world.part_a.pk}/subtasks/new/")
    assert response.context["form"].initial["lead_leader"] == world.cast.lily.pk
    outside = client.post(f"/tasks/{world.part_a.pk}/subtasks/new/", _form(world, division=COUNTY))
    assert outside.status_code == 400
    response = client.post(
        f"/tasks/{world.part_a.pk}/subtasks/new/",
        _form(world, division=VILLAGE_A, responsible=str(world.cast.victor.pk)),
    )
    assert response.status_code == 302
    assert world.part_a.children.filter(title="村庄清洁行动").exists()


def test_edit_changes_the_task_and_puts_it_on_the_timeline(world: World, client: Client) -> None:
    client.force_login(world.cast.tom)
    data = _form(
        world, title="户厕改造（田横镇）", division=COUNTY, responsible=""
    )  # the division is fixed
    response = client.post(f"/tasks/{world.part_a.pk}/edit/", data)
    assert response.status_code == 302
    world.part_a.refresh_from_db()
    assert world.part_a.title == "户厕改造（田横镇）" and world.part_a.division_id == TOWN_A
    assert world.part_a.events.filter(kind="changed").exists()
    bad = client.post(f"/tasks/{world.part_a.pk}/edit/", _form(world, title=""))
    assert bad.status_code == 400
    world.part_a.refresh_from_db()
    assert world.part_a.title == "户厕改造（田横镇）"


def test_fan_out_to_all_towns_or_a_few(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    task = services.create_task(
        actor=world.cast.alice,
        division=Division.objects.get(code=COUNTY),
        title="高标准农田建设",
        due_on=dt.date(2026, 12, 31),
    )
    refused = client.post(f"/tasks/{task.pk}/fan-out/", {"level": "4", "which": "some"})
    assert refused.status_code == 400 and not task.children.exists()
    foreign = client.post(
        f"/tasks/{task.pk}/fan-out/", {"level": "4", "which": "some", "codes": ["110101001"]}
    )
    assert foreign.status_code == 400 and not task.children.exists()
    some = client.post(
        f"/tasks/{task.pk}/fan-out/", {"level": "4", "which": "some", "codes": [TOWN_A]}
    )
    assert some.status_code == 302 and some["Location"] == f"/tasks/{task.pk}/tree/"
    assert list(task.children.values_list("division_id", flat=True)) == [TOWN_A]
    client.post(f"/tasks/{task.pk}/fan-out/", {"level": "4", "which": "all"})
    towns = Division.objects.current().filter(level=4).within(COUNTY).count()
    assert task.children.count() == towns
    # The tree shows every part in a few queries.
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/tasks/{task.pk}/tree/").content.decode()
    assert body.count("/tasks/") >= towns
    assert len(queries) <= 10


def test_fan_out_is_refused_to_those_who_cannot_manage(world: World, client: Client) -> None:
    client.force_login(world.cast.victor)
    assert client.post(f"/tasks/{world.village.pk}/fan-out/", {"which": "all"}).status_code in (
        403,
        404,
    )
    client.force_login(world.cast.owen)
    response = client.post(f"/tasks/{world.part_a.pk}/fan-out/", {"level": "5", "which": "all"})
    assert response.status_code == 404
    assert world.part_a.children.count() == 1


def test_overview_counts_lights_by_town(world: World, client: Client) -> None:
    services.record_progress(task=world.village, percent=100, actor=world.cast.tom)
    services.refresh_lights(today=dt.date(2026, 7, 1))
    client.force_login(world.cast.alice)
    response = client.get("/tasks/overview/")
    rows = {row.code: row for row in response.context["rows"]}
    assert (rows[TOWN_A].total, rows[TOWN_A].done, rows[TOWN_A].red) == (2, 2, 0)
    assert (rows[TOWN_B].total, rows[TOWN_B].red) == (1, 1)
    assert rows[TOWN_A].average == Decimal("100.0")
    client.force_login(world.cast.owen)
    rows = {row.code: row for row in client.get("/tasks/overview/").context["rows"]}
    assert set(rows) == {TOWN_B}


def test_my_work_by_role(world: World, client: Client) -> None:
    client.force_login(world.cast.tom)
    work = client.get("/tasks/mine/").context["work"]
    assert {t.pk for t in work.division} == {world.part_a.pk, world.village.pk}
    assert work.led is None and work.unit is None
    client.force_login(world.cast.dan)
    work = client.get("/tasks/mine/").context["work"]
    assert world.county.pk in {t.pk for t in work.unit}
    LeaderLink.objects.create(leader=world.cast.lily, kind="town", division_id=TOWN_B)
    client.force_login(world.cast.lily)
    work = client.get("/tasks/mine/").context["work"]
    assert world.county.pk in {t.pk for t in work.led}
    assert {t.pk for t in work.linked} == {world.part_b.pk}


def test_light_states_show_as_badges(world: World, client: Client) -> None:
    services.refresh_lights(today=dt.date(2026, 7, 1))
    client.force_login(world.cast.alice)
    body = client.get("/tasks/").content.decode()
    assert "light light-red" in body
    assert Task.objects.filter(light=Light.RED, state=State.OVERDUE).count() == 4


def test_my_work_says_what_is_waiting_and_its_queries_do_not_grow(
    world: World, client: Client
) -> None:
    services.refresh_lights(today=dt.date(2026, 7, 1))
    client.force_login(world.cast.tom)
    with CaptureQueriesContext(connection) as few:
        response = client.get("/tasks/mine/")
    section = next(s for s in response.context["sections"] if s["key"] == "division")
    needs = {task.pk: task.needs for task in section["tasks"]}
    assert needs[world.part_a.pk] == ["已逾期：请报告进度或申请延期", "请明确责任人"]
    assert len(needs[world.village.pk]) == 2  # overdue, and no responsible person named
    town = Division.objects.get(code=TOWN_A)
    for number in range(20):
        services.create_task(
            actor=world.cast.tom, division=town, title=f"镇任务{number}", due_on=dt.date(2026, 8, 1)
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/tasks/mine/")
    assert len(many) == len(few)


def _detail_queries(client: Client, pk: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/tasks/{pk}/").status_code == 200
    return len(queries)


def test_the_detail_query_count_does_not_grow_with_parts_or_timeline(
    world: World, client: Client
) -> None:
    client.force_login(world.cast.alice)
    few = _detail_queries(client, world.county.pk)
    services.fan_out(actor=world.cast.alice, task=world.county)  # every other town too
    for part in world.county.children.all()[:5]:
        services.record_progress(task=part, percent=30, actor=world.cast.alice, text="审核通过")
    assert world.county.children.count() > 10
    assert _detail_queries(client, world.county.pk) == few


def test_the_list_answers_htmx_with_the_rows_only(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    response = client.get(f"/tasks/?division={TOWN_A}", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.startswith('<div id="rows">') and "<html" not in body
    assert "红花山村" in body


def test_the_form_suggests_the_divisions_the_user_may_manage(world: World, client: Client) -> None:
    client.force_login(world.cast.tom)
    body = client.get("/tasks/new/").content.decode()
    assert f'<option value="田横镇">{TOWN_A}</option>' in body
    assert "金口镇" not in body and "即墨区" not in body
    body = client.get(f"/tasks/{world.part_a.pk}/subtasks/new/").content.decode()
    assert f'<option value="红花山村村民委员会">{VILLAGE_A}</option>' in body


def test_the_division_is_chosen_by_name_within_the_users_area(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    page = client.get("/tasks/new/")
    assert 'name="division" value="即墨区"' in page.content.decode()
    response = client.post("/tasks/new/", _form(world, division="即墨区", title="区级任务"))
    assert response.status_code == 302
    assert Task.objects.get(title="区级任务").division_id == COUNTY
    client.force_login(world.cast.tom)
    response = client.post("/tasks/new/", _form(world, division=" 田横镇 ", responsible=""))
    assert response.status_code == 302
    assert Task.objects.get(title="村庄清洁行动").division_id == TOWN_A
    before = Task.objects.count()
    elsewhere = client.post("/tasks/new/", _form(world, division="金口镇", responsible=""))
    assert elsewhere.status_code == 400
    assert "您管辖范围内没有名为“金口镇”的区划。" in elsewhere.content.decode()
    assert Task.objects.count() == before
    village = client.post(  # the table's "红花山村村民委员会" is "红花山村" to people
        f"/tasks/{world.part_a.pk}/subtasks/new/",
        _form(world, division="红花山村", title="村级任务", responsible=""),
    )
    assert village.status_code == 302
    assert Task.objects.get(title="村级任务").division_id == VILLAGE_A


def test_a_name_shared_by_two_divisions_asks_for_the_code(world: World, client: Client) -> None:
    twin = Division.objects.filter(parent_id=TOWN_A, level=5).exclude(code=VILLAGE_A).first()
    assert twin is not None
    twin.name = "红花山村村民委员会"
    twin.save()
    client.force_login(world.cast.tom)
    url = f"/tasks/{world.part_a.pk}/subtasks/new/"
    assert f'name="division" value="{TOWN_A}"' not in client.get(url).content.decode()
    ambiguous = client.post(url, _form(world, division="红花山村", responsible=""))
    assert ambiguous.status_code == 400
    message = ambiguous.content.decode()
    assert "您管辖范围内有多个名为“红花山村”的区划" in message
    assert f"田横镇红花山村村民委员会（{VILLAGE_A}）" in message and twin.code in message
    assert client.post(url, _form(world, division=twin.code, responsible="")).status_code == 302
    assert Task.objects.filter(parent=world.part_a, division=twin).exists()


def test_villagers_are_not_offered_as_responsible_persons(world: World, client: Client) -> None:
    client.force_login(world.cast.tom)
    people = set(client.get("/tasks/new/").context["form"].fields["responsible"].queryset)
    assert world.cast.victor in people and world.cast.tom in people
    assert world.cast.vera not in people and world.cast.owen not in people

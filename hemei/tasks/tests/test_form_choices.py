"""Numbers too big for the database in
a choice must be a form error, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.tasks.models import Task

from . import test_pages
from .test_pages import World, _form

world = pytest.fixture(test_pages.world.__wrapped__)  # the task pages' world

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.mark.parametrize(
    "field", ["lead_leader", "lead_unit", "responsible", "co_units", "programs", "meeting"]
)
def test_a_number_too_big_for_the_database_is_not_a_choice(
    field: str, world: World, client: Client
) -> None:
    client.force_login(world.cast.alice)
    before = Task.objects.count()
    response = client.post("/tasks/new/", _form(world, **{field: HUGE}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Task.objects.count() == before


def test_a_huge_milestone_id_is_a_form_error(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    response = client.post(
        f"/tasks/{world.county.pk}/edit/", _form(world, **{"milestones-0-id": HUGE})
    )
    assert response.status_code == 400


def test_a_filter_that_does_not_parse_is_named_on_the_list(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    response = client.get("/tasks/?due_from=2026-13-40&light=purple")
    assert response.status_code == 200
    page = response.content.decode()
    assert "以下筛选条件无法识别，已忽略" in page
    assert "完成时限自" in page
    assert "以下筛选条件" not in client.get("/tasks/?light=red").content.decode()


def test_a_town_cannot_move_the_deadline_or_weight_of_its_part_of_a_county_task(
    world: World, client: Client
) -> None:
    import datetime as dt

    part = world.part_a
    due, weight = part.due_on, part.weight
    client.force_login(world.cast.tom)
    page = client.get(f"/tasks/{part.pk}/edit/").content.decode()
    assert "请在任务页面提出延期申请" in page
    response = client.post(
        f"/tasks/{part.pk}/edit/",
        _form(world, title="户厕改造（田横镇）", due_on="2027-12-31", weight="50", responsible=""),
    )
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.title == "户厕改造（田横镇）"
    assert (part.due_on, part.weight) == (due, weight)
    # The county, which handed it down, still moves it.
    client.force_login(world.cast.alice)
    client.post(
        f"/tasks/{part.pk}/edit/", _form(world, due_on="2026-07-15", start_on="", responsible="")
    )
    part.refresh_from_db()
    assert part.due_on == dt.date(2026, 7, 15)


def test_a_leaders_work_shows_a_led_task_once_not_each_towns_part(
    world: World, client: Client
) -> None:
    from hemei.tasks.models import Task as TaskModel

    # The parts inherit the lead leader: lily leads the county task and both towns' parts.
    assert TaskModel.objects.filter(lead_leader=world.cast.lily).count() >= 3
    client.force_login(world.cast.lily)
    response = client.get("/tasks/mine/")
    led = next(s for s in response.context["sections"] if s["key"] == "led")
    assert [t.pk for t in led["tasks"]] == [world.county.pk]


def test_a_my_work_section_stops_at_twenty_rows_and_links_on(world: World, client: Client):
    import datetime as dt

    from hemei.divisions.models import Division
    from hemei.tasks import services

    town = Division.objects.get(code="370215100")
    for number in range(25):
        services.create_task(
            actor=world.cast.tom, division=town, title=f"镇任务{number}", due_on=dt.date(2026, 8, 1)
        )
    client.force_login(world.cast.tom)
    response = client.get("/tasks/mine/")
    section = next(s for s in response.context["sections"] if s["key"] == "division")
    assert len(section["tasks"]) == 20 and section["more"]


def test_what_waits_on_a_task_is_one_wrapping_group(world: World, client: Client) -> None:
    client.force_login(world.cast.tom)
    page = client.get("/tasks/mine/").content.decode()
    assert '<span class="needs">' in page and '<span class="cell">' in page

"""Tasks through the API: list with filters and paging, detail, create, change, fan out."""

from __future__ import annotations

import datetime as dt

import pytest

from hemei.accounts.models import AuditEntry
from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, Cast
from hemei.tasks.models import Task

from .conftest import MORNING, World

pytestmark = pytest.mark.django_db

LIST = "/api/v1/tasks/"
ITEM = "/api/v1/tasks/{pk}/"
FAN_OUT = "/api/v1/tasks/{pk}/fan-out/"


def ids(answer) -> list[int]:
    return [row["id"] for row in answer.json["results"]]


def test_it_lists_the_tasks_of_the_callers_area(cast: Cast, world: World, as_user, conforms):
    answer = as_user(cast.alice).get(LIST)
    assert answer.status == 200
    conforms(answer, LIST, "get")
    assert answer.json["count"] == 3
    assert set(ids(answer)) == {world.county_task.pk, world.part_a.pk, world.part_b.pk}
    row = next(r for r in answer.json["results"] if r["id"] == world.county_task.pk)
    assert row["lead_leader"] == {"id": cast.lily.pk, "name": "李丽"}
    assert row["programs"] == [{"id": world.program.pk, "name": "六大攻坚战"}]
    assert ids(as_user(cast.tom).get(LIST)) == [world.part_a.pk]
    assert ids(as_user(cast.owen).get(LIST)) == [world.part_b.pk]


def test_it_filters_like_the_task_list_page(cast: Cast, world: World, as_user):
    alice = as_user(cast.alice)
    assert set(ids(alice.get(LIST, {"division": TOWN_A}))) == {world.part_a.pk}
    assert set(ids(alice.get(LIST, {"parent": world.county_task.pk}))) == {
        world.part_a.pk,
        world.part_b.pk,
    }
    assert set(ids(alice.get(LIST, {"unit": cast.unit.pk}))) == {
        world.county_task.pk,
        world.part_a.pk,
        world.part_b.pk,
    }
    assert alice.get(LIST, {"program": world.program.pk}).json["count"] == 3
    assert alice.get(LIST, {"theme": "industry"}).json["count"] == 0
    assert alice.get(LIST, {"state": "not_started", "light": "green"}).json["count"] == 3
    assert alice.get(LIST, {"due_from": "2026-07-01"}).json["count"] == 0
    assert alice.get(LIST, {"due_to": "2026-06-30"}).json["count"] == 3
    assert alice.get(LIST, {"q": "户厕"}).json["count"] == 3
    assert alice.get(LIST, {"q": "道路"}).json["count"] == 0
    assert alice.get(LIST, {"is_key": "true"}).json["count"] == 0
    assert as_user(cast.lily).get(LIST, {"mine": "true"}).json["count"] == 3  # parts inherit
    assert as_user(cast.tom).get(LIST, {"mine": "true"}).json["count"] == 0


def test_an_empty_filter_filters_nothing(cast: Cast, world: World, as_user):
    empty = {"q": " ", "state": "", "division": "", "unit": "", "due_from": "", "is_key": ""}
    assert as_user(cast.alice).get(LIST, empty).json["count"] == 3


def test_it_pages_and_caps_the_page_size(cast: Cast, world: World, as_user):
    alice = as_user(cast.alice)
    first = alice.get(LIST, {"page_size": 2})
    assert first.json["pages"] == 2 and len(first.json["results"]) == 2
    assert first.json["previous"] is None
    second = alice.get(first.json["next"])
    assert len(second.json["results"]) == 1 and second.json["next"] is None
    assert set(ids(first) + ids(second)) == {
        world.county_task.pk,
        world.part_a.pk,
        world.part_b.pk,
    }
    assert alice.get(LIST, {"page_size": 10_000}).json["page_size"] == 100
    beyond = alice.get(LIST, {"page": 9})
    assert beyond.status == 200 and beyond.json["results"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": "-1"}, "page_size"),
        ({"state": "late"}, "state"),
        ({"due_from": "2026-02-30"}, "due_from"),
        ({"due_to": "30/06/2026"}, "due_to"),
        ({"is_key": "maybe"}, "is_key"),
        ({"division": "abc"}, "division"),
        ({"unit": "1e3"}, "unit"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_it_refuses_bad_filters_with_a_message(cast: Cast, as_user, params, field):
    answer = as_user(cast.alice).get(LIST, params)
    assert answer.status == 400
    assert answer.error["code"] == "invalid"
    assert field in answer.error["fields"]


def test_it_shows_a_task_with_milestones_subtasks_and_timeline(
    cast: Cast, world: World, as_user, conforms
):
    path = ITEM.format(pk=world.county_task.pk)
    answer = as_user(cast.alice).get(path)
    assert answer.status == 200
    conforms(answer, ITEM, "get")
    task = answer.json
    assert task["meeting"] == {"id": world.county_meeting.pk, "name": "全区乡村振兴推进会"}
    assert task["decision"]["number"] == 1
    assert [m["name"] for m in task["milestones"]] == ["摸底"]
    assert task["children_count"] == 2
    assert [c["division"]["code"] for c in task["children"]] == [TOWN_A, TOWN_B]
    assert [e["kind"] for e in task["timeline"]] == ["created", "fanned_out"]
    assert task["timeline"][1]["actor"]["id"] == cast.alice.pk


def test_a_town_official_sees_their_part_and_not_the_neighbours(cast: Cast, world: World, as_user):
    tom = as_user(cast.tom)
    assert tom.get(ITEM.format(pk=world.part_a.pk)).status == 200
    outside = tom.get(ITEM.format(pk=world.part_b.pk))
    missing = tom.get(ITEM.format(pk=999_999))
    assert outside.status == missing.status == 404
    assert outside.json == missing.json


def test_it_creates_a_task_with_milestones_and_references(
    cast: Cast, world: World, as_user, conforms
):
    body = {
        "division": COUNTY,
        "title": "  建设美丽庭院示范户  ",
        "due_on": "2026-09-30",
        "start_on": "2026-03-01",
        "theme": "ecology",
        "lead_leader": cast.lily.pk,
        "lead_unit": cast.unit.pk,
        "co_units": [cast.unit.pk],
        "programs": [world.program.pk],
        "meeting": world.county_meeting.pk,
        "decision": world.decision.pk,
        "priority": 2,
        "is_key": True,
        "weight": 2.5,
        "milestones": [{"name": "选点", "due_on": "2026-05-01", "weight": 2}],
    }
    with clock.frozen_at(MORNING):
        answer = as_user(cast.alice).post(LIST, body)
    assert answer.status == 201, answer
    conforms(answer, LIST, "post")
    task = Task.objects.get(pk=answer.json["id"])
    assert task.title == "建设美丽庭院示范户" and task.is_key and str(task.weight) == "2.50"
    assert task.lead_leader == cast.lily and list(task.co_units.all()) == [cast.unit]
    assert task.milestones.get().name == "选点"
    assert answer.json["timeline"][0]["kind"] == "created"
    assert AuditEntry.objects.filter(object_id=str(task.pk), action="create").exists()


def test_a_town_official_creates_in_their_town_only(cast: Cast, world: World, as_user):
    tom = as_user(cast.tom)
    mine = tom.post(
        LIST,
        {
            "division": TOWN_A,
            "title": "村庄清洁行动",
            "due_on": "2026-12-31",
            "parent": world.part_a.pk,
            "lead_leader": cast.lily.pk,  # a county leader may lead a town's task
        },
    )
    assert mine.status == 201, mine
    assert mine.json["parent_id"] == world.part_a.pk
    before = Task.objects.count()
    theirs = tom.post(LIST, {"division": TOWN_B, "title": "x", "due_on": "2026-12-31"})
    assert theirs.status == 400 and "division" in theirs.error["fields"]
    neighbour_parent = tom.post(
        LIST,
        {"division": TOWN_A, "title": "x", "due_on": "2026-12-31", "parent": world.part_b.pk},
    )
    assert neighbour_parent.status == 400 and "parent" in neighbour_parent.error["fields"]
    owen_as_leader = tom.post(
        LIST,
        {"division": TOWN_A, "title": "x", "due_on": "2026-12-31", "responsible": cast.owen.pk},
    )
    assert owen_as_leader.status == 400 and "responsible" in owen_as_leader.error["fields"]
    assert Task.objects.count() == before


def test_a_village_official_may_not_create_tasks(cast: Cast, world: World, as_user):
    answer = as_user(cast.victor).post(
        LIST, {"division": VILLAGE_A, "title": "x", "due_on": "2026-12-31"}
    )
    assert answer.status == 403
    assert answer.error["code"] == "forbidden" and answer.error["message"]


def test_it_changes_the_fields_sent(cast: Cast, world: World, as_user, conforms):
    path = ITEM.format(pk=world.part_a.pk)
    answer = as_user(cast.alice).patch(
        path, {"responsible": cast.victor.pk, "due_on": "2026-06-15", "co_units": []}
    )
    assert answer.status == 200, answer
    conforms(answer, ITEM, "patch")
    task = Task.objects.get(pk=world.part_a.pk)
    assert task.responsible == cast.victor and task.due_on == dt.date(2026, 6, 15)
    assert task.title == world.part_a.title and not task.co_units.exists()
    assert "changed" in [event["kind"] for event in answer.json["timeline"]]


def test_a_town_cannot_move_the_deadline_of_its_part(cast: Cast, world: World, as_user):
    path = ITEM.format(pk=world.part_a.pk)
    answer = as_user(cast.tom).patch(path, {"due_on": "2026-12-31"})
    assert answer.status == 403
    assert Task.objects.get(pk=world.part_a.pk).due_on == world.part_a.due_on


def test_a_change_the_model_refuses_is_a_400(cast: Cast, world: World, as_user):
    path = ITEM.format(pk=world.part_a.pk)
    answer = as_user(cast.alice).patch(path, {"start_on": "2026-12-01"})  # after the deadline
    assert answer.status == 400
    assert answer.error["message"]
    assert Task.objects.get(pk=world.part_a.pk).start_on == dt.date(2026, 3, 1)


def test_the_neighbours_task_cannot_be_changed_or_fanned_out(cast: Cast, world: World, as_user):
    owen = as_user(cast.owen)
    assert owen.patch(ITEM.format(pk=world.part_a.pk), {"title": "x"}).status == 404
    assert owen.post(FAN_OUT.format(pk=world.part_a.pk), {}).status == 404
    assert Task.objects.get(pk=world.part_a.pk).title == world.part_a.title


def test_it_fans_a_task_out_once(cast: Cast, world: World, as_user, conforms):
    alice = as_user(cast.alice)
    path = FAN_OUT.format(pk=world.county_task.pk)
    with clock.frozen_at(MORNING):
        first = alice.post(path, {"level": 4})
    assert first.status == 201, first
    conforms(first, FAN_OUT, "post")
    towns = world.county_task.children.count()
    assert first.json["created"] == towns - 2  # A and B had their parts already
    assert len(first.json["tasks"]) == first.json["created"]
    again = alice.post(path, {})
    assert again.status == 200 and again.json == {"created": 0, "tasks": []}


def test_a_town_fans_its_part_out_to_chosen_villages(cast: Cast, world: World, as_user):
    answer = as_user(cast.tom).post(
        FAN_OUT.format(pk=world.part_a.pk), {"level": 5, "codes": [VILLAGE_A]}
    )
    assert answer.status == 201, answer
    assert [t["division"]["code"] for t in answer.json["tasks"]] == [VILLAGE_A]
    wrong = as_user(cast.tom).post(FAN_OUT.format(pk=world.part_a.pk), {"codes": [TOWN_B]})
    assert wrong.status == 400 and TOWN_B in wrong.error["message"]


def test_a_unit_means_the_same_on_the_page_and_in_the_api(
    cast: Cast, world: World, as_user, client
):
    """Issue 9: the page filtered "unit" by lead unit only, the API by co-units too. One
    meaning now, through one selector: the lead unit or a co-operating unit."""
    from hemei.units.models import Unit

    helper = Unit.objects.create(
        name="区水务局", kind="department", division_id=world.part_a.division_id[:6]
    )
    world.part_a.co_units.add(helper)
    api_ids = set(ids(as_user(cast.alice).get(LIST, {"unit": helper.pk})))
    client.force_login(cast.alice)
    page = client.get("/tasks/", {"unit": helper.pk})
    page_ids = {task.pk for task in page.context["page"].object_list}
    assert api_ids == page_ids == {world.part_a.pk}

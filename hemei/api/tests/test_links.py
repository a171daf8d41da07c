"""Leaders' contact points (三包三联) through the API: listed in scope, added and removed
by administrators only, bad input refused without a change."""

from __future__ import annotations

from typing import Any

import pytest

from hemei.core.testing import TOWN_A, TOWN_B, VILLAGE_A, Cast
from hemei.tasks.models import LeaderLink

from .conftest import World

pytestmark = pytest.mark.django_db

LIST = "/api/v1/leader-links/"
ITEM = "/api/v1/leader-links/{pk}/"


def links() -> list[tuple[Any, ...]]:
    return list(LeaderLink.objects.order_by("pk").values_list("leader_id", "kind", "division_id"))


def test_an_administrator_adds_town_village_and_task_links(
    cast: Cast, world: World, as_user, conforms
):
    alice = as_user(cast.alice)
    town = alice.post(LIST, {"leader": cast.lily.pk, "kind": "town", "division": TOWN_A})
    assert town.status == 201, town
    conforms(town, LIST, "post")
    assert town.json["division"] == {"code": TOWN_A, "name": "田横镇"}
    assert town.json["leader"] == {"id": cast.lily.pk, "name": str(cast.lily)}
    village = alice.post(LIST, {"leader": cast.lily.pk, "kind": "village", "division": VILLAGE_A})
    assert village.status == 201 and village.json["task"] is None
    task = alice.post(LIST, {"leader": cast.lily.pk, "kind": "task", "task": world.part_a.pk})
    assert task.status == 201
    assert task.json["task"]["id"] == world.part_a.pk and task.json["division"]["code"] == TOWN_A
    timeline = alice.get(f"/api/v1/tasks/{world.part_a.pk}/").json["timeline"]
    assert any(cast.lily.full_name in e["text"] for e in timeline)

    listed = as_user(cast.tom).get(LIST)
    assert listed.status == 200 and listed.json["count"] == 3
    conforms(listed, LIST, "get")
    assert as_user(cast.tom).get(LIST, {"kind": "village"}).json["count"] == 1
    assert as_user(cast.tom).get(LIST, {"division": VILLAGE_A}).json["count"] == 1
    assert as_user(cast.tom).get(LIST, {"task": world.part_a.pk}).json["count"] == 1
    assert as_user(cast.alice).get(LIST, {"leader": cast.dan.pk}).json["count"] == 0
    shown = as_user(cast.tom).get(ITEM.format(pk=town.json["id"]))
    assert shown.status == 200
    conforms(shown, "/api/v1/leader-links/{pk}/", "get")

    owen = as_user(cast.owen)
    assert owen.get(LIST).json["count"] == 0
    assert owen.get(ITEM.format(pk=town.json["id"])).status == 404


def test_only_administrators_remove_them(cast: Cast, world: World, as_user):
    alice = as_user(cast.alice)
    pk = alice.post(LIST, {"leader": cast.lily.pk, "kind": "town", "division": TOWN_A}).json["id"]
    tom, owen = as_user(cast.tom), as_user(cast.owen)
    before = links()
    assert tom.send("DELETE", ITEM.format(pk=pk)).status == 403
    # an administrator's action: any other role is refused before the place is looked at
    assert owen.send("DELETE", ITEM.format(pk=pk)).status == 403
    assert links() == before
    gone = alice.send("DELETE", ITEM.format(pk=pk))
    assert gone.status == 204 and gone.response.content == b""
    assert links() == []
    assert alice.send("DELETE", ITEM.format(pk=pk)).status == 404


def test_only_administrators_add_them(cast: Cast, world: World, as_user):
    tom = as_user(cast.tom)
    before = links()
    answer = tom.post(LIST, {"leader": cast.lily.pk, "kind": "town", "division": TOWN_A})
    assert answer.status == 403 and answer.error["code"] == "forbidden"
    assert links() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "town", "division": TOWN_A}, "leader"),
        ({"leader": "lily", "kind": "town", "division": TOWN_A}, "leader"),
        ({"leader": 999_999, "kind": "town", "division": TOWN_A}, "leader"),
        ({"leader": "@lily", "kind": "county", "division": TOWN_A}, "kind"),
        ({"leader": "@lily", "kind": "town"}, "division"),
        ({"leader": "@lily", "kind": "town", "division": VILLAGE_A}, "division"),
        ({"leader": "@lily", "kind": "village", "division": TOWN_A}, "division"),
        ({"leader": "@lily", "kind": "village", "division": "999999999999"}, "division"),
        ({"leader": "@lily", "kind": "task"}, "task"),
        ({"leader": "@lily", "kind": "task", "task": 999_999}, "task"),
        ({"leader": "@lily", "kind": "town", "division": TOWN_A, "task": "@part_a"}, "body"),
        ({"leader": "@tom", "kind": "town", "division": TOWN_A}, "leader"),  # not a leader
        ({"leader": "@lily", "kind": "town", "division": TOWN_A, "note": "x"}, "note"),
    ],
)
def test_bad_links_are_refused(cast: Cast, world: World, as_user, body, field):
    named = {"@lily": cast.lily.pk, "@tom": cast.tom.pk, "@part_a": world.part_a.pk}
    body = {key: named.get(value, value) for key, value in body.items()}
    alice = as_user(cast.alice)
    before = links()
    answer = alice.post(LIST, body)
    assert answer.status == 400, answer
    assert field in answer.error.get("fields", {"body": 1}) and answer.error["message"]
    assert links() == before


def test_a_link_twice_is_refused(cast: Cast, world: World, as_user):
    alice = as_user(cast.alice)
    body = {"leader": cast.lily.pk, "kind": "town", "division": TOWN_B}
    assert alice.post(LIST, body).status == 201
    before = links()
    again = alice.post(LIST, body)
    assert again.status == 400 and again.error["message"]
    assert links() == before


def test_villagers_are_refused(cast: Cast, world: World, as_user):
    answer = as_user(cast.vera).get(LIST)
    assert answer.status == 403 and answer.error["code"] == "forbidden"

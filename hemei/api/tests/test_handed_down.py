"""Found by probing (issue 9): a town official took over the part the county handed down
through the API (made itself lead leader), then granted its own extension and approved its
colleague's report. The level above sets a part's terms, and nobody decides their own
request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hemei.accounts.models import RoleAssignment, User
from hemei.core.testing import TOWN_A, Cast
from hemei.progress import services as progress
from hemei.supervision.models import ExtensionRequest
from hemei.tasks.models import Task

from .conftest import World

pytestmark = pytest.mark.django_db

ITEM = "/api/v1/tasks/{pk}/"
EXTENSIONS = "/api/v1/tasks/{pk}/extensions/"
DECIDE = "/api/v1/supervision/extensions/{pk}/decide/"
SUBMIT = "/api/v1/reports/{pk}/submit/"
APPROVE = "/api/v1/reports/{pk}/approve/"


def colleague(cast: Cast) -> User:
    """A second town official of town A, tom's colleague."""
    tina = User.objects.create_user(username="tina", full_name="田娜", division_id=TOWN_A)
    RoleAssignment.objects.create(user=tina, role="town_official", division_id=TOWN_A)
    return tina


@pytest.mark.parametrize(
    "field, value",
    [
        ("lead_leader", lambda c, w: c.tom.pk),
        ("lead_unit", lambda c, w: None),
        ("co_units", lambda c, w: [c.unit.pk]),
        ("programs", lambda c, w: []),
        ("theme", lambda c, w: "industry"),
        ("start_on", lambda c, w: "2026-04-15"),
        ("due_on", lambda c, w: "2026-07-31"),
        ("weight", lambda c, w: 9),
        ("priority", lambda c, w: 1),
        ("is_key", lambda c, w: True),
        ("meeting", lambda c, w: None),
        ("decision", lambda c, w: None),
    ],
)
def test_a_town_cannot_change_what_the_county_set_on_its_part(
    cast: Cast, world: World, as_user, field, value
):
    before = Task.objects.get(pk=world.part_a.pk)
    units = list(before.co_units.all())
    answer = as_user(cast.tom).patch(ITEM.format(pk=world.part_a.pk), {field: value(cast, world)})
    assert answer.status == 403, answer
    assert "上级" in answer.error["message"]
    after = Task.objects.get(pk=world.part_a.pk)
    names = ("lead_leader_id", "lead_unit_id", "theme", "start_on", "due_on", "weight")
    assert [getattr(after, n) for n in names] == [getattr(before, n) for n in names]
    assert list(after.co_units.all()) == units
    assert list(after.programs.all()) == [world.program]


def test_a_town_still_fills_in_its_part(cast: Cast, world: World, as_user):
    body = {
        "title": "户厕改造（田横镇）",
        "description": "分三批推进",
        "responsible": cast.victor.pk,
        "lead_leader": cast.lily.pk,  # sent unchanged: not a change
        "due_on": "2026-06-30",
    }
    answer = as_user(cast.tom).patch(ITEM.format(pk=world.part_a.pk), body)
    assert answer.status == 200, answer
    part = Task.objects.get(pk=world.part_a.pk)
    assert part.title == "户厕改造（田横镇）" and part.responsible == cast.victor


def test_the_county_still_changes_the_part_it_handed_down(cast: Cast, world: World, as_user):
    answer = as_user(cast.alice).patch(
        ITEM.format(pk=world.part_a.pk),
        {"theme": "industry", "co_units": [cast.unit.pk], "weight": 2},
    )
    assert answer.status == 200, answer
    part = Task.objects.get(pk=world.part_a.pk)
    assert part.theme == "industry" and part.weight == Decimal(2)


def test_the_takeover_of_issue_9_fails_at_every_step(cast: Cast, world: World, as_user):
    tom, tina = as_user(cast.tom), as_user(colleague(cast))
    part = world.part_a
    # 1. tom makes himself lead leader: refused.
    takeover = tom.patch(ITEM.format(pk=part.pk), {"lead_leader": cast.tom.pk})
    assert takeover.status == 403
    assert Task.objects.get(pk=part.pk).lead_leader == cast.lily
    # 2. tom asks for a month more and cannot grant it himself.
    made = tom.post(
        EXTENSIONS.format(pk=part.pk), {"requested_due": "2026-07-31", "reason": "雨季施工"}
    )
    assert made.status == 201, made
    assert tom.post(DECIDE.format(pk=made.json["id"]), {"approve": True}).status == 403
    assert Task.objects.get(pk=part.pk).due_on == dt.date(2026, 6, 30)
    # 3. tina reports 95 %; tom may not approve it on his own level.
    report = tina.post(f"/api/v1/tasks/{part.pk}/reports/", {"percent": 95, "text": "基本完成"})
    assert report.status == 201, report
    assert tina.post(SUBMIT.format(pk=report.json["id"])).status == 200
    approve = tom.post(APPROVE.format(pk=report.json["id"]))
    assert approve.status == 403
    assert Task.objects.get(pk=part.pk).progress == Decimal(0)
    # The county leader who leads the part approves.
    assert as_user(cast.lily).post(APPROVE.format(pk=report.json["id"])).status == 200
    assert Task.objects.get(pk=part.pk).progress == Decimal(95)


def test_the_lead_leader_is_a_leader_on_a_towns_own_task_too(cast: Cast, world: World, as_user):
    tom = as_user(cast.tom)
    body = {"division": TOWN_A, "title": "村庄清洁行动", "due_on": "2026-12-31"}
    made = tom.post("/api/v1/tasks/", {**body, "lead_leader": cast.tom.pk})
    assert made.status == 400 and "lead_leader" in made.error["fields"], made
    assert "领导" in made.error["fields"]["lead_leader"][0]
    own = tom.post("/api/v1/tasks/", body)
    assert own.status == 201, own
    again = tom.patch(ITEM.format(pk=own.json["id"]), {"lead_leader": cast.tom.pk})
    assert again.status == 400 and "lead_leader" in again.error["fields"]
    assert Task.objects.get(pk=own.json["id"]).lead_leader is None
    led = tom.patch(ITEM.format(pk=own.json["id"]), {"lead_leader": cast.lily.pk})
    assert led.status == 200


def test_nobody_decides_their_own_extension_request(cast: Cast, world: World, as_user):
    # A task tom leads (as data from before this rule could have it) ...
    Task.objects.filter(pk=world.part_a.pk).update(lead_leader=cast.tom)
    tom = as_user(cast.tom)
    made = tom.post(
        EXTENSIONS.format(pk=world.part_a.pk), {"requested_due": "2026-07-31", "reason": "雨季"}
    )
    assert made.status == 201, made
    answer = tom.post(DECIDE.format(pk=made.json["id"]), {"approve": True})
    assert answer.status == 403 and "自己" in answer.error["message"]
    assert ExtensionRequest.objects.get().state == "pending"
    assert Task.objects.get(pk=world.part_a.pk).due_on == dt.date(2026, 6, 30)


def test_nobody_approves_their_own_report(cast: Cast, world: World, as_user):
    Task.objects.filter(pk=world.part_a.pk).update(lead_leader=cast.tom)
    report = progress.create_report(
        actor=cast.tom, task=world.part_a, percent=90, text="完成", submit=True
    )
    answer = as_user(cast.tom).post(APPROVE.format(pk=report.pk))
    assert answer.status == 403
    assert Task.objects.get(pk=world.part_a.pk).progress == Decimal(0)

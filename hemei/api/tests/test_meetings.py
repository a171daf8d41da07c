"""Meetings through the API: list (with the meetings held above), detail, create."""

from __future__ import annotations

import pytest

from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, Cast
from hemei.meetings.models import Meeting

from .conftest import World

pytestmark = pytest.mark.django_db

LIST = "/api/v1/meetings/"
ITEM = "/api/v1/meetings/{pk}/"


def names(answer) -> list[str]:
    return [row["name"] for row in answer.json["results"]]


def test_it_lists_meetings_of_the_area_and_above(cast: Cast, world: World, as_user, conforms):
    answer = as_user(cast.alice).get(LIST)
    assert answer.status == 200
    conforms(answer, LIST, "get")
    assert names(answer) == ["金口镇调度会", "全区乡村振兴推进会"]  # newest first
    assert answer.json["results"][1]["decision_count"] == 1
    assert names(as_user(cast.tom).get(LIST)) == ["全区乡村振兴推进会"]
    assert names(as_user(cast.owen).get(LIST)) == ["金口镇调度会", "全区乡村振兴推进会"]


def test_it_filters_meetings(cast: Cast, world: World, as_user):
    alice = as_user(cast.alice)
    assert names(alice.get(LIST, {"q": "调度"})) == ["金口镇调度会"]
    assert names(alice.get(LIST, {"level": "county"})) == ["全区乡村振兴推进会"]
    assert names(alice.get(LIST, {"division": TOWN_B})) == ["金口镇调度会"]
    assert names(alice.get(LIST, {"held_from": "2026-02-21"})) == ["金口镇调度会"]
    assert names(alice.get(LIST, {"held_to": "2026-02-21"})) == ["全区乡村振兴推进会"]
    assert alice.get(LIST, {"level": "province"}).status == 400


def test_it_shows_a_meeting_with_its_decisions(cast: Cast, world: World, as_user, conforms):
    answer = as_user(cast.tom).get(ITEM.format(pk=world.county_meeting.pk))
    assert answer.status == 200
    conforms(answer, ITEM, "get")
    assert answer.json["speakers"] == ["李丽"]
    (decision,) = answer.json["decisions"]
    assert decision["text"] == "完成户厕改造"
    assert decision["task_count"] == 1  # part A; the county task is outside tom's area
    assert (
        as_user(cast.alice)
        .get(ITEM.format(pk=world.county_meeting.pk))
        .json["decisions"][0]["task_count"]
        == 3
    )


def test_a_neighbouring_towns_meeting_is_not_found(cast: Cast, world: World, as_user):
    tom = as_user(cast.tom)
    outside = tom.get(ITEM.format(pk=world.meeting_b.pk))
    missing = tom.get(ITEM.format(pk=world.meeting_b.pk + 1000))
    assert outside.status == missing.status == 404
    assert outside.json == missing.json


def test_it_records_a_meeting_with_numbered_decisions(cast: Cast, as_user, conforms):
    body = {
        "name": "全区人居环境整治部署会",
        "held_on": "2026-03-05",
        "level": "county",
        "division": COUNTY,
        "place": "区政府三楼会议室",
        "speakers": ["李丽", " "],
        "attendees": ["安丽", "丁丹"],
        "decisions": [
            {"text": "开展村庄清洁行动", "theme": "ecology", "deadline_text": "3月底前"},
            {"text": "建立长效管护机制", "responsible": "区农业农村局"},
        ],
    }
    answer = as_user(cast.alice).post(LIST, body)
    assert answer.status == 201, answer
    conforms(answer, LIST, "post")
    meeting = Meeting.objects.get(pk=answer.json["id"])
    assert meeting.speakers == "李丽" and meeting.attendees == "安丽\n丁丹"
    assert answer.json["speakers"] == ["李丽"]
    assert [(d.number, d.text) for d in meeting.decisions.all()] == [
        (1, "开展村庄清洁行动"),
        (2, "建立长效管护机制"),
    ]


def test_a_town_records_its_own_meetings_only(cast: Cast, as_user):
    tom = as_user(cast.tom)
    base = {"name": "田横镇调度会", "held_on": "2026-03-06"}
    assert tom.post(LIST, {**base, "level": "town", "division": TOWN_A}).status == 201
    neighbour = tom.post(LIST, {**base, "level": "town", "division": TOWN_B})
    assert neighbour.status == 400 and "division" in neighbour.error["fields"]
    assert Meeting.objects.filter(name="田横镇调度会").count() == 1


def test_a_village_official_may_not_record_meetings(cast: Cast, as_user):
    answer = as_user(cast.victor).post(
        LIST,
        {"name": "村民代表会", "held_on": "2026-03-06", "level": "village", "division": VILLAGE_A},
    )
    assert answer.status == 403
    assert not Meeting.objects.exists()


def test_a_meeting_is_changed_and_takes_more_decisions(cast: Cast, world: World, as_user, conforms):
    alice = as_user(cast.alice)
    path = ITEM.format(pk=world.county_meeting.pk)
    changed = alice.patch(path, {"place": "区政府", "attendees": ["安丽", "丁丹"]})
    assert changed.status == 200, changed
    conforms(changed, ITEM, "patch")
    assert changed.json["place"] == "区政府" and changed.json["attendees"] == ["安丽", "丁丹"]
    added = alice.post(f"{path}decisions/", {"text": "开展村庄清洁行动", "theme": "ecology"})
    assert added.status == 201, added
    conforms(added, "/api/v1/meetings/{pk}/decisions/", "post")
    assert [d["number"] for d in added.json["decisions"]] == [1, 2]
    bad = alice.patch(path, {"division": "370215100"})  # not changeable
    assert bad.status == 400 and "division" in bad.error["fields"]


def test_the_county_meeting_is_read_only_below_and_hidden_next_door(
    cast: Cast, world: World, as_user
):
    tom = as_user(cast.tom)
    assert tom.patch(ITEM.format(pk=world.county_meeting.pk), {"place": "x"}).status == 403
    assert tom.patch(ITEM.format(pk=world.meeting_b.pk), {"place": "x"}).status == 404
    assert (
        tom.post(f"/api/v1/meetings/{world.meeting_b.pk}/decisions/", {"text": "x"}).status == 404
    )
    assert Meeting.objects.get(pk=world.county_meeting.pk).place == ""

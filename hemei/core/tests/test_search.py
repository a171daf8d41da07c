"""One search for every list (hemei.core.search): Chinese words, the telling character of a
two-character word (厕所 finds 户厕), division and unit names, and control characters that
are dropped instead of reaching the database (a NUL was a 500 on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hemei.api.services import create_token
from hemei.core.search import clean_query, words
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, Cast
from hemei.meetings.models import Decision, Meeting
from hemei.tasks.models import Task

DUE = dt.date(2026, 6, 30)


def test_it_drops_control_characters_and_extra_spaces() -> None:
    assert clean_query("户\x00厕\x07 \t 改造\u200b ") == "户厕 改造"
    assert clean_query(None) == "" and clean_query("\x00") == ""
    assert len(clean_query("厕" * 500)) == 100


def test_it_cuts_chinese_into_words_and_keeps_the_telling_character() -> None:
    found = {word.text: word.needles for word in words("农村厕所改造 即墨区，HeLLo")}
    assert found == {
        "农村": ("农村",),  # both characters common: only the word itself
        "厕所": ("厕所", "厕"),  # 所 is everywhere, 厕 tells: 户厕, 改厕, 公厕
        "改造": ("改造",),
        "即墨": ("即墨",),  # 区 of 即墨区 is left out
        "HeLLo": ("HeLLo",),
    }
    assert [w.needles for w in words("户厕")] == [("户厕", "厕")]
    assert words("") == [] and words(" \x00 ，") == []


def _task(title: str, division: str, **fields) -> Task:  # type: ignore[no-untyped-def]
    return Task.objects.create(title=title, division_id=division, due_on=DUE, **fields)


def _titles(client: Client, query: str) -> set[str]:
    response = client.get("/tasks/", {"q": query})
    assert response.status_code == 200
    return {row.title for row in response.context["page"]}


@pytest.mark.django_db
def test_a_toilet_finds_the_household_toilets_and_back(cast: Cast, client: Client) -> None:
    _task("推进农村户厕改造", TOWN_A)
    _task("新建公共厕所", TOWN_B)
    _task("农村道路硬化", TOWN_A)
    client.force_login(cast.alice)
    assert _titles(client, "厕所") == {"推进农村户厕改造", "新建公共厕所"}
    assert _titles(client, "户厕") == {"推进农村户厕改造", "新建公共厕所"}
    assert _titles(client, "农村 厕所") == {"推进农村户厕改造"}  # every word must match
    assert _titles(client, "改造") == {"推进农村户厕改造"}
    assert _titles(client, "农村道路") == {"农村道路硬化"}
    assert _titles(client, "厕所维修") == set()


@pytest.mark.django_db
def test_a_town_name_finds_its_tasks_and_its_villages_tasks(cast: Cast, client: Client) -> None:
    _task("田横镇的任务", TOWN_A)
    _task("村里的任务", VILLAGE_A)
    _task("金口镇的任务", TOWN_B)
    _task("区里的任务", COUNTY, lead_unit=cast.unit)
    client.force_login(cast.alice)
    assert _titles(client, "田横镇") == {"田横镇的任务", "村里的任务"}
    assert _titles(client, "红花山村") == {"村里的任务"}
    assert _titles(client, "农业农村局") == {"区里的任务"}  # the lead unit
    assert _titles(client, "田横镇 任务") == {"田横镇的任务", "村里的任务"}


@pytest.mark.django_db
def test_the_api_task_list_searches_the_same_way(cast: Cast) -> None:
    _task("推进农村户厕改造", TOWN_A)
    _task("农村道路硬化", TOWN_B)
    _token, key = create_token(actor=cast.alice, name="test")
    answer = Client().get(
        "/api/v1/tasks/", {"q": "厕所"}, headers={"authorization": f"Bearer {key}"}
    )
    assert answer.status_code == 200
    assert [row["title"] for row in answer.json()["results"]] == ["推进农村户厕改造"]


@pytest.mark.django_db
def test_meetings_are_found_by_division_and_decision_text(cast: Cast, client: Client) -> None:
    meeting = Meeting.objects.create(
        name="全区乡村振兴推进会", held_on=dt.date(2026, 3, 1), level="county", division_id=COUNTY
    )
    Decision.objects.create(meeting=meeting, number=1, text="年内完成户厕改造。")
    Meeting.objects.create(
        name="金口镇工作会", held_on=dt.date(2026, 3, 2), level="town", division_id=TOWN_B
    )
    client.force_login(cast.alice)

    def names(query: str) -> set[str]:
        return {m.name for m in client.get("/meetings/", {"q": query}).context["page"]}

    assert names("厕所") == {"全区乡村振兴推进会"}
    assert names("金口镇") == {"金口镇工作会"}
    assert names("即墨区") == {"全区乡村振兴推进会"}


@pytest.mark.django_db
def test_a_search_adds_no_query_per_row(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    _task("户厕改造一", TOWN_A, lead_unit=cast.unit)
    with CaptureQueriesContext(connection) as few:
        client.get("/tasks/", {"q": "厕所 田横镇"})
    for index in range(12):
        _task(f"户厕改造{index}", VILLAGE_A, lead_unit=cast.unit)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/tasks/", {"q": "厕所 田横镇"})
    assert len(response.context["page"]) == 13
    assert len(many) == len(few)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "url", "query", "found"),
    [
        ("alice", "/units/", "农业\x00农村", "区农业农村局"),
        ("alice", "/divisions/", "田横\x00镇", "田横镇"),
        ("alice", "/accounts/users/", "唐\x00涛", "唐涛"),
        ("alice", "/tasks/", "户\x00厕", "户厕改造"),
        ("alice", "/meetings/", "推进\x00会", "推进会"),
        ("alice", "/accounts/audit/", "\x00", None),
        ("alice", "/households/full-views/", "\x00", None),
        ("tom", "/households/", "a\x00b", None),
        ("tom", "/points/", "红花\x00山", "红花山村"),
        ("tom", "/progress/review/", "\x00", None),
        ("tom", "/progress/mine/", "\x00", None),
        ("alice", "/supervision/", "\x00", None),
        ("alice", "/supervision/?tab=cards", "\x00", None),
        ("alice", "/supervision/?tab=extensions", "\x00", None),
    ],
)
def test_a_control_character_in_a_search_is_dropped_on_every_list(
    user: str, url: str, query: str, found: str | None, cast: Cast, client: Client
) -> None:
    _task("户厕改造", TOWN_A)
    Meeting.objects.create(
        name="推进会", held_on=dt.date(2026, 3, 1), level="county", division_id=COUNTY
    )
    client.force_login(getattr(cast, user))
    response = client.get(url + ("&" if "?" in url else "?") + urlencode({"q": query}))
    assert response.status_code == 200
    if found:
        assert found in response.content.decode()

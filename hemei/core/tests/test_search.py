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
from hemei.core.search import GRAM_COLUMN, clean_query, grams, search, words
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


GRAM_CASES = {
    "厕": {"推进户厕改造"},
    "户厕": {"推进户厕改造"},
    "改造": {"推进户厕改造"},  # not 推进改 + 造林: a pair never spans two columns
    "造林": {"推进改"},
    "污水处理": {"生活污水处理站"},  # one word: all its pairs, then LIKE (not the decoy)
    "污水处理站": {"生活污水处理站"},
    "水处理站建设": {"生活污水处理站"},  # 处理 · 建设: each word in a column of its own
    "水处": {"生活污水处理站", "污水、水处、处理"},
    "abc": {"Road ABC 修缮"},  # in the title, and in the description in lower case
    "ROAD abc": {"Road ABC 修缮"},
    "c": {"Road ABC 修缮"},
    "roadabc": set(),
}


@pytest.mark.django_db
def test_the_gram_index_finds_exactly_what_like_finds(cast: Cast) -> None:
    _task("推进户厕改造", TOWN_A)
    _task("推进改", TOWN_A, description="造林绿化")
    _task("生活污水处理站", TOWN_B, description="建设")
    _task("Road ABC 修缮", TOWN_B, description="描述含 abc。")
    _task("污水、水处、处理", TOWN_B)  # every pair of 污水处理, never the word
    tasks = Task.objects.all()
    for query, titles in GRAM_CASES.items():
        by_grams = search(tasks, query, [grams("title", "description")])
        by_like = search(tasks, query, ["title", "description"])
        assert {task.title for task in by_grams} == titles, query
        assert set(by_grams) == set(by_like), query
    sql = str(search(tasks, "厕所", [grams("title", "description")]).query)
    # PostgreSQL reads the gram column (its GIN index); SQLite has none and uses LIKE
    assert (GRAM_COLUMN in sql) == (connection.vendor == "postgresql")
    assert ("LIKE" in sql) == (connection.vendor != "postgresql")


@pytest.mark.django_db
def test_the_gram_column_follows_every_write(cast: Cast) -> None:
    task = _task("村内道路硬化", TOWN_A)
    assert not Task.objects.search("秸秆").exists()
    Task.objects.filter(pk=task.pk).update(description="秸秆禁烧")  # an UPDATE without save()
    assert list(Task.objects.search("秸秆")) == [task]
    task.refresh_from_db()
    task.title, task.description = "秸秆还田", ""
    task.save()
    assert list(Task.objects.search("还田")) == [task]
    assert not Task.objects.search("禁烧").exists()
    Task.objects.bulk_create([Task(title="高标准农田", division_id=TOWN_B, due_on=DUE)])
    assert Task.objects.search("农田").count() == 1

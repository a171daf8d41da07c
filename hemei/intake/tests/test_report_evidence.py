"""The review page shows where each field of a report came from, and a person's several roles.

The drafts are read by the real service from a pasted report; where the reader does not (yet)
fill a source, the test writes it into the draft's result as the reader stores it, so the page
is checked against the JSON shape of :mod:`hemei.ingest.models`.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hemei.core.testing import Cast
from hemei.meetings.models import Meeting

from ..evidence import Piece, directive_source, marked, year_origin
from ..models import IngestDraft
from ..reports import draft_people
from .test_report import paste, review_data

pytestmark = pytest.mark.django_db

OPENING = "11月18日上午，田横镇乡村振兴工作推进会议在镇政府三楼会议室召开。"
ROLES = "镇党委书记王海洋出席会议并讲话，镇党委副书记、镇长刘晓东主持会议。"
TOILETS = (
    "一是要扎实推进农村人居环境整治，区农业农村局、镇农业服务中心要加快推进户厕改造，"
    "今年底前完成全镇改厕任务。"
)


def read(client: Client) -> tuple[IngestDraft, str]:
    """A draft read from the test report by the real service, and its review page's address."""
    location = paste(client)["Location"]
    return IngestDraft.objects.get(pk=int(location.rstrip("/").rsplit("/", 1)[1])), location


def person(draft: IngestDraft, name: str) -> dict[str, Any]:
    return next(p for p in draft.result["people"] if p["name"] == name)


def with_evidence(draft: IngestDraft, *, year_from: str | None = "given") -> IngestDraft:
    """The draft's result with the sources, roles and year a full reader stores."""
    meeting = draft.result["meeting"]
    meeting["sources"] = {"name": OPENING, "date": OPENING, "place": OPENING}
    meeting["year_from"] = year_from
    for name, roles in (("王海洋", ["speaker", "attendee"]), ("刘晓东", ["host", "speaker"])):
        person(draft, name).update(role="speaker", roles=roles, source=ROLES)
    draft.save(update_fields=["result"])
    return draft


def old_shape(draft: IngestDraft) -> IngestDraft:
    """The draft's result as drafts stored before the reader kept its sources."""
    result = draft.result
    result["meeting"].pop("sources", None)
    result["meeting"].pop("year_from", None)
    for item in result["people"]:
        item.pop("roles", None)
        item.pop("source", None)
    for item in result["programs"] + result["directives"]:
        item.pop("source", None)
    draft.save(update_fields=["result"])
    return draft


def visible_text(body: str) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_it_shows_the_sentence_the_meeting_fields_came_from_and_the_years_origin(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.tom)
    draft, location = read(client)
    with_evidence(draft)
    body = client.get(location).content.decode()
    # One sentence gave all three fields: shown once, each value marked in it.
    assert body.count("原文（会议、日期、地点）") == 1
    assert (
        "<mark>11月18日上午</mark>，<mark>田横镇乡村振兴工作推进会议</mark>在"
        "<mark>镇政府三楼会议室</mark>召开。" in body
    )
    assert "年份取自：读取报道时填写的年份（2026）" in body


def test_it_says_a_year_came_from_the_pages_dateline_and_lists_each_source_sentence(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.tom)
    draft, location = read(client)
    with_evidence(draft, year_from="08.03.2016 09:15")
    draft.result["meeting"]["sources"]["place"] = "会议地点设在镇政府三楼会议室。"
    draft.save(update_fields=["result"])
    body = client.get(location).content.decode()
    assert "年份取自：页面日期 08.03.2016 09:15" in body
    assert "原文（会议、日期）" in body and "原文（地点）" in body
    assert "会议地点设在<mark>镇政府三楼会议室</mark>。" in body


def test_a_date_with_its_own_year_says_nothing_about_the_year(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    draft, location = read(client)
    with_evidence(draft, year_from=None)
    assert "年份取自" not in client.get(location).content.decode()


@pytest.mark.parametrize(
    ("year_from", "said"),
    [
        ("08.03.2016 09:15", "页面日期 08.03.2016 09:15"),
        ("2016-03-08 09:15", "页面日期 2016-03-08 09:15"),
        ("2016年03月08日 09:15", "页面日期 2016年03月08日 09:15"),
        ("2016年", "正文中的“2016年”"),
        ("given", "读取报道时填写的年份（2026）"),
        (None, ""),
        ("", ""),
    ],
)
def test_the_years_origin_is_said_in_words(year_from: str | None, said: str) -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        assert year_origin(year_from, 2026) == said


def test_a_host_who_also_speaks_is_listed_as_host_and_among_the_speakers(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.tom)
    draft, location = read(client)
    with_evidence(draft)
    response = client.get(location)
    body = response.content.decode()
    assert "主持、讲话" in body  # 刘晓东, roles in the order a meeting runs
    assert "讲话、出席" in body  # 王海洋
    assert "镇党委副书记、镇长<mark>刘晓东</mark>主持会议" in body
    assert "镇党委书记<mark>王海洋</mark>出席会议并讲话" in body
    data = review_data(response)
    assert data["host"] == "镇党委副书记、镇长 刘晓东"
    assert data["speakers"].splitlines() == ["镇党委书记 王海洋", "镇党委副书记、镇长 刘晓东"]
    assert data["attendees"] == ""  # who speaks or hosts is not repeated among attendees
    for index in range(int(data["d-TOTAL_FORMS"])):
        data.pop(f"d-{index}-keep", None)
    assert client.post(location, data).status_code == 302
    meeting = Meeting.objects.get()
    assert "刘晓东" in meeting.host and "刘晓东" in meeting.speakers


def test_people_lines_of_an_old_draft_come_from_the_one_role(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    draft, _location = read(client)
    old_shape(draft)
    draft.result["people"].append({"name": "赵一", "titles": ["村党支部书记"], "role": "attendee"})
    draft.result["people"].append({"name": "钱二", "titles": [], "role": "reporter"})
    people = draft_people(draft)
    assert people == {
        "host": "镇党委副书记、镇长 刘晓东",
        "speakers": "镇党委书记 王海洋\n钱二",
        "attendees": "村党支部书记 赵一",
    }


def test_a_split_directive_shows_the_sentence_it_was_cut_from(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    draft, location = read(client)
    directives = draft.result["directives"]
    whole = next(i for i, d in enumerate(directives) if d["text"] == TOILETS)
    directives[whole : whole + 1] = [
        {**directives[whole], "text": "扎实推进农村人居环境整治", "source": TOILETS},
        {
            **directives[whole],
            "text": "区农业农村局、镇农业服务中心要加快推进户厕改造",
            "source": TOILETS,
        },
    ]
    for item in directives:
        item.setdefault("source", None)
        if item["source"] is None:
            item["source"] = item["text"]  # a directive that is its whole sentence
    draft.save(update_fields=["result"])
    response = client.get(location)
    body = response.content.decode()
    assert "一是要<mark>扎实推进农村人居环境整治</mark>，区农业农村局" in body
    assert "，<mark>区农业农村局、镇农业服务中心要加快推进户厕改造</mark>，今年底前" in body
    sources = [row[1].source for row in response.context["rows"]]
    assert sum(1 for source in sources if source) == 2


def test_an_old_draft_without_sources_or_roles_still_renders_with_the_same_queries(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.tom)
    new, new_location = read(client)
    with_evidence(new)
    old, old_location = read(client)
    old_shape(old)
    counts = []
    for location in (new_location, old_location):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(location)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    body = response.content.decode()
    assert "原文（" not in body and "年份取自" not in body and "<mark>" not in body
    assert "田横镇乡村振兴工作推进会议" in body and "讲话" in body and "主持" in body
    data = review_data(response)
    assert "刘晓东" in data["host"] and "王海洋" in data["speakers"]


def test_html_in_a_source_sentence_is_shown_as_text(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    draft, location = read(client)
    meeting = draft.result["meeting"]
    meeting["place"] = "<b>礼堂</b>"
    meeting["sources"] = {"place": '会议在<b>礼堂</b>召开<script>alert("x")</script>&amp;'}
    person(draft, "刘晓东")["source"] = "<img src=x onerror=alert(1)>刘晓东主持会议"
    draft.save(update_fields=["result"])
    body = client.get(location).content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>礼堂" not in body
    assert "会议在<mark>&lt;b&gt;礼堂&lt;/b&gt;</mark>召开&lt;script&gt;" in body
    assert "&amp;amp;" in body  # the sentence's own "&amp;" shown as written
    assert "&lt;img src=x onerror=alert(1)&gt;<mark>刘晓东</mark>主持会议" in body


def test_every_source_the_reader_gives_is_on_the_page(cast: Cast, client: Client) -> None:
    """Whatever the reader fills today (little) or later (more), the page shows it."""
    client.force_login(cast.tom)
    draft, location = read(client)
    text = visible_text(client.get(location).content.decode())
    result = draft.result
    sentences = [s for s in (result["meeting"].get("sources") or {}).values() if s]
    sentences += [p["source"] for p in result["people"] + result["programs"] if p.get("source")]
    sentences += [
        d["source"]
        for d in result["directives"]
        if d.get("source") and d["source"].rstrip("。；") != d["text"].rstrip("。；")
    ]
    for sentence in sentences:
        assert sentence.strip() in text


@pytest.mark.parametrize(
    ("sentence", "values", "pieces"),
    [
        ("甲乙甲", ["甲"], [("甲", True), ("乙", False), ("甲", True)]),
        ("推进会在礼堂召开", ["推进会", "会在"], [("推进会在", True), ("礼堂召开", False)]),
        ("推进会在礼堂召开", ["会堂", None, ""], [("推进会在礼堂召开", False)]),
        ("", ["甲"], [("", False)]),
        ("在礼堂", ["在礼堂"], [("在礼堂", True)]),
    ],
    ids=["every occurrence", "overlaps joined", "absent", "empty", "whole"],
)
def test_a_value_is_marked_wherever_it_occurs_in_its_sentence(
    sentence: str, values: list[str | None], pieces: list[tuple[str, bool]]
) -> None:
    assert marked(sentence, values) == [Piece(text, mark) for text, mark in pieces]


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("各村要对照任务清单，逐项抓好落实。", False),
        ("他要求，各村要对照任务清单，逐项抓好落实。", False),
        ("刘晓东就贯彻落实会议精神提出要求，各村要对照任务清单，逐项抓好落实。", False),
        ("一要守住底线，各村要对照任务清单，逐项抓好落实。", True),
    ],
)
def test_a_directives_own_sentence_with_its_speakers_cue_is_not_repeated(
    source: str, shown: bool
) -> None:
    directive = {"text": "各村要对照任务清单，逐项抓好落实。", "source": source}
    assert bool(directive_source(directive)) is shown

"""Public notices (公示) through the API: the list with the page's filters and its export, a
notice with its objections and attachments' names, posting an announcement, objecting,
answering, withdrawing; bad input 400 with nothing changed; another town 404; villagers
and department staff 403; the list's queries do not grow with the page."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from hemei.core import clock
from hemei.core.testing import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division
from hemei.notices import services
from hemei.notices.models import Notice, NoticeFile, NoticeObjection
from hemei.notices.tests.test_services import png

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
LIST = "/api/v1/notices/"


@pytest.fixture(autouse=True)
def _today(settings: Any, tmp_path: Any):
    settings.MEDIA_ROOT = str(tmp_path)
    with clock.frozen_at(MONDAY):
        yield


@pytest.fixture
def notice(cast: Cast) -> Notice:
    """红花山村's announcement with a map, posted on the page, and vera's objection to it."""
    posted = services.post_notice(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        title="村集体土地流转公示",
        body="流转面积 120 亩",
        days=7,
        group="第三村民小组",
        files=[png("地块图.png")],
    )
    services.raise_objection(actor=cast.vera, notice=posted, reason="面积有误")
    return posted


def fingerprint() -> tuple[Any, ...]:
    return (
        tuple(Notice.objects.order_by("id").values_list("id", "state", "outcome")),
        tuple(NoticeObjection.objects.order_by("id").values_list("id", "state", "answer")),
        NoticeFile.objects.count(),
    )


def test_post_list_filter_and_export(cast: Cast, notice: Notice, as_user, conforms):
    victor = as_user(cast.victor)
    posted = victor.post(
        LIST,
        {"village": VILLAGE_A, "title": "停水通知", "body": "周三全天停水", "days": 3},
    )
    conforms(posted, "/api/v1/notices/", "post")
    assert posted.status == 201 and posted.json["kind"] == "general"
    assert posted.json["running"] and posted.json["unit"] == "day"
    assert posted.json["ends_at"].startswith("2026-06-18")
    assert posted.json["posted_by"]["id"] == cast.victor.pk and posted.json["subject"] is None
    tom = as_user(cast.tom)
    answer = tom.get(LIST)
    conforms(answer, "/api/v1/notices/", "get")
    assert [r["title"] for r in answer.json["results"]] == ["停水通知", "村集体土地流转公示"]
    assert answer.json["results"][1]["open_objections"] == 1
    for params, count in [
        ({"state": "running"}, 2),
        ({"state": "withdrawn"}, 0),
        ({"kind": "general"}, 2),
        ({"kind": "points"}, 0),
        ({"q": "第三村民小组"}, 1),
        ({"village": VILLAGE_A}, 2),
        ({"village": TOWN_B}, 0),
    ]:
        assert tom.get(LIST, params).json["count"] == count, params
    assert tom.get(LIST, {"state": "gone"}).status == 400
    response = tom.client.get(LIST, {"format": "xlsx", "q": "停水"}, headers=tom.headers)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "停水通知"
    units = as_user(cast.tom).post(
        LIST, {"village": VILLAGE_A, "title": "修路公示", "days": 5, "unit": "workday"}
    )
    # five working days from Monday: 端午 (Friday the 19th) is a holiday
    assert units.status == 201 and units.json["ends_at"].startswith("2026-06-23")


def test_a_notice_with_its_objections_and_attachments(
    cast: Cast, notice: Notice, as_user, conforms
):
    answer = as_user(cast.lily).get(f"{LIST}{notice.pk}/")
    conforms(answer, "/api/v1/notices/{pk}/", "get")
    assert answer.json["group"] == "第三村民小组"
    assert [a["name"] for a in answer.json["attachments"]] == ["地块图.png"]
    (objection,) = answer.json["objections"]
    assert objection["reason"] == "面积有误" and objection["raised_by"]["id"] == cast.vera.pk
    assert objection["state"] == "open" and objection["answer"] == ""
    assert answer.json["may_object"] and not answer.json["may_answer"]
    assert as_user(cast.victor).get(f"{LIST}{notice.pk}/").json["may_withdraw"] is True


def test_object_answer_withdraw(cast: Cast, notice: Notice, as_user, conforms):
    tom, victor = as_user(cast.tom), as_user(cast.victor)
    objected = tom.post(f"{LIST}{notice.pk}/objections/", {"reason": "位置描述不清"})
    conforms(objected, "/api/v1/notices/{pk}/objections/", "post")
    assert objected.status == 201 and len(objected.json["objections"]) == 2
    assert objected.json["running"] and objected.json["open_objections"] == 2
    first = NoticeObjection.objects.filter(notice=notice).order_by("id").first()
    url = f"/api/v1/notice-objections/{first.pk}/answer/"
    before = fingerprint()
    assert tom.post(url, {"upheld": False, "answer": "经核实无误"}).status == 403
    assert as_user(cast.owen).post(url, {"upheld": False, "answer": "经核实无误"}).status == 403
    assert tom.post(f"{LIST}{notice.pk}/withdraw/", {"reason": "内容有误"}).status == 403
    assert fingerprint() == before
    answered = victor.post(url, {"upheld": False, "answer": "经核实面积无误"})
    conforms(answered, "/api/v1/notice-objections/{pk}/answer/", "post")
    assert answered.status == 200
    shown = {o["id"]: o for o in answered.json["objections"]}[first.pk]
    assert shown["state"] == "dismissed" and shown["answered_by"]["id"] == cast.victor.pk
    before = fingerprint()
    assert victor.post(url, {"upheld": True, "answer": "再答"}).status == 400
    assert fingerprint() == before
    withdrawn = victor.post(f"{LIST}{notice.pk}/withdraw/", {"reason": "面积重新测量"})
    conforms(withdrawn, "/api/v1/notices/{pk}/withdraw/", "post")
    assert withdrawn.json["state"] == "withdrawn" and withdrawn.json["outcome"] == "面积重新测量"
    assert not withdrawn.json["may_withdraw"] and not withdrawn.json["may_object"]
    before = fingerprint()
    late = tom.post(f"{LIST}{notice.pk}/objections/", {"reason": "还有异议"})
    assert late.status == 400 and late.error["message"]
    assert victor.post(f"{LIST}{notice.pk}/withdraw/", {"reason": "再撤"}).status == 400
    assert fingerprint() == before


def test_bad_input_changes_nothing(cast: Cast, notice: Notice, as_user):
    victor = as_user(cast.victor)
    body = {"village": VILLAGE_A, "title": "公示", "days": 5}
    before = fingerprint()
    for change, field in [
        ({"body": "联系人 13905321234"}, None),  # a mobile number on a notice
        ({"title": "王某 370215198001011234"}, None),  # an ID-card number
        ({"days": 0}, "days"),
        ({"days": 91}, "days"),
        ({"unit": "week"}, "unit"),
        ({"title": " "}, "title"),
        ({"village": VILLAGE_B}, "village"),  # outside victor's area
        ({"village": "370215100999"}, "village"),
        ({"files": ["a.png"]}, "files"),
    ]:
        answer = victor.post(LIST, {**body, **change})
        assert answer.status == 400, (change, answer)
        if field:
            assert field in answer.error["fields"], (change, answer.error)
    assert as_user(cast.alice).post(LIST, {**body, "village": TOWN_A}).status == 400
    assert victor.post(LIST, {"title": "公示"}).status == 400
    objections = f"{LIST}{notice.pk}/objections/"
    assert victor.post(objections, {"reason": "  "}).error["fields"] == {
        "reason": ["此项不能为空。"]
    }
    assert victor.post(objections, {"reason": "长" * 501}).status == 400
    objection = notice.objections.get()
    url = f"/api/v1/notice-objections/{objection.pk}/answer/"
    assert set(victor.post(url, {}).error["fields"]) == {"upheld", "answer"}
    assert victor.post(url, {"upheld": "no", "answer": "x"}).status == 400
    assert victor.post(f"{LIST}{notice.pk}/withdraw/", {}).status == 400
    assert fingerprint() == before


def test_scoped_to_the_area_and_to_the_work_roles(cast: Cast, notice: Notice, as_user):
    owen = as_user(cast.owen)
    assert owen.get(LIST).json["count"] == 0
    assert owen.get(f"{LIST}{notice.pk}/").status == 404
    before = fingerprint()
    assert owen.post(f"{LIST}{notice.pk}/objections/", {"reason": "异议"}).status == 404
    post = {"village": VILLAGE_A, "title": "公示", "days": 5}
    assert owen.post(LIST, post).status == 400  # the village is not his
    for user in (cast.vera, cast.dan):
        client = as_user(user)
        assert client.get(LIST).status == 403
        assert client.get(f"{LIST}{notice.pk}/").status == 403
        assert client.post(f"{LIST}{notice.pk}/objections/", {"reason": "异议"}).status == 403
    assert as_user(cast.lily).post(LIST, post).status == 403  # leaders read, never post
    assert fingerprint() == before


def queries(client: Any, url: str, params: dict[str, Any]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url, params)
    assert answer.status == 200, answer
    return len(captured), len(answer.json["results"])


def test_the_list_does_not_grow_with_the_page(cast: Cast, notice: Notice, as_user):
    village = Division.objects.get(code=VILLAGE_A)
    for number in range(12):
        posted = services.post_notice(
            actor=cast.victor, village=village, title=f"公示{number}", days=5 + number
        )
        services.raise_objection(actor=cast.vera, notice=posted, reason="异议")
    client = as_user(cast.tom)
    client.get(LIST)  # the first call notes the token's use
    small, _rows = queries(client, LIST, {"page_size": 1})
    large, rows = queries(client, LIST, {"page_size": 100})
    assert rows == 13
    assert small == large <= 6

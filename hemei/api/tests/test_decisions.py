"""Decision records (四议两公开) through the API: processes, the list with its export, the
detail, creating a record, a meeting with its minutes (multipart) judged by its quorum rule,
publishing; bad input 400 with nothing changed; other towns 404; villagers 403."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.procedures.models import DecisionMeeting, DecisionProcess, DecisionRecord
from hemei.procedures.tests.test_decisions import PDF

pytestmark = pytest.mark.django_db

LIST = "/api/v1/decision-records/"


@pytest.fixture(autouse=True)
def _today(settings: Any, tmp_path: Any):
    settings.MEDIA_ROOT = str(tmp_path)
    with clock.frozen_at(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)):
        yield


def national() -> DecisionProcess:
    return DecisionProcess.objects.get(division=None)


@pytest.fixture
def record(cast: Cast, as_user) -> dict[str, Any]:
    answer = as_user(cast.victor).post(
        LIST, {"village": VILLAGE_A, "title": "村集体鱼塘对外发包", "process": national().pk}
    )
    assert answer.status == 201, answer
    return answer.json


def meeting(client: Any, pk: int, minutes: bool = True, **counts: Any) -> Any:
    fields = {
        "held_on": "2026-06-01",
        "entitled": 7,
        "present": 7,
        "votes_for": 6,
        "against": 1,
        "abstain": 0,
        **counts,
    }
    if minutes:
        fields["minutes"] = SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf")
    from .conftest import Answer

    return Answer(client.client.post(f"{LIST}{pk}/meetings/", fields, headers=client.headers))


def test_the_processes_in_use_with_their_rules(cast: Cast, as_user, conforms):
    answer = as_user(cast.victor).get("/api/v1/decision-processes/", {"village": VILLAGE_A})
    conforms(answer, "/api/v1/decision-processes/", "get")
    process = answer.json["processes"][0]
    assert process["county"] is None and len(process["steps"]) == 6
    assert process["steps"][0]["kind"] == "proposal" and process["steps"][0]["rule"]


def test_create_list_filter_and_export(cast: Cast, record: dict, as_user, conforms):
    assert record["state"] == "in_progress" and record["step"]["kind"] == "proposal"
    tom = as_user(cast.tom)
    answer = tom.get(LIST)
    conforms(answer, "/api/v1/decision-records/", "get")
    assert [r["title"] for r in answer.json["results"]] == ["村集体鱼塘对外发包"]
    assert tom.get(LIST, {"state": "completed"}).json["count"] == 0
    assert tom.get(LIST, {"village": VILLAGE_A, "q": "鱼塘"}).json["count"] == 1
    response = tom.client.get(LIST, {"format": "xlsx"}, headers=tom.headers)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any(r[1] == "村集体鱼塘对外发包" for r in rows[1:])
    assert as_user(cast.owen).get(LIST).json["count"] == 0
    assert as_user(cast.owen).get(f"{LIST}{record['id']}/").status == 404


def test_only_the_village_and_the_county_office_create(cast: Cast, as_user):
    body = {"village": VILLAGE_A, "title": "修路", "process": national().pk}
    assert as_user(cast.tom).post(LIST, body).status == 403
    assert as_user(cast.vera).post(LIST, body).status == 403
    assert as_user(cast.dan).get(LIST).status == 403
    empty = as_user(cast.victor).post(LIST, {"village": VILLAGE_A, "title": " ", "process": 0})
    assert empty.status == 400 and set(empty.error["fields"]) == {"title", "process"}
    blank = as_user(cast.victor).post(LIST, {**body, "title": "  "})
    assert blank.status == 400 and list(blank.error["fields"]) == ["title"]
    assert DecisionRecord.objects.count() == 0


def test_a_meeting_needs_its_minutes_and_is_judged_by_its_rule(
    cast: Cast, record: dict, as_user, conforms
):
    victor = as_user(cast.victor)
    pk = record["id"]
    without = victor.post(
        f"{LIST}{pk}/meetings/",
        {
            "held_on": "2026-06-01",
            "entitled": 7,
            "present": 7,
            "votes_for": 6,
            "against": 1,
            "abstain": 0,
        },
    )
    assert without.status == 400 and list(without.error["fields"]) == ["minutes"]
    bad = meeting(victor, pk, present=9)
    assert bad.status == 400
    future = meeting(victor, pk, held_on="2026-07-01")
    assert future.status == 400 and list(future.error["fields"]) == ["held_on"]
    assert DecisionMeeting.objects.count() == 0
    held = meeting(victor, pk)
    conforms(held, "/api/v1/decision-records/{pk}/meetings/", "post")
    assert held.status == 200 and held.json["step"]["kind"] == "consultation"
    first = held.json["meetings"][0]
    assert first["passed"] and first["quorum_met"] and first["files"][0]["role"] == "minutes"
    download = victor.client.get(first["files"][0]["url"], headers=victor.headers)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert as_user(cast.owen).get(first["files"][0]["url"]).status == 404
    wrong = victor.post(f"{LIST}{pk}/publish/", {"published_on": "2026-06-10", "text": "决议"})
    assert wrong.status == 400
    failed = meeting(victor, pk, votes_for=2, against=5)
    assert failed.json["state"] == "not_passed" and failed.json["stopped_reason"]


def test_the_whole_way_to_the_published_result(cast: Cast, record: dict, as_user):
    victor = as_user(cast.victor)
    pk = record["id"]
    meeting(victor, pk)
    meeting(victor, pk)
    meeting(victor, pk, entitled=30, present=20, votes_for=16, against=4)
    meeting(victor, pk, entitled=45, present=30, votes_for=16, against=10, abstain=4)
    for text in ("决议：鱼塘对外发包", "结果：已签订合同"):
        answer = victor.post(f"{LIST}{pk}/publish/", {"published_on": "2026-06-10", "text": text})
        assert answer.status == 200, answer
    assert answer.json["state"] == "completed"
    assert [p["kind"] for p in answer.json["publications"]] == [
        "publish_resolution",
        "publish_result",
    ]
    assert answer.json["may_act"] is False
    closed = victor.post(f"{LIST}{pk}/publish/", {"published_on": "2026-06-10", "text": "再"})
    assert closed.status == 400

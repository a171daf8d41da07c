"""Bad input answers 4xx with a JSON error and a clear message, and writes nothing."""

from __future__ import annotations

import json

import pytest

from hemei.accounts.models import AuditEntry
from hemei.core.testing import COUNTY, Cast
from hemei.tasks.models import Task

from .conftest import World

pytestmark = pytest.mark.django_db

LIST = "/api/v1/tasks/"
GOOD = {"division": COUNTY, "title": "完成农村户厕改造", "due_on": "2026-06-30"}


def written() -> tuple[int, int]:
    return Task.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b'{"title": "x",}',
        b"\xff\xfe{}",
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the parser goes
        b"",
    ],
    ids=["truncated", "trailing comma", "not utf-8", "too deep", "empty"],
)
def test_malformed_json_is_a_400(cast: Cast, as_user, raw: bytes):
    alice = as_user(cast.alice)
    before = written()
    answer = alice.post(LIST, raw=raw)
    assert answer.status == 400, answer
    assert answer.error["code"] == "bad_json"
    assert answer.error["message"]
    assert written() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ([GOOD], "body"),
        ("task", "body"),
        ({**GOOD, "title": 5}, "title"),
        ({**GOOD, "title": "   "}, "title"),
        ({**GOOD, "title": "长" * 301}, "title"),
        ({**GOOD, "title": "bad\ud800"}, "title"),
        ({**GOOD, "due_on": "2026-13-01"}, "due_on"),
        ({**GOOD, "due_on": "tomorrow"}, "due_on"),
        ({**GOOD, "due_on": 20260630}, "due_on"),
        ({**GOOD, "due_on": None}, "due_on"),
        ({**GOOD, "weight": "heavy"}, "weight"),
        ({**GOOD, "weight": -1}, "weight"),
        ({**GOOD, "weight": 1.234}, "weight"),
        ({**GOOD, "is_key": "yes"}, "is_key"),
        ({**GOOD, "priority": 9}, "priority"),
        ({**GOOD, "priority": True}, "priority"),
        ({**GOOD, "theme": "tourism"}, "theme"),
        ({**GOOD, "lead_unit": "区农业农村局"}, "lead_unit"),
        ({**GOOD, "lead_unit": 2**70}, "lead_unit"),
        ({**GOOD, "co_units": 3}, "co_units"),
        ({**GOOD, "co_units": [999_999]}, "co_units.0"),
        ({**GOOD, "milestones": [{"name": "摸底", "due_on": "2026-04-31"}]}, "milestones.0.due_on"),
        ({**GOOD, "milestones": [{"name": "摸底"}]}, "milestones.0.due_on"),
        ({**GOOD, "colour": "red"}, "colour"),
        ({"title": "x", "due_on": "2026-06-30"}, "division"),
        ({**GOOD, "division": "999999"}, "division"),
    ],
)
def test_wrong_values_are_a_400_with_a_message_per_field(cast: Cast, as_user, body, field):
    alice = as_user(cast.alice)
    before = written()
    answer = alice.post(LIST, body)
    assert answer.status == 400, answer
    assert answer.error["code"] == "invalid"
    assert field in answer.error["fields"], answer.error
    assert all(answer.error["fields"][field])
    assert written() == before


def test_every_bad_field_is_reported_at_once(cast: Cast, as_user):
    answer = as_user(cast.alice).post(LIST, {"title": 1, "due_on": "x", "extra": 1})
    assert set(answer.error["fields"]) == {"division", "title", "due_on", "extra"}


def test_messages_are_in_chinese(cast: Cast, as_user):
    answer = as_user(cast.alice).post(LIST, {**GOOD, "due_on": "x", "extra": 1})
    assert answer.error["message"] == "提交的数据无效。"
    assert answer.error["fields"]["extra"] == ["未知字段。"]


def test_a_body_larger_than_the_limit_is_a_413(cast: Cast, as_user):
    alice = as_user(cast.alice)
    before = written()
    huge = json.dumps({**GOOD, "description": "长" * 600_000}).encode()
    answer = alice.post(LIST, raw=huge)
    assert answer.status == 413
    assert answer.error["code"] == "too_large"
    assert written() == before


def test_an_empty_body_reads_as_an_empty_object(cast: Cast, world: World, as_user):
    client = as_user(cast.alice)
    path = f"/api/v1/tasks/{world.county_task.pk}/fan-out/"
    response = client.client.generic("POST", path, b"", headers=client.headers)  # like curl
    assert response.status_code == 201


def test_a_body_not_sent_as_json_is_a_415(cast: Cast, as_user):
    client = as_user(cast.alice)
    response = client.client.post(LIST, GOOD, headers=client.headers)  # a form post
    assert response.status_code == 415
    assert json.loads(response.content)["error"]["code"] == "unsupported_media_type"


def test_an_undeclared_method_is_a_405(cast: Cast, world: World, as_user):
    client = as_user(cast.alice)
    response = client.client.delete(f"/api/v1/tasks/{world.part_a.pk}/", headers=client.headers)
    assert response.status_code == 405
    assert response["Allow"] == "GET, PATCH"
    assert json.loads(response.content)["error"]["code"] == "method_not_allowed"
    assert Task.objects.filter(pk=world.part_a.pk).exists()


@pytest.mark.parametrize(
    "path",
    ["/api/v1/tasks/abc/", "/api/v1/nothing/", f"/api/v1/tasks/{2**70}/", "/api/v1/tasks/0/"],
)
def test_unknown_paths_and_ids_are_a_json_404(cast: Cast, as_user, path: str):
    answer = as_user(cast.alice).get(path)
    assert answer.status == 404
    assert answer.error["code"] == "not_found"


def test_nan_and_infinity_are_not_numbers(cast: Cast, as_user):
    raw = b'{"division": "370215", "title": "x", "due_on": "2026-06-30", "weight": NaN}'
    answer = as_user(cast.alice).post(LIST, raw=raw)
    assert answer.status == 400 and "weight" in answer.error["fields"]
    raw = raw.replace(b"NaN", b"Infinity")
    assert as_user(cast.alice).post(LIST, raw=raw).status == 400


def test_head_answers_like_get_without_a_body(cast: Cast, world: World, as_user):
    client = as_user(cast.alice)
    response = client.client.head("/api/v1/tasks/", headers=client.headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("url", "params", "field", "message"),
    [
        (LIST, {"q": "田" * 101}, "q", "最多 100 个字符"),
        ("/api/v1/households/", {"format": "pdf"}, "format", "json, xlsx"),
    ],
    ids=["search too long", "unknown export format"],
)
def test_query_messages_name_the_limit_and_the_choices(
    cast: Cast, as_user, url: str, params: dict[str, str], field: str, message: str
):
    answer = as_user(cast.alice).get(url, params)
    assert answer.status == 400, answer
    assert message in " ".join(answer.error["fields"][field]), answer

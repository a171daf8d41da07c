"""What the API tests share: a JSON client, tokens, a small world of meetings and tasks,
and a check that an answer matches the schema the OpenAPI document promises."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from hemei.api import services as api_services
from hemei.api.openapi import document
from hemei.api.v1.urls import v1
from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, Cast
from hemei.divisions.models import Division
from hemei.meetings.models import Decision, Meeting
from hemei.tasks import services as task_services
from hemei.tasks.models import Program, Task

from .jsonschema import validate

MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Answer:
    """A response with its JSON read."""

    def __init__(self, response: Any) -> None:
        self.response = response
        self.status = response.status_code
        kind = response.get("Content-Type", "")
        self.json = json.loads(response.content) if kind.startswith("application/json") else None

    @property
    def error(self) -> dict[str, Any]:
        assert self.json is not None and "error" in self.json, self.json
        return self.json["error"]

    def __repr__(self) -> str:
        return f"<Answer {self.status} {self.json!r:.300}>"


class ApiClient:
    """Calls the API as a token's owner (or anonymously, or with any header)."""

    def __init__(self, key: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, url: str, params: dict[str, Any] | None = None) -> Answer:
        return Answer(self.client.get(url, params or {}, headers=self.headers))

    def send(self, method: str, url: str, body: Any = None, raw: bytes | None = None) -> Answer:
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        call = getattr(self.client, method.lower())
        return Answer(call(url, data, content_type="application/json", headers=self.headers))

    def post(self, url: str, body: Any = None, **kw: Any) -> Answer:
        return self.send("POST", url, body, **kw)

    def patch(self, url: str, body: Any = None, **kw: Any) -> Answer:
        return self.send("PATCH", url, body, **kw)


@pytest.fixture
def as_user(cast: Cast) -> Callable[[Any], ApiClient]:
    """``as_user(cast.alice)``: a client carrying a fresh personal token of that user."""

    def make(user: Any) -> ApiClient:
        _token, key = api_services.create_token(actor=user, name="test")
        return ApiClient(key)

    return make


@dataclass
class World:
    county_task: Task
    part_a: Task
    part_b: Task
    county_meeting: Meeting
    decision: Decision
    meeting_b: Meeting
    program: Program


@pytest.fixture
def world(cast: Cast) -> World:
    """A county meeting with one decision; a county task fanned out to towns A and B; a
    meeting held by town B (which tom must not see)."""
    county = Division.objects.get(code=COUNTY)
    with clock.frozen_at(MORNING):
        meeting = Meeting.objects.create(
            name="全区乡村振兴推进会",
            held_on=dt.date(2026, 2, 20),
            level="county",
            division=county,
            speakers="李丽",
        )
        decision = Decision.objects.create(meeting=meeting, number=1, text="完成户厕改造")
        meeting_b = Meeting.objects.create(
            name="金口镇调度会",
            held_on=dt.date(2026, 2, 25),
            level="town",
            division_id=TOWN_B,
        )
        program = Program.objects.create(name="六大攻坚战")
        task = task_services.create_task(
            actor=cast.alice,
            division=county,
            title="完成农村户厕改造",
            due_on=dt.date(2026, 6, 30),
            start_on=dt.date(2026, 3, 1),
            meeting=meeting,
            decision=decision,
            lead_leader=cast.lily,
            lead_unit=cast.unit,
            programs=[program],
            milestones=[("摸底", dt.date(2026, 4, 1), 1)],
        )
        task_services.fan_out(actor=cast.alice, task=task, codes=[TOWN_A, TOWN_B])
    return World(
        county_task=task,
        part_a=Task.objects.get(parent=task, division_id=TOWN_A),
        part_b=Task.objects.get(parent=task, division_id=TOWN_B),
        county_meeting=meeting,
        decision=decision,
        meeting_b=meeting_b,
        program=program,
    )


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    return document(v1)


@pytest.fixture
def conforms(openapi: dict[str, Any]) -> Callable[[Answer, str, str], None]:
    """``conforms(answer, "/api/v1/tasks/{pk}/", "get")``: the answer matches its schema."""

    def check(answer: Answer, path: str, method: str) -> None:
        operation = openapi["paths"][path][method]
        spec = operation["responses"].get(str(answer.status))
        assert spec is not None, f"{answer.status} is not documented for {method} {path}"
        if "$ref" in spec:
            spec = openapi["components"]["responses"][spec["$ref"].rsplit("/", 1)[-1]]
        schema = spec["content"]["application/json"]["schema"]
        problems = validate(answer.json, schema, openapi)
        assert not problems, problems[:5]

    return check

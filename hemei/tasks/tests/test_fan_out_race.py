"""Simultaneous fan-outs (issue 9): thirty at once gave one 201 and twenty-nine 500s from the
unique constraint (one fanned part per division and parent). The data stayed right; now the
answer does too: the second fan-out finds the first one's parts and answers like a re-run
(200, nothing created), on the page and through the API.

The race is made deterministic, without timing: a part of another writer is inserted right
before the fan-out's own insert (``connection.execute_wrapper``), on SQLite in the same
connection, on PostgreSQL through a second, real connection that commits it."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from hemei.api import services as api_services
from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, Cast
from hemei.divisions.models import Division
from hemei.tasks import services
from hemei.tasks.choices import Source
from hemei.tasks.models import Task

MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
INSERT_TASK = 'INSERT INTO "tasks_task"'


def county_task(cast: Cast) -> Task:
    with clock.frozen_at(MORNING):
        return services.create_task(
            actor=cast.alice,
            division=Division.objects.get(code=COUNTY),
            title="完成农村户厕改造",
            due_on=dt.date(2026, 6, 30),
            lead_leader=cast.lily,
            milestones=[("摸底", dt.date(2026, 4, 1), 1)],
        )


def rival_part(task: Task, code: str) -> Task:
    """The part another fan-out of ``task`` inserts for ``code``."""
    return Task.objects.create(
        parent=task,
        division_id=code,
        source=Source.FAN_OUT,
        title=task.title,
        due_on=task.due_on,
    )


@contextmanager
def rival_inserts_first(insert: Callable[[], Any]) -> Iterator[list[str]]:
    """Run ``insert`` once, right before the first insert of a task on this connection;
    yields the task inserts seen."""
    seen: list[str] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith(INSERT_TASK):
            seen.append(sql)
            if len(seen) == 1:
                insert()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def api_client(user: Any) -> Client:
    _token, key = api_services.create_token(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def parts_by_town(task: Task) -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in task.children.values_list("division_id", flat=True):
        counts[code] = counts.get(code, 0) + 1
    return counts


@pytest.mark.django_db
def test_the_service_survives_a_part_inserted_between_its_read_and_its_insert(
    cast: Cast,
) -> None:
    task = county_task(cast)
    with rival_inserts_first(lambda: rival_part(task, TOWN_A)) as seen:
        parts = services.fan_out(actor=cast.alice, task=task, codes=[TOWN_A, TOWN_B])
    assert len(seen) >= 3  # the rival's, the refused insert, the insert again
    assert parts_by_town(task) == {TOWN_A: 1, TOWN_B: 1}
    assert {p.division_id for p in parts} == {TOWN_A, TOWN_B}
    assert all(p.milestones.count() == 1 for p in task.children.all())


@pytest.mark.django_db
def test_the_api_answers_json_not_500_when_fan_outs_collide(cast: Cast) -> None:
    task = county_task(cast)
    client = api_client(cast.alice)
    url = f"/api/v1/tasks/{task.pk}/fan-out/"
    with rival_inserts_first(lambda: rival_part(task, TOWN_A)):
        first = client.post(url, {"codes": [TOWN_A, TOWN_B]}, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first["Content-Type"].startswith("application/json")
    again = client.post(url, {"codes": [TOWN_A, TOWN_B]}, content_type="application/json")
    assert again.status_code == 200 and json.loads(again.content)["created"] == 0
    assert parts_by_town(task) == {TOWN_A: 1, TOWN_B: 1}


@pytest.mark.django_db
def test_the_page_redirects_not_500_when_fan_outs_collide(cast: Cast) -> None:
    task = county_task(cast)
    client = Client()
    client.force_login(cast.alice)
    data = {"level": "4", "which": "some", "codes": [TOWN_A, TOWN_B]}
    with rival_inserts_first(lambda: rival_part(task, TOWN_B)):
        response = client.post(f"/tasks/{task.pk}/fan-out/", data)
    assert response.status_code == 302
    assert parts_by_town(task) == {TOWN_A: 1, TOWN_B: 1}


@pytest.mark.django_db
def test_an_unexpected_fault_in_the_api_is_a_json_500(cast: Cast) -> None:
    client = api_client(cast.alice)
    client.raise_request_exception = False

    def database_gone(execute: Any, sql: str, *args: Any) -> Any:
        if 'FROM "tasks_task"' in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, *args)

    with connection.execute_wrapper(database_gone):
        response = client.get("/api/v1/tasks/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    error = json.loads(response.content)["error"]
    assert error["code"] == "server_error" and "服务器" in error["message"]


def _on_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs a second PostgreSQL connection (CI runs it)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_part_committed_by_a_second_connection_is_kept_and_not_doubled(cast: Cast) -> None:
    _on_postgres()
    task = county_task(cast)

    def insert_and_commit_elsewhere() -> None:
        def rival() -> None:
            try:
                rival_part(task, TOWN_A)  # its own connection, autocommit
            finally:
                connections.close_all()

        thread = threading.Thread(target=rival)
        thread.start()
        thread.join()

    client = api_client(cast.alice)
    with rival_inserts_first(insert_and_commit_elsewhere):
        answer = client.post(
            f"/api/v1/tasks/{task.pk}/fan-out/",
            {"codes": [TOWN_A, TOWN_B]},
            content_type="application/json",
        )
    assert answer.status_code == 201, answer.content
    assert [t["division"]["code"] for t in json.loads(answer.content)["tasks"]] == [TOWN_B]
    assert parts_by_town(task) == {TOWN_A: 1, TOWN_B: 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_simultaneous_fan_outs_answer_one_201_and_twenty_nine_200(cast: Cast) -> None:
    _on_postgres()
    task = county_task(cast)
    _token, key = api_services.create_token(actor=cast.alice, name="test")
    barrier = threading.Barrier(30)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def attempt() -> None:
        client = Client(headers={"Authorization": f"Bearer {key}"}, raise_request_exception=False)
        try:
            barrier.wait()
            response = client.post(
                f"/api/v1/tasks/{task.pk}/fan-out/", {}, content_type="application/json"
            )
            outcome = (response.status_code, response["Content-Type"])
        finally:
            connections.close_all()
        with lock:
            answers.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _kind in answers)
    assert statuses == [200] * 29 + [201], answers
    assert all(kind.startswith("application/json") for _status, kind in answers)
    towns = Division.objects.current().filter(level=4).within(COUNTY).count()
    assert parts_by_town(task) == dict.fromkeys(parts_by_town(task), 1)
    assert task.children.count() == towns

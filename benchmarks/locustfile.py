"""The users of the load test (``benchmarks/load.py``), run by locust's library in a child
process of their own: locust patches the standard library for gevent as it is imported.

``main()`` reads the plan (``HEMEI_LOAD_PLAN``: server, users, seconds, the pages, tasks,
villagers and API token the province offers), runs the users and prints every response time
by page name, the status codes and failures as one JSON line. Not a benchmark by itself
(``python -m benchmarks`` runs modules with a ``run()``): ``python -m benchmarks load``.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict
from typing import Any

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

from benchmarks.load import MIX, SPAWN_RATE, THINK

PLAN: dict[str, Any] = {}
#: Timed whenever they come: a user logs in as it starts, mostly during the ramp. Every other
#: page is timed after the ramp, once every user runs and each server process has warmed up.
START_PAGES = (":login_page", ":login")
REPORT_LINK = re.compile(r'href="/progress/(\d+)/"')


def photo() -> bytes:
    """A small JPEG, a different one each time (the same file twice is flagged a duplicate)."""
    from PIL import Image

    colour = tuple(random.randrange(256) for _ in range(3))
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class Official(HttpUser):
    """A browser: logs in through the login form, then keeps its session and CSRF cookie."""

    abstract = True
    wait_time = between(*THINK)
    kind = ""
    username = ""

    def on_start(self) -> None:
        self.get("/accounts/login/", "login_page")
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": "x"},
            headers=self.csrf(),
            name=f"{self.kind}:login",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login as {self.username} answered {answer.status_code}")

    def csrf(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}

    def get(self, url: str, page: str) -> Any:
        return self.client.get(url, name=f"{self.kind}:{page}")

    def post(self, url: str, page: str, **kwargs: Any) -> None:
        """A form's POST, which redirects to a page of the progress app when it is taken."""
        with self.client.post(
            url,
            headers=self.csrf(),
            name=f"{self.kind}:{page}",
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as answer:
            if answer.status_code == 302 and "/progress/" not in answer.headers["Location"]:
                answer.failure(f"redirected to {answer.headers['Location']}")


class County(Official):
    """A county official browsing and filtering the county's task list and its pages."""

    weight = MIX["county"]
    kind, username = "county", "bench-county"

    @task
    def browse(self) -> None:
        page, url = random.choice(list(PLAN["pages"].items()))
        self.get(url, page)


class Province(County):
    """The same pages across the whole province's 200,000 tasks."""

    weight = MIX["province"]
    kind, username = "province", "bench-province"


class Town(Official):
    """A town official: their work, their tasks, and progress reports with a photo."""

    weight = MIX["town"]
    kind, username = "town", "bench-town"

    @task(2)
    def my_work(self) -> None:
        self.get("/tasks/mine/", "my_work")

    @task(2)
    def task_list(self) -> None:
        self.get("/tasks/", "task_list")

    @task(1)
    def task_detail(self) -> None:
        self.get(f"/tasks/{random.choice(PLAN['report_tasks'])}/", "task_detail")

    @task(2)
    def report(self) -> None:
        pk = random.choice(PLAN["report_tasks"])
        self.get(f"/progress/tasks/{pk}/new/", "report_form")
        self.post(
            f"/progress/tasks/{pk}/new/",
            "report_with_photo",
            data={
                "percent": str(random.randrange(10, 91)),
                "text": "入户走访，完成阶段性工作。",
                "submit": "1",
            },
            files={"files": ("现场.jpg", photo(), "image/jpeg")},
        )


class Reviewer(Official):
    """A county reviewer: the review queue, a waiting report, its approval."""

    weight = MIX["reviewer"]
    kind, username = "reviewer", "bench-county"

    @task
    def review(self) -> None:
        queue = self.get("/progress/review/", "review_queue")
        waiting = REPORT_LINK.findall(queue.text or "")
        if waiting:
            pk = random.choice(waiting)
            self.get(f"/progress/{pk}/", "report_detail")
            self.post(f"/progress/{pk}/approve/", "approve")


class Villager(Official):
    """A villager on a phone: their household's points, the notice, the red list."""

    weight = MIX["villager"]
    kind = "villager"
    numbers = itertools.count()

    def on_start(self) -> None:
        self.username, self.village = PLAN["villagers"][next(self.numbers) % len(PLAN["villagers"])]
        super().on_start()

    @task(2)
    def my_points(self) -> None:
        self.get("/points/me/", "points_me")

    @task(1)
    def notice(self) -> None:
        self.get(f"/points/v/{self.village}/notice/", "points_notice")

    @task(1)
    def ranking(self) -> None:
        self.get(f"/points/v/{self.village}/rankings/", "points_ranking")


class Script(HttpUser):
    """A script with a personal API token reading tasks and reports."""

    weight = MIX["api"]
    wait_time = between(*THINK)
    kind = "api"

    def get(self, url: str, page: str) -> Any:
        return self.client.get(
            url, headers={"Authorization": f"Bearer {PLAN['token']}"}, name=f"api:{page}"
        )

    @task
    def task_list(self) -> None:
        self.get("/api/v1/tasks/", "tasks")

    @task
    def overdue(self) -> None:
        self.get("/api/v1/tasks/?state=overdue", "tasks_overdue")

    @task
    def one_task(self) -> None:
        self.get(f"/api/v1/tasks/{random.choice(PLAN['report_tasks'])}/", "task")

    @task
    def reports(self) -> None:
        self.get("/api/v1/reports/?mine=true", "reports")


USERS = [County, Province, Town, Reviewer, Villager, Script]


def main() -> None:
    PLAN.update(json.loads(os.environ["HEMEI_LOAD_PLAN"]))
    samples: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    failures: dict[str, Counter[str]] = defaultdict(Counter)
    environment = Environment(
        user_classes=USERS,
        host=PLAN["host"],
        events=events,
    )
    runner = environment.create_local_runner()
    spawned: dict[str, int] = {}
    clock = {"started": time.perf_counter(), "steady": 0.0, "requests": 0, "steady_requests": 0}

    def on_request(name: str, response_time: float, response: Any, exception: Any, **_: Any):
        if clock["steady"]:
            clock["steady_requests"] += 1
        if clock["steady"] or name.endswith(START_PAGES):  # logins come in the ramp
            samples[name].append(response_time)
        statuses[name][str(getattr(response, "status_code", 0) or 0)] += 1
        if exception is not None:
            failures[name][str(exception)[:120]] += 1
        clock["requests"] += 1
        if clock["requests"] == PLAN["max_requests"]:
            gevent.spawn(runner.quit)

    def on_spawned(user_count: int) -> None:
        """All users are in and every server process has had some requests: measure now."""
        clock["steady"] = time.perf_counter()
        kinds = {user.__name__: user.kind for user in USERS}
        spawned.update({kinds[name]: n for name, n in runner.user_classes_count.items()})

    events.request.add_listener(on_request)
    events.spawning_complete.add_listener(on_spawned)
    runner.start(PLAN["users"], spawn_rate=SPAWN_RATE)
    gevent.spawn_later(PLAN["users"] / SPAWN_RATE + PLAN["seconds"], runner.quit)
    runner.greenlet.join()
    for crash in runner.exceptions.values():  # the users' own code failed: an error too
        failures["locust"][crash["msg"][:120]] += crash["count"]
    result = {
        "steady_seconds": time.perf_counter() - (clock["steady"] or clock["started"]),
        "spawned": spawned,
        "samples": samples,
        "steady_requests": clock["steady_requests"],
        "statuses": statuses,
        "failures": failures,
    }
    print(json.dumps(result, ensure_ascii=False))

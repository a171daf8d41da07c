"""Scenarios the replica test runs in a process of their own (the settings read
HEMEI_DATABASE_URL and HEMEI_DATABASE_REPLICA_URL once, at start).

``python -m hemei.core.tests.replica_scenarios STEP`` prints one JSON object:
which database served the task list's query, and what else the step saw.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hemei.core import replica  # noqa: E402

USERNAME = "replica-admin"


def _primary_lsn() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        return str(cursor.fetchone()[0])


def wait_for(column: str, bound: float = 60) -> None:
    """Wait until the replica's ``column`` LSN reaches the primary's current one."""
    target = _primary_lsn()
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute(f"SELECT {column}() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.1)
    raise SystemExit(f"the replica did not reach {target} within {bound} s")


def served_by(client: Client, path: str = "/tasks/", *, replica_up: bool = True) -> dict[str, Any]:
    """GET ``path`` and say which database read the task table (a stopped replica cannot be
    watched: watching connects)."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(
            connections["replica"] if replica_up else connections["default"]
        ) as copy,
    ):
        response = client.get(path)

    def reads_tasks(queries: list[dict[str, str]]) -> bool:
        return any('"tasks_task"' in query["sql"] for query in queries)

    return {
        "status": response.status_code,
        "primary": reads_tasks(primary.captured_queries),
        "replica": replica_up and reads_tasks(copy.captured_queries),
        "pinned": replica.PIN_COOKIE in response.cookies,
    }


def logged_in() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    return client


def setup() -> dict[str, Any]:
    call_command("migrate", verbosity=0)
    User = get_user_model()
    if not User.objects.filter(username=USERNAME).exists():
        User.objects.create_superuser(USERNAME, password="replica-test-password")
    wait_for("pg_last_wal_replay_lsn")
    return {"replica_tables": replica_has_users()}


def replica_has_users() -> bool:
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user")
        return bool(cursor.fetchone()[0])


def routing() -> dict[str, Any]:
    client = logged_in()
    wait_for("pg_last_wal_replay_lsn")
    read = served_by(client)
    # A write pins the browser to the primary: the page after it reads what was written.
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/tasks/"})
    user = get_user_model().objects.get(username=USERNAME)
    user.full_name = "复制测试"
    user.save()
    after_write = served_by(client)
    return {"read": read, "post_status": response.status_code, "after_write": after_write}


def lag() -> dict[str, Any]:
    client = logged_in()
    wait_for("pg_last_wal_replay_lsn")
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        get_user_model().objects.filter(username=USERNAME).update(full_name="落后测试")
        wait_for("pg_last_wal_receive_lsn")
        replica.health.forget()
        behind = served_by(client)
        seconds = replica.lag_seconds()
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for("pg_last_wal_replay_lsn")
    replica.health.forget()
    caught_up = served_by(client)
    return {"behind": behind, "lag": seconds, "caught_up": caught_up}


def down() -> dict[str, Any]:
    client = logged_in()
    return {"down": served_by(client, replica_up=False), "reason": replica.health.reason}


STEPS = {"setup": setup, "routing": routing, "lag": lag, "down": down}

if __name__ == "__main__":
    print(json.dumps(STEPS[sys.argv[1]]()))

"""A worker's lease, and the tasks a lost worker left running (``hemei/core/workers.py``).

The lease is taken by a real child process and the child is killed (``kill -9``): the lease
is free once it is gone. The recovery is then run on task rows whose worker is alive, dead,
dead for the second time, or unknown. These run on SQLite (the lease is a file lock) and on
PostgreSQL (an advisory lock); the worker itself killed mid-task is in
``hemei/supervision/tests/test_faults.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from hemei.core.workers import (
    MAX_ATTEMPTS,
    Lease,
    WorkerLost,
    lease_held,
    new_worker_id,
    recover_lost_tasks,
)
from hemei.notices.jobs import end_due_notices_task
from hemei.tests.faults import database_url, wait_for_other_sessions_to_end

ROOT = Path(__file__).resolve().parents[3]
#: Takes the lease of the id it is given, says so, and waits for its end.
HOLDER = (
    "import sys\n"
    "from hemei.core.commands import setup_django\n"
    "setup_django(None)\n"
    "from hemei.core.workers import Lease\n"
    "Lease(sys.argv[1]).take()\n"
    "print('held', flush=True)\n"
    "sys.stdin.read()\n"
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lease() -> Iterator[Lease]:
    """This test process's own lease: a live worker."""
    held = Lease(new_worker_id())
    held.take()
    yield held
    held.end()


def holder_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEMEI_FAULT")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(PYTHONPATH=str(ROOT), HEMEI_DATA_DIR=str(settings.DATA_DIR))
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(name):
        env.pop("HEMEI_DATABASE_URL", None)  # the data directory's file: the same leases
    else:
        env["HEMEI_DATABASE_URL"] = database_url()
    return env


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no kill -9 on Windows")
def test_a_lease_is_held_while_its_worker_lives_and_free_once_it_is_killed() -> None:
    worker = new_worker_id()
    assert not lease_held(worker)  # never taken
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, worker],
        cwd=ROOT,
        env=holder_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "held\n"
        assert lease_held(worker)
        assert lease_held(worker)  # asking does not take it
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        if child.stdout is not None:
            child.stdout.close()
        if child.stdin is not None:
            child.stdin.close()
    assert child.returncode == -signal.SIGKILL
    wait_for_other_sessions_to_end()
    assert not lease_held(worker)


def test_a_lease_ended_is_free(lease: Lease) -> None:
    assert lease_held(lease.worker_id)
    lease.end()
    assert not lease_held(lease.worker_id)


def running(*workers: str) -> DBTaskResult:
    """A task claimed by ``workers`` in turn, the last one running it."""
    row = end_due_notices_task.enqueue().db_result
    started = dt.datetime(2026, 6, 15, 2, tzinfo=dt.UTC)
    for worker in workers:
        started += dt.timedelta(minutes=1)
        DBTaskResult.objects.filter(pk=row.pk).update(
            status="RUNNING", worker_ids=[*row.worker_ids, worker], started_at=started
        )
        row.refresh_from_db()
    return row


def test_a_task_of_a_lost_worker_is_queued_again_once(lease: Lease) -> None:
    lost = running(new_worker_id())  # its worker's lease is free: gone
    alive = running(lease.worker_id)
    unknown = running("a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5")  # a bare db_worker: no lease

    assert recover_lost_tasks() == {"requeued": 1, "failed": 0}
    assert DBTaskResult.objects.get(pk=lost.pk).status == "READY"
    assert DBTaskResult.objects.ready().filter(pk=lost.pk).exists()  # a worker takes it
    assert DBTaskResult.objects.get(pk=alive.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=unknown.pk).status == "RUNNING"
    assert recover_lost_tasks() == {"requeued": 0, "failed": 0}  # once


def test_a_task_lost_a_second_time_fails() -> None:
    twice = running(*(new_worker_id() for _ in range(MAX_ATTEMPTS)))

    assert recover_lost_tasks() == {"requeued": 0, "failed": 1}
    failed = DBTaskResult.objects.get(pk=twice.pk)
    assert failed.status == "FAILED" and failed.finished_at is not None
    assert failed.exception_class_path == "hemei.core.workers.WorkerLost"
    assert WorkerLost.__name__ in failed.task_result.errors[0].traceback
    assert recover_lost_tasks() == {"requeued": 0, "failed": 0}


def test_a_task_claimed_again_meanwhile_is_left_to_its_new_worker(
    lease: Lease, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers recover at once: the other one queues the task again, and a worker
    claims it, while this one asks whether the old worker lives; this one's update finds
    the row changed and leaves it."""
    from hemei.core import workers

    row = running(new_worker_id())

    def meanwhile(worker: str) -> bool:
        DBTaskResult.objects.filter(pk=row.pk).update(status="READY")
        DBTaskResult.objects.get(pk=row.pk).claim(lease.worker_id)
        return False

    monkeypatch.setattr(workers, "lease_held", meanwhile)
    assert recover_lost_tasks() == {"requeued": 0, "failed": 0}
    again = DBTaskResult.objects.get(pk=row.pk)
    assert again.status == "RUNNING" and again.worker_ids[-1] == lease.worker_id


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a lease with a connection")
def test_a_lease_whose_session_was_lost_is_taken_again(lease: Lease) -> None:
    """The database ended the lease's session (a restart, an administrator): the worker
    lives on, and the scheduler's next tick takes its lease again."""
    with lease._connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        session = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 60000)", [session])  # waits for it
    assert not lease_held(lease.worker_id)

    lease.renew()
    assert lease_held(lease.worker_id)
    lease.renew()  # a live session: nothing to do
    assert lease_held(lease.worker_id)

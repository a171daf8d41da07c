"""The sweep as background work: enqueued through Django's tasks API, run by the real
database worker (``db_worker --batch``), and ``hemei worker`` with its scheduler."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from hemei import cli
from hemei.core import clock
from hemei.core.testing import Cast
from hemei.supervision import jobs
from hemei.supervision.models import Card
from hemei.tasks.models import Task

from .conftest import DUE, at


@pytest.fixture
def restored_signals(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the worker inside the test's transaction.

    The worker installs its own SIGINT/SIGTERM handlers: pytest's are put back afterwards.
    It also closes "old" database connections between jobs, which on PostgreSQL would close
    the test's connection in the middle of its transaction; as Django's test client does
    for requests, that housekeeping is switched off here (the subprocess test below runs
    the worker untouched).
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    signals = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGQUIT"):  # not on Windows
        signals.append(signal.SIGQUIT)
    saved = {sig: signal.getsignal(sig) for sig in signals}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db
def test_the_sweep_runs_through_the_database_worker(
    cast: Cast, task: Task, restored_signals: None
) -> None:
    late = DUE + dt.timedelta(days=1)
    result = jobs.daily_sweep.enqueue(today=late.isoformat())
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    assert not Card.objects.exists()  # nothing happens until a worker runs it
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value["yellow_card"] == 1
    assert Card.objects.get(task=task).kind == "yellow"


@pytest.mark.django_db
def test_hemei_worker_batch_enqueues_a_sweep_and_runs_it(
    cast: Cast, task: Task, restored_signals: None
) -> None:
    with clock.frozen_at(at(DUE + dt.timedelta(days=7))):
        assert cli.main(["worker", "--batch"]) == 0
    assert set(Card.objects.filter(task=task).values_list("kind", flat=True)) == {"yellow", "red"}
    # the sweep ran once (the disclosure catalogue's daily generation runs beside it)
    done = DBTaskResult.objects.filter(status="SUCCESSFUL")
    assert done.filter(task_path=jobs.daily_sweep.module_path).count() == 1
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


@pytest.mark.django_db
def test_a_waiting_sweep_is_not_queued_twice(cast: Cast) -> None:
    assert jobs.enqueue_sweep() is not None
    assert jobs.enqueue_sweep() is None
    assert DBTaskResult.objects.ready().count() == 1


def _successful_sweeps(database: Path) -> int:
    try:
        with sqlite3.connect(database, timeout=5) as db:
            (count,) = db.execute(
                "select count(*) from django_tasks_database_dbtaskresult "
                "where task_path = ? and status = 'SUCCESSFUL'",
                (jobs.daily_sweep.module_path,),
            ).fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(count)


def test_hemei_worker_schedules_sweeps_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = {**os.environ, "HEMEI_DATA_DIR": str(tmp_path)}
    env.pop("HEMEI_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "hemei", "migrate", "--data-dir", str(tmp_path)],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hemei",
            "worker",
            "--data-dir",
            str(tmp_path),
            "--interval",
            "0.1",
            "--sweep-every",
            "0.005",  # minutes: a sweep every 0.3 s
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while _successful_sweeps(tmp_path / "hemei.sqlite3") < 2:
            assert worker.poll() is None, worker.stdout.read() if worker.stdout else ""
            assert time.monotonic() < deadline, "no sweep ran within a minute"
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    output = worker.stdout.read().decode() if worker.stdout else ""
    assert "daily_sweep" in output and "SUCCESSFUL" in output


def test_hemei_worker_refuses_a_negative_period(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["worker", "--sweep-every", "-1"]) == 2
    assert "--sweep-every" in capsys.readouterr().err

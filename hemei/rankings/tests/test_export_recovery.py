"""An export whose worker dies (issue 9): ``kill -9`` on the worker while a circular renders
left the job "running" and the page polling every 2 s for ever. A job whose worker process is
gone from this host, or that runs longer than EXPORT_TIMEOUT_MINUTES, is queued once more;
lost a second time, it fails with a message and the page stops polling.

Time is the platform's controllable clock; a dead worker is a real process that has ended."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hemei.api.services import create_token
from hemei.core import clock
from hemei.core.testing import Cast
from hemei.rankings.choices import JobFailure, JobState
from hemei.rankings.jobs import recover_stalled_exports
from hemei.rankings.models import ExportJob, RankingRun

from . import test_export
from .factories import NOV_23, run_worker

october = pytest.fixture(test_export.october.__wrapped__)  # the export tests' ranking
media = pytest.fixture(test_export.media.__wrapped__)


def dead_worker() -> str:
    """``host:pid`` of a worker process of this host that has ended (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return f"{socket.gethostname()}:{process.pid}"


def running_job(run: RankingRun, *, attempts: int, worker: str, started: dt.datetime) -> Any:
    """The job as a worker left it: claimed, started, never finished."""
    return ExportJob.objects.create(
        run=run,
        document_number="即振办〔2026〕1号",
        state=JobState.RUNNING,
        attempts=attempts,
        worker=worker,
        started_at=started,
    )


def status(client: Client, job: ExportJob) -> str:
    return client.get(
        f"/rankings/exports/{job.pk}/", headers={"HX-Request": "true"}
    ).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_made_again_once(
    october: RankingRun, cast: Cast, client: Client, media: Path
) -> None:
    client.force_login(cast.alice)
    with clock.frozen_at(NOV_23):
        job = running_job(october, attempts=1, worker=dead_worker(), started=NOV_23)
        page = status(client, job)  # the page notices the lost worker at once
        job.refresh_from_db()
        assert job.state == JobState.QUEUED and job.task_result_id
        assert "正在重新生成" in page and "every 2s" in page
        run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert job.attempts == 2 and "lost" in job.error
    page = status(client, job)
    assert "every 2s" not in page and f"/rankings/exports/{job.pk}/docx/" in page


@pytest.mark.django_db
def test_a_job_lost_twice_fails_and_the_page_stops_polling(
    october: RankingRun, cast: Cast, client: Client, settings: Any
) -> None:
    settings.EXPORT_TIMEOUT_MINUTES = 15
    client.force_login(cast.alice)
    # The second attempt's worker ran on another host: only the time limit can tell.
    started = NOV_23 - dt.timedelta(minutes=15)
    job = running_job(october, attempts=2, worker="worker-2.example:4242", started=started)
    with clock.frozen_at(NOV_23 - dt.timedelta(minutes=1)):
        assert "every 2s" in status(client, job)  # within the limit: still waiting
    job.refresh_from_db()
    assert job.state == JobState.RUNNING
    with clock.frozen_at(NOV_23):
        page = status(client, job)
    job.refresh_from_db()
    assert (job.state, job.failure, job.finished_at) == (
        JobState.FAILED,
        JobFailure.WORKER_LOST,
        NOV_23,
    )
    assert "every 2s" not in page and "hx-get" not in page
    assert "两次中断" in page


@pytest.mark.django_db
def test_the_sweep_queues_an_overdue_first_attempt_and_fails_a_second(
    october: RankingRun, settings: Any
) -> None:
    settings.EXPORT_TIMEOUT_MINUTES = 30
    long_ago = NOV_23 - dt.timedelta(minutes=31)
    first = running_job(october, attempts=1, worker="elsewhere:1", started=long_ago)
    second = running_job(october, attempts=2, worker="elsewhere:2", started=long_ago)
    fresh = running_job(october, attempts=1, worker="elsewhere:3", started=NOV_23)
    alive = running_job(october, attempts=1, worker=f"{socket.gethostname()}:1", started=NOV_23)
    counts = recover_stalled_exports(now=NOV_23)
    assert counts == {"retried": 1, "failed": 1}
    states = {
        job.pk: ExportJob.objects.get(pk=job.pk).state for job in (first, second, fresh, alive)
    }
    assert states == {
        first.pk: JobState.QUEUED,
        second.pk: JobState.FAILED,
        fresh.pk: JobState.RUNNING,
        alive.pk: JobState.RUNNING,  # pid 1 lives
    }
    assert recover_stalled_exports(now=NOV_23) == {"retried": 0, "failed": 0}


@pytest.mark.django_db
def test_the_api_reports_a_job_lost_twice_as_failed(october: RankingRun, cast: Cast) -> None:
    _token, key = create_token(actor=cast.alice, name="script")
    job = running_job(october, attempts=2, worker=dead_worker(), started=NOV_23)
    with clock.frozen_at(NOV_23):
        answer = Client().get(
            f"/api/v1/exports/{job.pk}/", headers={"Authorization": f"Bearer {key}"}
        )
    assert answer.status_code == 200
    assert answer.json()["state"] == "failed" and "lost" in answer.json()["error"]

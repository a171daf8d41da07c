"""kill -9 of the worker while it renders a circular (issue 13, item 8).

The worker is killed after storing the circular's files and before marking the job done.
The job is left running, claimed by a process that no longer exists; the worker started
again queues it once more (``recover_stalled_exports``) and renders it: the job is done on
its second attempt, with one .docx and one .xlsx (the killed attempt's files replaced, not
kept beside the new ones).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from docx import Document

from hemei.core import clock
from hemei.core.testing import Cast
from hemei.rankings.choices import JobState
from hemei.rankings.jobs import render_circular
from hemei.rankings.models import ExportJob, RankingRun
from hemei.tests.faults import Child, needs_shared_database

from . import test_export
from .factories import NOV_23

pytestmark = [pytest.mark.postgres, needs_shared_database, pytest.mark.django_db(transaction=True)]

october = pytest.fixture(test_export.october.__wrapped__)  # the export tests' ranking


def test_a_circular_whose_worker_was_killed_is_made_once_on_restart(
    october: RankingRun, cast: Cast, client: Client, tmp_path: Path
) -> None:
    client.force_login(cast.alice)
    with clock.frozen_at(NOV_23):
        client.post(f"/rankings/runs/{october.pk}/circular/")
    job = ExportJob.objects.get()
    child = Child(tmp_path)
    folder = child.data / "media" / "rankings" / "circulars" / october.county_id / str(job.pk)

    child.run("worker", "--batch", fault="rankings.circular.stored")
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.RUNNING, 1)
    assert sorted(p.suffix for p in folder.iterdir()) == [".docx", ".xlsx"]  # not yet recorded

    child.run("worker", "--batch")
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.DONE, 2), job.error
    assert "lost (attempt 1)" in job.error
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(name).name for name in (job.docx.name, job.xlsx.name)
    )
    circular = Document(str(folder / Path(job.docx.name).name))
    text = "\n".join(p.text for p in circular.paragraphs)
    assert "即振办〔2026〕1号" in text
    rendered = DBTaskResult.objects.filter(task_path=render_circular.module_path)
    assert rendered.filter(status="SUCCESSFUL").count() == 1

    child.run("worker", "--batch")  # nothing left to do
    job.refresh_from_db()
    assert job.attempts == 2 and len(list(folder.iterdir())) == 2

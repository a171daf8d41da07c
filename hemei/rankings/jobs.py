"""Background work of rankings, run by the worker through Django's tasks API.

A worker killed while it renders (``kill -9``, a host gone) leaves its job "running" for
ever, and the status page would poll it for ever. :func:`recover_stalled_exports` notices
such jobs: one whose worker process is gone from this host, or that has run longer than
``EXPORT_TIMEOUT_MINUTES``. It queues the job once more (its own task, if the worker's
recovery of lost tasks already put that back in the queue); a job lost a second time is marked
failed, and the page says so and stops polling. The worker calls it when it starts and with
every sweep; the status page calls it for the job it shows.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import traceback
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django_tasks import task

from hemei.core import clock
from hemei.core.faults import fault_point

from .choices import JobFailure, JobState
from .circular import render_docx, render_workbook
from .models import ExportJob
from .selectors import circular_data

#: A job is started at most this often: the first time, and once more after a lost worker.
MAX_ATTEMPTS = 2


def this_worker() -> str:
    """``host:pid`` of this process, as a job records who runs it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_gone(worker: str) -> bool:
    """Whether ``host:pid`` names a process of this host that no longer exists. A worker on
    another host cannot be asked: only the time limit tells it is lost."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def enqueue(job: ExportJob) -> None:
    """Queue the job's rendering once the current transaction commits."""

    def send() -> None:
        result = render_circular.enqueue(job_id=job.pk)
        ExportJob.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
            task_result_id=str(result.id)
        )

    transaction.on_commit(send)


@task()
def render_circular(job_id: int) -> str:
    """Render the circular (.docx) and workbook (.xlsx) of an export job and store them."""
    claimed = ExportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING,
        started_at=clock.now(),
        attempts=F("attempts") + 1,
        worker=this_worker(),
    )
    job = ExportJob.objects.select_related("run").get(pk=job_id)
    if not claimed:  # finished, or taken by another worker meanwhile
        return job.state
    try:
        with translation.override(job.language or "zh-hans"):
            data = circular_data(
                job.run, document_number=job.document_number, issued_on=clock.today()
            )
            docx, xlsx = render_docx(data), render_workbook(data)
        stem = f"circular-{job.run.scope_id}-{job.run.period_kind}-{job.run.period_start:%Y%m%d}"
        for field, name, content in ((job.docx, "docx", docx), (job.xlsx, "xlsx", xlsx)):
            # An attempt killed after storing its files left them here: replace them, so a
            # retried job keeps one circular, not a second beside an orphan.
            target = field.field.generate_filename(job, f"{stem}.{name}")
            field.storage.delete(target)
            field.save(f"{stem}.{name}", ContentFile(content), save=False)
        fault_point("rankings.circular.stored")  # files stored, the job not yet marked done
        job.state, job.finished_at = JobState.DONE, clock.now()
        job.save(update_fields=["docx", "xlsx", "state", "finished_at", "updated_at"])
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED,
            failure=JobFailure.ERROR,
            finished_at=clock.now(),
            error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}",
        )
        raise
    return job.state


def _task_waiting(job: ExportJob) -> bool:
    """Whether the job's own task is queued again already: the worker's recovery of tasks
    whose worker is lost (``hemei.core.workers``) puts it back, and it runs first."""
    from django_tasks_db.models import DBTaskResult

    if not job.task_result_id:
        return False
    return DBTaskResult.objects.ready().filter(pk=job.task_result_id).exists()


@transaction.atomic
def recover_stalled_exports(
    *, jobs: Iterable[int] | None = None, now: dt.datetime | None = None
) -> dict[str, int]:
    """Queue again (once) the running jobs whose worker is lost, fail those lost twice.

    Lost: the worker process is gone from this host, or the job has run longer than
    ``EXPORT_TIMEOUT_MINUTES``. ``jobs`` limits the look to these ids. Answers the counts.
    """
    now = now or clock.now()
    limit = dt.timedelta(minutes=settings.EXPORT_TIMEOUT_MINUTES)
    running = ExportJob.objects.select_for_update().filter(state=JobState.RUNNING)
    if jobs is not None:
        running = running.filter(pk__in=list(jobs))
    counts = {"retried": 0, "failed": 0}
    for job in running.order_by("pk"):
        overdue = job.started_at is None or now - job.started_at >= limit
        if not (overdue or worker_gone(job.worker)):
            continue
        note = f"{now.isoformat()}: worker {job.worker or '?'} lost (attempt {job.attempts})"
        job.error = "\n".join(filter(None, [job.error, note]))
        if job.attempts < MAX_ATTEMPTS:
            job.state, job.worker = JobState.QUEUED, ""
            job.save(update_fields=["state", "worker", "error", "updated_at"])
            if not _task_waiting(job):
                enqueue(job)
            counts["retried"] += 1
        else:
            job.state, job.failure, job.finished_at = (
                JobState.FAILED,
                JobFailure.WORKER_LOST,
                now,
            )
            job.save(update_fields=["state", "failure", "finished_at", "error", "updated_at"])
            counts["failed"] += 1
    return counts

"""Background work of rankings, run by the worker through Django's tasks API."""

from __future__ import annotations

import traceback

from django.core.files.base import ContentFile
from django.utils import translation
from django_tasks import task

from hemei.core import clock

from .choices import JobState
from .circular import render_docx, render_workbook
from .models import ExportJob
from .selectors import circular_data


@task()
def render_circular(job_id: int) -> str:
    """Render the circular (.docx) and workbook (.xlsx) of an export job and store them."""
    job = ExportJob.objects.select_related("run").get(pk=job_id)
    ExportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=clock.now())
    try:
        with translation.override(job.language or "zh-hans"):
            data = circular_data(
                job.run, document_number=job.document_number, issued_on=clock.today()
            )
            docx, xlsx = render_docx(data), render_workbook(data)
        stem = f"circular-{job.run.scope_id}-{job.run.period_kind}-{job.run.period_start:%Y%m%d}"
        job.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        job.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        job.state, job.finished_at = JobState.DONE, clock.now()
        job.save(update_fields=["docx", "xlsx", "state", "finished_at", "updated_at"])
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED,
            finished_at=clock.now(),
            error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}",
        )
        raise
    return job.state

"""Deferred work on a backend that cannot defer is left to the worker's sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from hemei.core.jobs import enqueue_at
from hemei.notices.jobs import end_due_notices_task

AT = dt.datetime(2026, 6, 20, 2, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_backend_that_cannot_defer_runs_nothing_now() -> None:
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate):
        enqueue_at(end_due_notices_task, AT)  # no InvalidTaskError, nothing run


@pytest.mark.django_db
def test_a_database_backend_runs_it_at_its_time() -> None:
    from django_tasks_db.models import DBTaskResult

    enqueue_at(end_due_notices_task, AT)
    assert DBTaskResult.objects.get().run_after == AT

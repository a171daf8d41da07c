"""Background work shared by every app."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

log = logging.getLogger(__name__)


def enqueue_at(task: Any, at: dt.datetime) -> None:
    """Run ``task`` (a django-tasks task) at ``at``. A backend that cannot defer work (the
    immediate backend of scripts and benchmarks) runs nothing now: the task's sweep, which
    the worker also runs on its schedule, does the work when it is due."""
    if not task.get_backend().supports_defer:
        log.info("%s not scheduled for %s: the tasks backend cannot defer", task.name, at)
        return
    task.using(run_after=at).enqueue()

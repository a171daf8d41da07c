"""Background work of supervision, through Django's tasks API (django-tasks, database backend).

``daily_sweep`` climbs the escalation ladder. ``hemei worker`` runs the database worker and
a small scheduler thread (:func:`run_scheduler`) that enqueues the sweep when it starts and
then every few minutes. The ladder's steps are counted in whole days and the sweep is
idempotent, so a sweep every 10 minutes is plenty: a step is taken at most 10 minutes after
its day begins, and sweeps that find nothing to do cost a few queries.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import close_old_connections, connection
from django_tasks import task

log = logging.getLogger(__name__)


@task()
def daily_sweep(today: str | None = None) -> dict[str, int]:
    """Refresh every open task's light and climb the ladder (``today``: ISO date, for tests)."""
    from .services import climb_ladder

    counts = climb_ladder(today=dt.date.fromisoformat(today) if today else None)
    log.info("ladder sweep: %s", counts)
    return counts


def sweep_waiting() -> bool:
    """Whether a sweep is already queued and not yet started (so another is not needed)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=daily_sweep.module_path).exists()


def enqueue_sweep() -> Any:
    """Queue one sweep unless one is already waiting; answer the result handle or None."""
    if sweep_waiting():
        return None
    return daily_sweep.enqueue()


def run_scheduler(
    stop: threading.Event, every_seconds: float, also: Sequence[Callable[[], Any]] = ()
) -> None:
    """Enqueue a sweep now and then every ``every_seconds`` until ``stop`` is set; call
    ``also`` (other apps' housekeeping) at each tick too."""
    while not stop.is_set():
        for tick in (enqueue_sweep, *also):
            try:
                close_old_connections()
                tick()
            except Exception:  # a locked or lost database: try again at the next tick
                log.exception("scheduler tick %s failed", getattr(tick, "__name__", tick))
            finally:
                close_old_connections()
        stop.wait(every_seconds)
    if not connection.in_atomic_block:
        connection.close()

"""Background work: the daily generation of due disclosures.

``hemei worker``'s scheduler calls :func:`enqueue_generation` at each tick (with the ladder
sweep); it queues :func:`generate_due_task` once a day, and the service is idempotent, so
a repeated or late run is harmless. The ladder sweep then lights and climbs the duties the
generation opened like any task.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django_tasks import task

from hemei.core import clock

from . import services

log = logging.getLogger(__name__)

#: the day the generation was last queued by this process (one run a day is enough)
_queued_on: list[dt.date] = []


@task()
def generate_due_task(today: str | None = None) -> dict[str, int]:
    """Create the disclosures due by ``today`` (ISO date, for tests) and mark late ones."""
    result = services.generate_due(today=dt.date.fromisoformat(today) if today else None)
    log.info("due disclosures: %s", result.as_dict())
    return result.as_dict()


def generation_waiting() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=generate_due_task.module_path).exists()


def enqueue_generation() -> Any:
    """Queue the day's generation unless it was queued today or one is waiting."""
    today = clock.today()
    if (_queued_on and _queued_on[-1] == today) or generation_waiting():
        return None
    handle = generate_due_task.enqueue()
    _queued_on[:] = [today]
    return handle

"""Duties: tasks that another procedure opens for a place, so its deadline climbs the one
supervision ladder (reminder, yellow and red card, 督办单) exactly like any task.

A case step waiting on a town, a disclosure a village owes this quarter: each is work with
an accountable place and a deadline, which is what a task is. The procedure that owns the
work opens the duty when the clock starts, moves its deadline when the clock is paused or
extended, and closes it when the work is done; the ladder, the lights, the cards and the
orders then need no second implementation. The owning record keeps the duty's id; nobody
edits a duty from the task pages (its source says where it came from).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hemei.core import clock
from hemei.divisions.models import Division

from . import services
from .choices import EventKind, State
from .models import Task, TaskEvent

TITLE_MAX = Task._meta.get_field("title").max_length or 300


@transaction.atomic
def open_duty(
    *,
    division: Division | str,
    title: str,
    due_on: dt.date,
    source: str,
    description: str = "",
    start_on: dt.date | None = None,
    responsible: Any = None,
    actor: Any = None,
) -> Task:
    """A new duty of ``division`` due on ``due_on`` (the procedure already checked the actor).

    ``actor`` is recorded on the timeline when a person started the clock; ``None`` means
    the platform opened it (a due date came round).
    """
    code = division if isinstance(division, str) else division.code
    now = clock.now()
    task = Task(
        division_id=code,
        title=title.strip()[:TITLE_MAX],
        description=description,
        due_on=due_on,
        start_on=start_on or clock.today(),
        source=source,
        responsible=responsible,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    task.full_clean(exclude=["parent", "division"])
    task.save()
    # the record and its timeline start at the platform's moment (a frozen clock included)
    Task.objects.filter(pk=task.pk).update(created_at=now)
    task.created_at = now
    services.refresh_task(task)
    TaskEvent.objects.create(
        task=task,
        at=now,
        kind=EventKind.CREATED,
        actor=actor if getattr(actor, "pk", None) else None,
        data={"source": source},
    )
    return task


def move_duty(*, task_id: int, due_on: dt.date, actor: Any, reason: str) -> Task:
    """A new deadline for an open duty (a pause or an extension of the procedure's clock)."""
    task = Task.objects.select_for_update().get(pk=task_id)
    if task.due_on == due_on:
        return task
    return services.change_deadline(task=task, due_on=due_on, actor=actor, reason=reason)


@transaction.atomic
def close_duty(
    *, task_id: int, actor: Any = None, on: dt.date | None = None, text: str = ""
) -> Task:
    """The work is done: the duty is complete and stops climbing the ladder. Its timeline says
    it was completed in its procedure (not progress moved by an approved report)."""
    task = Task.objects.select_for_update().get(pk=task_id)
    if task.state == State.DONE:
        return task
    task.progress = Decimal(100)
    task.completed_on = on or clock.today()
    task.save(update_fields=["progress", "completed_on", "updated_at"])
    services.add_event(
        task, EventKind.COMPLETED, actor=actor, text=text or _("Done in its procedure.")
    )
    services.refresh_task(task, actor=actor)
    return task

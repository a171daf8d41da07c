"""kill -9 of the worker in the middle of a ladder sweep (issue 13, item 8).

Three late tasks each have the ladder's late steps due (a yellow and a red card, an
order). The worker's sweep takes each task's steps in one transaction; it is killed inside
the second task's, after its cards and order were recorded and notified, before the commit.
The first task's steps and messages stay; the second task has no step, no notification
and, because e-mail leaves only after the commit, no e-mail. The killed sweep's row stays
"running". The restarted worker finds its worker dead (hemei/core/workers.py) and queues
that very sweep again, once: it takes the rest, every step once, every notification once,
every e-mail once, and ends "successful"; no other sweep runs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hemei.core import clock
from hemei.core.testing import TOWN_A, Cast
from hemei.notifications.models import Notification
from hemei.tasks.models import Task
from hemei.tests.faults import Child, needs_shared_database

from .. import jobs
from ..models import Card, StepTaken, SupervisionOrder
from .conftest import make_task

pytestmark = [pytest.mark.postgres, needs_shared_database, pytest.mark.django_db(transaction=True)]


def late_tasks(cast: Cast) -> list[Task]:
    """Three tasks of town A, due 40 days before the real today the worker reads."""
    for person, address in [
        (cast.tom, "tom@example.cn"),
        (cast.dan, "dan@example.cn"),
        (cast.lily, "lily@example.cn"),
    ]:
        person.email = address
        person.save(update_fields=["email"])
    due = timezone.localdate() - dt.timedelta(days=40)
    start = due - dt.timedelta(days=30)
    with clock.frozen_at(dt.datetime(start.year, start.month, start.day, 1, tzinfo=dt.UTC)):
        return [
            make_task(cast, division=TOWN_A, title=f"整治任务{n}", due_on=due, start_on=start)
            for n in (1, 2, 3)
        ]


def emailed(tasks: list[Task]) -> Counter[tuple[str, str]]:
    """The (address, subject) each notification with an address should have mailed once."""
    return Counter(
        (email, title)
        for email, title in Notification.objects.filter(task__in=tasks)
        .exclude(recipient__email="")
        .values_list("recipient__email", "title")
    )


def test_a_worker_killed_in_the_middle_of_a_sweep_takes_each_step_and_mails_once(
    cast: Cast, tmp_path: Path
) -> None:
    first, second, third = tasks = late_tasks(cast)
    child = Child(tmp_path)

    child.run("worker", "--batch", fault="supervision.ladder.steps", skip=1)
    steps = 3  # yellow card, red card, order: reminders before the deadline are not sent late
    assert StepTaken.objects.filter(task=first).count() == steps
    for task in (second, third):
        assert not StepTaken.objects.filter(task=task).exists()
        assert not Notification.objects.filter(task=task).exists()
        assert not any(title.endswith(task.title) for _to, title in child.mails())
    assert child.mails() == emailed([first])  # the first task's mail went, once
    killed = DBTaskResult.objects.get(task_path=jobs.daily_sweep.module_path)
    assert killed.status == "RUNNING" and len(killed.worker_ids) == 1

    child.run("worker", "--batch")
    for task in tasks:
        assert StepTaken.objects.filter(task=task).count() == steps
        assert Card.objects.filter(task=task).count() == 2
        assert SupervisionOrder.objects.filter(task=task).count() == 1
    per_message = Counter(
        Notification.objects.filter(task__in=tasks).values_list("recipient", "kind", "task")
    )
    assert per_message and set(per_message.values()) == {1}
    mails = child.mails()
    assert mails == emailed(tasks) and set(mails.values()) == {1}
    sweeps = DBTaskResult.objects.filter(task_path=jobs.daily_sweep.module_path)
    assert list(sweeps.values_list("id", "status")) == [(killed.id, "SUCCESSFUL")]
    assert len(sweeps.get().worker_ids) == 2  # the killed worker, then the restarted one
    assert not DBTaskResult.objects.running().exists()

    child.run("worker", "--batch")  # once more: nothing left to recover, nothing doubled
    assert sweeps.filter(status="SUCCESSFUL").count() == 2
    assert child.mails() == mails

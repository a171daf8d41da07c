"""An approved entry whose publishing job was never queued still takes effect.

The approval queues the entry's publishing job on commit (``transaction.on_commit``); a
process killed between the commit and the enqueue loses that job. The worker's scheduler
covers it: at every tick (and once in ``hemei worker --batch``) it queues the notices'
sweep, :func:`hemei.notices.jobs.enqueue_sweep`, which ends every notice that is due and
lets its entry take effect. (The same with a real worker process: ``test_faults.py``.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from hemei.core import clock
from hemei.core.testing import Cast
from hemei.notices.jobs import end_due_notices_task, enqueue_sweep

from .. import services
from ..choices import EntryState
from ..jobs import publish_due_entries_task
from ..models import Balance, LedgerEntry
from .conftest import Village
from .factories import approved, item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connections_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker closes "old" connections between jobs, which on PostgreSQL closes the
    test's own in the middle of its transaction: not here."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    """What ``hemei worker --batch`` runs of the queue, in this process."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    ).run()


def test_an_entry_whose_job_was_lost_takes_effect_by_the_workers_sweep(
    cast: Cast, village: Village, django_capture_on_commit_callbacks
) -> None:
    entry = services.record_entry(
        actor=cast.victor,
        household=village.wang,
        item=item(village.rules, "A2"),
        occurred_on=dt.date(2026, 6, 1),
        description="参加村民会议",
    )
    with django_capture_on_commit_callbacks(execute=False) as lost:
        entry = approved(cast.victor, entry)  # committed; its enqueue is never run
    assert entry.state == EntryState.IN_NOTICE
    assert [c.__qualname__ for c in lost] == ["_schedule_end.<locals>.enqueue"]  # the job
    assert not DBTaskResult.objects.exists()

    assert entry.notice_ends_at is not None
    with clock.frozen_at(entry.notice_ends_at + dt.timedelta(minutes=1)):
        enqueue_sweep()  # the scheduler's tick
        run_worker()

    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    assert LedgerEntry.objects.filter(entry=entry).count() == 1
    assert Balance.objects.get(household=village.wang).points == 2
    sweep = DBTaskResult.objects.get()
    assert sweep.task_path == end_due_notices_task.module_path
    assert (sweep.status, sweep.return_value) == ("SUCCESSFUL", 1)

    # The lost job turning up after all (or a second sweep) publishes nothing twice.
    with clock.frozen_at(entry.notice_ends_at + dt.timedelta(minutes=2)):
        publish_due_entries_task.enqueue()
        enqueue_sweep()
        run_worker()
    assert LedgerEntry.objects.filter(entry=entry).count() == 1
    assert Balance.objects.get(household=village.wang).points == 2
    assert sorted(DBTaskResult.objects.values_list("status", "return_value")) == [
        ("SUCCESSFUL", 0),
        ("SUCCESSFUL", 0),
        ("SUCCESSFUL", 1),
    ]

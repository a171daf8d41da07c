"""kill -9 of the worker, or of ``hemei points publish``, while points take effect (issue
13, item 8).

Three approved entries wait in public notice. The worker (or the command) publishes them,
one transaction per notice; it is killed inside the second ledger append, after the ledger
rows are written and before the balances and the chain head move. The first entry stays
published, the second is not half-published (no ledger row, still in notice), the chain
verifies; run again, it publishes the rest, each entry exactly once, and ``hemei points
verify`` passes.

And kill -9 of the server while it posts an entry's public notice (the committee's
approval): no notice, no queued job, no audit row, the entry still awaits review; the
restarted server posts it once.

And a process killed after the approval's commit, before its on-commit enqueue: the notice
is posted, its publishing job lost. The worker's sweep of due notices publishes the entry.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from hemei.accounts.models import AuditEntry
from hemei.core.testing import VILLAGE_A, Cast
from hemei.notices.models import Notice
from hemei.tests.faults import Child, needs_shared_database

from .. import services
from ..choices import EntryState
from ..jobs import publish_due_entries_task
from ..models import Balance, Entry, LedgerEntry
from .conftest import Village
from .factories import approved, item

pytestmark = [pytest.mark.postgres, needs_shared_database, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "command", [("worker", "--batch"), ("points", "publish")], ids=["worker", "command"]
)
def test_a_publish_killed_inside_a_ledger_append_leaves_nothing_half_written(
    cast: Cast, village: Village, tmp_path: Path, command: tuple[str, ...]
) -> None:
    homes = [village.wang, village.li, village.vera_home]
    for home in homes:
        entry = services.record_entry(
            actor=cast.victor,
            household=home,
            item=item(village.rules, "A2"),
            occurred_on=dt.date(2026, 6, 1),
            description="参加村民会议",
        )
        approved(cast.victor, entry)  # in notice; its publishing job is queued
    # The notices ended long ago by the real clock the worker reads.
    assert Entry.objects.filter(state=EntryState.IN_NOTICE).count() == 3
    child = Child(tmp_path)

    child.run(*command, fault="points.ledger.append", skip=1)
    assert Entry.objects.filter(state=EntryState.EFFECTIVE).count() == 1
    assert Entry.objects.filter(state=EntryState.IN_NOTICE).count() == 2
    assert LedgerEntry.objects.filter(village_id=VILLAGE_A).count() == 1
    assert sum(Balance.objects.values_list("points", flat=True)) == 2
    assert "OK: " in child.run("points", "verify")

    child.run(*command)
    assert Entry.objects.filter(state=EntryState.EFFECTIVE).count() == 3
    rows = LedgerEntry.objects.filter(village_id=VILLAGE_A)
    assert sorted(rows.values_list("sequence", flat=True)) == [1, 2, 3]
    assert sorted(rows.values_list("entry__household", flat=True)) == sorted(h.pk for h in homes)
    assert {h.pk: 2 for h in homes} == dict(
        Balance.objects.filter(household__in=homes).values_list("household", "points")
    )
    assert "3 entries" in child.run("points", "verify")
    # once more: nothing left to do, nothing doubled
    child.run(*command)
    assert rows.count() == 3


def test_a_server_killed_while_it_posts_a_points_notice_leaves_no_notice(
    cast: Cast, village: Village, tmp_path: Path
) -> None:
    entry = services.record_entry(
        actor=cast.victor,
        household=village.wang,
        item=item(village.rules, "A2"),
        occurred_on=dt.date(2026, 6, 1),
        description="参加村民会议",
    )
    services.assess_entry(actor=cast.victor, entry=entry, approve=True)
    browser = Client()
    browser.force_login(cast.victor)
    approve = {
        "session": browser.cookies["sessionid"].value,
        "fields": {"action": "approve", "note": ""},
    }
    page = f"/points/entries/{entry.pk}/"

    def snapshot() -> tuple[str, int, int, int]:
        return (
            Entry.objects.get(pk=entry.pk).state,
            Notice.objects.count(),
            DBTaskResult.objects.count(),
            AuditEntry.objects.count(),
        )

    before = snapshot()
    child = Child(tmp_path)
    server = child.serve(fault="notices.notice.posted")
    try:
        with pytest.raises((ConnectionError, OSError)):  # http.client's RemoteDisconnected
            server.request("POST", page, **approve)
    finally:
        server.kill()
    assert child.marker.read_text(encoding="utf-8").split()[0] == "notices.notice.posted"
    assert snapshot() == before and before[0] == EntryState.ASSESSED

    server = child.serve()
    try:
        assert server.request("POST", page, **approve)[0] == 302
        posted = snapshot()
        assert posted[:3] == (EntryState.IN_NOTICE, before[1] + 1, before[2] + 1)
        assert server.request("POST", page, **approve)[0] == 302  # refused: already posted
        assert snapshot() == posted
    finally:
        server.stop()


def test_an_entry_whose_publishing_job_was_lost_is_published_by_the_workers_sweep(
    cast: Cast, village: Village, tmp_path: Path
) -> None:
    entry = services.record_entry(
        actor=cast.victor,
        household=village.wang,
        item=item(village.rules, "A2"),
        occurred_on=dt.date(2026, 6, 1),
        description="参加村民会议",
    )
    approved(cast.victor, entry)  # committed, the notice ended long ago by the real clock
    # killed between the commit and the enqueue: the job never reached the queue
    DBTaskResult.objects.filter(task_path=publish_due_entries_task.module_path).delete()
    assert not DBTaskResult.objects.exists()

    Child(tmp_path).run("worker", "--batch")
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    assert LedgerEntry.objects.filter(entry=entry).count() == 1
    assert Balance.objects.get(household=village.wang).points == 2
    assert not DBTaskResult.objects.filter(task_path=publish_due_entries_task.module_path).exists()

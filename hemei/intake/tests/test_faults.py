"""kill -9 of the server in the middle of a task decomposition import (issue 13, item 8).

A kept (staged) table of three tasks is confirmed on ``hemei serve``; the server is killed
after creating the second task inside the import's transaction. No task, event,
notification or audit row of it is left and the table is still unconfirmed; the server
started again imports it whole, and a second confirmation is refused without writing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from hemei.accounts.models import AuditEntry
from hemei.core.testing import Cast
from hemei.notifications.models import Notification
from hemei.tasks.models import Task, TaskEvent
from hemei.tests.faults import Child, needs_postgres

from .. import services
from .helpers import units
from .test_decomposition import clean_table, county

pytestmark = [pytest.mark.postgres, needs_postgres, pytest.mark.django_db(transaction=True)]


def snapshot() -> tuple[int, int, int, int]:
    return (
        Task.objects.count(),
        TaskEvent.objects.count(),
        Notification.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_server_killed_in_the_middle_of_a_table_import_leaves_nothing_of_it(
    cast: Cast, tmp_path: Path
) -> None:
    units(cast)
    plan, upload = services.stage_table(
        actor=cast.alice, data=clean_table(), filename="分解表.xlsx", division=county(), year=2026
    )
    assert plan.ok and upload is not None
    browser = Client()
    browser.force_login(cast.alice)
    session = browser.cookies["sessionid"].value
    confirm = f"/intake/decomposition/{upload.pk}/confirm/"
    before = snapshot()
    child = Child(tmp_path)

    server = child.serve(fault="intake.decomposition.task", skip=1)
    try:
        with pytest.raises((ConnectionError, OSError)):  # http.client's RemoteDisconnected
            server.request("POST", confirm, session=session)
    finally:
        server.kill()
    assert child.marker.read_text(encoding="utf-8").split()[0] == "intake.decomposition.task"
    assert snapshot() == before
    upload.refresh_from_db()
    assert upload.imported_at is None

    server = child.serve()
    try:
        assert server.request("POST", confirm, session=session)[0] == 302
        imported = snapshot()
        assert imported[0] == before[0] + 3
        assert server.request("POST", confirm, session=session)[0] == 409  # once only
        assert snapshot() == imported
    finally:
        server.stop()
    upload.refresh_from_db()
    assert upload.imported_at is not None and upload.created_count == 3

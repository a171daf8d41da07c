"""kill -9 of the server in the middle of a household register import (issue 13, item 8).

A village official uploads a register of three households to ``hemei serve``; the server
is killed after writing the second household inside the import's transaction. Nothing of
the file is in the database; the server started again takes the same upload whole, and a
third upload changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from hemei.accounts.models import AuditEntry
from hemei.core.testing import VILLAGE_A, Cast
from hemei.households.models import Household, Resident
from hemei.tests.faults import Child, needs_postgres

from .test_import_export import good_rows, xlsx

pytestmark = [pytest.mark.postgres, needs_postgres, pytest.mark.django_db(transaction=True)]


def register() -> bytes:
    rows = good_rows()
    rows.append(["003", "第二村民小组", "吴三", "户主", "男", "", "", "", "红花山村9号"])
    return xlsx(rows)


def snapshot() -> tuple[int, int, int]:
    return (
        Household.objects.filter(village_id=VILLAGE_A).count(),
        Resident.objects.filter(household__village_id=VILLAGE_A).count(),
        AuditEntry.objects.count(),
    )


def test_a_server_killed_in_the_middle_of_an_import_leaves_nothing_of_it(
    cast: Cast, tmp_path: Path
) -> None:
    browser = Client()
    browser.force_login(cast.victor)  # the session row is committed: the child reads it
    session = browser.cookies["sessionid"].value
    upload = {
        "session": session,
        "fields": {"village": VILLAGE_A},
        "files": {"file": ("户籍.xlsx", register())},
    }
    before = snapshot()
    child = Child(tmp_path)

    server = child.serve(fault="households.import.household", skip=1)
    try:
        with pytest.raises((ConnectionError, OSError)):  # http.client's RemoteDisconnected
            server.request("POST", "/households/import/", **upload)
    finally:
        server.kill()
    assert child.marker.read_text(encoding="utf-8").split()[0] == "households.import.household"
    assert snapshot() == before  # not two households of three: none

    server = child.serve()
    try:
        status, _body = server.request("POST", "/households/import/", **upload)
        assert status == 302
        imported = snapshot()
        assert imported[:2] == (before[0] + 3, before[1] + 6)
        status, _body = server.request("POST", "/households/import/", **upload)
        assert status == 302
        assert snapshot()[:2] == imported[:2]  # the same file again: the same data
    finally:
        server.stop()
    names = Resident.objects.filter(household__village_id=VILLAGE_A).values_list("name", flat=True)
    assert {"陈大山", "周海", "吴三"} <= set(names)

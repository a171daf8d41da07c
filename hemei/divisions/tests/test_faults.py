"""kill -9 of ``hemei divisions import`` in the middle of a table import (issue 13, item 8).

The command is killed after writing the new divisions and before recording their changes,
inside the import's one transaction: the database holds nothing of the table. Run again,
it imports the table whole; a third run changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hemei.core.testing import ensure_divisions
from hemei.divisions.models import Division, DivisionChange, DivisionImport
from hemei.tests.faults import Child, needs_postgres

from .test_import import VILLAGES, write_table

pytestmark = [pytest.mark.postgres, needs_postgres, pytest.mark.django_db(transaction=True)]


def snapshot() -> tuple[int, int, int]:
    return Division.objects.count(), DivisionChange.objects.count(), DivisionImport.objects.count()


def test_an_import_killed_half_way_writes_nothing_and_runs_whole_again(tmp_path: Path) -> None:
    ensure_divisions()  # the 即墨区 subtree: not a first load
    table = str(write_table(tmp_path / "table", VILLAGES))
    before = snapshot()
    child = Child(tmp_path)

    child.run("divisions", "import", table, fault="divisions.import.rows")
    assert snapshot() == before
    assert not Division.objects.filter(code__startswith="99").exists()

    assert "8 added" in child.run("divisions", "import", table)
    imported = snapshot()
    assert (imported[0], imported[2]) == (before[0] + 8, before[2] + 1)  # one batch
    assert "0 added" in child.run("divisions", "import", table)
    assert snapshot()[:2] == imported[:2]

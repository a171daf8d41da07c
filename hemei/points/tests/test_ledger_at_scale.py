"""The ledger at speed: verify still names the first broken entry of a long chain, and the
append's plain UPDATE keeps every balance equal to its ledger sum."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from hemei.core.testing import VILLAGE_A, VILLAGE_B, Cast

from .. import ledger, verify_workers
from ..choices import LedgerKind
from ..cli import main as points_main
from ..models import Balance, ChainHead, LedgerEntry
from .conftest import Village

pytestmark = pytest.mark.django_db

TABLE = LedgerEntry._meta.db_table


def fill(village: Village, count: int) -> None:
    """``count`` rows in 红花山村, in appends of 1,000, spread over its three households."""
    homes = [village.vera_home.pk, village.wang.pk, village.li.pk]
    rows = [
        ledger.Row(
            household_id=homes[n % 3],
            kind=LedgerKind.AWARD,
            points=(n % 7) - 2,
            occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=n % 300),
            reason=f'A{n % 5} 门前三包，庭院整洁: 第{n}次 "检查"',
        )
        for n in range(count)
    ]
    for start in range(0, count, 1000):
        ledger.append(village_code=VILLAGE_A, rows=rows[start : start + 1000])


def tamper(sql: str, sequence: int) -> int:
    row = LedgerEntry.objects.get(village_id=VILLAGE_A, sequence=sequence)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {sql} WHERE id = %s", [row.pk])
    return row.pk


def test_verify_names_a_tampered_entry_in_the_middle_of_ten_thousand(
    cast: Cast, village: Village, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(village, 10_000)
    report = ledger.verify()
    assert report.ok and report.entries == 10_000 and report.balances == 3
    pk = tamper("reason = 'A1 门前三包，庭院整洁: 第4999次 \"检查\"!'", 5000)
    report = ledger.verify(VILLAGE_A)
    assert report.problems == [
        ledger.Problem(VILLAGE_A, 5000, pk, _("the entry was altered (its hash does not match)"))
    ]
    assert report.entries == 10_000  # the rows after the break are counted, not checked
    assert points_main(["verify"]) == 1
    out = capsys.readouterr().out
    assert f"BROKEN {VILLAGE_A} entry #5000 (ledger id {pk}): " in out
    assert out.count("BROKEN") == 1


def test_verify_names_an_entry_whose_points_or_date_changed(cast: Cast, village: Village) -> None:
    fill(village, 3000)
    pk = tamper("occurred_on = '2026-02-03'", 2999)  # it was 2026-10-26
    problems = ledger.verify().problems
    assert problems and problems[0].ledger_id == pk and len(problems) == 1


def test_verify_names_a_broken_chain_link(cast: Cast, village: Village) -> None:
    """A row whose link was rewritten, its own hash left alone, breaks the chain there."""
    fill(village, 4000)
    pk = tamper("previous_hash = '" + "f" * 64 + "'", 2500)
    report = ledger.verify()
    assert report.problems == [
        ledger.Problem(VILLAGE_A, 2500, pk, _("the link to the previous entry is broken"))
    ]


def test_verify_names_the_first_missing_number(cast: Cast, village: Village) -> None:
    fill(village, 2000)
    row = LedgerEntry.objects.get(village_id=VILLAGE_A, sequence=1200)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [row.pk])
    problems = ledger.verify().problems
    assert problems is not None and len(problems) == 1
    assert (problems[0].sequence, problems[0].message) == (
        1201,
        _("number %(expected)s is missing") % {"expected": 1200},
    )


def test_verify_names_a_text_where_a_number_belongs(cast: Cast, village: Village) -> None:
    """A value of the wrong type (SQLite keeps what it is given) is an altered entry, not a
    crash of the verifier."""
    fill(village, 50)
    pk = tamper("points = 'x'" if connection.vendor == "sqlite" else "reason = 'x'", 30)
    problems = ledger.verify().problems
    assert problems == [
        ledger.Problem(VILLAGE_A, 30, pk, _("the entry was altered (its hash does not match)"))
    ]


def test_append_moves_balances_with_the_rows(cast: Cast, village: Village) -> None:
    """Several appends, households repeated within one append, a redemption, two villages:
    every balance equals its ledger sum and remembers its last row."""
    fill(village, 2500)
    ledger.append(
        village_code=VILLAGE_B,
        rows=[
            ledger.Row(
                household_id=village.other.pk,
                kind=LedgerKind.AWARD,
                points=n,
                occurred_on=dt.date(2026, 6, 1),
                reason="奖励",
            )
            for n in range(1, 11)
        ],
    )
    before = Balance.objects.get(household=village.wang).points
    ledger.append(
        village_code=VILLAGE_A,
        rows=[
            ledger.Row(
                household_id=village.wang.pk,
                kind=LedgerKind.REDEMPTION,
                points=-before,
                occurred_on=dt.date(2026, 6, 2),
                reason="兑换",
            )
        ],
    )
    sums = dict(
        LedgerEntry.objects.values("household")
        .annotate(t=Sum("points"))
        .values_list("household", "t")
    )
    last = dict(
        LedgerEntry.objects.values("household")
        .annotate(s=Max("sequence"))
        .values_list("household", "s")
    )
    balances = {b.household_id: b for b in Balance.objects.all()}
    assert {pk: b.points for pk, b in balances.items()} == sums
    assert {pk: b.last_sequence for pk, b in balances.items()} == last
    assert balances[village.wang.pk].points == 0
    assert balances[village.other.pk].points == 55
    assert ChainHead.objects.get(village_id=VILLAGE_A).sequence == 2501
    assert ledger.verify().ok


def test_an_overdrawing_append_changes_nothing(cast: Cast, village: Village) -> None:
    fill(village, 30)
    balances = dict(Balance.objects.values_list("household", "points"))
    head = ChainHead.objects.values_list("sequence", "last_hash").get(village_id=VILLAGE_A)
    with pytest.raises(ledger.Overdrawn):
        ledger.append(
            village_code=VILLAGE_A,
            rows=[
                ledger.Row(
                    household_id=village.li.pk,
                    kind=LedgerKind.AWARD,
                    points=5,
                    occurred_on=dt.date(2026, 6, 2),
                    reason="奖励",
                ),
                ledger.Row(
                    household_id=village.li.pk,
                    kind=LedgerKind.REDEMPTION,
                    points=-(balances[village.li.pk] + 6),
                    occurred_on=dt.date(2026, 6, 2),
                    reason="兑换",
                ),
            ],
        )
    assert dict(Balance.objects.values_list("household", "points")) == balances
    assert ChainHead.objects.values_list("sequence", "last_hash").get(village_id=VILLAGE_A) == head
    assert LedgerEntry.objects.count() == 30
    assert ledger.verify().ok


def two_villages(village: Village) -> int:
    """3,000 rows in 红花山村 with #1700 altered, 500 good rows in 金口村."""
    fill(village, 3000)
    ledger.append(
        village_code=VILLAGE_B,
        rows=[
            ledger.Row(
                household_id=village.other.pk,
                kind=LedgerKind.AWARD,
                points=1,
                occurred_on=dt.date(2026, 6, 1),
                reason="奖励",
            )
            for _ in range(500)
        ],
    )
    return tamper("points = points + 1", 1700)


@pytest.mark.django_db(transaction=True)
def test_verify_with_helpers_reports_what_one_process_reports(
    cast: Cast, village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every village in a batch of its own, shared with a helper where the database allows
    it (PostgreSQL; on an in-memory SQLite database this process verifies alone)."""
    pk = two_villages(village)
    monkeypatch.setattr(ledger, "MIN_BATCH", 1)
    alone = ledger.verify(workers=1)
    assert alone.problems == [
        ledger.Problem(VILLAGE_A, 1700, pk, _("the entry was altered (its hash does not match)"))
    ]
    assert (alone.villages, alone.entries, alone.balances) == (2, 3500, 1)
    assert ledger.verify(workers=2) == alone
    assert ledger.verify(workers=None) == alone  # a small ledger: one process


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_spawned_helper_verifies_the_same_database(cast: Cast, village: Village) -> None:
    """The helper is a new Python (spawned, as on Windows) given this process's database
    settings, the test database included, and language."""
    if connection.vendor != "postgresql":
        pytest.skip("an in-memory SQLite test database is not seen by another process")
    two_villages(village)
    with ledger.helper_pool(1) as pool:
        parts = [
            pool.submit(verify_workers.verify_villages, [code]).result()
            for code in (VILLAGE_A, VILLAGE_B)
        ]
    assert parts == [ledger.verify_villages([VILLAGE_A]), ledger.verify_villages([VILLAGE_B])]
    assert parts[0].problems and parts[0].problems[0].sequence == 1700


@pytest.mark.django_db(transaction=True)
def test_verify_goes_on_alone_when_a_helper_cannot_start(
    cast: Cast, village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    pk = two_villages(village)
    monkeypatch.setattr(ledger, "MIN_BATCH", 1)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "hemei.no_such_settings")
    report = ledger.verify(workers=2)
    assert [(p.sequence, p.ledger_id) for p in report.problems or []] == [(1700, pk)]
    assert report.entries == 3500


def test_verify_refuses_fewer_than_one_worker(capsys: pytest.CaptureFixture[str]) -> None:
    from hemei import cli as hemei_cli

    assert hemei_cli.main(["points", "verify", "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err

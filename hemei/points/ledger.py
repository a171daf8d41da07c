"""The ledger: append rows to a village's hash chain, and verify the chains.

Rule for balances: :func:`append` is the only writer of :class:`LedgerEntry` and
:class:`Balance`. Inside one transaction it locks the village's chain head (SELECT … FOR
UPDATE; SQLite's IMMEDIATE transactions serialize writers the same way), then the balances
of the households concerned, writes the rows and moves the balances by the same amounts. The
ledger is the truth; :func:`verify` recomputes every hash and link and checks that every
balance equals its household's ledger sum.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from hemei.core import clock
from hemei.core.faults import fault_point

from .choices import LedgerKind
from .models import GENESIS, HASHED_FIELDS, Balance, ChainHead, LedgerEntry, row_hash

#: :data:`HASHED_FIELDS` as the keyword names of :func:`row_hash`.
HASHED_KEYS = tuple(name.removesuffix("_id") for name in HASHED_FIELDS)


@dataclass(frozen=True)
class Row:
    """What a caller appends; the ledger adds sequence, balance and hashes."""

    household_id: int
    kind: str
    points: int
    occurred_on: dt.date
    reason: str
    entry_id: int | None = None
    redemption_id: int | None = None


class Overdrawn(Exception):
    """A redemption would take the balance below zero."""


def lock_head(village_code: str) -> ChainHead:
    """The village's chain head, locked for the rest of the transaction."""
    ChainHead.objects.get_or_create(village_id=village_code)
    return ChainHead.objects.select_for_update().get(village_id=village_code)


def lock_balances(village_code: str, household_ids: Iterable[int]) -> dict[int, Balance]:
    ids = sorted(set(household_ids))
    existing = set(
        Balance.objects.filter(household_id__in=ids).values_list("household_id", flat=True)
    )
    missing = [
        Balance(household_id=pk, village_id=village_code) for pk in ids if pk not in existing
    ]
    if missing:
        Balance.objects.bulk_create(missing, ignore_conflicts=True)
    return {
        balance.household_id: balance
        for balance in Balance.objects.select_for_update().filter(household_id__in=ids)
    }


INSERT_COLUMNS = (
    "village_id",
    "sequence",
    "household_id",
    "kind",
    "points",
    "balance_after",
    "occurred_on",
    "recorded_at",
    "reason",
    "entry_id",
    "redemption_id",
    "previous_hash",
    "hash",
)


@transaction.atomic
def append(*, village_code: str, rows: Sequence[Row]) -> int:
    """Append ``rows`` to the village's chain, in order, and move the balances with them.

    Answers the sequence number of the last row. The rows are written with one
    ``executemany`` (no model instances): this is the path of every write, from one
    redemption to the benchmark's million rows."""
    if not rows:
        return lock_head(village_code).sequence
    head = lock_head(village_code)
    balances = lock_balances(village_code, (row.household_id for row in rows))
    recorded_at = clock.now()
    ops = connection.ops
    recorded_db = ops.adapt_datetimefield_value(recorded_at)
    values = []
    sequence, previous = head.sequence, head.last_hash
    for row in rows:
        balance = balances[row.household_id]
        balance.points += row.points
        if row.kind == LedgerKind.REDEMPTION and balance.points < 0:
            raise Overdrawn(_("The balance is too low."))
        sequence += 1
        reason = row.reason[:500]
        digest = row_hash(
            village=village_code,
            sequence=sequence,
            household=row.household_id,
            kind=row.kind,
            points=row.points,
            balance_after=balance.points,
            occurred_on=row.occurred_on,
            recorded_at=recorded_at,
            reason=reason,
            entry=row.entry_id,
            redemption=row.redemption_id,
            previous_hash=previous,
        )
        values.append(
            (
                village_code,
                sequence,
                row.household_id,
                row.kind,
                row.points,
                balance.points,
                ops.adapt_datefield_value(row.occurred_on),
                recorded_db,
                reason,
                row.entry_id,
                row.redemption_id,
                previous,
                digest,
            )
        )
        previous = digest
        balance.last_sequence = sequence
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in INSERT_COLUMNS)
    placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                values[start : start + 5000],
            )
    fault_point("points.ledger.append")  # rows written, balances and chain head not yet
    Balance.objects.bulk_update(balances.values(), ["points", "last_sequence"], batch_size=2000)
    head.sequence, head.last_hash = sequence, previous
    head.save(update_fields=["sequence", "last_hash"])
    return sequence


@dataclass(frozen=True)
class Problem:
    village_code: str
    sequence: int | None
    ledger_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.village_code}"
        if self.sequence is not None:
            where += f" entry #{self.sequence} (ledger id {self.ledger_id})"
        return f"{where}: {self.message}"


@dataclass
class Report:
    villages: int = 0
    entries: int = 0
    balances: int = 0
    problems: list[Problem] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(village_code: str | None = None) -> Report:
    """Walk each village's chain; report the first broken row of each, and bad balances."""
    report = Report(problems=[])
    heads = ChainHead.objects.all()
    if village_code:
        heads = heads.filter(village_id=village_code)
    villages = {head.village_id: head for head in heads}
    chained = LedgerEntry.objects.values_list("village_id", flat=True).distinct()
    if village_code:
        chained = chained.filter(village_id=village_code)
    for code in sorted(set(villages) | set(chained)):
        report.villages += 1
        _verify_village(code, villages.get(code), report)
    return report


def _verify_village(code: str, head: ChainHead | None, report: Report) -> None:
    assert report.problems is not None
    previous, expected = GENESIS, 1
    sums: dict[int, int] = defaultdict(int)
    broken = False
    rows = (
        LedgerEntry.objects.filter(village_id=code)
        .order_by("sequence")
        .values_list("pk", "hash", *HASHED_FIELDS)
        .iterator(chunk_size=5000)
    )
    for pk, digest, *fields in rows:
        report.entries += 1
        if broken:
            continue
        row = dict(zip(HASHED_KEYS, fields, strict=True))
        sequence, household = row["sequence"], row["household"]
        problem = None
        if sequence != expected:
            problem = _("number %(expected)s is missing") % {"expected": expected}
        elif row["previous_hash"] != previous:
            problem = _("the link to the previous entry is broken")
        elif row_hash(**row) != digest:
            problem = _("the entry was altered (its hash does not match)")
        else:
            sums[household] += row["points"]
            if sums[household] != row["balance_after"]:
                problem = _("the running balance does not match the entries before it")
        if problem:
            report.problems.append(Problem(code, sequence, pk, problem))
            broken = True
            continue
        previous, expected = digest, expected + 1
    if broken:
        return
    if head is None or head.sequence != expected - 1 or head.last_hash != previous:
        report.problems.append(
            Problem(code, None, None, _("the chain head does not match the last entry"))
        )
        return
    for balance in Balance.objects.filter(village_id=code).only("household_id", "points"):
        report.balances += 1
        if balance.points != sums.get(balance.household_id, 0):
            report.problems.append(
                Problem(
                    code,
                    None,
                    None,
                    _(
                        "the balance of household %(household)s is %(balance)s, the ledger says %(sum)s"
                    )
                    % {
                        "household": balance.household_id,
                        "balance": balance.points,
                        "sum": sums.get(balance.household_id, 0),
                    },
                )
            )
    missing = set(sums) - set(
        Balance.objects.filter(village_id=code).values_list("household_id", flat=True)
    )
    for household_id in sorted(missing):
        if sums[household_id]:
            report.problems.append(
                Problem(
                    code,
                    None,
                    None,
                    _("household %(household)s has no balance row") % {"household": household_id},
                )
            )

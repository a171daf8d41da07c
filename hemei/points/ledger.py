"""The ledger: append rows to a village's hash chain, and verify the chains.

Rule for balances: :func:`append` is the only writer of :class:`LedgerEntry` and
:class:`Balance`. Inside one transaction it locks the village's chain head (SELECT … FOR
UPDATE; SQLite's IMMEDIATE transactions serialize writers the same way), then the balances
of the households concerned, writes the rows and moves the balances by the same amounts. The
ledger is the truth; :func:`verify` recomputes every hash and link and checks that every
balance equals its household's ledger sum.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import multiprocessing
import os
import sys
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hemei.core import clock
from hemei.core.faults import fault_point

from . import verify_workers
from .choices import LedgerKind
from .models import GENESIS, HASHED_FIELDS, Balance, ChainHead, LedgerEntry, RowEncoder


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
    encoder = RowEncoder()
    canonical, sha256 = encoder.canonical, hashlib.sha256
    dates: dict[dt.date, Any] = {}
    values = []
    sequence, previous = head.sequence, head.last_hash
    for row in rows:
        balance = balances[row.household_id]
        balance.points += row.points
        if row.kind == LedgerKind.REDEMPTION and balance.points < 0:
            raise Overdrawn(_("The balance is too low."))
        sequence += 1
        reason = row.reason[:500]
        digest = sha256(
            canonical(
                village_code,
                sequence,
                row.household_id,
                row.kind,
                row.points,
                balance.points,
                row.occurred_on,
                recorded_at,
                reason,
                row.entry_id,
                row.redemption_id,
                previous,
            )
        ).hexdigest()
        occurred_db = dates.get(row.occurred_on)
        if occurred_db is None:
            occurred_db = dates[row.occurred_on] = ops.adapt_datefield_value(row.occurred_on)
        values.append(
            (
                village_code,
                sequence,
                row.household_id,
                row.kind,
                row.points,
                balance.points,
                occurred_db,
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
    table = ops.quote_name(LedgerEntry._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in INSERT_COLUMNS)
    placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
    # One plain UPDATE per balance, sent with executemany: Django's bulk_update builds a
    # CASE … WHEN per column, which took most of an append's time.
    balance_update = "UPDATE {} SET {} = %s, {} = %s WHERE {} = %s".format(
        *map(ops.quote_name, (Balance._meta.db_table, "points", "last_sequence", "household_id"))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                values[start : start + 5000],
            )
        fault_point("points.ledger.append")  # rows written, balances and chain head not yet
        cursor.executemany(
            balance_update,
            [
                (balance.points, balance.last_sequence, household_id)
                for household_id, balance in sorted(balances.items())
            ],
        )
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


#: rows fetched from the database at a time while verifying
CHUNK = 10_000


#: below this many entries one process verifies alone: starting a helper (a new Python
#: that sets up Django) costs about a second
PARALLEL_FROM = 250_000
#: the least entries in one batch of villages handed to a process
MIN_BATCH = 5_000
#: villages read in one snapshot: their heads and balances with one query each
GROUP = 500


def verify(village_code: str | None = None, *, workers: int | None = 1) -> Report:
    """Walk each village's chain; report the first broken row of each, and bad balances.

    Each village is read in one snapshot (its head, chain and balances agree even while
    appends go on), with a plain cursor in chunks (a server-side cursor on PostgreSQL) and
    hashed with :class:`RowEncoder`, the fast form of :func:`canonical_row`.

    ``workers`` processes share the villages (1, the default: this process alone; ``None``:
    one per core once the ledger holds :data:`PARALLEL_FROM` entries). Helpers are spawned,
    never forked (so a script calling this with more than one worker needs the ``if
    __name__ == "__main__"`` guard, as everywhere on Windows), and only where they open the
    same database and see the same rows: not inside a transaction, not on an in-memory
    SQLite database."""
    heads = ChainHead.objects.values_list("village_id", "sequence")
    # order_by(): the model's ordering would make DISTINCT run over every (village, number)
    chained = LedgerEntry.objects.order_by().values_list("village_id", flat=True).distinct()
    if village_code:
        heads, chained = (
            heads.filter(village_id=village_code),
            chained.filter(village_id=village_code),
        )
    sizes = dict(heads)
    codes = sorted(set(sizes) | set(chained))
    total = sum(sizes.values())
    if workers is None:
        workers = (os.cpu_count() or 1) if total >= PARALLEL_FROM else 1
    if workers > 1 and len(codes) > 1 and _shareable():
        batch = max(total // (workers * 8), MIN_BATCH)
        return _verify_in_parallel(_batches(codes, sizes, batch), workers)
    return verify_villages(codes)


def verify_villages(codes: Sequence[str]) -> Report:
    """:func:`verify` of these villages, in this process."""
    report = Report(problems=[])
    reader = _ChainReader()
    for start in range(0, len(codes), GROUP):
        group = codes[start : start + GROUP]
        with _snapshot():
            heads = {
                code: (sequence, last_hash)
                for code, sequence, last_hash in ChainHead.objects.filter(
                    village_id__in=group
                ).values_list("village_id", "sequence", "last_hash")
            }
            balances: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for code, household_id, points in (
                Balance.objects.filter(village_id__in=group)
                .order_by("village_id", "household_id")
                .values_list("village_id", "household_id", "points")
            ):
                balances[code].append((household_id, points))
            for code in group:
                report.villages += 1
                _verify_village(code, heads.get(code), balances.get(code, []), reader, report)
    return report


def _shareable() -> bool:
    """Whether another process opening this connection's settings sees the same rows."""
    if connection.in_atomic_block:
        return False
    if connection.vendor == "sqlite":
        return not connection.is_in_memory_db()
    return connection.vendor == "postgresql"


def _batches(codes: list[str], sizes: dict[str, int], size: int) -> list[list[str]]:
    """Consecutive villages in groups of about ``size`` entries."""
    batches: list[list[str]] = [[]]
    entries = 0
    for code in codes:
        if entries >= size:
            batches.append([])
            entries = 0
        batches[-1].append(code)
        entries += sizes.get(code, 1)
    return batches


#: Windows waits on at most 63 handles at once, so a process pool there has at most 61.
WINDOWS_MAX_HELPERS = 61


def helper_pool(helpers: int) -> ProcessPoolExecutor:
    """Spawned processes set up on this process's settings, database (a test database
    too) and language, ready for :mod:`.verify_workers`."""
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE
    return ProcessPoolExecutor(
        helpers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=verify_workers.start,
        initargs=(settings_module, dict(connection.settings_dict), get_language()),
    )


def _verify_in_parallel(batches: list[list[str]], workers: int) -> Report:
    """This process takes batches from the front, ``workers - 1`` spawned helpers from the
    back once they are up (a helper that is still starting holds no work back). Should the
    helpers fail to start or die, this process verifies their batches itself."""
    results: dict[int, Report] = {}
    queue = deque(enumerate(batches))
    helpers = workers - 1
    if sys.platform == "win32":
        helpers = min(helpers, WINDOWS_MAX_HELPERS)
    with helper_pool(helpers) as pool:
        ready = [pool.submit(verify_workers.ready) for _ in range(helpers)]
        pending: dict[Future[Report], tuple[int, list[str]]] = {}
        broken = False
        while queue or pending:
            up = 0 if broken else sum(f.done() and not f.exception() for f in ready)
            while queue and len(pending) < 2 * up and not broken:
                index, codes = queue.pop()
                try:
                    pending[pool.submit(verify_workers.verify_villages, codes)] = (index, codes)
                except BrokenProcessPool:
                    broken = True
                    queue.append((index, codes))
            if queue:
                index, codes = queue.popleft()
                results[index] = verify_villages(codes)
            elif pending:
                wait(pending, return_when=FIRST_COMPLETED)
            for future in [future for future in pending if future.done()]:
                index, codes = pending.pop(future)
                try:
                    results[index] = future.result()
                except BrokenProcessPool:
                    broken = True
                    queue.append((index, codes))
    report = Report(problems=[])
    for index in sorted(results):
        part = results[index]
        report.villages += part.villages
        report.entries += part.entries
        report.balances += part.balances
        report.problems.extend(part.problems or [])  # type: ignore[union-attr]
    return report


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the database for the reads inside (unless the caller's
    transaction already gives one): REPEATABLE READ on PostgreSQL; on SQLite a deferred
    transaction, a WAL snapshot that does not take the write lock ``atomic()`` takes."""
    if connection.in_atomic_block or connection.vendor not in ("postgresql", "sqlite"):
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            cursor.execute("COMMIT")


class _ChainReader:
    """Reads a village's chain as plain tuples: :data:`HASHED_FIELDS`, then id and hash."""

    def __init__(self) -> None:
        ops, meta = connection.ops, LedgerEntry._meta
        columns = []
        for name in (*HASHED_FIELDS, "id", "hash"):
            column = ops.quote_name(meta.get_field(name).column)
            if connection.vendor == "sqlite" and name in ("occurred_on", "recorded_at"):
                # as stored: the driver would parse every row's date and time; the encoder
                # converts each distinct value once
                column = f"CAST({column} AS TEXT)"
            columns.append(column)
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {ops.quote_name(meta.db_table)}"
            f" WHERE {ops.quote_name('village_id')} = %s ORDER BY {ops.quote_name('sequence')}"
        )
        self.encoder = RowEncoder(_converter("occurred_on"), _converter("recorded_at"))

    def chunks(self, code: str) -> Iterator[list[tuple[Any, ...]]]:
        with connection.chunked_cursor() as cursor:
            cursor.execute(self.sql, [code])
            while chunk := cursor.fetchmany(CHUNK):
                yield chunk


def _converter(name: str) -> Callable[[Any], Any]:
    """A raw database value of the ledger's field ``name`` as the ORM gives it."""
    field = LedgerEntry._meta.get_field(name)
    column = field.get_col(LedgerEntry._meta.db_table)  # type: ignore[attr-defined]
    steps = connection.ops.get_db_converters(column) + field.get_db_converters(connection)

    def convert(value: Any) -> Any:
        for step in steps:
            value = step(value, column, connection)
        return value

    return convert


def _verify_village(
    code: str,
    head: tuple[int, str] | None,
    balances: list[tuple[int, int]],
    reader: _ChainReader,
    report: Report,
) -> None:
    """Check one chain against its head (sequence, last hash) and its balances (household,
    points in household order)."""
    assert report.problems is not None
    previous, expected = GENESIS, 1
    sums: dict[int, int] = defaultdict(int)
    problem = None
    for chunk in reader.chunks(code):
        report.entries += len(chunk)
        if problem:
            continue  # counted, not checked: the chain broke before
        # columns: HASHED_FIELDS (village 0, sequence 1, household 2, points 4,
        # balance_after 5, previous_hash 11), then id 12 and hash 13
        for row, digest in zip(chunk, reader.encoder.digests(chunk), strict=True):
            sequence = row[1]
            if sequence != expected:
                problem = _("number %(expected)s is missing") % {"expected": expected}
            elif row[11] != previous:
                problem = _("the link to the previous entry is broken")
            elif digest != row[13] or digest is None:
                problem = _("the entry was altered (its hash does not match)")
            else:
                household = row[2]
                total = sums[household] = sums[household] + row[4]
                if total != row[5]:
                    problem = _("the running balance does not match the entries before it")
            if problem:
                report.problems.append(Problem(code, sequence, row[12], problem))
                break
            previous, expected = digest, expected + 1
    if problem:
        return
    if head is None or head != (expected - 1, previous):
        report.problems.append(
            Problem(code, None, None, _("the chain head does not match the last entry"))
        )
        return
    for household_id, points in balances:
        report.balances += 1
        if points != sums.get(household_id, 0):
            report.problems.append(
                Problem(
                    code,
                    None,
                    None,
                    _(
                        "the balance of household %(household)s is %(balance)s, the ledger says %(sum)s"
                    )
                    % {
                        "household": household_id,
                        "balance": points,
                        "sum": sums.get(household_id, 0),
                    },
                )
            )
    missing = set(sums) - {household_id for household_id, _points in balances}
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

"""Governance points at county scale: append 1,000,000 ledger rows, verify every chain, rank.

In a child process on a throwaway database (a new SQLite file; or the empty PostgreSQL
database named by ``HEMEI_BENCH_DATABASE_URL``): import 即墨区's divisions, register
households across its villages, then append the rows through :func:`hemei.points.ledger.append`
(the same code path as the platform: chain head lock, hashes, balances), one call per village
per chunk (rows per second, and per CPU second). Then ``verify`` walks all chains and balances
as ``hemei points verify`` does (one process per core for a large ledger), and again in one
process; their CPU seconds count the helper processes too. The household ranking of one
village and the village ranking of one town are timed, and an entry altered in the middle of
one chain must be named. The load average stands beside each verify: on a shared machine the
wall-clock figures move with it, the rows per CPU second much less.

Knobs: ``HEMEI_BENCH_POINTS_ROWS`` (1,000,000), ``HEMEI_BENCH_POINTS_VILLAGES`` (200),
``HEMEI_BENCH_POINTS_HOUSEHOLDS`` (per village, 150).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTY = "370215"

CHILD = "from benchmarks.points import child; child()"


def child() -> None:
    import datetime as dt
    import random
    import resource
    import time

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from hemei.divisions.models import Division, subtree_q
    from hemei.divisions.services import import_builtin
    from hemei.households.models import Household
    from hemei.points import ledger, selectors
    from hemei.points.choices import LedgerKind

    rows_total = int(os.environ.get("HEMEI_BENCH_POINTS_ROWS", "1000000"))
    village_count = int(os.environ.get("HEMEI_BENCH_POINTS_VILLAGES", "200"))
    per_village = int(os.environ.get("HEMEI_BENCH_POINTS_HOUSEHOLDS", "150"))
    figures: dict[str, object] = {"database": connection.vendor}

    started = time.perf_counter()
    import_builtin(under=COUNTY)
    villages = list(
        Division.objects.within(COUNTY).filter(level=5).order_by("code")[:village_count]
    )
    with transaction.atomic():
        Household.objects.bulk_create(
            (
                Household(village=village, number=f"{number:04d}")
                for village in villages
                for number in range(1, per_village + 1)
            ),
            batch_size=5000,
        )
    households: dict[str, list[int]] = {}
    for pk, code in Household.objects.values_list("pk", "village_id").order_by("pk"):
        households.setdefault(code, []).append(pk)
    figures["setup_s"] = round(time.perf_counter() - started, 2)
    figures["villages"] = len(villages)
    figures["households"] = sum(len(pks) for pks in households.values())

    chooser = random.Random(1)
    reasons = ["A1 门前三包，庭院整洁: 入户检查", "D1 参加村民会议: 参加村民代表会议",
               "C1 焚烧秸秆: 田间焚烧秸秆", "F1 孝老爱亲: 悉心照料老人"]  # fmt: skip
    points = [5, 2, -10, 10]
    per = rows_total // len(villages)
    chunk = 5000
    appended = 0
    started, cpu = time.perf_counter(), time.process_time()
    for index, village in enumerate(villages):
        count = per + (1 if index < rows_total - per * len(villages) else 0)
        pks = households[village.code]
        while count > 0:
            size = min(chunk, count)
            batch = []
            for _ in range(size):
                kind = chooser.randrange(4)
                batch.append(
                    ledger.Row(
                        household_id=pks[chooser.randrange(len(pks))],
                        kind=LedgerKind.AWARD,
                        points=points[kind],
                        occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=chooser.randrange(320)),
                        reason=reasons[kind],
                    )
                )
            ledger.append(village_code=village.code, rows=batch)
            appended += size
            count -= size
    append_s = time.perf_counter() - started
    figures["append_cpu_s"] = round(time.process_time() - cpu, 1)
    figures["rows"] = appended
    figures["append_s"] = round(append_s, 1)
    figures["append_rows_per_s"] = round(appended / append_s)

    figures["append_rows_per_cpu_s"] = round(appended / figures["append_cpu_s"])  # type: ignore[operator]

    # verify as `hemei points verify` does (one process per core for a large ledger), then
    # in this process alone; the CPU time counts the helpers' (reaped children) too
    for name, workers in (("verify", None), ("verify_one_process", 1)):
        load = os.getloadavg()[0]
        started = time.perf_counter()
        cpu = time.process_time() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        report = ledger.verify(workers=workers)
        seconds = time.perf_counter() - started
        cpu = time.process_time() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - cpu
        figures[f"{name}_ok"] = report.ok
        figures[f"{name}_entries"] = report.entries
        figures[f"{name}_s"] = round(seconds, 2)
        figures[f"{name}_rows_per_s"] = round(report.entries / seconds)
        figures[f"{name}_cpu_s"] = round(cpu, 2)
        figures[f"{name}_rows_per_cpu_s"] = round(report.entries / cpu)
        figures[f"{name}_load_average_1min"] = round(load, 2)

    village = villages[0]
    started = time.perf_counter()
    ranking = selectors.household_ranking(village.code, 2026)
    figures["household_ranking_ms"] = round((time.perf_counter() - started) * 1000, 1)
    figures["household_ranking_rows"] = len(ranking)
    town = village.code[:9]
    started = time.perf_counter()
    towns = selectors.village_ranking(town, 2026)
    figures["village_ranking_ms"] = round((time.perf_counter() - started) * 1000, 1)
    figures["village_ranking_villages"] = len(towns)
    figures["ledger_rows_in_town"] = ledger.LedgerEntry.objects.filter(
        subtree_q([town], "village")
    ).count()
    # an entry altered in the middle of a chain is named
    middle = ledger.LedgerEntry.objects.get(village_id=village.code, sequence=per // 2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ledger.LedgerEntry._meta.db_table} SET points = points + 1 WHERE id = %s",
            [middle.pk],
        )
    problems = ledger.verify(village.code).problems or []
    figures["tampered_entry_named"] = [(p.sequence, p.ledger_id) for p in problems] == [
        (middle.sequence, middle.pk)
    ]
    figures["load_average_1min"] = os.getloadavg()[0]
    figures["cores"] = os.cpu_count()
    figures["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures))


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as temp:
        env = {
            **os.environ,
            "HEMEI_DATA_DIR": temp,
            "DJANGO_SETTINGS_MODULE": "hemei.settings",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("HEMEI_DATABASE_URL", None)
        if os.environ.get("HEMEI_BENCH_DATABASE_URL"):
            env["HEMEI_DATABASE_URL"] = os.environ["HEMEI_BENCH_DATABASE_URL"]
        done = subprocess.run(
            [sys.executable, "-c", CHILD], capture_output=True, encoding="utf-8", cwd=ROOT, env=env
        )
    if done.returncode != 0:
        raise SystemExit(f"the points benchmark failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])

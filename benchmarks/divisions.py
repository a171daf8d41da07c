"""The national division import on SQLite, beside SQLite's own shell importing the same CSVs.

Both start from nothing: the shell `.import`s the five decompressed CSVs into plain tables
of a new database; Hemei imports the packaged (gzipped) table into a new, migrated database
through its service, in a child process whose peak memory is read back. Each side runs
`ROUNDS` times, alternating, and the best time of each is compared.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("HEMEI_BENCH_ROUNDS", "3"))
STEMS = ["provinces", "cities", "areas", "streets", "villages"]

CHILD = """
import json, os, resource, sys, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from hemei.divisions.services import import_builtin
started = time.perf_counter()
batch = import_builtin()
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rows": batch.added,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _shell_import(csv_dir: Path, work: Path) -> float:
    database = work / "shell.sqlite3"
    database.unlink(missing_ok=True)
    commands = [".mode csv"] + [f".import {csv_dir / (stem + '.csv')} {stem}" for stem in STEMS]
    started = time.perf_counter()
    subprocess.run(["sqlite3", str(database), *commands], check=True)
    return time.perf_counter() - started


def _hemei_import(work: Path) -> dict[str, float]:
    data_dir = work / "hemei"
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {
        **os.environ,
        "HEMEI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "hemei.settings",
    }
    env.pop("HEMEI_DATABASE_URL", None)
    output = subprocess.run(
        [sys.executable, "-c", CHILD],
        check=True,
        capture_output=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run() -> dict[str, object]:
    if shutil.which("sqlite3") is None:
        raise SystemExit("the sqlite3 shell is needed (apt-get install sqlite3)")
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        csv_dir = work / "csv"
        csv_dir.mkdir()
        for stem in STEMS:
            data = gzip.decompress((ROOT / f"hemei/divisions/data/{stem}.csv.gz").read_bytes())
            (csv_dir / f"{stem}.csv").write_bytes(data)
        shell_times, hemei_runs = [], []
        for _ in range(ROUNDS):
            shell_times.append(_shell_import(csv_dir, work))
            hemei_runs.append(_hemei_import(work))
    best = min(hemei_runs, key=lambda figures: figures["seconds"])
    return {
        "rows": best["rows"],
        "sqlite3_shell_import_s": round(min(shell_times), 3),
        "hemei_import_s": round(best["seconds"], 3),
        "ratio": round(best["seconds"] / min(shell_times), 3),
        "hemei_peak_memory_mb": round(max(run["peak_mb"] for run in hemei_runs), 1),
        "rounds": ROUNDS,
        "all_shell_s": [round(value, 3) for value in shell_times],
        "all_hemei_s": [round(run["seconds"], 3) for run in hemei_runs],
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))

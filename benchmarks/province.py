"""The synthetic province of the ranking benchmark, kept in a PostgreSQL database between runs.

Building 200,000 tasks takes minutes, so the page and load benchmarks reuse one database
(``HEMEI_BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/hemei_province``):
it is created, migrated and filled once; later runs only migrate it (new indexes) and find
the province already there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The county of the benchmark's county administrator (``bench-county``).
FIRST_COUNTY = "990101"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hemei_province"


def database_url() -> str:
    return os.environ.get("HEMEI_BENCH_DATABASE_URL") or DEFAULT_URL


def child_env(data_dir: str, url: str | None = None) -> dict[str, str]:
    """The environment of a Django process on the province database."""
    env = {
        **os.environ,
        "HEMEI_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "hemei.settings",
        "HEMEI_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "HEMEI_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "HEMEI_DATABASE_URL": url or database_url(),
        "PYTHONPATH": str(ROOT),
    }
    return env


def create_database(url: str) -> None:
    """Create the database named by ``url`` if it does not exist (PostgreSQL only)."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')


def run() -> dict[str, object]:
    """As a benchmark of its own: build (or find) the province and say how long it took."""
    import time

    started = time.perf_counter()
    ensure()
    return {"database": database_url(), "ready_seconds": round(time.perf_counter() - started, 1)}


def ensure(url: str | None = None) -> None:
    """Create, migrate and (the first time) fill the province database."""
    url = url or database_url()
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the province database must be PostgreSQL (HEMEI_BENCH_DATABASE_URL)")
    create_database(url)
    with tempfile.TemporaryDirectory() as temp:
        done = subprocess.run(
            [sys.executable, "-c", "from benchmarks.province import child; child()"],
            cwd=ROOT,
            env=child_env(temp, url),
            capture_output=True,
            encoding="utf-8",
        )
    if done.returncode != 0:
        raise SystemExit(f"building the province failed:\n{done.stderr[-4000:]}")
    if done.stdout.strip():
        print(done.stdout.strip(), file=sys.stderr)


def child() -> None:
    import time

    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks import ranking
    from hemei.divisions.models import Division

    call_command("migrate", verbosity=0)
    if not Division.objects.filter(code="99").exists():
        started = time.perf_counter()
        counts = ranking._build()
        print(f"built the province in {time.perf_counter() - started:.0f} s: {counts}")
    _rank_first_county()


def _rank_first_county() -> None:
    """This month's and last month's town ranking of the first county (the ranking page's)."""
    from hemei.core import clock
    from hemei.divisions.models import Division
    from hemei.rankings.models import RankingRun
    from hemei.rankings.periods import period_bounds, previous_start
    from hemei.rankings.services import compute_ranking

    county = Division.objects.get(code=FIRST_COUNTY)
    this_month = period_bounds("month", clock.today())[0]
    for start in (previous_start("month", this_month), this_month):
        if not RankingRun.objects.filter(scope=county, period_start=start).exists():
            compute_ranking(
                county_or_town=county, period_kind="month", period_start=start, actor=None
            )


if __name__ == "__main__":
    ensure()

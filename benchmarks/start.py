"""A light start: seconds from `hemei demo --reset` to the first page, and a county's import.

The demo is started as a user starts it, and its printed URL is polled until it answers
200; the process is then stopped (SIGTERM, by its id) and the time to that first page is
kept. First in a new, empty data directory, then `ROUNDS` times with --reset in that
directory; min and median are reported with the machine's load average, since these
machines are shared.

A second figure is the peak memory of importing one county (the demo's) from the packaged
national table into a fresh database, in a child process: it must not read the whole
national table into memory.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("HEMEI_BENCH_ROUNDS", "3"))
TIMEOUT = 120.0

COUNTY_CHILD = """
import json, resource, time, tracemalloc
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from hemei.divisions.services import import_builtin
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
tracemalloc.start()
started = time.perf_counter()
batch = import_builtin(under="370215")
seconds = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1] / 2**20
tracemalloc.stop()
print(json.dumps({"rows": batch.added, "seconds": round(seconds, 3),
                  "python_peak_mb": round(peak, 1), "rss_before_mb": round(base, 1),
                  "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "HEMEI_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    env.pop("HEMEI_DATABASE_URL", None)
    return env


def first_page_seconds(data_dir: Path) -> float:
    """Start the demo from nothing, poll its printed URL; seconds to the first 200."""
    port = _free_port()
    log = data_dir.parent / f"demo-{port}.log"
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "hemei", "demo", "--reset", "--port", str(port)],
            cwd=ROOT,
            env=_env(data_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = None
            while time.perf_counter() - started < TIMEOUT:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"the demo exited: {log.read_text(encoding='utf-8')[-2000:]}"
                    )
                if url is None:
                    found = re.search(r"running at (http://\S+)", log.read_text(encoding="utf-8"))
                    url = found.group(1) if found else None
                if url is not None:
                    try:
                        with urllib.request.urlopen(url, timeout=5) as response:
                            if response.status == 200:
                                return time.perf_counter() - started
                    except (urllib.error.URLError, ConnectionError, TimeoutError):
                        pass
                time.sleep(0.02)
            raise RuntimeError(
                f"no page within {TIMEOUT} s: {log.read_text(encoding='utf-8')[-2000:]}"
            )
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def county_import(work: Path) -> dict[str, float]:
    env = {**_env(work / "county"), "DJANGO_SETTINGS_MODULE": "hemei.settings"}
    output = subprocess.run(
        [sys.executable, "-c", COUNTY_CHILD],
        check=True,
        capture_output=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _load() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def run() -> dict[str, object]:
    """The first start in a new data directory (it migrates from nothing and keeps the
    migrated schema), then `ROUNDS` restarts with --reset in it (they copy that schema)."""
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        load_before = _load()
        first = first_page_seconds(work / "demo")
        resets = [first_page_seconds(work / "demo") for _ in range(ROUNDS)]
        county = county_import(work)
        load_after = _load()
    return {
        "load_average_before_after": [load_before, load_after],
        "new_data_dir_first_page_s": round(first, 2),
        "reset_first_page_s": [round(value, 2) for value in resets],
        "reset_first_page_min_s": round(min(resets), 2),
        "reset_first_page_median_s": round(statistics.median(resets), 2),
        "county_import": county,
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))

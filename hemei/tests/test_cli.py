"""The `hemei` command: demo loading, division import and clear errors with exit code 2."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = [sys.executable, "-m", "hemei", "demo"]


def hemei(
    *args: str, data_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    environment.pop("HEMEI_DATABASE_URL", None)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "hemei", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        encoding="utf-8",
        cwd=ROOT,
        env=environment,
        timeout=300,
    )


def test_it_loads_the_demo_once_and_prints_the_accounts(tmp_path: Path) -> None:
    first = hemei("demo", "--no-serve", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Loaded the demo county" in first.stdout
    assert "tianheng" in first.stdout and "hemei-demo" in first.stdout
    again = hemei("demo", "--no-serve", data_dir=tmp_path)
    assert "Reusing the demo data" in again.stdout
    reset = hemei("demo", "--no-serve", "--reset", data_dir=tmp_path)
    assert "Loaded the demo county" in reset.stdout


def test_it_reports_a_bad_division_file_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "villages.csv"
    bad.write_text("id,title\n1,2\n", encoding="utf-8")
    result = hemei("divisions", "import", str(bad), data_dir=tmp_path)
    assert result.returncode == 2
    assert "nothing imported" in result.stderr and "line 1: unknown columns" in result.stderr
    assert "Traceback" not in result.stderr
    missing = hemei("divisions", "import", str(tmp_path / "nope"), data_dir=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_it_refuses_a_weak_admin_password(tmp_path: Path) -> None:
    result = hemei("createadmin", "--password", "123", data_dir=tmp_path)
    assert result.returncode == 2 and "password refused" in result.stderr
    ok = hemei("createadmin", "--password", "A-strong-pass-2026", data_dir=tmp_path)
    assert ok.returncode == 0, ok.stderr


def test_it_explains_a_bad_setting(tmp_path: Path) -> None:
    result = hemei("migrate", data_dir=tmp_path, env={"HEMEI_DEBUG": "perhaps"})
    assert result.returncode == 2 and "HEMEI_DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize(
    "args", [["divisions", "import"], ["divisions", "import", "x", "--builtin"]]
)
def test_it_wants_a_path_or_builtin(tmp_path: Path, args: list[str]) -> None:
    result = hemei(*args, data_dir=tmp_path)
    assert result.returncode == 2 and "either a PATH or --builtin" in result.stderr


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process from /proc, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def _running(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def _worker_of(pid: int) -> int | None:
    """The `hemei worker` child process of ``pid``."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is None or stat[1] != pid:
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except (FileNotFoundError, ProcessLookupError):
            continue
        if b"worker" in command:
            return int(entry.name)
    return None


def _poll(check: Callable[[], Any], deadline: float, what: str) -> Any:
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


@pytest.mark.skipif(sys.platform != "linux", reason="reads processes from /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_the_demo_stops_its_worker(tmp_path: Path, signum: int) -> None:
    port = _free_port()
    environment = {**os.environ}
    environment.pop("HEMEI_DATABASE_URL", None)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    log = (tmp_path / "demo.log").open("w", encoding="utf-8")
    demo = subprocess.Popen(
        [*DEMO, "--port", str(port), "--data-dir", str(tmp_path / "data")],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env=environment,
    )
    worker = None
    try:

        def serving() -> bool:
            assert demo.poll() is None, (tmp_path / "demo.log").read_text(encoding="utf-8")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5):
                    return True
            except OSError:
                return False

        _poll(serving, time.monotonic() + 300, "the demo to serve")
        worker = _poll(lambda: _worker_of(demo.pid), time.monotonic() + 60, "the worker")
        assert _running(worker)

        demo.send_signal(signum)
        assert demo.wait(timeout=60) == 0, (tmp_path / "demo.log").read_text(encoding="utf-8")
        _poll(lambda: not _running(worker), time.monotonic() + 60, "the worker to stop")
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        if worker is not None and _running(worker):
            os.kill(worker, signal.SIGKILL)
        log.close()


def test_importing_a_province_brings_its_sourced_homestead_limits(tmp_path: Path) -> None:
    result = hemei("divisions", "import", "--builtin", "--under", "45", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Added 3 sourced provincial homestead area limits" in result.stdout
    again = hemei("divisions", "import", "--builtin", "--under", "45", data_dir=tmp_path)
    assert again.returncode == 0 and "homestead area limits" not in again.stdout

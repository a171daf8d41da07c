"""The fault-point helper the kill -9 tests stand on (``hemei/core/faults.py``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
#: Passes the point twice, then says it got past both.
SCRIPT = (
    "from hemei.core.faults import fault_point\n"
    "fault_point('a'); print('after 1', flush=True)\n"
    "fault_point('a'); print('after 2', flush=True)\n"
)


def run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HEMEI_FAULT")}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, "PYTHONPATH": str(ROOT), "HEMEI_FAULT_MARKER": str(tmp_path / "m"), **env},
        capture_output=True,
        encoding="utf-8",
        timeout=60,
    )


def test_unset_it_does_nothing(tmp_path: Path) -> None:
    done = run(tmp_path)
    assert done.returncode == 0 and done.stdout == "after 1\nafter 2\n"
    assert not (tmp_path / "m").exists()
    assert run(tmp_path, HEMEI_FAULT_POINT="b").stdout == "after 1\nafter 2\n"  # another point


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no signals on Windows")
def test_at_its_point_the_process_kills_itself_with_sigkill(tmp_path: Path) -> None:
    done = run(tmp_path, HEMEI_FAULT_POINT="a")
    assert done.returncode == -signal.SIGKILL and done.stdout == ""
    name, pid = (tmp_path / "m").read_text(encoding="utf-8").split()
    assert name == "a" and pid.isdigit()
    (tmp_path / "m").unlink()
    later = run(tmp_path, HEMEI_FAULT_POINT="a", HEMEI_FAULT_SKIP="1")
    assert later.returncode == -signal.SIGKILL and later.stdout == "after 1\n"
    assert (tmp_path / "m").read_text(encoding="utf-8").startswith("a ")

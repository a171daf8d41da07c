"""The `hemei` command: demo loading, division import and clear errors with exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def hemei(
    *args: str, data_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    environment.pop("HEMEI_DATABASE_URL", None)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "hemei", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
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

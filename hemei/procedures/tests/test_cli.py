"""``hemei workdays``: the platform's clock on the command line, errors as exit code 2."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def hemei(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HEMEI_DATA_DIR": str(data_dir)}
    environment.pop("HEMEI_DATABASE_URL", None)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "hemei", *args],
        capture_output=True,
        encoding="utf-8",
        cwd=ROOT,
        env=environment,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        (["add", "2024-02-08", "2"], "2024-02-18"),  # a working Sunday after the holidays
        (["add", "2025-01-24", "1"], "2025-01-26"),
        (["add", "2024-10-08", "-3"], "2024-09-27"),
        (["between", "2024-02-08", "2024-02-19"], "3"),
        (["between", "2024-02-19", "2024-02-08"], "-3"),
    ],
)
def test_it_prints_the_date_or_the_count(args: list[str], printed: str, tmp_path: Path) -> None:
    result = hemei("workdays", *args, "--data-dir", str(tmp_path), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == printed + "\n"
    assert not (tmp_path / "hemei.sqlite3").exists()  # no database is made for a sum


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["add", "2024-13-01", "1"], "not a date: '2024-13-01'"),
        (["add", "2024-02-08", "two"], "invalid int value"),
        (["between", "2024-02-08"], "required: B"),
        (["add", "2026-12-28", "5"], "no official working-day schedule is known for 2027"),
        (["between", "2003-12-01", "2004-01-10"], "known years: 2004–2026"),
    ],
)
def test_bad_input_is_one_message_and_exit_code_2(
    args: list[str], said: str, tmp_path: Path
) -> None:
    result = hemei("workdays", *args, data_dir=tmp_path)
    assert result.returncode == 2
    assert said in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_it_uses_the_years_added_on_the_platform(tmp_path: Path) -> None:
    assert hemei("migrate", "--data-dir", str(tmp_path), data_dir=tmp_path).returncode == 0
    before = hemei("workdays", "add", "2026-12-31", "1", data_dir=tmp_path)
    assert before.returncode == 2 and "2027" in before.stderr
    with sqlite3.connect(tmp_path / "hemei.sqlite3") as db:
        db.execute(
            "INSERT INTO procedures_workdayyear"
            " (year, holidays, workdays, source, supersedes, created_at)"
            " VALUES (2027, ?, ?, '国办发明电〔2026〕1号', 0, '2026-11-20 10:00:00')",
            (json.dumps(["2027-01-01"]), json.dumps(["2027-01-09"])),
        )
    # Thu 2026-12-31 → Fri 1 January is a holiday → Mon 2027-01-04
    after = hemei("workdays", "add", "2026-12-31", "1", data_dir=tmp_path)
    assert (after.returncode, after.stdout) == (0, "2027-01-04\n"), after.stderr
    saturday = hemei("workdays", "between", "2027-01-08", "2027-01-11", data_dir=tmp_path)
    assert saturday.stdout == "2\n"  # the worked Saturday 9th and Monday 11th

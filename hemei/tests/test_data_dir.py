"""A test run keeps to a temporary data folder of its own: it never creates or touches
``./hemei-data`` (the demo's folder) nor the folder ``HEMEI_DATA_DIR`` names."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_settings_point_into_a_temporary_folder() -> None:
    data_dir = Path(settings.DATA_DIR)
    assert data_dir.is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert data_dir.name.startswith("hemei-test-data-")
    assert data_dir != (Path.cwd() / "hemei-data").resolve()
    assert Path(settings.MEDIA_ROOT).is_relative_to(data_dir)
    assert os.environ["HEMEI_DATA_DIR"] == str(data_dir)  # for the commands tests start


def test_a_test_run_leaves_the_working_directory_alone(tmp_path: Path) -> None:
    """A fresh pytest process, started from an empty folder with no HEMEI_DATA_DIR (as in a
    fresh clone), runs a test that logs in and renders pages: no ./hemei-data appears."""
    workdir = tmp_path / "checkout"
    workdir.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "HEMEI_")) and key != "DJANGO_SETTINGS_MODULE"
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "--rootdir",
            str(ROOT),
            "-c",
            str(ROOT / "pyproject.toml"),
            f"{ROOT}/hemei/home/tests/test_home.py::test_a_villager_lands_on_their_household_points",
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert not (workdir / "hemei-data").exists()
    assert list(workdir.iterdir()) == []

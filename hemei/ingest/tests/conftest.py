"""Shared fixtures: where the seed reports are, and the hand-annotated gold files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hemei.ingest.evaluate import FIXTURES_DIR, seeds_dir


@pytest.fixture(scope="session")
def seeds() -> Path:
    """Return the seed report directory.

    The seed reports are public material kept outside the repository (they may not be copied
    in). Where they cannot be found the tests that read them are skipped, unless
    ``HEMEI_REQUIRE_SEEDS`` is set (``.ci/run`` sets it when it finds them), then they fail.
    """
    directory = seeds_dir()
    if not directory.is_dir():
        message = (
            f"seed reports not found at {directory}; set HEMEI_SEEDS_DIR or clone shared/ "
            "beside the repository"
        )
        if os.environ.get("HEMEI_REQUIRE_SEEDS"):
            pytest.fail(message)
        pytest.skip(message)
    return directory


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """Return the directory of gold annotations and synthetic reports."""
    return FIXTURES_DIR

"""The board's tests stand on a fixed day, with a clean request counter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.cache import cache

from hemei.core import clock

NOW = dt.datetime(2026, 6, 15, 10, 0, 5, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _board_world() -> Iterator[None]:
    cache.clear()
    with clock.frozen_at(NOW):
        yield
    cache.clear()

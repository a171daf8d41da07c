from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hemei.core.testing import ensure_divisions


@pytest.fixture(scope="module", autouse=True)
def divisions_back(django_db_blocker: Any) -> Iterator[None]:
    """Some tests here commit for real, and each of those ends by emptying the tables: put
    the session's 即墨区 divisions back for the modules that follow (a no-op otherwise)."""
    yield
    with django_db_blocker.unblock():
        ensure_divisions()

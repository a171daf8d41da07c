"""Fixtures shared by every app's tests: the cast, and the divisions it stands on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from hemei.core.testing import Cast, build_cast, ensure_divisions
from hemei.core.tests.browser import browser, page  # noqa: F401  (shared fixtures)

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The Python processes the tests start write their output in UTF-8, which the tests read it
# as; on Windows it would otherwise be the system's code page.
os.environ.setdefault("PYTHONIOENCODING", "utf-8")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Import the 即墨区 subtree once into the test database."""
    with django_db_blocker.unblock():
        ensure_divisions()
    yield


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """The production hasher is slow on purpose; tests only need hashes that check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _figures_counted_in_the_request(settings: Any) -> None:
    """A thread's own connection does not see a test's open transaction: kept figures that
    went old are counted again by the request (``hemei.core.lists.cached_rows``; its own
    tests turn the background back on with a runner they control)."""
    settings.HEMEI_FIGURES_REFRESH_IN_BACKGROUND = False

"""A browser test hands the live server back idle.

The page of a finished test may still be talking to the live server (htmx polls
``/notifications/unread/`` on every page; a click may still be loading) while pytest-django
flushes the database for the next test; on SQLite the two then collide ("database table is
locked") and the next test fails at setup. The first test below ends while its page waits
for a slow answer; the second, which pytest runs right after it, checks that the answer was
complete before it began.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path
from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls(__name__),
]

ENTERED = threading.Event()
RELEASE = threading.Event()
ANSWERING = {"count": 0}
LOCK = threading.Lock()


def blank(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>blank</title><p>blank</p>")


def slow(request: HttpRequest) -> HttpResponse:
    """Answers only after the browser is gone, and takes a while more to do so."""
    with LOCK:
        ANSWERING["count"] += 1
    try:
        ENTERED.set()
        RELEASE.wait(timeout=60)
        time.sleep(2)
        return HttpResponse("done")
    finally:
        with LOCK:
            ANSWERING["count"] -= 1


urlpatterns = [path("blank/", blank), path("slow/", slow)]


def test_a_page_ends_while_a_request_is_being_answered(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/blank/")
    page.context.on("close", lambda _context: RELEASE.set())
    page.evaluate("() => { fetch('/slow/'); }")
    assert ENTERED.wait(timeout=60)


def test_the_next_test_starts_with_every_request_answered(live_server: Any) -> None:
    # Run after the test above (pytest keeps the file's order), this sees its slow answer.
    with LOCK:
        assert ANSWERING["count"] == 0

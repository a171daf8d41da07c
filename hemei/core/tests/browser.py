"""Browser testing with Playwright on Debian's Chromium, shared by every app's browser tests.

Playwright never downloads a browser here: the fixtures launch the system Chromium and skip
when it is missing, except in CI (``CI`` set), where a missing browser is a failure. Use the
``page`` fixture (a fresh desktop context in zh-CN), ``log_in`` and ``snap`` (a full-page
screenshot to ``test-artifacts/screenshots/`` for a person to look at). Mark browser test
modules with ``pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]``.

A page keeps talking to the live server after the test's last line (htmx polls
``/notifications/unread/``, a click may still be loading), and the server answers in its own
threads on the test's database. So when a test ends, the ``page`` fixture closes every
browser context the test opened (its own and any made with ``browser.new_context``: no
page, no polling) and then waits until the live server has answered every request it had
received, before pytest-django flushes the database for the next test. A test that closes
a context of its own half-way and then reads the database does the same with
:func:`close`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from hemei.core.testing import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: How long a closed page's last requests may take to be answered (seconds): generous, as
#: the machine may be busy; going past it fails the test instead of corrupting the next one.
SETTLE_TIMEOUT = 120


class InFlight:
    """WSGI middleware around the live server's application that counts the requests it
    is answering, so a test can wait until there are none."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self.changed:
            self.count += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return _Answer(result, self._done)

    def _done(self) -> None:
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_idle(self, timeout: float = SETTLE_TIMEOUT) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count == 0, timeout)


class _Answer:
    """A response on its way out; the request counts as answered when the server closes it
    (after the last byte is written, or on a broken connection)."""

    def __init__(self, result: Iterable[bytes], done: Callable[[], None]) -> None:
        self.result = result
        self.done: Callable[[], None] | None = done

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.result)

    def close(self) -> None:
        try:
            close = getattr(self.result, "close", None)
            if close is not None:
                close()
        finally:
            if self.done is not None:
                self.done, done = None, self.done
                done()


def in_flight(live_server: Any) -> InFlight:
    """The request counter of pytest-django's live server (installed on first use)."""
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, InFlight):
        app = InFlight(app)
        httpd.set_app(app)
    return app


def settle(live_server: Any) -> None:
    """Wait until the live server has answered every request it received."""
    requests = in_flight(live_server)
    if not requests.wait_idle():
        pytest.fail(
            f"the live server is still answering {requests.count} request(s)"
            f" {SETTLE_TIMEOUT} s after the browser closed"
        )


def close(context: BrowserContext, live_server: Any) -> None:
    """Close a browser context (its pages stop, polling included) and wait until the live
    server has answered what they had asked, so the test may read the database."""
    context.close()
    settle(live_server)


def open_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """The ``page`` fixture's body: a fresh desktop context in zh-CN; at the end, every
    context of the browser closed and the live server idle."""
    in_flight(live_server)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Anything the Content-Security-Policy blocks is a broken page: the test fails.
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        yield page
    finally:
        for opened in list(browser.contexts):
            opened.close()
        settle(live_server)
    assert blocked == [], blocked


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    yield from open_page(browser, live_server)


def snap(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")

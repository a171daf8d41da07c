"""The main flows, driven through Debian's Chromium with Playwright.

Playwright never downloads a browser here: the tests launch the system Chromium and skip when
it is missing, except in CI (``CI`` set), where a missing browser is a failure. Every step
saves a full-page screenshot to ``test-artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from hemei.core.testing import PASSWORD, TOWN_A, TOWN_B, VILLAGE_A, Cast, ensure_divisions

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

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def snap(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")


def test_it_lets_a_town_official_browse_their_villages_and_not_another_towns(
    page: Page, live_server: Any, cast: Cast
) -> None:
    ensure_divisions()
    base_url = live_server.url

    log_in(page, base_url, cast.tom.username)
    expect(page).to_have_url(f"{base_url}/")
    snap(page, "town-official-home")

    # The division browser opens on the only division tom works in: his town.
    page.click("nav.menu a[href='/divisions/']")
    expect(page).to_have_url(f"{base_url}/divisions/{TOWN_A}/")
    village_link = page.locator("#rows a", has_text="红花山村")
    expect(village_link).to_be_visible()
    assert page.locator("#rows tbody tr").count() > 1
    snap(page, "town-official-villages")

    # Typing in the search box narrows the rows in place (htmx) and keeps the query in the URL.
    page.fill("input[name=q]", "红花山")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    expect(page.locator("#rows tbody tr")).to_have_count(1)
    expect(village_link).to_be_visible()
    snap(page, "town-official-search")

    # The rest on a phone: the same pages, the menu behind its button.
    page.set_viewport_size(PHONE)
    snap(page, "phone-search")
    page.locator("#rows a", has_text="红花山村").click()
    expect(page).to_have_url(f"{base_url}/divisions/{VILLAGE_A}/")
    expect(page.locator("h1")).to_contain_text("红花山村")
    snap(page, "phone-village")

    expect(page.locator("nav.menu")).to_be_hidden()
    page.click("label.menu-button")
    expect(page.locator("nav.menu")).to_be_visible()
    snap(page, "phone-menu")

    # Another town is outside tom's area: it does not exist for him.
    response = page.goto(f"{base_url}/divisions/{TOWN_B}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("#rows")).to_have_count(0)
    snap(page, "phone-other-town-404")

"""The main flows, driven through Debian's Chromium with Playwright.

Playwright never downloads a browser here: the tests launch the system Chromium and skip when
it is missing, except in CI (``CI`` set), where a missing browser is a failure. Every step
saves a full-page screenshot to ``test-artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from hemei.core.testing import TOWN_A, TOWN_B, VILLAGE_A, Cast, ensure_divisions
from hemei.core.tests.browser import PHONE, log_in, snap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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

"""The register's main flow in Chromium, on a phone: a village official imports the register,
opens a household, shows an ID number in full (logged), splits the household; the county
administrator reads the log of full views."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from hemei.core.testing import VILLAGE_A, Cast, ensure_divisions
from hemei.core.tests.browser import PHONE, log_in, snap
from hemei.households.models import Household, SensitiveView
from hemei.households.tests.test_import_export import ID1, good_rows, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_village_official_keeps_the_register_on_a_phone(
    page: Page, live_server: Any, cast: Cast
) -> None:
    ensure_divisions()
    base_url = live_server.url
    page.set_viewport_size(PHONE)
    log_in(page, base_url, cast.victor.username)

    page.goto(f"{base_url}/households/import/")
    page.select_option("select[name=village]", VILLAGE_A)
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "户籍.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": xlsx(good_rows()),
            }
        ],
    )
    snap(page, "households-import")
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("新建 2 户")
    snap(page, "households-list")

    page.locator("#rows a", has_text="001").click()
    expect(page.locator("h1")).to_contain_text("001")
    masked = f"{ID1[:6]}********{ID1[-4:]}"
    expect(page.get_by_text(masked)).to_be_visible()
    assert ID1 not in page.content()
    page.locator(".protected", has_text=masked).get_by_role("button").click()
    expect(page.get_by_text(ID1)).to_be_visible()
    snap(page, "households-detail-full-id")
    assert SensitiveView.objects.filter(viewer=cast.victor, field="id_number").count() == 1

    page.get_by_role("link", name="分户").click()
    page.get_by_label("陈小军").first.check()
    page.select_option("select[name=new_head]", label="陈小军")
    page.fill("input[name=new_number]", "001-1")
    snap(page, "households-split")
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    expect(page.locator(".timeline")).to_contain_text("分户")
    snap(page, "households-after-split")
    assert Household.objects.get(number="001-1").head.name == "陈小军"

    page.context.clear_cookies()
    log_in(page, base_url, cast.alice.username)
    page.goto(f"{base_url}/households/full-views/")
    expect(page.locator("#rows tbody")).to_contain_text("魏村")
    snap(page, "households-full-views")

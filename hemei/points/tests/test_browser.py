"""The points path in Chromium: a village official records an entry with a photo, the
committee approves it, it shows on the public notice, the notice ends, and the villager sees
her points on her phone and redeems them at the points shop."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.core.tests.browser import PHONE, log_in, snap
from hemei.divisions.models import Division

from .. import services
from ..models import Entry, Goods
from .factories import adopted_rules, household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, name: str) -> None:
    snap(page, f"points-{name}")


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_an_entry_goes_from_photo_to_shop(
    page: Page, live_server: Any, cast: Cast, tmp_path: Path
) -> None:
    base = live_server.url
    rules = adopted_rules(cast.victor, VILLAGE_A)
    home = household(VILLAGE_A, "001", "韦大山", user=cast.vera)
    household(VILLAGE_A, "002", "王长福")
    services.add_goods(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        name="洗衣液",
        price=20,
        stock=3,
    )
    picture = tmp_path / "rescue.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 200)).save(buffer, format="JPEG")
    picture.write_bytes(buffer.getvalue())

    # The village official records 见义勇为 for vera's household, with the photo it needs.
    log_in(page, base, cast.victor.username)
    page.goto(f"{base}/points/v/{VILLAGE_A}/entries/new/")
    page.select_option("select[name=household]", label="001 韦大山")
    item = rules.items.get(code="B1")
    page.select_option("select[name=item]", value=str(item.pk))
    page.fill("input[name=occurred_on]", "2026-06-14")
    page.fill("textarea[name=description]", "在村西水塘救起落水儿童")
    page.set_input_files("input[name=evidence]", str(picture))
    shot(page, "record-form")
    with page.expect_navigation():
        page.click("#entry-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("待初评")
    expect(page.locator("img[alt='rescue.jpg']")).to_be_visible()
    shot(page, "recorded")

    # 初评, then the committee's 审核 puts it on public notice.
    with page.expect_navigation():
        page.click("button[value=assess]")
    expect(page.locator("h1")).to_contain_text("待审核")
    with page.expect_navigation():
        page.click("button[value=approve]")
    expect(page.locator("h1")).to_contain_text("公示中")
    shot(page, "approved")

    page.goto(f"{base}/points/v/{VILLAGE_A}/notice/")
    row = page.locator("#notice tbody tr", has_text="在村西水塘救起落水儿童")
    expect(row).to_contain_text("+30")
    shot(page, "notice")
    log_out(page)

    # The notice period passes without objection: the worker's step publishes the entry.
    entry = Entry.objects.get()
    assert entry.notice_ends_at is not None
    with clock.frozen_at(entry.notice_ends_at + dt.timedelta(minutes=5)):
        assert services.publish_due_entries() == 1

        # Vera, on her phone: the points with their reason, then the shop.
        page.set_viewport_size(PHONE)
        log_in(page, base, cast.vera.username)
        page.goto(f"{base}/points/me/")
        expect(page.locator("#balance")).to_have_text("30")
        expect(page.locator("#history")).to_contain_text("在村西水塘救起落水儿童")
        shot(page, "villager-home")

        page.click("a.button[href$='/shop/']")
        expect(page.locator("#goods")).to_contain_text("洗衣液")
        shot(page, "shop")
        asked: list[str] = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
        with page.expect_navigation():
            page.locator("#goods tr", has_text="洗衣液").locator("button").click()
        assert asked and "洗衣液" in asked[0]  # the villager confirms before points are spent
        expect(page.locator(".messages")).to_contain_text("洗衣液")
        expect(page.locator("#balance")).to_have_text("10")
        shot(page, "redeemed")

    assert Goods.objects.get().stock == 2
    assert home.points_balance.points == 10

"""The ranking flow in Chromium: the county office computes last month's town ranking, looks
at the charts, issues the circular, waits on the page while the worker makes it, downloads
it; a town official sees the published ranking but not another town's villages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, Cast
from hemei.core.tests.browser import PHONE, log_in, snap
from hemei.divisions.models import Division
from hemei.rankings.services import compute_ranking

from .factories import NOV_23, OCT, TOWN_C, day, make_task, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_county_office_ranks_the_towns_and_issues_the_circular(
    page: Page, live_server: Any, cast: Cast, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    make_task(TOWN_A, day(10, 10), day(10, 9))
    make_task(TOWN_A, day(10, 20), title="田横镇村庄清洁行动", lead_unit=cast.unit, light="red")
    make_task(TOWN_B, day(10, 12), day(10, 15))
    make_task(TOWN_C, day(10, 5), day(10, 5))
    base_url = live_server.url
    ranking = f"{base_url}/rankings/?scope={COUNTY}&kind=month&period=2026-10-01"

    with clock.frozen_at(NOV_23):
        log_in(page, base_url, cast.alice.username)
        page.goto(ranking)
        expect(page.locator("#ranking-body")).to_contain_text("本期尚未排名")
        with page.expect_navigation():
            page.get_by_role("button", name="计算排名").click()
        expect(page.locator("table.ranking tbody tr").first).to_contain_text("段泊岚镇")
        expect(page.locator("#score-chart canvas")).to_have_count(1)
        expect(page.locator("#rank-chart canvas")).to_have_count(1)
        snap(page, "ranking-county-towns")

        with page.expect_navigation():
            page.get_by_role("button", name="生成通报（Word + Excel）").click()
        expect(page.locator("#export-state")).to_contain_text("后台正在生成通报")
        snap(page, "ranking-circular-queued")
        run_worker()
        # The page polls every two seconds and shows the downloads once the worker is done.
        download_link = page.get_by_role("link", name="下载通报（.docx）")
        expect(download_link).to_be_visible(timeout=8000)
        snap(page, "ranking-circular-ready")
        with page.expect_download() as info:
            download_link.click()
        document = Document(io.BytesIO(Path(info.value.path()).read_bytes()))
        assert document.tables[0].rows[1].cells[1].text == "段泊岚镇"
        assert document.tables[2].rows[1].cells[1].text == "田横镇村庄清洁行动"

        page.set_viewport_size(PHONE)
        page.goto(ranking)
        snap(page, "ranking-phone")

        page.context.clear_cookies()
        log_in(page, base_url, cast.tom.username)
        page.goto(ranking)
        expect(page.locator("table.ranking")).to_contain_text("田横镇")
        expect(page.get_by_role("button", name="重新计算")).to_have_count(0)
        response = page.goto(f"{base_url}/rankings/?scope={TOWN_B}")
        assert response is not None and response.status == 404


def test_a_phone_shows_each_figure_on_one_line_and_scrolls_the_table(
    page: Page, live_server: Any, cast: Cast
) -> None:
    make_task(TOWN_A, day(10, 10), day(10, 9))
    make_task(TOWN_A, day(10, 20), light="red")
    make_task(TOWN_B, day(10, 12), day(10, 15))
    with clock.frozen_at(NOV_23):
        compute_ranking(
            county_or_town=Division.objects.get(code=COUNTY),
            period_kind="month",
            period_start=OCT,
            actor=cast.alice,
        )
        page.set_viewport_size({"width": 375, "height": 812})
        log_in(page, live_server.url, cast.alice.username)
        page.goto(f"{live_server.url}/rankings/?scope={COUNTY}&kind=month&period=2026-10-01")
        expect(page.locator("table.ranking")).to_contain_text("50.00")
        # Each figure's text lies on one line: its line boxes all share one top.
        lines = page.eval_on_selector_all(
            "table.ranking tbody td:not(.name-cell)",
            """cells => cells.map(cell => {
                const range = document.createRange();
                range.selectNodeContents(cell);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                return [cell.textContent.trim(), tops.size];
            })""",
        )
        assert lines and all(count == 1 for _, count in lines), lines
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("box => box.scrollWidth > box.clientWidth")
        snap(page, "ranking-phone-375")

"""Progress in Chromium: a town official reports from a phone with a photo taken by the
camera, the county approves it from the review queue, and the task's progress moves."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from hemei.core.testing import Cast
from hemei.core.tests.browser import DESKTOP, PHONE, close, log_in, snap
from hemei.progress.models import ProgressReport, ReportState

from .conftest import Work, jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_town_reports_with_a_photo_and_the_county_approves(
    browser: Browser, page: Page, live_server: Any, cast: Cast, work: Work
) -> None:
    base_url = live_server.url
    page.set_viewport_size(PHONE)
    log_in(page, base_url, cast.tom.username)

    page.goto(f"{base_url}/tasks/{work.part_a.pk}/")
    page.locator("#progress-reports").get_by_role("link", name="填报进度").click()
    page.fill("input[name=percent]", "35")
    page.fill("textarea[name=text]", "已完成摸底，改造 120 户")
    page.get_by_label("摸底").check()
    page.set_input_files(
        "input[name=files][capture]",
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}],
    )
    snap(page, "progress-report-form-phone")
    with page.expect_navigation():
        page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages")).to_contain_text("已提交审核")
    expect(page.locator(".evidence-grid")).to_contain_text("2026-03-01 10:30")
    expect(page.locator(".evidence-grid a[href*='openstreetmap']")).to_have_count(1)
    expect(page.get_by_role("button", name="批准")).to_have_count(0)  # not from his own level
    snap(page, "progress-report-detail-phone")

    county = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    admin = county.new_page()
    log_in(admin, base_url, cast.alice.username)
    admin.goto(f"{base_url}/progress/review/")
    snap(admin, "progress-review-queue")
    with admin.expect_navigation():
        admin.locator("#rows a", has_text=work.part_a.title).click()
    thumbnail = admin.locator(".evidence-grid img").first
    expect(thumbnail).to_be_visible()
    # visible is not loaded: wait until the picture has arrived, then it has a width
    admin.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    with admin.expect_navigation():
        admin.get_by_role("button", name="批准").click()
    expect(admin.locator(".messages")).to_contain_text("任务进度已更新")
    snap(admin, "progress-report-approved")
    close(county, live_server)

    report = ProgressReport.objects.get()
    assert report.state == ReportState.APPROVED and report.decided_by == cast.alice
    work.part_a.refresh_from_db()
    assert work.part_a.progress == 35
    assert work.part_a.milestones.get(name="摸底").reached_on is not None

"""The two intake flows in Chromium: a town official reads a meeting report into draft tasks;
the county office imports a decomposition table after fixing the problems it was shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from hemei.core.testing import TOWN_A, Cast
from hemei.core.tests.browser import PHONE, log_in, snap
from hemei.meetings.models import Meeting
from hemei.tasks.models import Task

from .helpers import units, workbook
from .test_report import REPORT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_town_official_turns_a_meeting_report_into_draft_tasks(
    page: Page, live_server: Any, cast: Cast
) -> None:
    unit = units(cast)
    base_url = live_server.url
    log_in(page, base_url, cast.tom.username)
    page.goto(f"{base_url}/intake/report/")
    page.select_option("select[name=division]", TOWN_A)
    page.fill("textarea[name=text]", REPORT)
    snap(page, "intake-report-paste")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("审核会议报道")
    expect(page.locator("input[name=name]")).to_have_value("田横镇乡村振兴工作推进会议")
    snap(page, "intake-report-review")

    rows = page.locator("table.intake-directives tbody tr")
    for index in range(rows.count()):
        text = rows.nth(index).locator("textarea").input_value()
        if "户厕改造" not in text and "带头人培训" not in text:
            rows.nth(index).locator("input[type=checkbox]").uncheck()
        elif "带头人培训" in text:
            rows.nth(index).locator("input[type=date]").fill("2027-06-30")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("会议报道已确认")
    snap(page, "intake-report-accepted")

    meeting = Meeting.objects.get()
    tasks = Task.objects.filter(meeting=meeting).order_by("id")
    assert [task.lead_unit for task in tasks] == [unit["agri"], unit["organization"]]

    page.set_viewport_size(PHONE)
    page.goto(f"{base_url}/intake/report/")
    snap(page, "intake-report-phone")


def test_the_county_fixes_a_table_and_imports_it(
    page: Page, live_server: Any, cast: Cast, tmp_path: Path
) -> None:
    units(cast)
    base_url = live_server.url
    bad = tmp_path / "分解表.xlsx"
    bad.write_bytes(
        workbook(
            [
                [
                    1,
                    "推进农村户厕改造提升",
                    "李丽",
                    "区财正局",
                    "区财政局",
                    "年底",
                    "6月底前完成摸底",
                ],
                [2, "培育高素质农民", "张三", "区农业农村局", None, "明年", None],
            ]
        )
    )
    good = tmp_path / "分解表-改.xlsx"
    good.write_bytes(
        workbook(
            [
                [
                    1,
                    "推进农村户厕改造提升",
                    "李丽",
                    "区农业农村局",
                    "区财政局",
                    "年底",
                    "6月底前完成摸底",
                ],
                ["1.1", "完成改厕需求摸底", "李丽", "区农业农村局", None, "6月底", None],
                [2, "培育高素质农民", "李丽", "区农业农村局", None, "11月底", None],
            ]
        )
    )
    log_in(page, base_url, cast.alice.username)
    page.goto(f"{base_url}/intake/decomposition/")
    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("table.report")).to_contain_text("未知单位“区财正局”")
    expect(page.locator("table.report")).to_contain_text("您是否指“区财政局”")
    snap(page, "intake-table-problems")
    assert Task.objects.count() == 0

    page.set_input_files("input[name=file]", str(good))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("待导入的任务")
    snap(page, "intake-table-preview")
    with page.expect_navigation():
        page.click("main form.actions button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已导入 3 项任务")
    snap(page, "intake-table-imported")
    assert Task.objects.count() == 3

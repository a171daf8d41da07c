"""The whole work loop in Chromium, as county and town people live it.

The county administrator creates a task and fans it out to every town; a town official
reports progress with a photo; the county approves it. Another task passes its deadline, the
escalation ladder (run by the real background worker) issues a supervision order, the town
answers it; the county computes the month's ranking and downloads its circular. The platform
clock is frozen on one day so the test reads the same on any date.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, expect

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, Cast, photo, run_worker
from hemei.core.tests.browser import PHONE, close, log_in, settle, snap
from hemei.divisions.models import Division
from hemei.tasks import services
from hemei.tasks.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen() -> Any:
    with clock.frozen_at(TODAY):
        yield


def test_the_whole_loop(
    browser: Browser, page: Page, live_server: Any, cast: Cast, frozen: None
) -> None:
    from hemei.progress.models import ProgressReport
    from hemei.supervision.jobs import daily_sweep
    from hemei.supervision.models import SupervisionOrder

    base = live_server.url
    towns = Division.objects.current().filter(level=4).within(COUNTY).count()

    # 1. The county creates a task and fans it out to all towns.
    log_in(page, base, cast.alice.username)
    page.goto(f"{base}/tasks/new/")
    page.fill("input[name=title]", "完成农村生活污水治理摸底")
    page.fill("input[name=division]", COUNTY)
    page.select_option("select[name=theme]", "ecology")
    page.fill("input[name=start_on]", "2026-11-01")
    page.fill("input[name=due_on]", "2026-12-31")
    snap(page, "loop-1-task-form")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    task = Task.objects.get(title="完成农村生活污水治理摸底", parent=None)
    expect(page).to_have_url(f"{base}/tasks/{task.pk}/")
    page.get_by_role("link", name="分解到下级").click()
    page.get_by_label("全部").check()
    with page.expect_navigation():
        page.get_by_role("button", name="分解到下级").click()
    assert task.children.count() == towns
    snap(page, "loop-2-fanned-out")

    # 2. The town official reports progress with a photo, from a phone.
    part = task.children.get(division_id=TOWN_A)
    town = browser.new_context(viewport=PHONE, locale="zh-CN")
    tom = town.new_page()
    log_in(tom, base, cast.tom.username)
    tom.goto(f"{base}/tasks/{part.pk}/")
    tom.locator("#progress-reports").get_by_role("link", name="填报进度").click()
    tom.fill("input[name=percent]", "60")
    tom.fill("textarea[name=text]", "已完成 12 个村的摸底")
    tom.set_input_files(
        "input[name=files][capture]",
        files=[{"name": "IMG_2001.jpg", "mimeType": "image/jpeg", "buffer": photo()}],
    )
    with tom.expect_navigation():
        tom.get_by_role("button", name="提交审核").click()
    snap(tom, "loop-3-report-submitted")

    # 3. The county approves it; the part and the county task move.
    page.goto(f"{base}/progress/review/")
    with page.expect_navigation():
        page.locator("#rows a", has_text=part.title).first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="批准").click()
    snap(page, "loop-4-report-approved")
    part.refresh_from_db()
    task.refresh_from_db()
    assert part.progress == 60
    assert 0 < task.progress < 60  # one town of many has moved
    assert ProgressReport.objects.get(task=part).state == "approved"

    # 4. Another task passed its deadline; the worker's sweep climbs the ladder to an order.
    # The test writes to the database itself now: let the live server finish what the open
    # pages asked first (the in-memory test database refuses a write while a read runs).
    settle(live_server)
    late = services.create_task(
        actor=cast.alice,
        division=Division.objects.get(code=COUNTY),
        title="村庄清洁行动秋冬战役",
        start_on=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 11, 1),
    )
    services.fan_out(actor=cast.alice, task=late, codes=[TOWN_A])
    late_part = late.children.get()
    daily_sweep.enqueue()
    run_worker()
    order = SupervisionOrder.objects.get(task=late_part)
    assert order.state == "open"

    # 5. The town answers the order.
    tom.goto(f"{base}/supervision/")
    snap(tom, "loop-5-supervision-centre")
    tom.goto(f"{base}/supervision/orders/{order.pk}/")
    tom.fill("textarea[name=text]", "已组织 3 个村集中清理，本周内完成")
    with tom.expect_navigation():
        tom.get_by_role("button", name="提交反馈").click()
    order.refresh_from_db()
    assert order.state == "answered"
    snap(tom, "loop-6-order-answered")
    close(town, live_server)

    # 6. The county computes the month's ranking and downloads the circular.
    page.goto(f"{base}/rankings/?scope={COUNTY}&kind=month&period=2026-11-01")
    with page.expect_navigation():
        page.get_by_role("button", name="计算排名").click()
    snap(page, "loop-7-ranking")
    with page.expect_navigation():
        page.get_by_role("button", name="生成通报（Word + Excel）").click()
    # The export page polls its state; leave it and let the server finish before the worker
    # takes its write lock (the in-memory test database refuses a write while a read runs).
    exported = page.url
    page.goto("about:blank")
    settle(live_server)
    run_worker()
    page.goto(exported)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载通报（.docx）").click()
    snap(page, "loop-8-circular-ready")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "通报" in text and "〔2026〕" in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "田横镇" in cells
    assert "村庄清洁行动秋冬战役" in "\n".join(cells)

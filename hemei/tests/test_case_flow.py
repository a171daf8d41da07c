"""A case (办件) from a villager's phone to the village's public board, in Chromium.

A villager of 红花山村 applies for minimum living support on her phone; the village signs the
villagers' group step and the committees' step; the town's step passes its deadline, and
the supervision ladder (run by the real background worker) reminds the town and shows it a
yellow card; the town signs and posts the public notice; the villager objects, which brings
the case back to the town; the village answers the objection, the town signs again, the new
notice ends without objection and the case is done; anyone, without logging in, sees its
result on the village's public board, with nothing personal on it.

The platform clock is frozen and moved by the test (:class:`Travel`), never by waiting.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from hemei.board import services as board
from hemei.cases.choices import CaseState
from hemei.cases.models import Case
from hemei.catalogue import services as catalogue
from hemei.catalogue.choices import Disclosure, Level, ListKind, Starter
from hemei.catalogue.services import ItemRow, StepRow
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast, run_worker
from hemei.core.tests.browser import PHONE, log_in, settle, snap
from hemei.divisions.models import Division
from hemei.notices.models import Notice
from hemei.notices.services import end_due_notices
from hemei.points.tests.factories import household
from hemei.procedures.adoption import MeetingKind
from hemei.procedures.choices import TimeUnit
from hemei.supervision.choices import StepKind
from hemei.supervision.jobs import daily_sweep
from hemei.supervision.models import Card, StepTaken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A Monday; the village applies, the group and the committees sign the same day.
FIRST_DAY = dt.date(2026, 6, 15)
ID_NUMBER = "370215198503120027"
PHONE_NUMBER = "13905321888"


def ten_o_clock(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI)


class Travel:
    """The platform's clock, frozen on one moment and moved forward by the test. Move it
    only while the live server is idle (:func:`quiet`): a request must not see two days."""

    def __init__(self) -> None:
        self._stack = ExitStack()

    def to(self, moment: dt.datetime) -> None:
        self._stack.close()
        self._stack = ExitStack()
        self._stack.enter_context(clock.frozen_at(moment))

    def stop(self) -> None:
        self._stack.close()


@pytest.fixture
def travel() -> Iterator[Travel]:
    moving = Travel()
    moving.to(ten_o_clock(FIRST_DAY))
    yield moving
    moving.stop()


def adopted_item(cast: Cast) -> None:
    """红花山村 adopts the county's template with one service item whose town step posts
    the public notice and whose result is published."""
    county = Division.objects.get(code=VILLAGE_A[:6])
    template = catalogue.create_template(actor=cast.alice, division=county, name="县级事项清单")
    catalogue.replace_items(
        actor=cast.alice,
        version=template,
        rows=[
            ItemRow(
                code="S01",
                list_kind=ListKind.SERVICE,
                area="民生保障",
                name="最低生活保障申请",
                basis="《社会救助暂行办法》",
                starter=Starter.VILLAGER,
                disclosures=[Disclosure.PROCEDURE, Disclosure.PROGRESS, Disclosure.RESULT],
                steps=[
                    StepRow("提出申请", Level.APPLICANT, materials="申请书、户口簿"),
                    StepRow("村民小组评议", Level.GROUP, days=3),
                    StepRow("村两委审查", Level.VILLAGE, days=3),
                    StepRow(
                        "乡镇审核并公示",
                        Level.TOWN,
                        days=5,
                        notice_days=7,
                        notice_unit=TimeUnit.CALENDAR_DAY,
                    ),
                ],
            )
        ],
    )
    catalogue.publish_template(actor=cast.alice, version=template)
    village = Division.objects.get(code=VILLAGE_A)
    draft = catalogue.draft_version(actor=cast.victor, village=village, based_on=template)
    catalogue.adopt_version(
        actor=cast.victor,
        version=draft,
        meeting_kind=MeetingKind.REPRESENTATIVES,
        meeting_date=dt.date(2026, 1, 10),
        in_force_from=dt.date(2026, 1, 15),
    )


def quiet(live_server: Any, *pages: Page) -> None:
    """Let every open page finish what it loads (the HTMX parts ask for more after the page
    itself has loaded) and the live server answer it, before the test writes to the
    database or moves the clock."""
    for open_page in pages:
        open_page.wait_for_load_state("networkidle")
    settle(live_server)


def sweep(day: dt.date) -> None:
    """The worker's ladder sweep, as it runs on ``day``."""
    daily_sweep.enqueue(today=day.isoformat())
    run_worker()


def sign(page: Page, opinion: str) -> None:
    form = page.locator("#pass-form")
    form.locator("textarea[name=opinion]").fill(opinion)
    with page.expect_navigation():
        form.get_by_role("button", name="同意并签署").click()


def test_a_case_from_a_phone_to_the_public_board(
    browser: Browser, page: Page, live_server: Any, cast: Cast, travel: Travel
) -> None:
    base = live_server.url
    adopted_item(cast)
    vera_home = household(VILLAGE_A, "H001", "王秀英", user=cast.vera)
    head = vera_home.head
    head.id_number, head.phone = ID_NUMBER, PHONE_NUMBER
    head.save()
    board.update_board(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        enabled=True,
        welcome="村务公开，欢迎监督。",
        contact="村委会办公室 0532-88512345",
    )

    # 1. The villager applies on her phone.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN")
    phone.set_default_timeout(10_000)
    vera = phone.new_page()
    log_in(vera, base, cast.vera.username)
    vera.goto(f"{base}/cases/new/")
    vera.select_option("select[name=item]", "S01")
    vera.fill("input[name=title]", "家中收入低，申请最低生活保障")
    snap(vera, "case-1-apply-on-a-phone")
    with vera.expect_navigation():
        vera.get_by_role("button", name="提交").click()
    case = Case.objects.get()
    expect(vera).to_have_url(f"{base}/cases/{case.pk}/")
    expect(vera.locator("main")).to_contain_text("村民小组评议")
    snap(vera, "case-2-applied")

    # 2. The village signs the villagers' group step and the committees' step.
    log_in(page, base, cast.victor.username)
    page.goto(f"{base}/cases/{case.pk}/")
    sign(page, "经第三村民小组评议，情况属实")
    expect(page.locator("main")).to_contain_text("村两委审查")
    sign(page, "村两委审查同意，报镇审核")
    case.refresh_from_db()
    assert case.step.name == "乡镇审核并公示" and case.state == CaseState.OPEN
    expect(page.locator("main")).to_contain_text("乡镇审核并公示")
    snap(page, "case-3-at-the-town")

    # 3. The town lets the step's deadline pass: the ladder reminds it, then shows a card.
    quiet(live_server, vera, page)
    due = case.step_due_on
    duty = case.duty_id
    for day in (due - dt.timedelta(days=3), due, due + dt.timedelta(days=1)):
        travel.to(ten_o_clock(day))
        sweep(day)
    taken = StepTaken.objects.filter(task_id=duty)
    assert taken.filter(kind=StepKind.REMINDER).count() == 2
    yellow = Card.objects.get(task_id=duty)
    assert yellow.kind == "yellow"

    town = browser.new_context(locale="zh-CN")
    town.set_default_timeout(10_000)
    tom = town.new_page()
    log_in(tom, base, cast.tom.username)
    tom.goto(f"{base}/notifications/")
    inbox = tom.locator("main")
    expect(inbox).to_contain_text("黄牌")
    expect(inbox).to_contain_text("乡镇审核并公示")
    snap(tom, "case-4-town-inbox")
    tom.goto(f"{base}/cases/{case.pk}/")
    main = tom.locator("main")
    expect(main).to_contain_text(re.compile("逾期|已超期"))  # one msgid, two catalogues
    expect(main.locator("#case-supervision")).to_contain_text(f"黄牌 {due + dt.timedelta(days=1)}")
    snap(tom, "case-5-town-late")
    with tom.expect_navigation():
        main.get_by_role("link", name="查看本环节督办任务").click()
    expect(tom).to_have_url(f"{base}/tasks/{duty}/")
    expect(main.locator(".section").last).to_contain_text("黄牌")  # the ladder's section
    snap(tom, "case-5b-the-duty")
    tom.go_back()

    # 4. The town signs: the public notice is posted, the case waits for it.
    sign(tom, "经审核，符合低保条件，拟同意")
    expect(main).to_contain_text("公示中")
    with tom.expect_navigation():
        main.get_by_role("link", name="最低生活保障申请公示").click()
    expect(tom.locator("main")).to_contain_text("王秀英")
    snap(tom, "case-6-notice-posted")
    notice = Notice.objects.get()

    # 5. The villager objects on her phone: the case is back at the town.
    vera.goto(f"{base}/notices/{notice.pk}/")
    with vera.expect_navigation():
        vera.get_by_role("link", name="提出异议").click()
    vera.fill("textarea[name=reason]", "申请材料中家庭人口填写有误，请核实")
    with vera.expect_navigation():
        vera.get_by_role("button", name="提交异议").click()
    snap(vera, "case-7-objection-raised")
    vera.goto(f"{base}/cases/{case.pk}/")
    expect(vera.locator("main")).to_contain_text("办理中")
    expect(vera.locator("main")).to_contain_text("当前步骤")
    expect(vera.locator("main")).to_contain_text("乡镇审核并公示")
    snap(vera, "case-8-back-at-the-town")

    # 6. The next day the village answers; the town signs again; the new notice ends
    # without objection and the case is done.
    quiet(live_server, vera, page, tom)
    travel.to(ten_o_clock(due + dt.timedelta(days=2)))
    page.goto(f"{base}/notices/{notice.pk}/")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="答复").click()
    page.get_by_label("异议成立").check()
    page.fill("textarea[name=answer]", "经核实，家庭人口已更正为 3 人，重新公示")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    snap(page, "case-9-objection-answered")
    tom.goto(f"{base}/cases/{case.pk}/")
    sign(tom, "家庭人口已更正，复核符合条件，拟同意")
    expect(main).to_contain_text("公示中")
    snap(tom, "case-10-notice-again")

    quiet(live_server, vera, page, tom)
    second = Notice.objects.of(case).get(state="posted")
    travel.to(second.ends_at + dt.timedelta(hours=1))
    end_due_notices()
    case.refresh_from_db()
    assert case.state == CaseState.DONE
    vera.goto(f"{base}/cases/mine/")
    expect(vera.locator("main")).to_contain_text("已完成")
    snap(vera, "case-11-done-on-the-phone")

    # 7. Anyone sees the result on the village's public board; nothing personal is on it.
    passer_by = browser.new_context(viewport=PHONE, locale="zh-CN")
    wall = passer_by.new_page()
    wall.goto(f"{base}/board/{VILLAGE_A}/")
    text = wall.locator("body").inner_text()
    snap(wall, "case-12-public-board")
    assert "办理结果公开" in text
    assert f"最低生活保障申请（{case.number}）" in text
    assert "最低生活保障申请公示" in text and "公示期满无异议" in text
    for personal in (ID_NUMBER, PHONE_NUMBER, cast.vera.phone, "家庭人口填写有误"):
        assert personal not in text

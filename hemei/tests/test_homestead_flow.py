"""A homestead application (宅基地和建房) from a villager's phone to acceptance, in Chromium.

王秀英 of 红花山村 draws the plot she wants to rebuild on, on her phone, and applies; the plot
drawn is larger than the county's limit, so the application is flagged. The village answers
the flag, signs the group's step (its public notice ends) and its own review; the town
accepts, its two offices sign their opinions in the joint review, the town approves and the
numbers of the 批准书 and the permit appear. On a phone the town records the staking out with
the four neighbours and a photo, then an inspection that finds the wall over the red line
(a stop-work order), corrected; the acceptance visit measures the house and the town signs
the acceptance. The Word forms download with the numbers on them.

The platform clock is frozen and moved by the test, never by waiting.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, expect

from hemei.cases.choices import CaseState
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast, photo
from hemei.core.tests.browser import PHONE, log_in, snap
from hemei.homestead.models import Application, Deviation
from hemei.homestead.tests.helpers import parcel, rectangle, setup_village
from hemei.notices.services import end_due_notices
from hemei.points.tests.factories import household

from .test_case_flow import Travel, quiet, sign, ten_o_clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_DAY = dt.date(2026, 6, 15)  # a Monday


@pytest.fixture
def travel():
    moving = Travel()
    moving.to(ten_o_clock(FIRST_DAY))
    yield moving
    moving.stop()


def jpeg(day: dt.date) -> dict[str, Any]:
    return {
        "name": "IMG_3001.jpg",
        "mimeType": "image/jpeg",
        "buffer": photo(taken=day.strftime("%Y:%m:%d 10:05:00")),
    }


def step(page: Page, base: str, case_pk: int, opinion: str) -> None:
    page.goto(f"{base}/cases/{case_pk}/")
    sign(page, opinion)


def test_a_homestead_from_a_phone_to_acceptance(
    browser: Browser, page: Page, live_server: Any, cast: Cast, travel: Travel
) -> None:
    base = live_server.url
    setup_village(cast)
    home = household(VILLAGE_A, "H001", "王秀英", user=cast.vera)
    parcel("ZJ001", rectangle(0, 0, 12, 15), household=home)

    # 1. The villager draws the plot on her phone and applies.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN")
    phone.set_default_timeout(15_000)
    vera = phone.new_page()
    log_in(vera, base, cast.vera.username)
    vera.goto(f"{base}/homestead/apply/")
    view = vera.locator(".hemei-map")
    expect(view.locator(".leaflet-overlay-pane path")).to_have_count(1)  # her homestead
    vera.select_option("select[name=build_type]", "rebuild")
    vera.fill("textarea[name=reason]", "旧房墙体开裂，申请拆除后原址翻建")
    vera.fill("input[name=address]", "红花山村三组12号")
    vera.fill("input[name=site_area]", "180")
    vera.fill("input[name=footprint]", "120")
    vera.fill("input[name=floor_area]", "240")
    vera.fill("input[name=floors]", "2")
    vera.fill("input[name=height]", "7.8")
    vera.select_option("select[name=disposal]", "keep")
    view.scroll_into_view_if_needed()
    vera.locator(".leaflet-pm-icon-polygon").click()
    box = view.bounding_box()
    assert box is not None
    # the lower right of the map: the drawing tool's buttons (finish, cancel) open beside it
    x, y = box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.55
    for dx, dy in ((0, 0), (120, 0), (120, 110), (0, 110), (0, 0)):
        vera.mouse.click(x + dx, y + dy)
    snap(vera, "homestead-1a-drawn")
    expect(vera.locator("#id_geometry")).not_to_have_value("")
    vera.fill("input[name=neighbour_east]", "王大")
    vera.select_option("select[name=neighbour_east_agrees]", "1")
    vera.set_input_files("input[name=files]", files=[jpeg(FIRST_DAY)])
    snap(vera, "homestead-1-apply-on-a-phone")
    with vera.expect_navigation():
        vera.get_by_role("button", name="提交申请").click()
    application = Application.objects.get()
    case = application.case
    expect(vera).to_have_url(f"{base}/homestead/{application.pk}/")
    main = vera.locator("main")
    expect(main).to_contain_text("宅基地面积超标")  # drawn larger than the limit
    expect(main).to_contain_text("王秀英")
    snap(vera, "homestead-2-applied-and-flagged")

    # 2. The village answers the flag, signs the group's step; the notice ends.
    log_in(page, base, cast.victor.username)
    page.goto(f"{base}/homestead/{application.pk}/")
    flags = page.locator("#flags")
    flags.locator("textarea[name=answer]").fill(
        "经现场核实，实际用地以村庄规划红线为准，按180平方米审批"
    )
    flags.locator("input[name=signer]").fill("魏村")
    with page.expect_navigation():
        flags.get_by_role("button", name="答复").click()
    expect(page.locator("#flags")).to_contain_text("魏村")
    step(page, base, case.pk, "经第三村民小组会议讨论同意，组内公示")
    quiet(live_server, vera, page)
    travel.to(ten_o_clock(FIRST_DAY + dt.timedelta(days=8)))
    end_due_notices()
    step(page, base, case.pk, "材料真实，符合村庄规划，四邻无异议")
    snap(page, "homestead-3-village-signed")

    # 3. The town accepts; both offices sign in the joint review; the town approves.
    town = browser.new_context(locale="zh-CN")
    town.set_default_timeout(15_000)
    tom = town.new_page()
    log_in(tom, base, cast.tom.username)
    step(tom, base, case.pk, "材料齐全，予以受理")
    tom.goto(f"{base}/homestead/{application.pk}/")
    for text in ("符合一户一宅和面积标准", "符合村庄规划和用途管制"):
        card = tom.locator("#joint-review article").filter(has=tom.locator("form")).first
        card.locator("textarea[name=opinion]").fill(text)
        card.locator("input[name=signer]").fill("唐涛")
        with tom.expect_navigation():
            card.get_by_role("button", name="签署意见").click()
    expect(tom.locator("#joint-review")).not_to_contain_text("尚未出具")
    snap(tom, "homestead-4-joint-review")
    step(tom, base, case.pk, "联审意见一致同意")
    step(tom, base, case.pk, "同意批准，核发批准书和乡村建设规划许可证")
    application.refresh_from_db()
    assert application.approval_number and application.permit_number
    tom.goto(f"{base}/homestead/{application.pk}/")
    expect(tom.locator("main")).to_contain_text(application.approval_number)

    # 4. On a phone, the town stakes out with the four neighbours and a photo.
    field = browser.new_context(viewport=PHONE, locale="zh-CN")
    field.set_default_timeout(15_000)
    tom_phone = field.new_page()
    log_in(tom_phone, base, cast.tom.username)

    def visit(stage: str, day: dt.date, **values: Any) -> None:
        tom_phone.goto(f"{base}/homestead/{application.pk}/visits/new/")
        tom_phone.select_option("select[name=stage]", stage)
        tom_phone.fill("input[name=visited_on]", day.isoformat())
        tom_phone.fill("input[name=officials]", "唐涛、国土所张工")
        for side in values.pop("neighbours", ()):
            tom_phone.locator(f"input[name=neighbours][value={side}]").check()
        for name, value in values.items():
            if name == "deviation":
                tom_phone.select_option("select[name=deviation]", value)
            else:
                tom_phone.fill(f"[name={name}]", str(value))
        tom_phone.set_input_files("input[name=photos]", files=[jpeg(day)])
        with tom_phone.expect_navigation():
            tom_phone.get_by_role("button", name="保存到场记录").click()
        expect(tom_phone).to_have_url(f"{base}/homestead/{application.pk}/")

    today = FIRST_DAY + dt.timedelta(days=8)
    visit("staking", today, neighbours=["east", "south", "west", "north"])
    snap(tom_phone, "homestead-5-staked-out")
    step(tom, base, case.pk, "已定点放样，四邻到场签字")

    # 5. An inspection finds the wall over the red line: stop work until corrected.
    quiet(live_server, vera, page, tom, tom_phone)
    travel.to(ten_o_clock(FIRST_DAY + dt.timedelta(days=40)))
    inspected = FIRST_DAY + dt.timedelta(days=40)
    visit(
        "construction",
        inspected,
        deviation="over_line",
        deviation_text="东侧外墙超出批准红线0.5米",
        correct_by=(inspected + dt.timedelta(days=10)).isoformat(),
    )
    expect(tom_phone.locator("#visits")).to_contain_text("责令停工")
    tom.goto(f"{base}/cases/{case.pk}/")
    sign(tom, "施工巡查完毕")
    expect(tom.locator("main")).to_contain_text("问题尚未整改")  # the engine refuses
    tom.goto(f"{base}/homestead/{application.pk}/")
    tom.locator("#visits textarea[name=answer]").fill("已拆除超出部分，复核符合四至")
    with tom.expect_navigation():
        tom.locator("#visits").get_by_role("button", name="已整改").click()
    assert not Deviation.objects.get().is_open
    step(tom, base, case.pk, "施工巡查完毕，户主报告竣工")

    # 6. The acceptance visit measures the house; the town signs the acceptance.
    quiet(live_server, vera, page, tom, tom_phone)
    travel.to(ten_o_clock(FIRST_DAY + dt.timedelta(days=90)))
    done = FIRST_DAY + dt.timedelta(days=90)
    visit("completion", done, site_area="180", footprint="119.5", floors="2", height="7.75")
    step(tom, base, case.pk, "验收合格")
    application.refresh_from_db()
    assert (
        application.actual_floors == 2
        and application.case.step.limit_key == "homestead.registration"
    )

    # 7. The forms download with the numbers on them.
    tom.goto(f"{base}/homestead/{application.pk}/")
    snap(tom, "homestead-6-accepted")
    with tom.expect_download() as download:
        tom.locator("main").get_by_role("link", name="验收意见表").click()
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(download.value.path().read_bytes())).tables
        for row in table.rows
        for cell in row.cells
    )
    assert application.permit_number in text and "7.75" in text
    with tom.expect_download() as download:
        tom.locator("main").get_by_role("link", name="农村宅基地批准书").click()
    approval = Document(io.BytesIO(download.value.path().read_bytes()))
    everything = "\n".join(p.text for p in approval.paragraphs) + "\n".join(
        c.text for t in approval.tables for r in t.rows for c in r.cells
    )
    assert application.approval_number in everything
    assert application.case.state == CaseState.OPEN
    for context in (phone, town, field):
        context.close()
    quiet(live_server, page)
    assert clock.today() == done

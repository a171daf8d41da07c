"""Cases walk their item's steps: clocks, duties on the one ladder, guards, returns,
refusals, withdrawals, pauses, extensions and the 四议两公开 gate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.cases import selectors, services
from hemei.cases.choices import CaseState, Outcome
from hemei.cases.models import Case
from hemei.catalogue.samples import adopted_catalogue
from hemei.core import clock
from hemei.core.testing import TOWN_A, VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.notices import services as notices
from hemei.notices.models import Notice
from hemei.points.tests.factories import household
from hemei.procedures import selectors as procedures
from hemei.supervision import services as supervision
from hemei.supervision.models import Card
from hemei.tasks.choices import Source, State
from hemei.tasks.models import Task

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.fixture
def world(cast: Cast):
    adopted_catalogue(cast.alice, VILLAGE_A)
    return household(VILLAGE_A, "H001", "王秀英", user=cast.vera)


def village() -> Division:
    return Division.objects.get(code=VILLAGE_A)


def apply(cast: Cast, **extra) -> Case:
    with clock.frozen_at(MONDAY):
        return services.start_case(
            actor=cast.vera, village=village(), item_code="F01", title="因病临时救助", **extra
        )


def passed_record(cast: Cast):
    """A 四议两公开 record of the village whose representatives' meeting passed it."""
    from hemei.procedures.tests.test_decisions import meet, new_record

    record = new_record(cast)
    meet(cast, record)
    meet(cast, record)
    meet(cast, record, entitled=30, present=20, yes=16, no=4, abst=0)
    meet(cast, record, entitled=45, present=30, yes=16, no=10, abst=4)
    return record


def test_a_villager_applies_and_the_village_step_starts_its_clock(cast: Cast, world) -> None:
    case = apply(cast)
    assert case.number == f"{VILLAGE_A}-2026-0001"
    assert case.household == world and case.applicant == cast.vera
    assert case.applicant_name == "王秀英"
    first, second = case.records.order_by("id")
    assert first.outcome == Outcome.PASSED and first.step.name == "提出申请"
    assert second.outcome == Outcome.OPEN and second.step.name == "村委会入户核实"
    assert case.step_due_on == procedures.add_workdays(dt.date(2026, 6, 15), 3)
    duty = Task.objects.get(pk=case.duty_id)
    assert duty.division_id == VILLAGE_A and duty.source == Source.CASE
    assert duty.due_on == case.step_due_on


def test_each_office_takes_its_own_step_and_the_case_completes(cast: Cast, world) -> None:
    case = apply(cast)
    with pytest.raises(PermissionDenied):  # the town does not sign the village's step
        services.pass_step(actor=cast.tom, case=case, opinion="同意", signer="唐涛")
    with clock.frozen_at(MONDAY + dt.timedelta(days=1)):
        case = services.pass_step(
            actor=cast.victor, case=case, opinion="情况属实", signer="韦村", sealed=True
        )
    # the village's step publishes: the case waits for its notice (3 calendar days) to end
    assert case.state == CaseState.NOTICE and case.step.name == "村委会入户核实"
    assert case.step_due_on == dt.date(2026, 6, 19)
    with clock.frozen_at(MONDAY + dt.timedelta(days=4, hours=1)):
        assert notices.end_due_notices() == 1
    case.refresh_from_db()
    assert case.step.name == "乡镇审核审批"
    village_duty = Task.objects.filter(division_id=VILLAGE_A, source=Source.CASE).get()
    assert village_duty.state == State.DONE
    assert Task.objects.get(pk=case.duty_id).division_id == TOWN_A
    with pytest.raises(PermissionDenied):
        services.pass_step(actor=cast.owen, case=case, opinion="同意", signer="欧文")
    with clock.frozen_at(MONDAY + dt.timedelta(days=5)):
        case = services.pass_step(actor=cast.tom, case=case, opinion="同意救助", signer="唐涛")
    assert case.state == CaseState.DONE and case.closed_on == dt.date(2026, 6, 20)
    assert [r.outcome for r in case.records.order_by("id")] == [Outcome.PASSED] * 3
    signed = case.records.order_by("id")[1]
    assert (signed.signer, signed.sealed, signed.opinion) == ("韦村", True, "情况属实")


def test_bad_input_changes_nothing(cast: Cast, world) -> None:
    case = apply(cast)
    before = list(case.records.values_list("id", "outcome"))
    for kwargs in ({"opinion": "", "signer": "韦村"}, {"opinion": "同意", "signer": " "}):
        with pytest.raises(ValidationError):
            services.pass_step(actor=cast.victor, case=case, **kwargs)
    with pytest.raises(ValidationError):
        services.return_case(actor=cast.victor, case=case, to_position=9, reason="补材料")
    assert list(case.records.values_list("id", "outcome")) == before
    with pytest.raises(ValidationError):
        services.start_case(actor=cast.vera, village=village(), item_code="N01", title="x")
    with pytest.raises(ValidationError):
        services.start_case(actor=cast.vera, village=village(), item_code="ZZ", title="x")
    with pytest.raises(PermissionDenied):  # an item the village starts
        services.start_case(
            actor=cast.vera, village=village(), item_code="G01", title="修路", amount=Decimal(1)
        )


def test_a_step_goes_back_to_an_earlier_one(cast: Cast, world) -> None:
    case = apply(cast)
    with clock.frozen_at(MONDAY):
        case = services.pass_step(actor=cast.victor, case=case, opinion="属实", signer="韦村")
    with clock.frozen_at(MONDAY + dt.timedelta(days=4)):
        notices.end_due_notices()
        case.refresh_from_db()
        case = services.return_case(
            actor=cast.tom, case=case, to_position=2, reason="请补充入户照片"
        )
    assert case.step.position == 2
    outcomes = [r.outcome for r in case.records.order_by("id")]
    assert outcomes == [Outcome.PASSED, Outcome.PASSED, Outcome.RETURNED, Outcome.OPEN]
    assert Task.objects.get(pk=case.duty_id).division_id == VILLAGE_A


def test_refusal_and_withdrawal_close_the_case_and_its_clock(cast: Cast, world) -> None:
    case = apply(cast)
    with pytest.raises(ValidationError):
        services.refuse(actor=cast.victor, case=case, reason="", signer="韦村")
    case = services.refuse(
        actor=cast.victor, case=case, reason="家庭收入超过救助标准", signer="韦村"
    )
    assert case.state == CaseState.REFUSED and case.reason == "家庭收入超过救助标准"
    assert Task.objects.get(source=Source.CASE).state == State.DONE
    with pytest.raises(ValidationError):
        services.pass_step(actor=cast.victor, case=case, opinion="同意", signer="韦村")
    second = apply(cast)
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=cast.owen, case=second, reason="不办了")
    second = services.withdraw(actor=cast.vera, case=second, reason="已获其他救助")
    assert second.state == CaseState.WITHDRAWN


def test_thresholds_choose_the_path_and_the_decision_gate_holds(cast: Cast, world) -> None:
    def works(amount: str) -> list[str]:
        case = services.start_case(
            actor=cast.victor,
            village=village(),
            item_code="G01",
            title="硬化村内道路",
            amount=Decimal(amount),
        )
        return [s.name for s in services.path(case.item, case.amount)]

    with clock.frozen_at(MONDAY):
        assert works("8000") == ["两委会商议", "组织验收并公开结果"]
        assert works("10000.00") == ["两委会商议", "村务监督委员会知情", "组织验收并公开结果"]
        assert len(works("99999.99")) == 4
        assert works("100000") == [
            "两委会商议",
            "村务监督委员会知情",
            "四议两公开决议",
            "乡镇公共资源交易中心公开招标",
            "组织验收并公开结果",
        ]
        case = Case.objects.get(amount=Decimal("100000"))
        case = services.pass_step(actor=cast.victor, case=case, opinion="同意", signer="韦村")
        case = services.pass_step(actor=cast.victor, case=case, opinion="知悉", signer="监委")
        with pytest.raises(ValidationError, match="四议两公开"):
            services.pass_step(actor=cast.victor, case=case, opinion="通过", signer="韦村")
        record = passed_record(cast)
        services.link_decision(actor=cast.victor, case=case, record=record)
        case = services.pass_step(actor=cast.victor, case=case, opinion="通过", signer="韦村")
    assert case.step.name == "乡镇公共资源交易中心公开招标"
    assert case.step_due_on == dt.date(2026, 7, 5)  # 20 calendar days


def test_a_late_step_climbs_the_one_ladder(cast: Cast, world) -> None:
    case = apply(cast)
    due = case.step_due_on
    late = due + dt.timedelta(days=1)
    with clock.frozen_at(dt.datetime(late.year, late.month, late.day, 2, tzinfo=dt.UTC)):
        supervision.climb_ladder(today=late)
        assert Card.objects.filter(task_id=case.duty_id).count() == 1
        assert selectors.overdue(Case.objects.all(), late).get() == case


def test_a_pause_stops_the_clock_and_an_extension_is_granted_once(cast: Cast, world) -> None:
    case = apply(cast)
    due = case.step_due_on
    with clock.frozen_at(MONDAY):
        case = services.pause(actor=cast.victor, case=case, reason="等待残联鉴定")
    assert case.state == CaseState.PAUSED and case.duty is None
    with pytest.raises(ValidationError):
        services.pass_step(actor=cast.victor, case=case, opinion="同意", signer="韦村")
    with clock.frozen_at(MONDAY + dt.timedelta(days=7)):
        case = services.resume(actor=cast.victor, case=case)
    left = procedures.workdays_between(dt.date(2026, 6, 15), due)
    assert case.step_due_on == procedures.add_workdays(dt.date(2026, 6, 22), left)
    with clock.frozen_at(MONDAY + dt.timedelta(days=7)):
        with pytest.raises(ValidationError):
            services.extend(actor=cast.victor, case=case, days=5, reason="入户未遇")
        before = case.step_due_on
        case = services.extend(actor=cast.victor, case=case, days=2, reason="入户未遇")
        assert case.step_due_on == procedures.add_workdays(before, 2)
        assert Task.objects.get(pk=case.duty_id).due_on == case.step_due_on
        with pytest.raises(ValidationError):
            services.extend(actor=cast.victor, case=case, days=1, reason="再延")


def test_an_objection_brings_the_case_back_to_the_step_that_posted_the_notice(
    cast: Cast, world
) -> None:
    case = apply(cast)
    with clock.frozen_at(MONDAY):
        case = services.pass_step(
            actor=cast.victor,
            case=case,
            opinion="属实",
            signer="韦村",
            notice_text="王秀英户申请临时救助，拟同意。",
        )
        notice = Notice.objects.of(case).get()
        assert notice.body == "王秀英户申请临时救助，拟同意。"
        with pytest.raises(ValidationError):  # health details never go on a notice
            other = apply(cast)
            services.pass_step(
                actor=cast.victor,
                case=other,
                opinion="属实",
                signer="韦村",
                notice_text="该户因病致贫",
            )
        notices.raise_objection(actor=cast.vera, notice=notice, reason="家里还有存款")
    case.refresh_from_db()
    assert case.state == CaseState.OPEN and case.step.name == "村委会入户核实"
    assert Task.objects.get(pk=case.duty_id).state != State.DONE  # the clock runs again
    assert case.events.filter(kind="objection").exists()
    with clock.frozen_at(MONDAY + dt.timedelta(days=1)):
        case = services.pass_step(actor=cast.victor, case=case, opinion="复核属实", signer="韦村")
    assert case.state == CaseState.NOTICE
    assert Notice.objects.of(case).count() == 2


def test_results_go_on_the_public_board_without_the_applicants_words(cast: Cast, world) -> None:
    from hemei.cases.selectors import board_items

    case = apply(cast)
    with clock.frozen_at(MONDAY):
        services.refuse(actor=cast.victor, case=case, reason="收入超过标准", signer="韦村")
    items = board_items(village(), dt.date(2026, 6, 15))
    assert [(i.title, i.status) for i in items] == [(f"临时救助申请（{case.number}）", "不予办理")]
    assert "因病" not in repr(items) and "收入" not in repr(items)
    assert board_items(village(), dt.date(2026, 10, 1)) == []  # 90 days on


def test_the_approval_form_has_each_step_with_its_boxes(cast: Cast, world) -> None:
    import io

    from django.test import Client
    from docx import Document

    case = apply(cast)
    with clock.frozen_at(MONDAY):
        services.pass_step(
            actor=cast.victor, case=case, opinion="情况属实", signer="韦村", sealed=True
        )
    client = Client()
    client.force_login(cast.victor)
    answer = client.get(f"/cases/{case.pk}/form/")
    assert answer.status_code == 200
    document = Document(io.BytesIO(b"".join(answer.streaming_content)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "村委会入户核实" in cells and "韦村" in cells and "已盖章" in cells
    assert any("情况属实" in text for text in cells)
    assert "临时救助申请审批表" in document.paragraphs[0].text
    client.force_login(cast.vera)  # the household reads its case, not the office's form
    assert client.get(f"/cases/{case.pk}/form/").status_code == 403


def test_a_clock_running_into_an_unknown_year_is_refused_in_chinese(cast: Cast, world) -> None:
    december = dt.datetime(2026, 12, 21, 2, tzinfo=dt.UTC)
    with clock.frozen_at(december):
        case = services.start_case(
            actor=cast.vera, village=village(), item_code="F01", title="冬季临时救助"
        )
        case = services.pause(actor=cast.victor, case=case, reason="等待证明")
    with (
        clock.frozen_at(december + dt.timedelta(days=9)),
        pytest.raises(ValidationError, match="2027"),
    ):
        services.resume(actor=cast.victor, case=case)
    case.refresh_from_db()
    assert case.state == CaseState.PAUSED  # nothing changed


def test_an_official_names_the_household_by_its_number(cast: Cast, world) -> None:
    with clock.frozen_at(MONDAY):
        case = services.start_case(
            actor=cast.victor,
            village=village(),
            item_code="F01",
            title="临时救助",
            household_number="H001",
        )
        assert case.household == world
        with pytest.raises(ValidationError, match=r"户号|household"):
            services.start_case(
                actor=cast.victor,
                village=village(),
                item_code="F01",
                title="x",
                household_number="H999",
            )
    assert Case.objects.count() == 1


def test_the_household_hears_of_every_decision(cast: Cast, world) -> None:
    from hemei.notifications.models import Notification

    case = apply(cast)
    with clock.frozen_at(MONDAY + dt.timedelta(days=1)):
        services.pass_step(actor=cast.victor, case=case, opinion="属实", signer="魏村")
    again = apply(cast)
    with clock.frozen_at(MONDAY + dt.timedelta(days=2)):
        services.refuse(actor=cast.victor, case=again, reason="家庭收入超过标准", signer="魏村")
    told = list(Notification.objects.filter(recipient=cast.vera).order_by("id"))
    assert len(told) == 2 and case.number in told[0].title and again.number in told[1].title
    assert "家庭收入超过标准" in told[-1].title and told[-1].url == f"/cases/{again.pk}/"
    assert not Notification.objects.filter(recipient=cast.victor, kind="case").exists()

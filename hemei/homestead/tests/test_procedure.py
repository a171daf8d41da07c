"""The homestead case from application to archive: every transition, guard and flag."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.cases import services as cases
from hemei.cases.choices import CaseState
from hemei.core import clock
from hemei.core.testing import COUNTY, VILLAGE_A, Cast
from hemei.homestead import checks, services
from hemei.homestead.choices import FlagKind, Stage
from hemei.homestead.models import AreaLimit, Deviation, Flag, JointOpinion
from hemei.households.models import HouseholdEvent
from hemei.places.models import Parcel
from hemei.points.tests.factories import household
from hemei.supervision.models import Card, SupervisionOrder
from hemei.tasks.models import Task

from .helpers import START, answer_all, apply, jpeg, parcel, rectangle, setup_village, sign, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(cast: Cast):
    setup_village(cast)
    return household(VILLAGE_A, "H001", "王秀英", user=cast.vera)


def kinds(application) -> set[str]:
    return set(application.flags.values_list("kind", flat=True))


def test_a_villager_applies_members_come_from_the_register(cast: Cast, home) -> None:
    application = apply(cast)
    case = application.case
    assert case.household == home and case.applicant == cast.vera
    assert case.step.limit_key == "homestead.group_review"
    assert (
        application.members[0]["name"] == "王秀英" and application.members[0]["relation"] == "户主"
    )
    assert (
        application.measured_area == Decimal("120.00") or abs(application.measured_area - 120) < 1
    )
    assert [n["side"] for n in application.neighbours] == ["east", "south", "west", "north"]
    assert kinds(application) == set()  # nothing to answer: a plain rebuild within the limits


def test_bad_input_changes_nothing(cast: Cast, home) -> None:
    from hemei.cases.models import Case

    for bad in (
        {"build_type": "castle"},
        {"reason": ""},
        {"site_area": "一百"},
        {"floors": "12"},
        {"footprint": "130"},  # larger than the homestead
    ):
        with pytest.raises(ValidationError):
            apply(cast, **bad)
    crossing = {
        "type": "Polygon",
        "coordinates": [
            [
                [120.45, 36.39],
                [120.4502, 36.3902],
                [120.4502, 36.39],
                [120.45, 36.3902],
                [120.45, 36.39],
            ]
        ],
    }
    with pytest.raises(ValidationError) as error:
        apply(cast, geometry=crossing)
    assert "自相交" in str(error.value)
    with pytest.raises(ValidationError):
        apply(
            cast,
            geometry='{"type": "Polygon", "coordinates": [], "crs": {"type": "name", "properties": {"name": "EPSG:4527"}}}',
        )
    assert Case.objects.count() == 0


def test_one_household_one_homestead_is_flagged_not_blocked(cast: Cast, home) -> None:
    parcel("ZJ-001", rectangle(100, 100, 10, 10), household=home)
    application = apply(
        cast, build_type="move", handback_promised=True, geometry=rectangle(0, 0, 10, 12)
    )
    assert kinds(application) == {FlagKind.HOLDS_HOMESTEAD}
    flag = application.flags.get()
    assert "ZJ-001" in flag.text and flag.stage == Stage.APPLICATION
    # a rebuild on the same site is not flagged
    rebuild = apply(cast, build_type="rebuild", geometry=rectangle(100, 100, 10, 10))
    assert FlagKind.HOLDS_HOMESTEAD not in kinds(rebuild) and FlagKind.OVERLAP not in kinds(rebuild)
    assert rebuild.current_parcel.code == "ZJ-001"


def test_split_without_a_split_in_the_register_and_move_without_promise(cast: Cast, home) -> None:
    application = apply(cast, build_type="split")
    assert FlagKind.SPLIT_MISSING in kinds(application)
    HouseholdEvent.objects.create(household=home, kind="split", note="分户")
    assert FlagKind.SPLIT_MISSING not in kinds(
        apply(cast, build_type="split", geometry=rectangle(50, 0, 10, 12))
    )
    moved = apply(cast, build_type="move", geometry=rectangle(80, 0, 10, 12))
    assert FlagKind.NO_HANDBACK in kinds(moved)


def test_limits_in_force_on_the_application_date_county_over_province(cast: Cast, home) -> None:
    big = apply(
        cast,
        site_area="260",
        footprint="150",
        floor_area="500",
        floors="4",
        height="13",
        geometry=rectangle(0, 0, 20, 13),
    )
    assert {FlagKind.SITE_AREA, FlagKind.FLOOR_AREA, FlagKind.FLOORS, FlagKind.HEIGHT} <= kinds(big)
    assert "县级测试规定" in big.flags.get(kind=FlagKind.SITE_AREA).text
    # the county's rule ended: the province's (none here) → flagged as having no rule
    AreaLimit.objects.filter(division_id=COUNTY).update(valid_to=dt.date(2026, 3, 31))
    none = apply(cast, geometry=rectangle(60, 0, 10, 12))
    assert kinds(none) == {FlagKind.NO_LIMIT}
    # a rule in force later is not used for an application filed before it
    AreaLimit.objects.create(
        division_id=COUNTY,
        terrain="plain",
        max_site_area=Decimal(100),
        basis="新规定",
        valid_from=dt.date(2026, 7, 1),
    )
    assert checks.limit_for(VILLAGE_A, "plain", dt.date(2026, 6, 15)) is None
    assert checks.limit_for(VILLAGE_A, "plain", dt.date(2026, 7, 1)).basis == "新规定"


def test_measured_area_over_the_limit_is_flagged_even_when_declared_under(cast: Cast, home) -> None:
    application = apply(cast, site_area="120", geometry=rectangle(0, 0, 20, 15))  # 300 m² drawn
    assert FlagKind.SITE_AREA in kinds(application)
    assert abs(application.measured_area - 300) < Decimal("1.5")


def test_overlap_with_another_homestead_and_no_geometry(cast: Cast, home) -> None:
    neighbour = household(VILLAGE_A, "H002", "李二")
    parcel("ZJ-002", rectangle(5, 0, 10, 12), household=neighbour)
    application = apply(cast)
    flag = application.flags.get(kind=FlagKind.OVERLAP)
    assert "ZJ-002" in flag.text and ("59.9" in flag.text or "60.0" in flag.text)
    touching = apply(cast, geometry=rectangle(15, 0, 10, 12))  # shares an edge only
    assert FlagKind.OVERLAP not in kinds(touching)
    assert kinds(apply(cast, geometry=None)) == {FlagKind.NO_GEOMETRY}


def test_farmland_and_plan_flags_from_the_form(cast: Cast, home) -> None:
    application = apply(cast, land_type="cultivated", fits_plan=False)
    assert {FlagKind.FARMLAND, FlagKind.PLAN} <= kinds(application)


def test_the_whole_case_to_archive(cast: Cast, home) -> None:
    application = apply(cast)
    application = walk_to(cast, application, "homestead.joint_review")
    opinions = list(application.opinions.order_by("id"))
    assert [o.office for o in opinions] == ["agriculture", "resources"]
    assert all(Task.objects.get(pk=o.duty_id).division_id == VILLAGE_A[:9] for o in opinions)
    with pytest.raises(ValidationError) as error:  # waiting for both offices
        sign(application.case, cast.tom, START + dt.timedelta(days=20))
    assert "农业农村" in str(error.value) or "agriculture" in str(error.value)
    application = walk_to(cast, application, "homestead.staking")
    assert application.approval_number.startswith(VILLAGE_A[:9]) and application.permit_number
    assert application.approved_on is not None
    application = walk_to(cast, application, "homestead.archive")
    assert application.actual_floors == 2 and application.actual_site_area == Decimal("120.00")
    assert application.parcel is not None and application.parcel.household == home
    sign(application.case, cast.tom, START + dt.timedelta(days=90))
    application.case.refresh_from_db()
    assert application.case.state == CaseState.DONE


def test_an_office_on_its_own_clock_climbs_the_ladder(cast: Cast, home) -> None:
    from hemei.supervision import services as supervision

    application = walk_to(cast, apply(cast), "homestead.joint_review")
    late = application.opinions.get(office="resources")
    with clock.frozen_at(START + dt.timedelta(days=40)):
        services.give_opinion(
            actor=cast.tom,
            opinion=application.opinions.get(office="agriculture"),
            agrees=True,
            text="同意",
            signer="唐涛",
        )
        taken = supervision.climb_ladder()
    duty = Task.objects.get(pk=late.duty_id)
    assert duty.light == "red" and duty.due_on < dt.date(2026, 7, 25) and sum(taken.values()) >= 1
    assert (
        Card.objects.filter(task=duty).exists()
        or SupervisionOrder.objects.filter(task=duty).exists()
    )
    done = Task.objects.get(pk=application.opinions.get(office="agriculture").duty_id)
    assert done.state == "done"


def test_extra_offices_are_asked_and_a_disagreement_stops_the_approval(cast: Cast, home) -> None:
    application = walk_to(cast, apply(cast), "homestead.joint_review")
    with clock.frozen_at(START + dt.timedelta(days=30)):
        services.set_offices(actor=cast.tom, application=application, offices=["forestry"])
        with pytest.raises(PermissionDenied):
            services.set_offices(actor=cast.victor, application=application, offices=["water"])
        with pytest.raises(ValidationError):
            services.set_offices(actor=cast.tom, application=application, offices=["army"])
    assert application.opinions.filter(office="forestry").exists()
    with clock.frozen_at(START + dt.timedelta(days=31)):
        for opinion in application.opinions.all():
            services.give_opinion(
                actor=cast.tom,
                opinion=opinion,
                agrees=opinion.office != "forestry",
                text="意见",
                signer="唐涛",
            )
        with pytest.raises(ValidationError):  # given already
            services.give_opinion(
                actor=cast.tom, opinion=opinion, agrees=True, text="再改", signer="唐涛"
            )
    sign(application.case, cast.tom, START + dt.timedelta(days=32))
    application.refresh_from_db()
    assert application.case.step.limit_key == "homestead.decision"
    with pytest.raises(ValidationError) as error:
        sign(application.case, cast.tom, START + dt.timedelta(days=33))
    assert "林业" in str(error.value) or "forestry" in str(error.value)
    with clock.frozen_at(START + dt.timedelta(days=33)):
        cases.refuse(
            actor=cast.tom,
            case=application.case,
            reason="林业部门不同意：拟建地块涉及林地",
            signer="唐涛",
        )
    application.case.refresh_from_db()
    assert application.case.state == CaseState.REFUSED


def test_return_from_joint_review_stops_its_clocks_and_a_new_round_starts(cast: Cast, home) -> None:
    application = walk_to(cast, apply(cast), "homestead.joint_review")
    first = list(application.opinions.values_list("duty_id", flat=True))
    case = application.case
    position = case.step.position
    with clock.frozen_at(START + dt.timedelta(days=30)):
        cases.return_case(
            actor=cast.tom, case=case, to_position=position - 1, reason="补充四邻签字"
        )
    assert all(Task.objects.get(pk=pk).state == "done" for pk in first)
    application = walk_to(cast, application, "homestead.decision")
    assert services.current_round(application) == 2


def test_open_flag_blocks_the_approval_until_answered_and_approval_rechecks(
    cast: Cast, home
) -> None:
    application = apply(cast, site_area="120")
    application = walk_to(cast, application, "homestead.decision")
    # after application, a neighbour's parcel entered the register where the house goes
    parcel("ZJ-009", rectangle(2, 2, 6, 6), household=household(VILLAGE_A, "H009", "赵九"))
    application.case.refresh_from_db()
    with clock.frozen_at(START + dt.timedelta(days=40)):
        cases.return_case(
            actor=cast.tom,
            case=application.case,
            to_position=application.case.step.position - 1,
            reason="重新联审",
        )
    application = walk_to(cast, application, "homestead.decision")
    # walk_to answers flags before it signs; on entering the decision the check ran again
    flag = Flag.objects.get(application=application, stage=Stage.APPROVAL, kind=FlagKind.OVERLAP)
    assert flag.is_open
    with pytest.raises(ValidationError):
        sign(application.case, cast.tom, START + dt.timedelta(days=60))
    with pytest.raises(PermissionDenied):  # an approval-stage flag is the town's
        services.answer_flag(actor=cast.victor, flag=flag, answer="已协调相邻户", signer="魏村")
    answer_all(application, cast.tom, START + dt.timedelta(days=60))
    sign(application.case, cast.tom, START + dt.timedelta(days=61))
    application.refresh_from_db()
    assert application.approval_number


def test_staking_needs_the_four_neighbours_and_photos(cast: Cast, home) -> None:
    application = walk_to(cast, apply(cast), "homestead.staking")
    day = START + dt.timedelta(days=40)
    with clock.frozen_at(day), pytest.raises(ValidationError):
        services.record_visit(
            actor=cast.tom,
            application=application,
            stage="staking",
            visited_on=day.date(),
            officials="唐涛",
            neighbours=["east", "west"],
            photos=[jpeg()],
        )
    with pytest.raises(ValidationError):
        sign(application.case, cast.tom, day)
    with clock.frozen_at(day), pytest.raises(PermissionDenied):
        services.record_visit(
            actor=cast.victor,
            application=application,
            stage="staking",
            visited_on=day.date(),
            officials="魏村",
            neighbours=["east", "south", "west", "north"],
            photos=[jpeg()],
        )


def test_photo_checks_are_the_evidence_checks(cast: Cast, home) -> None:
    application = walk_to(cast, apply(cast), "homestead.staking")
    day = START + dt.timedelta(days=40)
    with clock.frozen_at(day):
        visit = services.record_visit(
            actor=cast.tom,
            application=application,
            stage="staking",
            visited_on=day.date(),
            officials="唐涛",
            neighbours=["east", "south", "west", "north"],
            photos=[jpeg("旧照片.jpg", taken="2025:01:01 09:00:00")],
        )
    warnings = visit.photos.get().warnings
    assert any("2025-01-01" in w for w in warnings) and any("GPS" in w for w in warnings)
    with clock.frozen_at(day), pytest.raises(ValidationError):
        services.record_visit(
            actor=cast.tom,
            application=application,
            stage="construction",
            visited_on=day.date(),
            officials="唐涛",
            photos=[
                __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
                    "a.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf"
                )
            ],
        )


def test_a_deviation_is_a_stop_work_order_and_acceptance_refuses_it_until_corrected(
    cast: Cast, home
) -> None:
    application = walk_to(cast, apply(cast), "homestead.construction")
    day = START + dt.timedelta(days=60)
    with clock.frozen_at(day):
        services.record_visit(
            actor=cast.tom,
            application=application,
            stage="construction",
            visited_on=day.date(),
            officials="唐涛",
            deviations=[
                {
                    "kind": "over_line",
                    "text": "东侧超出红线0.5米",
                    "correct_by": day.date() + dt.timedelta(days=15),
                }
            ],
        )
    with pytest.raises(ValidationError) as error:
        sign(application.case, cast.tom, day)
    assert "超红线" in str(error.value) or "red line" in str(error.value)
    deviation = Deviation.objects.get()
    with clock.frozen_at(day + dt.timedelta(days=10)):
        services.correct_deviation(
            actor=cast.tom, deviation=deviation, answer="已拆除超出部分，复核合格"
        )
    sign(application.case, cast.tom, day + dt.timedelta(days=11))
    application.refresh_from_db()
    assert application.case.step.limit_key == "homestead.completion"
    # acceptance: built higher than approved → a deviation raised by itself
    with clock.frozen_at(day + dt.timedelta(days=20)):
        services.record_visit(
            actor=cast.tom,
            application=application,
            stage="completion",
            visited_on=(day + dt.timedelta(days=20)).date(),
            officials="唐涛",
            site_area="120",
            footprint="100",
            floors=3,
            height="10.5",
            photos=[jpeg()],
        )
    auto = Deviation.objects.get(kind="too_high")
    assert "3" in auto.text and auto.is_open
    with pytest.raises(ValidationError):
        sign(application.case, cast.tom, day + dt.timedelta(days=21))
    with clock.frozen_at(day + dt.timedelta(days=30)):
        services.correct_deviation(
            actor=cast.tom, deviation=auto, answer="已拆除第三层，复测两层7.5米"
        )
    with clock.frozen_at(day + dt.timedelta(days=31)):
        services.record_visit(
            actor=cast.tom,
            application=application,
            stage="completion",
            visited_on=(day + dt.timedelta(days=31)).date(),
            officials="唐涛",
            site_area="120",
            footprint="100",
            floors=2,
            height="7.5",
            photos=[jpeg()],
        )
    sign(application.case, cast.tom, day + dt.timedelta(days=32))
    application.refresh_from_db()
    assert (
        application.actual_floors == 2
        and application.case.step.limit_key == "homestead.registration"
    )


def test_moving_site_tracks_the_hand_back_to_its_deadline(cast: Cast, home) -> None:
    old = parcel("ZJ-001", rectangle(100, 100, 10, 10), household=home)
    application = apply(cast, build_type="move", handback_promised=True)
    application = walk_to(cast, application, "homestead.archive")
    assert application.handback_due is not None
    duty = Task.objects.get(pk=application.handback_duty_id)
    assert duty.division_id == VILLAGE_A and duty.due_on == application.handback_due
    assert application.current_parcel is None or application.current_parcel == old
    with clock.frozen_at(START + dt.timedelta(days=100)):
        services.record_handback(
            actor=cast.victor, application=application, on=(START + dt.timedelta(days=100)).date()
        )
        with pytest.raises(ValidationError):
            services.record_handback(
                actor=cast.victor,
                application=application,
                on=(START + dt.timedelta(days=100)).date(),
            )
    assert Task.objects.get(pk=duty.pk).state == "done"


def test_withdrawal_closes_the_office_clocks(cast: Cast, home) -> None:
    application = walk_to(cast, apply(cast), "homestead.joint_review")
    with clock.frozen_at(START + dt.timedelta(days=30)):
        cases.withdraw(actor=cast.vera, case=application.case, reason="家庭决定暂缓建房")
    assert all(Task.objects.get(pk=o.duty_id).state == "done" for o in JointOpinion.objects.all())


def test_limits_are_kept_by_the_county_office(cast: Cast, home) -> None:
    from hemei.divisions.models import Division

    county = Division.objects.get(code=COUNTY)
    data = {
        "terrain": "hill",
        "max_site_area": "150",
        "basis": "县政府规定",
        "valid_from": dt.date(2026, 1, 1),
    }
    with pytest.raises(PermissionDenied):
        services.add_limit(actor=cast.tom, division=county, data=data)
    made = services.add_limit(actor=cast.alice, division=county, data=data)
    with pytest.raises(ValidationError):  # overlapping in time
        services.add_limit(actor=cast.alice, division=county, data=data)
    services.end_limit(actor=cast.alice, limit=made, valid_to=dt.date(2026, 12, 31))
    services.add_limit(
        actor=cast.alice, division=county, data={**data, "valid_from": dt.date(2027, 1, 1)}
    )
    with pytest.raises(ValidationError):
        services.add_limit(
            actor=cast.alice,
            division=county,
            data={**data, "max_site_area": "abc", "valid_from": dt.date(2030, 1, 1)},
        )
    assert Parcel.objects.count() == 0


def test_a_household_that_leased_out_its_homestead_is_flagged(cast: Cast, home) -> None:
    from hemei.places import services as places

    old = parcel("ZJ-005", rectangle(100, 100, 10, 10), household=home)
    with clock.frozen_at(START):
        places.record_lease(
            actor=cast.victor,
            parcel=old,
            kind="lease",
            lessee="城区某民宿公司",
            outsider=True,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2035, 12, 31),
        )
    application = apply(cast, build_type="move", handback_promised=True)
    flag = application.flags.get(kind=FlagKind.DISPOSED)
    assert "ZJ-005" in flag.text and "第六十二条" in flag.text


def test_the_builder_is_recorded_at_staking_out(cast: Cast, home) -> None:
    application = walk_to(cast, apply(cast), "homestead.staking")
    day = START + dt.timedelta(days=40)
    with clock.frozen_at(day):
        services.record_visit(
            actor=cast.tom,
            application=application,
            stage="staking",
            visited_on=day.date(),
            officials="唐涛",
            neighbours=["east", "south", "west", "north"],
            photos=[jpeg()],
            builder="姜志刚（持证工匠）",
        )
    application.refresh_from_db()
    assert application.builder == "姜志刚（持证工匠）" and application.started_on == day.date()

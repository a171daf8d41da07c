"""The homestead forms as Word documents: each default template passes the documents app's
own upload check, and each form, filled from a real application, shows what the paper form
asks and never a full ID-card or mobile number (read back with python-docx)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from docx import Document

from hemei.cases import services as cases
from hemei.cases.choices import Outcome
from hemei.cases.models import StepRecord
from hemei.catalogue import services as catalogue
from hemei.catalogue.install import install_default
from hemei.core import clock
from hemei.core.testing import COUNTY, VILLAGE_A, Cast, photo
from hemei.divisions.models import Division
from hemei.documents import services as documents
from hemei.documents.registry import get_kind, kinds
from hemei.documents.rendering import ID_NUMBER, MOBILE_NUMBER, check_template
from hemei.documents.tests.helpers import docx_with
from hemei.households.models import Household, Resident
from hemei.notices import services as notices
from hemei.procedures.adoption import MeetingKind

from .. import documents as forms
from .. import services
from ..choices import Office, VisitStage
from ..models import Application, JointOpinion, SiteVisit, VisitPhoto

HEAD_ID = "370215198003150018"
SPOUSE_ID = "370215198205200026"
HEAD_PHONE = "13905321234"
KINDS = [
    forms.APPLICATION,
    forms.APPROVAL_FORM,
    forms.APPROVAL,
    forms.PERMIT,
    forms.ACCEPTANCE,
]


def at(day: dt.date, hour: int = 10) -> object:
    """The clock frozen at ``hour`` o'clock (Shanghai) of ``day``."""
    return clock.frozen_at(dt.datetime(day.year, day.month, day.day, hour - 8, tzinfo=dt.UTC))


def adopt_default_catalogue(cast: Cast) -> None:
    """The county's default catalogue (its F01 is the homestead item), adopted by 红花山村."""
    with at(dt.date(2026, 1, 5)):
        template = install_default(actor=cast.alice, county=Division.objects.get(code=COUNTY))
    with at(dt.date(2026, 1, 12)):
        draft = catalogue.draft_version(
            actor=cast.alice, village=Division.objects.get(code=VILLAGE_A), based_on=template
        )
        catalogue.adopt_version(
            actor=cast.alice,
            version=draft,
            meeting_kind=MeetingKind.REPRESENTATIVES,
            meeting_date=dt.date(2026, 1, 10),
            in_force_from=dt.date(2026, 1, 12),
        )


def household() -> Household:
    found = Household.objects.create(village_id=VILLAGE_A, number="H2026")
    head = Resident.objects.create(
        household=found,
        name="王长福",
        relation="head",
        gender="male",
        birth_date=dt.date(1980, 3, 15),
        id_number=HEAD_ID,
        phone=HEAD_PHONE,
    )
    Resident.objects.create(
        household=found,
        name="张秀英",
        relation="spouse",
        gender="female",
        birth_date=dt.date(1982, 5, 20),
        id_number=SPOUSE_ID,
    )
    found.head = head
    found.save(update_fields=["head"])
    return found


def applied(cast: Cast, **data: object) -> Application:
    """王长福's household applies (through the village's official) to rebuild on site."""
    adopt_default_catalogue(cast)
    fields = {
        "build_type": "rebuild",
        "land_type": "construction",
        "disposal": "keep",
        "current_site_area": "132",
        "current_floor_area": "96",
        "current_certificate": "鲁（2018）即墨区不动产权第0012345号",
        "reason": "现住房建于1982年，墙体开裂，属危房，申请原址拆除翻建。",
        "address": "红花山村二组东街12号",
        "east": "道路",
        "south": "王长贵宅",
        "west": "李明宅",
        "north": "空地",
        "site_area": "150",
        "footprint": "120",
        "floor_area": "220.50",
        "floors": "2",
        "height": "7.50",
        "base_height": "0.45",
        "design": "鲁农房2024-03",
    } | data
    with at(dt.date(2026, 10, 26)):
        return services.apply(
            actor=cast.victor,
            village=Division.objects.get(code=VILLAGE_A),
            data=fields,
            household=household(),
            neighbours=[
                {"side": "south", "name": "王长贵", "agrees": True, "opinion": ""},
                {"side": "west", "name": "李明", "agrees": True, "opinion": "无异议"},
            ],
        )


def village_steps(cast: Cast, application: Application) -> None:
    """The group meets and posts its notice (five days); the village reviews and seals."""
    with at(dt.date(2026, 10, 27)):
        cases.pass_step(
            actor=cast.victor,
            case=application.case,
            opinion="经第二村民小组会议讨论同意",
            signer="刘洪波",
        )
    with at(dt.date(2026, 11, 4), 18):
        notices.end_due_notices()
    application.case.refresh_from_db()
    with at(dt.date(2026, 11, 5)):
        cases.pass_step(
            actor=cast.victor,
            case=application.case,
            opinion="材料属实，符合村庄规划，已征求相邻权利人意见，同意上报",
            signer="魏村",
            sealed=True,
        )


def signed(application: Application, key: str, opinion: str, on: dt.date) -> StepRecord:
    """The town's step ``key`` taken and signed (its record as the engine writes it)."""
    step = application.case.item.steps.get(limit_key=key)
    return StepRecord.objects.create(
        case=application.case,
        step=step,
        entered_on=on - dt.timedelta(days=3),
        due_on=on,
        left_on=on,
        outcome=Outcome.PASSED,
        opinion=opinion,
        signer="唐涛",
        sealed=True,
        signed_on=on,
    )


def approved(application: Application) -> Application:
    """The joint review's opinions (an earlier round's included), the town's decision and
    the numbers it gave."""
    for office, words in (
        (Office.AGRICULTURE, "旧意见：补充材料"),
        (Office.RESOURCES, "旧意见：补充规划图"),
    ):
        JointOpinion.objects.create(
            application=application,
            office=office,
            round=1,
            asked_on=dt.date(2026, 11, 6),
            due_on=dt.date(2026, 11, 20),
            agrees=False,
            opinion=words,
            signer="赵农",
            signed_on=dt.date(2026, 11, 7),
        )
    for office, words, signer in (
        (Office.AGRICULTURE, "申请人符合申请条件，面积符合标准", "赵农"),
        (Office.RESOURCES, "符合村庄规划和用途管制要求", "钱规"),
        (Office.FORESTRY, "不涉及林地", "孙林"),
    ):
        JointOpinion.objects.create(
            application=application,
            office=office,
            round=2,
            asked_on=dt.date(2026, 11, 10),
            due_on=dt.date(2026, 11, 24),
            agrees=True,
            opinion=words,
            signer=signer,
            sealed=True,
            signed_on=dt.date(2026, 11, 12),
        )
    signed(application, "homestead.decision", "经审核，同意批准", dt.date(2026, 11, 20))
    Application.objects.filter(pk=application.pk).update(
        approval_number="370215100宅批〔2026〕第001号",
        permit_number="乡字第370215100-2026-0001号",
        approved_on=dt.date(2026, 11, 20),
    )
    application.refresh_from_db()
    return application


def built(application: Application, photos: int = 2) -> Application:
    """Built and measured at the completion visit (with photos); the town accepts."""
    Application.objects.filter(pk=application.pk).update(
        builder="刘建国", started_on=dt.date(2026, 12, 1), completed_on=dt.date(2027, 6, 30)
    )
    visit = SiteVisit.objects.create(
        application=application,
        stage=VisitStage.COMPLETION,
        visited_on=dt.date(2027, 7, 8),
        officials="唐涛、魏村",
        site_area=Decimal("149.80"),
        footprint=Decimal("119.60"),
        floors=2,
        height=Decimal("7.40"),
    )
    for number in range(photos):
        picture = VisitPhoto(
            visit=visit, name=f"竣工{number}.jpg", suffix=".jpg", content_type="image/jpeg"
        )
        picture.file.save(f"竣工{number}.jpg", ContentFile(photo()), save=False)
        picture.save()
    signed(
        application,
        "homestead.completion",
        "面积、四至、层数和高度符合批准要求，验收合格",
        dt.date(2027, 7, 8),
    )
    application.refresh_from_db()
    return application


def no_personal_numbers(text: str) -> None:
    for number in (HEAD_ID, SPOUSE_ID, HEAD_PHONE):
        assert number not in text
    assert ID_NUMBER.search(text) is None, ID_NUMBER.search(text)
    assert MOBILE_NUMBER.search(text) is None, MOBILE_NUMBER.search(text)


def read(data: bytes) -> str:
    """Every paragraph of the Word document, each box of a table once (a box over several
    columns is one cell, which python-docx lists once per column)."""
    document = Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = []
            for cell in row.cells:
                if any(cell._tc is other for other in seen):
                    continue
                seen.append(cell._tc)
                lines.extend(paragraph.text for paragraph in cell.paragraphs)
    return "\n".join(lines)


# --------------------------------------------------------------------------- templates


def test_each_form_is_a_kind_whose_default_passes_the_upload_check() -> None:
    keys = {kind.key for kind in kinds()}
    for key in KINDS:
        assert key in keys
        kind = get_kind(key)
        data = check_template(kind.default_bytes(), kind.sample_context())
        text = read(data)
        assert "（盖章）" in text, key
        assert "{{" not in text and "{%" not in text, key
        no_personal_numbers(text)
        section = Document(io.BytesIO(data)).sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        assert not kind.public  # forms, not public notices
        assert kind.download_name.endswith(".docx")


def test_the_sample_values_fill_the_tables_of_the_defaults() -> None:
    kind = get_kind(forms.APPLICATION)
    text = read(check_template(kind.default_bytes(), kind.sample_context()))
    assert "张秀英" in text and "配偶" in text  # a member's row
    assert "王长贵" in text  # a neighbour's row
    kind = get_kind(forms.ACCEPTANCE)
    text = read(check_template(kind.default_bytes(), kind.sample_context()))
    for box in forms.ACCEPTANCE_OFFICES:
        assert box in text
    assert "　　　　年　　月　　日" in text  # the offices date their boxes by hand


# --------------------------------------------------------------------------- the forms


@pytest.mark.django_db
def test_the_application_form_shows_the_household_the_homestead_and_the_village_boxes(
    cast: Cast,
) -> None:
    application = applied(cast)
    village_steps(cast, application)
    text = read(forms.render_application(application))
    assert "农村宅基地和建房（规划许可）申请表" in text
    assert application.case.number in text
    assert "申请日期：2026年10月26日" in text
    # the head of household: sex, age on the day, masked phone and ID, registration
    for value in ("王长福", "男", "46", "139****1234", "370215********0018", "红花山村", "农业"):
        assert value in text, value
    # the members as they stood in the register
    assert "张秀英" in text and "370215********0026" in text and "44" in text
    assert "配偶" in text and "女" in text
    # the current homestead and what happens to it
    assert "鲁（2018）即墨区不动产权第0012345号" in text
    assert "☑1 保留（132㎡）　☐2 退给村集体　☐3 其他" in text
    # the proposed homestead and house
    assert "红花山村二组东街12号" in text
    assert "东至：道路　南至：王长贵宅　西至：李明宅　北至：空地" in text
    assert "☑建设用地　☐未利用地　☐农用地（☐耕地　☐林地　☐草地　☐其他）" in text
    assert "☑是　☐否" in text
    assert "☑原址翻建　☐改扩建　☐易址新建　☐分户新建　☐其他" in text
    for value in ("150", "120", "220.5", "7.5", "0.45", "选用通用图集，编号：鲁农房2024-03"):
        assert value in text, value
    # the four neighbours, one row per side
    assert "王长贵" in text and "同意，无异议" in text
    for side in ("东", "南", "西", "北"):
        assert side in text.splitlines()
    # the reason, signed by the applicant
    assert "现住房建于1982年" in text and "申请人（签字）：王长福" in text
    # the group's and the village's boxes from their step records
    assert "经第二村民小组会议讨论同意" in text and "负责人（签字）：刘洪波" in text
    assert "2026年10月27日" in text
    assert "同意上报" in text and "负责人（签字）：魏村" in text and "2026年11月5日" in text
    assert "（盖章）已盖章" in text
    no_personal_numbers(text)


@pytest.mark.django_db
def test_before_the_village_steps_their_boxes_are_blank_for_the_paper(cast: Cast) -> None:
    application = applied(
        cast,
        build_type="move",
        disposal="return",
        land_type="cultivated",
        fits_plan=False,
        design="",
        reason="原宅基地狭小，联系电话13812345678，申请易址新建",
    )
    text = read(forms.render_application(application))
    assert "负责人（签字）：\n" in text + "\n"
    assert text.count("　　　　年　　月　　日") == 2  # the group's and the village's
    assert "☐1 保留" in text and "☑2 退给村集体" in text
    assert "☐建设用地　☐未利用地　☑农用地（☑耕地　☐林地　☐草地　☐其他）" in text
    assert "☐是　☑否" in text
    assert "☑易址新建" in text and "☐原址翻建" in text
    assert "非通用设计" in text
    # a number typed into the reason is masked like the others
    assert "138****5678" in text
    no_personal_numbers(text)


@pytest.mark.django_db
def test_the_approval_form_has_the_latest_joint_opinions_and_the_towns_decision(
    cast: Cast,
) -> None:
    application = applied(cast)
    blank = read(forms.render_approval_form(application))
    assert "农业农村" in blank and "自然资源（规划）" in blank  # asked, not yet answered
    assert "　　　　年　　月　　日" in blank
    village_steps(cast, application)
    approved(application)
    text = read(forms.render_approval_form(application))
    assert "农村宅基地和建房（规划许可）审批表" in text
    assert "王长福" in text and "370215********0018" in text and "139****1234" in text
    assert "原址翻建" in text and "建设用地" in text and "2层/7.5米" in text
    for value in (
        "申请人符合申请条件，面积符合标准",
        "赵农",
        "符合村庄规划和用途管制要求",
        "钱规",
        "林业",
        "不涉及林地",
        "2026年11月12日",
    ):
        assert value in text, value
    assert "旧意见" not in text  # an earlier round is not the form's
    assert "不同意" not in text
    assert "经审核，同意批准" in text and "2026年11月20日" in text
    assert "（盖章）已盖章" in text
    no_personal_numbers(text)


@pytest.mark.django_db
def test_the_approval_and_the_permit_carry_their_numbers_and_the_town_issues_them(
    cast: Cast,
) -> None:
    application = approved(applied(cast))
    text = read(forms.render_approval(application))
    assert "农村宅基地批准书" in text
    for value in (
        "370215100宅批〔2026〕第001号",
        "王长福",
        "370215********0018",
        "红花山村二组东街12号",
        "150",
        "120",
        "东至：道路",
        "北至：空地",
        "2026年11月20日",
        "田横镇人民政府",
    ):
        assert value in text, value
    no_personal_numbers(text)
    text = read(forms.render_permit(application))
    assert "乡村建设规划许可证" in text
    for value in (
        "编号：乡字第370215100-2026-0001号",
        "农村村民住宅（原址翻建）",
        "220.5",
        "7.5",
        "370215100宅批〔2026〕第001号",
        "田横镇人民政府",
        "2026年11月20日",
    ):
        assert value in text, value
    no_personal_numbers(text)


@pytest.mark.django_db
def test_the_acceptance_form_compares_approved_and_built_with_every_box(cast: Cast) -> None:
    application = built(approved(applied(cast)), photos=2)
    text = read(forms.render_acceptance(application))
    assert "农村宅基地和建房（规划许可）验收意见表" in text
    for value in (
        application.case.number,
        "王长福",
        "370215********0018",
        "红花山村二组东街12号",
        "乡字第370215100-2026-0001号",
        "370215100宅批〔2026〕第001号",
        "刘建国",
        "2026年12月1日",
        "2027年6月30日",
        "149.8",  # measured at the visit, before the step copies it
        "119.6",
        "2层/7.5米",
        "2层/7.4米",
        "原址建房，拆除旧房，不涉及退还宅基地",
        *forms.ACCEPTANCE_OFFICES,
        "乡镇政府验收意见",
        "面积、四至、层数和高度符合批准要求，验收合格",
        "经办人（签字）：唐涛",
        "2027年7月8日",
        "（盖章）已盖章",
        "农房竣工平面简图",
        "绘图人：",
        "见附件照片（竣工验收到场照片共2张）",
    ):
        assert value in text, value
    # the offices' boxes are left for them to sign and date by hand
    assert text.count("　　　　年　　月　　日") == len(forms.ACCEPTANCE_OFFICES) + 1
    no_personal_numbers(text)


@pytest.mark.django_db
def test_a_moved_site_tells_the_hand_back(cast: Cast) -> None:
    application = applied(cast, build_type="move", disposal="return", handback_promised=True)
    Application.objects.filter(pk=application.pk).update(handback_due=dt.date(2027, 9, 30))
    application.refresh_from_db()
    assert forms.handback_of(application) == "已承诺拆旧退还原宅基地，尚未退还，期限2027年9月30日"
    application.handback_done_on = dt.date(2027, 8, 1)
    assert forms.handback_of(application) == "已于2027年8月1日拆除旧房，退还原宅基地"
    text = read(forms.render_acceptance(application))
    assert "已于2027年8月1日" not in text  # not saved: the form reads the database
    assert "见附件照片（尚无竣工验收到场照片）" in text


@pytest.mark.django_db
def test_the_countys_own_template_is_used_for_its_villages(cast: Cast) -> None:
    application = applied(cast)
    documents.upload_template(
        cast.alice,
        Division.objects.get(code=COUNTY),
        forms.PERMIT,
        docx_with("即墨区乡村建设规划许可证", "{{ number }} {{ holder }} {{ issuer }}"),
    )
    approved(application)
    text = read(forms.render_permit(application))
    assert "即墨区乡村建设规划许可证" in text
    assert "乡字第370215100-2026-0001号 王长福 田横镇人民政府" in text

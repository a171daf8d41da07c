"""The homestead forms as Word documents (DOMAIN §1.3), filled from the county's template of
each kind, else the default in ``templates_docx/`` (see :mod:`hemei.documents`):

* ``homestead_application`` — 《农村宅基地和建房（规划许可）申请表》: the head of household,
  the members as they stood in the register when the household applied, the current and the
  proposed homestead, the four neighbours, the reason, and the boxes of the village group and
  the village (their step records, blank until taken);
* ``homestead_approval_form`` — 《农村宅基地和建房（规划许可）审批表》: the case, the joint
  review's opinions of the latest round and the town's decision;
* ``homestead_approval`` — 《农村宅基地批准书》 and ``homestead_permit`` — 《乡村建设规划许可证》,
  each with its number and the town as issuer;
* ``homestead_acceptance`` — 《农村宅基地和建房（规划许可）验收意见表》: approved against built,
  the hand-back, the offices' boxes (the town's from its step record), the sketch and photos.

Identity and phone numbers are always masked, and so is any number typed into a free text
(a reason, an opinion); dates read 2026年11月3日. The forms are in Chinese whatever the
language of the page, as the paper forms are.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemei.cases.choices import Outcome
from hemei.cases.models import StepRecord
from hemei.documents import services as documents
from hemei.documents.registry import Field, register_kind
from hemei.documents.rendering import mask_numbers
from hemei.households.validators import mask_id_number

from .choices import BuildType, Disposal, LandType, Office, Side, VisitStage
from .models import Application, VisitPhoto

APPLICATION = "homestead_application"
APPROVAL_FORM = "homestead_approval_form"
APPROVAL = "homestead_approval"
PERMIT = "homestead_permit"
ACCEPTANCE = "homestead_acceptance"

GROUP_REVIEW = "homestead.group_review"
VILLAGE_REVIEW = "homestead.village_review"
DECISION = "homestead.decision"
COMPLETION = "homestead.completion"

TEMPLATES = Path(__file__).resolve().parent / "templates_docx"
CHECKED, UNCHECKED = "☑", "☐"

#: The wording of the paper forms, whatever the language of the page.
BUILD_TYPES = {
    BuildType.REBUILD: "原址翻建",
    BuildType.EXTEND: "改扩建",
    BuildType.MOVE: "易址新建",
    BuildType.SPLIT: "分户新建",
    BuildType.OTHER: "其他",
}
FARMLAND = {
    LandType.CULTIVATED: "耕地",
    LandType.FOREST: "林地",
    LandType.GRASS: "草地",
    LandType.FARM_OTHER: "其他",
}
LAND_TYPES = {
    LandType.CONSTRUCTION: "建设用地",
    LandType.UNUSED: "未利用地",
    **{key: f"农用地（{name}）" for key, name in FARMLAND.items()},
}
DISPOSALS = {
    Disposal.NONE: "无现宅基地",
    Disposal.KEEP: "保留",
    Disposal.RETURN: "退给村集体",
    Disposal.OTHER: "其他",
}
OFFICES = {
    Office.AGRICULTURE: "农业农村",
    Office.RESOURCES: "自然资源（规划）",
    Office.FORESTRY: "林业",
    Office.WATER: "水利",
    Office.POWER: "电力",
    Office.ENFORCEMENT: "执法",
}
SIDES = {Side.EAST: "东", Side.SOUTH: "南", Side.WEST: "西", Side.NORTH: "北"}
#: The boxes of the acceptance form the offices fill in by hand (the town's is its record).
ACCEPTANCE_OFFICES = (
    "村（社区）意见",
    "规划建设管理部门意见",
    "自然资源部门意见",
    "农业农村部门意见",
)
REGISTRATION_TYPE = "农业"

# --------------------------------------------------------------------------- sample values

_NUMBER = "370215100214-2026-0003"
_HEAD = {
    "head_name": "王长福",
    "head_gender": "男",
    "head_age": "46",
    "head_ethnicity": "汉族",
    "head_phone": "139****1001",
    "head_id_number": "370215********0018",
}
_SITE = {
    "address": "红花山村二组东街12号",
    "east": "道路",
    "south": "王长贵宅",
    "west": "李明宅",
    "north": "空地",
    "site_area": "150",
    "footprint": "120",
    "floor_area": "220",
    "floors": "2",
    "height": "7.5",
}


#: The labels of an office's box: its opinion, who signs, the seal, the date.
BOXES: dict[str, tuple[Any, Any, Any, Any]] = {
    "group": (
        _("village group's opinion"),
        _("village group's opinion: signed by"),
        _("village group's opinion: sealed (已盖章, or empty)"),
        _("village group's opinion: date (empty: filled in by hand)"),
    ),
    "village": (
        _("village collective's or committee's opinion"),
        _("village collective's or committee's opinion: signed by"),
        _("village collective's or committee's opinion: sealed (已盖章, or empty)"),
        _("village collective's or committee's opinion: date (empty: filled in by hand)"),
    ),
    "town": (
        _("town government's opinion"),
        _("town government's opinion: signed by"),
        _("town government's opinion: sealed (已盖章, or empty)"),
        _("town government's opinion: date (empty: filled in by hand)"),
    ),
}


def _opinion_fields(prefix: str, sample: dict[str, str]) -> list[Field]:
    opinion, signer, seal, date = BOXES[prefix]
    return [
        Field(f"{prefix}_opinion", opinion, sample["opinion"]),
        Field(f"{prefix}_signer", signer, sample["signer"]),
        Field(f"{prefix}_seal", seal, sample.get("seal", "")),
        Field(f"{prefix}_date", date, sample["date"]),
    ]


def _fields(names: list[str], labels: dict[str, Any], samples: dict[str, Any]) -> list[Field]:
    return [Field(name, labels[name], samples[name]) for name in names]


LABELS: dict[str, Any] = {
    "number": _("application number (case number)"),
    "applied_on": _("date applied"),
    "village": _("village"),
    "head_name": _("head of household"),
    "head_gender": _("head of household: sex"),
    "head_age": _("head of household: age"),
    "head_ethnicity": _("head of household: ethnicity (empty if not known)"),
    "head_phone": _("head of household: phone (masked)"),
    "head_id_number": _("head of household: ID number (masked)"),
    "registered_at": _("place of household registration"),
    "registration_type": _("household registration type (农业)"),
    "current_site_area": _("current homestead area (m²)"),
    "current_floor_area": _("current floor area (m²)"),
    "current_certificate": _("title certificate number"),
    "disposal": _("what happens to the current homestead"),
    "disposal_marks": _("what happens to the current homestead, as ticked boxes"),
    "address": _("address of the homestead"),
    "east": _("east of it"),
    "south": _("south of it"),
    "west": _("west of it"),
    "north": _("north of it"),
    "site_area": _("approved or proposed homestead area (m²)"),
    "footprint": _("approved or proposed footprint (m²)"),
    "floor_area": _("floor area (m²)"),
    "floors": _("floors"),
    "height": _("height (m)"),
    "base_height": _("base height (m)"),
    "land_type": _("land type"),
    "land_type_marks": _("land type, as ticked boxes"),
    "fits_plan": _("fits the village plan (是 or 否)"),
    "fits_plan_marks": _("fits the village plan, as ticked boxes"),
    "build_type": _("building type"),
    "build_type_marks": _("building type, as ticked boxes"),
    "design": _("standard design number, or 非通用设计"),
    "reason": _("reason for applying"),
    "applicant": _("applicant (signs)"),
    "approval_number": _("approval number (批准书)"),
    "permit_number": _("permit number (规划许可证)"),
    "approved_on": _("date approved"),
    "holder": _("holder (head of household)"),
    "holder_id_number": _("holder: ID number (masked)"),
    "family_size": _("household members"),
    "project": _("building project"),
    "issuer": _("issuing body (seal)"),
    "date": _("date (empty: filled in by hand)"),
    "builder": _("site manager"),
    "started_on": _("work started on"),
    "completed_on": _("completed on"),
    "actual_site_area": _("actual homestead area (m²)"),
    "actual_footprint": _("actual footprint (m²)"),
    "actual_floors": _("floors built"),
    "actual_height": _("height built (m)"),
    "handback": _("demolition of the old house and hand-back of the old homestead"),
    "sketch": _("sketch of the completed house (empty: drawn by hand)"),
    "drawer": _("sketch drawn by"),
    "drawn_on": _("sketch drawn on (empty: filled in by hand)"),
    "photos": _("photos of the house (the completion visit's)"),
}

SAMPLES: dict[str, Any] = {
    "number": _NUMBER,
    "applied_on": "2026年10月26日",
    "village": "红花山村",
    **_HEAD,
    "registered_at": "红花山村",
    "registration_type": REGISTRATION_TYPE,
    "current_site_area": "132",
    "current_floor_area": "96",
    "current_certificate": "鲁（2018）即墨区不动产权第0012345号",
    "disposal": "保留",
    "disposal_marks": "☑1 保留（132㎡）　☐2 退给村集体　☐3 其他",
    **_SITE,
    "base_height": "0.45",
    "land_type": "建设用地",
    "land_type_marks": "☑建设用地　☐未利用地　☐农用地（☐耕地　☐林地　☐草地　☐其他）",
    "fits_plan": "是",
    "fits_plan_marks": "☑是　☐否",
    "build_type": "原址翻建",
    "build_type_marks": "☑原址翻建　☐改扩建　☐易址新建　☐分户新建　☐其他",
    "design": "选用通用图集，编号：鲁农房2024-03",
    "reason": "现住房建于1982年，墙体开裂，属危房，申请原址拆除翻建。",
    "applicant": "王长福",
    "approval_number": "370215100宅批〔2026〕第003号",
    "permit_number": "乡字第370215100〔2026〕0003号",
    "approved_on": "2026年11月20日",
    "holder": "王长福",
    "holder_id_number": "370215********0018",
    "family_size": "4",
    "project": "农村村民住宅（原址翻建）",
    "issuer": "田横镇人民政府",
    "date": "2026年11月20日",
    "builder": "刘建国",
    "started_on": "2026年12月1日",
    "completed_on": "2027年6月30日",
    "actual_site_area": "150",
    "actual_footprint": "119.6",
    "actual_floors": "2",
    "actual_height": "7.4",
    "handback": "原址建房，拆除旧房，不涉及退还宅基地",
    "sketch": "",
    "drawer": "",
    "drawn_on": "",
    "photos": "见附件照片（竣工验收到场照片共3张）",
}

register_kind(
    APPLICATION,
    title=_("Homestead and house-building application form (申请表)"),
    filename="农村宅基地和建房（规划许可）申请表",
    default_template=TEMPLATES / "homestead_application.docx",
    fields=[
        *_fields(
            [
                "number",
                "applied_on",
                "head_name",
                "head_gender",
                "head_age",
                "head_ethnicity",
                "head_phone",
                "head_id_number",
                "registered_at",
                "registration_type",
            ],
            LABELS,
            SAMPLES,
        ),
        Field(
            "members",
            _(
                "table rows: name, gender, age, relation, id_number, registered_at, registration_type"
            ),
            [
                {
                    "name": "王长福",
                    "gender": "男",
                    "age": "46",
                    "relation": "户主",
                    "id_number": "370215********0018",
                    "registered_at": "红花山村",
                    "registration_type": REGISTRATION_TYPE,
                },
                {
                    "name": "张秀英",
                    "gender": "女",
                    "age": "44",
                    "relation": "配偶",
                    "id_number": "370215********0026",
                    "registered_at": "红花山村",
                    "registration_type": REGISTRATION_TYPE,
                },
            ],
        ),
        *_fields(
            [
                "current_site_area",
                "current_floor_area",
                "current_certificate",
                "disposal_marks",
                "site_area",
                "footprint",
                "address",
                "east",
                "south",
                "west",
                "north",
                "land_type_marks",
                "fits_plan_marks",
                "build_type_marks",
                "floor_area",
                "floors",
                "height",
                "base_height",
                "design",
            ],
            LABELS,
            SAMPLES,
        ),
        Field(
            "neighbours",
            _("table rows of the four neighbours: side, name, opinion"),
            [
                {"side": "东", "name": "（道路）", "opinion": ""},
                {"side": "南", "name": "王长贵", "opinion": "同意"},
                {"side": "西", "name": "李明", "opinion": "同意"},
                {"side": "北", "name": "", "opinion": ""},
            ],
        ),
        *_fields(["reason", "applicant"], LABELS, SAMPLES),
        *_opinion_fields(
            "group",
            {
                "opinion": "经第二村民小组会议讨论同意，已公示5日无异议。",
                "signer": "刘洪波",
                "date": "2026年10月27日",
            },
        ),
        *_opinion_fields(
            "village",
            {
                "opinion": "材料属实，符合村庄规划，已征求相邻权利人意见，同意上报。",
                "signer": "魏村",
                "seal": "已盖章",
                "date": "2026年11月5日",
            },
        ),
    ],
)

register_kind(
    APPROVAL_FORM,
    title=_("Homestead and house-building approval form (审批表)"),
    filename="农村宅基地和建房（规划许可）审批表",
    default_template=TEMPLATES / "homestead_approval_form.docx",
    fields=[
        *_fields(
            [
                "number",
                "applied_on",
                "head_name",
                "head_id_number",
                "head_phone",
                "village",
                "build_type",
                "land_type",
                "address",
                "east",
                "south",
                "west",
                "north",
                "site_area",
                "footprint",
                "floor_area",
                "floors",
                "height",
                "fits_plan",
                "disposal",
            ],
            LABELS,
            SAMPLES,
        ),
        Field(
            "opinions",
            _("table rows of the joint review: office, opinion, agrees, signer, seal, date"),
            [
                {
                    "office": "农业农村",
                    "opinion": "申请人符合申请条件，面积符合标准。",
                    "agrees": "同意",
                    "signer": "赵农",
                    "seal": "已盖章",
                    "date": "2026年11月12日",
                },
                {
                    "office": "自然资源（规划）",
                    "opinion": "符合村庄规划和用途管制要求。",
                    "agrees": "同意",
                    "signer": "钱规",
                    "seal": "已盖章",
                    "date": "2026年11月13日",
                },
            ],
        ),
        *_opinion_fields(
            "town",
            {
                "opinion": "经审核，同意批准。",
                "signer": "唐涛",
                "seal": "已盖章",
                "date": "2026年11月20日",
            },
        ),
    ],
)

register_kind(
    APPROVAL,
    title=_("Homestead approval (农村宅基地批准书)"),
    filename="农村宅基地批准书",
    default_template=TEMPLATES / "homestead_approval.docx",
    fields=_fields(
        [
            "number",
            "holder",
            "holder_id_number",
            "family_size",
            "village",
            "build_type",
            "address",
            "site_area",
            "footprint",
            "land_type",
            "east",
            "south",
            "west",
            "north",
            "approved_on",
            "issuer",
            "date",
        ],
        LABELS,
        SAMPLES | {"number": SAMPLES["approval_number"]},
    ),
)

register_kind(
    PERMIT,
    title=_("Rural building permit (乡村建设规划许可证)"),
    filename="乡村建设规划许可证",
    default_template=TEMPLATES / "homestead_permit.docx",
    fields=_fields(
        [
            "number",
            "holder",
            "project",
            "address",
            "east",
            "south",
            "west",
            "north",
            "site_area",
            "footprint",
            "floor_area",
            "floors",
            "height",
            "base_height",
            "approval_number",
            "approved_on",
            "issuer",
            "date",
        ],
        LABELS,
        SAMPLES | {"number": SAMPLES["permit_number"]},
    ),
)

register_kind(
    ACCEPTANCE,
    title=_("Homestead and house-building acceptance form (验收意见表)"),
    filename="农村宅基地和建房（规划许可）验收意见表",
    default_template=TEMPLATES / "homestead_acceptance.docx",
    fields=[
        *_fields(
            [
                "number",
                "head_name",
                "head_id_number",
                "address",
                "permit_number",
                "approval_number",
                "builder",
                "started_on",
                "completed_on",
                "site_area",
                "actual_site_area",
                "footprint",
                "actual_footprint",
                "floors",
                "height",
                "actual_floors",
                "actual_height",
                "handback",
            ],
            LABELS,
            SAMPLES,
        ),
        Field(
            "opinions",
            _("table rows of the offices' boxes: office, opinion, signer, date"),
            [
                {"office": office, "opinion": "", "signer": "", "date": ""}
                for office in ACCEPTANCE_OFFICES
            ],
        ),
        *_opinion_fields(
            "town",
            {
                "opinion": "经实地丈量，面积、四至、层数和高度符合批准要求，验收合格。",
                "signer": "唐涛",
                "seal": "已盖章",
                "date": "2027年7月8日",
            },
        ),
        *_fields(["sketch", "drawer", "drawn_on", "photos"], LABELS, SAMPLES),
    ],
)


# --------------------------------------------------------------------------- values


def day(value: dt.date | None) -> str:
    """2026年11月3日, or empty."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def figure(value: Decimal | int | None) -> str:
    """An area or a height as written on a form: 150, 119.6, 7.45 (no trailing zeros)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def text(value: Any) -> str:
    """A free text as it may go on a form: any ID, mobile or bank number in it masked."""
    return mask_numbers(str(value or "").strip())


def marks(options: list[tuple[bool, str]]) -> str:
    return "　".join(f"{CHECKED if ticked else UNCHECKED}{label}" for ticked, label in options)


def _town(application: Application) -> Any:
    from hemei.cases.services import office_of
    from hemei.divisions.models import Division

    return Division.objects.filter(code=office_of(application.case.village_id, "town")).first()


def issuer_of(application: Application) -> str:
    """The town's government, which approves and issues (its seal)."""
    town = _town(application)
    return f"{town.name}人民政府" if town is not None else ""


def record_of(application: Application, limit_key: str) -> dict[str, str]:
    """The office's box from the latest signed record of the step ``limit_key`` (passed or
    refused in writing): opinion, signer, seal, date; blank while it is not taken."""
    record = (
        StepRecord.objects.filter(
            case_id=application.case_id,
            step__limit_key=limit_key,
            outcome__in=[Outcome.PASSED, Outcome.REFUSED],
        )
        .order_by("-entered_on", "-id")
        .first()
    )
    if record is None:
        return {"opinion": "", "signer": "", "seal": "", "date": ""}
    return {
        "opinion": text(record.opinion),
        "signer": text(record.signer),
        "seal": "已盖章" if record.sealed else "",
        "date": day(record.signed_on or record.left_on),
    }


def _box(prefix: str, values: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}_{key}": value for key, value in values.items()}


def _head(application: Application) -> dict[str, str]:
    """The head of household from the register (sex, age on the day of applying, masked
    phone and ID number), else from the members listed when applying."""
    case = application.case
    household = case.household
    head = household.head if household is not None and household.head_id else None
    first = next(iter(application.members or []), {})
    applied = timezone.localdate(case.created_at)
    if head is None:
        return {
            "head_name": text(case.applicant_name),
            "head_gender": str(first.get("gender", "")),
            "head_age": str(first.get("age", "")),
            "head_ethnicity": "",
            "head_phone": "",
            "head_id_number": mask_numbers(str(first.get("id_number", ""))),
        }
    age = ""
    if head.birth_date:
        born = head.birth_date
        age = str(
            applied.year - born.year - ((applied.month, applied.day) < (born.month, born.day))
        )
    gender = {"male": "男", "female": "女"}.get(head.gender, head.get_gender_display())
    return {
        "head_name": head.name,
        "head_gender": str(gender or ""),
        "head_age": age,
        "head_ethnicity": str(getattr(head, "ethnicity", "") or ""),
        "head_phone": head.masked_phone,
        "head_id_number": head.masked_id_number,
    }


def _site(application: Application) -> dict[str, str]:
    return {
        "address": text(application.address),
        "east": text(application.east),
        "south": text(application.south),
        "west": text(application.west),
        "north": text(application.north),
        "site_area": figure(application.site_area),
        "footprint": figure(application.footprint),
        "floor_area": figure(application.floor_area),
        "floors": figure(application.floors),
        "height": figure(application.height),
        "base_height": figure(application.base_height),
    }


def _case(application: Application) -> dict[str, str]:
    case = application.case
    return {
        "number": case.number,
        "applied_on": day(timezone.localdate(case.created_at)),
        "village": case.village.name,
    }


def _disposal_marks(application: Application) -> str:
    chosen = application.disposal
    kept = figure(application.current_site_area)
    other = text(application.disposal_note)
    return marks(
        [
            (chosen == Disposal.KEEP, f"1 保留（{kept}㎡）" if kept else "1 保留"),
            (chosen == Disposal.RETURN, "2 退给村集体"),
            (chosen == Disposal.OTHER, f"3 其他：{other}" if other else "3 其他"),
        ]
    )


def _land_type_marks(application: Application) -> str:
    chosen = application.land_type
    farm = marks([(chosen == key, name) for key, name in FARMLAND.items()])
    return marks(
        [
            (chosen == LandType.CONSTRUCTION, "建设用地"),
            (chosen == LandType.UNUSED, "未利用地"),
            (chosen in LandType.farmland(), f"农用地（{farm}）"),
        ]
    )


def _design(application: Application) -> str:
    number = text(application.design)
    return f"选用通用图集，编号：{number}" if number else "非通用设计（符合当地风貌）"


def _neighbours(application: Application) -> list[dict[str, str]]:
    """One row per side, east, south, west, north (a side nobody gave stays blank)."""
    rows = []
    given = application.neighbours or []
    for side, name in SIDES.items():
        found = [row for row in given if row.get("side") == side]
        for row in found or [{}]:
            agrees = row.get("agrees")
            opinion = {True: "同意", False: "不同意"}.get(agrees, "") if agrees is not None else ""
            said = text(row.get("opinion"))
            rows.append(
                {
                    "side": name,
                    "name": text(row.get("name")),
                    "opinion": "，".join(part for part in (opinion, said) if part),
                }
            )
    return rows


def _members(application: Application) -> list[dict[str, str]]:
    village = application.case.village.name
    return [
        {
            "name": text(row.get("name")),
            "gender": str(row.get("gender", "")),
            "age": str(row.get("age", "")),
            "relation": str(row.get("relation", "")),
            # the snapshot holds them masked; masked again in case an older one did not
            "id_number": mask_numbers(mask_id_number(str(row.get("id_number", "")))),
            "registered_at": village,
            "registration_type": REGISTRATION_TYPE,
        }
        for row in application.members or []
    ]


def _render(kind: str, application: Application, context: dict[str, Any]) -> bytes:
    return documents.render(kind, documents.county_of(application.case.village_id), context)


def _load(application: Application) -> Application:
    return Application.objects.select_related(
        "case", "case__village", "case__household", "case__household__head"
    ).get(pk=application.pk)


# --------------------------------------------------------------------------- the forms


def application_context(application: Application) -> dict[str, Any]:
    application = _load(application)
    case = application.case
    return {
        **_case(application),
        **_head(application),
        "registered_at": case.village.name,
        "registration_type": REGISTRATION_TYPE,
        "members": _members(application),
        "current_site_area": figure(application.current_site_area),
        "current_floor_area": figure(application.current_floor_area),
        "current_certificate": text(application.current_certificate),
        "disposal_marks": _disposal_marks(application),
        **_site(application),
        "land_type_marks": _land_type_marks(application),
        "fits_plan_marks": marks(
            [(application.fits_plan, "是"), (not application.fits_plan, "否")]
        ),
        "build_type_marks": marks(
            [(application.build_type == key, name) for key, name in BUILD_TYPES.items()]
        ),
        "design": _design(application),
        "neighbours": _neighbours(application),
        "reason": text(application.reason),
        "applicant": text(case.applicant_name),
        **_box("group", record_of(application, GROUP_REVIEW)),
        **_box("village", record_of(application, VILLAGE_REVIEW)),
    }


def render_application(application: Application) -> bytes:
    """《农村宅基地和建房（规划许可）申请表》."""
    return _render(APPLICATION, application, application_context(application))


def _joint_opinions(application: Application) -> list[dict[str, str]]:
    """The opinions of the latest round, one row per office (offices not yet asked blank)."""
    latest = max(application.opinions.values_list("round", flat=True), default=0)
    given = list(application.opinions.filter(round=latest).order_by("id")) if latest else []
    if not given:
        return [
            {
                "office": OFFICES[office],
                "opinion": "",
                "agrees": "",
                "signer": "",
                "seal": "",
                "date": "",
            }
            for office in (*Office.always(), *application.offices)
            if office in OFFICES
        ]
    return [
        {
            "office": OFFICES.get(opinion.office, opinion.office),
            "opinion": text(opinion.opinion),
            "agrees": {True: "同意", False: "不同意"}.get(opinion.agrees, "")
            if opinion.agrees is not None
            else "",
            "signer": text(opinion.signer),
            "seal": "已盖章" if opinion.sealed else "",
            "date": day(opinion.signed_on),
        }
        for opinion in given
    ]


def approval_form_context(application: Application) -> dict[str, Any]:
    application = _load(application)
    head = _head(application)
    return {
        **_case(application),
        "head_name": head["head_name"],
        "head_id_number": head["head_id_number"],
        "head_phone": head["head_phone"],
        "build_type": BUILD_TYPES.get(application.build_type, ""),
        "land_type": LAND_TYPES.get(application.land_type, ""),
        **{key: value for key, value in _site(application).items() if key != "base_height"},
        "fits_plan": "是" if application.fits_plan else "否",
        "disposal": DISPOSALS.get(application.disposal, ""),
        "opinions": _joint_opinions(application),
        **_box("town", record_of(application, DECISION)),
    }


def render_approval_form(application: Application) -> bytes:
    """《农村宅基地和建房（规划许可）审批表》."""
    return _render(APPROVAL_FORM, application, approval_form_context(application))


def approval_context(application: Application) -> dict[str, Any]:
    application = _load(application)
    head = _head(application)
    site = _site(application)
    return {
        "number": text(application.approval_number),
        "holder": head["head_name"],
        "holder_id_number": head["head_id_number"],
        "family_size": str(len(application.members or [])) if application.members else "",
        "village": application.case.village.name,
        "build_type": BUILD_TYPES.get(application.build_type, ""),
        "land_type": LAND_TYPES.get(application.land_type, ""),
        **{key: site[key] for key in ("address", "site_area", "footprint")},
        **{key: site[key] for key in ("east", "south", "west", "north")},
        "approved_on": day(application.approved_on),
        "issuer": issuer_of(application),
        "date": day(application.approved_on),
    }


def render_approval(application: Application) -> bytes:
    """《农村宅基地批准书》."""
    return _render(APPROVAL, application, approval_context(application))


def permit_context(application: Application) -> dict[str, Any]:
    application = _load(application)
    head = _head(application)
    build_type = BUILD_TYPES.get(application.build_type, "")
    return {
        "number": text(application.permit_number),
        "holder": head["head_name"],
        "project": f"农村村民住宅（{build_type}）" if build_type else "农村村民住宅",
        **_site(application),
        "approval_number": text(application.approval_number),
        "approved_on": day(application.approved_on),
        "issuer": issuer_of(application),
        "date": day(application.approved_on),
    }


def render_permit(application: Application) -> bytes:
    """《乡村建设规划许可证》."""
    return _render(PERMIT, application, permit_context(application))


def handback_of(application: Application) -> str:
    """拆旧退还宅基地情况, from the building type, the disposal and the hand-back."""
    if application.build_type in BuildType.keeps_site():
        return "原址建房，拆除旧房，不涉及退还宅基地"
    if application.handback_done_on:
        return f"已于{day(application.handback_done_on)}拆除旧房，退还原宅基地"
    if application.build_type == BuildType.MOVE or application.disposal == Disposal.RETURN:
        if application.handback_promised:
            due = application.handback_due
            limit = f"，期限{day(due)}" if due else ""
            return f"已承诺拆旧退还原宅基地，尚未退还{limit}"
        return "尚未承诺拆旧退还原宅基地"
    if application.disposal == Disposal.KEEP:
        return "原宅基地保留"
    if application.disposal == Disposal.OTHER:
        note = text(application.disposal_note)
        return f"其他：{note}" if note else "其他"
    return "无原宅基地，不涉及拆旧退还"


def acceptance_context(application: Application) -> dict[str, Any]:
    application = _load(application)
    head = _head(application)
    site = _site(application)
    visit = (
        application.visits.filter(stage=VisitStage.COMPLETION)
        .order_by("-visited_on", "-id")
        .first()
    )

    def built(name: str) -> str:
        value = getattr(application, f"actual_{name}")
        if value is None and visit is not None:  # measured, the step not passed yet
            value = getattr(visit, name)
        return figure(value)

    photos = VisitPhoto.objects.filter(
        visit__application=application, visit__stage=VisitStage.COMPLETION
    ).count()
    return {
        "number": application.case.number,
        "head_name": head["head_name"],
        "head_id_number": head["head_id_number"],
        "address": site["address"],
        "permit_number": text(application.permit_number),
        "approval_number": text(application.approval_number),
        "builder": text(application.builder),
        "started_on": day(application.started_on),
        "completed_on": day(application.completed_on),
        "site_area": site["site_area"],
        "actual_site_area": built("site_area"),
        "footprint": site["footprint"],
        "actual_footprint": built("footprint"),
        "floors": site["floors"],
        "height": site["height"],
        "actual_floors": built("floors"),
        "actual_height": built("height"),
        "handback": handback_of(application),
        "opinions": [
            {"office": office, "opinion": "", "signer": "", "date": ""}
            for office in ACCEPTANCE_OFFICES
        ],
        **_box("town", record_of(application, COMPLETION)),
        "sketch": "",
        "drawer": "",
        "drawn_on": "",
        "photos": f"见附件照片（竣工验收到场照片共{photos}张）"
        if photos
        else "见附件照片（尚无竣工验收到场照片）",
    }


def render_acceptance(application: Application) -> bytes:
    """《农村宅基地和建房（规划许可）验收意见表》."""
    return _render(ACCEPTANCE, application, acceptance_context(application))


#: Each kind's render, for the pages that offer the forms.
RENDERERS = {
    APPLICATION: render_application,
    APPROVAL_FORM: render_approval_form,
    APPROVAL: render_approval,
    PERMIT: render_permit,
    ACCEPTANCE: render_acceptance,
}

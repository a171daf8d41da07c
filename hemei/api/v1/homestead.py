"""Homestead approval (宅基地和建房审批): the town's ledger with its filters and Excel export,
an application with its flags, the joint review's opinions, site visits and deviations;
apply, answer a flag, give an office's opinion, choose the offices, record a visit, correct a
deviation; the town's inspection log of visits. Every change goes through
:mod:`hemei.homestead.services`, which checks who acts; the steps themselves (pass, return,
refuse…) are the case's (``/api/v1/cases/{case_id}/pass/``…). Files (materials, visit
photos) are added on the pages, not through the API.

Who reads what is the application's policy, as on the pages: village affairs of the area
read the ledger and every application; a villager reads their own household's application
and applies for it, and nothing else."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.policy import places
from hemei.cases.choices import CaseState
from hemei.core import clock
from hemei.divisions.choices import Level as DivisionLevel
from hemei.divisions.models import Division
from hemei.homestead import paperwork, selectors, services
from hemei.homestead.choices import (
    BuildType,
    DeviationKind,
    Disposal,
    FlagKind,
    LandType,
    Office,
    Side,
    Stage,
    Terrain,
    VisitStage,
)
from hemei.homestead.models import Application, Deviation, Flag, JointOpinion, SiteVisit
from hemei.households.selectors import household_of
from hemei.tasks.choices import Light

from .. import schema as s
from ..framework import Call, not_found
from .cases import STEP_REF
from .common import (
    DIVISION,
    DIVISION_CODE,
    api,
    date,
    division_ref,
    moment,
    number,
    require_role,
    visible_divisions,
)

TAG = "homestead"
# the policy of the application decides (a villager reads their own household's)
api.gate(TAG, Application)

# Shapes -----------------------------------------------------------------------------------

AREA = s.Number(minimum=0, nullable=True, description=gettext_lazy("Square metres."))
METRES = s.Number(minimum=0, nullable=True, description=gettext_lazy("Metres."))
SIDE = s.Choice(Side.choices)

APPLICATION_FIELDS: dict[str, s.Field] = {
    "id": s.Int(
        minimum=1,
        description=gettext_lazy("The application's id, which is its case's id."),
    ),
    "number": s.Str(description=gettext_lazy("The case number (village-year-serial).")),
    "village": DIVISION,
    "applicant_name": s.Str(description=gettext_lazy("The head of the household.")),
    "build_type": s.Choice(BuildType.choices),
    "address": s.Str(),
    "land_type": s.Choice(LandType.choices),
    "site_area": AREA,
    "measured_area": s.Number(
        minimum=0, nullable=True, description=gettext_lazy("Measured on the drawn parcel (m²).")
    ),
    "footprint": AREA,
    "floor_area": AREA,
    "floors": s.Int(minimum=1, maximum=9),
    "height": METRES,
    "approval_number": s.Str(description=gettext_lazy("The 批准书's number, once approved.")),
    "permit_number": s.Str(description=gettext_lazy("The building permit's number.")),
    "approved_on": s.Date(nullable=True),
    "state": s.Choice(CaseState.choices),
    "step": s.Nullable(STEP_REF, description=gettext_lazy("The step in hand.")),
    "step_due_on": s.Date(nullable=True, description=gettext_lazy("The step's deadline.")),
    "light": s.Choice(
        Light.choices,
        nullable=True,
        description=gettext_lazy("The light of the step in hand (empty when not running)."),
    ),
    "open_flags": s.Int(minimum=0, description=gettext_lazy("Flags not answered yet.")),
    "created_at": s.DateTime(),
}
APPLICATION = s.response("HomesteadApplication", APPLICATION_FIELDS)

MEMBER = s.response(
    "HomesteadMember",
    {
        "name": s.Str(),
        "gender": s.Str(),
        "age": s.Str(),
        "relation": s.Str(),
        "id_number": s.Str(description=gettext_lazy("Masked, as on the form.")),
    },
)
NEIGHBOUR = s.response(
    "HomesteadNeighbour",
    {
        "side": SIDE,
        "name": s.Str(),
        "agrees": s.Bool(nullable=True),
        "opinion": s.Str(),
    },
)
FLAG = s.response(
    "HomesteadFlag",
    {
        "id": s.Int(minimum=1),
        "kind": s.Choice(FlagKind.choices),
        "label": s.Str(description=gettext_lazy("The kind, in the interface language.")),
        "stage": s.Choice(Stage.choices),
        "text": s.Str(description=gettext_lazy("What was found.")),
        "raised_on": s.Date(),
        "answered": s.Bool(),
        "answer": s.Str(),
        "answerer_name": s.Str(description=gettext_lazy("Who signed the answer.")),
        "answered_on": s.Date(nullable=True),
    },
)
OPINION = s.response(
    "HomesteadOpinion",
    {
        "id": s.Int(minimum=1),
        "office": s.Choice(Office.choices),
        "label": s.Str(description=gettext_lazy("The office, in the interface language.")),
        "round": s.Int(minimum=1),
        "asked_on": s.Date(),
        "due_on": s.Date(),
        "light": s.Choice(
            Light.choices,
            nullable=True,
            description=gettext_lazy("The light of its clock (empty once given)."),
        ),
        "agrees": s.Bool(nullable=True),
        "opinion": s.Str(),
        "signer": s.Str(),
        "sealed": s.Bool(),
        "signed_on": s.Date(nullable=True),
    },
)
PHOTO = s.response(
    "HomesteadVisitPhoto",
    {
        "id": s.Int(minimum=1),
        "name": s.Str(),
        "taken_at": s.DateTime(nullable=True, description=gettext_lazy("From the photo (EXIF).")),
        "latitude": s.Number(nullable=True),
        "longitude": s.Number(nullable=True),
        "warnings": s.List(
            s.Str(),
            max_items=20,
            description=gettext_lazy("What the checks found against the visit (time, place)."),
        ),
        "url": s.Str(description=gettext_lazy("The photo on the pages (signed in).")),
    },
)
DEVIATION = s.response(
    "HomesteadDeviation",
    {
        "id": s.Int(minimum=1),
        "kind": s.Choice(DeviationKind.choices),
        "label": s.Str(description=gettext_lazy("The kind, in the interface language.")),
        "text": s.Str(),
        "stop_work": s.Bool(description=gettext_lazy("A stop-work order until it is corrected.")),
        "correct_by": s.Date(),
        "open": s.Bool(description=gettext_lazy("Not corrected yet.")),
        "corrected_on": s.Date(nullable=True),
        "answer": s.Str(description=gettext_lazy("How it was corrected.")),
    },
)
VISIT_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "stage": s.Choice(VisitStage.choices),
    "visited_on": s.Date(),
    "officials": s.Str(description=gettext_lazy("The officials present.")),
    "neighbours": s.List(
        SIDE, max_items=4, description=gettext_lazy("The neighbours present and signing.")
    ),
    "site_area": AREA,
    "footprint": AREA,
    "floors": s.Int(minimum=0, maximum=9, nullable=True),
    "height": METRES,
    "note": s.Str(description=gettext_lazy("What was found.")),
    "recorded_at": s.DateTime(),
    "photos": s.List(PHOTO, max_items=1000),
    "deviations": s.List(DEVIATION, max_items=1000),
}
VISIT = s.response("HomesteadVisit", VISIT_FIELDS)
APPLICATION_REF = s.response(
    "HomesteadApplicationRef",
    {
        "id": s.Int(minimum=1),
        "number": s.Str(),
        "village": DIVISION,
        "applicant_name": s.Str(),
        "address": s.Str(),
    },
)
LOGGED_VISIT = s.response("HomesteadLoggedVisit", {**VISIT_FIELDS, "application": APPLICATION_REF})
DOCUMENT = s.response(
    "HomesteadDocument",
    {
        "slug": s.Str(),
        "label": s.Str(),
        "url": s.Str(description=gettext_lazy("The Word file on the pages (signed in).")),
    },
)
APPLICATION_DETAIL = s.response(
    "HomesteadApplicationDetail",
    {
        **APPLICATION_FIELDS,
        "case_id": s.Int(
            minimum=1,
            description=gettext_lazy(
                "The case: its steps are taken at /api/v1/cases/{case_id}/pass/ and the others."
            ),
        ),
        "household": s.Str(description=gettext_lazy("The household's number.")),
        "reason": s.Str(),
        "terrain": s.Choice(Terrain.choices),
        "current_site_area": AREA,
        "current_floor_area": AREA,
        "current_certificate": s.Str(),
        "disposal": s.Choice(Disposal.choices),
        "disposal_note": s.Str(),
        "east": s.Str(),
        "south": s.Str(),
        "west": s.Str(),
        "north": s.Str(),
        "fits_plan": s.Bool(),
        "base_height": METRES,
        "design": s.Str(description=gettext_lazy("Empty: own design (in the local style).")),
        "geometry": s.Free(
            nullable=True,
            description=gettext_lazy(
                "The proposed parcel: a GeoJSON geometry (longitude, latitude)."
            ),
        ),
        "members": s.List(
            MEMBER,
            max_items=100,
            description=gettext_lazy("The household's members as the register had them."),
        ),
        "neighbours": s.List(NEIGHBOUR, max_items=100),
        "offices": s.List(
            s.Choice(Office.choices),
            max_items=10,
            description=gettext_lazy("The offices consulted besides 农业农村 and 自然资源."),
        ),
        "flags": s.List(FLAG, max_items=1000),
        "opinions": s.List(
            OPINION, max_items=1000, description=gettext_lazy("Newest round first.")
        ),
        "visits": s.List(VISIT, max_items=1000),
        "stop_work": s.Bool(description=gettext_lazy("A deviation is open: work stops.")),
        "handback_promised": s.Bool(),
        "handback_due": s.Date(nullable=True),
        "handback_done_on": s.Date(nullable=True),
        "builder": s.Str(),
        "started_on": s.Date(nullable=True),
        "completed_on": s.Date(nullable=True),
        "actual_site_area": AREA,
        "actual_footprint": AREA,
        "actual_floors": s.Int(minimum=0, nullable=True),
        "actual_height": METRES,
        "documents": s.List(
            DOCUMENT,
            max_items=20,
            description=gettext_lazy("The forms the application has reached."),
        ),
    },
)


def _step_ref(step: Any) -> dict[str, Any] | None:
    if step is None:
        return None
    return {"position": step.position, "name": step.name, "level": step.level}


def application_summary(application: Application) -> dict[str, Any]:
    """A ledger row (the queryset from ``selectors.applications``, with ``open_flags``)."""
    case = application.case
    return {
        "id": application.pk,
        "number": case.number,
        "village": division_ref(case.village),
        "applicant_name": case.applicant_name,
        "build_type": application.build_type,
        "address": application.address,
        "land_type": application.land_type,
        "site_area": number(application.site_area),
        "measured_area": number(application.measured_area),
        "footprint": number(application.footprint),
        "floor_area": number(application.floor_area),
        "floors": application.floors,
        "height": number(application.height),
        "approval_number": application.approval_number,
        "permit_number": application.permit_number,
        "approved_on": date(application.approved_on),
        "state": case.state,
        "step": _step_ref(case.step),
        "step_due_on": date(case.step_due_on),
        "light": case.light or None,
        "open_flags": application.open_flags,
        "created_at": moment(case.created_at),
    }


def _photo(application_pk: int, photo: Any) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "name": photo.name,
        "taken_at": moment(photo.taken_at),
        "latitude": number(photo.latitude),
        "longitude": number(photo.longitude),
        "warnings": [str(w) for w in photo.warnings or []],
        "url": reverse("homestead:photo", kwargs={"pk": application_pk, "photo_pk": photo.pk}),
    }


def _deviation(deviation: Deviation) -> dict[str, Any]:
    return {
        "id": deviation.pk,
        "kind": deviation.kind,
        "label": str(deviation.get_kind_display()),
        "text": deviation.text,
        "stop_work": deviation.stop_work,
        "correct_by": date(deviation.correct_by),
        "open": deviation.is_open,
        "corrected_on": date(deviation.corrected_on),
        "answer": deviation.answer,
    }


def visit_fields(visit: SiteVisit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "stage": visit.stage,
        "visited_on": date(visit.visited_on),
        "officials": visit.officials,
        "neighbours": list(visit.neighbours or []),
        "site_area": number(visit.site_area),
        "footprint": number(visit.footprint),
        "floors": visit.floors,
        "height": number(visit.height),
        "note": visit.note,
        "recorded_at": moment(visit.recorded_at),
        "photos": [_photo(visit.application_id, photo) for photo in visit.photos.all()],
        "deviations": [_deviation(row) for row in visit.deviations.all()],
    }


def application_detail(application: Application) -> dict[str, Any]:
    found = selectors.detail(application)
    flags: list[Flag] = found["flags"]
    opinions: list[JointOpinion] = found["opinions"]
    visits: list[SiteVisit] = found["visits"]
    application.open_flags = sum(1 for flag in flags if flag.is_open)
    case = application.case
    return {
        **application_summary(application),
        "case_id": case.pk,
        "household": case.household.number if case.household else "",
        "reason": application.reason,
        "terrain": application.terrain,
        "current_site_area": number(application.current_site_area),
        "current_floor_area": number(application.current_floor_area),
        "current_certificate": application.current_certificate,
        "disposal": application.disposal,
        "disposal_note": application.disposal_note,
        "east": application.east,
        "south": application.south,
        "west": application.west,
        "north": application.north,
        "fits_plan": application.fits_plan,
        "base_height": number(application.base_height),
        "design": application.design,
        "geometry": application.geometry or None,
        "members": [
            {key: str(member.get(key) or "") for key in MEMBER.properties}
            for member in application.members or []
        ],
        "neighbours": [
            {
                "side": row.get("side"),
                "name": row.get("name", ""),
                "agrees": row.get("agrees"),
                "opinion": row.get("opinion", ""),
            }
            for row in application.neighbours or []
        ],
        "offices": list(application.offices or []),
        "flags": [
            {
                "id": flag.pk,
                "kind": flag.kind,
                "label": str(flag.get_kind_display()),
                "stage": flag.stage,
                "text": flag.text,
                "raised_on": date(flag.raised_on),
                "answered": not flag.is_open,
                "answer": flag.answer,
                "answerer_name": flag.answerer_name,
                "answered_on": date(flag.answered_on),
            }
            for flag in flags
        ],
        "opinions": [
            {
                "id": opinion.pk,
                "office": opinion.office,
                "label": str(opinion.get_office_display()),
                "round": opinion.round,
                "asked_on": date(opinion.asked_on),
                "due_on": date(opinion.due_on),
                "light": opinion.light or None,
                "agrees": opinion.agrees,
                "opinion": opinion.opinion,
                "signer": opinion.signer,
                "sealed": opinion.sealed,
                "signed_on": date(opinion.signed_on),
            }
            for opinion in opinions
        ],
        "visits": [visit_fields(visit) for visit in visits],
        "stop_work": any(row.is_open for visit in visits for row in visit.deviations.all()),
        "handback_promised": application.handback_promised,
        "handback_due": date(application.handback_due),
        "handback_done_on": date(application.handback_done_on),
        "builder": application.builder,
        "started_on": date(application.started_on),
        "completed_on": date(application.completed_on),
        "actual_site_area": number(application.actual_site_area),
        "actual_footprint": number(application.actual_footprint),
        "actual_floors": application.actual_floors,
        "actual_height": number(application.actual_height),
        "documents": [
            {
                "slug": slug,
                "label": str(label),
                "url": reverse("homestead:document", kwargs={"pk": application.pk, "kind": slug}),
            }
            for slug, label, ready in paperwork.available(application)
            if ready
        ],
    }


def load_application(user: Any, pk: int) -> Application:
    """The application with what its detail shows, or 404 (outside the scope as well)."""
    application = Application.objects.restrict(user, "view").with_case().filter(pk=pk).first()
    if application is None:
        raise not_found()
    return application


def answer(call: Call, pk: int) -> dict[str, Any]:
    return application_detail(load_application(call.user, pk))


def _officials_only(user: Any) -> None:
    """The ledger and the visit log are village affairs' (as on the pages)."""
    if not places(user, "read_village").exists():
        raise PermissionDenied(_("Your role does not open this part of the API."))


def _acting(call: Call, pk: int) -> Application:
    require_role(call.user, "change", Application)
    return load_application(call.user, pk)


# Inputs -------------------------------------------------------------------------------------

SIGNER = s.Str(min_length=1, max_length=60, description=gettext_lazy("Who signs."))


def _area(**kwargs: Any) -> s.Number:
    kwargs.setdefault("description", gettext_lazy("Square metres."))
    return s.Number(minimum=0, maximum=99_999_999, **kwargs)


def _villages(user: Any) -> QuerySet[Division]:
    """The villages of the caller's area, and a villager's own (as the apply page)."""
    inside = Q(code__in=visible_divisions(user).values("code"))
    own = household_of(user)
    if own is not None:
        inside |= Q(code=own.village_id)
    return Division.objects.filter(inside, level=DivisionLevel.VILLAGE)


NEIGHBOUR_IN = s.Obj(
    "HomesteadNeighbourInput",
    {
        "side": SIDE,
        "name": s.Str(max_length=60, description=gettext_lazy("Empty: nobody on that side.")),
        "agrees": s.Bool(nullable=True),
        "opinion": s.Str(max_length=200),
    },
    required=["side", "name"],
)
APPLY = s.Obj(
    "HomesteadApply",
    {
        "village": s.Ref(
            DIVISION_CODE,
            _villages,
            description=gettext_lazy("The village's code (a villager: their own village)."),
        ),
        "household": s.Str(
            max_length=30,
            description=gettext_lazy(
                "The number of the household that applies (an official filing for one; a "
                "villager applies for their own household)."
            ),
        ),
        "build_type": s.Choice(BuildType.choices),
        "reason": s.Str(min_length=1, max_length=1000),
        "address": s.Str(
            min_length=1,
            max_length=200,
            description=gettext_lazy("Address of the proposed homestead"),
        ),
        "east": s.Str(max_length=60, description=gettext_lazy("East of it")),
        "south": s.Str(max_length=60, description=gettext_lazy("South of it")),
        "west": s.Str(max_length=60, description=gettext_lazy("West of it")),
        "north": s.Str(max_length=60, description=gettext_lazy("North of it")),
        "terrain": s.Choice(Terrain.choices, description=gettext_lazy("Default: plains.")),
        "land_type": s.Choice(
            LandType.choices, description=gettext_lazy("Default: construction land.")
        ),
        "fits_plan": s.Bool(description=gettext_lazy("Default: true.")),
        "site_area": _area(),
        "footprint": _area(),
        "floor_area": _area(),
        "floors": s.Int(minimum=1, maximum=9),
        "height": _area(description=gettext_lazy("Metres.")),
        "base_height": _area(description=gettext_lazy("Metres.")),
        "design": s.Str(
            max_length=60, description=gettext_lazy("Empty: own design (in the local style).")
        ),
        "disposal": s.Choice(Disposal.choices),
        "disposal_note": s.Str(max_length=200),
        "current_site_area": _area(),
        "current_floor_area": _area(),
        "current_certificate": s.Str(max_length=60),
        "handback_promised": s.Bool(
            description=gettext_lazy("A new site: the old homestead is handed back.")
        ),
        "geometry": s.Free(
            nullable=True,
            description=gettext_lazy(
                "The proposed parcel as a GeoJSON object (a geometry, a Feature or a "
                "FeatureCollection of one polygon) in longitude and latitude."
            ),
        ),
        "neighbours": s.List(
            NEIGHBOUR_IN, max_items=4, description=gettext_lazy("The four neighbours' opinions.")
        ),
    },
    required=[
        "village",
        "build_type",
        "reason",
        "address",
        "site_area",
        "footprint",
        "floor_area",
        "floors",
        "height",
    ],
)
FLAG_ANSWER = s.Obj(
    "HomesteadFlagAnswer",
    {
        "answer": s.Str(
            min_length=1,
            max_length=2000,
            description=gettext_lazy("How it is resolved, or why it is accepted."),
        ),
        "signer": SIGNER,
    },
    required=["answer", "signer"],
)
OPINION_GIVE = s.Obj(
    "HomesteadOpinionGive",
    {
        "agrees": s.Bool(),
        "opinion": s.Str(min_length=1, max_length=2000),
        "signer": SIGNER,
        "sealed": s.Bool(description=gettext_lazy("The seal is on the form.")),
        "signed_on": s.Date(description=gettext_lazy("Default: today; never in the future.")),
    },
    required=["agrees", "opinion", "signer"],
)
OFFICES = s.Obj(
    "HomesteadOffices",
    {
        "offices": s.List(
            s.Choice([(o.value, o.label) for o in Office if o.value not in Office.always()]),
            max_items=10,
            description=gettext_lazy(
                "The offices consulted besides 农业农村 and 自然资源 (all of them: the list "
                "replaces the one before)."
            ),
        )
    },
    required=["offices"],
)
DEVIATION_IN = s.Obj(
    "HomesteadDeviationInput",
    {
        "kind": s.Choice(DeviationKind.choices),
        "text": s.Str(min_length=1, max_length=1000),
        "correct_by": s.Date(description=gettext_lazy("Not before the visit.")),
    },
    required=["kind", "text", "correct_by"],
)
VISIT_IN = s.Obj(
    "HomesteadVisitInput",
    {
        "stage": s.Choice(VisitStage.choices),
        "visited_on": s.Date(description=gettext_lazy("Never in the future.")),
        "officials": s.Str(min_length=1, max_length=200),
        "neighbours": s.List(
            SIDE, max_items=4, description=gettext_lazy("The neighbours present and signing.")
        ),
        "site_area": _area(description=gettext_lazy("Measured homestead area (m²)")),
        "footprint": _area(description=gettext_lazy("Measured footprint (m²)")),
        "floors": s.Int(minimum=0, maximum=9),
        "height": _area(description=gettext_lazy("Metres.")),
        "note": s.Str(max_length=2000, description=gettext_lazy("What was found.")),
        "deviations": s.List(DEVIATION_IN, max_items=10),
    },
    required=["stage", "visited_on", "officials"],
)
DEVIATION_CORRECT = s.Obj(
    "HomesteadDeviationCorrect",
    {
        "answer": s.Str(
            min_length=1, max_length=2000, description=gettext_lazy("How it was corrected.")
        ),
        "corrected_on": s.Date(
            description=gettext_lazy("Default: today; between the visit and today.")
        ),
    },
    required=["answer"],
)

HANDBACK = [("late", gettext_lazy("past the date to hand back, not handed back"))]
FILTERS = (
    s.Param(
        "q",
        s.Str(max_length=100),
        gettext_lazy("Words in the number, applicant, address, approval or permit number."),
    ),
    s.Param("state", s.Choice(CaseState.choices)),
    s.Param("area", DIVISION_CODE, gettext_lazy("Applications of this division or below it.")),
    s.Param("build_type", s.Choice(BuildType.choices)),
    s.Param("flagged", s.Bool(), gettext_lazy("Only those with a flag not answered.")),
    s.Param("approved", s.Bool(), gettext_lazy("Only the approved (the county's filing).")),
    s.Param("year", s.Int(minimum=2000, maximum=2100), gettext_lazy("Approved in this year.")),
    s.Param("handback", s.Choice(HANDBACK)),
)
VISIT_FILTERS = (
    s.Param("stage", s.Choice(VisitStage.choices)),
    s.Param("area", DIVISION_CODE, gettext_lazy("Visits in this division or below it.")),
    s.Param("from", s.Date(), gettext_lazy("Visits on or after this day.")),
    s.Param("to", s.Date(), gettext_lazy("Visits on or before this day.")),
)


def filtered(call: Call) -> QuerySet[Application]:
    """The ledger page's selector with the query's filters (one meaning for both)."""
    query = call.query
    return selectors.filter_applications(
        selectors.applications(call.user),
        q=query.get("q", ""),
        state=query.get("state", ""),
        area=query.get("area", ""),
        build_type=query.get("build_type", ""),
        flagged=query.get("flagged", False),
        approved=query.get("approved", False),
        year=query.get("year"),
        handback_late_on=clock.today() if query.get("handback") == "late" else None,
    )


def visits(call: Call) -> QuerySet[SiteVisit]:
    """The inspection log's selector with the query's filters."""
    query = call.query
    return selectors.visit_log(
        call.user,
        stage=query.get("stage", ""),
        area=query.get("area", ""),
        since=query.get("from"),
        until=query.get("to"),
    )


def logged_visit(visit: SiteVisit) -> dict[str, Any]:
    application = visit.application
    case = application.case
    return {
        **visit_fields(visit),
        "application": {
            "id": application.pk,
            "number": case.number,
            "village": division_ref(case.village),
            "applicant_name": case.applicant_name,
            "address": application.address,
        },
    }


# Endpoints ---------------------------------------------------------------------------------

homestead_list = api.route("homestead/", "homestead_list")
visit_log = api.route("homestead/visits/", "homestead_visit_log")
homestead_item = api.route("homestead/<int:pk>/", "homestead_detail")
flag_answer = api.route("homestead/<int:pk>/flags/<int:flag_pk>/answer/", "homestead_flag_answer")
opinion_give = api.route("homestead/<int:pk>/opinions/<int:opinion_pk>/", "homestead_opinion")
offices_set = api.route("homestead/<int:pk>/offices/", "homestead_offices")
visit_record = api.route("homestead/<int:pk>/visits/", "homestead_visits")
deviation_correct = api.route(
    "homestead/<int:pk>/deviations/<int:deviation_pk>/correct/", "homestead_deviation_correct"
)


@homestead_list.operation(
    "GET",
    summary=gettext_lazy("List homestead applications"),
    description=gettext_lazy(
        "The town's approval ledger (审批管理台账): the applications of your area, newest "
        "first, with the ledger page's filters; ``approved=true`` is the county's filing; "
        "``format=xlsx`` exports them with the ledger's columns. Village affairs only."
    ),
    tag=TAG,
    query=FILTERS,
    response=APPLICATION,
    paged=True,
    exports=True,
)
def list_applications(call: Call) -> Any:
    _officials_only(call.user)
    rows = filtered(call)
    if call.wants_export:
        approved = call.query.get("approved", False)
        return call.export(
            rows,
            filename="homestead-filing" if approved else "homestead-ledger",
            title=_("Homestead filing") if approved else _("Homestead approval ledger"),
            columns=selectors.ledger_columns(),
        )
    return call.page(rows, application_summary)


@homestead_list.operation(
    "POST",
    summary=gettext_lazy("Apply for a homestead"),
    description=gettext_lazy(
        "A household's application (申请表): the case starts on the village's homestead "
        "item, the members are taken from the register, the parcel is measured and every "
        "check runs; what fails becomes a flag for the officials to answer. A villager "
        "applies for their own household, an official for a household of the village. "
        "Materials (photos of the register, ID cards, the promise) are added on the "
        "application's page."
    ),
    tag=TAG,
    body=APPLY,
    response=APPLICATION_DETAIL,
    status=201,
)
def apply(call: Call) -> Any:
    # as the apply page: an official of an area that starts cases, or a villager
    if not places(call.user, "start_cases").exists() and household_of(call.user) is None:
        raise PermissionDenied(_("You may not apply."))
    data = dict(call.body)
    village = data.pop("village")
    household = data.pop("household", "")
    geometry = data.pop("geometry", None)
    neighbours = data.pop("neighbours", [])
    application = services.apply(
        actor=call.user,
        village=village,
        data=data,
        household_number=household,
        geometry=geometry,
        neighbours=neighbours,
    )
    return answer(call, application.pk)


@homestead_item.operation(
    "GET",
    summary=gettext_lazy("Show a homestead application"),
    description=gettext_lazy(
        "The application's form, the household's members (ID numbers masked), the "
        "neighbours, the parcel, its flags, the joint review's opinions, the site visits "
        "with their photos (names and checks; the files on the pages) and deviations, the "
        "hand-back and the forms it has reached. Its steps are the case's: ``case_id``."
    ),
    tag=TAG,
    response=APPLICATION_DETAIL,
)
def show_application(call: Call, pk: int) -> Any:
    return answer(call, pk)


@flag_answer.operation(
    "POST",
    summary=gettext_lazy("Answer a flag"),
    description=gettext_lazy(
        "How a failed check is resolved or why it is accepted, signed; once. A flag raised "
        "at application is answered by the village or the town, one raised at approval by "
        "the town. The approval step does not pass while a flag is open."
    ),
    tag=TAG,
    body=FLAG_ANSWER,
    response=APPLICATION_DETAIL,
)
def answer_flag(call: Call, pk: int, flag_pk: int) -> Any:
    application = _acting(call, pk)
    flag = (
        Flag.objects.restrict(call.user, "view").filter(application=application, pk=flag_pk).first()
    )
    if flag is None:
        raise not_found()
    services.answer_flag(
        actor=call.user, flag=flag, answer=call.body["answer"], signer=call.body["signer"]
    )
    return answer(call, pk)


@opinion_give.operation(
    "POST",
    summary=gettext_lazy("Give an office's opinion"),
    description=gettext_lazy(
        "One office's opinion in the joint review (联审), signed; its clock stops. The town's "
        "offices give it while the joint review is in hand, in its current round."
    ),
    tag=TAG,
    body=OPINION_GIVE,
    response=APPLICATION_DETAIL,
)
def give_opinion(call: Call, pk: int, opinion_pk: int) -> Any:
    application = _acting(call, pk)
    opinion = (
        JointOpinion.objects.restrict(call.user, "view")
        .filter(application=application, pk=opinion_pk)
        .first()
    )
    if opinion is None:
        raise not_found()
    data = call.body
    services.give_opinion(
        actor=call.user,
        opinion=opinion,
        agrees=data["agrees"],
        text=data["opinion"],
        signer=data["signer"],
        sealed=data.get("sealed", False),
        signed_on=data.get("signed_on"),
    )
    return answer(call, pk)


@offices_set.operation(
    "POST",
    summary=gettext_lazy("Choose the offices of the joint review"),
    description=gettext_lazy(
        "The offices consulted besides 农业农村 and 自然资源 (林业, 水利, 电力, 执法), chosen by "
        "the town; while the joint review runs, an office added is asked at once, on its "
        "own clock."
    ),
    tag=TAG,
    body=OFFICES,
    response=APPLICATION_DETAIL,
)
def set_offices(call: Call, pk: int) -> Any:
    services.set_offices(
        actor=call.user, application=_acting(call, pk), offices=call.body["offices"]
    )
    return answer(call, pk)


@visit_record.operation(
    "POST",
    summary=gettext_lazy("Record a site visit"),
    description=gettext_lazy(
        "到场: a visit of the town's offices with who was there, what was measured and the "
        "deviations found (each a stop-work order with its deadline). Photos are taken on "
        "the visit page: a staking-out or completion visit needs them, so through the API "
        "it is answered 400 with that message; site selection and construction visits are "
        "recorded here."
    ),
    tag=TAG,
    body=VISIT_IN,
    response=APPLICATION_DETAIL,
    status=201,
)
def record_visit(call: Call, pk: int) -> Any:
    data = call.body
    services.record_visit(
        actor=call.user,
        application=_acting(call, pk),
        stage=data["stage"],
        visited_on=data["visited_on"],
        officials=data["officials"],
        neighbours=data.get("neighbours", []),
        site_area=data.get("site_area"),
        footprint=data.get("footprint"),
        floors=data.get("floors"),
        height=data.get("height"),
        note=data.get("note", ""),
        deviations=data.get("deviations", []),
    )
    return answer(call, pk)


@deviation_correct.operation(
    "POST",
    summary=gettext_lazy("Correct a deviation"),
    description=gettext_lazy(
        "The deviation is corrected (or answered by the town): its stop-work order is lifted."
    ),
    tag=TAG,
    body=DEVIATION_CORRECT,
    response=APPLICATION_DETAIL,
)
def correct_deviation(call: Call, pk: int, deviation_pk: int) -> Any:
    application = _acting(call, pk)
    deviation = (
        Deviation.objects.restrict(call.user, "view")
        .filter(visit__application=application, pk=deviation_pk)
        .first()
    )
    if deviation is None:
        raise not_found()
    services.correct_deviation(
        actor=call.user,
        deviation=deviation,
        answer=call.body["answer"],
        corrected_on=call.body.get("corrected_on"),
    )
    return answer(call, pk)


@visit_log.operation(
    "GET",
    summary=gettext_lazy("List site visits"),
    description=gettext_lazy(
        "The town's inspection log: every site visit of your area, newest first, with its "
        "application, photos (names and checks) and deviations; ``format=xlsx`` exports it. "
        "Village affairs only."
    ),
    tag=TAG,
    query=VISIT_FILTERS,
    response=LOGGED_VISIT,
    paged=True,
    exports=True,
)
def list_visits(call: Call) -> Any:
    _officials_only(call.user)
    rows = visits(call)
    if call.wants_export:
        return call.export(
            rows,
            filename="homestead-visits",
            title=_("Site visits"),
            columns=selectors.visit_columns(),
        )
    return call.page(rows, logged_visit)

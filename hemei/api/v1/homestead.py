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

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator, Field, StrictBool

from hemei.accounts.policy import places
from hemei.cases.choices import CaseState
from hemei.core import clock
from hemei.divisions.choices import Level as DivisionLevel
from hemei.divisions.models import Division
from hemei.homestead import models, paperwork, selectors, services
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
from hemei.households.selectors import household_of
from hemei.tasks.choices import Light

from .. import engine
from ..engine import Export, Input, Paging, not_found, page_of, paginate, visible
from .cases import CaseStepRef
from .common import (
    Date,
    DivisionCode,
    DivisionRef,
    Filters,
    Moment,
    NonNull,
    QueryId,
    SearchText,
    Text,
    choice,
    division_ref,
    number,
    require_role,
    text,
    v1,
    visible_divisions,
)

TAG = "homestead"
# the policy of the application decides (a villager reads their own household's)
v1.gate(TAG, models.Application)

router = Router(tags=[TAG])


def _whole(value: Any) -> Any:
    """A JSON number without a fraction (2 and 2.0, never "2" or true), as before."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(_("Expected a whole number."))
    return value


Whole = BeforeValidator(_whole)
Bool = Annotated[StrictBool, NonNull]

# The choices as pydantic types (values listed with their labels in the document).
SideValue = choice(Side.choices)
BuildTypeValue = choice(BuildType.choices)
LandTypeValue = choice(LandType.choices)
TerrainValue = choice(Terrain.choices)
DisposalValue = choice(Disposal.choices)
StateValue = choice(CaseState.choices)
OfficeValue = choice(Office.choices)
FlagKindValue = choice(FlagKind.choices)
StageValue = choice(Stage.choices)
VisitStageValue = choice(VisitStage.choices)
DeviationKindValue = choice(DeviationKind.choices)
StepLight = choice(
    Light.choices,
    gettext_lazy("The light of the step in hand (empty when not running)."),
    nullable=True,
)
ClockLight = choice(
    Light.choices, gettext_lazy("The light of its clock (empty once given)."), nullable=True
)

SQUARE_METRES = gettext_lazy("Square metres.")

# Shapes -----------------------------------------------------------------------------------


def _area(description: Any = SQUARE_METRES) -> Any:
    return Field(ge=0, description=description)


def _metres() -> Any:
    return Field(ge=0, description=gettext_lazy("Metres."))


class HomesteadApplication(Schema):
    id: int = Field(ge=1, description=gettext_lazy("The application's id, which is its case's id."))
    number: str = Field(description=gettext_lazy("The case number (village-year-serial)."))
    village: DivisionRef
    applicant_name: str = Field(description=gettext_lazy("The head of the household."))
    build_type: BuildTypeValue
    address: str
    land_type: LandTypeValue
    site_area: float | None = _area()
    measured_area: float | None = _area(gettext_lazy("Measured on the drawn parcel (m²)."))
    footprint: float | None = _area()
    floor_area: float | None = _area()
    floors: int = Field(ge=1, le=9)
    height: float | None = _metres()
    approval_number: str = Field(description=gettext_lazy("The 批准书's number, once approved."))
    permit_number: str = Field(description=gettext_lazy("The building permit's number."))
    approved_on: dt.date | None
    state: StateValue
    step: CaseStepRef | None = Field(description=gettext_lazy("The step in hand."))
    step_due_on: dt.date | None = Field(description=gettext_lazy("The step's deadline."))
    light: StepLight
    open_flags: int = Field(ge=0, description=gettext_lazy("Flags not answered yet."))
    created_at: Moment


class HomesteadMember(Schema):
    name: str
    gender: str
    age: str
    relation: str
    id_number: str = Field(description=gettext_lazy("Masked, as on the form."))


class HomesteadNeighbour(Schema):
    side: SideValue
    name: str
    agrees: bool | None
    opinion: str


class HomesteadFlag(Schema):
    id: int = Field(ge=1)
    kind: FlagKindValue
    label: str = Field(description=gettext_lazy("The kind, in the interface language."))
    stage: StageValue
    text: str = Field(description=gettext_lazy("What was found."))
    raised_on: dt.date
    answered: bool
    answer: str
    answerer_name: str = Field(description=gettext_lazy("Who signed the answer."))
    answered_on: dt.date | None


class HomesteadOpinion(Schema):
    id: int = Field(ge=1)
    office: OfficeValue
    label: str = Field(description=gettext_lazy("The office, in the interface language."))
    round: int = Field(ge=1)
    asked_on: dt.date
    due_on: dt.date
    light: ClockLight
    agrees: bool | None
    opinion: str
    signer: str
    sealed: bool
    signed_on: dt.date | None


class HomesteadVisitPhoto(Schema):
    id: int = Field(ge=1)
    name: str
    taken_at: Moment | None = Field(description=gettext_lazy("From the photo (EXIF)."))
    latitude: float | None
    longitude: float | None
    warnings: list[str] = Field(
        max_length=20,
        description=gettext_lazy("What the checks found against the visit (time, place)."),
    )
    url: str = Field(description=gettext_lazy("The photo on the pages (signed in)."))


class HomesteadDeviation(Schema):
    id: int = Field(ge=1)
    kind: DeviationKindValue
    label: str = Field(description=gettext_lazy("The kind, in the interface language."))
    text: str
    stop_work: bool = Field(description=gettext_lazy("A stop-work order until it is corrected."))
    correct_by: dt.date
    open: bool = Field(description=gettext_lazy("Not corrected yet."))
    corrected_on: dt.date | None
    answer: str = Field(description=gettext_lazy("How it was corrected."))


class HomesteadVisit(Schema):
    id: int = Field(ge=1)
    stage: VisitStageValue
    visited_on: dt.date
    officials: str = Field(description=gettext_lazy("The officials present."))
    neighbours: list[SideValue] = Field(
        max_length=4, description=gettext_lazy("The neighbours present and signing.")
    )
    site_area: float | None = _area()
    footprint: float | None = _area()
    floors: int | None = Field(ge=0, le=9)
    height: float | None = _metres()
    note: str = Field(description=gettext_lazy("What was found."))
    recorded_at: Moment
    photos: list[HomesteadVisitPhoto] = Field(max_length=1000)
    deviations: list[HomesteadDeviation] = Field(max_length=1000)


class HomesteadApplicationRef(Schema):
    id: int = Field(ge=1)
    number: str
    village: DivisionRef
    applicant_name: str
    address: str


class HomesteadLoggedVisit(HomesteadVisit):
    application: HomesteadApplicationRef


class HomesteadDocument(Schema):
    slug: str
    label: str
    url: str = Field(description=gettext_lazy("The Word file on the pages (signed in)."))


class HomesteadApplicationDetail(HomesteadApplication):
    case_id: int = Field(
        ge=1,
        description=gettext_lazy(
            "The case: its steps are taken at /api/v1/cases/{case_id}/pass/ and the others."
        ),
    )
    household: str = Field(description=gettext_lazy("The household's number."))
    reason: str
    terrain: TerrainValue
    current_site_area: float | None = _area()
    current_floor_area: float | None = _area()
    current_certificate: str
    disposal: DisposalValue
    disposal_note: str
    east: str
    south: str
    west: str
    north: str
    fits_plan: bool
    base_height: float | None = _metres()
    design: str = Field(description=gettext_lazy("Empty: own design (in the local style)."))
    geometry: dict[str, Any] | None = Field(
        description=gettext_lazy("The proposed parcel: a GeoJSON geometry (longitude, latitude).")
    )
    members: list[HomesteadMember] = Field(
        max_length=100,
        description=gettext_lazy("The household's members as the register had them."),
    )
    neighbours: list[HomesteadNeighbour] = Field(max_length=100)
    offices: list[OfficeValue] = Field(
        max_length=10,
        description=gettext_lazy("The offices consulted besides 农业农村 and 自然资源."),
    )
    flags: list[HomesteadFlag] = Field(max_length=1000)
    opinions: list[HomesteadOpinion] = Field(
        max_length=1000, description=gettext_lazy("Newest round first.")
    )
    visits: list[HomesteadVisit] = Field(max_length=1000)
    stop_work: bool = Field(description=gettext_lazy("A deviation is open: work stops."))
    handback_promised: bool
    handback_due: dt.date | None
    handback_done_on: dt.date | None
    builder: str
    started_on: dt.date | None
    completed_on: dt.date | None
    actual_site_area: float | None = _area()
    actual_footprint: float | None = _area()
    actual_floors: int | None = Field(ge=0)
    actual_height: float | None = _metres()
    documents: list[HomesteadDocument] = Field(
        max_length=20, description=gettext_lazy("The forms the application has reached.")
    )


def _step_ref(step: Any) -> dict[str, Any] | None:
    if step is None:
        return None
    return {"position": step.position, "name": step.name, "level": step.level}


def application_summary(application: models.Application) -> dict[str, Any]:
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
        "approved_on": application.approved_on,
        "state": case.state,
        "step": _step_ref(case.step),
        "step_due_on": case.step_due_on,
        "light": case.light or None,
        "open_flags": application.open_flags,
        "created_at": case.created_at,
    }


def _photo(application_pk: int, photo: Any) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "name": photo.name,
        "taken_at": photo.taken_at,
        "latitude": number(photo.latitude),
        "longitude": number(photo.longitude),
        "warnings": [str(w) for w in photo.warnings or []],
        "url": reverse("homestead:photo", kwargs={"pk": application_pk, "photo_pk": photo.pk}),
    }


def _deviation(deviation: models.Deviation) -> dict[str, Any]:
    return {
        "id": deviation.pk,
        "kind": deviation.kind,
        "label": str(deviation.get_kind_display()),
        "text": deviation.text,
        "stop_work": deviation.stop_work,
        "correct_by": deviation.correct_by,
        "open": deviation.is_open,
        "corrected_on": deviation.corrected_on,
        "answer": deviation.answer,
    }


def visit_fields(visit: models.SiteVisit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "stage": visit.stage,
        "visited_on": visit.visited_on,
        "officials": visit.officials,
        "neighbours": list(visit.neighbours or []),
        "site_area": number(visit.site_area),
        "footprint": number(visit.footprint),
        "floors": visit.floors,
        "height": number(visit.height),
        "note": visit.note,
        "recorded_at": visit.recorded_at,
        "photos": [_photo(visit.application_id, photo) for photo in visit.photos.all()],
        "deviations": [_deviation(row) for row in visit.deviations.all()],
    }


def application_detail(application: models.Application) -> dict[str, Any]:
    found = selectors.detail(application)
    flags: list[models.Flag] = found["flags"]
    opinions: list[models.JointOpinion] = found["opinions"]
    visits: list[models.SiteVisit] = found["visits"]
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
            {key: str(member.get(key) or "") for key in HomesteadMember.model_fields}
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
                "raised_on": flag.raised_on,
                "answered": not flag.is_open,
                "answer": flag.answer,
                "answerer_name": flag.answerer_name,
                "answered_on": flag.answered_on,
            }
            for flag in flags
        ],
        "opinions": [
            {
                "id": opinion.pk,
                "office": opinion.office,
                "label": str(opinion.get_office_display()),
                "round": opinion.round,
                "asked_on": opinion.asked_on,
                "due_on": opinion.due_on,
                "light": opinion.light or None,
                "agrees": opinion.agrees,
                "opinion": opinion.opinion,
                "signer": opinion.signer,
                "sealed": opinion.sealed,
                "signed_on": opinion.signed_on,
            }
            for opinion in opinions
        ],
        "visits": [visit_fields(visit) for visit in visits],
        "stop_work": any(row.is_open for visit in visits for row in visit.deviations.all()),
        "handback_promised": application.handback_promised,
        "handback_due": application.handback_due,
        "handback_done_on": application.handback_done_on,
        "builder": application.builder,
        "started_on": application.started_on,
        "completed_on": application.completed_on,
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


def load_application(user: Any, pk: int) -> models.Application:
    """The application with what its detail shows, or 404 (outside the scope as well)."""
    application = (
        models.Application.objects.restrict(user, "view").with_case().filter(pk=pk).first()
    )
    if application is None:
        raise not_found()
    return application


def answer(user: Any, pk: int) -> dict[str, Any]:
    """The application's detail as every operation on it answers."""
    return application_detail(load_application(user, pk))


def _officials_only(user: Any) -> None:
    """The ledger and the visit log are village affairs' (as on the pages)."""
    if not places(user, "read_village").exists():
        raise PermissionDenied(_("Your role does not open this part of the API."))


def _acting(user: Any, pk: int) -> models.Application:
    require_role(user, "change", models.Application)
    return load_application(user, pk)


# Inputs -------------------------------------------------------------------------------------

Signer = text(min_length=1, max_length=60, description=gettext_lazy("Who signs."))
#: a figure of the form: not negative, two decimal places; a number or its text, as before
Figure = Annotated[Decimal, NonNull, Field(ge=0, le=99_999_999, decimal_places=2)]
Floors = Annotated[int, Whole, NonNull]


def _figure(description: Any = SQUARE_METRES) -> Any:
    return Field(None, description=description)


def _villages(user: Any) -> QuerySet[Division]:
    """The villages of the caller's area, and a villager's own (as the apply page)."""
    inside = Q(code__in=visible_divisions(user).values("code"))
    own = household_of(user)
    if own is not None:
        inside |= Q(code=own.village_id)
    return Division.objects.filter(inside, level=DivisionLevel.VILLAGE)


ApplyingVillage = visible(
    DivisionCode,
    _villages,
    lookup="code",
    description=gettext_lazy("The village's code (a villager: their own village)."),
)
#: the offices the town chooses (农业农村 and 自然资源 are always asked)
ChosenOffice = choice([(o.value, o.label) for o in Office if o.value not in Office.always()])
TerrainInput = choice(Terrain.choices, gettext_lazy("Default: plains."))
LandTypeInput = choice(LandType.choices, gettext_lazy("Default: construction land."))


class HomesteadNeighbourInput(Input):
    side: SideValue
    name: Text = Field(max_length=60, description=gettext_lazy("Empty: nobody on that side."))
    agrees: StrictBool | None = None
    opinion: Text = Field("", max_length=200)


class HomesteadApply(Input):
    village: ApplyingVillage
    household: Text = Field(
        "",
        max_length=30,
        description=gettext_lazy(
            "The number of the household that applies (an official filing for one; a "
            "villager applies for their own household)."
        ),
    )
    build_type: BuildTypeValue
    reason: Text = Field(min_length=1, max_length=1000)
    address: Text = Field(
        min_length=1, max_length=200, description=gettext_lazy("Address of the proposed homestead")
    )
    east: Text = Field(None, max_length=60, description=gettext_lazy("East of it"))
    south: Text = Field(None, max_length=60, description=gettext_lazy("South of it"))
    west: Text = Field(None, max_length=60, description=gettext_lazy("West of it"))
    north: Text = Field(None, max_length=60, description=gettext_lazy("North of it"))
    terrain: TerrainInput = None
    land_type: LandTypeInput = None
    fits_plan: Bool = Field(None, description=gettext_lazy("Default: true."))
    site_area: Figure = Field(description=gettext_lazy("Square metres."))
    footprint: Figure = Field(description=gettext_lazy("Square metres."))
    floor_area: Figure = Field(description=gettext_lazy("Square metres."))
    floors: Floors = Field(ge=1, le=9)
    height: Figure = Field(description=gettext_lazy("Metres."))
    base_height: Figure = _figure(gettext_lazy("Metres."))
    design: Text = Field(
        None, max_length=60, description=gettext_lazy("Empty: own design (in the local style).")
    )
    disposal: DisposalValue = None
    disposal_note: Text = Field(None, max_length=200)
    current_site_area: Figure = _figure()
    current_floor_area: Figure = _figure()
    current_certificate: Text = Field(None, max_length=60)
    handback_promised: Bool = Field(
        None, description=gettext_lazy("A new site: the old homestead is handed back.")
    )
    geometry: dict[str, Any] | None = Field(
        None,
        description=gettext_lazy(
            "The proposed parcel as a GeoJSON object (a geometry, a Feature or a "
            "FeatureCollection of one polygon) in longitude and latitude."
        ),
    )
    neighbours: Annotated[list[Annotated[HomesteadNeighbourInput, NonNull]], NonNull] = Field(
        None, max_length=4, description=gettext_lazy("The four neighbours' opinions.")
    )


class HomesteadFlagAnswer(Input):
    answer: Text = Field(
        min_length=1,
        max_length=2000,
        description=gettext_lazy("How it is resolved, or why it is accepted."),
    )
    signer: Signer


class HomesteadOpinionGive(Input):
    agrees: Bool
    opinion: Text = Field(min_length=1, max_length=2000)
    signer: Signer
    sealed: Bool = Field(False, description=gettext_lazy("The seal is on the form."))
    signed_on: Annotated[Date, NonNull] = Field(
        None, description=gettext_lazy("Default: today; never in the future.")
    )


class HomesteadOffices(Input):
    offices: Annotated[list[ChosenOffice], NonNull] = Field(
        max_length=10,
        description=gettext_lazy(
            "The offices consulted besides 农业农村 and 自然资源 (all of them: the list "
            "replaces the one before)."
        ),
    )


class HomesteadDeviationInput(Input):
    kind: DeviationKindValue
    text: Text = Field(min_length=1, max_length=1000)
    correct_by: Date = Field(description=gettext_lazy("Not before the visit."))


class HomesteadVisitInput(Input):
    stage: VisitStageValue
    visited_on: Date = Field(description=gettext_lazy("Never in the future."))
    officials: Text = Field(min_length=1, max_length=200)
    neighbours: Annotated[list[SideValue], NonNull] = Field(
        [], max_length=4, description=gettext_lazy("The neighbours present and signing.")
    )
    site_area: Figure = _figure(gettext_lazy("Measured homestead area (m²)"))
    footprint: Figure = _figure(gettext_lazy("Measured footprint (m²)"))
    floors: Floors = Field(None, ge=0, le=9)
    height: Figure = _figure(gettext_lazy("Metres."))
    note: Text = Field("", max_length=2000, description=gettext_lazy("What was found."))
    deviations: Annotated[list[Annotated[HomesteadDeviationInput, NonNull]], NonNull] = Field(
        [], max_length=10
    )


class HomesteadDeviationCorrect(Input):
    answer: Text = Field(
        min_length=1, max_length=2000, description=gettext_lazy("How it was corrected.")
    )
    corrected_on: Annotated[Date, NonNull] = Field(
        None, description=gettext_lazy("Default: today; between the visit and today.")
    )


HANDBACK = [("late", gettext_lazy("past the date to hand back, not handed back"))]
StateFilter = choice(CaseState.choices, nullable=True)
BuildTypeFilter = choice(BuildType.choices, nullable=True)
HandbackFilter = choice(HANDBACK, nullable=True)
VisitStageFilter = choice(VisitStage.choices, nullable=True)
#: words to look for (the limit on the text itself, so its message is the text's)
#: a year in a query string: digits only, as before
QueryYear = Annotated[QueryId, Field(ge=2000, le=2100)]


class HomesteadFilters(Filters):
    q: SearchText | None = Field(
        None,
        description=gettext_lazy(
            "Words in the number, applicant, address, approval or permit number."
        ),
    )
    state: StateFilter = None
    area: DivisionCode | None = Field(
        None, description=gettext_lazy("Applications of this division or below it.")
    )
    build_type: BuildTypeFilter = None
    flagged: bool | None = Field(
        None, description=gettext_lazy("Only those with a flag not answered.")
    )
    approved: bool | None = Field(
        None, description=gettext_lazy("Only the approved (the county's filing).")
    )
    year: QueryYear | None = Field(None, description=gettext_lazy("Approved in this year."))
    handback: HandbackFilter = None


class HomesteadVisitFilters(Filters):
    stage: VisitStageFilter = None
    area: DivisionCode | None = Field(
        None, description=gettext_lazy("Visits in this division or below it.")
    )
    since: Date | None = Field(
        None, alias="from", description=gettext_lazy("Visits on or after this day.")
    )
    to: Date | None = Field(None, description=gettext_lazy("Visits on or before this day."))


def filtered(user: Any, filters: HomesteadFilters) -> QuerySet[models.Application]:
    """The ledger page's selector with the query's filters (one meaning for both)."""
    return selectors.filter_applications(
        selectors.applications(user),
        q=filters.q or "",
        state=filters.state or "",
        area=filters.area or "",
        build_type=filters.build_type or "",
        flagged=bool(filters.flagged),
        approved=bool(filters.approved),
        year=filters.year,
        handback_late_on=clock.today() if filters.handback == "late" else None,
    )


def visits(user: Any, filters: HomesteadVisitFilters) -> QuerySet[models.SiteVisit]:
    """The inspection log's selector with the query's filters."""
    return selectors.visit_log(
        user,
        stage=filters.stage or "",
        area=filters.area or "",
        since=filters.since,
        until=filters.to,
    )


def logged_visit(visit: models.SiteVisit) -> dict[str, Any]:
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


def sent(payload: Input) -> dict[str, Any]:
    """The fields the caller sent (the service gives the others their defaults), as plain
    values."""
    return payload.model_dump(include=payload.model_fields_set - {"village"})


# Endpoints ---------------------------------------------------------------------------------


@router.get(
    "homestead/",
    url_name="homestead_list",
    response=page_of(HomesteadApplication),
    summary=gettext_lazy("List homestead applications"),
    description=gettext_lazy(
        "The town's approval ledger (审批管理台账): the applications of your area, newest "
        "first, with the ledger page's filters; ``approved=true`` is the county's filing; "
        "``format=xlsx`` exports them with the ledger's columns. Village affairs only."
    ),
)
def list_applications(
    request: HttpRequest,
    filters: Query[HomesteadFilters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    _officials_only(request.user)
    rows = filtered(request.user, filters)
    if exporting.format == "xlsx":
        approved = bool(filters.approved)
        return engine.export(
            rows,
            filename="homestead-filing" if approved else "homestead-ledger",
            title=_("Homestead filing") if approved else _("Homestead approval ledger"),
            columns=selectors.ledger_columns(),
        )
    return paginate(request, paging, rows, application_summary)


@router.post(
    "homestead/",
    url_name="homestead_list",
    response={201: HomesteadApplicationDetail},
    summary=gettext_lazy("Apply for a homestead"),
    description=gettext_lazy(
        "A household's application (申请表): the case starts on the village's homestead "
        "item, the members are taken from the register, the parcel is measured and every "
        "check runs; what fails becomes a flag for the officials to answer. A villager "
        "applies for their own household, an official for a household of the village. "
        "Materials (photos of the register, ID cards, the promise) are added on the "
        "application's page."
    ),
)
def apply(request: HttpRequest, payload: HomesteadApply) -> Status[dict[str, Any]]:
    user = request.user
    # as the apply page: an official of an area that starts cases, or a villager
    if not places(user, "start_cases").exists() and household_of(user) is None:
        raise PermissionDenied(_("You may not apply."))
    data = sent(payload)
    household = data.pop("household", "")
    geometry = data.pop("geometry", None)
    neighbours = data.pop("neighbours", [])
    application = services.apply(
        actor=user,
        village=payload.village,
        data=data,
        household_number=household,
        geometry=geometry,
        neighbours=neighbours,
    )
    return Status(201, answer(user, application.pk))


@router.get(
    "homestead/{int:pk}/",
    url_name="homestead_detail",
    response=HomesteadApplicationDetail,
    summary=gettext_lazy("Show a homestead application"),
    description=gettext_lazy(
        "The application's form, the household's members (ID numbers masked), the "
        "neighbours, the parcel, its flags, the joint review's opinions, the site visits "
        "with their photos (names and checks; the files on the pages) and deviations, the "
        "hand-back and the forms it has reached. Its steps are the case's: ``case_id``."
    ),
)
def show_application(request: HttpRequest, pk: int) -> dict[str, Any]:
    return answer(request.user, pk)


@router.post(
    "homestead/{int:pk}/flags/{int:flag_pk}/answer/",
    url_name="homestead_flag_answer",
    response=HomesteadApplicationDetail,
    summary=gettext_lazy("Answer a flag"),
    description=gettext_lazy(
        "How a failed check is resolved or why it is accepted, signed; once. A flag raised "
        "at application is answered by the village or the town, one raised at approval by "
        "the town. The approval step does not pass while a flag is open."
    ),
)
def answer_flag(
    request: HttpRequest, pk: int, flag_pk: int, payload: HomesteadFlagAnswer
) -> dict[str, Any]:
    user = request.user
    application = _acting(user, pk)
    flag = (
        models.Flag.objects.restrict(user, "view")
        .filter(application=application, pk=flag_pk)
        .first()
    )
    if flag is None:
        raise not_found()
    services.answer_flag(actor=user, flag=flag, answer=payload.answer, signer=payload.signer)
    return answer(user, pk)


@router.post(
    "homestead/{int:pk}/opinions/{int:opinion_pk}/",
    url_name="homestead_opinion",
    response=HomesteadApplicationDetail,
    summary=gettext_lazy("Give an office's opinion"),
    description=gettext_lazy(
        "One office's opinion in the joint review (联审), signed; its clock stops. The town's "
        "offices give it while the joint review is in hand, in its current round."
    ),
)
def give_opinion(
    request: HttpRequest, pk: int, opinion_pk: int, payload: HomesteadOpinionGive
) -> dict[str, Any]:
    user = request.user
    application = _acting(user, pk)
    opinion = (
        models.JointOpinion.objects.restrict(user, "view")
        .filter(application=application, pk=opinion_pk)
        .first()
    )
    if opinion is None:
        raise not_found()
    services.give_opinion(
        actor=user,
        opinion=opinion,
        agrees=payload.agrees,
        text=payload.opinion,
        signer=payload.signer,
        sealed=payload.sealed,
        signed_on=payload.signed_on,
    )
    return answer(user, pk)


@router.post(
    "homestead/{int:pk}/offices/",
    url_name="homestead_offices",
    response=HomesteadApplicationDetail,
    summary=gettext_lazy("Choose the offices of the joint review"),
    description=gettext_lazy(
        "The offices consulted besides 农业农村 and 自然资源 (林业, 水利, 电力, 执法), chosen by "
        "the town; while the joint review runs, an office added is asked at once, on its "
        "own clock."
    ),
)
def set_offices(request: HttpRequest, pk: int, payload: HomesteadOffices) -> dict[str, Any]:
    user = request.user
    services.set_offices(actor=user, application=_acting(user, pk), offices=payload.offices)
    return answer(user, pk)


@router.post(
    "homestead/{int:pk}/visits/",
    url_name="homestead_visits",
    response={201: HomesteadApplicationDetail},
    summary=gettext_lazy("Record a site visit"),
    description=gettext_lazy(
        "到场: a visit of the town's offices with who was there, what was measured and the "
        "deviations found (each a stop-work order with its deadline). Photos are taken on "
        "the visit page: a staking-out or completion visit needs them, so through the API "
        "it is answered 400 with that message; site selection and construction visits are "
        "recorded here."
    ),
)
def record_visit(
    request: HttpRequest, pk: int, payload: HomesteadVisitInput
) -> Status[dict[str, Any]]:
    user = request.user
    services.record_visit(
        actor=user,
        application=_acting(user, pk),
        stage=payload.stage,
        visited_on=payload.visited_on,
        officials=payload.officials,
        neighbours=payload.neighbours,
        site_area=payload.site_area,
        footprint=payload.footprint,
        floors=payload.floors,
        height=payload.height,
        note=payload.note,
        deviations=[row.model_dump() for row in payload.deviations],
    )
    return Status(201, answer(user, pk))


@router.post(
    "homestead/{int:pk}/deviations/{int:deviation_pk}/correct/",
    url_name="homestead_deviation_correct",
    response=HomesteadApplicationDetail,
    summary=gettext_lazy("Correct a deviation"),
    description=gettext_lazy(
        "The deviation is corrected (or answered by the town): its stop-work order is lifted."
    ),
)
def correct_deviation(
    request: HttpRequest, pk: int, deviation_pk: int, payload: HomesteadDeviationCorrect
) -> dict[str, Any]:
    user = request.user
    application = _acting(user, pk)
    deviation = (
        models.Deviation.objects.restrict(user, "view")
        .filter(visit__application=application, pk=deviation_pk)
        .first()
    )
    if deviation is None:
        raise not_found()
    services.correct_deviation(
        actor=user, deviation=deviation, answer=payload.answer, corrected_on=payload.corrected_on
    )
    return answer(user, pk)


@router.get(
    "homestead/visits/",
    url_name="homestead_visit_log",
    response=page_of(HomesteadLoggedVisit),
    summary=gettext_lazy("List site visits"),
    description=gettext_lazy(
        "The town's inspection log: every site visit of your area, newest first, with its "
        "application, photos (names and checks) and deviations; ``format=xlsx`` exports it. "
        "Village affairs only."
    ),
)
def list_visits(
    request: HttpRequest,
    filters: Query[HomesteadVisitFilters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    _officials_only(request.user)
    rows = visits(request.user, filters)
    if exporting.format == "xlsx":
        return engine.export(
            rows,
            filename="homestead-visits",
            title=_("Site visits"),
            columns=selectors.visit_columns(),
        )
    return paginate(request, paging, rows, logged_visit)

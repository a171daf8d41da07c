"""Cases (办件): list with the case page's filters and lights, detail with the path, step
records and timeline; start a case and act on the step in hand (pass and sign, return,
refuse, withdraw, pause, resume, extend, link the 四议两公开 record). Every change goes
through :mod:`hemei.cases.services`, which checks the office of the step. Material files
are attached on the pages, not through the API (the detail lists them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, StrictInt

from hemei.accounts.roles import API_ROLES
from hemei.cases import models, selectors, services
from hemei.cases.choices import CaseState, EventKind, Outcome
from hemei.catalogue.choices import Level
from hemei.core import clock
from hemei.procedures.models import DecisionRecord
from hemei.tasks.choices import Light

from .. import engine
from ..engine import Export, Flag, Id, Input, Paging, not_found, page_of, paginate
from .catalogue import CatalogueStep, step_item
from .common import (
    Date,
    DivisionCode,
    DivisionRef,
    Filters,
    Moment,
    NoBody,
    NonNull,
    PersonRef,
    Text,
    choice,
    division,
    division_ref,
    number,
    person_ref,
    require_role,
    v1,
)

TAG = "cases"
v1.gate(TAG, models.Case, API_ROLES)

router = Router(tags=[TAG])

# The choices as pydantic types (values listed with their labels in the document).
LevelValue = choice(Level.choices)
CaseStateValue = choice(CaseState.choices)
OutcomeValue = choice(Outcome.choices)
EventKindValue = choice(EventKind.choices)
StepLight = choice(
    Light.choices,
    gettext_lazy("The light of the step in hand (empty when not running)."),
    nullable=True,
)
LIGHTS = [(value, label) for value, label in Light.choices] + [("overdue", gettext_lazy("overdue"))]
StateFilter = choice(CaseState.choices, nullable=True)
LightFilter = choice(LIGHTS, gettext_lazy("The step's light, or past its deadline."), nullable=True)

# Shapes -----------------------------------------------------------------------------------


class CaseItemRef(Schema):
    id: int = Field(ge=1)
    code: str
    name: str


class CaseStepRef(Schema):
    position: int = Field(ge=0)
    name: str
    level: LevelValue


class Case(Schema):
    id: int = Field(ge=1)
    number: str = Field(description=gettext_lazy("The case number (village-year-serial)."))
    village: DivisionRef
    item: CaseItemRef
    title: str = Field(description=gettext_lazy("What the case is about."))
    applicant_name: str
    amount: float | None = Field(ge=0)
    state: CaseStateValue
    step: CaseStepRef | None = Field(description=gettext_lazy("The step in hand."))
    step_due_on: dt.date | None = Field(description=gettext_lazy("The step's deadline."))
    paused_on: dt.date | None
    light: StepLight
    decision_id: int | None = Field(ge=1, description=gettext_lazy("The linked 四议两公开 record."))
    closed_on: dt.date | None
    created_at: Moment


class CaseStepRecord(Schema):
    step: CaseStepRef
    entered_on: dt.date
    due_on: dt.date | None
    left_on: dt.date | None
    outcome: OutcomeValue
    opinion: str
    signer: str
    sealed: bool
    signed_on: dt.date | None
    actor: PersonRef | None
    late: bool = Field(description=gettext_lazy("Left after its deadline."))


class CaseEvent(Schema):
    at: Moment
    kind: EventKindValue
    label: str = Field(description=gettext_lazy("The kind, in the interface language."))
    actor: PersonRef | None
    text: str


class CaseFile(Schema):
    id: int = Field(ge=1)
    name: str
    content_type: str
    size: int = Field(ge=0)
    uploaded_at: Moment


class CaseHouseholdRef(Schema):
    id: int = Field(ge=1)
    number: str


class CaseDetail(Case):
    household: CaseHouseholdRef | None
    reason: str = Field(description=gettext_lazy("Why it was refused or withdrawn."))
    path: list[CatalogueStep] = Field(
        max_length=1000, description=gettext_lazy("The steps its amount selects.")
    )
    records: list[CaseStepRecord] = Field(max_length=100_000)
    events: list[CaseEvent] = Field(max_length=100_000)
    files: list[CaseFile] = Field(
        max_length=100_000,
        description=gettext_lazy("Material attached on the pages (downloaded there)."),
    )
    may_act: bool = Field(description=gettext_lazy("You take the step in hand now."))
    decision_approved: bool = Field(
        description=gettext_lazy("The linked record carries a passed resolution.")
    )


def _step_ref(step: Any) -> dict[str, Any] | None:
    if step is None:
        return None
    return {"position": step.position, "name": step.name, "level": step.level}


def case_summary(case: models.Case) -> dict[str, Any]:
    """A list row (the queryset from ``selectors.cases``: village, item, step, duty)."""
    return {
        "id": case.pk,
        "number": case.number,
        "village": division_ref(case.village),
        "item": {"id": case.item.pk, "code": case.item.code, "name": case.item.name},
        "title": case.title,
        "applicant_name": case.applicant_name,
        "amount": number(case.amount),
        "state": case.state,
        "step": _step_ref(case.step),
        "step_due_on": case.step_due_on,
        "paused_on": case.paused_on,
        "light": case.light or None,
        "decision_id": case.decision_id,
        "closed_on": case.closed_on,
        "created_at": case.created_at,
    }


def case_detail(case: models.Case, user: Any) -> dict[str, Any]:
    timeline = selectors.timeline(case)
    return {
        **case_summary(case),
        "household": (
            {"id": case.household.pk, "number": case.household.number} if case.household else None
        ),
        "reason": case.reason,
        "path": [step_item(step) for step in services.path(case.item, case.amount)],
        "records": [
            {
                "step": _step_ref(record.step),
                "entered_on": record.entered_on,
                "due_on": record.due_on,
                "left_on": record.left_on,
                "outcome": record.outcome,
                "opinion": record.opinion,
                "signer": record.signer,
                "sealed": record.sealed,
                "signed_on": record.signed_on,
                "actor": person_ref(record.actor),
                "late": record.late,
            }
            for record in timeline["records"]
        ],
        "events": [
            {
                "at": event.at,
                "kind": event.kind,
                "label": str(event.get_kind_display()),
                "actor": person_ref(event.actor),
                "text": event.text,
            }
            for event in timeline["events"]
        ],
        "files": [
            {
                "id": f.pk,
                "name": f.name,
                "content_type": f.content_type,
                "size": f.size,
                "uploaded_at": f.uploaded_at,
            }
            for f in case.files.all()
        ],
        "may_act": services.may_act(user, case),
        "decision_approved": services.decision_approved(case.decision),
    }


def load_case(user: Any, pk: int) -> models.Case:
    """The case with what its detail shows, or 404 (outside the scope as well)."""
    case = selectors.cases(user).select_related("household", "decision").filter(pk=pk).first()
    if case is None:
        raise not_found()
    return case


def answer(request: HttpRequest, pk: int) -> dict[str, Any]:
    return case_detail(load_case(request.user, pk), request.user)


# Inputs -------------------------------------------------------------------------------------


#: Yuan, as the case form takes them: not negative, two decimal places; text such as
#: "5000.50" is read too, as before.
Amount = Annotated[Decimal, Field(ge=0, le=999_999_999_999, decimal_places=2), NonNull]
#: true or false when sent (null refused, as before).
SentFlag = Annotated[Flag, NonNull]
CaseVillage = division(gettext_lazy("The village the case is of."))
Reason = Annotated[Text, Field(min_length=1, max_length=2000)]
Signer = Annotated[Text, Field(min_length=1, max_length=60, description=gettext_lazy("Who signs."))]


class CaseStart(Input):
    village: CaseVillage
    item: Text = Field(
        min_length=1,
        max_length=12,
        description=gettext_lazy("The item's number in the village's catalogue in force."),
    )
    title: Text = Field(min_length=1, max_length=200, description=gettext_lazy("The matter."))
    household: Text = Field(
        None,
        max_length=30,
        description=gettext_lazy("The number of the household that applies, if any."),
    )
    applicant_name: Text = Field(None, max_length=60)
    amount: Amount = Field(
        None, description=gettext_lazy("Yuan, when the item's thresholds need it.")
    )


class CasePass(Input):
    opinion: Text = Field(min_length=1, max_length=2000)
    signer: Signer
    sealed: SentFlag = Field(False, description=gettext_lazy("The seal is on the form."))
    signed_on: Date = Field(None, description=gettext_lazy("Default: today; never in the future."))
    notice_text: Text = Field(
        "",
        max_length=2000,
        description=gettext_lazy(
            "A step with a notice period posts a public notice: its text (default: the "
            "item and the applicant). Never ID, phone, bank or health details."
        ),
    )


class CaseReturn(Input):
    to_position: StrictInt = Field(
        ge=1, le=999, description=gettext_lazy("An earlier step's position.")
    )
    reason: Reason


class CaseRefuse(Input):
    reason: Text = Field(
        min_length=1,
        max_length=2000,
        description=gettext_lazy("The reasons, sent to the applicant in writing."),
    )
    signer: Signer


class CaseReason(Input):
    reason: Reason


class CaseExtend(Input):
    days: StrictInt = Field(
        ge=1, le=365, description=gettext_lazy("At most the extension the step allows, once.")
    )
    reason: Reason


class CaseDecision(Input):
    decision: Id = Field(
        description=gettext_lazy("A decision record's id (四议两公开) of the case's village.")
    )


class CaseFilters(Filters):
    q: Text | None = Field(
        None,
        max_length=100,
        description=gettext_lazy("Words in the number, matter, applicant or item."),
    )
    state: StateFilter = None
    village: DivisionCode | None = Field(
        None, description=gettext_lazy("Cases of this division or below it.")
    )
    item: Text | None = Field(None, max_length=100, description=gettext_lazy("The item's name."))
    light: LightFilter = None


def filtered(user: Any, filters: CaseFilters) -> Any:
    """The case page's selector with the query's filters (one meaning for both)."""
    return selectors.filter_cases(
        selectors.cases(user),
        q=filters.q or "",
        state=filters.state or "",
        village=filters.village or "",
        item=filters.item or "",
        light=filters.light or "",
        today=clock.today(),
    )


# Endpoints ---------------------------------------------------------------------------------


@router.get(
    "cases/",
    url_name="case_list",
    response=page_of(Case),
    summary=gettext_lazy("List cases"),
    description=gettext_lazy(
        "Cases of your area, newest first, with the filters of the case list page; "
        "``format=xlsx`` exports them."
    ),
)
def list_cases(
    request: HttpRequest,
    filters: Query[CaseFilters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    rows = filtered(request.user, filters)
    if exporting.format == "xlsx":
        return engine.export(
            rows, filename="cases", title=_("Cases"), columns=selectors.export_columns()
        )
    return paginate(request, paging, rows, case_summary)


@router.post(
    "cases/",
    url_name="case_list",
    response={201: CaseDetail},
    summary=gettext_lazy("Start a case"),
    description=gettext_lazy(
        "A case of an item of the village's catalogue in force, for a household of the "
        "village or for the village itself. Materials are added on the case page."
    ),
)
def start_case(request: HttpRequest, payload: CaseStart) -> Status[dict[str, Any]]:
    case = services.start_case(
        actor=request.user,
        village=payload.village,
        item_code=payload.item,
        title=payload.title,
        household_number=payload.household or "",
        applicant_name=payload.applicant_name or "",
        amount=payload.amount,
    )
    return Status(201, answer(request, case.pk))


@router.get(
    "cases/{int:pk}/",
    url_name="case_detail",
    response=CaseDetail,
    summary=gettext_lazy("Show a case"),
    description=gettext_lazy(
        "The case with its path, every step record (opinion, signer, seal, date), its "
        "timeline and the names of its files."
    ),
)
def show_case(request: HttpRequest, pk: int) -> dict[str, Any]:
    return answer(request, pk)


def _acting(request: HttpRequest, pk: int) -> models.Case:
    require_role(request.user, "change", models.Case)
    return load_case(request.user, pk)


@router.post(
    "cases/{int:pk}/pass/",
    url_name="case_pass",
    response=CaseDetail,
    summary=gettext_lazy("Pass the step in hand"),
    description=gettext_lazy(
        "The office of the step agrees and signs; the case moves to its next step or is "
        "completed. A step that needs 四议两公开 passes only with a linked record whose "
        "resolution passed."
    ),
)
def pass_step(request: HttpRequest, pk: int, payload: CasePass) -> dict[str, Any]:
    services.pass_step(
        actor=request.user,
        case=_acting(request, pk),
        opinion=payload.opinion,
        signer=payload.signer,
        sealed=payload.sealed,
        signed_on=payload.signed_on,
        notice_text=payload.notice_text,
    )
    return answer(request, pk)


@router.post(
    "cases/{int:pk}/return/",
    url_name="case_return",
    response=CaseDetail,
    summary=gettext_lazy("Return a case to an earlier step"),
    description=gettext_lazy("补正 or a new review: back to an earlier step of its path."),
)
def return_case(request: HttpRequest, pk: int, payload: CaseReturn) -> dict[str, Any]:
    services.return_case(
        actor=request.user,
        case=_acting(request, pk),
        to_position=payload.to_position,
        reason=payload.reason,
    )
    return answer(request, pk)


@router.post(
    "cases/{int:pk}/refuse/",
    url_name="case_refuse",
    response=CaseDetail,
    summary=gettext_lazy("Refuse a case"),
    description=gettext_lazy(
        "不予办理: the office of the step refuses in writing; the refusal letter is on the "
        "case page."
    ),
)
def refuse_case(request: HttpRequest, pk: int, payload: CaseRefuse) -> dict[str, Any]:
    services.refuse(
        actor=request.user,
        case=_acting(request, pk),
        reason=payload.reason,
        signer=payload.signer,
    )
    return answer(request, pk)


@router.post(
    "cases/{int:pk}/withdraw/",
    url_name="case_withdraw",
    response=CaseDetail,
    summary=gettext_lazy("Withdraw a case"),
    description=gettext_lazy("The village withdraws the case for the applicant, with why."),
)
def withdraw_case(request: HttpRequest, pk: int, payload: CaseReason) -> dict[str, Any]:
    services.withdraw(actor=request.user, case=_acting(request, pk), reason=payload.reason)
    return answer(request, pk)


@router.post(
    "cases/{int:pk}/pause/",
    url_name="case_pause",
    response=CaseDetail,
    summary=gettext_lazy("Pause a case's clock"),
    description=gettext_lazy("Stop the step's clock (and its supervision) with the reason."),
)
def pause_case(request: HttpRequest, pk: int, payload: CaseReason) -> dict[str, Any]:
    services.pause(actor=request.user, case=_acting(request, pk), reason=payload.reason)
    return answer(request, pk)


#: resuming takes no input: an empty object, or no body at all
NOTHING = NoBody()


@router.post(
    "cases/{int:pk}/resume/",
    url_name="case_resume",
    response=CaseDetail,
    summary=gettext_lazy("Resume a case's clock"),
    description=gettext_lazy("Start the clock again with the days that were left."),
)
def resume_case(request: HttpRequest, pk: int, payload: NoBody = NOTHING) -> dict[str, Any]:
    services.resume(actor=request.user, case=_acting(request, pk))
    return answer(request, pk)


@router.post(
    "cases/{int:pk}/extend/",
    url_name="case_extend",
    response=CaseDetail,
    summary=gettext_lazy("Extend the step in hand"),
    description=gettext_lazy("延期: more days, once per step, within what the item allows."),
)
def extend_case(request: HttpRequest, pk: int, payload: CaseExtend) -> dict[str, Any]:
    services.extend(
        actor=request.user,
        case=_acting(request, pk),
        days=payload.days,
        reason=payload.reason,
    )
    return answer(request, pk)


@router.post(
    "cases/{int:pk}/decision/",
    url_name="case_decision",
    response=CaseDetail,
    summary=gettext_lazy("Link the decision record"),
    description=gettext_lazy(
        "The 四议两公开 record of the village that approved this case's matter."
    ),
)
def link_decision(request: HttpRequest, pk: int, payload: CaseDecision) -> dict[str, Any]:
    case = _acting(request, pk)
    record = (
        DecisionRecord.objects.restrict(request.user, "view").filter(pk=payload.decision).first()
    )
    if record is None:
        raise ValidationError({"decision": _("Choose a decision record of the village.")})
    services.link_decision(actor=request.user, case=case, record=record)
    return answer(request, pk)

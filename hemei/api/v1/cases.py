"""Cases (办件): list with the case page's filters and lights, detail with the path, step
records and timeline; start a case and act on the step in hand (pass and sign, return,
refuse, withdraw, pause, resume, extend, link the 四议两公开 record). Every change goes
through :mod:`hemei.cases.services`, which checks the office of the step. Material files
are attached on the pages, not through the API (the detail lists them)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.roles import API_ROLES
from hemei.cases import selectors, services
from hemei.cases.choices import CaseState, EventKind, Outcome
from hemei.cases.models import Case
from hemei.catalogue.choices import Level
from hemei.core import clock
from hemei.procedures.models import DecisionRecord
from hemei.tasks.choices import Light

from .. import schema as s
from ..framework import Call, not_found
from .catalogue import STEP, step_item
from .common import (
    DIVISION,
    DIVISION_CODE,
    EMPTY,
    PERSON,
    api,
    date,
    division_code,
    division_ref,
    moment,
    number,
    person_ref,
    require_role,
)

TAG = "cases"
api.gate(TAG, Case, roles=API_ROLES)

# Shapes -----------------------------------------------------------------------------------

ITEM_REF = s.response(
    "CaseItemRef",
    {"id": s.Int(minimum=1), "code": s.Str(), "name": s.Str()},
)
STEP_REF = s.response(
    "CaseStepRef",
    {"position": s.Int(minimum=0), "name": s.Str(), "level": s.Choice(Level.choices)},
)
CASE_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "number": s.Str(description=gettext_lazy("The case number (village-year-serial).")),
    "village": DIVISION,
    "item": ITEM_REF,
    "title": s.Str(description=gettext_lazy("What the case is about.")),
    "applicant_name": s.Str(),
    "amount": s.Number(minimum=0, nullable=True),
    "state": s.Choice(CaseState.choices),
    "step": s.Nullable(STEP_REF, description=gettext_lazy("The step in hand.")),
    "step_due_on": s.Date(nullable=True, description=gettext_lazy("The step's deadline.")),
    "paused_on": s.Date(nullable=True),
    "light": s.Choice(
        Light.choices,
        nullable=True,
        description=gettext_lazy("The light of the step in hand (empty when not running)."),
    ),
    "decision_id": s.Int(
        minimum=1, nullable=True, description=gettext_lazy("The linked 四议两公开 record.")
    ),
    "closed_on": s.Date(nullable=True),
    "created_at": s.DateTime(),
}
CASE = s.response("Case", CASE_FIELDS)
RECORD = s.response(
    "CaseStepRecord",
    {
        "step": STEP_REF,
        "entered_on": s.Date(),
        "due_on": s.Date(nullable=True),
        "left_on": s.Date(nullable=True),
        "outcome": s.Choice(Outcome.choices),
        "opinion": s.Str(),
        "signer": s.Str(),
        "sealed": s.Bool(),
        "signed_on": s.Date(nullable=True),
        "actor": s.Nullable(PERSON),
        "late": s.Bool(description=gettext_lazy("Left after its deadline.")),
    },
)
CASE_EVENT = s.response(
    "CaseEvent",
    {
        "at": s.DateTime(),
        "kind": s.Choice(EventKind.choices),
        "label": s.Str(description=gettext_lazy("The kind, in the interface language.")),
        "actor": s.Nullable(PERSON),
        "text": s.Str(),
    },
)
CASE_FILE = s.response(
    "CaseFile",
    {
        "id": s.Int(minimum=1),
        "name": s.Str(),
        "content_type": s.Str(),
        "size": s.Int(minimum=0),
        "uploaded_at": s.DateTime(),
    },
)
CASE_DETAIL = s.response(
    "CaseDetail",
    {
        **CASE_FIELDS,
        "household": s.Nullable(
            s.response("CaseHouseholdRef", {"id": s.Int(minimum=1), "number": s.Str()})
        ),
        "reason": s.Str(description=gettext_lazy("Why it was refused or withdrawn.")),
        "path": s.List(
            STEP, max_items=1000, description=gettext_lazy("The steps its amount selects.")
        ),
        "records": s.List(RECORD, max_items=100_000),
        "events": s.List(CASE_EVENT, max_items=100_000),
        "files": s.List(
            CASE_FILE,
            max_items=100_000,
            description=gettext_lazy("Material attached on the pages (downloaded there)."),
        ),
        "may_act": s.Bool(description=gettext_lazy("You take the step in hand now.")),
        "decision_approved": s.Bool(
            description=gettext_lazy("The linked record carries a passed resolution.")
        ),
    },
)


def _step_ref(step: Any) -> dict[str, Any] | None:
    if step is None:
        return None
    return {"position": step.position, "name": step.name, "level": step.level}


def case_summary(case: Case) -> dict[str, Any]:
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
        "step_due_on": date(case.step_due_on),
        "paused_on": date(case.paused_on),
        "light": case.light or None,
        "decision_id": case.decision_id,
        "closed_on": date(case.closed_on),
        "created_at": moment(case.created_at),
    }


def case_detail(case: Case, user: Any) -> dict[str, Any]:
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
                "entered_on": date(record.entered_on),
                "due_on": date(record.due_on),
                "left_on": date(record.left_on),
                "outcome": record.outcome,
                "opinion": record.opinion,
                "signer": record.signer,
                "sealed": record.sealed,
                "signed_on": date(record.signed_on),
                "actor": person_ref(record.actor),
                "late": record.late,
            }
            for record in timeline["records"]
        ],
        "events": [
            {
                "at": moment(event.at),
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
                "uploaded_at": moment(f.uploaded_at),
            }
            for f in case.files.all()
        ],
        "may_act": services.may_act(user, case),
        "decision_approved": services.decision_approved(case.decision),
    }


def load_case(user: Any, pk: int) -> Case:
    """The case with what its detail shows, or 404 (outside the scope as well)."""
    case = selectors.cases(user).select_related("household", "decision").filter(pk=pk).first()
    if case is None:
        raise not_found()
    return case


def answer(call: Call, pk: int) -> dict[str, Any]:
    return case_detail(load_case(call.user, pk), call.user)


# Inputs -------------------------------------------------------------------------------------


REASON = s.Str(min_length=1, max_length=2000)
SIGNER = s.Str(min_length=1, max_length=60, description=gettext_lazy("Who signs."))
CASE_START = s.Obj(
    "CaseStart",
    {
        "village": division_code(description=gettext_lazy("The village the case is of.")),
        "item": s.Str(
            min_length=1,
            max_length=12,
            description=gettext_lazy("The item's number in the village's catalogue in force."),
        ),
        "title": s.Str(min_length=1, max_length=200, description=gettext_lazy("The matter.")),
        "household": s.Str(
            max_length=30,
            description=gettext_lazy("The number of the household that applies, if any."),
        ),
        "applicant_name": s.Str(max_length=60),
        "amount": s.Number(
            minimum=0,
            maximum=999_999_999_999,
            description=gettext_lazy("Yuan, when the item's thresholds need it."),
        ),
    },
    required=["village", "item", "title"],
)
CASE_PASS = s.Obj(
    "CasePass",
    {
        "opinion": s.Str(min_length=1, max_length=2000),
        "signer": SIGNER,
        "sealed": s.Bool(description=gettext_lazy("The seal is on the form.")),
        "signed_on": s.Date(description=gettext_lazy("Default: today; never in the future.")),
        "notice_text": s.Str(
            max_length=2000,
            description=gettext_lazy(
                "A step with a notice period posts a public notice: its text (default: the "
                "item and the applicant). Never ID, phone, bank or health details."
            ),
        ),
    },
    required=["opinion", "signer"],
)
CASE_RETURN = s.Obj(
    "CaseReturn",
    {
        "to_position": s.Int(
            minimum=1, maximum=999, description=gettext_lazy("An earlier step's position.")
        ),
        "reason": REASON,
    },
    required=["to_position", "reason"],
)
CASE_REFUSE = s.Obj(
    "CaseRefuse",
    {
        "reason": s.Str(
            min_length=1,
            max_length=2000,
            description=gettext_lazy("The reasons, sent to the applicant in writing."),
        ),
        "signer": SIGNER,
    },
    required=["reason", "signer"],
)
CASE_REASON = s.Obj("CaseReason", {"reason": REASON}, required=["reason"])
CASE_EXTEND = s.Obj(
    "CaseExtend",
    {
        "days": s.Int(
            minimum=1,
            maximum=365,
            description=gettext_lazy("At most the extension the step allows, once."),
        ),
        "reason": REASON,
    },
    required=["days", "reason"],
)
CASE_DECISION = s.Obj(
    "CaseDecision",
    {
        "decision": s.Int(
            minimum=1,
            description=gettext_lazy("A decision record's id (四议两公开) of the case's village."),
        )
    },
    required=["decision"],
)

LIGHTS = [(value, label) for value, label in Light.choices] + [("overdue", gettext_lazy("overdue"))]
FILTERS = (
    s.Param(
        "q",
        s.Str(max_length=100),
        gettext_lazy("Words in the number, matter, applicant or item."),
    ),
    s.Param("state", s.Choice(CaseState.choices)),
    s.Param("village", DIVISION_CODE, gettext_lazy("Cases of this division or below it.")),
    s.Param("item", s.Str(max_length=100), gettext_lazy("The item's name.")),
    s.Param("light", s.Choice(LIGHTS), gettext_lazy("The step's light, or past its deadline.")),
)


def filtered(call: Call) -> Any:
    """The case page's selector with the query's filters (one meaning for both)."""
    query = call.query
    return selectors.filter_cases(
        selectors.cases(call.user),
        q=query.get("q", ""),
        state=query.get("state", ""),
        village=query.get("village", ""),
        item=query.get("item", ""),
        light=query.get("light", ""),
        today=clock.today(),
    )


# Endpoints ---------------------------------------------------------------------------------

case_list = api.route("cases/", "case_list")
case_item = api.route("cases/<int:pk>/", "case_detail")
case_pass = api.route("cases/<int:pk>/pass/", "case_pass")
case_return = api.route("cases/<int:pk>/return/", "case_return")
case_refuse = api.route("cases/<int:pk>/refuse/", "case_refuse")
case_withdraw = api.route("cases/<int:pk>/withdraw/", "case_withdraw")
case_pause = api.route("cases/<int:pk>/pause/", "case_pause")
case_resume = api.route("cases/<int:pk>/resume/", "case_resume")
case_extend = api.route("cases/<int:pk>/extend/", "case_extend")
case_decision = api.route("cases/<int:pk>/decision/", "case_decision")


@case_list.operation(
    "GET",
    summary=gettext_lazy("List cases"),
    description=gettext_lazy(
        "Cases of your area, newest first, with the filters of the case list page; "
        "``format=xlsx`` exports them."
    ),
    tag=TAG,
    query=FILTERS,
    response=CASE,
    paged=True,
    exports=True,
)
def list_cases(call: Call) -> Any:
    rows = filtered(call)
    if call.wants_export:
        return call.export(
            rows, filename="cases", title=_("Cases"), columns=selectors.export_columns()
        )
    return call.page(rows, case_summary)


@case_list.operation(
    "POST",
    summary=gettext_lazy("Start a case"),
    description=gettext_lazy(
        "A case of an item of the village's catalogue in force, for a household of the "
        "village or for the village itself. Materials are added on the case page."
    ),
    tag=TAG,
    body=CASE_START,
    response=CASE_DETAIL,
    status=201,
)
def start_case(call: Call) -> Any:
    data = call.body
    case = services.start_case(
        actor=call.user,
        village=data["village"],
        item_code=data["item"].strip(),
        title=data["title"],
        household_number=data.get("household") or "",
        applicant_name=data.get("applicant_name", ""),
        amount=data.get("amount"),
    )
    return answer(call, case.pk)


@case_item.operation(
    "GET",
    summary=gettext_lazy("Show a case"),
    description=gettext_lazy(
        "The case with its path, every step record (opinion, signer, seal, date), its "
        "timeline and the names of its files."
    ),
    tag=TAG,
    response=CASE_DETAIL,
)
def show_case(call: Call, pk: int) -> Any:
    return answer(call, pk)


def _acting(call: Call, pk: int) -> Case:
    require_role(call.user, "change", Case)
    return load_case(call.user, pk)


@case_pass.operation(
    "POST",
    summary=gettext_lazy("Pass the step in hand"),
    description=gettext_lazy(
        "The office of the step agrees and signs; the case moves to its next step or is "
        "completed. A step that needs 四议两公开 passes only with a linked record whose "
        "resolution passed."
    ),
    tag=TAG,
    body=CASE_PASS,
    response=CASE_DETAIL,
)
def pass_step(call: Call, pk: int) -> Any:
    data = call.body
    services.pass_step(
        actor=call.user,
        case=_acting(call, pk),
        opinion=data["opinion"],
        signer=data["signer"],
        sealed=data.get("sealed", False),
        signed_on=data.get("signed_on"),
        notice_text=data.get("notice_text", ""),
    )
    return answer(call, pk)


@case_return.operation(
    "POST",
    summary=gettext_lazy("Return a case to an earlier step"),
    description=gettext_lazy("补正 or a new review: back to an earlier step of its path."),
    tag=TAG,
    body=CASE_RETURN,
    response=CASE_DETAIL,
)
def return_case(call: Call, pk: int) -> Any:
    services.return_case(
        actor=call.user,
        case=_acting(call, pk),
        to_position=call.body["to_position"],
        reason=call.body["reason"],
    )
    return answer(call, pk)


@case_refuse.operation(
    "POST",
    summary=gettext_lazy("Refuse a case"),
    description=gettext_lazy(
        "不予办理: the office of the step refuses in writing; the refusal letter is on the "
        "case page."
    ),
    tag=TAG,
    body=CASE_REFUSE,
    response=CASE_DETAIL,
)
def refuse_case(call: Call, pk: int) -> Any:
    services.refuse(
        actor=call.user,
        case=_acting(call, pk),
        reason=call.body["reason"],
        signer=call.body["signer"],
    )
    return answer(call, pk)


@case_withdraw.operation(
    "POST",
    summary=gettext_lazy("Withdraw a case"),
    description=gettext_lazy("The village withdraws the case for the applicant, with why."),
    tag=TAG,
    body=CASE_REASON,
    response=CASE_DETAIL,
)
def withdraw_case(call: Call, pk: int) -> Any:
    services.withdraw(actor=call.user, case=_acting(call, pk), reason=call.body["reason"])
    return answer(call, pk)


@case_pause.operation(
    "POST",
    summary=gettext_lazy("Pause a case's clock"),
    description=gettext_lazy("Stop the step's clock (and its supervision) with the reason."),
    tag=TAG,
    body=CASE_REASON,
    response=CASE_DETAIL,
)
def pause_case(call: Call, pk: int) -> Any:
    services.pause(actor=call.user, case=_acting(call, pk), reason=call.body["reason"])
    return answer(call, pk)


@case_resume.operation(
    "POST",
    summary=gettext_lazy("Resume a case's clock"),
    description=gettext_lazy("Start the clock again with the days that were left."),
    tag=TAG,
    body=EMPTY,
    response=CASE_DETAIL,
)
def resume_case(call: Call, pk: int) -> Any:
    services.resume(actor=call.user, case=_acting(call, pk))
    return answer(call, pk)


@case_extend.operation(
    "POST",
    summary=gettext_lazy("Extend the step in hand"),
    description=gettext_lazy("延期: more days, once per step, within what the item allows."),
    tag=TAG,
    body=CASE_EXTEND,
    response=CASE_DETAIL,
)
def extend_case(call: Call, pk: int) -> Any:
    services.extend(
        actor=call.user,
        case=_acting(call, pk),
        days=call.body["days"],
        reason=call.body["reason"],
    )
    return answer(call, pk)


@case_decision.operation(
    "POST",
    summary=gettext_lazy("Link the decision record"),
    description=gettext_lazy(
        "The 四议两公开 record of the village that approved this case's matter."
    ),
    tag=TAG,
    body=CASE_DECISION,
    response=CASE_DETAIL,
)
def link_decision(call: Call, pk: int) -> Any:
    case = _acting(call, pk)
    record = (
        DecisionRecord.objects.restrict(call.user, "view").filter(pk=call.body["decision"]).first()
    )
    if record is None:
        raise ValidationError({"decision": _("Choose a decision record of the village.")})
    services.link_decision(actor=call.user, case=case, record=record)
    return answer(call, pk)

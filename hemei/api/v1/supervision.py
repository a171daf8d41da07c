"""Supervision (督查督办): orders with their answers, cards, extension requests and the
escalation ladder. Every step goes through :mod:`hemei.supervision.services`, which checks
who may take it, audits it and puts it on the task's timeline; the lists are the
supervision centre's (:mod:`hemei.supervision.selectors`). Supervision is internal work:
villagers are refused (403) like on the pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.responses import Status
from pydantic import Field, StrictInt

from hemei.accounts.policy import allows, allows_at, places
from hemei.core import clock
from hemei.core.downloads import download
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.supervision import models, selectors, services
from hemei.supervision.choices import CardKind, ExtensionState, OrderSource, OrderState, StepKind
from hemei.supervision.forms import ReplyForm
from hemei.tasks.models import Task

from ..engine import Flag, Paging, not_found, page_of, paginate
from .common import (
    DOWNLOAD,
    Date,
    DivisionCode,
    DivisionRef,
    JsonOrForm,
    Moment,
    NotNull,
    PersonRef,
    QueryId,
    SearchText,
    choice,
    division_ref,
    json_too,
    person_ref,
    require_role,
    v1,
)
from .common import text as limited_text
from .progress import TaskBrief, _brief

TAG = "supervision"
v1.gate(TAG, models.SupervisionOrder)

router = Router(tags=[TAG])

# Types --------------------------------------------------------------------------------------

OrderText = limited_text(min_length=1, max_length=5000)
AnswerText = limited_text(min_length=1, max_length=10_000)
Note = limited_text(max_length=2000)
Reason = limited_text(min_length=1, max_length=5000)
OrderStateChoice = choice(OrderState.choices)
OrderSourceChoice = choice(OrderSource.choices)
CardKindChoice = choice(CardKind.choices)
ExtensionStateChoice = choice(ExtensionState.choices)
StepKindChoice = choice(StepKind.choices)
OrderStateFilter = choice(OrderState.choices, nullable=True)
OrderSourceFilter = choice(OrderSource.choices, nullable=True)
CardKindFilter = choice(CardKind.choices, nullable=True)
ExtensionStateFilter = choice(ExtensionState.choices, nullable=True)

# Shapes -----------------------------------------------------------------------------------


class SupervisionOrder(Schema):
    id: int = Field(ge=1)
    number: str = Field(description=gettext_lazy("The order's number (督办〔年〕号)."))
    task: TaskBrief
    state: OrderStateChoice
    source: OrderSourceChoice
    text: str = Field(description=gettext_lazy("What the order demands."))
    issued_at: Moment
    issued_by: PersonRef | None = Field(
        description=gettext_lazy("Empty when the ladder issued it.")
    )
    reply_due: dt.date
    reply_overdue: bool = Field(
        description=gettext_lazy("Awaiting a reply past its reply deadline.")
    )
    answered_at: Moment | None
    closed_at: Moment | None


class OrderReply(Schema):
    id: int = Field(ge=1)
    author: PersonRef | None
    text: str
    at: Moment
    attachment: str | None = Field(
        description=gettext_lazy("URL of the attached file (same authentication).")
    )


class SupervisionOrderDetail(SupervisionOrder):
    closed_by: PersonRef | None
    replies: list[OrderReply] = Field(max_length=100_000)
    may_answer: bool = Field(description=gettext_lazy("You may answer it now."))
    may_decide: bool = Field(
        description=gettext_lazy("You may close it or send the answer back now.")
    )


class Card(Schema):
    id: int = Field(ge=1)
    task: TaskBrief
    kind: CardKindChoice
    issued_at: Moment
    step: str = Field(
        description=gettext_lazy("The ladder step that issued it (e.g. yellow_card+1).")
    )
    due_on: dt.date = Field(description=gettext_lazy("The task's deadline when it was issued."))


class ExtensionRequest(Schema):
    id: int = Field(ge=1)
    task: TaskBrief
    state: ExtensionStateChoice
    requested_by: PersonRef | None
    requested_at: Moment
    current_due: dt.date
    requested_due: dt.date
    reason: str
    decided_by: PersonRef | None
    decided_at: Moment | None
    decision_note: str


DAYS_DESCRIPTION = gettext_lazy("Days from the deadline (negative: before it; reminders only).")
REPLY_DAYS_DESCRIPTION = gettext_lazy("For supervision orders: days to reply (1–90).")


class LadderStep(Schema):
    kind: StepKindChoice
    days: int = Field(ge=-365, le=365, description=DAYS_DESCRIPTION)
    reply_days: int = Field(ge=0, le=90, description=REPLY_DAYS_DESCRIPTION)


class Ladder(Schema):
    county: DivisionRef
    configured: bool = Field(description=gettext_lazy("False: the default ladder applies."))
    steps: list[LadderStep] = Field(max_length=100)
    may_change: bool


def order_summary(order: models.SupervisionOrder) -> dict[str, Any]:
    """A list row (the task and its division must be selected)."""
    return {
        "id": order.pk,
        "number": order.number,
        "task": _brief(order.task),
        "state": order.state,
        "source": order.source,
        "text": order.text,
        "issued_at": order.issued_at,
        "issued_by": person_ref(order.issued_by),
        "reply_due": order.reply_due,
        "reply_overdue": order.is_reply_overdue(clock.today()),
        "answered_at": order.answered_at,
        "closed_at": order.closed_at,
    }


def reply_item(reply: models.OrderReply) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "author": person_ref(reply.author),
        "text": reply.text,
        "at": reply.at,
        "attachment": (
            reverse("api:v1:reply_attachment", args=[reply.pk]) if reply.attachment else None
        ),
    }


def order_detail(order: models.SupervisionOrder, user: Any) -> dict[str, Any]:
    supervises = allows(user, "supervise", order.task)
    return {
        **order_summary(order),
        "closed_by": person_ref(order.closed_by),
        "replies": [reply_item(r) for r in order.replies.select_related("author")],
        "may_answer": order.state != OrderState.CLOSED and allows(user, "answer", order.task),
        "may_decide": order.state == OrderState.ANSWERED and supervises,
    }


def card_item(card: models.Card) -> dict[str, Any]:
    return {
        "id": card.pk,
        "task": _brief(card.task),
        "kind": card.kind,
        "issued_at": card.issued_at,
        "step": card.step,
        "due_on": card.due_on,
    }


def extension_item(request: models.ExtensionRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "task": _brief(request.task),
        "state": request.state,
        "requested_by": person_ref(request.requested_by),
        "requested_at": request.requested_at,
        "current_due": request.current_due,
        "requested_due": request.requested_due,
        "reason": request.reason,
        "decided_by": person_ref(request.decided_by),
        "decided_at": request.decided_at,
        "decision_note": request.decision_note,
    }


# Loading ------------------------------------------------------------------------------------


def load_order(user: Any, pk: int) -> models.SupervisionOrder:
    order = (
        models.SupervisionOrder.objects.visible_to(user)
        .select_related(*selectors.TASK_FIELDS, "issued_by", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise not_found()
    return order


def load_extension(user: Any, pk: int) -> models.ExtensionRequest:
    request = (
        models.ExtensionRequest.objects.visible_to(user)
        .select_related(*selectors.TASK_FIELDS, "task__lead_leader", "requested_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise not_found()
    return request


def load_task(user: Any, pk: int) -> Task:
    task = Task.objects.visible_to(user).select_related("lead_leader").filter(pk=pk).first()
    if task is None:
        raise not_found()
    return task


def load_county(user: Any, code: str) -> Division:
    """A county inside the user's area or above it (the ladder its tasks climb), else 404."""
    if not re.fullmatch(r"[0-9]{6}", code):
        raise not_found()
    counties = Division.objects.current().filter(level=Level.COUNTY, code=code)
    counties = counties.filter(code__in=places(user, "view_with_ancestors").values("code"))
    county = counties.first()
    if county is None:
        raise not_found()
    return county


# Inputs -------------------------------------------------------------------------------------


class SupervisionOrderCreate(NotNull):
    text: OrderText = Field(description=gettext_lazy("What the order demands."))
    reply_due: Date = Field(
        description=gettext_lazy("The reply is due on this day (not in the past).")
    )


class OrderReplyCreate(NotNull):
    text: AnswerText = Field(description=gettext_lazy("The answer (反馈)."))


class OrderClose(NotNull):
    note: Note = Field("", description=gettext_lazy("A note for the responsible side."))


#: closing takes an empty body, or none at all
NO_NOTE = OrderClose()


class OrderSendBack(NotNull):
    note: Note = Field(description=gettext_lazy("What the answer lacks."))


class ExtensionRequestCreate(NotNull):
    requested_due: Date = Field(
        description=gettext_lazy("The new deadline, later than the current one.")
    )
    reason: Reason


class ExtensionDecision(NotNull):
    approve: Flag = Field(description=gettext_lazy("true: the deadline moves; false: refused."))
    note: Note = Field("", description=gettext_lazy("Required when refusing."))


class LadderStepInput(NotNull):
    kind: StepKindChoice
    days: StrictInt = Field(ge=-365, le=365, description=DAYS_DESCRIPTION)
    reply_days: StrictInt = Field(0, ge=0, le=90, description=REPLY_DAYS_DESCRIPTION)


class LadderSave(NotNull):
    steps: list[LadderStepInput] = Field(
        max_length=20, description=gettext_lazy("The whole ladder; empty: the default.")
    )


class OrderFilters(Schema):
    q: SearchText | None = Field(
        None, description=gettext_lazy("Words in the order number or the task title.")
    )
    state: OrderStateFilter = None
    source: OrderSourceFilter = None
    task: QueryId | None = Field(None, description=gettext_lazy("Orders on this task."))
    overdue: bool | None = Field(
        None, description=gettext_lazy("Only orders whose reply is overdue (true) or the others.")
    )
    town: DivisionCode | None = Field(
        None, description=gettext_lazy("Orders on tasks at this division or below it.")
    )


class CardFilters(Schema):
    q: SearchText | None = Field(None, description=gettext_lazy("Words in the task title."))
    kind: CardKindFilter = None
    task: QueryId | None = Field(None, description=gettext_lazy("Cards of this task."))
    town: DivisionCode | None = Field(
        None, description=gettext_lazy("Cards of tasks at this division or below it.")
    )


class ExtensionFilters(Schema):
    q: SearchText | None = Field(None, description=gettext_lazy("Words in the task title."))
    state: ExtensionStateFilter = None
    task: QueryId | None = Field(None, description=gettext_lazy("Requests on this task."))
    town: DivisionCode | None = Field(
        None, description=gettext_lazy("Requests on tasks at this division or below it.")
    )
    to_decide: bool | None = Field(
        None, description=gettext_lazy("Only pending requests waiting for your decision.")
    )


def _filters(filters: Schema, *names: str) -> dict[str, str]:
    """The filters the supervision centre's selectors read, as the page sends them."""
    values = {name: getattr(filters, name) for name in names}
    return {name: str(value) for name, value in values.items() if value is not None}


# Operations -------------------------------------------------------------------------------


@router.get(
    "supervision/orders/",
    url_name="order_list",
    response=page_of(SupervisionOrder),
    summary=gettext_lazy("List supervision orders"),
    description=gettext_lazy(
        "Orders on tasks in your area: awaiting a reply first, then answered, then closed; "
        "soonest reply deadline first."
    ),
)
def list_orders(request: HttpRequest, filters: Query[OrderFilters], paging: Query[Paging]) -> Any:
    rows = selectors.orders(request.user, _filters(filters, "q", "state", "source", "town"))
    if filters.task is not None:
        rows = rows.filter(task_id=filters.task)
    if filters.overdue is not None:
        late = Q(state=OrderState.OPEN, reply_due__lt=clock.today())
        rows = rows.filter(late) if filters.overdue else rows.exclude(late)
    return paginate(request, paging, rows, order_summary)


@router.get(
    "supervision/orders/{int:pk}/",
    url_name="order_detail",
    response=SupervisionOrderDetail,
    summary=gettext_lazy("Show a supervision order"),
    description=gettext_lazy("The order with its answers, and what you may do with it now."),
)
def show_order(request: HttpRequest, pk: int) -> Any:
    return order_detail(load_order(request.user, pk), request.user)


@router.post(
    "tasks/{int:pk}/orders/",
    url_name="task_orders",
    response={201: SupervisionOrderDetail},
    summary=gettext_lazy("Issue a supervision order"),
    description=gettext_lazy(
        "A supervision order issued by hand on the task (its supervisors only: the managers "
        "above it, never the people it supervises). The responsible side is told."
    ),
)
def issue_order(request: HttpRequest, pk: int, payload: SupervisionOrderCreate) -> Any:
    user = request.user
    require_role(user, "supervise", Task)
    task = load_task(user, pk)
    order = services.issue_order(
        task=task, actor=user, text=payload.text, reply_due=payload.reply_due
    )
    return Status(201, order_detail(load_order(user, order.pk), user))


def attachment_of(uploads: list[UploadedFile] | None) -> Any:
    """The one file of a multipart answer, checked by the answer form's rule (kind, size)."""
    if not uploads:
        return None
    if len(uploads) > 1:
        raise ValidationError({"files": _("Attach one file to an answer.")})
    form = ReplyForm(data={"text": "-"}, files={"attachment": uploads[0]})
    if not form.is_valid():
        raise ValidationError({"files": list(form.errors.get("attachment", []))})
    return form.cleaned_data["attachment"]


@router.post(
    "supervision/orders/{int:pk}/reply/",
    url_name="order_reply",
    response=SupervisionOrderDetail,
    summary=gettext_lazy("Answer a supervision order"),
    description=gettext_lazy(
        "The responsible side answers (反馈); the order becomes answered and the issuer is "
        "told. A closed order takes no answer. Send JSON, or a multipart form with ``text`` "
        "and one attached file as ``files`` (PDF, Word, Excel, image or text; at most 20 MB)."
    ),
    openapi_extra=json_too(OrderReplyCreate),
)
def answer_order(
    request: HttpRequest,
    pk: int,
    payload: JsonOrForm[OrderReplyCreate],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    user = request.user
    order = load_order(user, pk)
    attachment = attachment_of(files)
    services.reply_to_order(order=order, actor=user, text=payload.text, attachment=attachment)
    return order_detail(load_order(user, pk), user)


@router.post(
    "supervision/orders/{int:pk}/close/",
    url_name="order_close",
    response=SupervisionOrderDetail,
    summary=gettext_lazy("Close a supervision order"),
    description=gettext_lazy("The supervisor accepts the answer: answered → closed."),
)
def close_order(request: HttpRequest, pk: int, payload: OrderClose = NO_NOTE) -> Any:
    user = request.user
    require_role(user, "supervise", Task)
    order = load_order(user, pk)
    services.close_order(order=order, actor=user, note=payload.note)
    return order_detail(load_order(user, pk), user)


@router.post(
    "supervision/orders/{int:pk}/send-back/",
    url_name="order_send_back",
    response=SupervisionOrderDetail,
    summary=gettext_lazy("Send an answer back"),
    description=gettext_lazy(
        "The answer is not enough: answered → awaiting reply again, with the reason."
    ),
)
def send_back_order(request: HttpRequest, pk: int, payload: OrderSendBack) -> Any:
    user = request.user
    require_role(user, "supervise", Task)
    order = load_order(user, pk)
    services.send_back_order(order=order, actor=user, note=payload.note)
    return order_detail(load_order(user, pk), user)


@router.get(
    "supervision/replies/{int:pk}/attachment/",
    url_name="reply_attachment",
    summary=gettext_lazy("Download an answer's attachment"),
    description=gettext_lazy(
        "The file attached to an answer, to those who see its order (404 otherwise)."
    ),
    openapi_extra=DOWNLOAD,
)
def download_reply_attachment(request: HttpRequest, pk: int) -> Any:
    visible_orders = models.SupervisionOrder.objects.visible_to(request.user)
    reply = (
        models.OrderReply.objects.filter(order__in=visible_orders)
        .exclude(attachment="")
        .filter(pk=pk)
        .first()
    )
    if reply is None:
        raise not_found()
    try:
        handle = reply.attachment.open("rb")
    except FileNotFoundError:
        raise not_found() from None
    response = download(handle, filename=reply.attachment.name)
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "supervision/cards/",
    url_name="card_list",
    response=page_of(Card),
    summary=gettext_lazy("List cards"),
    description=gettext_lazy(
        "Yellow and red cards (黄牌/红牌) of tasks in your area, newest first."
    ),
)
def list_cards(request: HttpRequest, filters: Query[CardFilters], paging: Query[Paging]) -> Any:
    rows = selectors.cards(request.user, _filters(filters, "q", "kind", "town"))
    if filters.task is not None:
        rows = rows.filter(task_id=filters.task)
    return paginate(request, paging, rows, card_item)


@router.get(
    "supervision/extensions/",
    url_name="extension_list",
    response=page_of(ExtensionRequest),
    summary=gettext_lazy("List extension requests"),
    description=gettext_lazy(
        "Extension requests (延期申请) on tasks in your area, pending ones first."
    ),
)
def list_extensions(
    request: HttpRequest, filters: Query[ExtensionFilters], paging: Query[Paging]
) -> Any:
    rows = selectors.extensions(request.user, _filters(filters, "q", "state", "town"))
    if filters.task is not None:
        rows = rows.filter(task_id=filters.task)
    if filters.to_decide:
        rows = rows.filter(state=ExtensionState.PENDING).restrict(request.user, "decide")
    return paginate(request, paging, rows, extension_item)


@router.get(
    "supervision/extensions/{int:pk}/",
    url_name="extension_detail",
    response=ExtensionRequest,
    summary=gettext_lazy("Show an extension request"),
    description=gettext_lazy("One extension request."),
)
def show_extension(request: HttpRequest, pk: int) -> Any:
    return extension_item(load_extension(request.user, pk))


@router.post(
    "tasks/{int:pk}/extensions/",
    url_name="task_extensions",
    response={201: ExtensionRequest},
    summary=gettext_lazy("Request an extension"),
    description=gettext_lazy(
        "The responsible side asks for a later deadline; the task's lead leader (or, without "
        "one, the county's administrators) is told. One pending request per task."
    ),
)
def request_extension(request: HttpRequest, pk: int, payload: ExtensionRequestCreate) -> Any:
    user = request.user
    task = load_task(user, pk)
    made = services.request_extension(
        task=task, actor=user, requested_due=payload.requested_due, reason=payload.reason
    )
    return Status(201, extension_item(load_extension(user, made.pk)))


@router.post(
    "supervision/extensions/{int:pk}/decide/",
    url_name="extension_decide",
    response=ExtensionRequest,
    summary=gettext_lazy("Decide an extension request"),
    description=gettext_lazy(
        "Approve (the deadline moves and the ladder starts afresh) or refuse with a note. The "
        "task's lead leader decides (never its requester); without one, or when the lead "
        "leader asked, a county administrator over the task."
    ),
)
def decide_extension(request: HttpRequest, pk: int, payload: ExtensionDecision) -> Any:
    user = request.user
    extension = load_extension(user, pk)
    services.decide_extension(
        request=extension, actor=user, approve=payload.approve, note=payload.note
    )
    return extension_item(load_extension(user, pk))


def ladder_of(user: Any, county: Division) -> dict[str, Any]:
    configured = models.LadderStep.objects.filter(division=county).exists()
    return {
        "county": division_ref(county),
        "configured": configured,
        "steps": [
            {"kind": step.kind, "days": step.days, "reply_days": step.reply_days}
            for step in services.ladder_for(county.code)
        ],
        "may_change": allows_at(user, "administer", county.code),
    }


@router.get(
    "supervision/ladders/{code}/",
    url_name="ladder",
    response=Ladder,
    summary=gettext_lazy("Show a county's ladder"),
    description=gettext_lazy(
        "The escalation ladder the county's tasks climb (reminders, cards, orders), the "
        "default one when none is configured. Officials of the county and below may read it."
    ),
)
def show_ladder(request: HttpRequest, code: str) -> Any:
    return ladder_of(request.user, load_county(request.user, code))


@router.put(
    "supervision/ladders/{code}/",
    url_name="ladder",
    response=Ladder,
    summary=gettext_lazy("Replace a county's ladder"),
    description=gettext_lazy(
        "The whole ladder at once (county administrators); an empty list restores the "
        "default. The tasks' next sweep climbs the new ladder."
    ),
)
def save_ladder(request: HttpRequest, code: str, payload: LadderSave) -> Any:
    user = request.user
    county = load_county(user, code)
    steps = [models.Step(step.kind, step.days, step.reply_days) for step in payload.steps]
    services.save_ladder(actor=user, division=county, steps=steps)
    return ladder_of(user, county)

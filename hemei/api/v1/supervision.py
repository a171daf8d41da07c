"""Supervision (督查督办): orders with their answers, cards, extension requests and the
escalation ladder. Every step goes through :mod:`hemei.supervision.services`, which checks
who may take it, audits it and puts it on the task's timeline; the lists are the
supervision centre's (:mod:`hemei.supervision.selectors`). Supervision is internal work:
villagers are refused (403) like on the pages."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.policy import allows, allows_at, places
from hemei.core import clock
from hemei.core.downloads import download
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.supervision import selectors, services
from hemei.supervision.choices import (
    CardKind,
    ExtensionState,
    OrderSource,
    OrderState,
    StepKind,
)
from hemei.supervision.forms import ReplyForm
from hemei.supervision.models import (
    Card,
    ExtensionRequest,
    LadderStep,
    OrderReply,
    Step,
    SupervisionOrder,
)
from hemei.tasks.models import Task

from .. import schema as s
from ..framework import Call, not_found
from .common import (
    DIVISION,
    DIVISION_CODE,
    PERSON,
    api,
    date,
    division_ref,
    moment,
    person_ref,
    require_role,
)
from .progress import TASK_BRIEF, _brief

TAG = "supervision"
api.gate(TAG, SupervisionOrder)

# Shapes -----------------------------------------------------------------------------------

ORDER_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "number": s.Str(description=gettext_lazy("The order's number (督办〔年〕号).")),
    "task": TASK_BRIEF,
    "state": s.Choice(OrderState.choices),
    "source": s.Choice(OrderSource.choices),
    "text": s.Str(description=gettext_lazy("What the order demands.")),
    "issued_at": s.DateTime(),
    "issued_by": s.Nullable(PERSON, description=gettext_lazy("Empty when the ladder issued it.")),
    "reply_due": s.Date(),
    "reply_overdue": s.Bool(description=gettext_lazy("Awaiting a reply past its reply deadline.")),
    "answered_at": s.DateTime(nullable=True),
    "closed_at": s.DateTime(nullable=True),
}
ORDER = s.response("SupervisionOrder", ORDER_FIELDS)
REPLY = s.response(
    "OrderReply",
    {
        "id": s.Int(minimum=1),
        "author": s.Nullable(PERSON),
        "text": s.Str(),
        "at": s.DateTime(),
        "attachment": s.Str(
            nullable=True,
            description=gettext_lazy("URL of the attached file (same authentication)."),
        ),
    },
)
ORDER_DETAIL = s.response(
    "SupervisionOrderDetail",
    {
        **ORDER_FIELDS,
        "closed_by": s.Nullable(PERSON),
        "replies": s.List(REPLY, max_items=100_000),
        "may_answer": s.Bool(description=gettext_lazy("You may answer it now.")),
        "may_decide": s.Bool(
            description=gettext_lazy("You may close it or send the answer back now.")
        ),
    },
)
CARD = s.response(
    "Card",
    {
        "id": s.Int(minimum=1),
        "task": TASK_BRIEF,
        "kind": s.Choice(CardKind.choices),
        "issued_at": s.DateTime(),
        "step": s.Str(
            description=gettext_lazy("The ladder step that issued it (e.g. yellow_card+1).")
        ),
        "due_on": s.Date(description=gettext_lazy("The task's deadline when it was issued.")),
    },
)
EXTENSION = s.response(
    "ExtensionRequest",
    {
        "id": s.Int(minimum=1),
        "task": TASK_BRIEF,
        "state": s.Choice(ExtensionState.choices),
        "requested_by": s.Nullable(PERSON),
        "requested_at": s.DateTime(),
        "current_due": s.Date(),
        "requested_due": s.Date(),
        "reason": s.Str(),
        "decided_by": s.Nullable(PERSON),
        "decided_at": s.DateTime(nullable=True),
        "decision_note": s.Str(),
    },
)
STEP_FIELDS: dict[str, s.Field] = {
    "kind": s.Choice(StepKind.choices),
    "days": s.Int(
        minimum=-365,
        maximum=365,
        description=gettext_lazy("Days from the deadline (negative: before it; reminders only)."),
    ),
    "reply_days": s.Int(
        minimum=0,
        maximum=90,
        description=gettext_lazy("For supervision orders: days to reply (1–90)."),
    ),
}
LADDER_STEP = s.response("LadderStep", STEP_FIELDS)
LADDER = s.response(
    "Ladder",
    {
        "county": DIVISION,
        "configured": s.Bool(description=gettext_lazy("False: the default ladder applies.")),
        "steps": s.List(LADDER_STEP, max_items=100),
        "may_change": s.Bool(),
    },
)


def order_summary(order: SupervisionOrder) -> dict[str, Any]:
    """A list row (the task and its division must be selected)."""
    return {
        "id": order.pk,
        "number": order.number,
        "task": _brief(order.task),
        "state": order.state,
        "source": order.source,
        "text": order.text,
        "issued_at": moment(order.issued_at),
        "issued_by": person_ref(order.issued_by),
        "reply_due": date(order.reply_due),
        "reply_overdue": order.is_reply_overdue(clock.today()),
        "answered_at": moment(order.answered_at),
        "closed_at": moment(order.closed_at),
    }


def reply_item(reply: OrderReply) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "author": person_ref(reply.author),
        "text": reply.text,
        "at": moment(reply.at),
        "attachment": (
            reverse("api:v1:reply_attachment", args=[reply.pk]) if reply.attachment else None
        ),
    }


def order_detail(order: SupervisionOrder, user: Any) -> dict[str, Any]:
    supervises = allows(user, "supervise", order.task)
    return {
        **order_summary(order),
        "closed_by": person_ref(order.closed_by),
        "replies": [reply_item(r) for r in order.replies.select_related("author")],
        "may_answer": order.state != OrderState.CLOSED and allows(user, "answer", order.task),
        "may_decide": order.state == OrderState.ANSWERED and supervises,
    }


def card_item(card: Card) -> dict[str, Any]:
    return {
        "id": card.pk,
        "task": _brief(card.task),
        "kind": card.kind,
        "issued_at": moment(card.issued_at),
        "step": card.step,
        "due_on": date(card.due_on),
    }


def extension_item(request: ExtensionRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "task": _brief(request.task),
        "state": request.state,
        "requested_by": person_ref(request.requested_by),
        "requested_at": moment(request.requested_at),
        "current_due": date(request.current_due),
        "requested_due": date(request.requested_due),
        "reason": request.reason,
        "decided_by": person_ref(request.decided_by),
        "decided_at": moment(request.decided_at),
        "decision_note": request.decision_note,
    }


# Loading ------------------------------------------------------------------------------------


def load_order(user: Any, pk: int) -> SupervisionOrder:
    order = (
        SupervisionOrder.objects.visible_to(user)
        .select_related(*selectors.TASK_FIELDS, "issued_by", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise not_found()
    return order


def load_extension(user: Any, pk: int) -> ExtensionRequest:
    request = (
        ExtensionRequest.objects.visible_to(user)
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

NOTE = s.Str(max_length=2000, description=gettext_lazy("A note for the responsible side."))
ORDER_CREATE = s.Obj(
    "SupervisionOrderCreate",
    {
        "text": s.Str(
            min_length=1, max_length=5000, description=gettext_lazy("What the order demands.")
        ),
        "reply_due": s.Date(
            description=gettext_lazy("The reply is due on this day (not in the past).")
        ),
    },
    required=["text", "reply_due"],
)
ORDER_REPLY = s.Obj(
    "OrderReplyCreate",
    {
        "text": s.Str(
            min_length=1, max_length=10_000, description=gettext_lazy("The answer (反馈).")
        )
    },
    required=["text"],
)
ORDER_CLOSE = s.Obj("OrderClose", {"note": NOTE})
ORDER_SEND_BACK = s.Obj(
    "OrderSendBack",
    {"note": s.Str(max_length=2000, description=gettext_lazy("What the answer lacks."))},
    required=["note"],
)
EXTENSION_CREATE = s.Obj(
    "ExtensionRequestCreate",
    {
        "requested_due": s.Date(
            description=gettext_lazy("The new deadline, later than the current one.")
        ),
        "reason": s.Str(min_length=1, max_length=5000),
    },
    required=["requested_due", "reason"],
)
EXTENSION_DECIDE = s.Obj(
    "ExtensionDecision",
    {
        "approve": s.Bool(description=gettext_lazy("true: the deadline moves; false: refused.")),
        "note": s.Str(max_length=2000, description=gettext_lazy("Required when refusing.")),
    },
    required=["approve"],
)
LADDER_STEP_IN = s.Obj("LadderStepInput", STEP_FIELDS, required=["kind", "days"])
LADDER_SAVE = s.Obj(
    "LadderSave",
    {
        "steps": s.List(
            LADDER_STEP_IN,
            max_items=20,
            description=gettext_lazy("The whole ladder; empty: the default."),
        )
    },
    required=["steps"],
)

ORDER_FILTERS = (
    s.Param(
        "q", s.Str(max_length=100), gettext_lazy("Words in the order number or the task title.")
    ),
    s.Param("state", s.Choice(OrderState.choices)),
    s.Param("source", s.Choice(OrderSource.choices)),
    s.Param("task", s.Int(minimum=1), gettext_lazy("Orders on this task.")),
    s.Param(
        "overdue",
        s.Bool(),
        gettext_lazy("Only orders whose reply is overdue (true) or the others."),
    ),
    s.Param("town", DIVISION_CODE, gettext_lazy("Orders on tasks at this division or below it.")),
)
CARD_FILTERS = (
    s.Param("q", s.Str(max_length=100), gettext_lazy("Words in the task title.")),
    s.Param("kind", s.Choice(CardKind.choices)),
    s.Param("task", s.Int(minimum=1), gettext_lazy("Cards of this task.")),
    s.Param("town", DIVISION_CODE, gettext_lazy("Cards of tasks at this division or below it.")),
)
EXTENSION_FILTERS = (
    s.Param("q", s.Str(max_length=100), gettext_lazy("Words in the task title.")),
    s.Param("state", s.Choice(ExtensionState.choices)),
    s.Param("task", s.Int(minimum=1), gettext_lazy("Requests on this task.")),
    s.Param("town", DIVISION_CODE, gettext_lazy("Requests on tasks at this division or below it.")),
    s.Param(
        "to_decide", s.Bool(), gettext_lazy("Only pending requests waiting for your decision.")
    ),
)


def _filters(query: dict[str, Any], *names: str) -> dict[str, str]:
    return {name: str(query[name]) for name in names if name in query}


# Endpoints ---------------------------------------------------------------------------------

order_list = api.route("supervision/orders/", "order_list")
order_item = api.route("supervision/orders/<int:pk>/", "order_detail")
order_reply = api.route("supervision/orders/<int:pk>/reply/", "order_reply")
order_close = api.route("supervision/orders/<int:pk>/close/", "order_close")
order_send_back = api.route("supervision/orders/<int:pk>/send-back/", "order_send_back")
reply_attachment = api.route("supervision/replies/<int:pk>/attachment/", "reply_attachment")
task_orders = api.route("tasks/<int:pk>/orders/", "task_orders")
card_list = api.route("supervision/cards/", "card_list")
extension_list = api.route("supervision/extensions/", "extension_list")
extension_item_route = api.route("supervision/extensions/<int:pk>/", "extension_detail")
extension_decide = api.route("supervision/extensions/<int:pk>/decide/", "extension_decide")
task_extensions = api.route("tasks/<int:pk>/extensions/", "task_extensions")
ladder = api.route("supervision/ladders/<str:code>/", "ladder")


@order_list.operation(
    "GET",
    summary=gettext_lazy("List supervision orders"),
    description=gettext_lazy(
        "Orders on tasks in your area: awaiting a reply first, then answered, then closed; "
        "soonest reply deadline first."
    ),
    tag=TAG,
    query=ORDER_FILTERS,
    response=ORDER,
    paged=True,
)
def list_orders(call: Call) -> Any:
    query = call.query
    rows = selectors.orders(call.user, _filters(query, "q", "state", "source", "town"))
    if "task" in query:
        rows = rows.filter(task_id=query["task"])
    if "overdue" in query:
        late = Q(state=OrderState.OPEN, reply_due__lt=clock.today())
        rows = rows.filter(late) if query["overdue"] else rows.exclude(late)
    return call.page(rows, order_summary)


@order_item.operation(
    "GET",
    summary=gettext_lazy("Show a supervision order"),
    description=gettext_lazy("The order with its answers, and what you may do with it now."),
    tag=TAG,
    response=ORDER_DETAIL,
)
def show_order(call: Call, pk: int) -> Any:
    return order_detail(load_order(call.user, pk), call.user)


@task_orders.operation(
    "POST",
    summary=gettext_lazy("Issue a supervision order"),
    description=gettext_lazy(
        "A supervision order issued by hand on the task (its supervisors only: the managers "
        "above it, never the people it supervises). The responsible side is told."
    ),
    tag=TAG,
    body=ORDER_CREATE,
    response=ORDER_DETAIL,
    status=201,
)
def issue_order(call: Call, pk: int) -> Any:
    require_role(call.user, "supervise", Task)
    task = load_task(call.user, pk)
    order = services.issue_order(
        task=task, actor=call.user, text=call.body["text"], reply_due=call.body["reply_due"]
    )
    return order_detail(load_order(call.user, order.pk), call.user)


def attachment_of(call: Call) -> Any:
    """The one file of a multipart answer, checked by the answer form's rule (kind, size)."""
    uploads = call.files.getlist("files") if call.request.method == "POST" else []
    if not uploads:
        return None
    if len(uploads) > 1:
        raise ValidationError({"files": _("Attach one file to an answer.")})
    form = ReplyForm(data={"text": "-"}, files={"attachment": uploads[0]})
    if not form.is_valid():
        raise ValidationError({"files": list(form.errors.get("attachment", []))})
    return form.cleaned_data["attachment"]


@order_reply.operation(
    "POST",
    summary=gettext_lazy("Answer a supervision order"),
    description=gettext_lazy(
        "The responsible side answers (反馈); the order becomes answered and the issuer is "
        "told. A closed order takes no answer. Send JSON, or a multipart form with ``text`` "
        "and one attached file as ``files`` (PDF, Word, Excel, image or text; at most 20 MB)."
    ),
    tag=TAG,
    body=ORDER_REPLY,
    response=ORDER_DETAIL,
    multipart=True,
)
def answer_order(call: Call, pk: int) -> Any:
    order = load_order(call.user, pk)
    attachment = attachment_of(call)
    services.reply_to_order(
        order=order, actor=call.user, text=call.body["text"], attachment=attachment
    )
    return order_detail(load_order(call.user, pk), call.user)


@order_close.operation(
    "POST",
    summary=gettext_lazy("Close a supervision order"),
    description=gettext_lazy("The supervisor accepts the answer: answered → closed."),
    tag=TAG,
    body=ORDER_CLOSE,
    response=ORDER_DETAIL,
)
def close_order(call: Call, pk: int) -> Any:
    require_role(call.user, "supervise", Task)
    order = load_order(call.user, pk)
    services.close_order(order=order, actor=call.user, note=call.body.get("note", ""))
    return order_detail(load_order(call.user, pk), call.user)


@order_send_back.operation(
    "POST",
    summary=gettext_lazy("Send an answer back"),
    description=gettext_lazy(
        "The answer is not enough: answered → awaiting reply again, with the reason."
    ),
    tag=TAG,
    body=ORDER_SEND_BACK,
    response=ORDER_DETAIL,
)
def send_back_order(call: Call, pk: int) -> Any:
    require_role(call.user, "supervise", Task)
    order = load_order(call.user, pk)
    services.send_back_order(order=order, actor=call.user, note=call.body["note"])
    return order_detail(load_order(call.user, pk), call.user)


@reply_attachment.operation(
    "GET",
    summary=gettext_lazy("Download an answer's attachment"),
    description=gettext_lazy(
        "The file attached to an answer, to those who see its order (404 otherwise)."
    ),
    tag=TAG,
    media_type="application/octet-stream",
)
def download_reply_attachment(call: Call, pk: int) -> Any:
    reply = (
        OrderReply.objects.filter(order__in=SupervisionOrder.objects.visible_to(call.user))
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


@card_list.operation(
    "GET",
    summary=gettext_lazy("List cards"),
    description=gettext_lazy(
        "Yellow and red cards (黄牌/红牌) of tasks in your area, newest first."
    ),
    tag=TAG,
    query=CARD_FILTERS,
    response=CARD,
    paged=True,
)
def list_cards(call: Call) -> Any:
    rows = selectors.cards(call.user, _filters(call.query, "q", "kind", "town"))
    if "task" in call.query:
        rows = rows.filter(task_id=call.query["task"])
    return call.page(rows, card_item)


@extension_list.operation(
    "GET",
    summary=gettext_lazy("List extension requests"),
    description=gettext_lazy(
        "Extension requests (延期申请) on tasks in your area, pending ones first."
    ),
    tag=TAG,
    query=EXTENSION_FILTERS,
    response=EXTENSION,
    paged=True,
)
def list_extensions(call: Call) -> Any:
    query = call.query
    rows = selectors.extensions(call.user, _filters(query, "q", "state", "town"))
    if "task" in query:
        rows = rows.filter(task_id=query["task"])
    if query.get("to_decide"):
        rows = rows.filter(state=ExtensionState.PENDING).restrict(call.user, "decide")
    return call.page(rows, extension_item)


@extension_item_route.operation(
    "GET",
    summary=gettext_lazy("Show an extension request"),
    description=gettext_lazy("One extension request."),
    tag=TAG,
    response=EXTENSION,
)
def show_extension(call: Call, pk: int) -> Any:
    return extension_item(load_extension(call.user, pk))


@task_extensions.operation(
    "POST",
    summary=gettext_lazy("Request an extension"),
    description=gettext_lazy(
        "The responsible side asks for a later deadline; the task's lead leader (or, without "
        "one, the county's administrators) is told. One pending request per task."
    ),
    tag=TAG,
    body=EXTENSION_CREATE,
    response=EXTENSION,
    status=201,
)
def request_extension(call: Call, pk: int) -> Any:
    task = load_task(call.user, pk)
    made = services.request_extension(
        task=task,
        actor=call.user,
        requested_due=call.body["requested_due"],
        reason=call.body["reason"],
    )
    return extension_item(load_extension(call.user, made.pk))


@extension_decide.operation(
    "POST",
    summary=gettext_lazy("Decide an extension request"),
    description=gettext_lazy(
        "Approve (the deadline moves and the ladder starts afresh) or refuse with a note. The "
        "task's lead leader decides (never its requester); without one, or when the lead "
        "leader asked, a county administrator over the task."
    ),
    tag=TAG,
    body=EXTENSION_DECIDE,
    response=EXTENSION,
)
def decide_extension(call: Call, pk: int) -> Any:
    request = load_extension(call.user, pk)
    services.decide_extension(
        request=request,
        actor=call.user,
        approve=call.body["approve"],
        note=call.body.get("note", ""),
    )
    return extension_item(load_extension(call.user, pk))


def ladder_of(user: Any, county: Division) -> dict[str, Any]:
    configured = LadderStep.objects.filter(division=county).exists()
    return {
        "county": division_ref(county),
        "configured": configured,
        "steps": [
            {"kind": step.kind, "days": step.days, "reply_days": step.reply_days}
            for step in services.ladder_for(county.code)
        ],
        "may_change": allows_at(user, "administer", county.code),
    }


@ladder.operation(
    "GET",
    summary=gettext_lazy("Show a county's ladder"),
    description=gettext_lazy(
        "The escalation ladder the county's tasks climb (reminders, cards, orders), the "
        "default one when none is configured. Officials of the county and below may read it."
    ),
    tag=TAG,
    response=LADDER,
)
def show_ladder(call: Call, code: str) -> Any:
    return ladder_of(call.user, load_county(call.user, code))


@ladder.operation(
    "PUT",
    summary=gettext_lazy("Replace a county's ladder"),
    description=gettext_lazy(
        "The whole ladder at once (county administrators); an empty list restores the "
        "default. The tasks' next sweep climbs the new ladder."
    ),
    tag=TAG,
    body=LADDER_SAVE,
    response=LADDER,
)
def save_ladder(call: Call, code: str) -> Any:
    county = load_county(call.user, code)
    steps = [
        Step(step["kind"], step["days"], step.get("reply_days", 0)) for step in call.body["steps"]
    ]
    services.save_ladder(actor=call.user, division=county, steps=steps)
    return ladder_of(call.user, county)

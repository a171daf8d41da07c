"""Reads shared by the supervision pages: scoped lists in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from hemei.core import clock
from hemei.core.search import search
from hemei.divisions.models import subtree_q

from .choices import ExtensionState, OrderState
from .models import Card, ExtensionRequest, SupervisionOrder

#: Orders awaiting a reply first, then answers to check, then closed ones.
ORDER_STATE_RANK = Case(
    When(state=OrderState.OPEN, then=Value(0)),
    When(state=OrderState.ANSWERED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
TASK_FIELDS = ("task", "task__division", "task__lead_unit", "task__responsible")
#: what a query (hemei.core.search) looks at in the task an order, card or request is about
TASK_SEARCH = ["task__title", "task__division__name", "task__division__parent__name"]


def orders(user: Any, f: dict[str, str]) -> QuerySet[SupervisionOrder]:
    rows = SupervisionOrder.objects.visible_to(user).select_related(*TASK_FIELDS, "issued_by")
    rows = search(rows, f.get("q"), ["number", *TASK_SEARCH])
    state = f.get("state")
    if state == "overdue":
        rows = rows.filter(state=OrderState.OPEN, reply_due__lt=clock.today())
    elif state in OrderState.values:
        rows = rows.filter(state=state)
    if f.get("source"):
        rows = rows.filter(source=f["source"])
    if f.get("town"):
        rows = rows.filter(subtree_q([f["town"]], "task__division"))
    return rows.order_by(ORDER_STATE_RANK, "reply_due", "-issued_at", "-id")


def cards(user: Any, f: dict[str, str]) -> QuerySet[Card]:
    rows = Card.objects.visible_to(user).select_related(*TASK_FIELDS)
    rows = search(rows, f.get("q"), TASK_SEARCH)
    if f.get("kind"):
        rows = rows.filter(kind=f["kind"])
    if f.get("town"):
        rows = rows.filter(subtree_q([f["town"]], "task__division"))
    return rows.order_by("-issued_at", "-id")


def extensions(user: Any, f: dict[str, str]) -> QuerySet[ExtensionRequest]:
    rows = ExtensionRequest.objects.visible_to(user).select_related(
        *TASK_FIELDS, "task__lead_leader", "requested_by", "decided_by"
    )
    rows = search(rows, f.get("q"), TASK_SEARCH)
    if f.get("state"):
        rows = rows.filter(state=f["state"])
    if f.get("town"):
        rows = rows.filter(subtree_q([f["town"]], "task__division"))
    pending_first = Case(
        When(state=ExtensionState.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return rows.order_by(pending_first, "-requested_at", "-id")


def summary(user: Any) -> dict[str, int]:
    """The figures at the top of the centre."""
    visible = SupervisionOrder.objects.visible_to(user)
    return {
        "open": visible.filter(state=OrderState.OPEN).count(),
        "overdue": visible.filter(state=OrderState.OPEN, reply_due__lt=clock.today()).count(),
        "answered": visible.filter(state=OrderState.ANSWERED).count(),
        "to_decide": ExtensionRequest.objects.restrict(user, "decide")
        .filter(state=ExtensionState.PENDING)
        .count(),
        "pending": ExtensionRequest.objects.visible_to(user)
        .filter(state=ExtensionState.PENDING)
        .count(),
    }

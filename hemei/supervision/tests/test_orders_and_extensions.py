"""Manual supervision orders (issue → answer → close or send back) and extension requests
(only the lead leader decides), with who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.accounts.models import AuditEntry
from hemei.accounts.policy import allows
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.notifications.models import Notification
from hemei.supervision import services
from hemei.supervision.choices import ExtensionState, OrderSource, OrderState
from hemei.supervision.models import ExtensionRequest, SupervisionOrder
from hemei.tasks.choices import EventKind
from hemei.tasks.models import Task

from .conftest import DUE, at, make_task

pytestmark = pytest.mark.django_db

TODAY = DUE + dt.timedelta(days=3)


def issue(task: Task, actor, **kw) -> SupervisionOrder:
    with clock.frozen_at(at(TODAY)):
        return services.issue_order(
            task=task,
            actor=actor,
            text=kw.get("text", "请说明延误原因并限期完成。"),
            reply_due=kw.get("reply_due", TODAY + dt.timedelta(days=5)),
        )


def test_a_manual_order_is_answered_then_closed(
    cast: Cast, task: Task, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # mail goes after the commit
        order = issue(task, cast.alice)
    assert order.source == OrderSource.MANUAL and order.issued_by == cast.alice
    assert order.number == "督办〔2026〕1号" and order.state == OrderState.OPEN
    assert Notification.objects.filter(kind="supervision_order", recipient=cast.tom).exists()
    assert {m.to[0] for m in mail.outbox} >= {"tom@example.cn", "lily@example.cn"}
    with clock.frozen_at(at(TODAY + dt.timedelta(days=1))):
        services.reply_to_order(order=order, actor=cast.tom, text="已完成80%，月底前完工。")
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and order.replies.get().author == cast.tom
    assert Notification.objects.filter(kind="order_replied", recipient=cast.alice).exists()
    with clock.frozen_at(at(TODAY + dt.timedelta(days=2))):
        services.close_order(order=order, actor=cast.alice, note="同意")
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED and order.closed_by == cast.alice
    events = list(task.events.values_list("kind", flat=True))
    for kind in (EventKind.SUPERVISION_ORDER, EventKind.ORDER_REPLIED, EventKind.ORDER_CLOSED):
        assert kind in events
    assert AuditEntry.objects.filter(object_repr=order.number).count() == 3
    with pytest.raises(ValidationError):
        services.reply_to_order(order=order, actor=cast.tom, text="补充")


def test_an_answer_can_be_sent_back_and_answered_again(cast: Cast, task: Task) -> None:
    order = issue(task, cast.lily)
    services.reply_to_order(order=order, actor=cast.victor, text="在推进")
    with pytest.raises(ValidationError):
        services.send_back_order(order=order, actor=cast.lily, note="  ")
    services.send_back_order(order=order, actor=cast.lily, note="请给出具体完成时间")
    order.refresh_from_db()
    assert order.state == OrderState.OPEN
    with pytest.raises(ValidationError):
        services.close_order(order=order, actor=cast.lily)  # nothing answered yet
    services.reply_to_order(order=order, actor=cast.victor, text="12月20日前完成")
    services.close_order(order=order, actor=cast.lily)
    assert order.replies.count() == 2


def test_who_may_issue_and_answer_orders(cast: Cast, task: Task) -> None:
    # A town task: the county supervises it; the town's own official and the lead unit do not.
    assert allows(cast.alice, "supervise", task) and allows(cast.lily, "supervise", task)
    assert not allows(cast.tom, "supervise", task)
    assert not allows(cast.dan, "supervise", task)  # staff of the lead unit
    assert not allows(cast.owen, "supervise", task) and not allows(cast.nora, "supervise", task)
    for outsider in (cast.tom, cast.owen, cast.victor, cast.vera, cast.nora):
        with pytest.raises(PermissionDenied):
            issue(task, outsider)
    # A village task of town A: the town official supervises it.
    village_task = make_task(cast, division=VILLAGE_A, responsible=None)
    assert allows(cast.tom, "supervise", village_task)
    assert not allows(cast.victor, "supervise", village_task)
    order = issue(task, cast.alice)
    for stranger in (cast.owen, cast.vera, cast.nora, cast.lily):
        with pytest.raises(PermissionDenied):
            services.reply_to_order(order=order, actor=stranger, text="x")
    with pytest.raises(PermissionDenied):
        services.close_order(order=order, actor=cast.tom)


def test_bad_orders_are_refused_and_change_nothing(cast: Cast, task: Task) -> None:
    with pytest.raises(ValidationError):
        issue(task, cast.alice, text="   ")
    with pytest.raises(ValidationError):
        issue(task, cast.alice, reply_due=TODAY - dt.timedelta(days=1))
    assert not SupervisionOrder.objects.exists()


def test_an_approved_extension_moves_the_deadline(cast: Cast, task: Task) -> None:
    new_due = DUE + dt.timedelta(days=20)
    with clock.frozen_at(at(TODAY)):
        request = services.request_extension(
            task=task, actor=cast.victor, requested_due=new_due, reason="材料未到"
        )
    assert request.state == ExtensionState.PENDING and request.current_due == DUE
    notice = Notification.objects.get(kind="extension_requested")
    assert notice.recipient == cast.lily
    assert notice.url == f"/supervision/extensions/{request.pk}/"
    with pytest.raises(ValidationError):  # one pending request per task
        services.request_extension(task=task, actor=cast.tom, requested_due=new_due, reason="再次")
    with clock.frozen_at(at(TODAY)):
        services.decide_extension(request=request, actor=cast.lily, approve=True, note="同意")
    task.refresh_from_db()
    request.refresh_from_db()
    assert task.due_on == new_due
    assert request.state == ExtensionState.APPROVED and request.decided_by == cast.lily
    kinds = list(task.events.values_list("kind", flat=True))
    assert EventKind.EXTENSION_REQUESTED in kinds
    assert EventKind.EXTENSION_APPROVED in kinds and EventKind.DEADLINE_CHANGED in kinds
    assert Notification.objects.filter(kind="extension_decided", recipient=cast.victor).exists()
    with pytest.raises(ValidationError):
        services.decide_extension(request=request, actor=cast.lily, approve=False, note="x")


def test_a_refusal_needs_a_note_and_keeps_the_deadline(cast: Cast, task: Task) -> None:
    request = services.request_extension(
        task=task, actor=cast.tom, requested_due=DUE + dt.timedelta(days=5), reason="人手不足"
    )
    with pytest.raises(ValidationError):
        services.decide_extension(request=request, actor=cast.lily, approve=False)
    services.decide_extension(request=request, actor=cast.lily, approve=False, note="不予延期")
    task.refresh_from_db()
    assert task.due_on == DUE
    assert ExtensionRequest.objects.get().state == ExtensionState.REFUSED
    assert task.events.filter(kind=EventKind.EXTENSION_REFUSED).exists()


def test_only_the_lead_leader_decides_an_extension(cast: Cast, task: Task) -> None:
    request = services.request_extension(
        task=task, actor=cast.tom, requested_due=DUE + dt.timedelta(days=5), reason="人手不足"
    )
    for other in (cast.alice, cast.dan, cast.tom, cast.victor, cast.owen, cast.nora):
        with pytest.raises(PermissionDenied):
            services.decide_extension(request=request, actor=other, approve=True)
    assert ExtensionRequest.objects.get().state == ExtensionState.PENDING


def test_without_a_lead_leader_the_county_administrator_decides(cast: Cast) -> None:
    task = make_task(cast, lead_leader=None)
    request = services.request_extension(
        task=task, actor=cast.tom, requested_due=DUE + dt.timedelta(days=5), reason="人手不足"
    )
    assert Notification.objects.get(kind="extension_requested").recipient == cast.alice
    with pytest.raises(PermissionDenied):
        services.decide_extension(request=request, actor=cast.lily, approve=True)
    services.decide_extension(request=request, actor=cast.alice, approve=True)
    task.refresh_from_db()
    assert task.due_on == DUE + dt.timedelta(days=5)


def test_bad_extension_requests_are_refused(cast: Cast, task: Task) -> None:
    with pytest.raises(ValidationError):
        services.request_extension(task=task, actor=cast.tom, requested_due=DUE, reason="x")
    with pytest.raises(ValidationError):
        services.request_extension(
            task=task, actor=cast.tom, requested_due=DUE + dt.timedelta(days=1), reason=" "
        )
    for stranger in (cast.owen, cast.vera, cast.nora):
        with pytest.raises(PermissionDenied):
            services.request_extension(
                task=task, actor=stranger, requested_due=DUE + dt.timedelta(days=1), reason="x"
            )
    assert not ExtensionRequest.objects.exists()


def test_a_refused_step_speaks_the_language_of_the_request(cast: Cast, task: Task) -> None:
    """The transitions are declared once at import; their refusals are translated when shown,
    not frozen in whatever language was active then."""
    from django.utils import translation

    order = issue(task, cast.alice)  # open: it cannot be closed before it is answered
    for language, expected in (
        ("en", "An order is closed once it has been answered."),
        ("zh-hans", "督办单反馈后才能办结。"),
    ):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                services.close_order(order=order, actor=cast.alice)
            assert refused.value.messages == [expected]

"""The escalation ladder driven by the clock: each step once per deadline, reminders before
the deadline, cards and an order after it, a fresh ladder after an approved extension, and
nothing more once the task is done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from hemei.core import clock
from hemei.core.testing import COUNTY, Cast
from hemei.divisions.models import Division
from hemei.notifications.models import Notification
from hemei.supervision import services
from hemei.supervision.choices import CardKind, OrderSource, OrderState, StepKind
from hemei.supervision.models import Card, LadderStep, Step, StepTaken, SupervisionOrder
from hemei.tasks import services as task_services
from hemei.tasks.choices import EventKind
from hemei.tasks.models import Task

from .conftest import DUE, at, make_task

pytestmark = pytest.mark.django_db


def climb(day: dt.date) -> dict[str, int]:
    """The ladder steps taken on ``day`` (without the overdue-reply notices)."""
    with clock.frozen_at(at(day)):
        counts = services.climb_ladder(today=day)
    return {kind: counts[kind] for kind in StepKind.values}


def kinds(task: Task) -> list[str]:
    ladder = {
        EventKind.REMINDER,
        EventKind.YELLOW_CARD,
        EventKind.RED_CARD,
        EventKind.SUPERVISION_ORDER,
    }
    return [e.kind for e in task.events.order_by("at", "id") if e.kind in ladder]


def days(n: int) -> dt.date:
    return DUE + dt.timedelta(days=n)


def test_it_takes_each_default_step_once_on_its_day(cast: Cast, task: Task) -> None:
    assert climb(days(-4)) == {k: 0 for k in StepKind.values}
    assert climb(days(-3))[StepKind.REMINDER] == 1
    assert climb(days(-3))[StepKind.REMINDER] == 0  # the same day again: nothing
    assert climb(days(-1))[StepKind.REMINDER] == 0
    assert climb(days(0))[StepKind.REMINDER] == 1
    assert climb(days(1))[StepKind.YELLOW_CARD] == 1
    assert climb(days(2)) == {k: 0 for k in StepKind.values}
    assert climb(days(7))[StepKind.RED_CARD] == 1
    assert climb(days(13))[StepKind.SUPERVISION_ORDER] == 0
    assert climb(days(14))[StepKind.SUPERVISION_ORDER] == 1
    for n in (14, 15, 30, 60):
        assert sum(climb(days(n)).values()) == 0
    assert kinds(task) == [
        EventKind.REMINDER,
        EventKind.REMINDER,
        EventKind.YELLOW_CARD,
        EventKind.RED_CARD,
        EventKind.SUPERVISION_ORDER,
    ]
    assert list(
        Card.objects.filter(task=task).order_by("issued_at").values_list("kind", flat=True)
    ) == [
        CardKind.YELLOW,
        CardKind.RED,
    ]
    order = SupervisionOrder.objects.get(task=task)
    assert order.source == OrderSource.LADDER and order.issued_by is None
    assert order.state == OrderState.OPEN
    assert order.reply_due == days(14) + dt.timedelta(days=5)
    assert order.number == "督办〔2026〕1号"
    assert StepTaken.objects.filter(task=task, due_on=DUE).count() == 5


def test_reminders_reach_the_responsible_side_in_app_and_by_mail(
    cast: Cast, task: Task, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # mail goes after the commit
        climb(days(-3))
    recipients = set(
        Notification.objects.filter(task=task).values_list("recipient__username", flat=True)
    )
    # responsible person (victor), staff of the lead unit (dan), officials of the town (tom)
    # and of the village when the task is a village's; not the outsider nor the leader.
    assert recipients == {"victor", "dan", "tom"}
    notice = Notification.objects.filter(recipient=cast.tom).get()
    assert notice.kind == "reminder" and "3" in notice.body
    assert notice.url == f"/tasks/{task.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == ["dan@example.cn", "tom@example.cn"]
    assert all(m.subject == notice.title for m in mail.outbox)
    assert Notification.objects.get(recipient=cast.tom).emailed_at is not None
    assert Notification.objects.get(recipient=cast.victor).emailed_at is None  # no address


def test_the_red_card_and_the_order_also_reach_the_lead_leader(cast: Cast, task: Task) -> None:
    climb(days(1))
    assert not Notification.objects.filter(recipient=cast.lily).exists()
    climb(days(7))
    assert Notification.objects.filter(recipient=cast.lily, kind="red_card").count() == 1
    climb(days(14))
    order_notice = Notification.objects.get(recipient=cast.lily, kind="supervision_order")
    assert order_notice.url == f"/supervision/orders/{SupervisionOrder.objects.get().pk}/"


def test_a_late_first_run_catches_up_escalations_but_drops_stale_reminders(
    cast: Cast, task: Task
) -> None:
    counts = climb(days(20))
    assert counts == {
        StepKind.REMINDER: 0,
        StepKind.YELLOW_CARD: 1,
        StepKind.RED_CARD: 1,
        StepKind.SUPERVISION_ORDER: 1,
    }
    assert sum(climb(days(21)).values()) == 0


def test_an_approved_extension_restarts_the_ladder(cast: Cast, task: Task) -> None:
    climb(days(1))
    assert Card.objects.filter(task=task).count() == 1
    with clock.frozen_at(at(days(2))):
        request = services.request_extension(
            task=task, actor=cast.tom, requested_due=days(30), reason="雨季施工受阻"
        )
        services.decide_extension(request=request, actor=cast.lily, approve=True)
    task.refresh_from_db()
    assert task.due_on == days(30)
    assert sum(climb(days(3)).values()) == 0  # not late any more
    assert climb(days(27))[StepKind.REMINDER] == 1
    assert climb(days(31))[StepKind.YELLOW_CARD] == 1
    assert Card.objects.filter(task=task, kind=CardKind.YELLOW).count() == 2
    assert set(StepTaken.objects.filter(task=task).values_list("due_on", flat=True)) == {
        DUE,
        days(30),
    }


def test_a_done_task_stops_climbing(cast: Cast, task: Task) -> None:
    climb(days(1))
    with clock.frozen_at(at(days(3))):
        task_services.record_progress(task=task, percent=100, actor=cast.alice)
    for n in (7, 14, 30):
        assert sum(climb(days(n)).values()) == 0
    assert Card.objects.filter(task=task).count() == 1
    assert not SupervisionOrder.objects.exists()


def test_a_parent_task_leaves_the_ladder_to_its_parts(cast: Cast) -> None:
    with clock.frozen_at(at(days(-30))):
        parent = task_services.create_task(
            actor=cast.alice,
            division=Division.objects.get(code=COUNTY),
            title="全区人居环境整治",
            due_on=DUE,
            start_on=dt.date(2026, 11, 1),
        )
        task_services.fan_out(actor=cast.alice, task=parent, codes=["370215100", "370215101"])
    climb(days(1))
    assert not Card.objects.filter(task=parent).exists()
    assert Card.objects.filter(task__parent=parent).count() == 2


def test_a_county_ladder_replaces_the_default(cast: Cast, task: Task) -> None:
    county = Division.objects.get(code=COUNTY)
    services.save_ladder(
        actor=cast.alice,
        division=county,
        steps=[Step(StepKind.REMINDER, -1), Step(StepKind.SUPERVISION_ORDER, 2, 3)],
    )
    assert LadderStep.objects.filter(division=county).count() == 2
    assert climb(days(-3))[StepKind.REMINDER] == 0
    assert climb(days(-1))[StepKind.REMINDER] == 1
    assert climb(days(1))[StepKind.YELLOW_CARD] == 0
    assert climb(days(2))[StepKind.SUPERVISION_ORDER] == 1
    assert SupervisionOrder.objects.get().reply_due == days(5)


def test_order_numbers_count_up_per_county_and_year(cast: Cast) -> None:
    first = make_task(cast, title="甲")
    second = make_task(cast, title="乙", division="370215101")
    climb(days(14))
    numbers = sorted(SupervisionOrder.objects.values_list("number", flat=True))
    assert numbers == ["督办〔2026〕1号", "督办〔2026〕2号"]
    assert {o.task_id for o in SupervisionOrder.objects.all()} == {first.pk, second.pk}


def test_a_sweep_refreshes_lights_first(cast: Cast, task: Task) -> None:
    climb(days(1))
    task.refresh_from_db()
    assert task.state == "overdue" and task.light == "red"


def test_an_overdue_reply_is_reported_once(cast: Cast, task: Task) -> None:
    climb(days(14))
    order = SupervisionOrder.objects.get()
    with clock.frozen_at(at(order.reply_due)):
        assert services.climb_ladder(today=order.reply_due)["overdue_replies"] == 0
    late = order.reply_due + dt.timedelta(days=1)
    with clock.frozen_at(at(late)):
        assert services.climb_ladder(today=late)["overdue_replies"] == 1
        assert services.climb_ladder(today=late)["overdue_replies"] == 0
    notices = Notification.objects.filter(kind="order_overdue")
    assert set(notices.values_list("recipient__username", flat=True)) == {
        "victor",
        "dan",
        "tom",
        "lily",  # the ladder issued it: the lead leader hears instead of an issuer
    }
    assert task.events.filter(kind=EventKind.NOTE, data__order=order.pk).count() == 1

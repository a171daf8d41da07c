"""Duties (tasks another procedure opens) climb the one ladder and leave it when closed."""

from __future__ import annotations

import datetime as dt

import pytest

from hemei.core import clock
from hemei.core.testing import TOWN_A, Cast
from hemei.supervision.choices import CardKind, StepKind
from hemei.supervision.models import Card, SupervisionOrder
from hemei.tasks import duties
from hemei.tasks.choices import Source, State
from hemei.tasks.models import Task

from .conftest import DUE, at
from .test_ladder import climb

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return DUE + dt.timedelta(days=n)


def open_one() -> Task:
    with clock.frozen_at(at(dt.date(2026, 12, 1))):
        return duties.open_duty(
            division=TOWN_A, title="办件 农房建设 · 乡镇审查", due_on=DUE, source=Source.CASE
        )


def test_a_duty_climbs_the_ladder_like_any_task(cast: Cast) -> None:
    duty = open_one()
    assert duty.source == Source.CASE and duty.created_by is None
    assert climb(days(0))[StepKind.REMINDER] >= 1
    assert climb(days(1))[StepKind.YELLOW_CARD] == 1
    assert climb(days(7))[StepKind.RED_CARD] == 1
    assert climb(days(14))[StepKind.SUPERVISION_ORDER] == 1
    assert [c.kind for c in Card.objects.filter(task=duty).order_by("issued_at")] == [
        CardKind.YELLOW,
        CardKind.RED,
    ]
    assert SupervisionOrder.objects.get(task=duty).number.startswith("督办〔2026〕")


def test_a_moved_deadline_restarts_and_a_closed_duty_stops(cast: Cast) -> None:
    duty = open_one()
    with clock.frozen_at(at(days(0))):
        duties.move_duty(task_id=duty.pk, due_on=days(10), actor=cast.tom, reason="暂停补件")
    assert climb(days(1))[StepKind.YELLOW_CARD] == 0  # the old deadline no longer counts
    assert climb(days(11))[StepKind.YELLOW_CARD] == 1
    with clock.frozen_at(at(days(12))):
        closed = duties.close_duty(task_id=duty.pk, actor=cast.tom)
        assert duties.close_duty(task_id=duty.pk) == closed  # again: nothing more
    assert closed.state == State.DONE and closed.completed_on == days(12)
    for n in (17, 24, 40):
        assert sum(climb(days(n)).values()) == 0
    assert not SupervisionOrder.objects.filter(task=duty).exists()


def test_a_duty_is_kept_by_its_procedure_not_by_the_task_pages(cast: Cast) -> None:
    from django.core.exceptions import ValidationError

    from hemei.progress import services as progress
    from hemei.supervision import services as supervision
    from hemei.tasks import services as tasks

    duty = open_one()
    for attempt in (
        lambda: tasks.update_task(actor=cast.alice, task=duty, title="改名"),
        lambda: tasks.fan_out(actor=cast.alice, task=duty),
        lambda: progress.check_task_takes_reports(duty),
        lambda: supervision.request_extension(
            task=duty, actor=cast.tom, requested_due=days(30), reason="想延期"
        ),
    ):
        with pytest.raises(ValidationError, match=r"办件|procedure"):
            attempt()
    duty.refresh_from_db()
    assert duty.title == "办件 农房建设 · 乡镇审查" and duty.due_on == DUE


def test_the_duty_page_says_who_keeps_it_and_offers_no_edit(cast: Cast, client) -> None:
    duty = open_one()
    client.force_login(cast.alice)
    page = client.get(f"/tasks/{duty.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "该任务由办理程序" in page
    assert f"/tasks/{duty.pk}/edit/" not in page and "/fan-out/" not in page
    client.force_login(cast.tom)  # the town would answer for it, but asks no extension here
    section = client.get(f"/supervision/tasks/{duty.pk}/section/").content.decode()
    assert f"/supervision/tasks/{duty.pk}/extensions/new/" not in section

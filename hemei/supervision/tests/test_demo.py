"""The supervision demo on the demo people and tasks: cards and a ladder order from one
sweep, an answered manual order, an extension waiting for the leader; it runs once."""

from __future__ import annotations

import pytest

from hemei import demo as hemei_demo
from hemei.core.testing import ensure_divisions
from hemei.meetings import demo as meetings_demo
from hemei.progress import demo as progress_demo
from hemei.supervision import demo
from hemei.supervision.choices import ExtensionState, OrderSource, OrderState
from hemei.supervision.models import Card, ExtensionRequest, LadderStep, SupervisionOrder
from hemei.tasks import demo as tasks_demo

pytestmark = pytest.mark.django_db


def test_the_demo_issues_cards_and_orders_and_runs_once() -> None:
    ensure_divisions()
    hemei_demo._load_people()
    meetings_demo.load()
    tasks_demo.load()
    progress_demo.load_history()  # the tasks' past progress, as approved reports
    demo.load()
    assert LadderStep.objects.filter(division_id=hemei_demo.DEMO_COUNTY).count() == 5
    assert set(Card.objects.values_list("kind", flat=True)) == {"yellow", "red"}
    ladder = SupervisionOrder.objects.get(source=OrderSource.LADDER)
    assert ladder.state == OrderState.OPEN and ladder.issued_by is None
    manual = SupervisionOrder.objects.get(source=OrderSource.MANUAL)
    assert manual.state == OrderState.ANSWERED
    assert manual.replies.get().author.username == "tianheng"
    request = ExtensionRequest.objects.get()
    assert request.state == ExtensionState.PENDING
    assert request.task.lead_leader.username == "leader"
    assert request.requested_by.username == "jinkou"
    demo.load()
    assert SupervisionOrder.objects.count() == 2 and ExtensionRequest.objects.count() == 1


def test_the_demo_adds_nothing_without_the_demo_people() -> None:
    demo.load()
    assert not SupervisionOrder.objects.exists() and not LadderStep.objects.exists()

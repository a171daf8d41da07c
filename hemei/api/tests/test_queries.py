"""List endpoints answer in a number of queries that does not grow with the page size."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hemei.core.testing import Cast
from hemei.meetings.models import Decision, Meeting
from hemei.tasks import services as task_services

from .conftest import World

pytestmark = pytest.mark.django_db


def queries(client, url: str, params: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url, params)
    assert answer.status == 200, answer
    return len(captured), len(answer.json["results"])


def test_the_task_list_does_not_grow_with_the_page(cast: Cast, world: World, as_user):
    task_services.fan_out(actor=cast.alice, task=world.county_task)  # every town
    task_services.update_task(
        actor=cast.alice, task=world.county_task, co_units=[cast.unit], responsible=cast.dan
    )
    client = as_user(cast.alice)
    client.get("/api/v1/tasks/")  # the first call notes the token's use
    small, rows_small = queries(client, "/api/v1/tasks/", {"page_size": 1})
    large, rows_large = queries(client, "/api/v1/tasks/", {"page_size": 100})
    assert rows_small == 1 and rows_large > 15
    assert small == large
    assert large <= 8


def test_the_meeting_list_does_not_grow_with_the_page(cast: Cast, world: World, as_user):
    for number in range(30):
        meeting = Meeting.objects.create(
            name=f"调度会{number}", held_on="2026-03-01", level="county", division_id="370215"
        )
        Decision.objects.create(meeting=meeting, number=1, text="落实")
    client = as_user(cast.alice)
    client.get("/api/v1/meetings/")  # the first call notes the token's use
    small, _rows = queries(client, "/api/v1/meetings/", {"page_size": 1})
    large, rows = queries(client, "/api/v1/meetings/", {"page_size": 100})
    assert rows == 32
    assert small == large <= 6


def test_the_report_list_does_not_grow_with_the_page(cast: Cast, world: World, as_user):
    from hemei.progress import services as progress

    for number in range(12):
        progress.create_report(
            actor=cast.tom, task=world.part_a, percent=number, text=f"第{number}次", submit=True
        )
    client = as_user(cast.alice)
    client.get("/api/v1/reports/")
    for params in ({}, {"to_review": "true"}):
        small, _rows = queries(client, "/api/v1/reports/", {**params, "page_size": 1})
        large, rows = queries(client, "/api/v1/reports/", {**params, "page_size": 100})
        assert rows == 12
        assert small == large <= 6


def test_the_ranking_list_does_not_grow_with_the_page(cast: Cast, world: World, as_user):
    import datetime as dt

    from hemei.core import clock
    from hemei.divisions.models import Division
    from hemei.rankings import services as rankings

    county = Division.objects.get(code="370215")
    with clock.frozen_at(dt.datetime(2026, 11, 5, tzinfo=dt.UTC)):
        for month in range(1, 11):
            run = rankings.compute_ranking(
                county_or_town=county,
                period_kind="month",
                period_start=dt.date(2026, month, 1),
                actor=cast.alice,
            )
            rankings.request_circular(run=run, actor=cast.alice)  # a document number each
    client = as_user(cast.alice)
    client.get("/api/v1/rankings/")
    small, _rows = queries(client, "/api/v1/rankings/", {"page_size": 1})
    large, rows = queries(client, "/api/v1/rankings/", {"page_size": 100})
    assert rows == 10
    assert small == large <= 6


def _orders_cards_and_extensions(cast: Cast, world: World) -> None:
    """On twelve towns' parts of the county task: an order each (every other one
    answered by the town's official) and a card each; and twelve extension requests, each
    on a task of its own (one pending request per task)."""
    import datetime as dt

    from hemei.core import clock
    from hemei.supervision import services as supervision
    from hemei.supervision.models import Card

    due = clock.today() + dt.timedelta(days=5)
    task_services.fan_out(actor=cast.alice, task=world.county_task)  # every town
    parts = list(world.county_task.children.select_related("division").order_by("division_id"))
    for number, part in enumerate(parts[:12]):
        official = _official_of(part.division)
        order = supervision.issue_order(task=part, actor=cast.alice, text="说明", reply_due=due)
        if number % 2:
            supervision.reply_to_order(order=order, actor=official, text="已办")
        Card.objects.create(
            task=part, kind="red", issued_at=clock.now(), step="red_card+7", due_on=part.due_on
        )
        own = task_services.create_task(
            actor=cast.alice,
            division=part.division,
            title=f"任务{number}",
            due_on=dt.date(2026, 6, 30),
            lead_leader=cast.lily,
        )
        supervision.request_extension(task=own, actor=official, requested_due=due, reason="延期")


def _official_of(town: Any) -> Any:
    from hemei.accounts.models import RoleAssignment, User

    user = User.objects.filter(username=f"official{town.code}").first()
    if user is None:
        user = User.objects.create_user(username=f"official{town.code}", full_name="镇干部")
        RoleAssignment.objects.create(user=user, role="town_official", division=town)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/supervision/orders/",
        "/api/v1/supervision/cards/",
        "/api/v1/supervision/extensions/",
    ],
)
def test_the_supervision_lists_do_not_grow_with_the_page(
    cast: Cast, world: World, as_user, url: str
):
    _orders_cards_and_extensions(cast, world)
    client = as_user(cast.alice)
    client.get(url)
    small, _rows = queries(client, url, {"page_size": 1})
    large, rows = queries(client, url, {"page_size": 100})
    assert rows == 12
    assert small == large <= 6


def test_the_notification_list_does_not_grow_with_the_page(cast: Cast, world: World, as_user):
    from hemei.notifications.services import notify

    for number in range(25):
        notify(recipients=[cast.tom], kind="reminder", title=f"提醒{number}", email=False)
    client = as_user(cast.tom)
    client.get("/api/v1/notifications/")
    small, _rows = queries(client, "/api/v1/notifications/", {"page_size": 1})
    large, rows = queries(client, "/api/v1/notifications/", {"page_size": 100})
    assert rows == 25
    assert small == large <= 4


def test_the_contact_point_list_does_not_grow_with_the_page(cast: Cast, world: World, as_user):
    from hemei.divisions.models import Division
    from hemei.tasks import links

    for village in Division.objects.filter(code__startswith="370215", level=5).order_by("code")[
        :15
    ]:
        links.create_leader_link(
            actor=cast.alice, leader=cast.lily, kind="village", division=village
        )
    links.create_leader_link(
        actor=cast.alice,
        leader=cast.lily,
        kind="task",
        division=world.part_a.division,
        task=world.part_a,
    )
    client = as_user(cast.alice)
    client.get("/api/v1/leader-links/")
    small, _rows = queries(client, "/api/v1/leader-links/", {"page_size": 1})
    large, rows = queries(client, "/api/v1/leader-links/", {"page_size": 100})
    assert rows == 16
    assert small == large <= 4


def _village_procedures(cast: Cast, count: int) -> None:
    """``count`` cases of 红花山村 (one refused, one paused) and ``count`` decision records,
    each past its first meeting, on the county's catalogue adopted by the village."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from hemei.cases import services as cases
    from hemei.catalogue.samples import adopted_catalogue
    from hemei.core import clock
    from hemei.core.testing import VILLAGE_A
    from hemei.divisions.models import Division
    from hemei.procedures import services as procedures
    from hemei.procedures.models import DecisionProcess
    from hemei.procedures.tests.test_decisions import PDF

    village = Division.objects.get(code=VILLAGE_A)
    adopted_catalogue(cast.alice, VILLAGE_A)
    process = DecisionProcess.objects.get(division=None)
    with clock.frozen_at(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)):
        for number in range(count):
            case = cases.start_case(
                actor=cast.victor,
                village=village,
                item_code="G01",
                title=f"工程{number}",
                amount=number * 10000,
            )
            if number == 1:
                cases.refuse(actor=cast.victor, case=case, reason="资金不足以实施", signer="魏村")
            if number == 2:
                cases.pause(actor=cast.victor, case=case, reason="等待测算")
            record = procedures.create_record(
                actor=cast.victor, village=village, title=f"事项{number}", process=process
            )
            procedures.record_meeting(
                actor=cast.victor,
                record=record,
                held_on=dt.date(2026, 6, 1),
                entitled=7,
                present=7,
                votes_for=6,
                against=1,
                abstain=0,
                minutes=SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf"),
            )


@pytest.mark.parametrize(
    "url", ["/api/v1/cases/", "/api/v1/decision-records/", "/api/v1/catalogues/"]
)
def test_the_village_procedure_lists_do_not_grow_with_the_page(
    cast: Cast, as_user, url: str, settings: Any, tmp_path: Any
):
    settings.MEDIA_ROOT = str(tmp_path)
    _village_procedures(cast, 12)
    client = as_user(cast.tom)
    client.get(url)
    small, _rows = queries(client, url, {"page_size": 1})
    large, rows = queries(client, url, {"page_size": 100})
    assert rows == (2 if "catalogues" in url else 12)
    assert small == large <= 6

"""The supervision pages: the permission matrix (anonymous → login, no role → 403, another
town's objects → 404, no right → 403), the flows through the forms, bad input → 4xx, the
export, and query counts that do not grow with the rows."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hemei.core import clock
from hemei.core.testing import TOWN_B, Cast
from hemei.supervision import services
from hemei.supervision.choices import ExtensionState, OrderState
from hemei.supervision.models import ExtensionRequest, LadderStep, SupervisionOrder
from hemei.tasks.models import Task

from .conftest import DUE, at, make_task

pytestmark = pytest.mark.django_db

TODAY = DUE + dt.timedelta(days=3)


@dataclass
class World:
    task: Task
    order: SupervisionOrder
    ext: ExtensionRequest
    reply_pk: int
    other_task: Task
    other_order: SupervisionOrder
    other_ext: ExtensionRequest


@pytest.fixture
def world(cast: Cast, task: Task) -> World:
    other = make_task(cast, division=TOWN_B, title="金口镇道路硬化", responsible=cast.owen)
    order = services.issue_order(
        task=task, actor=cast.alice, text="请反馈进展", reply_due=DUE + dt.timedelta(days=30)
    )
    reply = services.reply_to_order(
        order=order,
        actor=cast.tom,
        text="已开工",
        attachment=SimpleUploadedFile("说明.txt", "进展说明".encode()),
    )
    other_order = services.issue_order(
        task=other, actor=cast.alice, text="请反馈", reply_due=DUE + dt.timedelta(days=30)
    )
    ext = services.request_extension(
        task=task, actor=cast.tom, requested_due=DUE + dt.timedelta(days=10), reason="雨天"
    )
    other_ext = services.request_extension(
        task=other, actor=cast.owen, requested_due=DUE + dt.timedelta(days=10), reason="雨天"
    )
    return World(task, order, ext, reply.pk, other, other_order, other_ext)


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[World], str]
    #: the same page for town B's object, which tom must not see (404)
    outside: Callable[[World], str] | None = None
    #: who opens it (200); everyone else with a role gets 403 (or 404 outside their scope)
    #: (victor, a village official, does not see the town's task: 404)
    allowed: tuple[str, ...] = ("alice", "lily", "dan", "tom")


EVERY_OFFICIAL = ("alice", "lily", "dan", "tom", "victor")
PAGES = [
    Page("centre", lambda w: "/supervision/", allowed=EVERY_OFFICIAL),
    Page("centre cards", lambda w: "/supervision/?tab=cards", allowed=EVERY_OFFICIAL),
    Page(
        "centre extensions",
        lambda w: "/supervision/?tab=extensions&state=pending",
        allowed=EVERY_OFFICIAL,
    ),
    Page(
        "centre export",
        lambda w: "/supervision/?export=xlsx&state=overdue",
        allowed=EVERY_OFFICIAL,
    ),
    Page(
        "order detail",
        lambda w: f"/supervision/orders/{w.order.pk}/",
        outside=lambda w: f"/supervision/orders/{w.other_order.pk}/",
    ),
    Page("reply attachment", lambda w: f"/supervision/replies/{w.reply_pk}/attachment/"),
    Page(
        "order create",
        lambda w: f"/supervision/tasks/{w.task.pk}/orders/new/",
        outside=lambda w: f"/supervision/tasks/{w.other_task.pk}/orders/new/",
        allowed=("alice", "lily"),
    ),
    Page(
        "extension create",
        lambda w: f"/supervision/tasks/{w.task.pk}/extensions/new/",
        outside=lambda w: f"/supervision/tasks/{w.other_task.pk}/extensions/new/",
        allowed=("dan", "tom"),
    ),
    Page(
        "extension detail",
        lambda w: f"/supervision/extensions/{w.ext.pk}/",
        outside=lambda w: f"/supervision/extensions/{w.other_ext.pk}/",
    ),
    Page(
        "task section",
        lambda w: f"/supervision/tasks/{w.task.pk}/section/",
        outside=lambda w: f"/supervision/tasks/{w.other_task.pk}/section/",
    ),
    Page("ladder", lambda w: "/supervision/ladder/", allowed=("alice",)),
]
IDS = [p.name for p in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_sends_anonymous_visitors_to_login(page: Page, world: World, client: Client) -> None:
    response = client.get(page.url(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_refuses_an_account_without_a_role(
    page: Page, world: World, cast: Cast, client: Client
) -> None:
    client.force_login(cast.nora)
    assert client.get(page.url(world)).status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_opens_for_those_allowed_and_refuses_the_others(
    page: Page, world: World, cast: Cast, client: Client
) -> None:
    for name in ("alice", "lily", "dan", "tom", "victor", "vera"):
        client.force_login(getattr(cast, name))
        response = client.get(page.url(world))
        if name in page.allowed:
            assert response.status_code == 200, name
        elif name == "vera":  # supervision is for officials, not villagers
            assert response.status_code == 403, name
        else:
            assert response.status_code in (403, 404), name


@pytest.mark.parametrize("page", [p for p in PAGES if p.outside], ids=lambda p: p.name)
def test_another_towns_objects_are_not_found(
    page: Page, world: World, cast: Cast, client: Client
) -> None:
    client.force_login(cast.tom)
    assert client.get(page.outside(world)).status_code == 404  # type: ignore[misc]
    client.force_login(cast.owen)
    assert client.get(page.url(world)).status_code == 404


def test_owen_does_not_see_town_as_orders_in_the_centre(
    world: World, cast: Cast, client: Client
) -> None:
    client.force_login(cast.owen)
    body = client.get("/supervision/").content.decode()
    assert world.other_order.number in body and world.order.number not in body
    reply = client.get(f"/supervision/replies/{world.reply_pk}/attachment/")
    assert reply.status_code == 404


def test_the_reply_attachment_is_served_to_those_in_scope(
    world: World, cast: Cast, client: Client
) -> None:
    client.force_login(cast.alice)
    response = client.get(f"/supervision/replies/{world.reply_pk}/attachment/")
    assert b"".join(response.streaming_content).decode() == "进展说明"
    assert "attachment" in response["Content-Disposition"]


def test_a_supervisor_issues_an_order_and_the_town_answers_through_the_pages(
    cast: Cast, task: Task, client: Client
) -> None:
    client.force_login(cast.lily)
    url = f"/supervision/tasks/{task.pk}/orders/new/"
    bad = client.post(url, {"text": "", "reply_due": "2026-12-30"})
    assert bad.status_code == 400 and not SupervisionOrder.objects.exists()
    bad = client.post(url, {"text": "请整改", "reply_due": "不是日期"})
    assert bad.status_code == 400 and not SupervisionOrder.objects.exists()
    with clock.frozen_at(at(TODAY)):
        past = client.post(url, {"text": "请整改", "reply_due": "2026-01-01"})
        assert past.status_code == 400 and past.context["form"].errors["reply_due"]
        response = client.post(url, {"text": "请整改", "reply_due": "2026-12-30"})
    order = SupervisionOrder.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/supervision/orders/{order.pk}/"
    )

    client.force_login(cast.tom)
    page = client.get(f"/supervision/orders/{order.pk}/").content.decode()
    assert "action" in page and order.number in page
    assert (
        client.post(
            f"/supervision/orders/{order.pk}/", {"action": "reply", "text": " "}
        ).status_code
        == 400
    )
    for bad_file in (
        SimpleUploadedFile("x.exe", b"MZ"),
        SimpleUploadedFile("整改报告.pdf", b"MZ\x90\x00 a program renamed"),  # content checked
        SimpleUploadedFile("空.pdf", b""),
    ):
        response = client.post(
            f"/supervision/orders/{order.pk}/",
            {"action": "reply", "text": "好", "attachment": bad_file},
        )
        assert response.status_code == 400
    assert not order.replies.exists()
    assert client.post(f"/supervision/orders/{order.pk}/", {"action": "close"}).status_code == 403
    ok = client.post(f"/supervision/orders/{order.pk}/", {"action": "reply", "text": "已整改"})
    assert ok.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED

    client.force_login(cast.lily)
    assert (
        client.post(
            f"/supervision/orders/{order.pk}/", {"action": "close", "note": "好"}
        ).status_code
        == 302
    )
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED
    assert (
        client.post(f"/supervision/orders/{order.pk}/", {"action": "nonsense"}).status_code == 400
    )


def test_an_extension_is_requested_and_decided_through_the_pages(
    cast: Cast, task: Task, client: Client
) -> None:
    client.force_login(cast.tom)
    url = f"/supervision/tasks/{task.pk}/extensions/new/"
    assert client.post(url, {"requested_due": "2026-12-01", "reason": "雨"}).status_code == 400
    assert client.post(url, {"requested_due": "2026-12-31", "reason": ""}).status_code == 400
    assert not ExtensionRequest.objects.exists()
    assert client.post(url, {"requested_due": "2026-12-31", "reason": "雨"}).status_code == 302
    ext = ExtensionRequest.objects.get()
    detail = f"/supervision/extensions/{ext.pk}/"
    assert client.post(detail, {"decision": "approve"}).status_code == 403
    client.force_login(cast.alice)
    assert client.post(detail, {"decision": "approve"}).status_code == 403
    client.force_login(cast.lily)
    assert client.post(detail, {"decision": "refuse", "note": ""}).status_code == 400
    assert client.post(detail, {"decision": "maybe"}).status_code == 400
    assert client.post(detail, {"decision": "approve", "note": "同意"}).status_code == 302
    ext.refresh_from_db()
    task.refresh_from_db()
    assert ext.state == ExtensionState.APPROVED and task.due_on == dt.date(2026, 12, 31)


def test_the_county_administrator_edits_the_ladder(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    page = client.get("/supervision/ladder/")
    assert page.status_code == 200
    form = page.context["formset"]
    assert form.total_form_count() == 5 + 3  # the default ladder and three blank rows
    data = {
        "county": "370215",
        "action": "save",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "20",
        "steps-0-kind": "reminder",
        "steps-0-days": "-2",
        "steps-1-kind": "red_card",
        "steps-1-days": "-1",  # a card before the deadline: refused
        "steps-2-kind": "",
    }
    assert client.post("/supervision/ladder/", data).status_code == 400
    assert not LadderStep.objects.exists()
    data.update({"steps-1-days": "3", "steps-2-kind": "supervision_order", "steps-2-days": "10"})
    assert client.post("/supervision/ladder/", data).status_code == 400  # no reply days
    data["steps-2-reply_days"] = "4"
    assert client.post("/supervision/ladder/", data).status_code == 302
    assert sorted(LadderStep.objects.values_list("kind", "days", "reply_days")) == [
        ("red_card", 3, 0),
        ("reminder", -2, 0),
        ("supervision_order", 10, 4),
    ]
    assert (
        client.post("/supervision/ladder/", {"county": "370215", "action": "default"}).status_code
        == 302
    )
    assert not LadderStep.objects.exists()
    assert client.get("/supervision/ladder/?county=370212").status_code == 404


def test_the_export_reopens_with_the_rows(world: World, cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    for tab, expected in (("orders", world.order.number), ("extensions", "雨天")):
        response = client.get(f"/supervision/?tab={tab}&export=xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [c.value for row in sheet.iter_rows() for c in row]
        assert expected in values
    client.force_login(cast.tom)
    response = client.get("/supervision/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    numbers = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert world.other_order.number not in numbers


def test_overdue_replies_are_marked_and_filtered(world: World, cast: Cast, client: Client) -> None:
    SupervisionOrder.objects.filter(pk=world.other_order.pk).update(reply_due=dt.date(2026, 1, 5))
    client.force_login(cast.alice)
    response = client.get("/supervision/?state=overdue")
    rows = list(response.context["page"])
    assert rows == [SupervisionOrder.objects.get(pk=world.other_order.pk)]
    assert response.context["summary"]["overdue"] == 1


def _orders(cast: Cast, count: int) -> None:
    for n in range(count):
        task = make_task(cast, title=f"任务{n}", division="370215100" if n % 2 else TOWN_B)
        services.issue_order(
            task=task, actor=cast.alice, text="请反馈", reply_due=DUE + dt.timedelta(days=5)
        )
        services.request_extension(
            task=task,
            actor=cast.tom if n % 2 else cast.owen,
            requested_due=DUE + dt.timedelta(days=9),
            reason="x",
        )
    with clock.frozen_at(at(DUE + dt.timedelta(days=8))):
        services.climb_ladder(today=DUE + dt.timedelta(days=8))


@pytest.mark.parametrize("tab", ["orders", "cards", "extensions"])
def test_the_centre_query_count_does_not_grow_with_rows(
    tab: str, cast: Cast, client: Client
) -> None:
    client.force_login(cast.alice)
    _orders(cast, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/supervision/?tab={tab}").status_code == 200
    _orders(cast, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/supervision/?tab={tab}")
    assert len(response.context["page"]) > 10
    assert len(many) == len(few) <= 11, len(many)


def test_the_task_section_lists_orders_cards_and_buttons(
    world: World, cast: Cast, client: Client
) -> None:
    with clock.frozen_at(at(DUE + dt.timedelta(days=1))):
        services.climb_ladder(today=DUE + dt.timedelta(days=1))
    client.force_login(cast.alice)
    body = client.get(f"/supervision/tasks/{world.task.pk}/section/").content.decode()
    assert world.order.number in body and "黄牌" in body
    assert f"/supervision/tasks/{world.task.pk}/orders/new/" in body
    assert "/extensions/new/" not in body
    client.force_login(cast.tom)
    body = client.get(f"/supervision/tasks/{world.task.pk}/section/").content.decode()
    assert "/orders/new/" not in body
    assert "/extensions/new/" not in body  # one is pending already

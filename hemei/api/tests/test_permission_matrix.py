"""The permission matrix of every endpoint: anonymous 401, a revoked or unknown token 401,
no role 403, outside the area 404 (the same answer as a missing id), and the browser
session with CSRF on writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from hemei.api import services
from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.households.models import Household
from hemei.meetings.models import Decision, Meeting
from hemei.notifications.models import Notification
from hemei.points.models import Entry as PointsEntry
from hemei.points.models import LedgerEntry as PointsLedgerEntry
from hemei.progress.evidence import check_file
from hemei.progress.models import Evidence, ProgressReport
from hemei.rankings.models import ExportJob, RankingRun
from hemei.supervision.models import ExtensionRequest, LadderStep, OrderReply, SupervisionOrder
from hemei.tasks.models import LeaderLink, Task

from .conftest import Answer, ApiClient, World

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable[[World], str]
    body: Callable[[Cast, World], Any] | None = None
    #: the same endpoint on an object in town A, which owen (town B) must not find
    outside: Callable[[World], str] | None = None
    #: who in the cast may use it in town A, and what they get
    actor: str = "tom"
    ok: tuple[int, ...] = (200, 201)
    #: what a villager (vera) gets, where the pages shut villagers out
    villager: int | None = None


ENDPOINTS = [
    Endpoint("task list", "GET", lambda w: "/api/v1/tasks/"),
    Endpoint(
        "task create",
        "POST",
        lambda w: "/api/v1/tasks/",
        lambda c, w: {"division": TOWN_A, "title": "新任务", "due_on": "2026-12-31"},
    ),
    Endpoint(
        "task detail",
        "GET",
        lambda w: f"/api/v1/tasks/{w.part_a.pk}/",
        outside=lambda w: f"/api/v1/tasks/{w.part_a.pk}/",
    ),
    Endpoint(
        "task update",
        "PATCH",
        lambda w: f"/api/v1/tasks/{w.part_a.pk}/",
        lambda c, w: {"title": "改过的标题"},
        outside=lambda w: f"/api/v1/tasks/{w.part_a.pk}/",
    ),
    Endpoint(
        "task fan-out",
        "POST",
        lambda w: f"/api/v1/tasks/{w.part_a.pk}/fan-out/",
        lambda c, w: {"codes": ["370215100214"]},
        outside=lambda w: f"/api/v1/tasks/{w.part_a.pk}/fan-out/",
    ),
    Endpoint("meeting list", "GET", lambda w: "/api/v1/meetings/"),
    Endpoint(
        "meeting create",
        "POST",
        lambda w: "/api/v1/meetings/",
        lambda c, w: {
            "name": "田横镇调度会",
            "held_on": "2026-03-06",
            "level": "town",
            "division": TOWN_A,
        },
    ),
    Endpoint(
        "meeting detail",
        "GET",
        lambda w: f"/api/v1/meetings/{w.county_meeting.pk}/",
        outside=lambda w: f"/api/v1/meetings/{w.meeting_a.pk}/",
    ),
]

ENDPOINTS += [
    Endpoint(
        "meeting update",
        "PATCH",
        lambda w: f"/api/v1/meetings/{w.meeting_a.pk}/",
        lambda c, w: {"place": "镇政府"},
        outside=lambda w: f"/api/v1/meetings/{w.meeting_a.pk}/",
    ),
    Endpoint(
        "meeting decision add",
        "POST",
        lambda w: f"/api/v1/meetings/{w.meeting_a.pk}/decisions/",
        lambda c, w: {"text": "落实责任"},
        outside=lambda w: f"/api/v1/meetings/{w.meeting_a.pk}/decisions/",
    ),
]


def _report(name: str) -> Callable[[World], str]:
    return lambda w: f"/api/v1/reports/{getattr(w, name).pk}/"


ENDPOINTS += [
    Endpoint("report list", "GET", lambda w: "/api/v1/reports/"),
    Endpoint(
        "task reports",
        "GET",
        lambda w: f"/api/v1/tasks/{w.part_a.pk}/reports/",
        outside=lambda w: f"/api/v1/tasks/{w.part_a.pk}/reports/",
    ),
    Endpoint(
        "report create",
        "POST",
        lambda w: f"/api/v1/tasks/{w.part_a.pk}/reports/",
        lambda c, w: {"percent": 30, "text": "推进中"},
        outside=lambda w: f"/api/v1/tasks/{w.part_a.pk}/reports/",
    ),
    Endpoint("report detail", "GET", _report("draft_a"), outside=_report("submitted_a")),
    Endpoint(
        "report update",
        "PATCH",
        _report("draft_a"),
        lambda c, w: {"percent": 35},
        outside=_report("draft_a"),
    ),
    Endpoint(
        "report evidence",
        "POST",
        lambda w: f"/api/v1/reports/{w.draft_a.pk}/evidence/",
        outside=lambda w: f"/api/v1/reports/{w.draft_a.pk}/evidence/",
        ok=(400,),  # a JSON call carries no files: "choose at least one file"
    ),
    Endpoint(
        "report submit",
        "POST",
        lambda w: f"/api/v1/reports/{w.draft_a.pk}/submit/",
        outside=lambda w: f"/api/v1/reports/{w.draft_a.pk}/submit/",
    ),
    Endpoint(
        "report approve",
        "POST",
        lambda w: f"/api/v1/reports/{w.submitted_a.pk}/approve/",
        outside=lambda w: f"/api/v1/reports/{w.submitted_a.pk}/approve/",
        actor="alice",
    ),
    Endpoint(
        "report return",
        "POST",
        lambda w: f"/api/v1/reports/{w.submitted_a.pk}/return/",
        lambda c, w: {"reason": "请补充照片"},
        outside=lambda w: f"/api/v1/reports/{w.submitted_a.pk}/return/",
        actor="alice",
    ),
    Endpoint(
        "evidence file",
        "GET",
        lambda w: f"/api/v1/evidence/{w.evidence_a.pk}/file/",
        outside=lambda w: f"/api/v1/evidence/{w.evidence_a.pk}/file/",
    ),
]
ENDPOINTS += [
    Endpoint("ranking list", "GET", lambda w: "/api/v1/rankings/"),
    Endpoint(
        "ranking compute",
        "POST",
        lambda w: "/api/v1/rankings/",
        lambda c, w: {"scope": TOWN_A, "period_kind": "year", "period_start": "2026-01-01"},
    ),
    Endpoint(
        "ranking detail",
        "GET",
        lambda w: f"/api/v1/rankings/{w.villages_a.pk}/",
        outside=lambda w: f"/api/v1/rankings/{w.villages_a.pk}/",
    ),
    Endpoint(
        "ranking circular",
        "POST",
        lambda w: f"/api/v1/rankings/{w.villages_a.pk}/circular/",
        outside=lambda w: f"/api/v1/rankings/{w.villages_a.pk}/circular/",
        ok=(202,),
    ),
    Endpoint(
        "export detail",
        "GET",
        lambda w: f"/api/v1/exports/{w.export_a.pk}/",
        outside=lambda w: f"/api/v1/exports/{w.export_a.pk}/",
    ),
    Endpoint(
        "export download",
        "GET",
        lambda w: f"/api/v1/exports/{w.export_a.pk}/docx/",
        outside=lambda w: f"/api/v1/exports/{w.export_a.pk}/docx/",
        ok=(404,),  # not rendered yet; the download itself is tested in test_rankings
    ),
]


def _order(name: str, action: str = "") -> Callable[[World], str]:
    return lambda w: f"/api/v1/supervision/orders/{getattr(w, name).pk}/{action}"


ENDPOINTS += [
    Endpoint("order list", "GET", lambda w: "/api/v1/supervision/orders/", villager=403),
    Endpoint("order detail", "GET", _order("order_a"), outside=_order("order_a"), villager=403),
    Endpoint(
        "order issue",
        "POST",
        lambda w: f"/api/v1/tasks/{w.part_a.pk}/orders/",
        lambda c, w: {"text": "请说明进展", "reply_due": "2099-01-01"},
        outside=lambda w: f"/api/v1/tasks/{w.part_a.pk}/orders/",
        actor="alice",
        villager=403,
    ),
    Endpoint(
        "order reply",
        "POST",
        _order("order_a", "reply/"),
        lambda c, w: {"text": "已整改"},
        outside=_order("order_a", "reply/"),
        villager=403,
    ),
    Endpoint(
        "order close",
        "POST",
        _order("answered_a", "close/"),
        outside=_order("answered_a", "close/"),
        actor="alice",
        villager=403,
    ),
    Endpoint(
        "order send back",
        "POST",
        _order("answered_a", "send-back/"),
        lambda c, w: {"note": "请补充照片"},
        outside=_order("answered_a", "send-back/"),
        actor="alice",
        villager=403,
    ),
    Endpoint(
        "reply attachment",
        "GET",
        lambda w: f"/api/v1/supervision/replies/{w.reply_a.pk}/attachment/",
        outside=lambda w: f"/api/v1/supervision/replies/{w.reply_a.pk}/attachment/",
        villager=403,
    ),
    Endpoint("card list", "GET", lambda w: "/api/v1/supervision/cards/", villager=403),
    Endpoint("extension list", "GET", lambda w: "/api/v1/supervision/extensions/", villager=403),
    Endpoint(
        "extension detail",
        "GET",
        lambda w: f"/api/v1/supervision/extensions/{w.extension_a.pk}/",
        outside=lambda w: f"/api/v1/supervision/extensions/{w.extension_a.pk}/",
        villager=403,
    ),
    Endpoint(
        "extension request",
        "POST",
        lambda w: f"/api/v1/tasks/{w.part_a.pk}/extensions/",
        lambda c, w: {"requested_due": "2026-12-31", "reason": "雨季施工"},
        outside=lambda w: f"/api/v1/tasks/{w.part_a.pk}/extensions/",
        villager=403,
    ),
    Endpoint(
        "extension decide",
        "POST",
        lambda w: f"/api/v1/supervision/extensions/{w.extension_a.pk}/decide/",
        lambda c, w: {"approve": False, "note": "不同意"},
        outside=lambda w: f"/api/v1/supervision/extensions/{w.extension_a.pk}/decide/",
        actor="lily",
        villager=403,
    ),
    Endpoint("ladder", "GET", lambda w: f"/api/v1/supervision/ladders/{COUNTY}/", villager=403),
    Endpoint(
        "ladder save",
        "PUT",
        lambda w: f"/api/v1/supervision/ladders/{COUNTY}/",
        lambda c, w: {"steps": [{"kind": "yellow_card", "days": 2}]},
        actor="alice",
        villager=403,
    ),
    Endpoint("notification list", "GET", lambda w: "/api/v1/notifications/"),
    Endpoint("notification count", "GET", lambda w: "/api/v1/notifications/unread-count/"),
    Endpoint(
        "notification read",
        "POST",
        lambda w: "/api/v1/notifications/read/",
        lambda c, w: {"all": True},
    ),
    Endpoint("leader link list", "GET", lambda w: "/api/v1/leader-links/", villager=403),
    Endpoint(
        "leader link create",
        "POST",
        lambda w: "/api/v1/leader-links/",
        lambda c, w: {"leader": c.lily.pk, "kind": "village", "division": VILLAGE_A},
        actor="alice",
        villager=403,
    ),
    Endpoint(
        "leader link detail",
        "GET",
        lambda w: f"/api/v1/leader-links/{w.link_a.pk}/",
        outside=lambda w: f"/api/v1/leader-links/{w.link_a.pk}/",
        villager=403,
    ),
    Endpoint(
        "leader link delete",
        "DELETE",
        lambda w: f"/api/v1/leader-links/{w.link_a.pk}/",
        # an administrator's action: owen's role is refused (403) before the place is asked
        actor="alice",
        ok=(204,),
        villager=403,
    ),
]

# the household register and governance points of 红花山村 (village A): village affairs read
# them (department staff and villagers are refused), the village's officials record points,
# a villager reads their own household's points
ENDPOINTS += [
    Endpoint("household list", "GET", lambda w: "/api/v1/households/", villager=403),
    Endpoint(
        "household detail",
        "GET",
        lambda w: f"/api/v1/households/{w.home_a.pk}/",
        outside=lambda w: f"/api/v1/households/{w.home_a.pk}/",
        villager=403,
    ),
    Endpoint(
        "points ledger",
        "GET",
        lambda w: f"/api/v1/points/villages/{VILLAGE_A}/ledger/",
        outside=lambda w: f"/api/v1/points/villages/{VILLAGE_A}/ledger/",
        villager=403,
    ),
    Endpoint(
        "points entries",
        "GET",
        lambda w: f"/api/v1/points/villages/{VILLAGE_A}/entries/",
        outside=lambda w: f"/api/v1/points/villages/{VILLAGE_A}/entries/",
        villager=403,
    ),
    Endpoint(
        "points record",
        "POST",
        lambda w: f"/api/v1/points/villages/{VILLAGE_A}/entries/",
        lambda c, w: {
            "household": w.home_a.pk,
            "item": w.rules_a.items.get(code="A2").pk,
            "occurred_on": "2026-03-02",
            "description": "参加村民会议",
        },
        actor="victor",
        ok=(201,),
        villager=403,
    ),
    Endpoint(
        "points household",
        "GET",
        lambda w: f"/api/v1/points/households/{w.home_a.pk}/",
        outside=lambda w: f"/api/v1/points/households/{w.home_a.pk}/",
    ),
    Endpoint(
        "points household ledger",
        "GET",
        lambda w: f"/api/v1/points/households/{w.home_a.pk}/ledger/",
        outside=lambda w: f"/api/v1/points/households/{w.home_a.pk}/ledger/",
    ),
    Endpoint("points mine", "GET", lambda w: "/api/v1/points/mine/", actor="vera"),
]
IDS = [e.name for e in ENDPOINTS]


def call(client: ApiClient, endpoint: Endpoint, cast: Cast, world: World) -> Answer:
    url = endpoint.url(world)
    if endpoint.method == "GET":
        return client.get(url)
    body = endpoint.body(cast, world) if endpoint.body else {}
    return client.send(endpoint.method, url, body)


@pytest.fixture
def town_a_meeting(world: World, cast: Cast, settings: Any, tmp_path: Any) -> World:
    """The world, plus in town A: a meeting, a draft report with a photo and a submitted
    report (all tom's)."""
    from hemei.progress import services as progress
    from hemei.rankings import services as rankings

    from .test_progress import jpeg

    settings.MEDIA_ROOT = tmp_path / "media"
    world.meeting_a = Meeting.objects.create(  # type: ignore[attr-defined]
        name="田横镇推进会", held_on="2026-03-01", level="town", division_id=TOWN_A
    )
    world.draft_a = progress.create_report(  # type: ignore[attr-defined]
        actor=cast.tom,
        task=world.part_a,
        percent=20,
        text="开工",
        files=[check_file("现场.jpg", jpeg())],
    )
    world.evidence_a = world.draft_a.evidence.get()  # type: ignore[attr-defined]
    world.submitted_a = progress.create_report(  # type: ignore[attr-defined]
        actor=cast.tom, task=world.part_a, percent=30, text="推进", submit=True
    )
    with clock.frozen_at(dt.datetime(2026, 7, 5, 9, 0, tzinfo=dt.UTC)):
        world.villages_a = rankings.compute_ranking(  # type: ignore[attr-defined]
            county_or_town=Division.objects.get(code=TOWN_A),
            period_kind="month",
            period_start=dt.date(2026, 6, 1),
            actor=cast.tom,
        )
        world.export_a = rankings.request_circular(  # type: ignore[attr-defined]
            run=world.villages_a, actor=cast.tom
        )
    _supervision_in_town_a(world, cast)
    _register_and_points_in_village_a(world, cast)
    return world


def _register_and_points_in_village_a(world: World, cast: Cast) -> None:
    """In 红花山村: vera's household of three, the village's adopted points rules, and an
    entry for the household awaiting assessment."""
    from hemei.households import services as households
    from hemei.households.tests.factories import make_household
    from hemei.points import services as points
    from hemei.points.tests.factories import adopted_rules

    w: Any = world
    w.home_a = make_household(cast.victor, Division.objects.get(code=VILLAGE_A))
    households.link_account(actor=cast.victor, resident=w.home_a.head, user=cast.vera)
    w.rules_a = adopted_rules(cast.victor, VILLAGE_A)
    points.record_entry(
        actor=cast.victor,
        household=w.home_a,
        item=w.rules_a.items.get(code="A2"),
        occurred_on=dt.date(2026, 3, 1),
        description="参加村民会议",
    )


def _supervision_in_town_a(world: World, cast: Cast) -> None:
    """In town A: an open order, an answered one (with an attached file), a pending
    extension request on a second task, a card, a contact point; a notification to tom."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hemei.notifications.services import notify
    from hemei.supervision import services as supervision
    from hemei.supervision.models import Card
    from hemei.tasks import links
    from hemei.tasks import services as task_services

    due = clock.today() + dt.timedelta(days=5)
    w: Any = world
    w.order_a = supervision.issue_order(task=w.part_a, actor=cast.alice, text="说明", reply_due=due)
    w.answered_a = supervision.issue_order(
        task=w.part_a, actor=cast.alice, text="再说明", reply_due=due
    )
    w.reply_a = supervision.reply_to_order(
        order=w.answered_a,
        actor=cast.tom,
        text="见附件",
        attachment=SimpleUploadedFile("说明.pdf", b"%PDF-1.4 answer"),
    )
    second = task_services.create_task(
        actor=cast.alice,
        division=Division.objects.get(code=TOWN_A),
        title="田横镇道路硬化",
        due_on=dt.date(2026, 6, 30),
        lead_leader=cast.lily,
    )
    w.extension_a = supervision.request_extension(
        task=second, actor=cast.tom, requested_due=dt.date(2026, 12, 31), reason="资金未到位"
    )
    Card.objects.create(
        task=w.part_a, kind="yellow", issued_at=clock.now(), step="yellow_card+1", due_on=due
    )
    w.link_a = links.create_leader_link(
        actor=cast.alice,
        leader=cast.lily,
        kind="town",
        division=Division.objects.get(code=TOWN_A),
    )
    notify(recipients=[cast.tom], kind="reminder", title="提醒", email=False)


def snapshot() -> tuple[Any, ...]:
    """What a refused call must leave as it was."""
    return (
        list(Meeting.objects.order_by("pk").values_list("name", "place")),
        Decision.objects.count(),
        list(Task.objects.order_by("pk").values_list("title", "progress")),
        list(ProgressReport.objects.order_by("pk").values_list("state", "percent")),
        Evidence.objects.count(),
        list(RankingRun.objects.order_by("pk").values_list("computed_at", "circular_number")),
        ExportJob.objects.count(),
        list(SupervisionOrder.objects.order_by("pk").values_list("state", "reply_due")),
        OrderReply.objects.count(),
        list(ExtensionRequest.objects.order_by("pk").values_list("state", "requested_due")),
        LadderStep.objects.count(),
        list(Notification.objects.order_by("pk").values_list("read_at", flat=True)),
        LeaderLink.objects.count(),
        list(Household.objects.order_by("pk").values_list("number", "is_active")),
        list(PointsEntry.objects.order_by("pk").values_list("state", "points")),
        PointsLedgerEntry.objects.count(),
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_anonymous_callers_get_401(endpoint: Endpoint, cast: Cast, town_a_meeting: World):
    before = snapshot()
    answer = call(ApiClient(), endpoint, cast, town_a_meeting)
    assert answer.status == 401
    assert answer.error["code"] == "not_authenticated"
    assert answer.response["WWW-Authenticate"] == "Bearer"
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_a_revoked_token_gets_401(endpoint: Endpoint, cast: Cast, town_a_meeting: World):
    token, key = services.create_token(actor=cast.tom, name="old script")
    services.revoke_token(actor=cast.tom, token=token)
    before = snapshot()
    answer = call(ApiClient(key), endpoint, cast, town_a_meeting)
    assert answer.status == 401
    assert answer.error["code"] == "invalid_token"
    assert snapshot() == before


@pytest.mark.parametrize(
    "header",
    ["Bearer hm_not-a-real-key", "Bearer ", "Basic dG9tOnBhc3N3b3Jk", "hm_abc", "Bearer \x00"],
)
def test_unknown_tokens_and_schemes_get_401(header: str, cast: Cast):
    response = Client().get("/api/v1/tasks/", headers={"Authorization": header})
    assert response.status_code == 401


def test_the_token_of_a_deactivated_account_gets_401(cast: Cast, world: World):
    _token, key = services.create_token(actor=cast.tom, name="script")
    cast.tom.is_active = False
    cast.tom.save()
    assert ApiClient(key).get("/api/v1/tasks/").status == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_an_account_without_a_role_gets_403(
    endpoint: Endpoint, cast: Cast, town_a_meeting: World, as_user
):
    client = as_user(cast.nora)
    before = snapshot()
    answer = call(client, endpoint, cast, town_a_meeting)
    assert answer.status == 403
    assert answer.error["code"] == "no_role"
    assert snapshot() == before


OUTSIDE = [e for e in ENDPOINTS if e.outside]


@pytest.mark.parametrize("endpoint", OUTSIDE, ids=[e.name for e in OUTSIDE])
def test_another_towns_objects_are_not_found(
    endpoint: Endpoint, cast: Cast, town_a_meeting: World, as_user
):
    client = as_user(cast.owen)
    before = snapshot()
    outside = call(
        client,
        Endpoint(endpoint.name, endpoint.method, endpoint.outside, endpoint.body),
        cast,
        town_a_meeting,
    )  # type: ignore[arg-type]
    assert outside.status == 404
    assert outside.json == {"error": {"code": "not_found", "message": outside.error["message"]}}
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_town_official_may_use_it_in_their_town(
    endpoint: Endpoint, cast: Cast, town_a_meeting: World, as_user
):
    answer = call(as_user(getattr(cast, endpoint.actor)), endpoint, cast, town_a_meeting)
    assert answer.status in endpoint.ok, answer


VILLAGER = [e for e in ENDPOINTS if e.villager]


@pytest.mark.parametrize("endpoint", VILLAGER, ids=[e.name for e in VILLAGER])
def test_villagers_are_refused_where_the_pages_refuse_them(
    endpoint: Endpoint, cast: Cast, town_a_meeting: World, as_user
):
    before = snapshot()
    answer = call(as_user(cast.vera), endpoint, cast, town_a_meeting)
    assert answer.status == endpoint.villager, answer
    assert answer.error["code"] == "forbidden"
    assert snapshot() == before


def test_the_session_works_for_reading(cast: Cast, world: World):
    client = Client()
    client.force_login(cast.tom)
    response = client.get("/api/v1/tasks/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_session_writes_need_the_csrf_token(cast: Cast, world: World):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.tom)
    url = f"/api/v1/tasks/{world.part_a.pk}/"
    refused = client.patch(url, {"title": "改"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert Task.objects.get(pk=world.part_a.pk).title == world.part_a.title
    client.get("/api/tokens/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.patch(
        url, {"title": "改"}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200
    assert Task.objects.get(pk=world.part_a.pk).title == "改"


def test_token_writes_need_no_csrf_token(cast: Cast, world: World):
    _token, key = services.create_token(actor=cast.tom, name="script")
    client = ApiClient(key, Client(enforce_csrf_checks=True))
    assert client.patch(f"/api/v1/tasks/{world.part_a.pk}/", {"title": "改"}).status == 200

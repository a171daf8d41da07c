"""Supervision through the API: issue an order by hand, answer, send back, answer again,
close; request an extension and decide it; cards; the ladder; scope and rights."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hemei.accounts.models import AuditEntry
from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, Cast
from hemei.supervision import services as supervision
from hemei.supervision.models import (
    DEFAULT_LADDER,
    Card,
    ExtensionRequest,
    LadderStep,
    OrderReply,
    SupervisionOrder,
)
from hemei.tasks.models import Task

from .conftest import World

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/supervision/orders/"
ORDER = "/api/v1/supervision/orders/{pk}/"
TASK_ORDERS = "/api/v1/tasks/{pk}/orders/"
TASK_EXTENSIONS = "/api/v1/tasks/{pk}/extensions/"
EXTENSIONS = "/api/v1/supervision/extensions/"
LADDER = "/api/v1/supervision/ladders/{code}/"


def in_days(days: int) -> str:
    return (clock.today() + dt.timedelta(days=days)).isoformat()


def issue(cast: Cast, world: World, **fields: Any) -> SupervisionOrder:
    values = {"text": "说明进展", "reply_due": clock.today() + dt.timedelta(days=5)}
    values.update(fields)
    return supervision.issue_order(task=world.part_a, actor=cast.alice, **values)


def written() -> tuple[Any, ...]:
    return (
        list(SupervisionOrder.objects.order_by("pk").values_list("state", "reply_due")),
        OrderReply.objects.count(),
        list(ExtensionRequest.objects.order_by("pk").values_list("state", "requested_due")),
        list(LadderStep.objects.order_by("pk").values_list("kind", "days")),
        list(Task.objects.order_by("pk").values_list("due_on", flat=True)),
        AuditEntry.objects.exclude(content_type__model="token").count(),  # clients' tokens
    )


def test_the_order_loop_issue_answer_send_back_answer_close(
    cast: Cast, world: World, as_user, conforms
):
    alice, tom = as_user(cast.alice), as_user(cast.tom)
    issued = alice.post(
        TASK_ORDERS.format(pk=world.part_a.pk), {"text": "请说明滞后原因", "reply_due": in_days(5)}
    )
    assert issued.status == 201, issued
    conforms(issued, "/api/v1/tasks/{pk}/orders/", "post")
    order = issued.json
    assert order["state"] == "open" and order["source"] == "manual"
    assert order["issued_by"]["id"] == cast.alice.pk and order["number"].startswith("督办")
    assert order["task"]["id"] == world.part_a.pk and order["replies"] == []
    assert order["may_decide"] is False and order["may_answer"] is False  # alice supervises

    seen = tom.get(ORDER.format(pk=order["id"]))
    assert seen.status == 200 and seen.json["may_answer"] is True
    conforms(seen, "/api/v1/supervision/orders/{pk}/", "get")
    assert alice.post(f"{ORDERS}{order['id']}/close/").status == 400  # not answered yet

    answered = tom.post(f"{ORDERS}{order['id']}/reply/", {"text": "已完成80%"})
    assert answered.status == 200, answered
    conforms(answered, "/api/v1/supervision/orders/{pk}/reply/", "post")
    assert answered.json["state"] == "answered"
    assert [r["text"] for r in answered.json["replies"]] == ["已完成80%"]
    assert answered.json["replies"][0]["author"]["id"] == cast.tom.pk

    assert tom.post(f"{ORDERS}{order['id']}/close/").status == 403  # tom is supervised
    no_note = alice.post(f"{ORDERS}{order['id']}/send-back/", {"note": "  "})
    assert no_note.status == 400 and "note" in no_note.error["fields"]
    back = alice.post(f"{ORDERS}{order['id']}/send-back/", {"note": "请附照片"})
    assert back.status == 200 and back.json["state"] == "open"
    conforms(back, "/api/v1/supervision/orders/{pk}/send-back/", "post")

    assert tom.post(f"{ORDERS}{order['id']}/reply/", {"text": "照片已补"}).status == 200
    closed = alice.post(f"{ORDERS}{order['id']}/close/", {"note": "同意"})
    assert closed.status == 200 and closed.json["state"] == "closed"
    assert closed.json["closed_by"]["id"] == cast.alice.pk and closed.json["closed_at"]
    conforms(closed, "/api/v1/supervision/orders/{pk}/close/", "post")
    again = tom.post(f"{ORDERS}{order['id']}/reply/", {"text": "再答"})
    assert again.status == 400 and again.error["message"]
    kinds = [e["kind"] for e in alice.get(f"/api/v1/tasks/{world.part_a.pk}/").json["timeline"]]
    assert "supervision_order" in kinds and "order_replied" in kinds and "order_closed" in kinds


def test_orders_are_listed_with_filters_and_scoped(cast: Cast, world: World, as_user, conforms):
    late = issue(cast, world)
    SupervisionOrder.objects.filter(pk=late.pk).update(reply_due=clock.today() - dt.timedelta(1))
    fresh = issue(cast, world, text="第二张")
    other = supervision.issue_order(
        task=world.part_b, actor=cast.alice, text="金口镇", reply_due=clock.today()
    )
    tom = as_user(cast.tom)
    answer = tom.get(ORDERS)
    assert answer.status == 200
    conforms(answer, ORDERS, "get")
    assert {o["id"] for o in answer.json["results"]} == {late.pk, fresh.pk}
    overdue = tom.get(ORDERS, {"overdue": "true"}).json["results"]
    assert [o["id"] for o in overdue] == [late.pk] and overdue[0]["reply_overdue"] is True
    assert [o["id"] for o in tom.get(ORDERS, {"overdue": "false"}).json["results"]] == [fresh.pk]
    by_number = tom.get(ORDERS, {"q": fresh.number}).json["results"]
    assert [o["id"] for o in by_number] == [fresh.pk]
    assert tom.get(ORDERS, {"state": "closed"}).json["count"] == 0
    assert tom.get(ORDERS, {"task": world.part_b.pk}).json["count"] == 0
    alice = as_user(cast.alice)
    assert alice.get(ORDERS, {"task": world.part_b.pk}).json["results"][0]["id"] == other.pk
    assert alice.get(ORDERS).json["count"] == 3
    owen = as_user(cast.owen)
    assert [o["id"] for o in owen.get(ORDERS).json["results"]] == [other.pk]
    assert owen.get(ORDER.format(pk=late.pk)).status == 404
    bad = tom.get(ORDERS, {"state": "late", "overdue": "maybe", "page": 0})
    assert bad.status == 400 and set(bad.error["fields"]) == {"state", "overdue", "page"}


def test_an_order_is_issued_by_supervisors_only(cast: Cast, world: World, as_user):
    before = written()
    body = {"text": "说明", "reply_due": in_days(3)}
    refused = as_user(cast.tom).post(TASK_ORDERS.format(pk=world.part_a.pk), body)
    assert refused.status == 403 and refused.error["code"] == "forbidden"
    hidden = as_user(cast.owen).post(TASK_ORDERS.format(pk=world.part_a.pk), body)
    assert hidden.status == 404
    assert written() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"reply_due": "2027-01-01"}, "text"),
        ({"text": "   ", "reply_due": "2027-01-01"}, "text"),
        ({"text": "说明"}, "reply_due"),
        ({"text": "说明", "reply_due": "2027-02-30"}, "reply_due"),
        ({"text": "说明", "reply_due": "2020-01-01"}, "reply_due"),  # in the past: the service
        ({"text": "说明", "reply_due": "2027-01-01", "urgent": True}, "urgent"),
        ({"text": "长" * 5001, "reply_due": "2027-01-01"}, "text"),
    ],
)
def test_bad_orders_are_refused(cast: Cast, world: World, as_user, body, field):
    before = written()
    answer = as_user(cast.alice).post(TASK_ORDERS.format(pk=world.part_a.pk), body)
    assert answer.status == 400 and field in answer.error["fields"], answer
    assert written() == before


def test_the_extension_loop_request_refuse_request_approve(
    cast: Cast, world: World, as_user, conforms
):
    tom = as_user(cast.tom)
    task = Task.objects.get(pk=world.part_a.pk)
    assert task.lead_leader == cast.lily  # fanned out with the county task's lead leader
    decider = as_user(cast.lily)
    url = TASK_EXTENSIONS.format(pk=task.pk)
    made = tom.post(url, {"requested_due": "2026-12-31", "reason": "雨季施工受阻"})
    assert made.status == 201, made
    conforms(made, "/api/v1/tasks/{pk}/extensions/", "post")
    assert made.json["state"] == "pending" and made.json["current_due"] == "2026-06-30"
    twice = tom.post(url, {"requested_due": "2027-01-31", "reason": "再申请"})
    assert twice.status == 400 and ExtensionRequest.objects.count() == 1

    pk = made.json["id"]
    decide = f"{EXTENSIONS}{pk}/decide/"
    assert tom.post(decide, {"approve": True}).status == 403
    assert decider.post(decide, {"approve": False}).status == 400  # a refusal says why
    refused = decider.post(decide, {"approve": False, "note": "时间过长"})
    assert refused.status == 200 and refused.json["state"] == "refused"
    conforms(refused, "/api/v1/supervision/extensions/{pk}/decide/", "post")
    assert decider.post(decide, {"approve": True}).status == 400  # decided already

    second = tom.post(url, {"requested_due": "2026-09-30", "reason": "缩短延期"}).json["id"]
    queue = decider.get(EXTENSIONS, {"to_decide": "true"})
    assert [e["id"] for e in queue.json["results"]] == [second]
    assert as_user(cast.alice).get(EXTENSIONS, {"to_decide": "true"}).json["count"] == 0
    assert (
        as_user(cast.alice).post(f"{EXTENSIONS}{second}/decide/", {"approve": True}).status == 403
    )
    approved = decider.post(f"{EXTENSIONS}{second}/decide/", {"approve": True})
    assert approved.status == 200 and approved.json["state"] == "approved"
    assert Task.objects.get(pk=task.pk).due_on == dt.date(2026, 9, 30)
    listed = tom.get(EXTENSIONS, {"state": "approved"})
    conforms(listed, EXTENSIONS, "get")
    assert [e["id"] for e in listed.json["results"]] == [second]
    detail = tom.get(f"{EXTENSIONS}{second}/")
    assert detail.status == 200 and detail.json["decided_by"] is not None
    conforms(detail, "/api/v1/supervision/extensions/{pk}/", "get")
    assert as_user(cast.owen).get(f"{EXTENSIONS}{second}/").status == 404
    assert as_user(cast.owen).get(EXTENSIONS).json["count"] == 0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"requested_due": "2026-05-01", "reason": "x"}, "requested_due"),  # earlier
        ({"requested_due": "2026-12-31"}, "reason"),
        ({"requested_due": "2026-12-31", "reason": ""}, "reason"),
        ({"requested_due": "someday", "reason": "x"}, "requested_due"),
        ({"requested_due": None, "reason": "x"}, "requested_due"),
    ],
)
def test_bad_extension_requests_are_refused(cast: Cast, world: World, as_user, body, field):
    before = written()
    answer = as_user(cast.tom).post(TASK_EXTENSIONS.format(pk=world.part_a.pk), body)
    assert answer.status == 400 and field in answer.error["fields"], answer
    assert written() == before


def test_cards_are_listed_in_scope(cast: Cast, world: World, as_user, conforms):
    now = clock.now()
    for task, kind in [(world.part_a, "yellow"), (world.part_a, "red"), (world.part_b, "red")]:
        Card.objects.create(task=task, kind=kind, issued_at=now, step="x", due_on=task.due_on)
    tom = as_user(cast.tom)
    answer = tom.get("/api/v1/supervision/cards/")
    assert answer.status == 200 and answer.json["count"] == 2
    conforms(answer, "/api/v1/supervision/cards/", "get")
    assert tom.get("/api/v1/supervision/cards/", {"kind": "red"}).json["count"] == 1
    assert as_user(cast.alice).get("/api/v1/supervision/cards/").json["count"] == 3
    assert as_user(cast.owen).get("/api/v1/supervision/cards/").json["count"] == 1


def test_the_ladder_is_read_in_the_county_and_replaced_by_its_administrators(
    cast: Cast, world: World, as_user, conforms
):
    url = LADDER.format(code=COUNTY)
    tom = as_user(cast.tom)
    default = tom.get(url)
    assert default.status == 200, default
    conforms(default, "/api/v1/supervision/ladders/{code}/", "get")
    assert default.json["configured"] is False and default.json["may_change"] is False
    assert len(default.json["steps"]) == len(DEFAULT_LADDER)
    steps = [
        {"kind": "reminder", "days": -5},
        {"kind": "yellow_card", "days": 2},
        {"kind": "supervision_order", "days": 10, "reply_days": 3},
    ]
    before = written()
    assert tom.send("PUT", url, {"steps": steps}).status == 403
    assert written() == before
    saved = as_user(cast.alice).send("PUT", url, {"steps": steps})
    assert saved.status == 200, saved
    conforms(saved, "/api/v1/supervision/ladders/{code}/", "put")
    assert saved.json["configured"] is True and saved.json["may_change"] is True
    assert [(s["kind"], s["days"]) for s in saved.json["steps"]] == [
        ("reminder", -5),
        ("yellow_card", 2),
        ("supervision_order", 10),
    ]
    assert tom.get(url).json["steps"] == saved.json["steps"]
    restored = as_user(cast.alice).send("PUT", url, {"steps": []})
    assert restored.json["configured"] is False and not LadderStep.objects.exists()
    assert tom.get(LADDER.format(code=TOWN_A)).status == 404  # not a county
    assert tom.get(LADDER.format(code="370214")).status == 404  # another county


@pytest.mark.parametrize(
    "steps, field",
    [
        ([{"kind": "red_card", "days": -2}], "body"),  # cards after the deadline
        ([{"kind": "supervision_order", "days": 10}], "body"),  # no days to reply
        ([{"kind": "reminder", "days": 0}, {"kind": "reminder", "days": 0}], "body"),
        ([{"kind": "reminder", "days": 400}], "steps.0.days"),
        ([{"kind": "siren", "days": 1}], "steps.0.kind"),
        ([{"days": 1}], "steps.0.kind"),
        ([{"kind": "reminder", "days": 1}] * 21, "steps"),
        ("all", "steps"),
    ],
)
def test_a_bad_ladder_is_refused_and_the_old_one_stays(
    cast: Cast, world: World, as_user, steps, field
):
    alice = as_user(cast.alice)
    url = LADDER.format(code=COUNTY)
    alice.send("PUT", url, {"steps": [{"kind": "yellow_card", "days": 3}]})
    before = written()
    answer = alice.send("PUT", url, {"steps": steps})
    assert answer.status == 400 and field in answer.error.get("fields", {"body": 1}), answer
    assert answer.error["message"]
    assert written() == before


def test_villagers_are_refused_supervision(cast: Cast, world: World, as_user):
    order = issue(cast, world)
    vera = as_user(cast.vera)
    for url in [ORDERS, ORDER.format(pk=order.pk), EXTENSIONS, "/api/v1/supervision/cards/"]:
        answer = vera.get(url)
        assert answer.status == 403 and answer.error["code"] == "forbidden", url
    assert vera.get(LADDER.format(code=COUNTY)).status == 403
    answer = vera.post(f"{ORDERS}{order.pk}/reply/", {"text": "村民答复"})
    assert answer.status == 403 and not OrderReply.objects.exists()


def test_an_answers_attachment_is_downloaded_in_scope(
    cast: Cast, world: World, as_user, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    order = issue(cast, world)
    supervision.reply_to_order(
        order=order,
        actor=cast.tom,
        text="见附件",
        attachment=SimpleUploadedFile("说明.pdf", b"%PDF-1.4 answer"),
    )
    tom = as_user(cast.tom)
    link = tom.get(ORDER.format(pk=order.pk)).json["replies"][0]["attachment"]
    response = tom.client.get(link, headers=tom.headers)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 answer"
    assert as_user(cast.owen).get(link).status == 404


@pytest.mark.parametrize("code", ["abc", "3702150000000000", "%00", "37021%E4%B8%80"])
def test_a_ladder_code_that_is_no_county_is_a_404(cast: Cast, as_user, code: str):
    answer = as_user(cast.alice).get(f"/api/v1/supervision/ladders/{code}/")
    assert answer.status == 404 and answer.error["code"] == "not_found"


def test_the_ladder_answers_get_and_put_only(cast: Cast, as_user):
    client = as_user(cast.alice)
    response = client.client.delete(LADDER.format(code=COUNTY), headers=client.headers)
    assert response.status_code == 405 and response["Allow"] == "GET, PUT"


def test_a_form_post_is_a_415_and_issues_nothing(cast: Cast, world: World, as_user):
    client = as_user(cast.alice)
    before = written()
    response = client.client.post(
        TASK_ORDERS.format(pk=world.part_a.pk),
        {"text": "说明", "reply_due": in_days(3)},
        headers=client.headers,
    )
    assert response.status_code == 415
    assert written() == before


def _multipart(client, url: str, data: dict[str, Any]) -> Any:
    from .conftest import Answer

    return Answer(client.client.post(url, data, headers=client.headers))


def test_an_answer_carries_one_file_in_a_multipart_request(
    cast: Cast, world: World, as_user, settings, tmp_path, conforms
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    order = issue(cast, world)
    tom = as_user(cast.tom)
    url = f"{ORDERS}{order.pk}/reply/"
    before = written()
    wrong = _multipart(
        tom, url, {"text": "见附件", "files": [SimpleUploadedFile("run.exe", b"MZ")]}
    )
    assert wrong.status == 400 and "files" in wrong.error["fields"]
    two = [SimpleUploadedFile("a.pdf", b"%PDF-1.4"), SimpleUploadedFile("b.pdf", b"%PDF-1.4")]
    assert _multipart(tom, url, {"text": "见附件", "files": two}).status == 400
    assert _multipart(tom, url, {"files": [SimpleUploadedFile("a.pdf", b"%PDF")]}).status == 400
    assert written() == before
    assert not (tmp_path / "media").exists() or not any(
        p.is_file() for p in (tmp_path / "media").rglob("*")
    )
    sent = _multipart(
        tom, url, {"text": "见附件", "files": [SimpleUploadedFile("整改.pdf", b"%PDF-1.4 x")]}
    )
    assert sent.status == 200, sent
    conforms(sent, "/api/v1/supervision/orders/{pk}/reply/", "post")
    link = sent.json["replies"][0]["attachment"]
    response = tom.client.get(link, headers=tom.headers)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"


def test_null_is_refused_as_null_and_a_text_id_as_not_a_number(cast: Cast, world: World, as_user):
    url = TASK_EXTENSIONS.format(pk=world.part_a.pk)
    answer = as_user(cast.tom).post(url, {"requested_due": None, "reason": None})
    assert answer.status == 400
    assert answer.error["fields"] == {
        "requested_due": ["此项不能为 null。"],
        "reason": ["此项不能为 null。"],
    }, answer.error
    ladder = as_user(cast.alice).send(
        "PUT", LADDER.format(code=COUNTY), {"steps": [{"kind": "reminder", "days": "1"}]}
    )
    assert ladder.status == 400 and list(ladder.error["fields"]) == ["steps.0.days"]

"""The caller's notifications through the API: unread first, the count, marking read;
nobody sees or marks another person's."""

from __future__ import annotations

import datetime as dt

import pytest

from hemei.core import clock
from hemei.core.testing import Cast
from hemei.notifications.models import Notification
from hemei.notifications.services import notify

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
COUNT = "/api/v1/notifications/unread-count/"
READ = "/api/v1/notifications/read/"
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def inbox(cast: Cast, count: int = 3) -> list[Notification]:
    """``count`` messages to tom (an hour apart, the oldest first) and one to owen."""
    for number in range(count):
        with clock.frozen_at(START + dt.timedelta(hours=number)):
            notify(recipients=[cast.tom], kind="reminder", title=f"提醒{number}", email=False)
    notify(recipients=[cast.owen], kind="reminder", title="金口镇提醒", email=False)
    return list(Notification.objects.filter(recipient=cast.tom).order_by("created_at"))


def reads() -> list[tuple[int, bool]]:
    return [(n.pk, n.read_at is not None) for n in Notification.objects.order_by("pk")]


def test_unread_first_then_newest(cast: Cast, as_user, conforms):
    oldest, middle, newest = inbox(cast)
    Notification.objects.filter(pk=newest.pk).update(read_at=clock.now())
    tom = as_user(cast.tom)
    answer = tom.get(LIST)
    assert answer.status == 200
    conforms(answer, LIST, "get")
    assert [n["id"] for n in answer.json["results"]] == [middle.pk, oldest.pk, newest.pk]
    assert answer.json["results"][2]["read_at"] is not None
    unread = tom.get(LIST, {"unread": "true"}).json["results"]
    assert [n["id"] for n in unread] == [middle.pk, oldest.pk]
    assert [n["id"] for n in tom.get(LIST, {"unread": "false"}).json["results"]] == [newest.pk]
    count = tom.get(COUNT)
    assert count.json == {"unread": 2}
    conforms(count, COUNT, "get")
    page = tom.get(LIST, {"page_size": 2, "page": 2}).json
    assert page["count"] == 3 and page["pages"] == 2 and len(page["results"]) == 1


def test_some_or_all_are_marked_read(cast: Cast, as_user, conforms):
    first, second, _third = inbox(cast)
    tom = as_user(cast.tom)
    some = tom.post(READ, {"ids": [first.pk, second.pk]})
    assert some.status == 200 and some.json == {"marked": 2, "unread": 1}
    conforms(some, READ, "post")
    again = tom.post(READ, {"ids": [first.pk]})
    assert again.json == {"marked": 0, "unread": 1}
    every = tom.post(READ, {"all": True})
    assert every.json == {"marked": 1, "unread": 0}
    owens = Notification.objects.get(recipient=cast.owen)
    assert owens.read_at is None  # only tom's were marked


def test_nobody_sees_or_marks_another_persons(cast: Cast, as_user):
    inbox(cast)
    owens = Notification.objects.get(recipient=cast.owen)
    tom = as_user(cast.tom)
    assert owens.pk not in [n["id"] for n in tom.get(LIST).json["results"]]
    before = reads()
    mixed = Notification.objects.filter(recipient=cast.tom).first()
    answer = tom.post(READ, {"ids": [mixed.pk, owens.pk]})
    assert answer.status == 400 and "ids" in answer.error["fields"]
    assert str(owens.pk) in answer.error["fields"]["ids"][0]
    assert reads() == before  # all or nothing: tom's own was not marked either


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "body"),
        ({"ids": [1], "all": True}, "body"),
        ({"all": False}, "body"),
        ({"ids": "all"}, "ids"),
        ({"ids": [0]}, "ids.0"),
        ({"ids": ["1"]}, "ids.0"),
        ({"ids": list(range(1, 1002))}, "ids"),
        ({"all": "yes"}, "all"),
        ({"everything": True}, "everything"),
    ],
)
def test_bad_marking_is_refused_and_changes_nothing(cast: Cast, as_user, body, field):
    inbox(cast)
    tom = as_user(cast.tom)
    before = reads()
    answer = tom.post(READ, body)
    assert answer.status == 400 and field in answer.error["fields"], answer
    assert answer.error["message"]
    assert reads() == before


def test_an_empty_body_marks_nothing(cast: Cast, as_user):
    inbox(cast)
    client = as_user(cast.tom)
    before = reads()
    response = client.client.generic("POST", READ, b"", headers=client.headers)
    assert response.status_code == 400
    assert reads() == before


def test_villagers_read_their_own_notifications(cast: Cast, as_user):
    notify(recipients=[cast.vera], kind="points", title="积分到账", email=False)
    vera = as_user(cast.vera)
    assert [n["title"] for n in vera.get(LIST).json["results"]] == ["积分到账"]
    assert vera.post(READ, {"all": True}).json == {"marked": 1, "unread": 0}


def test_the_refusal_is_in_chinese(cast: Cast, as_user):
    answer = as_user(cast.tom).post(READ, {})
    assert answer.error["fields"]["body"] == ['请发送 ids，或 "all": true，二者选其一。']
    villager = as_user(cast.vera).get("/api/v1/supervision/orders/")
    assert villager.status == 403
    assert villager.error["message"] == "您的角色不能使用这部分接口。"


def test_an_empty_filter_counts_as_absent(cast: Cast, as_user):
    inbox(cast)
    tom = as_user(cast.tom)
    answer = tom.get(LIST, {"unread": ""})
    assert answer.status == 200 and answer.json["count"] == 3

"""The notification centre: notify() in bulk with best-effort e-mail, the inbox (unread first,
mark read, paging), the unread count fragment, and nobody sees another's notifications."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hemei.core import clock
from hemei.core.testing import Cast
from hemei.notifications.models import Notification
from hemei.notifications.services import mark_read, notify, unread_count

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def open(self) -> bool:
        raise ConnectionRefusedError("smtp down")

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("smtp down")


def test_notify_makes_one_notification_per_person_and_mails_those_with_an_address(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast.tom.email = "tom@example.cn"
    cast.tom.save()
    cast.owen.is_active = False
    cast.owen.save()
    with clock.frozen_at(MOMENT), django_capture_on_commit_callbacks(execute=True):
        made = notify(
            recipients=[cast.tom, cast.tom, None, cast.dan, cast.owen],
            kind="reminder",
            title="提醒：任务将到期",
            body="还有3天",
            url="/tasks/1/",
        )
    assert made == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "tom",
        "dan",
    }
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tom@example.cn"] and message.subject == "提醒：任务将到期"
    assert "还有3天" in message.body and "/tasks/1/" in message.body
    assert Notification.objects.get(recipient=cast.tom).emailed_at == MOMENT
    assert Notification.objects.get(recipient=cast.dan).emailed_at is None
    assert notify(recipients=[cast.tom], kind="x", title="t", email=False) == 1
    assert len(mail.outbox) == 1
    assert notify(recipients=[], kind="x", title="t") == 0


def test_no_mail_leaves_before_the_commit_and_none_if_it_rolls_back(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast.tom.email = "tom@example.cn"
    cast.tom.save()
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[cast.tom], kind="reminder", title="提醒")
        assert mail.outbox == []  # not inside the transaction
        raise RuntimeError("the work failed")
    # the block that registered the mail rolled back: Django dropped the callback
    assert callbacks == [] and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.tom], kind="reminder", title="提醒")
    assert [m.to for m in mail.outbox] == [["tom@example.cn"]]


def test_a_mail_failure_is_logged_and_the_notification_stays(
    cast: Cast, settings, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    cast.tom.email = "tom@example.cn"
    cast.tom.save()
    with (
        caplog.at_level(logging.ERROR, logger="hemei.notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notify(recipients=[cast.tom], kind="reminder", title="提醒") == 1
    assert Notification.objects.get().emailed_at is None
    assert "could not be sent" in caplog.text


def _some(cast: Cast, count: int) -> None:
    for n in range(count):
        notify(recipients=[cast.tom], kind="reminder", title=f"通知{n}", email=False)


def test_the_inbox_shows_unread_first_and_marks_read(cast: Cast, client: Client) -> None:
    _some(cast, 3)
    first = Notification.objects.order_by("id").first()
    assert first is not None
    mark_read(user=cast.tom, pks=[Notification.objects.order_by("-id").first().pk])
    client.force_login(cast.tom)
    page = list(client.get("/notifications/").context["page"])
    assert [n.read_at is None for n in page] == [True, True, False]
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302
    assert unread_count(cast.tom) == 1
    assert client.post("/notifications/read-all/").status_code == 302
    assert unread_count(cast.tom) == 0
    unread_only = client.get("/notifications/?show=unread").context["page"]
    assert len(unread_only) == 0


def test_opening_a_notification_marks_it_read_and_follows_only_local_links(
    cast: Cast, client: Client
) -> None:
    notify(recipients=[cast.tom], kind="k", title="a", url="/supervision/", email=False)
    notify(recipients=[cast.tom], kind="k", title="b", url="https://evil.example/", email=False)
    local, foreign = Notification.objects.order_by("id")
    client.force_login(cast.tom)
    assert client.get(f"/notifications/{local.pk}/")["Location"] == "/supervision/"
    assert client.get(f"/notifications/{foreign.pk}/")["Location"] == "/notifications/"
    assert unread_count(cast.tom) == 0


def test_nobody_sees_or_marks_another_persons_notifications(cast: Cast, client: Client) -> None:
    notify(recipients=[cast.tom], kind="k", title="唐涛的通知", email=False)
    notice = Notification.objects.get()
    client.force_login(cast.owen)
    assert "唐涛的通知" not in client.get("/notifications/").content.decode()
    assert client.get(f"/notifications/{notice.pk}/").status_code == 404
    assert client.post(f"/notifications/{notice.pk}/read/").status_code == 404
    client.post("/notifications/read-all/")
    notice.refresh_from_db()
    assert notice.read_at is None


def test_anonymous_visitors_go_to_login_and_get_an_empty_count(client: Client, cast: Cast) -> None:
    for url in ("/notifications/", "/notifications/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post("/notifications/read-all/").status_code == 302
    response = client.get("/notifications/unread/")
    assert response.status_code == 200 and response.content == b""


def test_an_account_without_a_role_is_refused_as_by_the_api(cast: Cast, client: Client) -> None:
    """The policy opens notifications to the roles (the API answers nora 403 no_role); the
    top bar's count, which an account without a role has no top bar for, stays empty."""
    client.force_login(cast.nora)
    assert client.get("/notifications/").status_code == 403
    assert client.post("/notifications/read-all/").status_code == 403
    response = client.get("/notifications/unread/")
    assert response.status_code == 200 and response.content == b""


def test_the_unread_count_fragment(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    body = client.get("/notifications/unread/").content.decode()
    assert 'href="/notifications/"' in body and "unread-count" not in body
    _some(cast, 2)
    body = client.get("/notifications/unread/").content.decode()
    assert '<span class="tag unread-count"' in body and ">2</span>" in body
    assert 'hx-get="/notifications/unread/"' in body


def test_the_inbox_pages_and_its_query_count_does_not_grow(
    cast: Cast, client: Client, settings
) -> None:
    settings.PAGE_SIZE = 20
    client.force_login(cast.tom)
    _some(cast, 3)
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    _some(cast, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/notifications/?page=2")
    assert len(response.context["page"]) == 20
    assert response.context["page"].paginator.num_pages == 3
    assert len(many) == len(few) <= 6

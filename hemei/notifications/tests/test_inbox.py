"""The unread notice stands out, the read one is quiet."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.core.testing import Cast
from hemei.notifications.services import mark_read, notify

pytestmark = pytest.mark.django_db


def test_unread_is_marked_and_read_is_muted(cast: Cast, client: Client) -> None:
    notify(recipients=[cast.tom], kind="reminder", title="甲任务即将到期", email=False)
    notify(recipients=[cast.tom], kind="reminder", title="乙任务即将到期", email=False)
    read = cast.tom.notifications.order_by("pk").first()
    mark_read(user=cast.tom, pks=[read.pk])
    client.force_login(cast.tom)
    page = client.get("/notifications/").content.decode()
    assert '<span class="tag closed">未读</span>' in page
    assert '<span class="muted">已读</span>' in page


def test_read_notices_follow_newest_first_not_by_when_they_were_read(cast: Cast, client: Client):
    import datetime as dt

    from hemei.core import clock

    for day, title in ((1, "一号"), (2, "二号"), (3, "三号")):
        with clock.frozen_at(dt.datetime(2026, 11, day, 9, tzinfo=dt.UTC)):
            notify(recipients=[cast.tom], kind="reminder", title=title, email=False)
    by_title = {n.title: n.pk for n in cast.tom.notifications.all()}
    with clock.frozen_at(dt.datetime(2026, 11, 5, 9, tzinfo=dt.UTC)):
        mark_read(user=cast.tom, pks=[by_title["一号"]])
    with clock.frozen_at(dt.datetime(2026, 11, 6, 9, tzinfo=dt.UTC)):
        mark_read(user=cast.tom, pks=[by_title["三号"]])
    client.force_login(cast.tom)
    titles = [n.title for n in client.get("/notifications/").context["page"]]
    assert titles == ["二号", "三号", "一号"]

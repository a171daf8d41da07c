"""Found by reading the inbox on a phone: the unread notice stands out, the read one is quiet."""

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

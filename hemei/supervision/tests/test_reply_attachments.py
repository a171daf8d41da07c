"""A long Chinese file name is cut
to what a file system takes, not a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hemei.core.testing import Cast
from hemei.supervision import services
from hemei.supervision.models import OrderReply
from hemei.tasks.models import Task

from .conftest import DUE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_long_chinese_file_name_is_cut_and_keeps_its_type(
    cast: Cast, task: Task, client: Client
) -> None:
    order = services.issue_order(
        task=task, actor=cast.alice, text="请反馈进展", reply_due=DUE + dt.timedelta(days=30)
    )
    client.force_login(cast.tom)
    name = "关于村庄清洁行动推进情况的说明" * 12 + ".txt"
    response = client.post(
        f"/supervision/orders/{order.pk}/",
        {"action": "reply", "text": "已开工", "attachment": SimpleUploadedFile(name, b"x")},
    )
    assert response.status_code == 302
    reply = OrderReply.objects.get(order=order)
    stored = reply.attachment.name.rsplit("/", 1)[-1]
    assert stored.endswith(".txt") and len(stored.encode()) < 255
    assert stored.startswith("关于村庄清洁行动推进情况的说明")


def test_a_closed_order_reads_as_settled_not_revoked(
    cast: Cast, task: Task, client: Client
) -> None:
    order = services.issue_order(
        task=task, actor=cast.alice, text="请反馈进展", reply_due=DUE + dt.timedelta(days=30)
    )
    services.reply_to_order(order=order, actor=cast.tom, text="已完成整改")
    services.close_order(order=order, actor=cast.alice)
    client.force_login(cast.alice)
    for url in (f"/supervision/orders/{order.pk}/", "/supervision/?state=closed"):
        page = client.get(url).content.decode()
        assert "已办结" in page and "已撤销" not in page

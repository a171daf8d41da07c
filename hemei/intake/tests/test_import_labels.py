"""Once imported, the rows
just created are not labelled "already there"."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.core.testing import Cast
from hemei.tasks.models import Task

from ..models import TableUpload
from .helpers import units
from .test_decomposition import clean_table, upload

pytestmark = pytest.mark.django_db


def test_the_imported_table_does_not_call_its_new_tasks_already_there(cast: Cast, client: Client):
    units(cast)
    client.force_login(cast.alice)
    upload(client, clean_table())
    stored = TableUpload.objects.get()
    assert (
        '<span class="tag">新建</span>'
        in client.get(f"/intake/decomposition/{stored.pk}/").content.decode()
    )
    done = client.post(f"/intake/decomposition/{stored.pk}/confirm/")
    assert Task.objects.count() == 3
    page = client.get(done["Location"]).content.decode()
    assert "已导入" in page
    assert (
        '<span class="tag">已存在</span>' not in page
        and '<span class="tag">新建</span>' not in page
    )


def test_a_review_missing_deadlines_says_so_above_the_rows_and_creates_nothing(
    cast: Cast, client: Client
) -> None:
    from hemei.meetings.models import Meeting

    from .test_report import paste, review_data

    units(cast)
    client.force_login(cast.tom)
    response = paste(client)
    data = review_data(client.get(response["Location"]))
    total = int(data["d-TOTAL_FORMS"])
    for index in range(total):
        data[f"d-{index}-keep"] = "on"
        data[f"d-{index}-due_on"] = ""
    answer = client.post(response["Location"], data)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert f"下方工作要求中有 {total} 处问题" in page
    assert "尚未创建任何内容" in page
    assert Meeting.objects.count() == 0


def test_the_people_table_heads_names_as_a_persons(cast: Cast, client: Client) -> None:
    from .test_report import paste

    client.force_login(cast.tom)
    response = paste(client)
    page = client.get(response["Location"]).content.decode()
    assert "<th>姓名</th>" in page

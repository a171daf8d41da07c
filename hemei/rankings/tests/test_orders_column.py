"""The column counts orders, and
the shared word for "Supervision orders" (督办单) alone reads like a list of them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from hemei.core import clock
from hemei.core.testing import Cast

from .test_pages import NOV_23, ranking_url, runs  # noqa: F401  (the shared fixture)

pytestmark = pytest.mark.django_db


def test_the_orders_column_reads_as_a_count(runs: Any, cast: Cast, client: Client) -> None:  # noqa: F811
    client.force_login(cast.alice)
    with clock.frozen_at(NOV_23):
        page = client.get(ranking_url()).content.decode()
        response = client.get(ranking_url(export="xlsx"))
    assert '<th class="num">督办单数</th>' in page
    sheet = load_workbook(
        io.BytesIO(
            b"".join(response.streaming_content if response.streaming else [response.content])
        )
    ).active
    assert "督办单数" in [cell.value for cell in sheet[1]]

"""The case and decision-record list pages filter by area (a division code prefix)."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.core.testing import TOWN_A, Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/cases/", "/procedures/decisions/"])
def test_the_area_filter_answers(cast: Cast, url: str) -> None:
    client = Client()
    client.force_login(cast.tom)
    assert client.get(url, {"area": TOWN_A}).status_code == 200
    assert client.get(url, {"area": TOWN_A, "export": "xlsx"}).status_code == 200

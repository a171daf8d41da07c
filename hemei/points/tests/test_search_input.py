"""A NUL character in a search box is ignored, not a database error (a 500
on PostgreSQL, which refuses NUL in a string)."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.core.testing import VILLAGE_A, Cast

from .conftest import Village

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/points/?q=",
        f"/points/v/{VILLAGE_A}/entries/?q=",
        f"/points/v/{VILLAGE_A}/ledger/?q=",
    ],
)
def test_a_nul_in_a_search_is_no_500(
    url: str, cast: Cast, village: Village, client: Client
) -> None:
    client.force_login(cast.tom)
    assert client.get(url + "a%00b").status_code == 200

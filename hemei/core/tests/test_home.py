import pytest
from django.test import Client

from hemei.core.testing import Cast

pytestmark = pytest.mark.django_db


def test_a_villager_lands_on_their_household_points(cast: Cast, client: Client) -> None:
    client.force_login(cast.vera)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/points/me/"


def test_officials_land_on_the_home_page_with_their_open_work(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    response = client.get("/")
    assert response.status_code == 200
    assert "summary" in response.context

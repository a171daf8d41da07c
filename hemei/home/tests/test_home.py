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


def test_the_menu_offers_reviews_to_reviewers_and_reports_to_reporters(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.victor)  # a village official reports, never reviews
    page = client.get("/tasks/").content.decode()
    assert "/progress/mine/" in page and "/progress/review/" not in page
    client.force_login(cast.alice)  # the county office reviews, and reports on county tasks
    page = client.get("/tasks/").content.decode()
    assert "/progress/review/" in page and "/progress/mine/" in page
    client.force_login(cast.tom)  # a town official does both
    page = client.get("/tasks/").content.decode()
    assert "/progress/review/" in page and "/progress/mine/" in page

"""Catalogue pages answer refusals on the page, in Chinese, and never write on a GET."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.catalogue.models import Catalogue
from hemei.catalogue.samples import adopted_catalogue
from hemei.core.testing import VILLAGE_A, Cast

pytestmark = pytest.mark.django_db


def test_a_refused_publish_is_shown_on_the_version_page(cast: Cast, client: Client) -> None:
    version = adopted_catalogue(cast.alice, VILLAGE_A)
    client.force_login(cast.alice)
    answer = client.post(f"/catalogue/versions/{version.pk}/publish/")
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "只有范本可以发布" in page and "临时救助申请" in page  # the items are still listed


def test_a_villages_catalogue_is_created_by_a_post_not_by_opening_a_page(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.victor)
    assert client.get(f"/catalogue/village/{VILLAGE_A}/").status_code == 405
    assert not Catalogue.objects.exists()
    answer = client.post(f"/catalogue/village/{VILLAGE_A}/")
    catalogue = Catalogue.objects.get(division_id=VILLAGE_A)
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{catalogue.pk}/")

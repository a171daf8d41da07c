"""A villager looking at another household's entry in public notice saw
that household's evidence photos; the notice publishes the entry, not the household's files."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.core.testing import Cast

from .. import services
from ..models import Entry
from .conftest import Village
from .factories import approved, item, photo

pytestmark = pytest.mark.django_db


def _noticed_with_photo(cast: Cast, village: Village, home) -> Entry:  # type: ignore[no-untyped-def]
    entry = services.record_entry(
        actor=cast.victor,
        household=home,
        item=item(village.rules, "B1"),
        occurred_on=village.rules.in_force_from,
        description="救人",
        files=[photo()],
    )
    return approved(cast.victor, entry)


def test_another_households_evidence_stays_with_the_officials(
    cast: Cast, village: Village, client: Client
) -> None:
    entry = _noticed_with_photo(cast, village, village.wang)
    evidence = entry.evidence.get()
    url = f"/points/entries/{entry.pk}/evidence/{evidence.pk}/"
    client.force_login(cast.vera)  # a villager of the village, not of household 002
    page = client.get(f"/points/entries/{entry.pk}/")
    assert page.status_code == 200 and url not in page.content.decode()
    assert client.get(url).status_code == 404
    client.force_login(cast.victor)
    assert url in client.get(f"/points/entries/{entry.pk}/").content.decode()
    assert client.get(url).status_code == 200


def test_the_household_sees_its_own_evidence(cast: Cast, village: Village, client: Client) -> None:
    entry = _noticed_with_photo(cast, village, village.vera_home)
    url = f"/points/entries/{entry.pk}/evidence/{entry.evidence.get().pk}/"
    client.force_login(cast.vera)
    assert url in client.get(f"/points/entries/{entry.pk}/").content.decode()
    assert client.get(url).status_code == 200

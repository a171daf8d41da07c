"""The default catalogue of 即墨区, followed by 红花山村 from 2026-01-01."""

from __future__ import annotations

import datetime as dt

import pytest

from hemei.core import clock
from hemei.core.testing import COUNTY, VILLAGE_A, Cast
from hemei.disclosure import services
from hemei.disclosure.defaults import default_items
from hemei.disclosure.models import CatalogueItem
from hemei.divisions.models import Division

START = dt.date(2026, 1, 1)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """A moment on ``day`` in Shanghai (UTC+8)."""
    return dt.datetime(day.year, day.month, day.day, max(hour - 8, 0), tzinfo=dt.UTC)


def load_defaults(actor, code: str = COUNTY, valid_from: dt.date = START) -> list[CatalogueItem]:
    division = Division.objects.get(code=code)
    made = []
    for item in default_items(valid_from):
        values = {name: getattr(item, name) for name in services.ITEM_FIELDS}
        made.append(services.save_item(actor=actor, division=division, rule=item.rule(), **values))
    return made


@pytest.fixture
def catalogue(cast: Cast) -> list[CatalogueItem]:
    with clock.frozen_at(at(dt.date(2025, 12, 20))):
        items = load_defaults(cast.alice)
        services.adopt(actor=cast.tom, village=Division.objects.get(code=VILLAGE_A), since=START)
    return items

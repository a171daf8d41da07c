"""Settling an earlier year after a later one would take the same points
away twice under "reset"; years are settled in order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division

from .. import ledger, services
from ..models import Balance, Settlement
from .conftest import Village
from .factories import effective, item

pytestmark = pytest.mark.django_db


def test_an_earlier_year_cannot_be_settled_after_a_later_one(cast: Cast, village: Village) -> None:
    division = Division.objects.get(code=VILLAGE_A)
    services.update_settings(actor=cast.victor, village=division, settlement_mode="reset")
    entry = services.record_entry(
        actor=cast.victor,
        household=village.wang,
        item=item(village.rules, "A1"),
        occurred_on=dt.date(2026, 6, 1),
        description="整洁",
    )
    effective(cast.victor, entry)
    with clock.frozen_at(dt.datetime(2028, 1, 2, tzinfo=dt.UTC)):
        services.settle_year(actor=cast.victor, village=division, year=2027)
        with pytest.raises(ValidationError, match="2027"):
            services.settle_year(actor=cast.victor, village=division, year=2026)
    assert list(Settlement.objects.values_list("year", flat=True)) == [2027]
    assert Balance.objects.get(household=village.wang).points == 0
    assert ledger.verify().ok

"""The circular names the last places by rank, ties included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hemei.core import clock
from hemei.core.testing import COUNTY
from hemei.divisions.models import Division
from hemei.rankings.models import RankingRow, RankingRun
from hemei.rankings.selectors import circular_data

pytestmark = pytest.mark.django_db


def test_towns_tied_at_the_bottom_are_all_named(cast) -> None:  # type: ignore[no-untyped-def]
    towns = list(Division.objects.filter(level=4).within(COUNTY).order_by("code")[:7])
    run = RankingRun.objects.create(
        county_id=COUNTY,
        scope_id=COUNTY,
        period_kind="month",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        as_of=dt.date(2026, 11, 1),
        computed_at=clock.now(),
    )
    ranks = [1, 2, 3, 4, 4, 4, 4]  # four tied for last: all four are named, not three
    for town, rank in zip(towns, ranks, strict=True):
        RankingRow.objects.create(
            run=run, division=town, rank=rank, score=Decimal(100 - rank), due_count=1
        )
    text = "\n".join(
        circular_data(
            run, document_number="即振办〔2026〕1号", issued_on=dt.date(2026, 11, 2)
        ).summary
    )
    bottom = text.splitlines()[-1].split("。")[1]
    assert "排名靠后" in bottom
    assert all(town.name in bottom for town in towns[3:])
    assert not any(town.name in bottom for town in towns[:3])

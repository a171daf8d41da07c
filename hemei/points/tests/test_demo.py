"""The demo: a year of points in three villages, with chains that verify."""

from __future__ import annotations

import pytest

from hemei import demo as hemei_demo
from hemei.accounts.models import User

from .. import demo, ledger
from ..choices import EntryState
from ..models import Entry, Objection, Redemption, RuleVersion
from .factories import household

pytestmark = pytest.mark.django_db


def test_the_demo_fills_three_villages_with_a_year_of_points() -> None:
    hemei_demo._load_people()
    villager = User.objects.get(username="villager")
    for code in demo.VILLAGES:
        for number in range(1, 13):
            household(
                code,
                f"{number:03d}",
                f"村民{number}",
                user=villager if (code, number) == (demo.VILLAGES[0], 8) else None,
            )
    demo.load()
    assert RuleVersion.objects.filter(state="adopted").count() == 3
    for code in demo.VILLAGES:
        states = set(Entry.objects.filter(village_id=code).values_list("state", flat=True))
        assert {EntryState.EFFECTIVE, EntryState.IN_NOTICE} <= states
        assert Entry.objects.filter(village_id=code, state=EntryState.EFFECTIVE).count() > 50
    assert Objection.objects.filter(raised_by=villager).count() == 1
    assert Redemption.objects.exists()
    report = ledger.verify()
    assert report.ok and report.villages == 3

"""The demo: a year of points in four villages of both demo towns, with chains that verify."""

from __future__ import annotations

import pytest

from hemei import demo as hemei_demo
from hemei.accounts.models import User
from hemei.notices.models import NoticeObjection as Objection

from .. import demo, ledger
from ..choices import EntryState
from ..models import Entry, Redemption, RuleItem, RuleVersion
from .factories import household

pytestmark = pytest.mark.django_db


def test_the_demo_fills_four_villages_of_both_towns_with_a_year_of_points() -> None:
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
    assert RuleVersion.objects.filter(state="adopted").count() == 4
    templates = RuleVersion.objects.filter(rule_set__is_template=True, state="published")
    assert set(templates.values_list("rule_set__division_id", flat=True)) == set(demo.TOWNS)
    assert Entry.objects.filter(village__code__startswith="370215101").exists()  # 金口镇
    assert not RuleItem.objects.filter(version__rule_set__division_id="370215101230", code="G1")
    for code in demo.VILLAGES:
        states = set(Entry.objects.filter(village_id=code).values_list("state", flat=True))
        assert {EntryState.EFFECTIVE, EntryState.IN_NOTICE} <= states
        assert Entry.objects.filter(village_id=code, state=EntryState.EFFECTIVE).count() > 50
    assert Objection.objects.filter(raised_by=villager).count() == 1
    assert Redemption.objects.exists()
    report = ledger.verify()
    assert report.ok and report.villages == 4

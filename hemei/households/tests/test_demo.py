"""The demo register loads fast, is valid, and links the demo villager."""

from __future__ import annotations

import pytest

from hemei.accounts.models import RoleAssignment, User
from hemei.core.testing import TOWN_B, VILLAGE_A
from hemei.households import demo, selectors
from hemei.households.models import Household, HouseholdEvent, Resident
from hemei.households.validators import validate_id_number, validate_phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people(cast):
    official = User.objects.create_user(username="honghuashan", password="x", division_id=VILLAGE_A)
    RoleAssignment.objects.create(user=official, role="village_official", division_id=VILLAGE_A)
    villager = User.objects.create_user(
        username="villager",
        password="x",
        full_name="陈秀英",
        phone="13905320007",
        division_id=VILLAGE_A,
    )
    RoleAssignment.objects.create(user=villager, role="villager", division_id=VILLAGE_A)
    return villager


def test_the_demo_register(demo_people):
    demo.load()  # (its speed is a benchmark figure, not a test: no test times)
    assert Household.objects.count() == 63  # sixty-two, and one split off
    assert Household.objects.filter(village_id=VILLAGE_A).count() == 21
    assert Household.objects.values("village_id").distinct().count() == 5
    assert Household.objects.filter(village__code__startswith=TOWN_B).count() == 12  # 金口镇
    assert not Household.objects.filter(head__isnull=True).exists()
    for resident in Resident.objects.all():
        validate_id_number(resident.id_number)
        if resident.phone:
            validate_phone(resident.phone)
    assert (
        Resident.objects.filter(relation="head", is_active=True).count()
        == Household.objects.active().count()
    )
    household = selectors.household_of(demo_people)
    assert household is not None and household.village_id == VILLAGE_A
    assert household.members.get(user=demo_people).name == "陈秀英"
    kinds = set(HouseholdEvent.objects.values_list("kind", flat=True))
    assert {"create", "split", "head_change", "merge", "move_out"} <= kinds
    demo.load()
    assert Household.objects.count() == 63

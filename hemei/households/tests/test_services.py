"""Writing the register: scope, validation, audit, and household changes as dated events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.accounts.models import AuditEntry
from hemei.core import clock
from hemei.core.testing import TOWN_A, VILLAGE_A, VILLAGE_B
from hemei.divisions.models import Division
from hemei.households import selectors, services
from hemei.households.models import Household, HouseholdEvent, Resident, SensitiveView
from hemei.households.tests.factories import fake_id, make_household, person

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)


@pytest.fixture
def village():
    return Division.objects.get(code=VILLAGE_A)


@pytest.fixture
def home(cast, village):
    return make_household(cast.victor, village)


def kinds(household):
    return list(household.events.order_by("id").values_list("kind", flat=True))


def test_it_registers_a_household_with_its_head_and_audits_it(cast, home):
    assert home.head.name == "王建国001" and home.head.relation == "head"
    assert home.members.count() == 3
    assert kinds(home) == ["create", "member_add", "member_add"]
    assert AuditEntry.objects.filter(division_code=VILLAGE_A).count() == 4
    trail = " ".join(str(e.changes) for e in AuditEntry.objects.all())
    assert home.head.id_number not in trail and "13900000001" not in trail
    assert "139****0001" in trail


def test_it_fills_birth_date_and_gender_from_the_id_number(home):
    spouse = home.members.get(relation="spouse")
    assert spouse.birth_date == dt.date(1967, 5, 6) and spouse.gender == "female"


def test_it_refuses_a_village_official_of_another_village(cast, home):
    other = Division.objects.get(code=VILLAGE_B)
    with pytest.raises(PermissionDenied):
        services.create_household(actor=cast.victor, village=other, number="9", head=person("甲"))
    with pytest.raises(PermissionDenied):
        services.move_out_household(actor=cast.owen, household=home)
    for reader in (cast.lily, cast.vera, cast.dan, cast.nora):
        with pytest.raises(PermissionDenied):
            services.add_member(actor=reader, household=home, **person("乙"))
    # Above the village: the town official and the county admin may write.
    services.add_member(actor=cast.tom, household=home, **person("孙一"))
    services.add_member(actor=cast.alice, household=home, **person("孙二"))


def test_it_refuses_a_town_as_village(cast):
    with pytest.raises(ValidationError):
        services.create_household(
            actor=cast.tom, village=Division.objects.get(code=TOWN_A), number="1", head=person("甲")
        )


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"name": ""}, "name"),
        ({"id_number": "370215198001011236"}, "id_number"),
        ({"phone": "12345"}, "phone"),
        ({"relation": "cousin"}, "relation"),
        ({"birth_date": dt.date(2099, 1, 1)}, "birth_date"),
    ],
)
def test_it_names_the_bad_field_and_writes_nothing(cast, home, fields, key):
    before = (Resident.objects.count(), AuditEntry.objects.count(), HouseholdEvent.objects.count())
    with pytest.raises(ValidationError) as raised:
        services.add_member(actor=cast.victor, household=home, **{**person("赵六"), **fields})
    assert key in raised.value.message_dict
    after = (Resident.objects.count(), AuditEntry.objects.count(), HouseholdEvent.objects.count())
    assert after == before


def test_an_id_number_is_registered_once_per_village(cast, home, village):
    taken = home.head.id_number
    with pytest.raises(ValidationError) as raised:
        services.add_member(actor=cast.victor, household=home, **person("重复", id_number=taken))
    assert "id_number" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.create_household(
            actor=cast.victor, village=village, number="002", head=person("重复", id_number=taken)
        )
    # Another village may hold the same person (a different register).
    services.create_household(
        actor=cast.tom,
        village=Division.objects.get(code="370215100219"),
        number="1",
        head=person("重复", id_number=taken),
    )


def test_household_numbers_are_unique_per_village(cast, home, village):
    with pytest.raises(ValidationError) as raised:
        services.create_household(
            actor=cast.victor, village=village, number="001", head=person("甲")
        )
    assert "number" in raised.value.message_dict


def test_it_changes_the_head_as_an_event(cast, home):
    old = home.head
    son = home.members.get(relation="child")
    services.change_head(
        actor=cast.victor, household=home, new_head=son, former_head_relation="parent", date=DAY
    )
    home.refresh_from_db()
    old.refresh_from_db()
    assert home.head == son and old.relation == "parent"
    event = home.events.get(kind="head_change")
    assert event.date == DAY and event.actor == cast.victor
    assert event.details["from"]["name"] == old.name and event.details["to"]["id"] == son.pk


def test_it_splits_a_household(cast, home):
    son = home.members.get(relation="child")
    wife = services.add_member(actor=cast.victor, household=home, **person("儿媳", "other"))
    new = services.split_household(
        actor=cast.victor,
        household=home,
        members=[son, wife],
        new_head=son,
        relations={wife.pk: "spouse"},
        new_number="001-1",
        date=DAY,
    )
    son.refresh_from_db()
    wife.refresh_from_db()
    assert new.head == son and son.relation == "head" and wife.relation == "spouse"
    assert set(new.members.all()) == {son, wife}
    assert home.members.count() == 2 and home.is_active
    assert home.events.get(kind="split").related_household == new
    assert new.events.get(kind="split").related_household == home
    assert {m["name"] for m in new.events.get().details["members"]} == {son.name, wife.name}


def test_a_split_keeps_the_head_and_one_member(cast, home):
    son = home.members.get(relation="child")
    with pytest.raises(ValidationError):
        services.split_household(
            actor=cast.victor,
            household=home,
            members=[home.head],
            new_head=home.head,
            new_number="x",
        )
    with pytest.raises(ValidationError):
        services.split_household(
            actor=cast.victor, household=home, members=[son], new_head=son, new_number="001"
        )
    assert Household.objects.count() == 1


def test_it_merges_households(cast, home, village):
    other = make_household(cast.victor, village, number="002")
    moving = set(other.members.values_list("pk", flat=True))
    services.merge_households(actor=cast.victor, source=other, target=home, date=DAY)
    other.refresh_from_db()
    assert not other.is_active and other.ended_on == DAY
    assert moving <= set(home.members.values_list("pk", flat=True))
    assert home.members.filter(relation="head").count() == 1
    assert home.events.get(kind="merge").related_household == other
    assert other.events.get(kind="merge").details["into"] == "001"
    assert Household.objects.active().count() == 1
    with pytest.raises(ValidationError):
        services.add_member(actor=cast.victor, household=other, **person("甲"))


def test_it_moves_out_a_member_and_a_household(cast, home):
    son = home.members.get(relation="child")
    with pytest.raises(ValidationError):
        services.remove_member(actor=cast.victor, resident=home.head)
    services.remove_member(actor=cast.victor, resident=son, moved_out=True, date=DAY)
    son.refresh_from_db()
    assert not son.is_active and son.left_on == DAY
    services.move_out_household(actor=cast.victor, household=home, date=DAY)
    home.refresh_from_db()
    assert not home.is_active and not home.members.filter(is_active=True).exists()
    assert kinds(home)[-2:] == ["move_out", "move_out"]


def test_a_returning_person_is_matched_by_id_number(cast, home):
    son = home.members.get(relation="child")
    services.remove_member(actor=cast.victor, resident=son, moved_out=True, date=DAY)
    back = services.add_member(
        actor=cast.victor,
        household=home,
        moved_in=True,
        **person("王磊", "child", id_number=son.id_number),
    )
    assert back.pk == son.pk and back.is_active and back.name == "王磊"


def test_dates_cannot_be_in_the_future(cast, home):
    with (
        clock.frozen_at(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)),
        pytest.raises(ValidationError),
    ):
        services.move_out_household(actor=cast.victor, household=home, date=dt.date(2027, 1, 1))


def test_events_are_history_not_overwrites(cast, home, village):
    son = home.members.get(relation="child")
    services.change_head(
        actor=cast.victor, household=home, new_head=son, former_head_relation="parent"
    )
    services.change_head(
        actor=cast.victor, household=home, new_head=home.members.get(relation="parent")
    )
    names = [e.details["to"]["name"] for e in home.events.filter(kind="head_change")]
    assert names == [son.name, "王建国001"]


def test_household_of_a_linked_villager(cast, home):
    assert selectors.household_of(cast.vera) is None
    services.link_account(
        actor=cast.victor, resident=home.members.get(relation="spouse"), user=cast.vera
    )
    assert selectors.household_of(cast.vera) == home
    services.move_out_household(actor=cast.victor, household=home)
    assert selectors.household_of(cast.vera) is None


def test_reveal_logs_every_full_view(cast, home):
    head = home.head
    assert services.reveal(actor=cast.victor, resident=head, field="id_number") == head.id_number
    assert services.reveal(actor=cast.alice, resident=head, field="phone") == "13900000001"
    for viewer in (cast.lily, cast.owen, cast.vera, cast.nora):
        with pytest.raises(PermissionDenied):
            services.reveal(actor=viewer, resident=head, field="id_number")
    log = list(SensitiveView.objects.order_by("id").values_list("viewer__username", "field"))
    assert log == [("victor", "id_number"), ("alice", "phone")]


def test_the_readable_register_by_role(cast, home):
    readable = {
        u: Household.objects.restrict(getattr(cast, u), "browse").count()
        for u in vars(cast)
        if u != "unit"
    }
    assert readable == {
        "alice": 1,
        "lily": 1,
        "dan": 0,
        "tom": 1,
        "victor": 1,
        "vera": 0,
        "owen": 0,
        "nora": 0,
    }


def test_fake_ids_are_valid():
    from hemei.households.validators import validate_id_number

    assert validate_id_number(fake_id()) and validate_id_number(fake_id(male=False))


def test_events_and_full_view_records_are_never_edited(cast, home):
    event = home.events.first()
    event.note = "改写"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    services.reveal(actor=cast.victor, resident=home.head, field="phone")
    view = SensitiveView.objects.get()
    with pytest.raises(ValueError):
        view.save()
    assert HouseholdEvent.objects.get(pk=event.pk).note == ""


def test_the_audit_trail_never_holds_a_protected_value(cast, home):
    head = home.head
    new_id = fake_id(dt.date(1965, 3, 2))
    services.update_resident(
        actor=cast.victor, resident=head, id_number=new_id, phone="13711112222"
    )
    entry = AuditEntry.objects.filter(object_id=str(head.pk)).order_by("-id").first()
    assert set(entry.changes) >= {"id_number", "phone"}
    trail = " ".join(str(e.changes) for e in AuditEntry.objects.all())
    for secret in (new_id, head.id_number, "13711112222", "13900000001"):
        assert secret not in trail
    assert "137****2222" in trail

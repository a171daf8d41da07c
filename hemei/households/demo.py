"""Demo register: village groups and about sixty households in four villages of 田横镇 and
one of 金口镇 (金口村), so both demo towns have a register (and points, in the points demo).

Names are invented, identity numbers are fake (valid check digit, 即墨区 region code), and
the demo villager 陈秀英 is a member of household 008 of 红花山村. Rows are bulk-created
for speed; a few changes (split, merge, change of head, move-out) go through the services so
that the history pages have something to show.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from hemei.accounts.models import User
from hemei.core import clock
from hemei.divisions.models import Division

from . import crypto, services
from .choices import EventKind, Gender, Relation
from .models import Household, HouseholdEvent, Resident, VillageGroup
from .validators import id_check_digit

#: village code → (number of groups, number of households)
VILLAGES = {
    "370215100214": (4, 20),  # 红花山村
    "370215100219": (3, 12),  # 高埠村
    "370215100231": (3, 10),  # 丰山村
    "370215100228": (2, 8),  # 卧龙新村
    "370215101230": (3, 12),  # 金口村, 金口镇
}
SURNAMES = "王李张刘孙于姜周陈杨林高黄赵宋徐郭韩纪蓝".replace("", " ").split()
MALE = [
    "建国",
    "志强",
    "海涛",
    "立新",
    "洪波",
    "德胜",
    "春生",
    "国庆",
    "永刚",
    "明亮",
    "文杰",
    "宝山",
    "长江",
    "振华",
    "子豪",
    "浩然",
    "宇航",
    "俊杰",
]
FEMALE = [
    "秀兰",
    "桂芝",
    "玉梅",
    "淑珍",
    "凤英",
    "春燕",
    "丽娟",
    "海燕",
    "晓红",
    "美玲",
    "雪梅",
    "欣怡",
    "雨涵",
    "子涵",
    "梓萱",
    "思彤",
]
GROUP_NAMES = ["第一村民小组", "第二村民小组", "第三村民小组", "第四村民小组", "第五村民小组"]
VILLAGER_HOUSEHOLD = "008"
STARTED = dt.date(2024, 1, 5)


class _People:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def id_number(self, birth: dt.date, gender: str) -> str:
        while True:
            seq = self.random.randrange(0, 999)
            seq = seq - seq % 2 + (1 if gender == Gender.MALE else 0)
            first17 = f"370215{birth:%Y%m%d}{seq:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = f"1{self.random.choice('35789')}{self.random.randrange(10**9):09d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def birth(self, year: int) -> dt.date:
        return dt.date(year, self.random.randrange(1, 13), self.random.randrange(1, 29))

    def given(self, gender: str) -> str:
        return self.random.choice(MALE if gender == Gender.MALE else FEMALE)

    def person(
        self, surname: str, gender: str, year: int, relation: str, phone: bool = False
    ) -> dict[str, object]:
        birth = self.birth(year)
        return {
            "name": surname + self.given(gender),
            "gender": gender,
            "birth_date": birth,
            "id_number": self.id_number(birth, gender),
            "phone": self.phone() if phone else "",
            "relation": relation,
        }

    def family(self, surname: str) -> list[dict[str, object]]:
        pick = self.random
        head_year = pick.randrange(1948, 1990)
        members = [self.person(surname, Gender.MALE, head_year, Relation.HEAD, phone=True)]
        if pick.random() < 0.9:
            members.append(
                self.person(
                    pick.choice(SURNAMES),
                    Gender.FEMALE,
                    head_year + pick.randrange(-1, 4),
                    Relation.SPOUSE,
                    phone=pick.random() < 0.5,
                )
            )
        for _ in range(pick.choice([0, 1, 1, 2, 2, 3])):
            year = head_year + pick.randrange(22, 34)
            if year <= 2024:
                gender = pick.choice([Gender.MALE, Gender.FEMALE])
                members.append(self.person(surname, gender, year, Relation.CHILD))
        if head_year > 1975 and pick.random() < 0.35:
            members.append(self.person(surname, Gender.FEMALE, head_year - 27, Relation.PARENT))
        if head_year < 1962 and pick.random() < 0.5:
            members.append(
                self.person(surname, pick.choice(list(Gender)), head_year + 52, Relation.GRANDCHILD)
            )
        return members


def load() -> None:
    if VillageGroup.objects.filter(village_id="370215100214").exists():
        return
    official = User.objects.filter(username="honghuashan").first()
    people = _People(seed=2026)
    heads: list[tuple[Household, Resident]] = []
    with transaction.atomic():
        for code, (group_count, household_count) in VILLAGES.items():
            if not Division.objects.filter(code=code).exists():
                continue
            keeper = _keeper(code) or official
            heads += _load_village(code, group_count, household_count, people, keeper)
        Household.objects.bulk_update([h for h, _ in heads], ["head"])
        _link_villager(people)
    if official is not None:
        _history(official)


def _keeper(code: str) -> User | None:
    """Who set up the village's register: its own official, else its town's."""
    from hemei.accounts.models import RoleAssignment

    grant = (
        RoleAssignment.objects.filter(
            division_id__in=[code, code[:9]], role__in=["village_official", "town_official"]
        )
        .select_related("user")
        .order_by("-division_id", "id")
        .first()
    )
    return grant.user if grant is not None else None


def _load_village(
    code: str, group_count: int, household_count: int, people: _People, official: User | None
) -> list[tuple[Household, Resident]]:
    groups = VillageGroup.objects.bulk_create(
        VillageGroup(village_id=code, name=name, number=index)
        for index, name in enumerate(GROUP_NAMES[:group_count], start=1)
    )
    households = Household.objects.bulk_create(
        Household(
            village_id=code,
            group=groups[index % group_count],
            number=f"{index + 1:03d}",
            address=f"{groups[index % group_count].name}{people.random.randrange(1, 80)}号",
        )
        for index in range(household_count)
    )
    residents: list[Resident] = []
    for household in households:
        surname = people.random.choice(SURNAMES)
        if code == "370215100214" and household.number == VILLAGER_HOUSEHOLD:
            surname = "王"
        for person in people.family(surname):
            resident = Resident(household=household, village_id=code, **person)
            resident.id_number_index = crypto.blind_index(resident.id_number)
            residents.append(resident)
    residents = Resident.objects.bulk_create(residents)
    by_household = {r.household_id: r for r in residents if r.relation == Relation.HEAD}
    for household in households:
        household.head = by_household[household.pk]
    HouseholdEvent.objects.bulk_create(
        HouseholdEvent(
            household=household,
            kind=EventKind.CREATE,
            date=STARTED,
            note="户籍台账建账",
            actor=official,
            details={"head": {"id": household.head.pk, "name": household.head.name}},
            recorded_at=clock.now(),
        )
        for household in households
    )
    return [(household, household.head) for household in households]


def _link_villager(people: _People) -> None:
    """The demo villager 陈秀英 is the spouse in 红花山村 household 008."""
    user = User.objects.filter(username="villager").first()
    household = Household.objects.filter(
        village_id="370215100214", number=VILLAGER_HOUSEHOLD
    ).first()
    if user is None or household is None:
        return
    spouse = household.members.filter(relation=Relation.SPOUSE).first()
    if spouse is None:
        spouse = Resident(household=household, relation=Relation.SPOUSE)
    spouse.name, spouse.gender = "陈秀英", Gender.FEMALE
    spouse.birth_date = dt.date(1968, 4, 12)
    spouse.id_number = people.id_number(spouse.birth_date, Gender.FEMALE)
    spouse.phone, spouse.user = user.phone, user
    spouse.save()


def _history(official: User) -> None:
    """A few dated changes in 红花山村, through the services (audited, with events)."""
    today = clock.today()
    village = Household.objects.filter(village_id="370215100214")
    first = village.filter(number="003").first()
    if first is not None:
        children = list(first.members.filter(relation=Relation.CHILD))
        if children and first.members.count() > 2:
            services.split_household(
                actor=official,
                household=first,
                members=children[:1],
                new_head=children[0],
                new_number="003-1",
                date=today - dt.timedelta(days=200),
                note="子女成家分户",
            )
    elder = village.filter(number="005").first()
    if elder is not None:
        spouse = elder.members.filter(relation=Relation.SPOUSE).first()
        if spouse is not None:
            services.change_head(
                actor=official,
                household=elder,
                new_head=spouse,
                former_head_relation=Relation.SPOUSE,
                date=today - dt.timedelta(days=120),
                note="原户主外出务工，户主变更为配偶",
            )
    source, target = village.filter(number="019").first(), village.filter(number="018").first()
    if source is not None and target is not None:
        services.merge_households(
            actor=official,
            source=source,
            target=target,
            date=today - dt.timedelta(days=60),
            note="老人随子女合户",
        )
    leaving = village.filter(number="020").first()
    if leaving is not None:
        services.move_out_household(
            actor=official,
            household=leaving,
            date=today - dt.timedelta(days=30),
            note="全户迁往即墨城区",
        )

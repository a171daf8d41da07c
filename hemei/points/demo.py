"""Demo points: a year of governance points in three villages of 田横镇 and one of 金口镇.

田横镇 publishes a template; 红花山村, 高埠村 and 丰山村 adopt it (with changes) at their
meetings of December 2025. 金口镇 publishes its own, which 金口村 adopts. Then about a year of entries: most took effect, a few are in
public notice now, one of them met an objection from the demo villager, a few await review.
The shop has goods and some households have redeemed points.

The year's effective entries are written in bulk (with their steps, and appended to each
village's ledger through :func:`ledger.append`, so the hash chains and balances are real);
the recent ones go through the services, so that the notice, objection and shop pages show
the platform's own work.
"""

from __future__ import annotations

import datetime as dt
import random

from hemei.accounts.models import User
from hemei.core import clock
from hemei.divisions.models import Division
from hemei.households.models import Household
from hemei.procedures.adoption import MeetingKind

from . import ledger, services
from .choices import CapPeriod, Category, EntrySource, EntryState, LedgerKind
from .models import Entry, EntryTransition, RuleItem, RuleVersion

TOWN = "370215100"  # 田横镇
#: town → the name of its template, the villages that adopt it (with a register to score)
TOWNS = {
    TOWN: ("田横镇乡村治理积分细则（范本）", ["370215100214", "370215100219", "370215100231"]),
    "370215101": ("金口镇乡村治理积分细则（范本）", ["370215101230"]),  # 金口村
}
VILLAGES = [code for _name, villages in TOWNS.values() for code in villages]

#: code, category, title, points, evidence, evidence required, cap, cap period
TEMPLATE = [
    (
        "A1",
        Category.ENVIRONMENT,
        "门前三包，庭院整洁",
        5,
        "村干部检查记录",
        False,
        10,
        CapPeriod.MONTH,
    ),
    ("A2", Category.ENVIRONMENT, "参加村庄环境集中整治", 3, "签到表", False, 12, CapPeriod.MONTH),
    ("A3", Category.ENVIRONMENT, "乱堆乱放、乱倒垃圾", -5, "现场照片", True, None, CapPeriod.YEAR),
    (
        "B1",
        Category.CIVILITY,
        "移风易俗，婚丧事简办",
        10,
        "红白理事会证明",
        False,
        20,
        CapPeriod.YEAR,
    ),
    (
        "B2",
        Category.CIVILITY,
        "见义勇为、好人好事",
        20,
        "现场照片或证明",
        True,
        None,
        CapPeriod.YEAR,
    ),
    ("C1", Category.LAW, "焚烧秸秆、违规用火", -10, "现场照片", True, None, CapPeriod.YEAR),
    ("C2", Category.LAW, "无违法违规、无信访", 10, "村委会核实", False, 10, CapPeriod.YEAR),
    ("D1", Category.GOVERNANCE, "参加村民会议或议事协商", 2, "签到表", False, 24, CapPeriod.YEAR),
    ("D2", Category.GOVERNANCE, "参加志愿服务", 3, "服务记录", False, 9, CapPeriod.MONTH),
    ("E1", Category.INDUSTRY, "发展庭院经济、特色种养", 8, "现场照片", False, 16, CapPeriod.YEAR),
    ("F1", Category.FAMILY, "孝老爱亲、赡养老人", 10, "邻里证明", False, 20, CapPeriod.YEAR),
]
#: how often each rule is met per household per year (a rough rate)
RATES = {"A1": 5, "A2": 3, "A3": 0.3, "B1": 0.2, "B2": 0.1, "C1": 0.2, "C2": 0.8,
         "D1": 3, "D2": 2, "E1": 0.3, "F1": 0.6}  # fmt: skip
GOODS = [("洗衣粉", 10, 60), ("食用油 5L", 60, 20), ("大米 10kg", 50, 25), ("毛巾", 8, 80),
         ("电饭煲", 150, 5), ("保温杯", 30, 30)]  # fmt: skip
REASONS = {
    "A1": "入户检查庭院整洁",
    "A2": "参加村庄环境集中整治日",
    "A3": "房前乱堆柴草",
    "B1": "婚事简办，不收彩礼",
    "B2": "帮助邻居扑灭柴草火",
    "C1": "田间焚烧秸秆",
    "C2": "全年无违法违规",
    "D1": "参加村民代表会议",
    "D2": "参加助老志愿服务",
    "E1": "发展庭院特色种植",
    "F1": "悉心照料卧床老人",
}


def load() -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None or not Household.objects.filter(village_id__in=VILLAGES).exists():
        return
    today = clock.today()
    chooser = random.Random(2026)
    for town, (name, villages) in TOWNS.items():
        if not Household.objects.filter(village_id__in=villages).exists():
            continue
        template = _template(town, name, admin)
        for index, code in enumerate(villages):
            official = (
                User.objects.filter(username="honghuashan").first()
                if code == "370215100214"
                else None
            ) or admin
            village = Division.objects.get(code=code)
            version = _adopt(official, village, template, index)
            _year_of_entries(official, village, version, chooser, today)
            _shop(official, village, chooser, today)


def _template(town: str, name: str, admin: User) -> RuleVersion:
    """The town's template, published by its official (the county's, for a town without)."""
    from hemei.accounts.models import RoleAssignment

    grant = (
        RoleAssignment.objects.filter(division_id=town, role="town_official")
        .select_related("user")
        .order_by("id")
        .first()
    )
    town_official = grant.user if grant is not None else admin
    start = dt.datetime(2025, 12, 10, 9, tzinfo=dt.UTC)
    with clock.frozen_at(start):
        template = services.create_template(
            actor=town_official, division=Division.objects.get(code=town), name=name
        )
        for code, category, title, points, evidence, required, cap, period in TEMPLATE:
            services.add_item(
                actor=town_official,
                version=template,
                code=code,
                category=category,
                title=title,
                points=points,
                evidence=evidence,
                evidence_required=required,
                cap=cap,
                cap_period=period,
            )
        services.publish_template(actor=town_official, version=template)
    return template


def _adopt(official: User, village: Division, template: RuleVersion, index: int) -> RuleVersion:
    with clock.frozen_at(dt.datetime(2025, 12, 28, 10, tzinfo=dt.UTC)):
        version = services.draft_version(actor=official, village=village, based_on=template)
        if village.code == "370215100214":  # 红花山村 adds a rule of its own
            services.add_item(
                actor=official,
                version=version,
                code="G1",
                category=Category.OTHER,
                title="参与红花山护林防火巡查",
                points=4,
                evidence="巡查记录",
                cap=16,
                cap_period=CapPeriod.QUARTER,
            )
        services.adopt_version(
            actor=official,
            version=version,
            meeting_kind=MeetingKind.VILLAGERS if index == 0 else MeetingKind.REPRESENTATIVES,
            meeting_date=dt.date(2025, 12, 28),
            in_force_from=dt.date(2026, 1, 1),
            note="会议应到 86 人，实到 71 人，表决通过" if index == 0 else "",
        )
    return version


def _year_of_entries(
    official: User,
    village: Division,
    version: RuleVersion,
    chooser: random.Random,
    today: dt.date,
) -> None:
    households = list(Household.objects.filter(village=village, is_active=True).order_by("number"))
    items = {item.code: item for item in RuleItem.objects.filter(version=version)}
    last_effective = today - dt.timedelta(days=14)
    taken: dict[tuple[int, str, object], int] = {}
    planned: list[tuple[dt.date, Household, RuleItem]] = []
    for household in households:
        zeal = chooser.uniform(0.3, 1.6)
        for code, rate in RATES.items():
            item = items[code]
            count = int(rate * zeal) + (1 if chooser.random() < (rate * zeal) % 1 else 0)
            for _ in range(count):
                day = dt.date(2026, 1, 1) + dt.timedelta(
                    days=chooser.randrange((last_effective - dt.date(2026, 1, 1)).days)
                )
                key = (household.pk, code, _period_key(day, item.cap_period))
                if item.cap is not None and abs(taken.get(key, 0) + item.points) > item.cap:
                    continue
                taken[key] = taken.get(key, 0) + item.points
                planned.append((day, household, item))
    planned.sort(key=lambda row: (row[0], row[1].number, row[2].code))
    entries = Entry.objects.bulk_create(
        Entry(
            village=village,
            household=household,
            item=item,
            version=version,
            points=item.points,
            occurred_on=day,
            description=REASONS[item.code],
            source=EntrySource.REQUESTED if chooser.random() < 0.3 else EntrySource.RECORDED,
            state=EntryState.EFFECTIVE,
            created_by=official,
            effective_at=_at(day + dt.timedelta(days=10)),
        )
        for day, household, item in planned
    )
    _past_notices(official, village, entries)
    steps = []
    for entry in entries:
        day = entry.occurred_on
        for offset, before, after, actor in (
            (0, "", EntryState.SUBMITTED, official),
            (1, EntryState.SUBMITTED, EntryState.ASSESSED, official),
            (3, EntryState.ASSESSED, EntryState.IN_NOTICE, official),
            (10, EntryState.IN_NOTICE, EntryState.EFFECTIVE, None),
        ):
            steps.append(
                EntryTransition(
                    entry=entry,
                    from_state=before,
                    to_state=after,
                    actor=actor,
                    at=_at(day + dt.timedelta(days=offset)),
                )
            )
    EntryTransition.objects.bulk_create(steps, batch_size=2000)
    ledger.append(
        village_code=village.code,
        rows=[
            ledger.Row(
                household_id=entry.household_id,
                kind=LedgerKind.AWARD,
                points=entry.points,
                occurred_on=entry.occurred_on,
                reason=f"{entry.item.code} {entry.item.title}: {entry.description}",
                entry_id=entry.pk,
            )
            for entry in sorted(entries, key=lambda e: (e.effective_at, e.pk))
        ],
    )
    _recent(official, village, households, items, chooser, today)


def _past_notices(official: User, village: Division, entries: list[Entry]) -> None:
    """The public notice each of the year's entries went through (seven days, no objection)."""
    from django.contrib.contenttypes.models import ContentType

    from hemei.notices.choices import NoticeState
    from hemei.notices.models import Notice
    from hemei.procedures.choices import TimeUnit

    entry_type = ContentType.objects.get_for_model(Entry)
    rows = []
    for entry in entries:
        title, body = services.notice_text(entry)
        ends = _at(entry.occurred_on + dt.timedelta(days=10))
        rows.append(
            Notice(
                village=village,
                kind=services.NOTICE_KIND,
                title=title,
                body=body,
                content_type=entry_type,
                object_id=entry.pk,
                starts_at=_at(entry.occurred_on + dt.timedelta(days=3)),
                ends_at=ends,
                days=7,
                unit=TimeUnit.CALENDAR_DAY,
                state=NoticeState.ENDED,
                closed_at=ends,
                outcome="公示期满无异议。",
                posted_by=official,
                created_at=_at(entry.occurred_on + dt.timedelta(days=3)),
            )
        )
    Notice.objects.bulk_create(rows, batch_size=1000)


def _recent(
    official: User,
    village: Division,
    households: list[Household],
    items: dict[str, RuleItem],
    chooser: random.Random,
    today: dt.date,
) -> None:
    """The last days through the services: some in notice (one objected to), some waiting."""
    noon = dt.datetime.combine(today, dt.time(4), tzinfo=dt.UTC)
    recent = chooser.sample(households, min(6, len(households)))
    for number, household in enumerate(recent):
        code = chooser.choice(["D2", "D1", "F1", "A2"])
        with clock.frozen_at(noon - dt.timedelta(days=5 - number % 4)):
            entry = services.record_entry(
                actor=official,
                household=household,
                item=items[code],
                occurred_on=clock.today() - dt.timedelta(days=1),
                description=REASONS[code],
            )
            if number < 4:
                entry = services.assess_entry(actor=official, entry=entry, approve=True)
                if number < 3:
                    services.review_entry(actor=official, entry=entry, approve=True)
    villager = User.objects.filter(username="villager").first()
    if village.code == VILLAGES[0] and villager is not None:
        target = (
            Entry.objects.filter(village=village, state=EntryState.IN_NOTICE)
            .exclude(household__members__user=villager)
            .first()
        )
        if target is not None:
            with clock.frozen_at(noon - dt.timedelta(hours=2)):
                services.object_to_entry(
                    actor=villager,
                    entry=target,
                    reason="据我所知该户当天并未参加，请村委会核实。",
                )


def _shop(official: User, village: Division, chooser: random.Random, today: dt.date) -> None:
    goods = [
        services.add_goods(actor=official, village=village, name=name, price=price, stock=stock)
        for name, price, stock in GOODS
    ]
    from .models import Balance

    rich = list(Balance.objects.filter(village=village, points__gte=40).select_related("household"))
    for balance in chooser.sample(rich, min(8, len(rich))):
        item = chooser.choice([g for g in goods[:4] if g.price <= balance.points])
        with clock.frozen_at(
            dt.datetime.combine(
                today - dt.timedelta(days=chooser.randrange(3, 60)), dt.time(2), tzinfo=dt.UTC
            )
        ):
            services.redeem(actor=official, household=balance.household, goods=item, quantity=1)


def _period_key(day: dt.date, period: str) -> object:
    if period == CapPeriod.MONTH:
        return (day.year, day.month)
    if period == CapPeriod.QUARTER:
        return (day.year, (day.month - 1) // 3)
    return day.year


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(1, 30), tzinfo=dt.UTC)

"""Reads shared by pages, exports and the benchmark: rankings, honours, notices."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.households.models import Household
from hemei.notices.choices import NoticeState
from hemei.notices.models import Notice

from .choices import EntryState
from .models import Balance, Entry, LedgerEntry
from .services import settings_for


def stars(points: int, bands: list[int]) -> int:
    """星级: how many bands the year's points reach."""
    return sum(1 for band in bands if points >= band)


@dataclass
class HouseholdRank:
    rank: int
    household: Household
    points: int
    balance: int
    stars: int


def household_ranking(village_code: str, year: int) -> list[HouseholdRank]:
    """The village's active households by the points they earned in ``year`` (entries and
    their reversals; redemptions and settlements do not count)."""
    village_settings = settings_for(village_code)
    earned = dict(
        LedgerEntry.objects.filter(village_id=village_code)
        .in_year(year)
        .earning()
        .values("household_id")
        .annotate(total=Sum("points"))
        .values_list("household_id", "total")
    )
    balances = dict(
        Balance.objects.filter(village_id=village_code).values_list("household_id", "points")
    )
    households = list(
        Household.objects.filter(village_id=village_code, is_active=True)
        .select_related("head")
        .defer("head__id_number", "head__phone")
    )
    households.sort(key=lambda h: (-(earned.get(h.pk) or 0), h.number))
    ranking, previous, rank = [], None, 0
    for position, household in enumerate(households, start=1):
        points = earned.get(household.pk) or 0
        if points != previous:
            rank, previous = position, points
        ranking.append(
            HouseholdRank(
                rank=rank,
                household=household,
                points=points,
                balance=balances.get(household.pk, 0),
                stars=stars(points, village_settings.star_bands),
            )
        )
    return ranking


def red_list(ranking: list[HouseholdRank], size: int) -> list[HouseholdRank]:
    return [row for row in ranking if row.points > 0][:size]


def black_list(ranking: list[HouseholdRank]) -> list[HouseholdRank]:
    return sorted((row for row in ranking if row.points < 0), key=lambda row: row.points)


def publishes_black_list(village_code: str) -> bool:
    return settings_for(village_code).publish_black_list


@dataclass
class VillageRank:
    rank: int
    village: Division
    households: int
    participating: int
    total: int

    @property
    def participation(self) -> float:
        return self.participating / self.households if self.households else 0.0

    @property
    def average(self) -> float:
        return self.total / self.households if self.households else 0.0


def village_ranking(town_code: str, year: int) -> list[VillageRank]:
    """The town's villages by the average points per household earned in ``year``, with the
    share of households that earned any (participation rate)."""
    villages = list(Division.objects.below(town_code).filter(level=Level.VILLAGE).current())
    counts = dict(
        Household.objects.filter(village__in=villages, is_active=True)
        .values("village_id")
        .annotate(n=Count("id"))
        .values_list("village_id", "n")
    )
    earning = (
        LedgerEntry.objects.filter(village_id__in=[v.code for v in villages])
        .in_year(year)
        .earning()
    )
    totals = dict(
        earning.values("village_id").annotate(t=Sum("points")).values_list("village_id", "t")
    )
    participating = dict(
        earning.filter(points__gt=0)
        .values("village_id")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("village_id", "n")
    )
    rows = [
        VillageRank(
            rank=0,
            village=village,
            households=counts.get(village.code, 0),
            participating=participating.get(village.code, 0),
            total=totals.get(village.code) or 0,
        )
        for village in villages
    ]
    rows = [row for row in rows if row.households]
    rows.sort(key=lambda row: (-row.average, -row.participation, row.village.code))
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return rows


def with_notice_times(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """``entries`` with the times of their latest public notice (``notice_from``,
    ``notice_until``), which ``Entry.notice_starts_at``/``notice_ends_at`` then read."""
    latest = (
        Notice.objects.filter(
            content_type=ContentType.objects.get_for_model(Entry), object_id=OuterRef("pk")
        )
        .exclude(state=NoticeState.WITHDRAWN)
        .order_by("-starts_at", "-id")
    )
    return entries.annotate(
        notice_from=Subquery(latest.values("starts_at")[:1]),
        notice_until=Subquery(latest.values("ends_at")[:1]),
    )


def notices(village_code: str) -> list[Entry]:
    """The entries in public notice in the village, soonest ending first."""
    return list(
        with_notice_times(Entry.objects.filter(village_id=village_code, state=EntryState.IN_NOTICE))
        .select_related("household", "household__head", "item", "version")
        .order_by("notice_until", "id")
    )


def household_summary(household: Household, year: int) -> dict[str, object]:
    """What a villager sees about their own household."""
    balance = Balance.objects.filter(household=household).values_list("points", flat=True).first()
    earned = (
        LedgerEntry.objects.filter(household=household)
        .in_year(year)
        .earning()
        .aggregate(total=Sum("points"))["total"]
        or 0
    )
    bands = settings_for(household.village_id).star_bands
    return {
        "balance": balance or 0,
        "earned": earned,
        "stars": stars(earned, bands),
        "history": LedgerEntry.objects.filter(household=household).order_by("-sequence"),
        "pending": with_notice_times(
            Entry.objects.filter(
                household=household,
                state__in=[EntryState.SUBMITTED, EntryState.ASSESSED, EntryState.IN_NOTICE],
            )
        )
        .select_related("item")
        .order_by("-occurred_on", "-id"),
    }


def village_overview(codes: list[str], year: int) -> dict[str, dict[str, int]]:
    """Counts per village for the points home page (one query each)."""
    overview: dict[str, dict[str, int]] = defaultdict(lambda: {"review": 0, "notice": 0})
    for code, state, n in (
        Entry.objects.filter(village_id__in=codes)
        .filter(Q(state__in=[EntryState.SUBMITTED, EntryState.ASSESSED, EntryState.IN_NOTICE]))
        .values_list("village_id", "state")
        .annotate(n=Count("id"))
        .values_list("village_id", "state", "n")
    ):
        key = "notice" if state == EntryState.IN_NOTICE else "review"
        overview[code][key] += n
    return overview

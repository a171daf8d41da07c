"""Reads of disclosure: a village's catalogue, the lists people see, the town's overview, and
what the village's public board shows (:func:`board_items`, nothing personal)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from hemei.accounts.policy import Who, restrict
from hemei.accounts.roles import VILLAGE_READ_ROLES
from hemei.board.sections import BoardItem
from hemei.core.search import search
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.procedures import calendar
from hemei.procedures.selectors import schedule, unknown_year_message

from .choices import Audience, DisclosureState
from .models import Adoption, CatalogueItem, Disclosure

__all__ = ["schedule"]


# --------------------------------------------------------------------------- the catalogue


def village_items(village_code: str, day: dt.date) -> list[CatalogueItem]:
    """The items a village follows on ``day``: its county's, its town's and its own in force,
    a lower level's item replacing a higher one of the same key."""
    chosen: dict[str, CatalogueItem] = {}
    rows = CatalogueItem.objects.above(village_code).in_force_on(day).select_related("division")
    for item in sorted(rows, key=lambda i: len(i.division_id)):
        chosen[item.key] = item  # the longer code (the lower level) comes last and wins
    return sorted(chosen.values(), key=lambda i: (len(i.division_id), i.number))


def village_item(village_code: str, key: str, day: dt.date) -> CatalogueItem | None:
    return next((i for i in village_items(village_code, day) if i.key == key), None)


def catalogue_items(
    user: Any, *, q: str = "", area: str = "", timing: str = "", day: dt.date | None = None
) -> QuerySet[CatalogueItem]:
    """The catalogue items the user reads; ``area``: a division's own items and those above
    it (a village's whole catalogue); ``day``: only those in force then."""
    rows = restrict(user, "view", CatalogueItem.objects.select_related("division"))
    if area:
        codes = [area[:n] for n in (6, 9, 12) if len(area) >= n]
        rows = rows.filter(division_id__in=codes)
    if timing:
        rows = rows.filter(timing=timing)
    if day is not None:
        rows = rows.in_force_on(day)
    if q:
        rows = search(rows, q, ["level1", "level2", "content", "basis", "key", "division__name"])
    return rows.order_by("division_id", "number", "id")


def next_due(item: CatalogueItem, today: dt.date, clock: calendar.Schedule) -> dict[str, Any]:
    """When the item's next disclosure falls due (periodic), or its rule (events)."""
    rule = item.rule()
    if not rule.periodic:
        return {"period": "", "due_on": None, "error": ""}
    period = rule.next_period(today)
    try:
        return {"period": period.label, "due_on": rule.due_on(period, clock), "error": ""}
    except calendar.ScheduleUnknown as exc:
        return {"period": period.label, "due_on": None, "error": unknown_year_message(exc)}


# --------------------------------------------------------------------------- disclosures


def disclosures(
    user: Any,
    *,
    q: str = "",
    state: str = "",
    area: str = "",
    year: int | None = None,
    item: int | None = None,
    today: dt.date | None = None,
    light: str = "",
    period: str = "",
) -> QuerySet[Disclosure]:
    """The disclosures the user reads, by words, state (``late`` and ``published_late``
    need ``today`` for the first), area (a code), year due, item, light on ``today``
    (green: published on time; yellow: due; red: late or published late) and period (words
    of its label, e.g. 2026年第二季度)."""
    rows = restrict(
        user, "view", Disclosure.objects.select_related("village", "item", "duty", "published_by")
    )
    if area:
        rows = rows.filter(village__code__startswith=area)
    if state == DisclosureState.LATE and today is not None:
        # late: past its date and not published (the daily job marks them; today counts too)
        rows = rows.exclude(state=DisclosureState.PUBLISHED).filter(due_on__lt=today)
    elif state == "published_late":
        rows = rows.filter(state=DisclosureState.PUBLISHED, published_on__gt=F("due_on"))
    elif state:
        rows = rows.filter(state=state)
    if year:
        rows = rows.filter(due_on__year=year)
    if item:
        rows = rows.filter(item_id=item)
    if light and today is not None:
        rows = rows.filter(_LIGHTS[light](today))
    if period:
        rows = rows.filter(period_label__icontains=period)
    if q:
        rows = search(rows, q, ["title", "period_label", "village__name", "item__level1", "text"])
    return rows.order_by("-due_on", "village_id", "id")


_PUBLISHED = Q(state=DisclosureState.PUBLISHED)
#: a disclosure's light (:meth:`Disclosure.light`) as a condition on the day
_LIGHTS = {
    "green": lambda today: _PUBLISHED & Q(published_on__lte=F("due_on")),
    "yellow": lambda today: ~_PUBLISHED & Q(due_on__gte=today),
    "red": lambda today: (
        (_PUBLISHED & Q(published_on__gt=F("due_on"))) | (~_PUBLISHED & Q(due_on__lt=today))
    ),
}
LIGHTS = tuple(_LIGHTS)


def export_columns() -> list[tuple[str, Any]]:
    """The columns of the disclosure list's Excel export (the page's and the API's)."""
    return [
        (_("Village"), lambda d: d.village.name),
        (_("Village code"), lambda d: d.village_id),
        (_("Item"), lambda d: d.item.name),
        (_("Title"), lambda d: d.title),
        (_("Period"), lambda d: d.period_label),
        (_("Due on"), lambda d: d.due_on),
        (_("State"), lambda d: d.get_state_display()),
        (_("Published on"), lambda d: d.published_on),
        (_("Published late"), lambda d: _("yes") if d.published_late else ""),
    ]


def adopted_villages(codes: Iterable[str] | None = None) -> dict[str, dt.date]:
    """Village code → the day it began to follow the catalogue."""
    rows = Adoption.objects.all()
    if codes is not None:
        rows = rows.filter(village_id__in=list(codes))
    return dict(rows.values_list("village_id", "since"))


# --------------------------------------------------------------------------- the town


def towns_for(user: Any) -> QuerySet[Division]:
    """The towns whose overview the user reads (village-affairs readers at or above them)."""
    towns = Division.objects.current().filter(level=Level.TOWN)
    who = Who(user)
    if who.everything:
        return towns
    prefixes = [p for p in who.prefixes(VILLAGE_READ_ROLES) if len(p) <= 9]
    if not prefixes:
        return towns.none()
    condition = Q()
    for prefix in prefixes:
        condition |= Q(code__startswith=prefix)
    return towns.filter(condition)


@dataclass
class VillageRow:
    village: Division
    since: dt.date | None
    counts: Counter[str] = field(default_factory=Counter)
    #: item id → the worst light of the year's disclosures of the item
    cells: dict[int, str] = field(default_factory=dict)
    late_titles: list[str] = field(default_factory=list)

    @property
    def late(self) -> int:
        return self.counts["late"]


LIGHT_ORDER = {"": 0, "green": 1, "yellow": 2, "red": 3}


def town_overview(town: Division, year: int, today: dt.date) -> tuple[list[Any], list[VillageRow]]:
    """The town's villages × the items they follow: counts and the worst light per cell, for
    the disclosures due in ``year``. The caller checked the user may read the town."""
    villages = list(
        Division.objects.current().filter(level=Level.VILLAGE, code__startswith=town.code)
    )
    since = adopted_villages(v.code for v in villages)
    rows = {v.code: VillageRow(v, since.get(v.code)) for v in villages}
    items: dict[int, CatalogueItem] = {}
    found = (
        Disclosure.objects.filter(village__code__startswith=town.code, due_on__year=year)
        .select_related("item")
        .only(
            "village_id",
            "item",
            "state",
            "due_on",
            "published_on",
            "title",
        )
    )
    for disclosure in found:
        row = rows.get(disclosure.village_id)
        if row is None:
            continue
        items[disclosure.item_id] = disclosure.item
        light = disclosure.light(today)
        if disclosure.state == DisclosureState.PUBLISHED:
            row.counts["published"] += 1
            if disclosure.published_late:
                row.counts["published_late"] += 1
        elif disclosure.due_on < today:
            row.counts["late"] += 1
            row.late_titles.append(disclosure.title)
        else:
            row.counts["due"] += 1
        if LIGHT_ORDER[light] > LIGHT_ORDER[row.cells.get(disclosure.item_id, "")]:
            row.cells[disclosure.item_id] = light
    columns = sorted(items.values(), key=lambda i: (len(i.division_id), i.number))
    ordered = sorted(rows.values(), key=lambda r: (-r.late, r.since is None, r.village.code))
    return columns, ordered


#: a cell of the overview's export: published on time, due, late (or published late)
LIGHT_WORDS = {"green": "✓", "yellow": "…", "red": "✗", "": ""}


def town_columns(items: list[CatalogueItem]) -> list[tuple[str, Any]]:
    """The columns of the town overview's Excel export (rows: :class:`VillageRow`), one per
    item after the counts (the page's and the API's)."""
    columns: list[tuple[str, Any]] = [
        (_("Village"), lambda r: r.village.name),
        (_("Village code"), lambda r: r.village.code),
        (_("Follows from"), lambda r: r.since),
        (_("Late"), lambda r: r.counts["late"]),
        (_("Due"), lambda r: r.counts["due"]),
        (_("Published"), lambda r: r.counts["published"]),
        (_("Published late"), lambda r: r.counts["published_late"]),
    ]
    for item in items:
        columns.append((item.name, lambda r, pk=item.pk: LIGHT_WORDS[r.cells.get(pk, "")]))
    return columns


# --------------------------------------------------------------------------- the public board


def _board_rows(village: Division, today: dt.date) -> list[dict[str, Any]]:
    """What the village's public board shows of disclosure (board-contract.md): the published
    disclosures for everyone (全社会), newest first, then the catalogue the village follows
    with each item's next due date. Plain text only: no publisher, no file of a person, and
    the texts passed the personal-data guard when they were published.

    Attachments are left out until the board offers a public, rate-limited file address.
    """
    published = (
        Disclosure.objects.published()
        .filter(village=village, item__audience=Audience.PUBLIC)
        .select_related("item")
        .order_by("-published_on", "-id")
    )
    found: list[dict[str, Any]] = [
        {
            "title": d.title,
            "date": d.published_on,
            "body": d.text,
            "period": d.period_label,
            "status": _("published late") if d.published_late else _("published"),
            "attachments": (),
        }
        for d in published
    ]
    if village.code not in adopted_villages([village.code]):
        return found
    clock = schedule()
    for item in village_items(village.code, today):
        due = next_due(item, today, clock)
        found.append(
            {
                "title": item.name,
                "date": due["due_on"],
                "body": "\n".join(
                    part
                    for part in (
                        item.content,
                        _("Basis: %(basis)s") % {"basis": item.basis} if item.basis else "",
                        _("When: %(rule)s") % {"rule": item.timing_text},
                        _("Channel: %(channel)s") % {"channel": item.channel},
                        _("Published by: %(publisher)s") % {"publisher": item.publisher},
                    )
                    if part
                ),
                "period": due["period"],
                "status": _("next due") if due["due_on"] else _("in the catalogue"),
                "attachments": (),
            }
        )
    return found


def board_items(village: Division, today: dt.date) -> list[BoardItem]:
    """The board's items (``hemei.board.sections``): see :func:`_board_rows`."""
    return [BoardItem(**row) for row in _board_rows(village, today)]

"""Governance points (乡村治理积分制): a village's ledger and its entries (with the pages'
filters and Excel exports), a household's balance and its ledger rows, and recording an
entry for a household, which awards or deducts the points of its rule.

Reads follow the points pages: officials of the county office, leaders, towns and villages
read the villages of their area (``read_village``); a villager reads their own household's
points and nothing else (another household is answered 404, a village's ledger 403).
Recording goes through :func:`hemei.points.services.record_entry`, as on the village's
“record points” page: the village's officials and the county office (``run_points``). An
entry then walks 初评, 审核 and its public notice on the pages before the ledger, which is
only ever appended to, takes its points; nothing here writes the ledger directly."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from hemei.accounts.policy import allows_at, get_or_404, places
from hemei.core import clock
from hemei.core.search import search
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.households.models import Household
from hemei.households.selectors import household_of
from hemei.points import models, selectors, services
from hemei.points.choices import Category, EntrySource, EntryState, LedgerKind
from hemei.points.views import ENTRY_COLUMNS, LEDGER_COLUMNS

from .. import engine
from ..engine import Export, Id, Input, Paging, page_of, paginate
from .common import Moment, require_role, v1
from .households import VillageRef, village_ref

TAG = "points"
# the entries' policy opens the tag: officials of village affairs, and villagers (their own
# household's, and their village's in public notice; one linked to no household yet is told
# 404 by the villager's endpoint, as by the page)
v1.gate(TAG, models.Entry)

router = Router(tags=[TAG])


# Shapes -----------------------------------------------------------------------------------


class PointsHouseholdRef(Schema):
    id: int = Field(ge=1)
    number: str = Field(description=gettext_lazy("The household number (户号) in its village."))
    head: str = Field(description=gettext_lazy("The head of household's name (may be empty)."))


class PointsRuleRef(Schema):
    id: int = Field(ge=1)
    code: str
    title: str
    category: Literal[tuple(Category.values)]  # type: ignore[valid-type]


class PointsLedgerRow(Schema):
    sequence: int = Field(
        ge=1, description=gettext_lazy("The row's number in the village's chain.")
    )
    household: PointsHouseholdRef
    kind: Literal[tuple(LedgerKind.values)]  # type: ignore[valid-type]
    points: int = Field(description=gettext_lazy("Whole points: positive added, negative taken."))
    balance_after: int
    occurred_on: dt.date
    recorded_at: Moment
    reason: str
    entry_id: int | None = Field(ge=1, description=gettext_lazy("The entry it books, if any."))
    hash: str = Field(description=gettext_lazy("SHA-256 of the row, chained to the one before."))


class PointsEntry(Schema):
    id: int = Field(ge=1)
    household: PointsHouseholdRef
    rule: PointsRuleRef
    points: int = Field(description=gettext_lazy("Whole points: positive added, negative taken."))
    occurred_on: dt.date
    description: str
    state: Literal[tuple(EntryState.values)]  # type: ignore[valid-type]
    source: Literal[tuple(EntrySource.values)]  # type: ignore[valid-type]
    corrects: int | None = Field(ge=1, description=gettext_lazy("The entry it reverses, if any."))
    created_at: Moment
    effective_at: Moment | None


class PointsBalance(Schema):
    household: PointsHouseholdRef
    village: VillageRef
    year: int
    balance: int = Field(description=gettext_lazy("Points now: the sum of its ledger rows."))
    earned: int = Field(
        description=gettext_lazy("Points earned in the year (entries and their reversals).")
    )
    stars: int = Field(
        ge=0, description=gettext_lazy("星级: the village's bands the year reaches.")
    )
    pending: list[PointsEntry] = Field(
        description=gettext_lazy("Entries on their way: awaiting assessment, review or notice.")
    )


class LedgerFilters(Schema):
    q: str | None = Field(
        None, max_length=100, description=gettext_lazy("Words in the household number or head.")
    )


class EntryFilters(Schema):
    state: Literal[tuple(EntryState.values)] | None = Field(None)  # type: ignore[valid-type]
    category: Literal[tuple(Category.values)] | None = Field(None)  # type: ignore[valid-type]
    q: str | None = Field(
        None,
        max_length=100,
        description=gettext_lazy("Words in the household number or head, the grounds or the rule."),
    )
    occurred_from: dt.date | None = Field(None, description=gettext_lazy("On or after this day."))
    occurred_to: dt.date | None = Field(None, description=gettext_lazy("On or before this day."))


class Year(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description=gettext_lazy("The year counted (default: this year).")
    )


class RecordEntry(Input):
    household: Id = Field(description=gettext_lazy("An active household of the village."))
    item: Id = Field(
        description=gettext_lazy("A rule of the village's rules in force: its points are given.")
    )
    occurred_on: dt.date = Field(description=gettext_lazy("The day it happened (not later)."))
    description: str = Field(
        min_length=1, max_length=500, description=gettext_lazy("The grounds: what happened.")
    )


# Reads ------------------------------------------------------------------------------------


def _village(user: Any, code: str, action: str = "read_village") -> Division:
    """A village whose points the user reads as an official, as the pages find it: 403 for
    a role that opens ``action`` nowhere, 404 for a village outside the user's area."""
    require_role(user, action, Division)
    found = places(user, "read_village").filter(level=Level.VILLAGE, code=code).first()
    if found is None:
        raise Http404
    return found


def _household(user: Any, pk: int) -> Household:
    """A household whose points the user may read: an official's of their area, a
    villager's own (any other: 404, as a missing one). The register's ``view`` opens the
    same households as the points' policies (``Balance``, ``LedgerEntry``)."""
    return get_or_404(  # type: ignore[no-any-return]
        user,
        "view",
        Household.objects.select_related("village", "head").defer("head__id_number", "head__phone"),
        pk=pk,
    )


def household_ref(household: Household) -> dict[str, Any]:
    return {"id": household.pk, "number": household.number, "head": household.head_name}


def ledger_row(row: models.LedgerEntry) -> dict[str, Any]:
    return {
        "sequence": row.sequence,
        "household": household_ref(row.household),
        "kind": row.kind,
        "points": row.points,
        "balance_after": row.balance_after,
        "occurred_on": row.occurred_on,
        "recorded_at": row.recorded_at,
        "reason": row.reason,
        "entry_id": row.entry_id,
        "hash": row.hash,
    }


def entry_out(entry: models.Entry) -> dict[str, Any]:
    item = entry.item
    return {
        "id": entry.pk,
        "household": household_ref(entry.household),
        "rule": {"id": item.pk, "code": item.code, "title": item.title, "category": item.category},
        "points": entry.points,
        "occurred_on": entry.occurred_on,
        "description": entry.description,
        "state": entry.state,
        "source": entry.source,
        "corrects": entry.corrects_id,
        "created_at": entry.created_at,
        "effective_at": entry.effective_at,
    }


def _ledger_rows(queryset: QuerySet[models.LedgerEntry]) -> QuerySet[models.LedgerEntry]:
    return queryset.select_related("household", "household__head").defer(
        "household__head__id_number", "household__head__phone"
    )


def _balance(household: Household, year: int) -> dict[str, Any]:
    summary = selectors.household_summary(household, year)
    pending: QuerySet[models.Entry] = summary["pending"]  # type: ignore[assignment]
    pending = pending.select_related("household", "household__head").defer(
        "household__head__id_number", "household__head__phone"
    )
    return {
        "household": household_ref(household),
        "village": village_ref(household.village),
        "year": year,
        "balance": summary["balance"],
        "earned": summary["earned"],
        "stars": summary["stars"],
        "pending": [entry_out(entry) for entry in pending],
    }


# Operations -------------------------------------------------------------------------------


@router.get(
    "points/villages/{code}/ledger/",
    url_name="points_ledger",
    response=page_of(PointsLedgerRow),
    summary=gettext_lazy("List a village's points ledger"),
    description=gettext_lazy(
        "The village's ledger (积分台账), newest row first, with the ledger page's search; "
        "``format=xlsx`` exports it with the page's columns, oldest first. Rows are only "
        "ever added: a correction is a reversing row. For officials of village affairs."
    ),
)
def list_ledger(
    request: HttpRequest,
    code: str,
    filters: Query[LedgerFilters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    village = _village(request.user, code)
    rows = _ledger_rows(models.LedgerEntry.objects.filter(village=village))
    rows = search(rows, filters.q, ["household__number", "household__head__name"])
    if exporting.format == "xlsx":
        return engine.export(
            rows.order_by("sequence"),
            filename="points-ledger",
            title=_("Points ledger"),
            columns=[(_(header), value) for header, value in LEDGER_COLUMNS],
        )
    return paginate(request, paging, rows.order_by("-sequence"), ledger_row)


def _entries(village: Division, filters: EntryFilters) -> QuerySet[models.Entry]:
    """The village's entries with the entry list page's filters, newest first."""
    rows = models.Entry.objects.filter(village=village).for_list()
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.category:
        rows = rows.filter(item__category=filters.category)
    rows = search(
        rows,
        filters.q,
        ["household__number", "household__head__name", "description", "item__title"],
    )
    if filters.occurred_from:
        rows = rows.filter(occurred_on__gte=filters.occurred_from)
    if filters.occurred_to:
        rows = rows.filter(occurred_on__lte=filters.occurred_to)
    return rows.defer("household__head__id_number", "household__head__phone").order_by(
        "-occurred_on", "-id"
    )


@router.get(
    "points/villages/{code}/entries/",
    url_name="points_entries",
    response=page_of(PointsEntry),
    summary=gettext_lazy("List a village's points entries"),
    description=gettext_lazy(
        "Points proposed for the village's households, newest first, in every state (submitted, "
        "assessed, in notice, effective, rejected), with the entry list page's filters; "
        "``format=xlsx`` exports them with the page's columns. For officials of village affairs."
    ),
)
def list_entries(
    request: HttpRequest,
    code: str,
    filters: Query[EntryFilters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    rows = _entries(_village(request.user, code), filters)
    if exporting.format == "xlsx":
        return engine.export(
            rows,
            filename="points-entries",
            title=_("Points entries"),
            columns=[(_(header), value) for header, value in ENTRY_COLUMNS],
        )
    return paginate(request, paging, rows, entry_out)


@router.post(
    "points/villages/{code}/entries/",
    url_name="points_entries",
    response={201: PointsEntry},
    summary=gettext_lazy("Record points for a household"),
    description=gettext_lazy(
        "Awards or deducts the points of one rule of the rules in force (a negative rule "
        "deducts), as the village's “record points” page does: the entry awaits 初评, then "
        "审核 and its public notice, on the pages; the ledger takes its points when it takes "
        "effect. A rule that needs an evidence file is recorded on the page, with the file. "
        "For the village's officials and the county office."
    ),
)
def record_entry(request: HttpRequest, code: str, payload: RecordEntry) -> Status[dict[str, Any]]:
    user = request.user
    village = _village(user, code, "run_points")
    if not allows_at(user, "run_points", village.code):
        raise PermissionDenied(_("You do not run the points of this village."))
    household = (
        Household.objects.filter(village=village, is_active=True, pk=payload.household)
        .select_related("head")
        .first()
    )
    if household is None:
        raise ValidationError({"household": _not_open(payload.household)})
    version = services.version_in_force(village.code, clock.today())
    item = version.items.filter(pk=payload.item).first() if version else None
    if item is None:
        raise ValidationError({"item": _not_open(payload.item)})
    entry = services.record_entry(
        actor=user,
        household=household,
        item=item,
        occurred_on=payload.occurred_on,
        description=payload.description,
    )
    entry = models.Entry.objects.for_list().get(pk=entry.pk)
    return Status(201, entry_out(entry))


def _not_open(pk: int) -> str:
    return _("Nothing with the id %(id)s is open to you.") % {"id": pk}


@router.get(
    "points/households/{int:pk}/",
    url_name="points_household",
    response=PointsBalance,
    summary=gettext_lazy("Show a household's points"),
    description=gettext_lazy(
        "The household's balance, the points it earned in the year, its stars and its "
        "entries on their way. Officials read the households of their area; a villager reads "
        "their own household only."
    ),
)
def show_household(request: HttpRequest, pk: int, year: Query[Year]) -> dict[str, Any]:
    household = _household(request.user, pk)
    return _balance(household, year.year or clock.today().year)


@router.get(
    "points/households/{int:pk}/ledger/",
    url_name="points_household_ledger",
    response=page_of(PointsLedgerRow),
    summary=gettext_lazy("List a household's ledger rows"),
    description=gettext_lazy(
        "The household's rows of its village's ledger, newest first: effective entries, "
        "reversals, redemptions and settlements, each with the balance after it."
    ),
)
def list_household_ledger(request: HttpRequest, pk: int, paging: Query[Paging]) -> Any:
    household = _household(request.user, pk)
    rows = _ledger_rows(
        models.LedgerEntry.objects.restrict(request.user, "view").filter(household=household)
    )
    return paginate(request, paging, rows.order_by("-sequence"), ledger_row)


@router.get(
    "points/mine/",
    url_name="points_mine",
    response=PointsBalance,
    summary=gettext_lazy("Show your household's points"),
    description=gettext_lazy(
        "A villager's own household, as their points page shows it (404 while the account "
        "is linked to no household of the village); its rows are at "
        "``/api/v1/points/households/{pk}/ledger/``."
    ),
)
def show_mine(request: HttpRequest, year: Query[Year]) -> dict[str, Any]:
    user = request.user
    require_role(user, "live_in", Division)
    household = household_of(user)
    if household is None or not allows_at(user, "live_in", household.village_id):
        raise Http404
    return _balance(household, year.year or clock.today().year)

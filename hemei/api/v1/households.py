"""The household register (户籍台账): the list with the register page's filters and its Excel
export, and a household with its members and history.

Identity numbers and phones leave the API masked, exactly as the register's pages show them
by default (:attr:`Resident.masked_id_number`, :attr:`Resident.masked_phone`; the export's
:func:`hemei.households.sheets.register_rows`): showing one in full is a logged act of the
pages (``reveal``), never of the API. Who reads what is the register's ``browse``, as on the
list and household pages: officials of the county office, leaders, towns and villages in
their area; department staff and villagers are refused (a villager's own household is on
their page, 我的户). Changes are made on the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from operator import itemgetter
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from pydantic import Field

from hemei.accounts.roles import VILLAGE_READ_ROLES
from hemei.core.forms import MAX_PK
from hemei.divisions.models import Division, subtree_q
from hemei.households import models, sheets
from hemei.households.choices import EventKind, Gender, Relation

from .. import engine
from ..engine import Export, Paging, page_of, paginate
from .common import v1

TAG = "households"
v1.gate(TAG, models.Household, VILLAGE_READ_ROLES)

router = Router(tags=[TAG])


# Shapes -----------------------------------------------------------------------------------


class VillageRef(Schema):
    code: str = Field(description=gettext_lazy("Official division code."))
    name: str


class VillageGroupRef(Schema):
    id: int = Field(ge=1)
    name: str


class Household(Schema):
    id: int = Field(ge=1)
    number: str = Field(description=gettext_lazy("The household number (户号) in its village."))
    village: VillageRef
    group: VillageGroupRef | None
    head: str = Field(description=gettext_lazy("The head of household's name (may be empty)."))
    member_count: int = Field(
        ge=0, description=gettext_lazy("Members living in the household now.")
    )
    address: str
    is_active: bool = Field(
        description=gettext_lazy("false once the household moved out or was merged.")
    )
    ended_on: dt.date | None


class HouseholdMember(Schema):
    id: int = Field(ge=1)
    name: str
    relation: Literal[tuple(Relation.values)]  # type: ignore[valid-type]
    gender: Literal[tuple(Gender.values)] | None  # type: ignore[valid-type]
    birth_date: dt.date | None
    id_number: str = Field(
        description=gettext_lazy(
            "Masked as on the register's pages: the region and the last four characters."
        )
    )
    phone: str = Field(description=gettext_lazy("Masked as on the register's pages."))
    is_head: bool
    is_active: bool = Field(description=gettext_lazy("false once the member left."))
    left_on: dt.date | None
    has_account: bool = Field(description=gettext_lazy("Linked to a villager's account."))


class HouseholdEvent(Schema):
    date: dt.date
    kind: Literal[tuple(EventKind.values)]  # type: ignore[valid-type]
    label: str = Field(description=gettext_lazy("The kind, in the interface language."))
    note: str
    related_household: int | None = Field(
        ge=1, description=gettext_lazy("The other household of a split or merge.")
    )


class HouseholdDetail(Household):
    members: list[HouseholdMember] = Field(
        description=gettext_lazy("Current members first, then those who left.")
    )
    events: list[HouseholdEvent] = Field(description=gettext_lazy("Newest first."))


class Filters(Schema):
    village: str | None = Field(
        None,
        min_length=2,
        max_length=12,
        pattern="^[0-9]+$",
        description=gettext_lazy("Households of this division or below it."),
    )
    group: int | None = Field(
        None, ge=1, le=MAX_PK, description=gettext_lazy("A village group's id.")
    )
    q: str | None = Field(
        None,
        max_length=100,
        description=gettext_lazy("Words in the household number, its group or village, or a name."),
    )
    active: Literal["yes", "no", "all"] = Field(
        "yes",
        description=gettext_lazy(
            "yes: households now registered (default); no: ended ones; all: both."
        ),
    )


# Reads ------------------------------------------------------------------------------------


def _browsable(user: Any) -> QuerySet[models.Household]:
    """The households the register's list page shows the user (its ``browse``)."""
    return (
        models.Household.objects.restrict(user, "browse")
        .select_related("village", "group", "head")
        .defer("head__id_number", "head__phone")
    )


def filtered(user: Any, filters: Filters) -> QuerySet[models.Household]:
    rows = (
        _browsable(user)
        .annotate(size=Count("members", filter=Q(members__is_active=True)))
        .search(filters.q)
    )
    if filters.village:
        rows = rows.filter(subtree_q([filters.village], "village_id"))
    if filters.group is not None:
        rows = rows.filter(group_id=filters.group)
    if filters.active != "all":
        rows = rows.filter(is_active=filters.active == "yes")
    return rows.order_by("village_id", "number", "id")


def village_ref(village: Division) -> dict[str, str]:
    return {"code": village.code, "name": village.name}


def household_summary(household: models.Household, size: int) -> dict[str, Any]:
    return {
        "id": household.pk,
        "number": household.number,
        "village": village_ref(household.village),
        "group": (
            {"id": household.group.pk, "name": household.group.name} if household.group else None
        ),
        "head": household.head_name,
        "member_count": size,
        "address": household.address,
        "is_active": household.is_active,
        "ended_on": household.ended_on,
    }


def member(resident: models.Resident) -> dict[str, Any]:
    return {
        "id": resident.pk,
        "name": resident.name,
        "relation": resident.relation,
        "gender": resident.gender or None,
        "birth_date": resident.birth_date,
        "id_number": resident.masked_id_number,
        "phone": resident.masked_phone,
        "is_head": resident.is_head,
        "is_active": resident.is_active,
        "left_on": resident.left_on,
        "has_account": resident.user_id is not None,
    }


class _RegisterSheet:
    """The residents of the listed households as the register page's export has them (one
    row per person, in the import's columns, protected values masked), read in chunks."""

    def __init__(self, residents: QuerySet[models.Resident]) -> None:
        self.residents = residents

    def count(self) -> int:
        return self.residents.count()

    def iterator(self, chunk_size: int) -> Iterator[list[Any]]:
        return iter(sheets.register_rows(self.residents.iterator(chunk_size=chunk_size)))


# Operations -------------------------------------------------------------------------------


@router.get(
    "households/",
    url_name="household_list",
    response=page_of(Household),
    summary=gettext_lazy("List households"),
    description=gettext_lazy(
        "The register of your area, by village and household number, with the filters of the "
        "register page; ``format=xlsx`` exports its members, one row per person in the "
        "import's columns, identity numbers and phones masked. For village affairs."
    ),
)
def list_households(
    request: HttpRequest,
    filters: Query[Filters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    rows = filtered(request.user, filters)
    if exporting.format == "xlsx":
        residents = (
            models.Resident.objects.filter(household__in=rows.values("pk"), is_active=True)
            .select_related("household__group")
            .order_by("household__village_id", "household__number", "id")
        )
        return engine.export(
            _RegisterSheet(residents),
            filename="households",
            title=_("Household register"),
            columns=[(header, itemgetter(index)) for index, header in enumerate(sheets.HEADERS)],
        )
    return paginate(request, paging, rows, lambda row: household_summary(row, row.size))


@router.get(
    "households/{int:pk}/",
    url_name="household_detail",
    response=HouseholdDetail,
    summary=gettext_lazy("Show a household"),
    description=gettext_lazy(
        "The household with its members (identity numbers and phones masked) and its history: "
        "registration, splits, merges, changes of head, moves."
    ),
)
def show_household(request: HttpRequest, pk: int) -> dict[str, Any]:
    household = get_object_or_404(_browsable(request.user), pk=pk)
    members = list(household.members.order_by("-is_active", "id"))
    events = household.events.order_by("-date", "-id")
    return {
        **household_summary(household, sum(1 for m in members if m.is_active)),
        "members": [member(resident) for resident in members],
        "events": [
            {
                "date": event.date,
                "kind": event.kind,
                "label": str(event.get_kind_display()),
                "note": event.note,
                "related_household": event.related_household_id,
            }
            for event in events
        ],
    }

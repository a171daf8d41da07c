"""Parcels (地块) of the homestead register: list with the register page's filters and
detail, each with its GeoJSON geometry (CGCS2000 longitude and latitude) and its record.
A parcel names its household by number only: no names, no lessees, no notes (the pages
show those to the officials who keep the register). Changes are made on the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from pydantic import Field

from hemei.accounts.roles import API_ROLES
from hemei.places import models, selectors
from hemei.places.choices import EventKind, LeaseKind, ParcelKind, UseState

from ..engine import Paging, not_found, page_of, paginate
from .common import (
    DivisionCode,
    DivisionRef,
    Filters,
    Moment,
    SearchText,
    choice,
    date,
    division_ref,
    moment,
    number,
    v1,
)

TAG = "parcels"
v1.gate(TAG, models.Parcel, roles=API_ROLES)

router = Router(tags=[TAG])

Kind = choice(ParcelKind.choices)
Use = choice(UseState.choices)
Happening = choice(EventKind.choices)
Reuse = choice(LeaseKind.choices, nullable=True)
Outlined = choice([("yes", gettext_lazy("outlined")), ("no", gettext_lazy("not outlined yet"))])


class Parcel(Schema):
    id: int = Field(ge=1)
    code: str = Field(description=gettext_lazy("The parcel number (宗地编号) in its village."))
    village: DivisionRef
    kind: Kind
    household: str | None = Field(
        description=gettext_lazy("The household's number (户号), if any.")
    )
    address: str
    area_m2: float | None = Field(
        description=gettext_lazy(
            "Measured in the CGCS2000 Gauss–Krüger zone; empty before it is outlined."
        )
    )
    recorded_area_m2: float | None = Field(description=gettext_lazy("As registered."))
    floor_area_m2: float | None
    floors: int | None = Field(ge=1)
    certificate: str = Field(description=gettext_lazy("The title certificate number."))
    acquired_on: dt.date | None
    use_state: Use
    geometry: dict[str, Any] | None = Field(
        description=gettext_lazy(
            "GeoJSON Polygon or MultiPolygon in CGCS2000 longitude and latitude; empty "
            "before it is outlined."
        )
    )
    updated_at: Moment


class ParcelEvent(Schema):
    on: dt.date
    kind: Happening
    label: str = Field(description=gettext_lazy("The kind, in the interface language."))
    compensation: float | None = Field(description=gettext_lazy("Yuan, for an exit."))
    lease_kind: Reuse
    lessee_outsider: bool = Field(
        description=gettext_lazy("Leased to a town resident or a business.")
    )
    starts_on: dt.date | None
    ends_on: dt.date | None
    at: Moment


class ParcelDetail(Parcel):
    events: list[ParcelEvent] = Field(max_length=100_000)


class ParcelFilters(Filters):
    village: DivisionCode | None = Field(
        None, description=gettext_lazy("Parcels of this division or below it.")
    )
    q: SearchText | None = Field(
        None,
        description=gettext_lazy(
            "Words in the parcel number, the household number or the address."
        ),
    )
    use: Use | None = None
    kind: Kind | None = None
    geometry: Outlined | None = None


def _rows(user: Any) -> Any:
    return (
        models.Parcel.objects.restrict(user, "view")
        .select_related("village", "household")
        .order_by("village_id", "kind", "code", "id")
    )


def parcel_summary(parcel: models.Parcel) -> dict[str, Any]:
    return {
        "id": parcel.pk,
        "code": parcel.code,
        "village": division_ref(parcel.village),
        "kind": parcel.kind,
        "household": parcel.household.number if parcel.household else None,
        "address": parcel.address,
        "area_m2": number(parcel.area_m2),
        "recorded_area_m2": number(parcel.recorded_area_m2),
        "floor_area_m2": number(parcel.floor_area_m2),
        "floors": parcel.floors,
        "certificate": parcel.certificate,
        "acquired_on": date(parcel.acquired_on),
        "use_state": parcel.use_state,
        "geometry": parcel.geometry,
        "updated_at": moment(parcel.updated_at),
    }


def parcel_detail(parcel: models.Parcel) -> dict[str, Any]:
    return {
        **parcel_summary(parcel),
        "events": [
            {
                "on": date(event.on),
                "kind": event.kind,
                "label": str(event.get_kind_display()),
                "compensation": number(event.compensation),
                "lease_kind": event.lease_kind or None,
                "lessee_outsider": event.lessee_outsider,
                "starts_on": date(event.starts_on),
                "ends_on": date(event.ends_on),
                "at": moment(event.at),
            }
            for event in selectors.events(parcel)
        ],
    }


@router.get(
    "parcels/",
    url_name="parcel_list",
    response=page_of(Parcel),
    summary=gettext_lazy("List parcels"),
    description=gettext_lazy(
        "The parcels of your area with their geometry, with the filters of the register page."
    ),
)
def list_parcels(
    request: HttpRequest, filters: Query[ParcelFilters], paging: Query[Paging]
) -> dict[str, Any]:
    rows = selectors.filter_parcels(
        _rows(request.user),
        village=filters.village or "",
        q=filters.q or "",
        use=filters.use or "",
        kind=filters.kind or "",
        geometry=filters.geometry or "",
    )
    return paginate(request, paging, rows, parcel_summary)


@router.get(
    "parcels/{int:pk}/",
    url_name="parcel_detail",
    response=ParcelDetail,
    summary=gettext_lazy("Show a parcel"),
    description=gettext_lazy(
        "The parcel with its geometry and its record (idle, exit, leases: dates and kinds)."
    ),
)
def show_parcel(request: HttpRequest, pk: int) -> dict[str, Any]:
    parcel = _rows(request.user).filter(pk=pk).first()
    if parcel is None:
        raise not_found()
    return parcel_detail(parcel)

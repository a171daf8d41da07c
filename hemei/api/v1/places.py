"""Parcels (地块) of the homestead register: list with the register page's filters and
detail, each with its GeoJSON geometry (CGCS2000 longitude and latitude) and its record.
A parcel names its household by number only: no names, no lessees, no notes (the pages
show those to the officials who keep the register). Changes are made on the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from hemei.accounts.roles import API_ROLES
from hemei.places import selectors
from hemei.places.choices import EventKind, LeaseKind, ParcelKind, UseState
from hemei.places.models import Parcel

from .. import schema as s
from ..framework import Call, not_found
from .common import DIVISION, DIVISION_CODE, api, date, division_ref, moment, number

TAG = "parcels"
api.gate(TAG, Parcel, roles=API_ROLES)

PARCEL_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "code": s.Str(description=gettext_lazy("The parcel number (宗地编号) in its village.")),
    "village": DIVISION,
    "kind": s.Choice(ParcelKind.choices),
    "household": s.Str(
        nullable=True, description=gettext_lazy("The household's number (户号), if any.")
    ),
    "address": s.Str(),
    "area_m2": s.Number(
        nullable=True,
        description=gettext_lazy(
            "Measured in the CGCS2000 Gauss–Krüger zone; empty before it is outlined."
        ),
    ),
    "recorded_area_m2": s.Number(nullable=True, description=gettext_lazy("As registered.")),
    "floor_area_m2": s.Number(nullable=True),
    "floors": s.Int(minimum=1, nullable=True),
    "certificate": s.Str(description=gettext_lazy("The title certificate number.")),
    "acquired_on": s.Date(nullable=True),
    "use_state": s.Choice(UseState.choices),
    "geometry": s.Free(
        nullable=True,
        description=gettext_lazy(
            "GeoJSON Polygon or MultiPolygon in CGCS2000 longitude and latitude; empty "
            "before it is outlined."
        ),
    ),
    "updated_at": s.DateTime(),
}
PARCEL = s.response("Parcel", PARCEL_FIELDS)
PARCEL_EVENT = s.response(
    "ParcelEvent",
    {
        "on": s.Date(),
        "kind": s.Choice(EventKind.choices),
        "label": s.Str(description=gettext_lazy("The kind, in the interface language.")),
        "compensation": s.Number(nullable=True, description=gettext_lazy("Yuan, for an exit.")),
        "lease_kind": s.Choice(LeaseKind.choices, nullable=True),
        "lessee_outsider": s.Bool(
            description=gettext_lazy("Leased to a town resident or a business.")
        ),
        "starts_on": s.Date(nullable=True),
        "ends_on": s.Date(nullable=True),
        "at": s.DateTime(),
    },
)
PARCEL_DETAIL = s.response(
    "ParcelDetail",
    {**PARCEL_FIELDS, "events": s.List(PARCEL_EVENT, max_items=100_000)},
)

FILTERS = (
    s.Param("village", DIVISION_CODE, gettext_lazy("Parcels of this division or below it.")),
    s.Param(
        "q",
        s.Str(max_length=100),
        gettext_lazy("Words in the parcel number, the household number or the address."),
    ),
    s.Param("use", s.Choice(UseState.choices)),
    s.Param("kind", s.Choice(ParcelKind.choices)),
    s.Param(
        "geometry",
        s.Choice([("yes", gettext_lazy("outlined")), ("no", gettext_lazy("not outlined yet"))]),
    ),
)


def _rows(user: Any) -> Any:
    return (
        Parcel.objects.restrict(user, "view")
        .select_related("village", "household")
        .order_by("village_id", "kind", "code", "id")
    )


def parcel_summary(parcel: Parcel) -> dict[str, Any]:
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


def parcel_detail(parcel: Parcel) -> dict[str, Any]:
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


parcel_list = api.route("parcels/", "parcel_list")
parcel_item = api.route("parcels/<int:pk>/", "parcel_detail")


@parcel_list.operation(
    "GET",
    summary=gettext_lazy("List parcels"),
    description=gettext_lazy(
        "The parcels of your area with their geometry, with the filters of the register page."
    ),
    tag=TAG,
    query=FILTERS,
    response=PARCEL,
    paged=True,
)
def list_parcels(call: Call) -> Any:
    query = call.query
    rows = selectors.filter_parcels(
        _rows(call.user),
        village=query.get("village", ""),
        q=query.get("q", ""),
        use=query.get("use", ""),
        kind=query.get("kind", ""),
        geometry=query.get("geometry", ""),
    )
    return call.page(rows, parcel_summary)


@parcel_item.operation(
    "GET",
    summary=gettext_lazy("Show a parcel"),
    description=gettext_lazy(
        "The parcel with its geometry and its record (idle, exit, leases: dates and kinds)."
    ),
    tag=TAG,
    response=PARCEL_DETAIL,
)
def show_parcel(call: Call, pk: int) -> Any:
    parcel = _rows(call.user).filter(pk=pk).first()
    if parcel is None:
        raise not_found()
    return parcel_detail(parcel)

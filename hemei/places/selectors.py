"""Reading parcels: a village's register with the list page's filters (the API's too), a
parcel's record, and the export's columns."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .choices import EventKind, ParcelKind, UseState
from .models import Parcel, ParcelEvent


def parcels(user: Any) -> QuerySet[Parcel]:
    """The parcels the user may read, with what a list row shows (never the geometry)."""
    return (
        Parcel.objects.restrict(user, "view")
        .select_related("village", "household__head")
        .defer("geometry", "household__head__id_number", "household__head__phone")
    )


def filter_parcels(
    rows: QuerySet[Parcel],
    *,
    village: str = "",
    q: str = "",
    use: str = "",
    kind: str = "",
    geometry: str = "",
) -> QuerySet[Parcel]:
    """``village``: a division code (the parcels of that division and below it); ``q``: words in the parcel
    number, the household number or the address; ``geometry``: ``yes`` (outlined) or ``no``."""
    if village:
        rows = rows.filter(village__code__startswith=village)
    for word in (q or "").split()[:5]:
        rows = rows.filter(
            Q(code__icontains=word)
            | Q(household__number__icontains=word)
            | Q(address__icontains=word)
        )
    if use in UseState.values:
        rows = rows.filter(use_state=use)
    if kind in ParcelKind.values:
        rows = rows.filter(kind=kind)
    if geometry == "yes":
        rows = rows.filter(geometry__isnull=False)
    elif geometry == "no":
        rows = rows.filter(geometry__isnull=True)
    return rows.order_by("village_id", "kind", "code", "id")


def events(parcel: Parcel) -> QuerySet[ParcelEvent]:
    return parcel.events.select_related("actor").order_by("at", "id")


def current_lease(parcel: Parcel, today: Any) -> ParcelEvent | None:
    return (
        parcel.events.filter(kind=EventKind.LEASED, starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on")
        .first()
    )

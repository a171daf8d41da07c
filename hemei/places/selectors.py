"""Reads for the map: the parcels of a village and the features of a layer as GeoJSON (no
names, identity numbers or phones: a parcel names its household by number only), the
county's layers in force and its tile service.

Reading parcels: a village's register with the list page's filters (the API's too), a
parcel's record, and the export's columns."""

from __future__ import annotations

from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.db.models import Max, Min, Q, QuerySet
from django.utils.translation import gettext as _
from shapely.geometry import box, mapping, shape

from hemei.accounts.policy import places
from hemei.divisions.choices import CODE_LENGTH, Level
from hemei.divisions.models import Division

from . import services
from .choices import EventKind, ParcelKind, UseState
from .models import MapSettings, Parcel, ParcelEvent, ReferenceFeature, ReferenceLayer

#: The most features one GeoJSON answer of a layer carries (the map asks again, for the
#: part in view, as the user zooms in).
LAYER_FEATURE_LIMIT = 2000

Bounds = tuple[float, float, float, float]


class BadBounds(ValueError):
    """A ``bbox`` query parameter that does not read, with a message for the user."""


def county_code(code: str) -> str:
    return code[: CODE_LENGTH[Level.COUNTY]]


def map_settings_for(code: str) -> MapSettings:
    """The county's map settings (no tile service until the county office sets one)."""
    county = county_code(code)
    return MapSettings.objects.filter(county_id=county).first() or MapSettings(county_id=county)


def tiles_for(code: str) -> dict[str, Any] | None:
    """The tile service of the county of ``code`` for the map widget, with the origins its
    images come from (``hosts``, for the Content-Security-Policy); None: plain background."""
    found = map_settings_for(code)
    if not found.tile_url:
        return None
    try:
        hosts = services.tile_hosts(found.tile_url, found.subdomains)
    except ValidationError:  # a row saved before the checks tightened: no background, no 500
        return None
    return {
        "url": found.tile_url,
        "subdomains": found.subdomains,
        "attribution": found.attribution,
        "hosts": hosts,
    }


def layers(user: Any) -> QuerySet[ReferenceLayer]:
    """The layers in force the user may read, with who uploaded them."""
    return (
        ReferenceLayer.objects.restrict(user, "view")
        .current()
        .select_related("county", "uploaded_by")
        .order_by("county_id", "kind", "name")
    )


def county_layers(user: Any, code: str) -> list[ReferenceLayer]:
    """The layers in force of the county of ``code`` (a village) the user may read."""
    return list(layers(user).filter(county_id=county_code(code)))


def villages(user: Any, q: str = "") -> QuerySet[Division]:
    """The villages whose parcels the user may read (the village map's chooser)."""
    rows = places(user, "read_village").current().filter(level=Level.VILLAGE)
    if q:
        rows = rows.search(q)
    return rows.select_related("parent").order_by("code")


def village_parcels(user: Any, village: Division) -> QuerySet[Parcel]:
    return (
        Parcel.objects.restrict(user, "view")
        .filter(village=village)
        .select_related("household")
        .order_by("kind", "code")
    )


def parcels_geojson(rows: QuerySet[Parcel]) -> dict[str, Any]:
    """Parcels as a FeatureCollection: number, kind, household number, area — nothing
    personal (no name, identity number or phone)."""
    features = []
    # a parcel of the register not surveyed yet has no outline to draw
    for parcel in rows.filter(geometry__isnull=False):
        features.append(
            {
                "type": "Feature",
                "id": parcel.pk,
                "geometry": parcel.geometry,
                "properties": {
                    "code": parcel.code,
                    "kind": parcel.kind,
                    "kind_label": parcel.get_kind_display(),
                    "household": parcel.household.number if parcel.household else "",
                    "area_m2": str(parcel.area_m2),
                    "area_mu": f"{parcel.area_mu:.2f}",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def parcels_bounds(rows: QuerySet[Parcel]) -> Bounds | None:
    found = rows.aggregate(a=Min("min_lon"), b=Min("min_lat"), c=Max("max_lon"), d=Max("max_lat"))
    if found["a"] is None:
        return None
    return (found["a"], found["b"], found["c"], found["d"])


def layers_bounds(found: list[ReferenceLayer]) -> Bounds | None:
    boxes = [layer.bounds for layer in found if layer.bounds]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def read_bbox(text: str | None) -> Bounds | None:
    """``minlon,minlat,maxlon,maxlat`` from a query parameter (None when absent)."""
    if not text:
        return None
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        values = []
    if (
        len(values) != 4
        or not all(v == v and abs(v) <= 180 for v in values)  # no NaN, in range
        or values[0] > values[2]
        or values[1] > values[3]
    ):
        raise BadBounds(
            _("bbox must be four numbers: west, south, east, north (longitude, latitude).")
        )
    return (values[0], values[1], values[2], values[3])


def layer_geojson(
    layer: ReferenceLayer, bbox: Bounds | None = None, *, limit: int = LAYER_FEATURE_LIMIT
) -> dict[str, Any]:
    """A layer's features as a FeatureCollection; with ``bbox``, only those that reach into
    it, clipped to it. At most ``limit`` features (``truncated`` says when more matched)."""
    rows = ReferenceFeature.objects.filter(layer=layer).order_by("id")
    if bbox is not None:
        west, south, east, north = bbox
        rows = rows.filter(
            min_lon__lte=east, max_lon__gte=west, min_lat__lte=north, max_lat__gte=south
        )
    found = list(rows.only("id", "geometry", "properties", "area_m2")[: limit + 1])
    truncated = len(found) > limit
    frame = box(*bbox) if bbox is not None else None
    features = []
    for feature in found[:limit]:
        geometry = feature.geometry
        if frame is not None:
            polygon = shape(geometry)
            if not frame.contains(polygon):
                clipped = shapely.clip_by_rect(polygon, *bbox)  # type: ignore[misc]
                if clipped.is_empty:
                    continue
                geometry = mapping(clipped)
        features.append(
            {
                "type": "Feature",
                "id": feature.pk,
                "geometry": geometry,
                "properties": {
                    **{
                        str(k): v
                        for k, v in (feature.properties or {}).items()
                        if isinstance(v, (str, int, float)) and not isinstance(v, bool)
                    },
                    "layer": layer.name,
                    "kind": layer.kind,
                    "area_m2": str(feature.area_m2),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


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

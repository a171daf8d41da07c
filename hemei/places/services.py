"""Changes to parcels: importing a village's register from GeoJSON, the overlap check a
procedure runs on a new parcel (a flag for an official to answer, never a silent block), and
what happens to a homestead later, appended to its record: marked idle and back in use, a
voluntary paid exit (自愿有偿退出), a lease, equity stake or cooperation (出租、入股、合作; to
someone outside the collective for at most ``HEMEI_HOMESTEAD_LEASE_MAX_YEARS`` years,
中农发〔2019〕11号). The register import from Excel is in ``register.py``.

The map's part: the county's reference layers uploaded from GeoJSON (``upload_layer``), its
tile service (``save_map_settings``), and the check of a parcel against the layers
(``layer_conflicts``), which the homestead procedure calls beside ``overlaps``."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from hemei.accounts.audit import record
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import check_at
from hemei.core import clock
from hemei.core.evidence import check_upload
from hemei.divisions.choices import CODE_LENGTH, Level
from hemei.divisions.models import Division
from hemei.households.models import Household

from . import geometry as geo
from .choices import EventKind, LayerKind, LeaseKind, ParcelKind, UseState
from .models import MapSettings, Parcel, ParcelEvent, ReferenceFeature, ReferenceLayer

#: The property names a register's GeoJSON may use for the parcel number and the household.
CODE_KEYS = ("编号", "地块编号", "宗地号", "code")
HOUSEHOLD_KEYS = ("户号", "household")


def _first(properties: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _bbox(found: BaseGeometry) -> dict[str, float]:
    min_lon, min_lat, max_lon, max_lat = found.bounds
    return {"min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}


@transaction.atomic
def import_parcels(
    *, actor: Any, village: Division, data: bytes | str, kind: str = ParcelKind.HOMESTEAD
) -> tuple[int, int]:
    """A village's parcels from a GeoJSON file: all or nothing, every bad feature named; a
    parcel number already there is updated, so running the same file again changes nothing.
    Answers (created, updated)."""
    check_at(actor, "write_register", village.code, _("You do not keep this village's register."))
    if village.level != Level.VILLAGE:
        raise ValidationError(_("Parcels belong to a village; choose a village."))
    if kind not in ParcelKind.values:
        raise ValidationError(_("Unknown kind of parcel."))
    try:
        features = (
            geo.read_parcels_file(data)
            if isinstance(data, bytes)
            else geo.read_geojson(data, parcels=True)
        )
    except geo.GeometryError as error:
        raise ValidationError(str(error)) from None
    households = {h.number: h for h in Household.objects.filter(village_id=village.code)}
    problems, seen, rows = [], set(), []
    for feature in features:
        code = _first(feature.properties, CODE_KEYS)
        number = _first(feature.properties, HOUSEHOLD_KEYS)
        if not code:
            problems.append(
                _("Feature %(n)d: it has no parcel number (编号).") % {"n": feature.number}
            )
            continue
        if code in seen:
            problems.append(_("Parcel number %(code)s appears twice.") % {"code": code})
        seen.add(code)
        if number and number not in households:
            problems.append(
                _("Feature %(n)d: no household %(number)s in the village.")
                % {"n": feature.number, "number": number}
            )
        rows.append((code, households.get(number), feature.geometry))
    if problems:
        raise ValidationError(problems)
    existing = {p.code: p for p in Parcel.objects.filter(village=village, kind=kind)}
    created = updated = 0
    for code, household, found in rows:
        values = {
            "household": household,
            "geometry": mapping(found),
            "area_m2": Decimal(str(round(geo.area_m2(found), 2))),
            "source": "GeoJSON",  # the register's columns (address, use …) are left alone
            **_bbox(found),
        }
        parcel = existing.get(code)
        if parcel is None:
            Parcel.objects.create(village=village, kind=kind, code=code, **values)
            created += 1
        else:
            for name, value in values.items():
                setattr(parcel, name, value)
            parcel.save()
            updated += 1
    record(
        actor=actor,
        action=AuditAction.IMPORT,
        instance=village,
        changes={"parcels": [None, f"+{created} ~{updated}"]},
        division_code=village.code,
    )
    return created, updated


@dataclass(frozen=True)
class ParcelOverlap:
    parcel: Parcel
    area_m2: float


def overlaps(
    geometry: dict[str, Any] | BaseGeometry, *, exclude: Parcel | None = None
) -> list[ParcelOverlap]:
    """The parcels a geometry overlaps (beyond drawing noise), largest first: the candidates
    by their bounding boxes in the database, then shapely on those only."""
    found = geometry if isinstance(geometry, BaseGeometry) else geo.check(geometry)
    min_lon, min_lat, max_lon, max_lat = found.bounds
    span = geo.MAX_PARCEL_SPAN
    # A parcel is at most ``span`` wide, so one that reaches the geometry has its south-west
    # corner in a band of that width: a narrow range of the (min_lat, min_lon) index instead
    # of every parcel west of the geometry.
    candidates = Parcel.objects.filter(
        min_lat__gte=min_lat - span,
        min_lat__lte=max_lat,
        min_lon__gte=min_lon - span,
        min_lon__lte=max_lon,
        max_lat__gte=min_lat,
        max_lon__gte=min_lon,
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    parcels = list(candidates)
    if not parcels:
        return []
    index = geo.OverlapIndex([shape(p.geometry) for p in parcels])
    return [ParcelOverlap(parcels[o.index], o.area_m2) for o in index.overlaps(found)]


# --------------------------------------------------------------------------- the county's
# reference layers and its map settings

#: The largest layer file read: a county's basic farmland is tens of thousands of polygons.
LAYER_MAX_BYTES = 100 * 1024 * 1024
#: The layer kinds :func:`layer_conflicts` checks.
CHECKED_KINDS = (LayerKind.BASIC_FARMLAND, LayerKind.PLAN_CONSTRUCTION)
#: A tile URL's host: letters, digits, dots and dashes (and the {s} of a subdomain), a port.
_TILE_HOST = re.compile(r"^[A-Za-z0-9.{}-]+(:[0-9]{1,5})?$")


def _county(division: Division) -> Division:
    if division.level != Level.COUNTY:
        raise ValidationError(_("Reference layers and map settings belong to a county."))
    return division


@transaction.atomic
def upload_layer(
    *,
    actor: Any,
    county: Division,
    kind: str,
    name: str,
    data: bytes | str,
    source: str = "",
    valid_from: dt.date | None = None,
) -> ReferenceLayer:
    """A county's reference layer from a GeoJSON file: every feature checked, all or nothing.
    A layer of the same kind and name in force is superseded (kept, no longer checked)."""
    check_at(actor, "administer", county.code, _("You do not administer this county."))
    _county(county)
    if kind not in LayerKind.values:
        raise ValidationError(_("Unknown kind of layer."))
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError(_("Give the layer a name."))
    try:
        features = geo.read_geojson(data, max_bytes=LAYER_MAX_BYTES)
    except geo.GeometryError as error:
        raise ValidationError(str(error)) from None
    now = clock.now()
    old = list(
        ReferenceLayer.objects.current()
        .select_for_update()
        .filter(county=county, kind=kind, name=name)
    )
    ReferenceLayer.objects.filter(pk__in=[layer.pk for layer in old]).update(superseded_at=now)
    rows = []
    total = Decimal("0")
    for feature in features:
        size = Decimal(str(round(geo.area_m2(feature.geometry), 2)))
        total += size
        rows.append(
            ReferenceFeature(
                geometry=mapping(feature.geometry),
                properties=json.loads(json.dumps(feature.properties, default=str)),
                area_m2=size,
                **_bbox(feature.geometry),
            )
        )
    min_lon, min_lat, max_lon, max_lat = geo.bounds(f.geometry for f in features)
    layer = ReferenceLayer.objects.create(
        county=county,
        kind=kind,
        name=name,
        source=(source or "").strip()[:200],
        valid_from=valid_from,
        uploaded_at=now,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        feature_count=len(rows),
        area_m2=total,
        min_lon=min_lon,
        min_lat=min_lat,
        max_lon=max_lon,
        max_lat=max_lat,
    )
    for row in rows:
        row.layer = layer
    ReferenceFeature.objects.bulk_create(rows, batch_size=500)
    record(
        actor=actor,
        action=AuditAction.IMPORT,
        instance=layer,
        changes={
            "layer": [", ".join(str(o.pk) for o in old) or None, f"{kind} {name}"],
            "features": [None, len(rows)],
        },
        division_code=county.code,
    )
    return layer


def tile_hosts(tile_url: str, subdomains: str) -> list[str]:
    """The origins (scheme and host) a tile URL template loads images from, one per
    subdomain; :class:`ValidationError` when the template is not a usable http(s) URL."""
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_("The tile URL must start with https:// or http://."))
    if "@" in parts.netloc or not _TILE_HOST.match(parts.netloc):
        raise ValidationError(_("The tile URL's host name is not valid."))
    if not all(part in tile_url for part in ("{x}", "{y}", "{z}")):
        raise ValidationError(_("The tile URL needs {x}, {y} and {z}."))
    host = parts.netloc
    if "{s}" in host:
        if not subdomains or not subdomains.isascii() or not subdomains.isalnum():
            raise ValidationError(
                _("The tile URL has {s}: give its subdomains (letters or digits, e.g. 01234567).")
            )
        hosts = [host.replace("{s}", s) for s in subdomains]
    else:
        hosts = [host]
    if any("{" in h or "}" in h for h in hosts):
        raise ValidationError(_("The tile URL's host name is not valid."))
    return [f"{parts.scheme}://{h}" for h in dict.fromkeys(hosts)]


@transaction.atomic
def save_map_settings(
    *, actor: Any, county: Division, tile_url: str, subdomains: str = "", attribution: str = ""
) -> MapSettings:
    """The county's tile service (empty URL: none, the plain background)."""
    check_at(actor, "administer", county.code, _("You do not administer this county."))
    _county(county)
    tile_url, subdomains = (tile_url or "").strip(), (subdomains or "").strip()
    if tile_url:
        tile_hosts(tile_url, subdomains)
    settings_row = MapSettings.objects.select_for_update().filter(county=county).first()
    before = settings_row.tile_url if settings_row else ""
    if settings_row is None:
        settings_row = MapSettings(county=county)
    settings_row.tile_url = tile_url
    settings_row.subdomains = subdomains
    settings_row.attribution = (attribution or "").strip()
    settings_row.save()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=settings_row,
        # the URL may hold the county's 天地图 key: the trail says whether it changed, not the key
        changes={"tile_url": [bool(before), bool(tile_url)], "changed": before != tile_url},
        division_code=county.code,
    )
    return settings_row


@dataclass(frozen=True)
class LayerConflict:
    """A parcel against a county layer: what, which layer, how many m², said in Chinese."""

    kind: str  # a LayerKind value
    layer: str  # the layer's name (names joined by '、' when several plan layers count)
    area_m2: float
    text: str


def _features_near(found: BaseGeometry, layers: list[ReferenceLayer]) -> list[ReferenceFeature]:
    min_lon, min_lat, max_lon, max_lat = found.bounds
    return list(
        ReferenceFeature.objects.filter(
            layer__in=layers,
            min_lon__lte=max_lon,
            max_lon__gte=min_lon,
            min_lat__lte=max_lat,
            max_lat__gte=min_lat,
        ).only("id", "layer_id", "geometry")
    )


def layer_conflicts(
    geometry: dict[str, Any] | BaseGeometry, *, village_code: str
) -> list[LayerConflict]:
    """Where a parcel of the village ``village_code`` conflicts with its county's layers in
    force (a flag for an official to answer, never a silent block):

    * ``BASIC_FARMLAND``: each layer the parcel overlaps by more than 1 m²;
    * ``PLAN_CONSTRUCTION``: the part of the parcel outside every plan feature of the
      county, when more than 1 m². A county with no plan layer gives nothing here (the
      caller may say "no plan layer uploaded": :func:`has_plan_layer`).

    ``geometry`` is GeoJSON (checked: :class:`geometry.GeometryError` on bad input) or a
    shapely geometry. Candidates come by bounding box from the database; shapely measures."""
    found = geometry if isinstance(geometry, BaseGeometry) else geo.check(geometry)
    county_code = village_code[: CODE_LENGTH[Level.COUNTY]]
    layers = list(
        ReferenceLayer.objects.current()
        .filter(county_id=county_code, kind__in=CHECKED_KINDS)
        .order_by("kind", "name", "id")
    )
    if not layers:
        return []
    near = _features_near(found, layers)
    conflicts = []
    for layer in layers:
        if layer.kind != LayerKind.BASIC_FARMLAND:
            continue
        parts = [shape(f.geometry) for f in near if f.layer_id == layer.pk]
        if not parts:
            continue
        shared = found.intersection(shapely.union_all(parts))
        size = 0.0 if shared.is_empty else geo.area_m2(shared)
        if size > geo.OVERLAP_TOLERANCE_M2:
            conflicts.append(
                LayerConflict(
                    LayerKind.BASIC_FARMLAND,
                    layer.name,
                    size,
                    _(
                        "The parcel overlaps the permanent basic farmland (%(layer)s) by "
                        "%(area)s m² (%(mu)s mu)."
                    )
                    % {
                        "layer": layer.name,
                        "area": _figure(size),
                        "mu": _figure(size / geo.M2_PER_MU),
                    },
                )
            )
    plans = [layer for layer in layers if layer.kind == LayerKind.PLAN_CONSTRUCTION]
    if plans:
        ids = {layer.pk for layer in plans}
        parts = [shape(f.geometry) for f in near if f.layer_id in ids]
        outside = found.difference(shapely.union_all(parts)) if parts else found
        size = 0.0 if outside.is_empty else geo.area_m2(outside)
        if size > geo.OVERLAP_TOLERANCE_M2:
            names = "、".join(layer.name for layer in plans)
            conflicts.append(
                LayerConflict(
                    LayerKind.PLAN_CONSTRUCTION,
                    names,
                    size,
                    _(
                        "%(area)s m² of the parcel lie outside the village plan's construction "
                        "area (%(layer)s)."
                    )
                    % {"layer": names, "area": _figure(size)},
                )
            )
    return conflicts


def has_plan_layer(*, village_code: str) -> bool:
    """Whether the village's county has a plan construction layer in force (when not,
    :func:`layer_conflicts` cannot say a parcel lies outside the plan)."""
    county_code = village_code[: CODE_LENGTH[Level.COUNTY]]
    return (
        ReferenceLayer.objects.current()
        .filter(county_id=county_code, kind=LayerKind.PLAN_CONSTRUCTION)
        .exists()
    )


def _figure(value: float) -> str:
    return f"{value:.2f}"


# --- the parcel's record: idle, exit, lease -----------------------------------------------


def lease_max_years() -> int:
    """The longest lease to someone outside the collective (中农发〔2019〕11号: 20 years)."""
    return int(settings.HEMEI_HOMESTEAD_LEASE_MAX_YEARS)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _locked(actor: Any, parcel: Parcel) -> Parcel:
    check_at(
        actor, "write_register", parcel.village_id, _("You do not keep this village's register.")
    )
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    if parcel.kind != ParcelKind.HOMESTEAD:
        raise ValidationError(_("Only a homestead is marked idle, given up or leased."))
    return parcel


def _past(on: dt.date, field: str) -> None:
    if on > clock.today():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _append(actor: Any, parcel: Parcel, kind: str, on: dt.date, **values: Any) -> ParcelEvent:
    event = ParcelEvent(
        parcel=parcel,
        kind=kind,
        on=on,
        actor=actor if getattr(actor, "pk", None) else None,
        **values,
    )
    event.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=event,
        changes={
            name: [None, str(value)]
            for name, value in {"kind": kind, "on": on, **values}.items()
            if value not in (None, "")
        },
        division_code=parcel.village_id,
    )
    return event


def _set_use(actor: Any, parcel: Parcel, use: str) -> None:
    before = parcel.use_state
    parcel.use_state = use
    parcel.save(update_fields=["use_state", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=parcel,
        changes={"use_state": [before, use]},
        division_code=parcel.village_id,
    )


@transaction.atomic
def mark_idle(*, actor: Any, parcel: Parcel, on: dt.date, note: str = "") -> ParcelEvent:
    """The homestead stands idle (闲置) from ``on``."""
    parcel = _locked(actor, parcel)
    _past(on, "on")
    if parcel.use_state != UseState.IN_USE:
        raise ValidationError(_("Only a homestead in use can be marked idle."))
    event = _append(actor, parcel, EventKind.IDLE_MARKED, on, note=note)
    _set_use(actor, parcel, UseState.IDLE)
    return event


@transaction.atomic
def clear_idle(*, actor: Any, parcel: Parcel, on: dt.date, note: str = "") -> ParcelEvent:
    """The idle homestead is in use again from ``on`` (lived in, or reused)."""
    parcel = _locked(actor, parcel)
    _past(on, "on")
    if parcel.use_state != UseState.IDLE:
        raise ValidationError(_("The homestead is not marked idle."))
    event = _append(actor, parcel, EventKind.IDLE_CLEARED, on, note=note)
    _set_use(actor, parcel, UseState.IN_USE)
    return event


@transaction.atomic
def record_exit(
    *,
    actor: Any,
    parcel: Parcel,
    on: dt.date,
    compensation: Decimal,
    agreement: Any = None,
    note: str = "",
) -> ParcelEvent:
    """The household gave the homestead back to the collective, voluntarily and for
    ``compensation`` yuan (自愿有偿退出), under an agreement (its file optional)."""
    parcel = _locked(actor, parcel)
    _past(on, "on")
    if parcel.use_state == UseState.EXITED:
        raise ValidationError(_("The homestead has been given up already."))
    if compensation is None or compensation < 0:
        raise ValidationError({"compensation": _("Enter the compensation (0 or more yuan).")})
    values: dict[str, Any] = {"compensation": compensation, "note": note}
    checked = check_upload(agreement) if agreement else None
    if checked is not None:
        values.update(agreement_name=checked.name, agreement_type=checked.content_type)
    event = ParcelEvent(parcel=parcel, kind=EventKind.EXITED, on=on, **values)
    if checked is not None:
        event.agreement.save(checked.name, ContentFile(checked.data), save=False)
    event.actor = actor if getattr(actor, "pk", None) else None
    event.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=event,
        changes={
            "kind": [None, EventKind.EXITED],
            "on": [None, str(on)],
            "compensation": [None, str(compensation)],
            "agreement": [None, values.get("agreement_name", "")],
        },
        division_code=parcel.village_id,
    )
    _set_use(actor, parcel, UseState.EXITED)
    return event


@transaction.atomic
def record_lease(
    *,
    actor: Any,
    parcel: Parcel,
    kind: str,
    lessee: str,
    outsider: bool,
    starts_on: dt.date,
    ends_on: dt.date,
    note: str = "",
) -> ParcelEvent:
    """A lease, equity stake or cooperation on the homestead and its house. To someone
    outside the collective (a town resident or a business) it may run at most
    :func:`lease_max_years` years (中农发〔2019〕11号)."""
    parcel = _locked(actor, parcel)
    if kind not in LeaseKind.values:
        raise ValidationError({"kind": _("Choose lease, equity stake or cooperation.")})
    lessee = (lessee or "").strip()
    if not lessee:
        raise ValidationError({"lessee": _("Enter who takes the homestead.")})
    if parcel.use_state == UseState.EXITED:
        raise ValidationError(
            _("The homestead has been given up: the household no longer leases it.")
        )
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The end comes after the start.")})
    limit = lease_max_years()
    if outsider and ends_on > add_years(starts_on, limit):
        raise ValidationError(
            {
                "ends_on": _(
                    "A homestead is leased to a town resident or a business for at most "
                    "%(years)d years (中农发〔2019〕11号): end it by %(last)s."
                )
                % {"years": limit, "last": add_years(starts_on, limit).isoformat()}
            }
        )
    clash = (
        parcel.events.filter(kind=EventKind.LEASED, starts_on__lt=ends_on, ends_on__gt=starts_on)
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("The homestead is leased to %(lessee)s from %(start)s to %(end)s already.")
            % {"lessee": clash.lessee, "start": clash.starts_on, "end": clash.ends_on}
        )
    return _append(
        actor,
        parcel,
        EventKind.LEASED,
        starts_on,
        lease_kind=kind,
        lessee=lessee[:100],
        lessee_outsider=outsider,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
    )

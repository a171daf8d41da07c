"""Changes to parcels: importing a village's register from GeoJSON, and the overlap check a
procedure runs on a new parcel (a flag for an official to answer, never a silent block)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from hemei.accounts.audit import record
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import check_at
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.households.models import Household

from . import geometry as geo
from .choices import ParcelKind
from .models import Parcel

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
        features = geo.read_geojson(data)
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
            "source": "GeoJSON",
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
    candidates = Parcel.objects.filter(
        min_lon__lte=max_lon, max_lon__gte=min_lon, min_lat__lte=max_lat, max_lat__gte=min_lat
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    parcels = list(candidates)
    if not parcels:
        return []
    index = geo.OverlapIndex([shape(p.geometry) for p in parcels])
    return [ParcelOverlap(parcels[o.index], o.area_m2) for o in index.overlaps(found)]

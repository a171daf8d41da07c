"""Changes to parcels: importing a village's register from GeoJSON, the overlap check a
procedure runs on a new parcel (a flag for an official to answer, never a silent block), and
what happens to a homestead later, appended to its record: marked idle and back in use, a
voluntary paid exit (自愿有偿退出), a lease, equity stake or cooperation (出租、入股、合作; to
someone outside the collective for at most ``HEMEI_HOMESTEAD_LEASE_MAX_YEARS`` years,
中农发〔2019〕11号). The register import from Excel is in ``register.py``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.households.models import Household

from . import geometry as geo
from .choices import EventKind, LeaseKind, ParcelKind, UseState
from .models import Parcel, ParcelEvent

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

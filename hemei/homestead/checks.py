"""The checks of an application: 一户一宅, the split, the hand-back, the limits in force and
the parcel's overlaps. Pure reads: they answer findings; ``services`` turns them into flags
for an official to answer (a finding never blocks by itself)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from hemei.divisions.choices import CODE_LENGTH, Level
from hemei.households.choices import EventKind as HouseholdEventKind
from hemei.households.models import HouseholdEvent
from hemei.places.choices import LayerKind, ParcelKind, UseState
from hemei.places.models import Parcel

from .choices import BuildType, FlagKind, LandType
from .models import Application, AreaLimit

#: A drawing differs from a survey by a little; below this nothing is said (m²).
TOLERANCE_M2 = 1.0


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str


def limit_for(village_code: str, terrain: str, on: dt.date) -> AreaLimit | None:
    """The county's limit for ``terrain`` in force on ``on``, else its province's."""
    county = village_code[: CODE_LENGTH[Level.COUNTY]]
    province = village_code[: CODE_LENGTH[Level.PROVINCE]]
    rows = {
        row.division_id: row
        for row in AreaLimit.objects.filter(division_id__in=[county, province], terrain=terrain)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("valid_from", "id")
    }
    return rows.get(county) or rows.get(province)


def held_homesteads(application: Application) -> list[Parcel]:
    """Every homestead the applicant's household holds in the register (not handed back)."""
    household = application.case.household_id
    if household is None:
        return []
    rows = Parcel.objects.filter(kind=ParcelKind.HOMESTEAD, household_id=household).exclude(
        use_state=UseState.EXITED
    )
    return list(rows.order_by("code"))


def given_up(application: Application) -> list[str]:
    """The household's homesteads recorded as exited or leased (the register's record)."""
    from hemei.places.choices import EventKind as ParcelEventKind
    from hemei.places.models import ParcelEvent

    household = application.case.household_id
    if household is None:
        return []
    rows = (
        ParcelEvent.objects.filter(
            parcel__household_id=household,
            kind__in=(ParcelEventKind.EXITED, ParcelEventKind.LEASED),
        )
        .values_list("parcel__code", "kind")
        .order_by("parcel__code", "id")
    )
    labels = dict(ParcelEventKind.choices)
    seen: list[str] = []
    for code, kind in rows:
        text = f"{code}（{labels[kind]}）"
        if text not in seen:
            seen.append(text)
    return seen


def split_in_register(household_id: int | None) -> bool:
    if household_id is None:
        return False
    return HouseholdEvent.objects.filter(
        Q(household_id=household_id) | Q(related_household_id=household_id),
        kind=HouseholdEventKind.SPLIT,
    ).exists()


def _over(value: Decimal | int | None, limit: Decimal | int | None) -> bool:
    return value is not None and limit is not None and value > limit


def limit_findings(application: Application, on: dt.date) -> list[Finding]:
    limit = limit_for(application.case.village_id, application.terrain, on)
    if limit is None:
        return [
            Finding(
                FlagKind.NO_LIMIT,
                _(
                    "No area limit for “%(terrain)s” is in force for the village on %(date)s: "
                    "the county office adds its rules."
                )
                % {"terrain": application.get_terrain_display(), "date": on.isoformat()},
            )
        ]
    found = []
    basis = limit.basis
    site = max(application.site_area, application.measured_area or Decimal(0))
    if _over(site, limit.max_site_area):
        found.append(
            Finding(
                FlagKind.SITE_AREA,
                _("Homestead %(area)s m² is over the limit of %(limit)s m² (%(basis)s).")
                % {"area": site, "limit": limit.max_site_area, "basis": basis},
            )
        )
    if _over(application.floor_area, limit.max_floor_area):
        found.append(
            Finding(
                FlagKind.FLOOR_AREA,
                _("Floor area %(area)s m² is over the limit of %(limit)s m² (%(basis)s).")
                % {"area": application.floor_area, "limit": limit.max_floor_area, "basis": basis},
            )
        )
    if _over(application.floors, limit.max_floors):
        found.append(
            Finding(
                FlagKind.FLOORS,
                _("%(floors)s floors are over the limit of %(limit)s (%(basis)s).")
                % {"floors": application.floors, "limit": limit.max_floors, "basis": basis},
            )
        )
    if _over(application.height, limit.max_height):
        found.append(
            Finding(
                FlagKind.HEIGHT,
                _("Height %(height)s m is over the limit of %(limit)s m (%(basis)s).")
                % {"height": application.height, "limit": limit.max_height, "basis": basis},
            )
        )
    return found


def parcel_findings(application: Application) -> list[Finding]:
    from hemei.places import services as places

    if not application.geometry:
        return [Finding(FlagKind.NO_GEOMETRY, _("The proposed homestead is not drawn on the map."))]
    found = []
    own = (
        {p.pk for p in held_homesteads(application)}
        if application.build_type in BuildType.keeps_site()
        else set()
    )
    others = [
        o
        for o in places.overlaps(application.geometry)
        if o.parcel.pk not in own and o.area_m2 > TOLERANCE_M2
    ]
    if others:
        found.append(
            Finding(
                FlagKind.OVERLAP,
                _("Overlaps %(parcels)s.")
                % {
                    "parcels": "、".join(
                        _("parcel %(code)s by %(area).1f m²")
                        % {"code": o.parcel.code, "area": o.area_m2}
                        for o in others
                    )
                },
            )
        )
    farmland, plan = [], []
    for conflict in places.layer_conflicts(
        application.geometry, village_code=application.case.village_id
    ):
        (farmland if conflict.kind == LayerKind.BASIC_FARMLAND else plan).append(conflict.text)
    if application.land_type in LandType.farmland():
        farmland.append(
            _("The land is %(type)s: the farmland conversion (农用地转用) comes first.")
            % {"type": application.get_land_type_display()}
        )
    if farmland:
        found.append(Finding(FlagKind.FARMLAND, "；".join(farmland)))
    if not application.fits_plan:
        plan.append(_("The application says the plot does not fit the village plan."))
    if plan:
        found.append(Finding(FlagKind.PLAN, "；".join(plan)))
    return found


def findings(application: Application, on: dt.date) -> list[Finding]:
    """Everything an official must answer about ``application`` on ``on``."""
    found = []
    held = held_homesteads(application)
    if held and application.build_type not in BuildType.keeps_site():
        found.append(
            Finding(
                FlagKind.HOLDS_HOMESTEAD,
                _("The household already holds %(parcels)s and the application is not a rebuild.")
                % {
                    "parcels": "、".join(
                        _("homestead %(code)s (%(area)s m²)") % {"code": p.code, "area": p.area_m2}
                        for p in held
                    )
                },
            )
        )
    given = given_up(application)
    if given:
        found.append(
            Finding(
                FlagKind.DISPOSED,
                _(
                    "The household has given up or leased out %(parcels)s: after selling, "
                    "renting out or giving away a house no new homestead is approved "
                    "(土地管理法第六十二条)."
                )
                % {"parcels": "、".join(given)},
            )
        )
    if application.build_type == BuildType.SPLIT and not split_in_register(
        application.case.household_id
    ):
        found.append(
            Finding(
                FlagKind.SPLIT_MISSING,
                _(
                    "A new house for a split household, but the register records no split of this household."
                ),
            )
        )
    if application.build_type == BuildType.MOVE and not application.handback_promised:
        found.append(
            Finding(
                FlagKind.NO_HANDBACK,
                _(
                    "A new site without a written promise to demolish the old house and hand back its homestead."
                ),
            )
        )
    found.extend(limit_findings(application, on))
    found.extend(parcel_findings(application))
    return found


def describe_members(household: Any, on: dt.date) -> list[dict[str, str]]:
    """The household's members as the application form lists them (head first), taken from
    the register so nobody types them again; identity numbers masked."""
    if household is None:
        return []
    rows = []
    members = household.members.filter(is_active=True).order_by("id")
    for resident in sorted(members, key=lambda r: r.relation != "head"):
        rows.append(
            {
                "name": resident.name,
                "gender": resident.get_gender_display() if resident.gender else "",
                "age": _age(resident.birth_date, on),
                "relation": resident.get_relation_display(),
                "id_number": resident.masked_id_number,
            }
        )
    return rows


def _age(born: dt.date | None, on: dt.date) -> str:
    if not born:
        return ""
    return str(on.year - born.year - ((on.month, on.day) < (born.month, born.day)))

"""Setting a village up for homestead approval: the default county catalogue adopted by the
village, and the area limits found in the provinces' rules (DOMAIN §1.5). Used by the demo
and by tests; an administrator does the same through the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hemei.catalogue import services as catalogue
from hemei.catalogue.install import install_default
from hemei.catalogue.models import CatalogueVersion
from hemei.catalogue.selectors import version_in_force
from hemei.divisions.models import Division
from hemei.procedures.adoption import MeetingKind

from .choices import Terrain
from .models import AreaLimit

#: Province limits with their sources (DOMAIN §1.5): division, terrain, site area, floor area,
#: floors, height, basis, in force from.
PROVINCE_LIMITS: list[tuple[str, str, str, str | None, int | None, str | None, str, dt.date]] = [
    (
        "44",
        Terrain.PLAIN,
        "80",
        None,
        None,
        None,
        "《广东省土地管理条例》（2022年8月1日起施行）",
        dt.date(2022, 8, 1),
    ),
    (
        "44",
        Terrain.HILL,
        "120",
        None,
        None,
        None,
        "《广东省土地管理条例》（2022年8月1日起施行）",
        dt.date(2022, 8, 1),
    ),
    (
        "44",
        Terrain.MOUNTAIN,
        "150",
        None,
        None,
        None,
        "《广东省土地管理条例》（2022年8月1日起施行）",
        dt.date(2022, 8, 1),
    ),
    ("45", Terrain.PLAIN, "100", "450", None, None, "桂自然资发〔2020〕70号", dt.date(2020, 1, 1)),
    ("45", Terrain.HILL, "150", "450", None, None, "桂自然资发〔2020〕70号", dt.date(2020, 1, 1)),
    (
        "45",
        Terrain.MOUNTAIN,
        "150",
        "450",
        None,
        None,
        "桂自然资发〔2020〕70号",
        dt.date(2020, 1, 1),
    ),
]


def install_province_limits(actor: Any = None) -> int:
    """The sourced province limits, for the provinces in the database; safe to re-run."""
    made = 0
    present = set(
        Division.objects.filter(code__in={row[0] for row in PROVINCE_LIMITS}).values_list(
            "code", flat=True
        )
    )
    for code, terrain, site, floor, floors, height, basis, start in PROVINCE_LIMITS:
        if code not in present:
            continue
        _row, created = AreaLimit.objects.get_or_create(
            division_id=code,
            terrain=terrain,
            valid_from=start,
            defaults={
                "max_site_area": Decimal(site),
                "max_floor_area": Decimal(floor) if floor else None,
                "max_floors": floors,
                "max_height": Decimal(height) if height else None,
                "basis": basis,
                "added_by": actor if getattr(actor, "pk", None) else None,
            },
        )
        made += created
    return made


def adopt_default_catalogue(
    actor: Any, village_code: str, *, on: dt.date = dt.date(2026, 1, 10)
) -> CatalogueVersion:
    """The county's default catalogue adopted by the village's representatives (once)."""
    found = version_in_force(village_code, on + dt.timedelta(days=5))
    if found is not None and found.items.filter(steps__limit_key="homestead.application").exists():
        return found
    village = Division.objects.get(code=village_code)
    template = install_default(actor=actor, county=Division.objects.get(code=village_code[:6]))
    draft = catalogue.draft_version(actor=actor, village=village, based_on=template)
    return catalogue.adopt_version(
        actor=actor,
        version=draft,
        meeting_kind=MeetingKind.REPRESENTATIVES,
        meeting_date=on,
        in_force_from=on + dt.timedelta(days=5),
    )

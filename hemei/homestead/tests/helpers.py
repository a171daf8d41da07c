"""Building blocks of the homestead tests: a village that adopted the default catalogue, a
county limit, parcels drawn in metres near 即墨, an application and a walk to any step."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hemei.cases import services as cases
from hemei.core import clock
from hemei.core.testing import COUNTY, VILLAGE_A, Cast, photo
from hemei.divisions.models import Division
from hemei.homestead import services
from hemei.homestead.choices import Terrain
from hemei.homestead.models import Application, AreaLimit
from hemei.homestead.samples import adopt_default_catalogue
from hemei.notices import services as notices
from hemei.places.choices import ParcelKind
from hemei.places.models import Parcel

LON, LAT = 120.4500, 36.3900
M_LAT = 1 / 111_320
M_LON = 1 / (111_320 * math.cos(math.radians(LAT)))
START = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)  # a Monday, 10:00 in Shanghai


def rectangle(x: float, y: float, width: float, depth: float) -> dict[str, Any]:
    """A rectangle ``width`` × ``depth`` metres whose south-west corner is ``x``, ``y``
    metres from the origin (east, north)."""
    x0, y0 = LON + x * M_LON, LAT + y * M_LAT
    x1, y1 = x0 + width * M_LON, y0 + depth * M_LAT
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def setup_village(cast: Cast) -> None:
    adopt_default_catalogue(cast.alice, VILLAGE_A)
    AreaLimit.objects.create(
        division_id=COUNTY,
        terrain=Terrain.PLAIN,
        max_site_area=Decimal(200),
        max_floor_area=Decimal(450),
        max_floors=3,
        max_height=Decimal(12),
        basis="县级测试规定",
        valid_from=dt.date(2026, 1, 1),
    )


def parcel(code: str, geometry: dict[str, Any], household: Any = None) -> Parcel:
    from shapely.geometry import shape

    from hemei.places import geometry as geo

    found = shape(geometry)
    min_lon, min_lat, max_lon, max_lat = found.bounds
    return Parcel.objects.create(
        village_id=VILLAGE_A,
        kind=ParcelKind.HOMESTEAD,
        code=code,
        household=household,
        geometry=geometry,
        area_m2=Decimal(str(round(geo.area_m2(found), 2))),
        min_lon=min_lon,
        min_lat=min_lat,
        max_lon=max_lon,
        max_lat=max_lat,
    )


def form(**extra: Any) -> dict[str, Any]:
    data = {
        "build_type": "rebuild",
        "reason": "旧房年久失修，拆除后原址翻建",
        "address": "红花山村三组12号",
        "east": "王家",
        "south": "村道",
        "west": "李家",
        "north": "空地",
        "terrain": Terrain.PLAIN,
        "land_type": "construction",
        "fits_plan": True,
        "site_area": "120",
        "footprint": "100",
        "floor_area": "200",
        "floors": "2",
        "height": "7.5",
        "disposal": "keep",
    }
    data.update(extra)
    return data


def apply(
    cast: Cast,
    *,
    actor: Any = None,
    geometry: Any = "default",
    at: dt.datetime = START,
    **extra: Any,
) -> Application:
    if geometry == "default":
        geometry = rectangle(0, 0, 10, 12)
    with clock.frozen_at(at):
        return services.apply(
            actor=actor or cast.vera,
            village=Division.objects.get(code=VILLAGE_A),
            data=form(**extra),
            geometry=geometry,
            neighbours=[
                {"side": side, "name": name, "agrees": True}
                for side, name in (
                    ("east", "王大"),
                    ("south", "村委"),
                    ("west", "李二"),
                    ("north", "张三"),
                )
            ],
        )


def jpeg(name: str = "现场.jpg", taken: str = "2026:06:15 10:00:00") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo(taken=taken), content_type="image/jpeg")


def sign(case: Any, actor: Any, when: dt.datetime, opinion: str = "同意") -> Any:
    with clock.frozen_at(when):
        return cases.pass_step(
            actor=actor, case=case, opinion=opinion, signer=str(actor), sealed=True
        )


def answer_all(application: Application, actor: Any, when: dt.datetime) -> None:
    with clock.frozen_at(when):
        for flag in application.flags.filter(answered_on=None):
            services.answer_flag(
                actor=actor, flag=flag, answer="已核实，情况属实，同意按规定办理", signer=str(actor)
            )


def walk_to(cast: Cast, application: Application, key: str) -> Application:
    """Take the case through its steps, every office agreeing, until ``key`` is in hand."""
    day = START
    for _n in range(20):
        application.refresh_from_db()
        case = application.case
        case.refresh_from_db()
        if case.step is None or case.step.limit_key == key:
            return application
        day += dt.timedelta(days=1)
        step = case.step.limit_key
        if case.state == "notice":
            with clock.frozen_at(day + dt.timedelta(days=8)):
                notices.end_due_notices()
            day += dt.timedelta(days=8)
            continue
        level = case.step.level
        actor = {
            "group": cast.victor,
            "village": cast.victor,
            "town": cast.tom,
            "county": cast.alice,
        }[level]
        answer_all(application, cast.tom if level == "town" else cast.victor, day)
        if step == "homestead.joint_review":
            with clock.frozen_at(day):
                for opinion in application.opinions.filter(
                    signed_on=None, round=services.current_round(application)
                ):
                    services.give_opinion(
                        actor=cast.tom, opinion=opinion, agrees=True, text="同意", signer="唐涛"
                    )
        if step == "homestead.staking":
            with clock.frozen_at(day):
                services.record_visit(
                    actor=cast.tom,
                    application=application,
                    stage="staking",
                    visited_on=day.date(),
                    officials="唐涛、国土所张工",
                    neighbours=["east", "south", "west", "north"],
                    photos=[jpeg(taken=day.strftime("%Y:%m:%d 10:00:00"))],
                )
        if step == "homestead.construction":
            with clock.frozen_at(day):
                services.record_visit(
                    actor=cast.tom,
                    application=application,
                    stage="construction",
                    visited_on=day.date(),
                    officials="唐涛",
                    note="按放样线施工",
                )
        if step == "homestead.completion":
            with clock.frozen_at(day):
                services.record_visit(
                    actor=cast.tom,
                    application=application,
                    stage="completion",
                    visited_on=day.date(),
                    officials="唐涛、规划所李工",
                    site_area="120",
                    footprint="100",
                    floors=2,
                    height="7.5",
                    photos=[jpeg(taken=day.strftime("%Y:%m:%d 10:00:00"))],
                )
        sign(case, actor, day)
    raise AssertionError("the case did not reach " + key)

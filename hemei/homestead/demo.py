"""Demo homestead approval in 红花山村 (田横镇): the county's limit, the village's register of
homesteads drawn on the map, and applications in every state, each taken through the
services on the day it happened:

* 006 rebuilds on its own site: approved, staked out with the four neighbours, a deviation
  over the red line found during construction and corrected, accepted, registered, archived;
* 009 moves to a new site while it holds one: flagged (一户一宅), answered by the village with
  the promise to hand the old one back; staked out, now building;
* 010 wants a plot on cultivated land: flagged, the natural-resources office disagrees, the
  town refuses in writing (the letter downloads as Word);
* 003-1, split from 003 in May, builds its first house: the joint review is late, the office
  that has not answered climbs the ladder (cards, a 督办单);
* 008, the demo villager's household, applied from a phone on 1 December: in the group's
  public notice.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hemei.core import clock

VILLAGE = "370215100214"  # 红花山村
COUNTY = "370215"
#: the village's houses lie around here (east of 田横镇, near the coast)
LON, LAT = 120.9050, 36.4420
M_LAT = 1 / 111_320
M_LON = 1 / (111_320 * math.cos(math.radians(LAT)))


PHOTO_NAMES = {
    "selection": "选址.jpg",
    "staking": "放样.jpg",
    "construction": "巡查.jpg",
    "completion": "竣工.jpg",
}


def at(day: dt.date, hour: int = 10) -> Any:
    return clock.frozen_at(dt.datetime(day.year, day.month, day.day, hour - 8, tzinfo=dt.UTC))


def lot(x: float, y: float, width: float = 12, depth: float = 15) -> dict[str, Any]:
    """A plot ``width`` × ``depth`` m whose south-west corner lies ``x``, ``y`` m east and
    north of the village's origin."""
    x0, y0 = LON + x * M_LON, LAT + y * M_LAT
    x1, y1 = x0 + width * M_LON, y0 + depth * M_LAT
    ring = [
        [round(a, 7), round(b, 7)] for a, b in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def grid(number: int) -> tuple[float, float]:
    """Where household ``number``'s homestead lies: four rows of five along the lanes."""
    index = number - 1
    return (index % 5) * 16.0, (index // 5) * 19.0


def photo(day: dt.date, x: float, y: float, name: str) -> SimpleUploadedFile:
    """A JPEG with the EXIF time of the visit and the GPS of the plot, as a phone writes it."""
    from PIL import Image

    def dms(value: float) -> tuple[float, float, float]:
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
        return (degrees, minutes, seconds)

    image = Image.new("RGB", (96, 72), (150, 130, 110))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = day.strftime("%Y:%m:%d 10:20:00")
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", dms(LAT + y * M_LAT)
    gps[3], gps[4] = "E", dms(LON + x * M_LON)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def load() -> None:
    from hemei.accounts.models import User
    from hemei.households.models import Household
    from hemei.places.models import Parcel

    from .models import AreaLimit
    from .samples import install_province_limits

    people = {
        u.username: u
        for u in User.objects.filter(username__in=["admin", "honghuashan", "tianheng", "villager"])
    }
    if len(people) < 4 or not Household.objects.filter(village_id=VILLAGE).exists():
        return
    if (
        Parcel.objects.filter(village_id=VILLAGE).exists()
        or AreaLimit.objects.filter(division_id=COUNTY).exists()
    ):
        return
    admin = people["admin"]
    install_province_limits(admin)
    with at(dt.date(2026, 1, 5)):
        AreaLimit.objects.create(
            division_id=COUNTY,
            terrain="plain",
            max_site_area=Decimal(200),
            max_floor_area=Decimal(450),
            max_floors=3,
            max_height=Decimal("12.00"),
            basis="演示值：即墨区农村宅基地和村民自建住房面积标准（⚠ 以《山东省土地管理条例》和区政府规定为准）",
            valid_from=dt.date(2026, 1, 1),
            added_by=admin,
        )
    homes = {h.number: h for h in Household.objects.filter(village_id=VILLAGE, is_active=True)}
    _time_limits(admin)
    _layers(admin)
    _register(people["honghuashan"], homes)
    _applications(people, homes)
    from hemei.supervision.services import climb_ladder

    # the ladder has swept every day since: the office late in the joint review shows its cards
    climb_ladder(today=clock.today())


def area(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return lot(x0, y0, x1 - x0, y1 - y0)


def _time_limits(admin: Any) -> None:
    """The county's own day counts for the homestead steps (a county overrides its
    province; the catalogue's days apply where it set none)."""
    from hemei.divisions.models import Division
    from hemei.procedures.services import add_time_limit

    county = Division.objects.get(code=COUNTY)
    basis = "即墨区农村宅基地和村民自建住房审批管理办法（演示数据，⚠ 以区政府文件为准）"
    rows = [
        ("homestead.group_review", "村民小组会议讨论", 5, "workday", 0),
        ("homestead.village_review", "村级审查", 5, "workday", 0),
        ("homestead.joint_review", "乡镇联审", 10, "workday", 5),
        ("homestead.decision", "乡镇审批", 5, "day", 0),
        ("homestead.completion", "竣工验收", 10, "workday", 5),
    ]
    with at(dt.date(2026, 1, 5)):
        for key, name, days, unit, extension in rows:
            add_time_limit(
                actor=admin,
                division=county,
                key=key,
                name=name,
                days=days,
                unit=unit,
                extension_days=extension,
                basis=basis,
                valid_from=dt.date(2026, 1, 1),
            )


def _layers(admin: Any) -> None:
    """The county's layers around the village: the 村庄规划 construction land holds the houses
    and the new plots to the east; the cultivated land south of the lane is 永久基本农田."""
    from hemei.divisions.models import Division
    from hemei.places.services import upload_layer

    county = Division.objects.get(code=COUNTY)

    def collection(*polygons: dict[str, Any], name: str) -> str:
        features = [
            {"type": "Feature", "geometry": polygon, "properties": {"名称": f"{name}{index}"}}
            for index, polygon in enumerate(polygons, start=1)
        ]
        return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)

    with at(dt.date(2026, 1, 20)):
        upload_layer(
            actor=admin,
            county=county,
            kind="plan_construction",
            name="村庄规划建设用地范围（红花山村）",
            data=collection(area(-10, -10, 125, 90), name="建设用地"),
            source="红花山村村庄规划（2021—2035年）（演示数据）",
            valid_from=dt.date(2022, 6, 1),
        )
        upload_layer(
            actor=admin,
            county=county,
            kind="basic_farmland",
            name="永久基本农田（田横镇）",
            data=collection(area(-60, -160, 200, -20), area(140, -20, 260, 120), name="保护图斑"),
            source="即墨区永久基本农田划定成果（演示数据）",
            valid_from=dt.date(2020, 1, 1),
        )


def _register(office: Any, homes: dict[str, Any]) -> None:
    """The village's homesteads, imported from the surveyor's GeoJSON."""
    from hemei.divisions.models import Division
    from hemei.places.services import import_parcels

    features = []
    for number in sorted(homes):
        if not number.isdigit():
            continue  # a household split off this year has no homestead yet
        x, y = grid(int(number))
        features.append(
            {
                "type": "Feature",
                "geometry": lot(x, y),
                "properties": {"编号": f"ZJ{number}", "户号": number},
            }
        )
    with at(dt.date(2026, 2, 20)):
        import_parcels(
            actor=office,
            village=Division.objects.get(code=VILLAGE),
            data=json.dumps(
                {"type": "FeatureCollection", "features": features}, ensure_ascii=False
            ),
        )


def _applications(people: dict[str, Any], homes: dict[str, Any]) -> None:
    from hemei.cases import services as cases
    from hemei.divisions.models import Division
    from hemei.notices import services as notices

    from . import services

    village = Division.objects.get(code=VILLAGE)
    office, town, admin = people["honghuashan"], people["tianheng"], people["admin"]

    def sign(application: Any, who: Any, opinion: str, day: dt.date) -> Any:
        application.case.refresh_from_db()
        with at(day):
            cases.pass_step(
                actor=who, case=application.case, opinion=opinion, signer=who.full_name, sealed=True
            )
        application.refresh_from_db()
        return application

    def end_notices(day: dt.date) -> None:
        with at(day, 18):
            notices.end_due_notices()

    def answer(application: Any, who: Any, text: str, day: dt.date) -> None:
        with at(day):
            for flag in application.flags.filter(answered_on=None):
                services.answer_flag(actor=who, flag=flag, answer=text, signer=who.full_name)

    def opinions(application: Any, day: dt.date, **agree: bool) -> None:
        texts = {
            "agriculture": "申请人符合“一户一宅”条件，面积符合标准，村民小组讨论和公示程序完备。",
            "resources": "符合村庄规划和用途管制要求，同意核发乡村建设规划许可证。",
        }
        with at(day):
            for row in application.opinions.filter(signed_on=None):
                yes = agree.get(row.office, True)
                services.give_opinion(
                    actor=town,
                    opinion=row,
                    agrees=yes,
                    text=texts.get(row.office, "同意。")
                    if yes
                    else "拟用地块为耕地，位于永久基本农田保护范围内，不符合用途管制要求，不同意。",
                    signer=town.full_name,
                    sealed=True,
                )

    def start(number: str, day: dt.date, geometry: Any, actor: Any = None, **data: Any) -> Any:
        defaults = {
            "build_type": "rebuild",
            "reason": "旧房建于上世纪八十年代，墙体开裂，拆除后原址翻建",
            "address": f"红花山村{number}号",
            "east": "村道",
            "south": "邻户",
            "west": "邻户",
            "north": "巷道",
            "terrain": "plain",
            "land_type": "construction",
            "fits_plan": True,
            "site_area": "180",
            "footprint": "120",
            "floor_area": "240",
            "floors": "2",
            "height": "7.80",
            "base_height": "0.45",
            "design": "鲁农房通用图集 A-2",
            "disposal": "keep",
        }
        defaults.update(data)
        neighbours = [
            {"side": "east", "name": "村委会（村道）", "agrees": True},
            {"side": "south", "name": "相邻户", "agrees": True},
            {"side": "west", "name": "相邻户", "agrees": True},
            {"side": "north", "name": "相邻户", "agrees": True},
        ]
        with at(day):
            return services.apply(
                actor=actor or office,
                village=village,
                household=None if actor is not None else homes[number],
                data=defaults,
                geometry=geometry,
                neighbours=neighbours,
            )

    def visit(
        application: Any, stage: str, day: dt.date, at_xy: tuple[float, float], **extra: Any
    ) -> Any:
        """A visit of the town on ``day``, with a photo taken on the plot at ``at_xy``."""
        x, y = at_xy
        with at(day):
            return services.record_visit(
                actor=town,
                application=application,
                stage=stage,
                visited_on=day,
                photos=[photo(day, x + 6, y + 7, PHOTO_NAMES[stage])],
                **extra,
            )

    def through_village(application: Any, day: dt.date) -> dt.date:
        sign(application, office, "经村民小组会议讨论，同意申请，已在组内公示。", day)
        end_notices(day + dt.timedelta(days=8))
        sign(
            application,
            office,
            "材料真实，符合村庄规划，已征求相邻权利人意见，无异议。",
            day + dt.timedelta(days=9),
        )
        sign(application, town, "材料齐全，予以受理。", day + dt.timedelta(days=10))
        return day + dt.timedelta(days=10)

    # 006: rebuilt on its own site, a deviation corrected, accepted and registered
    if "006" in homes:
        x, y = grid(6)
        a = start("006", dt.date(2026, 3, 2), lot(x, y))
        day = through_village(a, dt.date(2026, 3, 3))
        opinions(a, day + dt.timedelta(days=4))
        a = sign(a, town, "联审意见一致同意。", day + dt.timedelta(days=5))
        a = sign(
            a,
            town,
            "同意批准，核发农村宅基地批准书和乡村建设规划许可证。",
            day + dt.timedelta(days=6),
        )
        staked = dt.date(2026, 3, 25)
        visit(
            a,
            "staking",
            staked,
            (x, y),
            officials="孙海燕、镇自然资源所于工",
            neighbours=["east", "south", "west", "north"],
            note="按批准四至放线，四邻到场确认签字。",
            builder="姜志刚（持证乡村建筑工匠）",
        )
        a = sign(a, town, "已定点放样，四邻签字确认。", staked)
        found = dt.date(2026, 5, 20)
        visit(
            a,
            "construction",
            found,
            (x, y),
            officials="孙海燕",
            note="东侧圈梁外挑超出批准红线。",
            deviations=[
                {
                    "kind": "over_line",
                    "text": "东侧外墙超出批准红线0.6米",
                    "correct_by": dt.date(2026, 6, 5),
                }
            ],
        )
        with at(dt.date(2026, 6, 2)):
            services.correct_deviation(
                actor=town,
                deviation=a.visits.get(visited_on=found).deviations.get(),
                answer="已拆除超出部分，复核符合批准四至。",
                corrected_on=dt.date(2026, 6, 2),
            )
        later = dt.date(2026, 7, 15)
        visit(
            a,
            "construction",
            later,
            (x, y),
            officials="孙海燕",
            note="主体封顶，按图施工。",
        )
        a = sign(a, town, "施工过程巡查完毕，户主报告竣工。", dt.date(2026, 8, 28))
        done = dt.date(2026, 9, 5)
        visit(
            a,
            "completion",
            done,
            (x, y),
            officials="孙海燕、于工、村委刘洪波",
            site_area="180",
            footprint="119.5",
            floors=2,
            height="7.75",
            note="面积、四至、层数、高度与批准一致。",
        )
        a = sign(a, town, "验收合格。", dt.date(2026, 9, 6))
        a = sign(a, admin, "已办理不动产登记。", dt.date(2026, 9, 25))
        sign(a, town, "资料归档。", dt.date(2026, 9, 28))

    # 009: a new site while holding the old homestead: flagged, answered, building now
    if "009" in homes:
        x, y = 80.0, 0.0
        a = start(
            "009",
            dt.date(2026, 7, 6),
            lot(x, y),
            build_type="move",
            reason="原宅基地位于河道管理范围内，易址新建",
            address="红花山村东片新区1号",
            handback_promised=True,
            disposal="return",
        )
        answer(
            a,
            office,
            "该户原宅基地（ZJ009）位于河道管理范围内，已签订拆旧退还承诺书，新房竣工后三个月内退还村集体。",
            dt.date(2026, 7, 7),
        )
        day = through_village(a, dt.date(2026, 7, 7))
        opinions(a, day + dt.timedelta(days=3))
        a = sign(a, town, "联审意见一致同意。", day + dt.timedelta(days=4))
        answer(
            a,
            town,
            "复核：原宅基地退还承诺已入档，退还期限到时由村督促。",
            day + dt.timedelta(days=5),
        )
        a = sign(a, town, "同意批准。", day + dt.timedelta(days=5))
        staked = dt.date(2026, 8, 10)
        visit(
            a,
            "staking",
            staked,
            (x, y),
            officials="孙海燕、于工",
            neighbours=["east", "south", "west", "north"],
        )
        sign(a, town, "已定点放样。", staked)

    # 010: a plot on cultivated land: the natural-resources office disagrees, refused
    if "010" in homes:
        a = start(
            "010",
            dt.date(2026, 9, 14),
            lot(40.0, -60.0),
            build_type="split",
            land_type="cultivated",
            reason="子女结婚需另建住房",
            address="红花山村南坡耕地",
        )
        answer(
            a,
            office,
            "已向申请人说明：该户已有宅基地，分户尚未在户籍登记，拟用地块为耕地且不在村庄规划"
            "建设用地范围内；申请人坚持报镇审核。",
            dt.date(2026, 9, 15),
        )
        day = through_village(a, dt.date(2026, 9, 15))
        opinions(a, day + dt.timedelta(days=3), resources=False)
        a = sign(a, town, "联审完毕，自然资源所不同意。", day + dt.timedelta(days=4))
        answer(a, town, "经核实拟用地块为永久基本农田，不予批准。", day + dt.timedelta(days=5))
        with at(day + dt.timedelta(days=5)):
            cases.refuse(
                actor=town,
                case=a.case,
                reason="拟用地块为耕地，位于永久基本农田保护范围内，依据《土地管理法》第三十五条、第六十二条不予批准；可在村庄规划确定的建设用地范围内另行选址申请。",
                signer=town.full_name,
            )

    # 003-1: split in May, first house; the joint review is late
    if "003-1" in homes:
        a = start(
            "003-1",
            dt.date(2026, 10, 26),
            lot(96.0, 0.0),
            build_type="split",
            reason="分户后无宅基地，申请新建住宅",
            address="红花山村东片新区2号",
            disposal="none",
        )
        day = through_village(a, dt.date(2026, 10, 27))
        with at(day + dt.timedelta(days=2)):
            row = a.opinions.get(office="agriculture")
            services.give_opinion(
                actor=town,
                opinion=row,
                agrees=True,
                text="符合分户条件，面积符合标准。",
                signer=town.full_name,
            )

    # 008: the demo villager applies from her phone; in the group's notice now
    if "008" in homes:
        villager = people["villager"]
        x, y = grid(8)
        a = start("008", dt.date(2026, 12, 1), lot(x, y), actor=villager)
        sign(a, office, "经第二村民小组会议讨论，同意申请。", dt.date(2026, 12, 2))

"""Demo catalogue and cases: the county installs the default catalogue (35 items) and the
five villages with a register adopt it at their representatives' meetings in January 2026;
红花山村 then has cases in every state, each taken through the services on the day it
happened:

* a relief application (临时救助) completed after its village notice;
* a land-transfer contract (土地经营权流转) returned by the town to the village;
* a residence certificate refused in writing (its letter downloads as Word);
* a house acceptance (竣工验收) with its clock paused for the survey;
* a lease of the village's idle workshop (集体资产出租) that went through 四议两公开 —
  four meetings with their quorums, the resolution published — and on to its result.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hemei.core import clock

VILLAGE = "370215100214"  # 红花山村
VILLAGES = ["370215100214", "370215100219", "370215100231", "370215100228", "370215101230"]
MINUTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def at(day: dt.date, hour: int = 10) -> Any:
    """The clock frozen at ``hour`` o'clock (Shanghai) of ``day``."""
    return clock.frozen_at(dt.datetime(day.year, day.month, day.day, hour - 8, tzinfo=dt.UTC))


def load() -> None:
    from hemei.accounts.models import User
    from hemei.catalogue import services as catalogue
    from hemei.catalogue.install import install_default
    from hemei.catalogue.models import Catalogue
    from hemei.demo import DEMO_COUNTY
    from hemei.divisions.models import Division
    from hemei.procedures.adoption import MeetingKind

    people = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    if "admin" not in people or Catalogue.objects.filter(division_id=DEMO_COUNTY).exists():
        return
    admin = people["admin"]
    with at(dt.date(2026, 1, 5)):
        template = install_default(actor=admin, county=Division.objects.get(code=DEMO_COUNTY))
    for code in VILLAGES:
        village = Division.objects.filter(code=code).first()
        if village is None:
            continue
        keeper = people.get("honghuashan") if code == VILLAGE else admin
        with at(dt.date(2026, 1, 12)):
            draft = catalogue.draft_version(actor=keeper, village=village, based_on=template)
            catalogue.adopt_version(
                actor=keeper,
                version=draft,
                meeting_kind=MeetingKind.REPRESENTATIVES,
                meeting_date=dt.date(2026, 1, 10),
                in_force_from=dt.date(2026, 1, 12),
                note="2026年第一次村民代表会议通过",
            )
    if {"honghuashan", "tianheng", "villager"} <= set(people):
        _cases(people)


_USERNAMES = ["admin", "honghuashan", "tianheng", "villager"]


def _cases(people: dict[str, Any]) -> None:
    from hemei.divisions.models import Division
    from hemei.households.models import Household
    from hemei.notices import services as notices
    from hemei.supervision.services import climb_ladder

    from . import services

    village = Division.objects.get(code=VILLAGE)
    office, town, villager = people["honghuashan"], people["tianheng"], people["villager"]
    homes = {h.number: h for h in Household.objects.filter(village_id=VILLAGE)}

    def sign(case: Any, who: Any, opinion: str, day: dt.date, **extra: Any) -> Any:
        with at(day):
            return services.pass_step(
                actor=who, case=case, opinion=opinion, signer=who.full_name, sealed=True, **extra
            )

    def end_notices(day: dt.date) -> None:
        with at(day, 18):
            notices.end_due_notices()

    # 1. relief, applied for by the demo villager: village check and notice, town approval
    with at(dt.date(2026, 3, 2)):
        relief = services.start_case(
            actor=villager, village=village, item_code="H01", title="房屋漏雨修缮临时救助"
        )
    relief = sign(
        relief, office, "经入户核实，房屋屋面漏雨属实，符合临时救助条件。", dt.date(2026, 3, 3)
    )
    end_notices(dt.date(2026, 3, 6))
    relief.refresh_from_db()
    sign(relief, town, "同意给予临时救助2000元。", dt.date(2026, 3, 10))

    # 3. land transfer: the town sends it back to the village for a missing term
    if "005" in homes:
        with at(dt.date(2026, 11, 30)):
            transfer = services.start_case(
                actor=office,
                village=village,
                item_code="G01",
                title="流转承包地12亩给本村种植合作社",
                household=homes["005"],
            )
        transfer = sign(transfer, office, "经核实，流转土地权属清楚。", dt.date(2026, 12, 1))
        with at(dt.date(2026, 12, 3)):
            services.return_case(
                actor=town,
                case=transfer,
                to_position=2,
                reason="合同未写明流转期限和到期后地上附着物处理办法，请补正。",
            )

    # 4. a residence certificate refused in writing
    if "011" in homes:
        with at(dt.date(2026, 9, 7)):
            certificate = services.start_case(
                actor=office,
                village=village,
                item_code="I02",
                title="开具在本村居住满五年证明",
                household=homes["011"],
            )
        with at(dt.date(2026, 9, 8)):
            services.refuse(
                actor=office,
                case=certificate,
                reason="经核实，申请人2023年起常住外地，本村无法证明其在本村居住满五年；"
                "可向居住地社区或派出所申请。",
                signer=office.full_name,
            )

    # 5. house acceptance paused for the survey report
    if "014" in homes:
        with at(dt.date(2026, 11, 23)):
            acceptance = services.start_case(
                actor=office,
                village=village,
                item_code="F03",
                title="新建住宅竣工验收",
                household=homes["014"],
            )
        with at(dt.date(2026, 11, 24)):
            services.pause(actor=office, case=acceptance, reason="等待测绘单位出具房屋测绘报告")

    # 6. the lease of the idle workshop, through 四议两公开
    _lease(village, office, town, sign, end_notices)

    # the ladder has swept every day since (the homestead demo's late offices climb it too)
    climb_ladder(today=clock.today())


def _lease(village: Any, office: Any, town: Any, sign: Any, end_notices: Any) -> None:
    from hemei.procedures import services as procedures
    from hemei.procedures.models import DecisionProcess

    from . import services

    with at(dt.date(2026, 4, 1)):
        lease = services.start_case(
            actor=office,
            village=village,
            item_code="C01",
            title="村东闲置厂房对外出租五年",
            amount=Decimal("48000.00"),
        )
    lease = sign(lease, office, "两委会研究，拟公开招租，年租金底价9600元。", dt.date(2026, 4, 2))
    with at(dt.date(2026, 4, 3)):
        record = procedures.create_record(
            actor=office,
            village=village,
            title="村东闲置厂房对外出租五年",
            process=DecisionProcess.objects.get(division=None, name="四议两公开"),
            description="厂房面积420平方米，租期五年，公开竞价。",
        )
    meetings = [
        (dt.date(2026, 4, 7), 7, 7, 7, 0, 0),  # 党支部提议
        (dt.date(2026, 4, 9), 9, 9, 8, 0, 1),  # 两委会商议
        (dt.date(2026, 4, 14), 31, 26, 24, 1, 1),  # 党员大会审议
        (dt.date(2026, 4, 20), 45, 38, 33, 3, 2),  # 村民代表会议决议
    ]
    for held_on, entitled, present, votes_for, against, abstain in meetings:
        record.refresh_from_db()
        with at(held_on, 16):
            procedures.record_meeting(
                actor=office,
                record=record,
                held_on=held_on,
                entitled=entitled,
                present=present,
                votes_for=votes_for,
                against=against,
                abstain=abstain,
                minutes=SimpleUploadedFile("会议记录.pdf", MINUTES, content_type="application/pdf"),
            )
    record.refresh_from_db()
    with at(dt.date(2026, 4, 21)):
        procedures.publish(
            actor=office,
            record=record,
            published_on=dt.date(2026, 4, 21),
            text="经村民代表会议表决通过：村东闲置厂房以公开竞价方式出租，租期五年，年租金底价9600元。",
        )
        services.link_decision(actor=office, case=lease, record=record)
    lease = sign(lease, office, "村民代表会议已表决通过。", dt.date(2026, 4, 21))
    lease = sign(lease, office, "交易公告已张贴。", dt.date(2026, 4, 22))
    end_notices(dt.date(2026, 4, 28))
    lease.refresh_from_db()
    lease = sign(lease, town, "经公开竞价，最高报价年租金11200元。", dt.date(2026, 5, 15))
    lease = sign(lease, town, "合同条款合规，同意签订。", dt.date(2026, 5, 19))
    lease = sign(lease, office, "合同已签订并鉴证备案。", dt.date(2026, 5, 22))
    lease = sign(lease, office, "出租结果已公开。", dt.date(2026, 5, 25))
    end_notices(dt.date(2026, 6, 2))
    record.refresh_from_db()
    with at(dt.date(2026, 6, 3)):
        procedures.publish(
            actor=office,
            record=record,
            published_on=dt.date(2026, 6, 3),
            text="厂房已出租给本县一家农产品加工企业，年租金11200元，租金已按合同收取。",
        )

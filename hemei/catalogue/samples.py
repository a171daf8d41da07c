"""A small catalogue for tests and the permission matrix: a county template with one item of
each kind, adopted by a village. (The demo ships the full default catalogue.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hemei.divisions.models import Division
from hemei.procedures.adoption import MeetingKind
from hemei.procedures.choices import TimeUnit

from . import services
from .choices import Disclosure, Level, ListKind, Starter
from .models import CatalogueVersion
from .services import ItemRow, StepRow

ALL_FIVE = [d.value for d in Disclosure]


def sample_rows() -> list[ItemRow]:
    return [
        ItemRow(
            code="F01",
            list_kind=ListKind.SERVICE,
            area="民生保障",
            name="临时救助申请",
            basis="《社会救助暂行办法》",
            starter=Starter.VILLAGER,
            disclosures=ALL_FIVE,
            steps=[
                StepRow("提出申请", Level.APPLICANT, materials="申请书、户口簿"),
                StepRow("村委会入户核实", Level.VILLAGE, days=3, extension_days=2, notice_days=3),
                StepRow("乡镇审核审批", Level.TOWN, days=5, extension_days=3),
            ],
        ),
        ItemRow(
            code="G01",
            list_kind=ListKind.POWER,
            area="工程项目",
            name="村级小型工程建设",
            basis="村级工程管理制度",
            starter=Starter.OFFICIAL,
            amount_label="工程预算（元）",
            disclosures=ALL_FIVE,
            steps=[
                StepRow("两委会商议", Level.VILLAGE, days=5),
                StepRow(
                    "村务监督委员会知情",
                    Level.VILLAGE,
                    days=3,
                    min_amount=Decimal("10000"),
                ),
                StepRow(
                    "四议两公开决议",
                    Level.VILLAGE,
                    days=20,
                    needs_decision=True,
                    min_amount=Decimal("50000"),
                ),
                StepRow(
                    "乡镇公共资源交易中心公开招标",
                    Level.TOWN,
                    days=20,
                    unit=TimeUnit.CALENDAR_DAY,
                    min_amount=Decimal("100000"),
                ),
                StepRow("组织验收并公开结果", Level.VILLAGE, days=10),
            ],
        ),
        ItemRow(
            code="N01",
            list_kind=ListKind.NEGATIVE,
            area="村级减负",
            name="不得要求村级出具亲属关系证明",
            basis="厅字〔2022〕28号",
        ),
    ]


def adopted_catalogue(
    actor: Any, village_code: str, *, county_code: str | None = None
) -> CatalogueVersion:
    """The county's template (published) adopted by the village at a meeting of 2026-01-10."""
    county = Division.objects.get(code=county_code or village_code[:6])
    template = services.create_template(actor=actor, division=county, name="县级村级事项清单范本")
    services.replace_items(actor=actor, version=template, rows=sample_rows())
    services.publish_template(actor=actor, version=template)
    draft = services.draft_version(
        actor=actor, village=Division.objects.get(code=village_code), based_on=template
    )
    return services.adopt_version(
        actor=actor,
        version=draft,
        meeting_kind=MeetingKind.REPRESENTATIVES,
        meeting_date=dt.date(2026, 1, 10),
        in_force_from=dt.date(2026, 1, 15),
    )

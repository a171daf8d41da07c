"""The default county disclosure catalogue (村务公开目录), written for Hemei from the statutory
list (村民委员会组织法 art. 30) and the Zhejiang and Fujian catalogues summarised in
DOMAIN.md §4.5 and §2.6. A county downloads it as a sheet, edits it and imports it.

⚠ The day numbers and working-day counts are the examples those catalogues use (the 10th of
the month for monthly finances, the 20th of a quarter's first month, 20 working days after a
matter arises); every one is the county's to change, not a rule of the platform.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .choices import Audience
from .models import CatalogueItem
from .timing import parse_timing

ORGANIC_LAW = "《村民委员会组织法》第三十条"
RURAL_WORK = "《中国共产党农村工作条例》；中办发〔2004〕17号"
FINANCE = "《农村集体经济组织财务公开规定》"
BOARD = "村务公开栏、和美平台"


@dataclass(frozen=True)
class DefaultItem:
    key: str
    level1: str
    level2: str
    content: str
    basis: str
    timing: str
    publisher: str
    channel: str = BOARD
    audience: str = Audience.PUBLIC
    mask: tuple[str, ...] = ()


ITEMS = (
    DefaultItem(
        "plan.yearly",
        "村级重大事项",
        "年度工作计划",
        "本年度村工作目标、重点任务和村民（代表）会议已作决定的事项清单",
        ORGANIC_LAW,
        "每年3月31日前",
        "村民委员会",
    ),
    DefaultItem(
        "decision.resolution",
        "村级重大事项",
        "“四议两公开”决议",
        "经党组织提议、两委商议、党员大会审议、村民（代表）会议决议的事项：名称、表决情况、决议内容",
        RURAL_WORK,
        "信息形成或变更之日起5个工作日内",
        "村党组织、村民委员会",
    ),
    DefaultItem(
        "decision.result",
        "村级重大事项",
        "决议实施结果",
        "已决议事项的实施进度、完成情况和资金使用结果",
        RURAL_WORK,
        "信息形成或变更之日起10个工作日内",
        "村民委员会",
    ),
    DefaultItem(
        "project.major",
        "工程项目",
        "5万元以上投资项目",
        "项目名称、总投资及资金来源、施工单位、开工和完工时间、验收结果",
        ORGANIC_LAW,
        "随时公开",
        "村民委员会",
    ),
    DefaultItem(
        "project.tender",
        "工程项目",
        "招标采购结果",
        "采购方式、中标（成交）单位、合同金额、工期",
        "村级工程项目管理相关规定",
        "信息形成或变更之日起20个工作日内",
        "村民委员会",
        mask=("联系电话",),
    ),
    DefaultItem(
        "homestead.approval",
        "宅基地管理",
        "宅基地审批情况",
        "本季度批准的宅基地申请：户主姓名、批准面积、位置、审批结果",
        "《农村宅基地管理暂行办法》；农经发〔2019〕6号",
        "每季度首月20日前公开上季度情况",
        "村民委员会",
        mask=("身份证号", "联系电话"),
    ),
    DefaultItem(
        "subsidy.farm",
        "惠农补贴",
        "耕地地力保护等惠农补贴",
        "补贴项目、对象、面积或数量、标准和发放金额",
        ORGANIC_LAW,
        "每季度首月20日前公开上季度情况",
        "村民委员会",
        mask=("身份证号", "银行账号", "联系电话"),
    ),
    DefaultItem(
        "welfare.dibao",
        "社会救助",
        "最低生活保障",
        "低保户户主姓名、保障人数、月保障金额及新增、退出情况",
        "《社会救助暂行办法》",
        "每季度首月20日前公开上季度情况",
        "村民委员会",
        mask=("身份证号", "银行账号", "联系电话", "病情"),
    ),
    DefaultItem(
        "welfare.disability",
        "社会救助",
        "残疾人两项补贴",
        "困难残疾人生活补贴和重度残疾人护理补贴的对象姓名、补贴标准和金额",
        "残疾人两项补贴制度相关规定",
        "每季度首月20日前公开上季度情况",
        "村民委员会",
        mask=("身份证号", "银行账号", "残疾类别", "残疾等级"),
    ),
    DefaultItem(
        "welfare.relief",
        "社会救助",
        "临时救助和走访慰问",
        "救助或慰问对象、事由类别、发放的钱物",
        "《社会救助暂行办法》",
        "随时公开（3个工作日内）",
        "村民委员会",
        mask=("身份证号", "病情", "银行账号"),
    ),
    DefaultItem(
        "land.pension",
        "土地征收",
        "被征地农民养老保障",
        "纳入保障的人数、缴费补贴标准和资金落实情况",
        "被征地农民社会保障相关规定",
        "每半年，于1月、7月15日前公开上一个半年情况",
        "村民委员会",
        mask=("身份证号",),
    ),
    DefaultItem(
        "land.compensation",
        "土地征收",
        "征地补偿费分配",
        "征收面积、补偿标准、补偿总额及在集体和农户间的分配方案",
        "《土地管理法》第四十八条",
        "信息形成或变更之日起20个工作日内",
        "村集体经济组织",
        mask=("身份证号", "银行账号"),
    ),
    DefaultItem(
        "finance.monthly",
        "集体财务",
        "月度财务收支",
        "上月各项收入和支出明细、现金和银行存款余额",
        FINANCE,
        "每月10日前公开上月情况",
        "村集体经济组织",
    ),
    DefaultItem(
        "finance.quarterly",
        "集体财务",
        "季度财务报表",
        "资产负债、收入支出汇总、债权债务变动",
        FINANCE,
        "每季度首月20日前公开上季度情况",
        "村集体经济组织",
    ),
    DefaultItem(
        "asset.lease",
        "集体“三资”",
        "资产资源发包租赁",
        "标的、承包或承租方、期限、价款及收取情况",
        "农村集体资产管理相关规定",
        "信息形成或变更之日起20个工作日内",
        "村集体经济组织",
        mask=("身份证号", "联系电话"),
    ),
    DefaultItem(
        "finance.distribution",
        "集体财务",
        "年度收益分配",
        "上年度可分配收益、分配方案和分配到户情况",
        FINANCE,
        "每年3月31日前",
        "村集体经济组织",
        audience=Audience.GROUP,
        mask=("身份证号", "银行账号"),
    ),
    DefaultItem(
        "supervision.committee",
        "民主监督",
        "村务监督委员会监督情况",
        "村务监督委员会对财务、工程和惠民资金的监督意见及整改结果",
        "《关于建立健全村务监督委员会的指导意见》",
        "每半年，于1月、7月15日前公开上一个半年情况",
        "村务监督委员会",
    ),
    DefaultItem(
        "family.reward",
        "其他事项",
        "计划生育奖励扶助",
        "奖励扶助对象姓名、类别、金额",
        ORGANIC_LAW,
        "每年6月30日前",
        "村民委员会",
        mask=("身份证号", "银行账号"),
    ),
)


def default_items(valid_from: dt.date) -> list[CatalogueItem]:
    """The default catalogue as unsaved items numbered from 1 (for the sheet a county
    downloads, edits and imports)."""
    items = []
    for number, spec in enumerate(ITEMS, start=1):
        item = CatalogueItem(
            number=number,
            key=spec.key,
            level1=spec.level1,
            level2=spec.level2,
            content=spec.content,
            basis=spec.basis,
            publisher=spec.publisher,
            channel=spec.channel,
            audience=spec.audience,
            mask_fields=list(spec.mask),
            valid_from=valid_from,
        )
        item.set_rule(parse_timing(spec.timing))
        items.append(item)
    return items

"""The default county catalogue (县级村级事项清单范本): 33 items in 11 areas, on the four lists.

Written for Hemei from the rules gathered in DOMAIN.md §1.2, §1.4, §2.5, §2.6, §3.3, §4.2–§4.4
and §7.3. The national documents fix the steps; the day counts, notice periods and money
thresholds are provincial or local, so every such value below is only where a county starts:
it edits the template (or imports its own workbook) before publishing it, and a step's
``limit_key`` lets a county time limit in force replace the days without touching the
catalogue. Values DOMAIN.md marks ⚠ (unverified) and values taken from one local example
carry a comment saying so.

Certificates (证明事项) and the negative list follow 厅字〔2022〕28号; which certificates a
village may still issue is decided by each province's list (山西 keeps 5, 浙江 cancelled 28),
so the three kept here are examples to check against the province's list.
"""

from __future__ import annotations

from decimal import Decimal

from hemei.procedures.choices import TimeUnit

from .choices import Disclosure, Level, ListKind, Starter
from .services import ItemRow, StepRow

NAME = "县级村级事项清单（默认范本）"

#: 五公开: content, basis, procedure, progress, result.
ALL_FIVE = [d.value for d in Disclosure]
#: What a certificate discloses: no progress of a one-day item, no personal result.
PUBLIC_RULES = [Disclosure.CONTENT, Disclosure.BASIS, Disclosure.PROCEDURE]

DAY = TimeUnit.CALENDAR_DAY
WORKDAY = TimeUnit.WORKDAY

ORGANISATION = "组织建设与党务"
DECISIONS = "村级重大决策"
ASSETS = "集体资产资源"
FINANCE = "村级财务"
WORKS = "工程项目"
HOMESTEAD = "宅基地与农房"
LAND = "土地承包与流转"
WELFARE = "民生保障"
CERTIFICATES = "证明与用章"
MEDIATION = "平安与调解"
BURDEN = "村级减负"

ORGANIC_LAW = "《村民委员会组织法》"
SIX_STEPS = "党支部提议、两委会商议、党员大会审议、村民（代表）会议决议"


def _yuan(amount: int) -> Decimal:
    return Decimal(amount)


def _decision(days: int = 30) -> StepRow:
    """The whole 四议两公开 as one step: the case waits for an approved decision record."""
    return StepRow(
        "四议两公开决策",
        Level.VILLAGE,
        days=days,
        unit=DAY,
        needs_decision=True,
        materials=f"{SIX_STEPS}的会议记录及表决结果",
    )


def _organisation() -> list[ItemRow]:
    return [
        ItemRow(
            code="A01",
            list_kind=ListKind.POWER,
            area=ORGANISATION,
            name="发展党员",
            basis="《中国共产党发展党员工作细则》；《中国共产党农村基层组织工作条例》",
            starter=Starter.OFFICIAL,
            disclosures=[Disclosure.CONTENT, Disclosure.BASIS, Disclosure.PROCEDURE],
            result_document="接收预备党员的支部大会决议",
            steps=[
                StepRow(
                    "支部委员会研究确定发展对象",
                    Level.VILLAGE,
                    days=10,
                    materials="入党申请书、培养考察材料、群众意见",
                ),
                # ⚠ the notice period for a candidate is local (5 days is one example):
                # configurable in the template.
                StepRow("发展对象公示", Level.VILLAGE, days=5, unit=DAY, notice_days=5),
                StepRow("报乡镇党委预审", Level.TOWN, days=10, materials="政治审查材料、培训证明"),
                StepRow("支部大会讨论接收预备党员", Level.VILLAGE, days=10),
                # ⚠ 3 months for the approval by the Party committee: check against the rules
                # in force; configurable.
                StepRow(
                    "乡镇党委审批",
                    Level.TOWN,
                    days=90,
                    unit=DAY,
                    limit_key="party.member_approval",
                ),
            ],
        ),
        ItemRow(
            code="A02",
            list_kind=ListKind.SERVICE,
            area=ORGANISATION,
            name="党员组织关系转接",
            basis="《中国共产党党员教育管理工作条例》",
            starter=Starter.VILLAGER,
            disclosures=[Disclosure.BASIS, Disclosure.PROCEDURE],
            result_document="党员组织关系介绍信",
            steps=[
                StepRow("党员提出转接申请", Level.APPLICANT, materials="转接申请、党员身份信息"),
                StepRow("村党支部核实并出具意见", Level.VILLAGE, days=3),
                StepRow("乡镇党委开具介绍信", Level.TOWN, days=5),
            ],
        ),
    ]


def _decisions() -> list[ItemRow]:
    return [
        ItemRow(
            code="B01",
            list_kind=ListKind.POWER,
            area=DECISIONS,
            name="村级重大事项决策",
            basis=f"{ORGANIC_LAW}第二十四条；2023年中央一号文件（全面落实“四议两公开”）",
            starter=Starter.OFFICIAL,
            disclosures=ALL_FIVE,
            result_document="村民（代表）会议决议",
            note="适用于规划计划、集体资源发包、资产处置、公益事业筹资筹劳等重大事项。",
            steps=[
                StepRow(
                    "征求党员群众意见、形成议题",
                    Level.VILLAGE,
                    days=10,
                    materials="议题说明、意见汇总",
                ),
                _decision(),
                # ⚠ the period a resolution stays on the board is local (7 days here):
                # configurable.
                StepRow("决议公开", Level.VILLAGE, days=2, notice_days=7),
                StepRow("组织实施", Level.VILLAGE, days=60, unit=DAY),
                StepRow("实施结果公开", Level.VILLAGE, days=5, notice_days=7),
            ],
        ),
        ItemRow(
            code="B02",
            list_kind=ListKind.POWER,
            area=DECISIONS,
            name="村民自治章程、村规民约制定与修订",
            basis=f"{ORGANIC_LAW}第二十七条",
            starter=Starter.OFFICIAL,
            disclosures=ALL_FIVE,
            result_document="村规民约（村民自治章程）文本及备案回执",
            steps=[
                StepRow("两委拟订草案", Level.VILLAGE, days=15, unit=DAY),
                # local example: a 7-day consultation on the draft; configurable.
                StepRow("草案公开征求意见", Level.VILLAGE, days=7, unit=DAY, notice_days=7),
                _decision(),
                StepRow("报乡镇人民政府备案", Level.TOWN, days=10, materials="文本、会议决议"),
            ],
        ),
        ItemRow(
            code="B03",
            list_kind=ListKind.POWER,
            area=DECISIONS,
            name="一事一议筹资筹劳",
            basis=f"《村民一事一议筹资筹劳管理办法》；{ORGANIC_LAW}第二十四条",
            starter=Starter.OFFICIAL,
            amount_label="筹资总额（元）",
            disclosures=ALL_FIVE,
            result_document="筹资筹劳方案及审核意见",
            steps=[
                StepRow(
                    "两委提出筹资筹劳方案", Level.VILLAGE, days=10, materials="项目、预算、标准"
                ),
                _decision(),
                StepRow("乡镇审核", Level.TOWN, days=10),
                StepRow("筹资筹劳情况公开", Level.VILLAGE, days=5, notice_days=7),
            ],
        ),
    ]


def _assets() -> list[ItemRow]:
    return [
        ItemRow(
            code="C01",
            list_kind=ListKind.POWER,
            area=ASSETS,
            name="集体资产资源发包、出租",
            basis=(
                "《农村集体经济组织法》；"
                f"{ORGANIC_LAW}第二十四条；农业农村部农村集体资产监管提质增效行动（2023）"
            ),
            starter=Starter.OFFICIAL,
            amount_label="合同总金额（元）",
            disclosures=ALL_FIVE,
            result_document="发包（租赁）合同及鉴证备案回执",
            note="合同一律书面签订；期限不得超过法定上限。",
            steps=[
                StepRow("两委研究提出方案", Level.VILLAGE, days=5, materials="资产资源清单、底价"),
                _decision(),
                # local example: 5 days of notice before the bidding; configurable.
                StepRow("发布交易公告", Level.VILLAGE, days=2, notice_days=5),
                StepRow(
                    "农村产权交易平台公开竞价",
                    Level.TOWN,
                    days=20,
                    unit=DAY,
                    materials="交易公告、竞价记录",
                ),
                StepRow(
                    "乡镇农经部门审查合同", Level.TOWN, days=5, limit_key="assets.contract_review"
                ),
                StepRow("签订合同并鉴证备案", Level.VILLAGE, days=5),
                StepRow("结果公开", Level.VILLAGE, days=3, notice_days=7),
            ],
        ),
        ItemRow(
            code="C02",
            list_kind=ListKind.POWER,
            area=ASSETS,
            name="集体资产处置（出售、报废、转让）",
            basis=f"《农村集体经济组织法》；{ORGANIC_LAW}第二十四条",
            starter=Starter.OFFICIAL,
            amount_label="资产评估值（元）",
            disclosures=ALL_FIVE,
            result_document="资产处置审批意见",
            steps=[
                StepRow("两委提出处置方案", Level.VILLAGE, days=5),
                StepRow("资产评估", Level.TOWN, days=15, materials="资产台账、评估报告"),
                _decision(),
                StepRow("报乡镇审批", Level.TOWN, days=10, limit_key="assets.disposal_approval"),
                StepRow("处置结果公开", Level.VILLAGE, days=3, notice_days=7),
            ],
        ),
        ItemRow(
            code="C03",
            list_kind=ListKind.SERVICE,
            area=ASSETS,
            name="集体经济组织成员身份确认",
            basis="《农村集体经济组织法》（成员确认）",
            starter=Starter.VILLAGER,
            disclosures=ALL_FIVE,
            result_document="成员身份确认决定",
            steps=[
                StepRow("提出确认申请", Level.APPLICANT, materials="申请书、户口簿、相关证明"),
                StepRow("村民小组初审", Level.GROUP, days=5),
                StepRow("成员（代表）大会表决", Level.VILLAGE, days=30, unit=DAY),
                # local example: 5 days of notice of the members confirmed; configurable.
                StepRow("确认结果公示", Level.VILLAGE, days=5, unit=DAY, notice_days=5),
                StepRow("报乡镇备案", Level.TOWN, days=10),
            ],
        ),
        ItemRow(
            code="C04",
            list_kind=ListKind.POWER,
            area=ASSETS,
            name="集体收益分配",
            basis="《农村集体经济组织法》；《农村集体经济组织财务制度》（财农〔2021〕121号）",
            starter=Starter.OFFICIAL,
            amount_label="可分配收益（元）",
            disclosures=ALL_FIVE,
            result_document="收益分配方案",
            steps=[
                StepRow("两委拟订分配方案", Level.VILLAGE, days=10),
                StepRow("乡镇农经部门审核方案", Level.TOWN, days=10),
                _decision(),
                StepRow("分配方案公示", Level.VILLAGE, days=7, unit=DAY, notice_days=7),
                StepRow("兑付并公开结果", Level.VILLAGE, days=15),
            ],
        ),
    ]


def _finance() -> list[ItemRow]:
    return [
        ItemRow(
            code="D01",
            list_kind=ListKind.POWER,
            area=FINANCE,
            name="村级财务支出审批",
            basis="《农村集体经济组织财务制度》（财农〔2021〕121号）；财会〔2024〕28号（村级会计委托代理）",
            starter=Starter.OFFICIAL,
            amount_label="支出金额（元）",
            disclosures=ALL_FIVE,
            result_document="审批后的记账凭证",
            note="金额档次由乡镇设定、县农经和财政部门核定；村级不得对外担保、出借资金。",
            steps=[
                StepRow(
                    "经办人取得票据并签字说明用途", Level.VILLAGE, days=3, materials="合规票据"
                ),
                StepRow("民主理财小组审核", Level.VILLAGE, days=3),
                # local example (浙江 joint signing): the town sets the bands; ¥20,000 and
                # ¥50,000 are placeholders, configurable.
                StepRow(
                    "村务联席会议研究",
                    Level.VILLAGE,
                    days=5,
                    min_amount=_yuan(20_000),
                    below_amount=_yuan(50_000),
                ),
                StepRow(
                    "村民（代表）会议决议",
                    Level.VILLAGE,
                    days=30,
                    unit=DAY,
                    needs_decision=True,
                    min_amount=_yuan(50_000),
                ),
                StepRow("书记、主任审批签字", Level.VILLAGE, days=2),
                StepRow("乡镇代理记账机构审核入账", Level.TOWN, days=5),
            ],
        ),
        ItemRow(
            code="D02",
            list_kind=ListKind.POWER,
            area=FINANCE,
            name="村级财务公开",
            basis=f"《农村集体经济组织财务公开规定》；{ORGANIC_LAW}第三十条",
            starter=Starter.OFFICIAL,
            disclosures=ALL_FIVE,
            result_document="财务公开表",
            note="至少每季度公开一次，收支较多的每月公开，重大事项随时公开。",
            steps=[
                StepRow("代理记账机构提供公开资料", Level.TOWN, days=5),
                StepRow("民主理财小组审核", Level.VILLAGE, days=5),
                # local example: the sheets stay up for 15 days; configurable.
                StepRow("公开栏公布", Level.VILLAGE, days=2, notice_days=15),
            ],
        ),
    ]


def _works() -> list[ItemRow]:
    # The bands are 岳阳's village works rule (DOMAIN §4.3), a local example: configurable.
    ten_k, fifty_k, hundred_k = _yuan(10_000), _yuan(50_000), _yuan(100_000)
    return [
        ItemRow(
            code="E01",
            list_kind=ListKind.POWER,
            area=WORKS,
            name="村级小型工程建设",
            basis=f"{ORGANIC_LAW}第二十四条；村级工程管理制度（县定）",
            starter=Starter.OFFICIAL,
            amount_label="工程预算（元）",
            disclosures=ALL_FIVE,
            result_document="工程验收单",
            steps=[
                StepRow("提出项目和预算", Level.VILLAGE, days=5, materials="项目说明、预算书"),
                StepRow("两委会研究决定", Level.VILLAGE, days=5),
                StepRow("告知村务监督委员会", Level.VILLAGE, days=3, min_amount=ten_k),
                StepRow(
                    "村民议事会审议",
                    Level.VILLAGE,
                    days=10,
                    min_amount=fifty_k,
                    below_amount=hundred_k,
                ),
                StepRow(
                    "邀请招标（不少于三家）",
                    Level.VILLAGE,
                    days=15,
                    unit=DAY,
                    min_amount=fifty_k,
                    below_amount=hundred_k,
                ),
                StepRow(
                    "四议两公开决策",
                    Level.VILLAGE,
                    days=30,
                    unit=DAY,
                    needs_decision=True,
                    min_amount=hundred_k,
                ),
                StepRow(
                    "公共资源交易平台公开招标",
                    Level.TOWN,
                    days=20,
                    unit=DAY,
                    min_amount=hundred_k,
                    limit_key="works.public_tender",
                ),
                StepRow("签订合同并公开", Level.VILLAGE, days=5, notice_days=5),
                StepRow("组织验收", Level.TOWN, days=10, extension_days=5),
                StepRow("结算和结果公开", Level.VILLAGE, days=10, notice_days=7),
            ],
        ),
        ItemRow(
            code="E02",
            list_kind=ListKind.POWER,
            area=WORKS,
            name="村级物资和服务采购",
            basis="村级采购管理制度（县定）",
            starter=Starter.OFFICIAL,
            amount_label="采购金额（元）",
            disclosures=ALL_FIVE,
            result_document="采购验收单",
            steps=[
                StepRow("提出采购需求", Level.VILLAGE, days=3),
                # the bands follow one published flow chart (DOMAIN §4.3, province not
                # stated): a local example, configurable.
                StepRow("两委集体研究", Level.VILLAGE, days=5, min_amount=_yuan(2_000)),
                StepRow(
                    "村务联席会议研究",
                    Level.VILLAGE,
                    days=5,
                    min_amount=_yuan(50_000),
                    below_amount=_yuan(200_000),
                ),
                StepRow(
                    "村民代表会议决议",
                    Level.VILLAGE,
                    days=30,
                    unit=DAY,
                    needs_decision=True,
                    min_amount=_yuan(200_000),
                ),
                StepRow("询价或比选采购", Level.VILLAGE, days=10),
                StepRow("验收并公开", Level.VILLAGE, days=5, notice_days=5),
            ],
        ),
        ItemRow(
            code="E03",
            list_kind=ListKind.POWER,
            area=WORKS,
            name="申报上级扶持项目",
            basis=f"{ORGANIC_LAW}第二十四条",
            starter=Starter.OFFICIAL,
            disclosures=ALL_FIVE,
            result_document="项目申报书及批复",
            steps=[
                StepRow("两委研究申报方向", Level.VILLAGE, days=5),
                _decision(),
                StepRow("乡镇审核推荐", Level.TOWN, days=10),
                StepRow(
                    "县级主管部门审批", Level.COUNTY, days=20, limit_key="works.county_approval"
                ),
                StepRow("立项结果公开", Level.VILLAGE, days=3, notice_days=7),
            ],
        ),
    ]


def _homestead() -> list[ItemRow]:
    return [
        ItemRow(
            code="F01",
            list_kind=ListKind.SERVICE,
            area=HOMESTEAD,
            name="农村宅基地和建房（规划许可）审批",
            basis="《土地管理法》第六十二条；农经发〔2019〕6号",
            starter=Starter.VILLAGER,
            disclosures=ALL_FIVE,
            result_document="《农村宅基地批准书》、乡村建设规划许可证",
            note="不予批准的，书面说明理由。",
            steps=[
                StepRow(
                    "农户向村民小组提出书面申请",
                    Level.APPLICANT,
                    limit_key="homestead.application",
                    materials=(
                        "《农村宅基地和建房（规划许可）申请表》、户口簿、身份证、"
                        "《农村宅基地使用承诺书》；易址新建的，拆旧退还承诺"
                    ),
                ),
                # 5 working days and a 5-day notice follow 桂自然资发〔2020〕70号 and one
                # reprint (DOMAIN §1.4): provincial, configurable by the county's limits.
                StepRow(
                    "村民小组会议讨论并公示",
                    Level.GROUP,
                    days=5,
                    notice_days=5,
                    limit_key="homestead.group_review",
                    materials="小组会议记录",
                ),
                StepRow(
                    "村级组织审查（材料、规划、相邻权利人意见）",
                    Level.VILLAGE,
                    days=5,
                    limit_key="homestead.village_review",
                ),
                # 《行政许可法》第三十二条: accepted on the spot or within five days.
                StepRow(
                    "乡镇一窗受理",
                    Level.TOWN,
                    days=5,
                    unit=DAY,
                    limit_key="homestead.intake",
                ),
                # 10 working days, +5 when complex (广西 example): configurable. The offices
                # (农业农村, 自然资源, and 林业/水利/电力 when needed) give their opinions in
                # parallel, each on its own clock; the step passes when all are in.
                StepRow(
                    "联审（农业农村、自然资源等部门）",
                    Level.TOWN,
                    days=10,
                    extension_days=5,
                    limit_key="homestead.joint_review",
                ),
                # ⚠ 5 days for the decision comes from one unnamed provincial rule (reprint).
                StepRow(
                    "乡镇审批，核发批准书和乡村建设规划许可证",
                    Level.TOWN,
                    days=5,
                    unit=DAY,
                    limit_key="homestead.decision",
                ),
                StepRow(
                    "开工前定点放样到场（四邻到场签字）",
                    Level.TOWN,
                    days=5,
                    limit_key="homestead.staking",
                ),
                # ⚠ the construction period is the county's: a year here.
                StepRow(
                    "施工巡查到场",
                    Level.TOWN,
                    days=365,
                    unit=DAY,
                    limit_key="homestead.construction",
                ),
                # ⚠ 15 working days for the acceptance: configurable.
                StepRow(
                    "竣工验收到场，出具验收意见表",
                    Level.TOWN,
                    days=15,
                    limit_key="homestead.completion",
                ),
                # 《不动产登记暂行条例》第二十条: 30 working days from the application.
                StepRow(
                    "不动产登记",
                    Level.COUNTY,
                    days=30,
                    limit_key="homestead.registration",
                ),
                StepRow("归档", Level.TOWN, days=5, limit_key="homestead.archive"),
            ],
        ),
        ItemRow(
            code="F02",
            list_kind=ListKind.SERVICE,
            area=HOMESTEAD,
            name="农房施工备案和开工查验",
            basis="农经发〔2019〕6号（“三到场”）；省级农房建设管理规定",
            starter=Starter.VILLAGER,
            disclosures=[Disclosure.BASIS, Disclosure.PROCEDURE, Disclosure.PROGRESS],
            result_document="开工查验记录",
            steps=[
                StepRow(
                    "提交施工备案材料",
                    Level.APPLICANT,
                    materials="设计图、施工合同、施工人员信息、质量安全承诺书",
                ),
                StepRow("村级初核", Level.VILLAGE, days=3),
                # 10 working days is one province's rule (DOMAIN §1.2 step 7): configurable.
                StepRow(
                    "乡镇审查并开工查验",
                    Level.TOWN,
                    days=10,
                    limit_key="homestead.construction_filing",
                ),
            ],
        ),
        ItemRow(
            code="F03",
            list_kind=ListKind.SERVICE,
            area=HOMESTEAD,
            name="农房竣工验收",
            basis="农经发〔2019〕6号",
            starter=Starter.VILLAGER,
            disclosures=[Disclosure.BASIS, Disclosure.PROCEDURE, Disclosure.RESULT],
            result_document="《农村宅基地和建房（规划许可）验收意见表》",
            note="验收合格后，农户可申请不动产登记。",
            steps=[
                StepRow("提出验收申请", Level.APPLICANT, materials="批准书、规划许可证"),
                StepRow("村级核实", Level.VILLAGE, days=3),
                # ⚠ no source gives the acceptance period; 10 working days is a placeholder.
                StepRow(
                    "乡镇组织竣工验收（面积、四至、层数、高度）",
                    Level.TOWN,
                    days=10,
                    limit_key="homestead.acceptance",
                ),
            ],
        ),
    ]


def _land() -> list[ItemRow]:
    return [
        ItemRow(
            code="G01",
            list_kind=ListKind.SERVICE,
            area=LAND,
            name="土地经营权流转合同签订与备案",
            basis="《农村土地承包法》第四十条；《农村土地经营权流转管理办法》第二十一、二十二条",
            starter=Starter.VILLAGER,
            disclosures=[Disclosure.BASIS, Disclosure.PROCEDURE, Disclosure.RESULT],
            result_document="流转合同（一式四份）及备案登记",
            note="流转期限不得超过承包期剩余期限；坚持农地农用。一年以内的代耕可不签书面合同。",
            steps=[
                StepRow(
                    "双方协商并提交合同",
                    Level.APPLICANT,
                    materials="流转合同（示范文本）、地块清单、双方身份证明",
                ),
                StepRow("发包方（村集体）核实登记", Level.VILLAGE, days=3),
                # ⚠ the town's filing period is not in the 办法 excerpts: placeholder.
                StepRow(
                    "乡镇承包管理部门指导签订并备案",
                    Level.TOWN,
                    days=5,
                    limit_key="land.transfer_filing",
                ),
            ],
        ),
        ItemRow(
            code="G02",
            list_kind=ListKind.SERVICE,
            area=LAND,
            name="工商资本流转土地资格审查",
            basis="农经发〔2015〕3号；《农村土地经营权流转管理办法》",
            starter=Starter.EITHER,
            disclosures=ALL_FIVE,
            result_document="资格审查和项目审核意见",
            steps=[
                StepRow(
                    "受让方提出申请",
                    Level.APPLICANT,
                    materials="经营项目、资信证明、拟流转面积、风险保障金承诺",
                ),
                StepRow("村级出具意见", Level.VILLAGE, days=5),
                StepRow("乡镇审核", Level.TOWN, days=10),
                StepRow("县级分级资格审查和项目审核", Level.COUNTY, days=20),
            ],
        ),
        ItemRow(
            code="G03",
            list_kind=ListKind.SERVICE,
            area=LAND,
            name="承包地信息变更（分户、继承、互换）",
            basis="《农村土地承包法》",
            starter=Starter.VILLAGER,
            disclosures=ALL_FIVE,
            result_document="承包合同变更记录",
            steps=[
                StepRow("提出变更申请", Level.APPLICANT, materials="申请书、承包合同、相关证明"),
                StepRow("村级核实", Level.VILLAGE, days=5),
                # local example: 5 days of notice in the group; configurable.
                StepRow("村民小组公示", Level.GROUP, days=5, unit=DAY, notice_days=5),
                StepRow("乡镇审核", Level.TOWN, days=10),
                StepRow("县农业农村部门变更登记", Level.COUNTY, days=20),
            ],
        ),
    ]


def _welfare() -> list[ItemRow]:
    return [
        ItemRow(
            code="H01",
            list_kind=ListKind.SERVICE,
            area=WELFARE,
            name="临时救助申请",
            basis="《社会救助暂行办法》",
            starter=Starter.VILLAGER,
            disclosures=ALL_FIVE,
            result_document="救助审批表",
            note="公示不得出现身份证号、电话、银行账号和健康状况。",
            steps=[
                StepRow("提出申请", Level.APPLICANT, materials="申请书、户口簿、困难情况说明"),
                # ⚠ the 3-day notice is not from a retrieved source: configurable.
                StepRow(
                    "村委会入户核实并公示",
                    Level.VILLAGE,
                    days=3,
                    extension_days=2,
                    notice_days=3,
                    limit_key="relief.village_check",
                ),
                StepRow("乡镇审核审批", Level.TOWN, days=5, extension_days=3),
            ],
        ),
        ItemRow(
            code="H02",
            list_kind=ListKind.SERVICE,
            area=WELFARE,
            name="最低生活保障申请",
            basis="《社会救助暂行办法》",
            starter=Starter.VILLAGER,
            disclosures=ALL_FIVE,
            result_document="低保审批决定",
            note="公示不得出现身份证号、电话、银行账号和健康状况。",
            steps=[
                StepRow(
                    "向乡镇或村委会提出申请",
                    Level.APPLICANT,
                    materials="申请书、户口簿、收入和财产情况、授权核对书",
                ),
                StepRow("村委会协助入户调查", Level.VILLAGE, days=10),
                StepRow("民主评议", Level.VILLAGE, days=5),
                # ⚠ the notice period is provincial (7 days is a placeholder): configurable.
                StepRow("村级公示", Level.VILLAGE, days=7, unit=DAY, notice_days=7),
                StepRow("乡镇审核", Level.TOWN, days=10, limit_key="welfare.town_review"),
                StepRow(
                    "县民政部门审批", Level.COUNTY, days=10, limit_key="welfare.county_approval"
                ),
            ],
        ),
        ItemRow(
            code="H03",
            list_kind=ListKind.POWER,
            area=WELFARE,
            name="防返贫监测对象识别",
            basis="中农组发〔2021〕7号（健全防止返贫动态监测和帮扶机制）",
            starter=Starter.EITHER,
            disclosures=ALL_FIVE,
            result_document="监测对象识别审定意见",
            note="自发现线索到完成识别一般不超过15日；村级公示一次，乡镇和县不再重复公示。",
            steps=[
                StepRow("农户申报或干部排查发现线索", Level.VILLAGE, days=2, unit=DAY),
                StepRow(
                    "入户核查并签署授权承诺",
                    Level.VILLAGE,
                    days=3,
                    unit=DAY,
                    materials="授权书、承诺书",
                ),
                StepRow("民主评议", Level.VILLAGE, days=2, unit=DAY),
                # at least 5 days, once only (DOMAIN §7.3)
                StepRow("村级公示", Level.VILLAGE, days=5, unit=DAY, notice_days=5),
                StepRow("乡镇审核", Level.TOWN, days=2, unit=DAY),
                StepRow("县级审定并录入监测系统", Level.COUNTY, days=3, unit=DAY),
            ],
        ),
        ItemRow(
            code="H04",
            list_kind=ListKind.SERVICE,
            area=WELFARE,
            name="残疾人两项补贴申请",
            basis="国发〔2015〕52号（困难残疾人生活补贴和重度残疾人护理补贴）",
            starter=Starter.VILLAGER,
            disclosures=ALL_FIVE,
            result_document="补贴审批表",
            steps=[
                StepRow("提出申请", Level.APPLICANT, materials="申请表、残疾人证、户口簿"),
                # village agent sends the file within 3 working days (DOMAIN §4.4 example)
                StepRow("村级代办并报送", Level.VILLAGE, days=3, limit_key="agent.forward"),
                StepRow("乡镇审核", Level.TOWN, days=10),
                StepRow("县残联、民政部门审定", Level.COUNTY, days=10),
            ],
        ),
    ]


def _certificates() -> list[ItemRow]:
    # The certificates a village may still issue are set by the province's list under
    # 厅字〔2022〕28号; these three are examples to check against it (configurable).
    basis = "厅字〔2022〕28号；省级村级证明事项保留清单"
    return [
        ItemRow(
            code="I01",
            list_kind=ListKind.POWER,
            area=CERTIFICATES,
            name="村级组织印章使用",
            basis=f"中办发〔2004〕17号；{ORGANIC_LAW}",
            starter=Starter.EITHER,
            disclosures=[Disclosure.BASIS, Disclosure.PROCEDURE],
            result_document="用章登记簿记录",
            note="盖章前须核实内容；不得在空白纸张、空白介绍信上盖章。",
            steps=[
                StepRow("提出用章申请", Level.VILLAGE, days=1, materials="需盖章的文件"),
                StepRow("书记或主任审核同意", Level.VILLAGE, days=1),
                StepRow("专人登记用印", Level.VILLAGE, days=1),
            ],
        ),
        ItemRow(
            code="I02",
            list_kind=ListKind.CERTIFICATE,
            area=CERTIFICATES,
            name="村民居住情况证明",
            basis=basis,
            starter=Starter.VILLAGER,
            disclosures=PUBLIC_RULES,
            result_document="居住情况证明",
            steps=[
                StepRow("提出申请", Level.APPLICANT, materials="身份证、户口簿"),
                StepRow("村委会核实并出具", Level.VILLAGE, days=2),
            ],
        ),
        ItemRow(
            code="I03",
            list_kind=ListKind.CERTIFICATE,
            area=CERTIFICATES,
            name="集体经济组织成员身份证明",
            basis=f"{basis}；《农村集体经济组织法》",
            starter=Starter.VILLAGER,
            disclosures=PUBLIC_RULES,
            result_document="成员身份证明",
            steps=[
                StepRow("提出申请", Level.APPLICANT, materials="身份证、户口簿"),
                StepRow("集体经济组织核对成员名册并出具", Level.VILLAGE, days=2),
            ],
        ),
        ItemRow(
            code="I04",
            list_kind=ListKind.CERTIFICATE,
            area=CERTIFICATES,
            name="土地承包经营情况证明",
            basis=f"{basis}；《农村土地承包法》",
            starter=Starter.VILLAGER,
            disclosures=PUBLIC_RULES,
            result_document="承包经营情况证明",
            steps=[
                StepRow("提出申请", Level.APPLICANT, materials="身份证、承包合同或经营权证"),
                StepRow("村委会核对台账并出具", Level.VILLAGE, days=2),
            ],
        ),
    ]


def _mediation() -> list[ItemRow]:
    return [
        ItemRow(
            code="K01",
            list_kind=ListKind.SERVICE,
            area=MEDIATION,
            name="民间纠纷人民调解",
            basis="《人民调解法》",
            starter=Starter.VILLAGER,
            disclosures=[Disclosure.BASIS, Disclosure.PROCEDURE],
            result_document="人民调解协议书",
            note="调解不收费；当事人不愿调解或调解不成的，告知其他解决途径。",
            steps=[
                StepRow("当事人申请或调委会主动介入", Level.APPLICANT, materials="纠纷情况说明"),
                StepRow("村调解委员会受理登记", Level.VILLAGE, days=1),
                # ⚠ one month is the usual practice, not from a retrieved source: configurable.
                StepRow(
                    "调查和调解", Level.VILLAGE, days=30, unit=DAY, limit_key="mediation.village"
                ),
                StepRow("制作调解协议并回访", Level.VILLAGE, days=5),
            ],
        ),
        ItemRow(
            code="K02",
            list_kind=ListKind.SERVICE,
            area=MEDIATION,
            name="土地承包经营纠纷调解",
            basis="《农村土地承包经营纠纷调解仲裁法》",
            starter=Starter.VILLAGER,
            disclosures=[Disclosure.BASIS, Disclosure.PROCEDURE],
            result_document="调解协议书或仲裁申请指引",
            steps=[
                StepRow("当事人申请调解", Level.APPLICANT, materials="申请书、承包合同、证据"),
                StepRow("村委会调解", Level.VILLAGE, days=15, unit=DAY),
                StepRow("乡镇人民政府调解", Level.TOWN, days=15, unit=DAY),
                StepRow("告知向县仲裁委员会申请仲裁", Level.COUNTY, days=5),
            ],
        ),
    ]


def _negative() -> list[ItemRow]:
    # 厅字〔2022〕28号 and the provinces' lists; the wording is Hemei's own.
    burden = "厅字〔2022〕28号"
    return [
        ItemRow(
            code="N01",
            list_kind=ListKind.NEGATIVE,
            area=BURDEN,
            name="不得要求村级组织出具亲属关系证明",
            basis=burden,
            note="由申请人书面承诺或由有关部门核查。",
        ),
        ItemRow(
            code="N02",
            list_kind=ListKind.NEGATIVE,
            area=BURDEN,
            name="不得要求村级组织出具应由公安等部门出具的证明（如无犯罪记录、户籍变动）",
            basis=burden,
        ),
        ItemRow(
            code="N03",
            list_kind=ListKind.NEGATIVE,
            area=BURDEN,
            name="不得将招商引资、协税护税等职责范围外的任务交给村级组织",
            basis=burden,
        ),
        ItemRow(
            code="N04",
            list_kind=ListKind.NEGATIVE,
            area=BURDEN,
            name="不得要求村干部在政务应用上打卡签到或按在线时长排名",
            basis=f"{burden}；中央网信委关于防治“指尖上的形式主义”的意见（2023）",
        ),
        ItemRow(
            code="N05",
            list_kind=ListKind.NEGATIVE,
            area=BURDEN,
            name="不得要求村级组织重复填报同一材料",
            basis=f"{burden}；“最多报一次”要求（2024）",
        ),
    ]


def default_rows() -> list[ItemRow]:
    """The default county catalogue, in the order of its codes."""
    return [
        *_organisation(),
        *_decisions(),
        *_assets(),
        *_finance(),
        *_works(),
        *_homestead(),
        *_land(),
        *_welfare(),
        *_certificates(),
        *_mediation(),
        *_negative(),
    ]

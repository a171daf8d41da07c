"""Demo meetings: two invented county meetings of 即墨区 in 2026, in the manner of county
rural-revitalization deployment meetings, each with its decisions. Loaded before the tasks
demo, which makes tasks from these decisions."""

from __future__ import annotations

import datetime as dt

from hemei.demo import DEMO_COUNTY

from .services import DecisionRow, create_meeting

WORK_MEETING = "即墨区2026年农村工作会议暨乡村振兴推进会议"
REVIEW_MEETING = "即墨区2026年乡村振兴重点任务调度会"

MEETINGS = [
    {
        "name": WORK_MEETING,
        "held_on": dt.date(2026, 2, 26),
        "place": "区委党校报告厅",
        "host": "区委副书记",
        "speakers": "区委书记\n区长\n分管农业农村工作副区长",
        "attendees": "区委农村工作领导小组成员\n各镇街党（工）委书记、镇长（主任）\n区直有关部门主要负责人",
        "full_text": (
            "会议深入学习贯彻中央和省委、市委农村工作会议精神，总结2025年全区“三农”工作，"
            "部署2026年推进乡村全面振兴重点任务。会议强调，要锚定建设宜居宜业和美乡村目标，"
            "聚力打好“六大攻坚战”，扎实办好“15件实事”，明确牵头领导、责任部门，落实到具体人头。"
        ),
        "decisions": [
            (
                "年内新建高标准农田3万亩，确保粮食播种面积稳定在120万亩以上。",
                "区长",
                "industry",
                "区农业农村局、区财政局、区自然资源局",
                "2026年12月底前",
            ),
            (
                "完成农村户厕改造提升5000户，建立健全管护长效机制。",
                "分管副区长",
                "ecology",
                "区农业农村局、区住房和城乡建设局",
                "2026年10月底前",
            ),
            (
                "每个镇街至少打造1个乡村振兴示范片区，形成可复制的经验。",
                "区委书记",
                "industry",
                "产业振兴专班、各镇街",
                "2026年底前",
            ),
            (
                "实施乡村人才振兴计划，全年培育高素质农民2000人。",
                "分管副区长",
                "talent",
                "区委组织部、区农业农村局",
                "2026年11月底前",
            ),
            (
                "抓实村级党组织标准化规范化建设，软弱涣散村党组织全部整顿转化。",
                "区委书记",
                "organization",
                "区委组织部",
                "2026年10月底前",
            ),
            (
                "深化移风易俗，所有村修订完善村规民约并公开公示。",
                "区长",
                "culture",
                "区委宣传部、区文化和旅游局",
                "2026年11月底前",
            ),
        ],
    },
    {
        "name": REVIEW_MEETING,
        "held_on": dt.date(2026, 7, 16),
        "place": "区政府第一会议室",
        "host": "分管农业农村工作副区长",
        "speakers": "分管农业农村工作副区长\n区农业农村局局长",
        "attendees": "区直有关部门分管负责人\n各镇街分管负责人",
        "full_text": (
            "会议通报上半年乡村振兴重点任务推进情况，对进度滞后的镇街和部门点名提醒，"
            "部署下半年重点工作。"
        ),
        "decisions": [
            (
                "开展农村人居环境整治“秋季攻势”，集中清理村庄“三大堆”。",
                "分管副区长",
                "ecology",
                "人居环境整治专班、区生态环境分局",
                "2026年11月中旬",
            ),
            (
                "实施村集体经济增收行动，年收入10万元以下的薄弱村全部清零。",
                "区农业农村局局长",
                "industry",
                "区委农办、区财政局、各镇街",
                "2026年12月底前",
            ),
            (
                "推进农村公路“户户通”硬化，打通群众出行“最后一百米”。",
                "分管副区长",
                "other",
                "区交通运输局",
                "2026年底前",
            ),
        ],
    },
]


def load() -> None:
    from hemei.accounts.models import User
    from hemei.divisions.models import Division

    from .models import Meeting

    admin = User.objects.get(username="admin")
    county = Division.objects.get(code=DEMO_COUNTY)
    for spec in MEETINGS:
        if Meeting.objects.filter(name=spec["name"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k != "decisions"}
        create_meeting(
            actor=admin,
            division=county,
            level="county",
            decisions=[
                DecisionRow(
                    number=number,
                    text=text,
                    speaker=speaker,
                    theme=theme,
                    responsible=responsible,
                    deadline_text=deadline,
                )
                for number, (text, speaker, theme, responsible, deadline) in enumerate(
                    spec["decisions"], start=1
                )
            ],
            **fields,
        )

"""Demo tasks: twelve county tasks of 即墨区 decomposed from the demo meetings' decisions,
across the five themes and the named programs, led by the demo leader with the demo units.
Four are fanned out to every town (one further to some villages of 田横镇), approved
progress is recorded through ``record_progress``, and deadlines are set relative to today so
that some tasks are red (overdue) and some yellow (deadline near, progress behind).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hemei.core import clock
from hemei.demo import DEMO_COUNTY, TOWN_A, TOWN_B, VILLAGE_A

#: title, theme, programs, lead unit, co-units, meeting key and decision number, start and
#: due in days from today, key task, fan out to every town, progress of a leaf (None: none)
TASKS: list[dict[str, Any]] = [
    dict(
        title="新建高标准农田3万亩",
        theme="industry",
        programs=["六大攻坚战"],
        lead="农业农村局",
        co=["财政局", "自然资源局"],
        decision=("work", 1),
        start=-200,
        due=38,
        key=True,
        fan_out=True,
        milestones=[("项目立项和招标", -120, 1), ("工程完工", 20, 2), ("竣工验收", 38, 1)],
    ),
    dict(
        title="完成农村户厕改造提升5000户",
        theme="ecology",
        programs=["15件实事", "人居环境整治提升"],
        lead="农业农村局",
        co=["住建局"],
        decision=("work", 2),
        start=-180,
        due=6,
        key=True,
        fan_out=True,
        milestones=[("摸底排查", -150, 1), ("改造完成", 2, 3), ("验收", 6, 1)],
    ),
    dict(
        title="打造乡村振兴示范片区",
        theme="industry",
        programs=["乡村振兴示范片区"],
        lead="产业专班",
        co=["农业农村局", "文旅局"],
        decision=("work", 3),
        start=-150,
        due=90,
        key=False,
        fan_out=True,
    ),
    dict(
        title="培育高素质农民2000人",
        theme="talent",
        programs=["六大攻坚战"],
        lead="组织部",
        co=["农业农村局"],
        decision=("work", 4),
        start=-200,
        due=40,
        progress=55,
    ),
    dict(
        title="软弱涣散村党组织整顿转化",
        theme="organization",
        programs=[],
        lead="组织部",
        co=[],
        decision=("work", 5),
        start=-240,
        due=-12,
        key=True,
        progress=70,
    ),
    dict(
        title="修订完善村规民约并公示",
        theme="culture",
        programs=[],
        lead="宣传部",
        co=["文旅局"],
        decision=("work", 6),
        start=-120,
        due=4,
        progress=40,
    ),
    dict(
        title="人居环境整治“秋季攻势”",
        theme="ecology",
        programs=["人居环境整治提升"],
        lead="人居专班",
        co=["生态环境分局", "住建局"],
        decision=("review", 1),
        start=-90,
        due=-5,
        progress=85,
    ),
    dict(
        title="集体经济薄弱村清零",
        theme="industry",
        programs=["六大攻坚战"],
        lead="区委农办",
        co=["财政局"],
        decision=("review", 2),
        start=-120,
        due=-3,
        fan_out=True,
    ),
    dict(
        title="农村公路“户户通”硬化",
        theme="other",
        programs=["15件实事"],
        lead="交通局",
        co=[],
        decision=("review", 3),
        start=-100,
        due=60,
        progress=30,
    ),
    dict(
        title="农村饮水安全巩固提升",
        theme="ecology",
        programs=["15件实事"],
        lead="水务局",
        co=[],
        decision=None,
        start=-300,
        due=-30,
        progress=100,
    ),
    dict(
        title="“一村一品”乡村文化活动",
        theme="culture",
        programs=[],
        lead="文旅局",
        co=["宣传部"],
        decision=None,
        start=-150,
        due=6,
        progress=20,
    ),
    dict(
        title="宅基地制度改革试点",
        theme="other",
        programs=[],
        lead="自然资源局",
        co=["农业农村局"],
        decision=None,
        start=-10,
        due=120,
        progress=None,
    ),
]

#: The approved percent of each town's part, by position: some towns done, some lagging.
TOWN_PERCENTS = [100, 85, 60, 40, 20, 0, 75, 50, 95, 30, 10, 65, 45, 100, 55, 25, 70, 35, 80]
#: Villages of 田横镇 that the 户厕 task goes down to (红花山村 among them).
VILLAGE_COUNT = 5


def load() -> None:
    from hemei.accounts.models import User
    from hemei.divisions.models import Division
    from hemei.meetings.demo import REVIEW_MEETING, WORK_MEETING
    from hemei.meetings.models import Meeting
    from hemei.units.models import Unit

    from . import links, services
    from .models import Program, Task

    if Task.objects.filter(division_id=DEMO_COUNTY).exists():
        return
    today = clock.today()
    people = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    admin, leader = people["admin"], people["leader"]
    units = {u.short_name: u for u in Unit.objects.filter(division_id=DEMO_COUNTY)}
    meetings = {
        key: Meeting.objects.filter(name=name).prefetch_related("decisions").first()
        for key, name in (("work", WORK_MEETING), ("review", REVIEW_MEETING))
    }
    county = Division.objects.get(code=DEMO_COUNTY)
    programs: dict[str, Program] = {}

    def program(name: str) -> Program:
        if name not in programs:
            programs[name] = Program.objects.get_or_create(name=name)[0]
        return programs[name]

    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    created = []
    for spec in TASKS:
        meeting = decision = None
        if spec.get("decision"):
            key, number = spec["decision"]
            meeting = meetings.get(key)
            if meeting is not None:
                decision = next((d for d in meeting.decisions.all() if d.number == number), None)
        task = services.create_task(
            actor=admin,
            division=county,
            title=spec["title"],
            theme=spec["theme"],
            programs=[program(name) for name in spec["programs"]],
            lead_leader=leader,
            lead_unit=units.get(spec["lead"]),
            co_units=[units[name] for name in spec["co"] if name in units],
            responsible=people.get("nongye") if spec["lead"] == "农业农村局" else None,
            start_on=day(spec["start"]),
            due_on=day(spec["due"]),
            is_key=spec.get("key", False),
            priority=2 if spec.get("key") else 3,
            meeting=meeting,
            decision=decision,
            milestones=[(name, day(offset), w) for name, offset, w in spec.get("milestones", [])],
        )
        created.append((spec, task))

    for spec, task in created:
        if spec.get("fan_out"):
            parts = services.fan_out(actor=admin, task=task)
            _staff_and_report(parts, admin, people, task, services)
        elif spec.get("progress") is not None:
            services.record_progress(
                task=task,
                percent=Decimal(spec["progress"]),
                actor=admin,
                text="区乡村振兴办审核通过进度报告。",
            )

    # 户厕改造 goes one level further in 田横镇: to a few of its villages, 红花山村 first.
    toilets = created[1][1]
    town_part = toilets.children.get(division_id=TOWN_A)
    others = (
        Division.objects.current()
        .filter(level=5)
        .below(TOWN_A)
        .exclude(code=VILLAGE_A)
        .order_by("code")
        .values_list("code", flat=True)
    )
    villages = [VILLAGE_A, *others[: VILLAGE_COUNT - 1]]
    village_parts = services.fan_out(actor=people["tianheng"], task=town_part, codes=villages)
    for index, part in enumerate(village_parts):
        if part.division_id == VILLAGE_A:
            services.update_task(actor=admin, task=part, responsible=people["honghuashan"])
        services.record_progress(
            task=part,
            percent=Decimal([90, 60, 100, 30, 45][index % 5]),
            actor=people["tianheng"],
            text="镇审核通过村级进度报告。",
        )

    links.create_leader_link(
        actor=admin, leader=leader, kind="town", division=Division.objects.get(code=TOWN_A)
    )
    links.create_leader_link(
        actor=admin, leader=leader, kind="village", division=Division.objects.get(code=VILLAGE_A)
    )
    links.create_leader_link(actor=admin, leader=leader, kind="task", division=county, task=toilets)
    services.refresh_lights()


_USERNAMES = ["admin", "leader", "nongye", "tianheng", "jinkou", "honghuashan"]


def _staff_and_report(
    parts: list[Any], admin: Any, people: dict[str, Any], task: Any, services: Any
) -> None:
    """Name the town officials on their towns' parts and record each town's approved percent."""
    for index, part in enumerate(parts):
        if part.division_id == TOWN_A:
            services.update_task(actor=admin, task=part, responsible=people["tianheng"])
        elif part.division_id == TOWN_B:
            services.update_task(actor=admin, task=part, responsible=people["jinkou"])
        percent = TOWN_PERCENTS[(index + task.pk) % len(TOWN_PERCENTS)]
        on = None
        if task.due_on < clock.today() and percent >= 60:
            # Past its deadline, the towns that were well along finished in time (some
            # early, some on the last day), so the month's ranking has something to tell.
            percent, on = 100, task.due_on - dt.timedelta(days=index % 3)
        if percent and not (task.title.startswith("完成农村户厕") and part.division_id == TOWN_A):
            services.record_progress(
                task=part,
                percent=Decimal(percent),
                actor=admin,
                on=on,
                text="审核通过镇街进度报告。",
            )

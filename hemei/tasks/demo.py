"""Demo tasks: twelve county tasks of 即墨区 decomposed from the demo meetings' decisions,
across the five themes and the named programs, led by the demo leader with the demo units.
Four are fanned out to every town (one further to some villages of 田横镇), and deadlines
are set relative to today so that some tasks are red (overdue) and some yellow (deadline
near, progress behind). A monthly inspection for each of the last twelve months (to every
town, and in 田横镇 to the same villages) gives the rankings a year of history.

Each task is created on its start day (its timeline and creation date say so), and every
step of its progress is an approved report (``hemei.progress.demo.history_report``) dated
between its creation and today, so a timeline never shows progress its report list lacks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import timezone

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
#: The approved percent of each village's part of the 户厕 task, by position.
VILLAGE_PERCENTS = [90, 60, 100, 30, 45]

#: The monthly inspection: one county task per month for the last twelve months (this one
#: included), due on the 25th, fanned out like the 户厕 task.
MONTHLY_TITLE = "农村人居环境整治月度检查（{month.year}年{month.month}月）"
MONTHS = 12
MONTHLY_DUE_DAY = 25
#: Days from the deadline to each part's completion, by position (negative: early), so
#: that the towns and villages rank differently from month to month.
MONTHLY_DAYS = [-4, -2, 0, -1, 3, -3, 1, 0, 6, -2, 2, -5, 0, 4, -1, -3, 8, -6, 1, 0, 2, -2, 5]


class Step(NamedTuple):
    """One step of a demo task's past progress: an approved report of ``percent`` on ``on``."""

    task: Any
    percent: Decimal
    on: dt.date
    text: str


#: The steps the last ``load`` planned, for the progress demo to write as approved reports
#: (tasks lie below progress, so the tasks demo plans and the progress demo writes).
PLANNED: list[Step] = []


def take_planned_steps() -> list[Step]:
    steps, PLANNED[:] = list(PLANNED), []
    return steps


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


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

    def progress_day(task: Task, index: int) -> dt.date:
        """A day for a step of progress: a week or more ago, after the task was created."""
        return max(task.start_on + dt.timedelta(days=1), day(-7 - index % 20))

    villages = _villages(Division)
    created = []
    for spec in TASKS:
        meeting = decision = None
        if spec.get("decision"):
            key, number = spec["decision"]
            meeting = meetings.get(key)
            if meeting is not None:
                decision = next((d for d in meeting.decisions.all() if d.number == number), None)
        with clock.frozen_at(_at(day(spec["start"]))):
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
                milestones=[
                    (name, day(offset), w) for name, offset, w in spec.get("milestones", [])
                ],
            )
            parts = services.fan_out(actor=admin, task=task) if spec.get("fan_out") else []
            _staff(parts, admin, people, services)
        created.append((spec, task, parts))

    # 户厕改造 goes one level further in 田横镇, a week after it started: to a few of its
    # villages, 红花山村 first.
    toilets = created[1][1]
    town_part = toilets.children.get(division_id=TOWN_A)
    with clock.frozen_at(_at(toilets.start_on + dt.timedelta(days=7))):
        village_parts = _to_villages(town_part, villages, admin, people, services)

    monthly = [
        _monthly(month, villages, county, admin, leader, people, units, program, services)
        for month in _months(today)
    ]
    _date_creations(Task)

    # The progress so far, each step an approved report (on the tasks as they are now,
    # with their responsible people).
    steps: list[Step] = []
    for spec, task, parts in created:
        if parts:
            steps += _town_steps(parts, task, progress_day, today)
        elif spec.get("progress") is not None:
            steps.append(
                Step(
                    task,
                    Decimal(spec["progress"]),
                    progress_day(task, task.pk),
                    f"牵头单位汇总各责任单位进展：已完成{spec['progress']}%。",
                )
            )
    for index, part in enumerate(village_parts):
        percent = VILLAGE_PERCENTS[index % len(VILLAGE_PERCENTS)]
        steps.append(
            Step(
                part,
                Decimal(percent),
                progress_day(part, index),
                f"已完成本村改造任务的{percent}%，入户验收记录已归档。",
            )
        )
    for number, leaves in enumerate(monthly):
        for position, leaf in enumerate(leaves):
            done = leaf.due_on + dt.timedelta(
                days=MONTHLY_DAYS[(position + 5 * number) % len(MONTHLY_DAYS)]
            )
            if done < today:
                steps.append(
                    Step(
                        leaf,
                        Decimal(100),
                        done,
                        "本月检查发现的问题已全部整改，整改台账和照片已归档。",
                    )
                )
    # The progress demo (a layer above) writes them as approved reports, then the lights.
    current = Task.objects.in_bulk([step.task.pk for step in steps])
    PLANNED[:] = [step._replace(task=current[step.task.pk]) for step in steps]

    links.create_leader_link(
        actor=admin, leader=leader, kind="town", division=Division.objects.get(code=TOWN_A)
    )
    links.create_leader_link(
        actor=admin, leader=leader, kind="village", division=Division.objects.get(code=VILLAGE_A)
    )
    links.create_leader_link(actor=admin, leader=leader, kind="task", division=county, task=toilets)
    services.refresh_lights()


_USERNAMES = ["admin", "leader", "nongye", "tianheng", "jinkou", "honghuashan"]


def _villages(Division: Any) -> list[str]:
    """红花山村 and the first other villages of 田横镇: where the village-level parts go."""
    others = (
        Division.objects.current()
        .filter(level=5)
        .below(TOWN_A)
        .exclude(code=VILLAGE_A)
        .order_by("code")
        .values_list("code", flat=True)
    )
    return [VILLAGE_A, *others[: VILLAGE_COUNT - 1]]


def _months(today: dt.date) -> list[dt.date]:
    """The first days of the last ``MONTHS`` months, this one last."""
    months = [today.replace(day=1)]
    while len(months) < MONTHS:
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
    return months


def _staff(parts: list[Any], admin: Any, people: dict[str, Any], services: Any) -> None:
    """Name the demo town officials on their towns' parts."""
    for part in parts:
        if part.division_id == TOWN_A:
            services.update_task(actor=admin, task=part, responsible=people["tianheng"])
        elif part.division_id == TOWN_B:
            services.update_task(actor=admin, task=part, responsible=people["jinkou"])


def _to_villages(
    town_part: Any, villages: list[str], admin: Any, people: dict[str, Any], services: Any
) -> list[Any]:
    """田横镇 passes its part on to the villages; 红花山村's official is responsible there."""
    parts = services.fan_out(actor=people["tianheng"], task=town_part, codes=villages)
    for part in parts:
        if part.division_id == VILLAGE_A:
            services.update_task(actor=admin, task=part, responsible=people["honghuashan"])
    return parts


def _monthly(
    month: dt.date,
    villages: list[str],
    county: Any,
    admin: Any,
    leader: Any,
    people: dict[str, Any],
    units: dict[str, Any],
    program: Any,
    services: Any,
) -> list[Any]:
    """The month's inspection, opened on its first day; answer its leaf parts."""
    with clock.frozen_at(_at(month)):
        task = services.create_task(
            actor=admin,
            division=county,
            title=MONTHLY_TITLE.format(month=month),
            theme="ecology",
            programs=[program("人居环境整治提升")],
            lead_leader=leader,
            lead_unit=units.get("人居专班"),
            co_units=[units[name] for name in ("生态环境分局",) if name in units],
            responsible=None,
            start_on=month,
            due_on=month.replace(day=MONTHLY_DUE_DAY),
            is_key=False,
            priority=3,
            meeting=None,
            decision=None,
            milestones=[],
        )
        parts = services.fan_out(actor=admin, task=task)
        _staff(parts, admin, people, services)
        town_part = next(part for part in parts if part.division_id == TOWN_A)
        village_parts = _to_villages(town_part, villages, admin, people, services)
    return [part for part in parts if part.pk != town_part.pk] + village_parts


def _date_creations(Task: Any) -> None:
    """A task's creation date is the moment its timeline says it was created."""
    from django.db.models import Exists, OuterRef, Subquery

    from .choices import EventKind
    from .models import TaskEvent

    created = TaskEvent.objects.filter(task=OuterRef("pk"), kind=EventKind.CREATED)
    Task.objects.filter(Exists(created), division__code__startswith=DEMO_COUNTY).update(
        created_at=Subquery(created.order_by("at").values("at")[:1])
    )


def _town_steps(parts: list[Any], task: Any, progress_day: Any, today: dt.date) -> list[Any]:
    """Each town's approved percent of its part."""
    steps = []
    for index, part in enumerate(parts):
        if task.title.startswith("完成农村户厕") and part.division_id == TOWN_A:
            continue  # passed on to the villages
        percent = TOWN_PERCENTS[(index + task.pk) % len(TOWN_PERCENTS)]
        on = progress_day(part, index)
        if task.due_on < today and percent >= 60:
            # Past its deadline, the towns that were well along finished in time (some
            # early, some on the last day), so the month's ranking has something to tell.
            percent, on = 100, task.due_on - dt.timedelta(days=index % 3)
        if percent:
            steps.append(
                Step(part, Decimal(percent), on, f"已完成{percent}%，相关台账和现场照片已归档。")
            )
    return steps

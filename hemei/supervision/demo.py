"""Demo supervision: the demo county's ladder, one sweep of it over the demo tasks (so the
late tasks carry yellow and red cards and the most overdue one a supervision order), a
manual order to 田横镇 that the town has answered, and an extension request from 金口镇
waiting for the demo leader.

The demo ladder escalates a little faster than the default (an order 10 days after the
deadline instead of 14) so that the demo's most overdue open task (12 days late) gets one.
Runs after the tasks and progress demos; with no tasks there it adds nothing.
"""

from __future__ import annotations

import datetime as dt

from hemei.core import clock

DEMO_LADDER = (
    ("reminder", -3, 0),
    ("reminder", 0, 0),
    ("yellow_card", 1, 0),
    ("red_card", 7, 0),
    ("supervision_order", 10, 5),
)


def load() -> None:
    from django.db.models import Exists, OuterRef

    from hemei.accounts.models import User
    from hemei.demo import DEMO_COUNTY, TOWN_A, TOWN_B
    from hemei.divisions.models import Division
    from hemei.tasks.choices import State
    from hemei.tasks.models import Task

    from . import services
    from .models import Step, SupervisionOrder

    if SupervisionOrder.objects.filter(county_id=DEMO_COUNTY).exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    if len(people) < len(_USERNAMES) or not Task.objects.exists():
        return
    admin, leader = people["admin"], people["leader"]
    today = clock.today()

    services.save_ladder(
        actor=admin,
        division=Division.objects.get(code=DEMO_COUNTY),
        steps=[Step(kind, days, reply) for kind, days, reply in DEMO_LADDER],
    )
    services.climb_ladder(today=today)

    leaves = (
        Task.objects.exclude(state=State.DONE)
        .filter(~Exists(Task.objects.filter(parent_id=OuterRef("pk"))))
        .select_related("division", "lead_leader")
        .order_by("due_on", "pk")
    )
    town_a = leaves.filter(division_id=TOWN_A, responsible=people["tianheng"]).first()
    if town_a is not None:
        order = services.issue_order(
            task=town_a,
            actor=admin,
            text=(
                "请田横镇于5日内书面反馈该任务的工作进展、存在问题和下一步措施，确保按期保质完成。"
            ),
            reply_due=today + dt.timedelta(days=5),
        )
        services.reply_to_order(
            order=order,
            actor=people["tianheng"],
            text=(
                "已召开专题调度会，抽调12名干部分片包干，剩余工作量已排出倒计时，"
                "确保在完成时限前全部完成并组织验收。"
            ),
        )
    town_b = leaves.filter(division_id=TOWN_B, lead_leader=leader, due_on__gte=today).first()
    if town_b is not None:
        services.request_extension(
            task=town_b,
            actor=people["jinkou"],
            requested_due=town_b.due_on + dt.timedelta(days=20),
            reason="受连续降雨影响，部分工程无法施工，申请延期20天。",
        )


_USERNAMES = ["admin", "leader", "tianheng", "jinkou"]

"""Reading tasks for the pages: the filtered list, the tree, my work, the county overview and
a leader's contact points. Every function starts from ``visible_to(user)``; none writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext

from hemei.accounts.choices import Role
from hemei.accounts.models import User
from hemei.accounts.policy import grants, may, places
from hemei.accounts.roles import TASK_REPORT_ROLES
from hemei.core.lists import cached_rows
from hemei.divisions.choices import Level
from hemei.divisions.models import Division, subtree_q
from hemei.units.models import Unit

from .choices import EventKind, Light, Source, State
from .models import LeaderLink, Task, TaskEvent

#: How deep a task tree may go (county → town → village → one more level of detail).
MAX_TREE_DEPTH = 6


@dataclass(frozen=True)
class TaskFilters:
    """What the task list can be narrowed by; empty values filter nothing."""

    q: str = ""
    theme: str = ""
    state: str = ""
    light: str = ""
    unit: int | None = None
    division: str = ""
    program: int | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    only_open: bool = False
    #: the API's further filters (the page has no field for them)
    parent: int | None = None
    is_key: bool | None = None
    mine: bool = False


def filter_tasks(user: Any, filters: TaskFilters) -> QuerySet[Task]:
    """The tasks the user sees, narrowed by ``filters``, ready for a list row: one meaning for
    the page and the API (a unit is the task's lead unit or one of its co-operating units:
    a department looks for the work it takes part in)."""
    tasks = Task.objects.visible_to(user).search(filters.q)
    if filters.theme:
        tasks = tasks.filter(theme=filters.theme)
    if filters.state:
        tasks = tasks.filter(state=filters.state)
    if filters.light:
        tasks = tasks.filter(light=filters.light)
    if filters.unit:
        co = Task.co_units.through.objects.filter(unit_id=filters.unit).values("task_id")
        tasks = tasks.filter(Q(lead_unit_id=filters.unit) | Q(pk__in=co))
    if filters.division:
        tasks = tasks.filter(subtree_q([filters.division], "division"))
    if filters.program:
        tagged = Task.programs.through.objects.filter(program_id=filters.program)
        tasks = tasks.filter(pk__in=tagged.values("task_id"))
    if filters.parent:
        tasks = tasks.filter(parent_id=filters.parent)
    if filters.is_key is not None:
        tasks = tasks.filter(is_key=filters.is_key)
    if filters.mine:
        tasks = tasks.filter(pk__in=Task.objects.answered_by(user).values("pk"))
    if filters.due_from:
        tasks = tasks.filter(due_on__gte=filters.due_from)
    if filters.due_to:
        tasks = tasks.filter(due_on__lte=filters.due_to)
    if filters.only_open:
        tasks = tasks.open()
    return tasks.order_by("due_on", "id")


def units_for(user: Any) -> QuerySet[Unit]:
    """Units a user may name on a task: inside their scope and at the divisions above it."""
    return Unit.objects.active().restrict(user, "name")


def leaders_for(user: Any) -> QuerySet[User]:
    """People holding the leader role at, above or inside the user's scope."""
    leaders = User.objects.restrict(user, "name").filter(
        is_active=True, role_assignments__role=Role.LEADER
    )
    return leaders.distinct().order_by("full_name", "username")


def people_for(user: Any) -> QuerySet[User]:
    """Who may be named the responsible person: active officials and staff the user sees
    (villagers' accounts are left out: they do not carry tasks)."""
    return (
        User.objects.restrict(user, "name")
        .filter(is_active=True, role_assignments__role__in=TASK_REPORT_ROLES)
        .distinct()
        .order_by("full_name", "username")
    )


def manageable_divisions(user: Any) -> QuerySet[Division]:
    """Divisions where the user may create and manage tasks."""
    return places(user, "manage_tasks").current()


def division_suggestions(user: Any, parent: Task | None = None) -> list[tuple[str, str]]:
    """Divisions offered while typing a code: the county and its towns, or what lies under
    a parent task (its villages too)."""
    divisions = manageable_divisions(user)
    if parent is not None:
        divisions = divisions.within(parent.division_id)
    else:
        divisions = divisions.filter(level__lte=Level.TOWN)
    return list(divisions.order_by("code").values_list("code", "name")[:500])


def may_manage_somewhere(user: Any) -> bool:
    return may(user, "manage_tasks", Division)


def counties_for(user: Any) -> QuerySet[Division]:
    """The counties the user sees (the county filter of the list, before its towns)."""
    return places(user, "view").current().filter(level=Level.COUNTY)


def sees_several_counties(user: Any) -> bool:
    """A city's or the province's user: overviews go by county, and their figures are kept
    a minute rather than counted on every page."""
    return counties_for(user)[:2].count() > 1


def towns_for(user: Any) -> QuerySet[Division]:
    """The towns the user sees (the division filter of the list)."""
    return places(user, "view").current().filter(level=Level.TOWN)


def visible_or_none(user: Any, pk: int | None) -> Task | None:
    if pk is None:
        return None
    return Task.objects.visible_to(user).filter(pk=pk).first()


def children_of(user: Any, task: Task) -> QuerySet[Task]:
    """The visible subtasks, the ones that lag first (the roll-up: which towns lag)."""
    return (
        Task.objects.visible_to(user)
        .filter(parent=task)
        .select_related("division", "responsible", "lead_unit")
        .order_by("progress", "division_id", "id")
    )


def timeline(task: Task) -> QuerySet[TaskEvent]:
    """Everything that happened to the task, oldest first."""
    return task.events.select_related("actor").order_by("at", "id")


@dataclass
class TreeNode:
    task: Task
    depth: int
    children: list[TreeNode] = field(default_factory=list)


def subtree(user: Any, root: Task) -> list[TreeNode]:
    """The visible subtree under ``root``, depth first, one query per level."""
    nodes = {root.pk: TreeNode(root, 0)}
    level = [root.pk]
    depth = 0
    while level and depth < MAX_TREE_DEPTH:
        depth += 1
        found = list(
            Task.objects.visible_to(user)
            .filter(parent_id__in=level)
            .select_related("division", "lead_unit", "responsible")
            .order_by("division_id", "id")
        )
        for task in found:
            node = TreeNode(task, depth)
            nodes[task.pk] = node
            nodes[task.parent_id].children.append(node)  # type: ignore[index]
        level = [task.pk for task in found]
    ordered: list[TreeNode] = []

    def walk(node: TreeNode) -> None:
        ordered.append(node)
        for child in node.children:
            walk(child)

    walk(nodes[root.pk])
    return ordered


@dataclass(frozen=True)
class TownRow:
    code: str
    name: str
    total: int
    green: int
    yellow: int
    red: int
    done: int
    average: Decimal


def overview_by_town(user: Any, county: str = "") -> list[TownRow]:
    """Lights by town: one row per town the user sees (inside ``county`` when given),
    counted in one grouped query.

    A task belongs to the town whose nine digits begin its division code (the town's own
    parts and its villages' parts alike); county tasks do not belong to any town.
    """
    towns = towns_for(user)
    if county:
        towns = towns.filter(code__startswith=county)
    return _lights_by(user, list(towns.order_by("code").values_list("code", "name")), 9, county)


def overview_by_county(user: Any) -> list[TownRow]:
    """The same rows one level up, for a user who sees several counties (a city or the
    province: 1,600 town rows would be a page nobody reads): the tasks of each county's
    towns and villages, each row opening that county's towns. Counting a province's tasks
    takes a tenth of a second, so these figures are kept a minute (``cached_rows``)."""
    counties = list(counties_for(user).order_by("code").values_list("code", "name"))
    return _lights_by(user, counties, 6, kept=True)


def _lights_by(
    user: Any, places: list[tuple[str, str]], digits: int, within: str = "", kept: bool = False
) -> list[TownRow]:
    tasks = Task.objects.visible_to(user).filter(division__level__gte=Level.TOWN)
    if within:  # one county of a wider area: count its tasks only
        tasks = tasks.filter(subtree_q([within], "division"))
    rows = (
        tasks.annotate(place=Substr("division_id", 1, digits))
        .values("place")
        .annotate(
            total=Count("id"),
            green=Count("id", filter=Q(light=Light.GREEN) & ~Q(state=State.DONE)),
            yellow=Count("id", filter=Q(light=Light.YELLOW) & ~Q(state=State.DONE)),
            red=Count("id", filter=Q(light=Light.RED) & ~Q(state=State.DONE)),
            done=Count("id", filter=Q(state=State.DONE)),
            average=Avg("progress"),
        )
        .order_by("place")
    )
    by_place = {row["place"]: row for row in (cached_rows(rows) if kept else rows)}
    result = []
    for code, name in places:
        row = by_place.get(code, {})
        result.append(
            TownRow(
                code=code,
                name=name,
                total=row.get("total", 0),
                green=row.get("green", 0),
                yellow=row.get("yellow", 0),
                red=row.get("red", 0),
                done=row.get("done", 0),
                average=Decimal(row.get("average") or 0).quantize(Decimal("0.1")),
            )
        )
    return result


@dataclass
class MyWork:
    """What a user's roles put in front of them, each part a queryset ready for rows."""

    led: QuerySet[Task] | None = None
    linked: QuerySet[Task] | None = None
    unit: QuerySet[Task] | None = None
    division: QuerySet[Task] | None = None
    responsible: QuerySet[Task] | None = None
    links: list[LeaderLink] = field(default_factory=list)


def my_work(user: Any) -> MyWork:
    """Leaders: what they answer for; department staff: their units' tasks; town and village
    officials: their division's open tasks, soonest deadline first."""
    roles = {grant.role for grant in grants(user)}
    visible = Task.objects.visible_to(user).for_rows().open().order_by("due_on", "id")
    work = MyWork(responsible=visible.filter(responsible=user))
    if Role.LEADER in roles or Role.COUNTY_ADMIN in roles:
        work.led = visible.filter(lead_leader=user)
        work.links = list(LeaderLink.objects.filter(leader=user).select_related("division", "task"))
        work.linked = visible.filter(linked_condition(work.links))
    if Role.DEPARTMENT in roles:
        units = [grant.unit_id for grant in grants(user) if grant.unit_id]
        work.unit = visible.filter(Q(lead_unit_id__in=units) | Q(co_units__in=units)).distinct()
    officials = [
        g.division_id for g in grants(user) if g.role in (Role.TOWN_OFFICIAL, Role.VILLAGE_OFFICIAL)
    ]
    if officials:
        work.division = visible.filter(subtree_q(officials, "division"))
    return work


def linked_condition(links: list[LeaderLink]) -> Q:
    """Tasks a leader's contact points cover: the linked tasks (and their parts) and the
    tasks inside linked towns and villages."""
    condition = Q(pk__in=[])
    task_ids = [link.task_id for link in links if link.task_id]
    if task_ids:
        condition |= Q(pk__in=task_ids) | Q(parent_id__in=task_ids)
    codes = [link.division_id for link in links if not link.task_id]
    if codes:
        condition |= subtree_q(codes, "division")
    return condition


@dataclass(frozen=True)
class LinkSummary:
    link: LeaderLink
    total: int
    red: int
    yellow: int
    done: int


def leader_summary(viewer: Any, leader: User) -> tuple[list[LinkSummary], QuerySet[Task]]:
    """A leader's contact points as the viewer may see them, each with its tasks' lights,
    and every open task they answer for (lead leader or through a link)."""
    links = list(
        LeaderLink.objects.visible_to(viewer)
        .filter(leader=leader)
        .select_related("division", "task")
        .order_by("kind", "division_id", "id")
    )
    visible = Task.objects.visible_to(viewer)
    summaries = []
    for link in links:
        counts = visible.filter(linked_condition([link])).aggregate(
            total=Count("id"),
            red=Count("id", filter=Q(light=Light.RED) & ~Q(state=State.DONE)),
            yellow=Count("id", filter=Q(light=Light.YELLOW) & ~Q(state=State.DONE)),
            done=Count("id", filter=Q(state=State.DONE)),
        )
        summaries.append(LinkSummary(link=link, **counts))
    answered = (
        visible.for_rows()
        .filter(Q(lead_leader=leader) | linked_condition(links))
        .distinct()
        .order_by("-is_key", "due_on", "id")
    )
    return summaries, answered


def describe(event: TaskEvent) -> str:
    """A one-line reading of an event's data for the timeline (the text is shown beside it)."""
    data = event.data or {}
    if event.kind == EventKind.PROGRESS and "after" in data:
        return f"{_number(data.get('before'))}% → {_number(data['after'])}%"
    deadline_kinds = (EventKind.DEADLINE_CHANGED, EventKind.EXTENSION_REQUESTED)
    if event.kind in deadline_kinds and "after" in data:
        return f"{data.get('before', '')} → {data['after']}"
    if data.get("number") and event.kind in ORDER_KINDS:
        return str(data["number"])
    if event.kind == EventKind.LIGHT_CHANGED and "after" in data:
        return f"{_label(Light, data.get('before'))} → {_label(Light, data['after'])}"
    if event.kind == EventKind.CREATED and data.get("source"):
        return _label(Source, data["source"])
    if event.kind == EventKind.CHANGED and isinstance(data.get("changes"), dict):
        names = []
        for name in data["changes"]:
            try:
                names.append(str(Task._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:  # a field since removed: show its name
                names.append(name)
        return "、".join(names)
    return ""


#: Timeline kinds about a supervision order, which carry its number (督办〔2026〕3号).
ORDER_KINDS = frozenset(
    {EventKind.SUPERVISION_ORDER, EventKind.ORDER_REPLIED, EventKind.ORDER_CLOSED, EventKind.NOTE}
)


def _number(value: Any) -> str:
    try:
        return f"{Decimal(str(value)).normalize():f}"
    except (ArithmeticError, ValueError):
        return str(value or 0)


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


#: How many rows each part of "my work" shows; the rest are one click away in the list.
MY_WORK_ROWS = 100


def with_program_names(tasks: Iterable[Task]) -> list[Task]:
    """The rows, each with the names of its programs (``task.program_names``), read in one
    query of bare names for the whole page."""
    rows = list(tasks)
    names: dict[int, list[str]] = {task.pk: [] for task in rows}
    tagged = Task.programs.through.objects.filter(task_id__in=list(names))
    for task_id, name in tagged.order_by("program__name").values_list("task_id", "program__name"):
        names[task_id].append(name)
    for task in rows:
        task._program_names = names[task.pk]
    return rows


def needs_action(tasks: list[Task]) -> list[Task]:
    """Mark each task with what is waiting on the people doing it (``task.needs``).

    A fixed number of queries whatever the rows: one for returned or unsent reports and one
    for open supervision orders, when those apps are installed.
    """
    from django.apps import apps

    ids = [task.pk for task in tasks]
    waiting: dict[int, list[str]] = {pk: [] for pk in ids}
    try:
        order_model = apps.get_model("supervision", "SupervisionOrder")
    except LookupError:
        order_model = None
    if order_model is not None and ids:
        for task_id in set(
            order_model.objects.filter(task_id__in=ids, state="open").values_list(
                "task_id", flat=True
            )
        ):
            waiting[task_id].append(gettext("answer the supervision order"))
    try:
        report_model = apps.get_model("progress", "ProgressReport")
    except LookupError:
        report_model = None
    if report_model is not None and ids:
        states = dict(
            report_model.objects.filter(task_id__in=ids, state__in=["returned", "draft"])
            .values_list("task_id", "state")
            .distinct()
        )
        for task_id, state in states.items():
            waiting[task_id].append(
                gettext("correct the returned report")
                if state == "returned"
                else gettext("submit the draft report")
            )
    for task in tasks:
        needs = []
        if task.light == Light.RED:
            needs.append(gettext("overdue: report or ask for an extension"))
        elif task.light == Light.YELLOW:
            needs.append(gettext("behind time: report progress"))
        if task.responsible_id is None:
            needs.append(gettext("name a responsible person"))
        task.needs = needs + waiting[task.pk]  # type: ignore[attr-defined]
    return tasks

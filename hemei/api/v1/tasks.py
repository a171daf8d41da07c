"""Tasks: list with filters, detail with milestones, subtasks and timeline; create, edit,
fan out. Writes go through :mod:`hemei.tasks.services`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from hemei.core.choices import Theme
from hemei.divisions.choices import Level
from hemei.meetings.models import Decision, Meeting
from hemei.tasks import services
from hemei.tasks.choices import EventKind, Light, Priority, Source, State
from hemei.tasks.models import Milestone, Program, Task, TaskEvent
from hemei.tasks.selectors import TaskFilters, filter_tasks

from .. import schema as s
from ..framework import Call, Reply, not_found
from .common import (
    DIVISION,
    DIVISION_CODE,
    PERSON,
    UNIT,
    api,
    date,
    division_code,
    division_ref,
    moment,
    number,
    person_id,
    person_ref,
    require_role,
    unit_id,
    unit_ref,
)

TAG = "tasks"
api.gate(TAG, Task)
PERCENT = {"minimum": 0, "maximum": 100}

# Shapes -----------------------------------------------------------------------------------

PROGRAM = s.response("ProgramRef", {"id": s.Int(minimum=1), "name": s.Str()})
SUMMARY_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "title": s.Str(),
    "division": DIVISION,
    "parent_id": s.Int(minimum=1, nullable=True),
    "theme": s.Choice(Theme.choices),
    "state": s.Choice(State.choices),
    "light": s.Choice(Light.choices),
    "progress": s.Number(**PERCENT, description=gettext_lazy("Percent done (0–100).")),
    "start_on": s.Date(nullable=True),
    "due_on": s.Date(description=gettext_lazy("Deadline (完成时限).")),
    "completed_on": s.Date(nullable=True),
    "priority": s.Choice(Priority.choices),
    "is_key": s.Bool(),
    "lead_leader": s.Nullable(PERSON),
    "lead_unit": s.Nullable(UNIT),
    "responsible": s.Nullable(PERSON),
    "co_units": s.List(UNIT),
    "programs": s.List(PROGRAM),
}
TASK = s.response("Task", SUMMARY_FIELDS)
MILESTONE = s.response(
    "Milestone",
    {
        "id": s.Int(minimum=1),
        "name": s.Str(),
        "due_on": s.Date(),
        "weight": s.Number(minimum=0),
        "reached_on": s.Date(nullable=True),
    },
)
CHILD = s.response(
    "Subtask",
    {
        "id": s.Int(minimum=1),
        "title": s.Str(),
        "division": DIVISION,
        "progress": s.Number(**PERCENT),
        "weight": s.Number(minimum=0),
        "state": s.Choice(State.choices),
        "light": s.Choice(Light.choices),
        "due_on": s.Date(),
    },
)
EVENT = s.response(
    "TimelineEvent",
    {
        "at": s.DateTime(),
        "kind": s.Choice(EventKind.choices),
        "label": s.Str(description=gettext_lazy("The kind, in the interface language.")),
        "actor": s.Nullable(PERSON),
        "text": s.Str(),
        "data": s.Free(),
    },
)
MEETING_REF = s.response("MeetingRef", {"id": s.Int(minimum=1), "name": s.Str()})
DECISION_REF = s.response(
    "DecisionRef", {"id": s.Int(minimum=1), "number": s.Int(minimum=0), "text": s.Str()}
)
TASK_DETAIL = s.response(
    "TaskDetail",
    {
        **SUMMARY_FIELDS,
        "description": s.Str(),
        "weight": s.Number(minimum=0, description=gettext_lazy("Share in the parent's progress.")),
        "source": s.Choice(Source.choices),
        "meeting": s.Nullable(MEETING_REF),
        "decision": s.Nullable(DECISION_REF),
        "milestones": s.List(MILESTONE),
        "children_count": s.Int(minimum=0),
        "children": s.List(CHILD, max_items=100_000),
        "timeline": s.List(EVENT, max_items=100_000),
        "created_at": s.DateTime(),
        "updated_at": s.DateTime(),
    },
)


def task_summary(task: Task) -> dict[str, Any]:
    """A list row (the queryset must come from ``for_list()``)."""
    return {
        "id": task.pk,
        "title": task.title,
        "division": division_ref(task.division),
        "parent_id": task.parent_id,
        "theme": task.theme,
        "state": task.state,
        "light": task.light,
        "progress": number(task.progress),
        "start_on": date(task.start_on),
        "due_on": date(task.due_on),
        "completed_on": date(task.completed_on),
        "priority": task.priority,
        "is_key": task.is_key,
        "lead_leader": person_ref(task.lead_leader),
        "lead_unit": unit_ref(task.lead_unit),
        "responsible": person_ref(task.responsible),
        "co_units": [unit_ref(unit) for unit in task.co_units.all()],
        "programs": [{"id": p.pk, "name": p.name} for p in task.programs.all()],
    }


def task_detail(task: Task) -> dict[str, Any]:
    children = list(task.children.select_related("division").order_by("division_id", "id"))
    return {
        **task_summary(task),
        "description": task.description,
        "weight": number(task.weight),
        "source": task.source,
        "meeting": {"id": task.meeting.pk, "name": task.meeting.name} if task.meeting else None,
        "decision": (
            {"id": task.decision.pk, "number": task.decision.number, "text": task.decision.text}
            if task.decision
            else None
        ),
        "milestones": [
            {
                "id": m.pk,
                "name": m.name,
                "due_on": date(m.due_on),
                "weight": number(m.weight),
                "reached_on": date(m.reached_on),
            }
            for m in task.milestones.all()
        ],
        "children_count": len(children),
        "children": [
            {
                "id": child.pk,
                "title": child.title,
                "division": division_ref(child.division),
                "progress": number(child.progress),
                "weight": number(child.weight),
                "state": child.state,
                "light": child.light,
                "due_on": date(child.due_on),
            }
            for child in children
        ],
        "timeline": [
            {
                "at": moment(event.at),
                "kind": event.kind,
                "label": str(event.get_kind_display()),
                "actor": person_ref(event.actor),
                "text": event.text,
                "data": event.data,
            }
            for event in task.events.all()
        ],
        "created_at": moment(task.created_at),
        "updated_at": moment(task.updated_at),
    }


def visible_tasks(user: Any) -> Any:
    return Task.objects.visible_to(user)


def load_task(user: Any, pk: int) -> Task:
    """The task with everything its detail shows, or 404 (outside the scope as well)."""
    task = (
        visible_tasks(user)
        .for_list()
        .select_related("meeting", "decision")
        .prefetch_related(
            Prefetch("events", queryset=TaskEvent.objects.select_related("actor")),
            Prefetch("milestones", queryset=Milestone.objects.all()),
        )
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise not_found()
    return task


# Inputs -------------------------------------------------------------------------------------


def _programs(user: Any) -> Any:
    return Program.objects.all()


def _meetings(user: Any) -> Any:
    return Meeting.objects.visible_to(user)


def _decisions(user: Any) -> Any:
    return Decision.objects.filter(meeting__in=Meeting.objects.visible_to(user))


MILESTONE_IN = s.Obj(
    "MilestoneInput",
    {
        "name": s.Str(min_length=1, max_length=200),
        "due_on": s.Date(),
        "weight": s.Number(minimum=0, maximum=99999, description=gettext_lazy("Default 1.")),
    },
    required=["name", "due_on"],
)
EDITABLE_FIELDS: dict[str, s.Field] = {
    "title": s.Str(min_length=1, max_length=300),
    "description": s.Str(max_length=20_000),
    "theme": s.Choice(Theme.choices),
    "lead_leader": person_id(nullable=True),
    "lead_unit": unit_id(nullable=True),
    "responsible": person_id(nullable=True),
    "co_units": s.List(unit_id(), max_items=100),
    "programs": s.List(
        s.Ref(s.Int(minimum=1), _programs, description=gettext_lazy("A program's id.")),
        max_items=50,
    ),
    "start_on": s.Date(nullable=True),
    "due_on": s.Date(),
    "priority": s.Choice(Priority.choices),
    "is_key": s.Bool(),
    "weight": s.Number(minimum=0, maximum=99999),
    "meeting": s.Ref(
        s.Int(minimum=1), _meetings, nullable=True, description=gettext_lazy("A meeting's id.")
    ),
    "decision": s.Ref(
        s.Int(minimum=1), _decisions, nullable=True, description=gettext_lazy("A decision's id.")
    ),
}
TASK_CREATE = s.Obj(
    "TaskCreate",
    {
        "division": division_code(description=gettext_lazy("Where the work is done.")),
        "parent": s.Ref(
            s.Int(minimum=1),
            visible_tasks,
            nullable=True,
            description=gettext_lazy("Parent task's id."),
        ),
        **EDITABLE_FIELDS,
        "milestones": s.List(MILESTONE_IN, max_items=50),
    },
    required=["division", "title", "due_on"],
)
TASK_UPDATE = s.Obj("TaskUpdate", EDITABLE_FIELDS)
FAN_OUT = s.Obj(
    "FanOut",
    {
        "level": s.Choice(
            [(Level.TOWN.value, Level.TOWN.label), (Level.VILLAGE.value, Level.VILLAGE.label)],
            description=gettext_lazy(
                "Towns (4) or villages (5); default: one level below the task."
            ),
        ),
        "codes": s.List(
            DIVISION_CODE,
            max_items=2000,
            description=gettext_lazy("Only these divisions (default: all)."),
        ),
    },
)
FAN_OUT_RESULT = s.response(
    "FanOutResult",
    {"created": s.Int(minimum=0), "tasks": s.List(TASK, max_items=100_000)},
)

FILTERS = (
    s.Param("q", s.Str(max_length=100), gettext_lazy("Words in the title or description.")),
    s.Param("theme", s.Choice(Theme.choices)),
    s.Param("state", s.Choice(State.choices)),
    s.Param("light", s.Choice(Light.choices)),
    s.Param(
        "unit", s.Int(minimum=1), gettext_lazy("A unit's id: as lead unit or co-operating unit.")
    ),
    s.Param("division", DIVISION_CODE, gettext_lazy("Tasks at this division or below it.")),
    s.Param("program", s.Int(minimum=1), gettext_lazy("A program's id.")),
    s.Param("parent", s.Int(minimum=1), gettext_lazy("Subtasks of this task.")),
    s.Param("is_key", s.Bool(), gettext_lazy("Key tasks only (true) or others only (false).")),
    s.Param("due_from", s.Date(), gettext_lazy("Deadline on or after this date.")),
    s.Param("due_to", s.Date(), gettext_lazy("Deadline on or before this date.")),
    s.Param(
        "mine",
        s.Bool(),
        gettext_lazy("Only tasks you answer for (leader, responsible, your unit)."),
    ),
)


def filtered(call: Call) -> Any:
    """The page's selector with the query's filters (one meaning for both)."""
    query = call.query
    return filter_tasks(
        call.user,
        TaskFilters(
            q=query.get("q", ""),
            theme=query.get("theme", ""),
            state=query.get("state", ""),
            light=query.get("light", ""),
            unit=query.get("unit"),
            division=query.get("division", ""),
            program=query.get("program"),
            due_from=query.get("due_from"),
            due_to=query.get("due_to"),
            parent=query.get("parent"),
            is_key=query.get("is_key"),
            mine=bool(query.get("mine")),
        ),
    )


# Endpoints ---------------------------------------------------------------------------------

task_list = api.route("tasks/", "task_list")
task_item = api.route("tasks/<int:pk>/", "task_detail")
task_fan_out = api.route("tasks/<int:pk>/fan-out/", "task_fan_out")


@task_list.operation(
    "GET",
    summary=gettext_lazy("List tasks"),
    description=gettext_lazy(
        "Tasks in your area, soonest deadline first, with the filters of the task list page."
    ),
    tag=TAG,
    query=FILTERS,
    response=TASK,
    paged=True,
)
def list_tasks(call: Call) -> Any:
    return call.page(filtered(call).for_list(), task_summary)


@task_list.operation(
    "POST",
    summary=gettext_lazy("Create a task"),
    description=gettext_lazy(
        "A task (or a subtask of ``parent``) at a division you manage, with its milestones."
    ),
    tag=TAG,
    body=TASK_CREATE,
    response=TASK_DETAIL,
    status=201,
)
def create_task(call: Call) -> Any:
    data = dict(call.body)
    milestones = [
        (m["name"], m["due_on"], m.get("weight", Decimal(1))) for m in data.pop("milestones", [])
    ]
    task = services.create_task(actor=call.user, milestones=milestones, **data)
    return task_detail(load_task(call.user, task.pk))


@task_item.operation(
    "GET",
    summary=gettext_lazy("Show a task"),
    description=gettext_lazy(
        "The task with its milestones, subtasks (one row each) and full timeline."
    ),
    tag=TAG,
    response=TASK_DETAIL,
)
def show_task(call: Call, pk: int) -> Any:
    return task_detail(load_task(call.user, pk))


@task_item.operation(
    "PATCH",
    summary=gettext_lazy("Change a task"),
    description=gettext_lazy(
        "Change the fields sent; the others keep their values. Progress moves only by "
        "approved reports."
    ),
    tag=TAG,
    body=TASK_UPDATE,
    response=TASK_DETAIL,
)
def update_task(call: Call, pk: int) -> Any:
    require_role(call.user, "change", Task)
    task = load_task(call.user, pk)
    changes = dict(call.body)
    programs = changes.pop("programs", None)
    co_units = changes.pop("co_units", None)
    services.update_task(
        actor=call.user, task=task, programs=programs, co_units=co_units, **changes
    )
    return task_detail(load_task(call.user, pk))


@task_fan_out.operation(
    "POST",
    summary=gettext_lazy("Fan a task out"),
    description=gettext_lazy(
        "One subtask per town (or per village of a town) below the task. Divisions that have "
        "their part already are skipped: running it twice adds nothing (and answers 200)."
    ),
    tag=TAG,
    body=FAN_OUT,
    response=FAN_OUT_RESULT,
    status=201,
)
def fan_out_task(call: Call, pk: int) -> Any:
    require_role(call.user, "change", Task)
    task = load_task(call.user, pk)
    parts = services.fan_out(
        actor=call.user, task=task, level=call.body.get("level"), codes=call.body.get("codes")
    )
    rows = Task.objects.filter(pk__in=[p.pk for p in parts]).for_list().order_by("division_id")
    result = {"created": len(parts), "tasks": [task_summary(t) for t in rows]}
    return result if parts else Reply(result, 200)

"""Tasks: list with filters, detail with milestones, subtasks and timeline; create, edit,
fan out. Writes go through :mod:`hemei.tasks.services`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from hemei.core.choices import Theme
from hemei.divisions.choices import Level
from hemei.meetings.models import Decision, Meeting
from hemei.tasks import models, services
from hemei.tasks.choices import EventKind, Light, Priority, Source, State
from hemei.tasks.selectors import TaskFilters, filter_tasks

from ..engine import (
    MAX_SAFE_INTEGER,
    Flag,
    Id,
    Input,
    Paging,
    not_found,
    page_of,
    paginate,
    visible,
)
from .common import (
    Date,
    DivisionCode,
    DivisionRef,
    Filters,
    Moment,
    PersonId,
    PersonRef,
    SearchText,
    Text,
    UnitId,
    UnitRef,
    choice,
    division,
    division_ref,
    number,
    person_ref,
    require_role,
    unit_ref,
    v1,
)

TAG = "tasks"
v1.gate(TAG, models.Task)

router = Router(tags=[TAG])

# The choices as pydantic types (values listed with their labels in the document).
ThemeValue = choice(Theme.choices)
StateValue = choice(State.choices)
LightValue = choice(Light.choices)
PriorityValue = choice(Priority.choices)
SourceValue = choice(Source.choices)
EventKindValue = choice(EventKind.choices)
ThemeFilter = choice(Theme.choices, nullable=True)
StateFilter = choice(State.choices, nullable=True)
LightFilter = choice(Light.choices, nullable=True)
FanOutLevel = choice(
    [(Level.TOWN.value, Level.TOWN.label), (Level.VILLAGE.value, Level.VILLAGE.label)],
    gettext_lazy("Towns (4) or villages (5); default: one level below the task."),
)
Percent = Annotated[float, Field(ge=0, le=100)]
#: a weight as the forms take it: not negative, two decimal places
Weight = Annotated[Decimal, Field(ge=0, le=99999, decimal_places=2)]

# Shapes -----------------------------------------------------------------------------------


class ProgramRef(Schema):
    id: int = Field(ge=1)
    name: str


class Task(Schema):
    id: int = Field(ge=1)
    title: str
    division: DivisionRef
    parent_id: int | None = Field(ge=1)
    theme: ThemeValue
    state: StateValue
    light: LightValue
    progress: Percent = Field(description=gettext_lazy("Percent done (0–100)."))
    start_on: dt.date | None
    due_on: dt.date = Field(description=gettext_lazy("Deadline (完成时限)."))
    completed_on: dt.date | None
    priority: PriorityValue
    is_key: bool
    lead_leader: PersonRef | None
    lead_unit: UnitRef | None
    responsible: PersonRef | None
    co_units: list[UnitRef]
    programs: list[ProgramRef]


class Milestone(Schema):
    id: int = Field(ge=1)
    name: str
    due_on: dt.date
    weight: float = Field(ge=0)
    reached_on: dt.date | None


class Subtask(Schema):
    id: int = Field(ge=1)
    title: str
    division: DivisionRef
    progress: Percent
    weight: float = Field(ge=0)
    state: StateValue
    light: LightValue
    due_on: dt.date


class TimelineEvent(Schema):
    at: Moment
    kind: EventKindValue
    label: str = Field(description=gettext_lazy("The kind, in the interface language."))
    actor: PersonRef | None
    text: str
    data: dict[str, Any]


class MeetingRef(Schema):
    id: int = Field(ge=1)
    name: str


class DecisionRef(Schema):
    id: int = Field(ge=1)
    number: int = Field(ge=0)
    text: str


class TaskDetail(Task):
    description: str
    weight: float = Field(ge=0, description=gettext_lazy("Share in the parent's progress."))
    source: SourceValue
    meeting: MeetingRef | None
    decision: DecisionRef | None
    milestones: list[Milestone]
    children_count: int = Field(ge=0)
    children: list[Subtask] = Field(max_length=100_000)
    timeline: list[TimelineEvent] = Field(max_length=100_000)
    created_at: Moment
    updated_at: Moment


class FanOutResult(Schema):
    created: int = Field(ge=0)
    tasks: list[Task] = Field(max_length=100_000)


def task_summary(task: models.Task) -> dict[str, Any]:
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
        "start_on": task.start_on,
        "due_on": task.due_on,
        "completed_on": task.completed_on,
        "priority": task.priority,
        "is_key": task.is_key,
        "lead_leader": person_ref(task.lead_leader),
        "lead_unit": unit_ref(task.lead_unit),
        "responsible": person_ref(task.responsible),
        "co_units": [unit_ref(unit) for unit in task.co_units.all()],
        "programs": [{"id": p.pk, "name": p.name} for p in task.programs.all()],
    }


def task_detail(task: models.Task) -> dict[str, Any]:
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
                "due_on": m.due_on,
                "weight": number(m.weight),
                "reached_on": m.reached_on,
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
                "due_on": child.due_on,
            }
            for child in children
        ],
        "timeline": [
            {
                "at": event.at,
                "kind": event.kind,
                "label": str(event.get_kind_display()),
                "actor": person_ref(event.actor),
                "text": event.text,
                "data": event.data,
            }
            for event in task.events.all()
        ],
        "created_at": task.created_at,
        "updated_at": task.updated_at,
    }


def visible_tasks(user: Any) -> Any:
    return models.Task.objects.visible_to(user)


def load_task(user: Any, pk: int) -> models.Task:
    """The task with everything its detail shows, or 404 (outside the scope as well)."""
    task = (
        visible_tasks(user)
        .for_list()
        .select_related("meeting", "decision")
        .prefetch_related(
            Prefetch("events", queryset=models.TaskEvent.objects.select_related("actor")),
            Prefetch("milestones", queryset=models.Milestone.objects.all()),
        )
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise not_found()
    return task


# Inputs -------------------------------------------------------------------------------------


def _programs(user: Any) -> Any:
    return models.Program.objects.all()


def _meetings(user: Any) -> Any:
    return Meeting.objects.visible_to(user)


def _decisions(user: Any) -> Any:
    return Decision.objects.filter(meeting__in=Meeting.objects.visible_to(user))


ProgramId = visible(Id, _programs, description=gettext_lazy("A program's id."))
MeetingId = visible(Id, _meetings, description=gettext_lazy("A meeting's id."))
DecisionId = visible(Id, _decisions, description=gettext_lazy("A decision's id."))
ParentId = visible(Id, visible_tasks, description=gettext_lazy("Parent task's id."))
WorkPlace = division(gettext_lazy("Where the work is done."))


class MilestoneInput(Input):
    name: Text = Field(min_length=1, max_length=200)
    due_on: Date
    weight: Weight = Field(Decimal(1), description=gettext_lazy("Default 1."))


# The fields sent are changed; only the nullable ones take null.
class TaskUpdate(Input):
    title: Text = Field(None, min_length=1, max_length=300)
    description: Text = Field(None, max_length=20_000)
    theme: ThemeValue = None
    lead_leader: PersonId | None = Field(None, description=gettext_lazy("A person's id."))
    lead_unit: UnitId | None = Field(None, description=gettext_lazy("A unit's id."))
    responsible: PersonId | None = Field(None, description=gettext_lazy("A person's id."))
    co_units: list[UnitId] = Field(None, max_length=100)
    programs: list[ProgramId] = Field(None, max_length=50)
    start_on: Date | None = None
    due_on: Date = None
    priority: PriorityValue = None
    is_key: Flag = None
    weight: Weight = None
    meeting: MeetingId | None = Field(None, description=gettext_lazy("A meeting's id."))
    decision: DecisionId | None = Field(None, description=gettext_lazy("A decision's id."))


class TaskCreate(TaskUpdate):
    division: WorkPlace
    parent: ParentId | None = Field(None, description=gettext_lazy("Parent task's id."))
    title: Text = Field(min_length=1, max_length=300)
    due_on: Date
    milestones: list[MilestoneInput] = Field(None, max_length=50)


class FanOut(Input):
    level: FanOutLevel = None
    codes: list[DivisionCode] = Field(
        None, max_length=2000, description=gettext_lazy("Only these divisions (default: all).")
    )


class TaskListFilters(Filters):
    q: SearchText | None = Field(
        None, description=gettext_lazy("Words in the title or description.")
    )
    theme: ThemeFilter = None
    state: StateFilter = None
    light: LightFilter = None
    unit: int | None = Field(
        None,
        ge=1,
        le=MAX_SAFE_INTEGER,
        description=gettext_lazy("A unit's id: as lead unit or co-operating unit."),
    )
    division: DivisionCode | None = Field(
        None, description=gettext_lazy("Tasks at this division or below it.")
    )
    program: int | None = Field(
        None, ge=1, le=MAX_SAFE_INTEGER, description=gettext_lazy("A program's id.")
    )
    parent: int | None = Field(
        None, ge=1, le=MAX_SAFE_INTEGER, description=gettext_lazy("Subtasks of this task.")
    )
    is_key: bool | None = Field(
        None, description=gettext_lazy("Key tasks only (true) or others only (false).")
    )
    due_from: Date | None = Field(None, description=gettext_lazy("Deadline on or after this date."))
    due_to: Date | None = Field(None, description=gettext_lazy("Deadline on or before this date."))
    mine: bool | None = Field(
        None,
        description=gettext_lazy("Only tasks you answer for (leader, responsible, your unit)."),
    )


def filtered(user: Any, filters: TaskListFilters) -> Any:
    """The page's selector with the query's filters (one meaning for both)."""
    return filter_tasks(
        user,
        TaskFilters(
            q=filters.q or "",
            theme=filters.theme or "",
            state=filters.state or "",
            light=filters.light or "",
            unit=filters.unit,
            division=filters.division or "",
            program=filters.program,
            due_from=filters.due_from,
            due_to=filters.due_to,
            parent=filters.parent,
            is_key=filters.is_key,
            mine=bool(filters.mine),
        ),
    )


def sent(payload: Input) -> dict[str, Any]:
    """The fields the caller sent; the others keep their values (or the service's defaults)."""
    return {name: getattr(payload, name) for name in payload.model_fields_set}


# Endpoints ---------------------------------------------------------------------------------


@router.get(
    "tasks/",
    url_name="task_list",
    response=page_of(Task),
    summary=gettext_lazy("List tasks"),
    description=gettext_lazy(
        "Tasks in your area, soonest deadline first, with the filters of the task list page."
    ),
)
def list_tasks(
    request: HttpRequest, filters: Query[TaskListFilters], paging: Query[Paging]
) -> dict[str, Any]:
    return paginate(request, paging, filtered(request.user, filters).for_list(), task_summary)


@router.post(
    "tasks/",
    url_name="task_list",
    response={201: TaskDetail},
    summary=gettext_lazy("Create a task"),
    description=gettext_lazy(
        "A task (or a subtask of ``parent``) at a division you manage, with its milestones."
    ),
)
def create_task(request: HttpRequest, payload: TaskCreate) -> Status[dict[str, Any]]:
    data = sent(payload)
    milestones = [(m.name, m.due_on, m.weight) for m in data.pop("milestones", None) or []]
    task = services.create_task(actor=request.user, milestones=milestones, **data)
    return Status(201, task_detail(load_task(request.user, task.pk)))


@router.get(
    "tasks/{int:pk}/",
    url_name="task_detail",
    response=TaskDetail,
    summary=gettext_lazy("Show a task"),
    description=gettext_lazy(
        "The task with its milestones, subtasks (one row each) and full timeline."
    ),
)
def show_task(request: HttpRequest, pk: int) -> dict[str, Any]:
    return task_detail(load_task(request.user, pk))


#: an empty body (or none at all) changes nothing
NO_CHANGES = TaskUpdate()


@router.patch(
    "tasks/{int:pk}/",
    url_name="task_detail",
    response=TaskDetail,
    summary=gettext_lazy("Change a task"),
    description=gettext_lazy(
        "Change the fields sent; the others keep their values. Progress moves only by "
        "approved reports."
    ),
)
def update_task(request: HttpRequest, pk: int, payload: TaskUpdate = NO_CHANGES) -> dict[str, Any]:
    require_role(request.user, "change", models.Task)
    task = load_task(request.user, pk)
    changes = sent(payload)
    programs = changes.pop("programs", None)
    co_units = changes.pop("co_units", None)
    services.update_task(
        actor=request.user, task=task, programs=programs, co_units=co_units, **changes
    )
    return task_detail(load_task(request.user, pk))


#: an empty body (or none at all): every town (or village) below the task
EVERYWHERE = FanOut()


@router.post(
    "tasks/{int:pk}/fan-out/",
    url_name="task_fan_out",
    response={200: FanOutResult, 201: FanOutResult},
    summary=gettext_lazy("Fan a task out"),
    description=gettext_lazy(
        "One subtask per town (or per village of a town) below the task. Divisions that have "
        "their part already are skipped: running it twice adds nothing (and answers 200)."
    ),
)
def fan_out_task(
    request: HttpRequest, pk: int, payload: FanOut = EVERYWHERE
) -> Status[dict[str, Any]]:
    require_role(request.user, "change", models.Task)
    task = load_task(request.user, pk)
    parts = services.fan_out(
        actor=request.user, task=task, level=payload.level, codes=payload.codes
    )
    rows = (
        models.Task.objects.filter(pk__in=[p.pk for p in parts]).for_list().order_by("division_id")
    )
    result = {"created": len(parts), "tasks": [task_summary(t) for t in rows]}
    return Status(201 if parts else 200, result)

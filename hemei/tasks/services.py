"""Writing tasks: create, edit, fan out, record approved progress, refresh lights.

Every function takes keyword arguments, runs in one transaction, checks the actor's right
and leaves an audit entry and a timeline event. Other apps (progress reports, supervision,
imports) change tasks only through these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import allows_at
from hemei.core import clock
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from . import rules, selectors
from .choices import EventKind, Light, Source, State
from .models import LightPolicy, Milestone, Task, TaskEvent

#: Fields a fanned-out part takes from its parent.
INHERITED = (
    "meeting_id",
    "decision_id",
    "title",
    "description",
    "theme",
    "lead_leader_id",
    "lead_unit_id",
    "start_on",
    "due_on",
    "priority",
    "is_key",
)
#: What the level above decides for a part it hands down: the town fills in the responsible
#: person and may reword the title and description; for a later deadline it asks for an
#: extension. (Co-units, programs and the milestones set above are guarded as well.)
HANDED_DOWN = (
    "theme",
    "lead_leader",
    "lead_unit",
    "start_on",
    "due_on",
    "priority",
    "is_key",
    "weight",
    "meeting",
    "decision",
)
EDITABLE = (
    "title",
    "description",
    "theme",
    "lead_leader",
    "lead_unit",
    "responsible",
    "start_on",
    "due_on",
    "priority",
    "is_key",
    "weight",
    "meeting",
    "decision",
)


#: The sources of duties: their procedure keeps them, not the task pages.
DUTY_SOURCES = frozenset({Source.CASE, Source.DISCLOSURE})


def is_duty(task: Task) -> bool:
    return task.source in DUTY_SOURCES


def check_not_duty(task: Task) -> None:
    """Refuse to edit, fan out, report on or extend a duty from the task pages: its deadline
    and its completion belong to its procedure (the case, the disclosure)."""
    if is_duty(task):
        raise ValidationError(
            _(
                "This task is kept by its procedure (%(source)s): act on the case or the "
                "disclosure itself; its deadline and completion follow from there."
            )
            % {"source": task.get_source_display()},
            code="duty",
        )


def add_event(
    task: Task, kind: str, *, actor: Any = None, text: str = "", **data: Any
) -> TaskEvent:
    """Put one line on the task's timeline (call inside the acting service's transaction)."""
    return TaskEvent.objects.create(
        task=task,
        at=clock.now(),
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        text=text,
        data=data,
    )


def _check_manage(actor: Any, division: Division) -> None:
    if not allows_at(actor, "manage_tasks", division.code):
        raise PermissionDenied(
            _("You may not manage tasks in %(division)s.") % {"division": division}
        )


def _manages_above(user: Any, code: str) -> bool:
    """Whether ``user`` manages tasks at a division strictly above ``code``."""
    return any(allows_at(user, "manage_tasks", code[:n]) for n in (2, 4, 6, 9) if n < len(code))


def handed_down(actor: Any, task: Task) -> bool:
    """Whether the level above ``actor`` set this task's terms (see ``HANDED_DOWN``).

    A part is handed down when its parent lies where the actor may not manage (a town's
    part of a county task), or when someone managing above the task's division created it
    and the actor manages nothing above it (the county made a task for the town).
    """
    if task.parent_id and not allows_at(actor, "manage_tasks", task.parent.division_id):
        return True
    creator = task.created_by
    if creator is None or creator.pk == getattr(actor, "pk", None):
        return False
    return _manages_above(creator, task.division_id) and not _manages_above(actor, task.division_id)


def _check_lead_leader(actor: Any, leader: Any) -> None:
    """The lead leader is a leader (the people the task form offers), not anyone at all."""
    if leader is None:
        return
    if not selectors.leaders_for(actor).filter(pk=leader.pk).exists():
        raise ValidationError(
            {"lead_leader": _("The lead leader must be a person holding the leader role.")}
        )


def _values(items: Iterable[Any] | None) -> set[Any]:
    return {getattr(item, "pk", item) for item in items or ()}


@transaction.atomic
def create_task(
    *,
    actor: Any,
    division: Division,
    title: str,
    due_on: dt.date,
    parent: Task | None = None,
    programs: Iterable[Any] = (),
    co_units: Iterable[Any] = (),
    milestones: Sequence[tuple[str, dt.date, Decimal | int]] = (),
    source: str = Source.MANUAL,
    **fields: Any,
) -> Task:
    """A new task (or subtask of ``parent``) at ``division``."""
    _check_manage(actor, division)
    if parent is not None:
        check_not_duty(parent)
    if parent is not None and not division.code.startswith(parent.division_id):
        raise ValidationError(_("A subtask must lie inside its parent's division."))
    _check_lead_leader(actor, fields.get("lead_leader"))
    task = Task(
        division=division,
        title=title.strip(),
        due_on=due_on,
        parent=parent,
        source=source,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    task.full_clean(exclude=["parent"])
    task.save()
    task.programs.set(programs)
    task.co_units.set(co_units)
    for name, due, weight in milestones:
        Milestone.objects.create(task=task, name=name, due_on=due, weight=Decimal(weight))
    refresh_task(task)
    audit.record(actor=actor, action=AuditAction.CREATE, instance=task, division_code=division.code)
    add_event(task, EventKind.CREATED, actor=actor, source=source)
    if parent is not None:
        recompute_ancestors(task)
    return task


@transaction.atomic
def update_task(
    *,
    actor: Any,
    task: Task,
    programs: Iterable[Any] | None = None,
    co_units: Iterable[Any] | None = None,
    milestones: Sequence[MilestoneRow] | None = None,
    **changes: Any,
) -> Task:
    _check_manage(actor, task.division)
    check_not_duty(task)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    moved = [
        name for name in HANDED_DOWN if name in changes and changes[name] != getattr(task, name)
    ]
    if co_units is not None and _values(co_units) != _values(task.co_units.all()):
        moved.append("co_units")
    if programs is not None and _values(programs) != _values(task.programs.all()):
        moved.append("programs")
    if moved and handed_down(actor, task):
        names = "、".join(str(Task._meta.get_field(name).verbose_name) for name in moved)
        raise PermissionDenied(
            _(
                "The level above sets %(fields)s of this part; for a later deadline, "
                "request an extension."
            )
            % {"fields": names}
        )
    if "lead_leader" in moved:
        _check_lead_leader(actor, changes["lead_leader"])
    before = audit.snapshot(task)
    for name, value in changes.items():
        setattr(task, name, value)
    task.full_clean(exclude=["parent"])
    task.save()
    if programs is not None:
        task.programs.set(programs)
    if co_units is not None:
        task.co_units.set(co_units)
    if milestones is not None:
        set_milestones(actor=actor, task=task, rows=milestones)
    diff = audit.diff(before, audit.snapshot(task))
    if diff:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=task,
            changes=diff,
            division_code=task.division_id,
        )
        add_event(task, EventKind.CHANGED, actor=actor, changes=diff)
    refresh_task(task)
    if "weight" in changes and task.parent_id:
        recompute_ancestors(task)
    return task


#: (id or None for a new one, name, due date, weight)
MilestoneRow = tuple[int | None, str, dt.date, Decimal | int]


@transaction.atomic
def set_milestones(*, actor: Any, task: Task, rows: Sequence[MilestoneRow]) -> None:
    """Make the task's milestones these rows: add, change, and drop the ones left out.

    A milestone already reached is history: it cannot be changed or dropped.
    """
    _check_manage(actor, task.division)
    current = {m.pk: m for m in task.milestones.all()}
    if handed_down(actor, task):
        # The milestones set above stay as they are; the town may add its own steps.
        given = {pk: (name.strip(), due_on, Decimal(weight)) for pk, name, due_on, weight in rows}
        if any(given.get(pk) != (m.name, m.due_on, m.weight) for pk, m in current.items()):
            raise PermissionDenied(
                _("The level above sets the milestones of this part; you may add your own.")
            )
    kept: set[int] = set()
    added, changed = [], []
    for pk, name, due_on, weight in rows:
        if pk is not None and pk not in current:
            raise ValidationError(_("That milestone belongs to another task."))
        if pk is None:
            milestone = Milestone(
                task=task, name=name.strip(), due_on=due_on, weight=Decimal(weight)
            )
            milestone.full_clean()
            milestone.save()
            added.append(milestone.name)
            continue
        kept.add(pk)
        milestone = current[pk]
        values = (name.strip(), due_on, Decimal(weight))
        if values == (milestone.name, milestone.due_on, milestone.weight):
            continue
        if milestone.reached_on is not None:
            raise ValidationError(
                _("Milestone %(name)s is reached and can no longer change.")
                % {"name": milestone.name}
            )
        milestone.name, milestone.due_on, milestone.weight = values
        milestone.full_clean()
        milestone.save()
        changed.append(milestone.name)
    dropped = [m for pk, m in current.items() if pk not in kept]
    reached = [m.name for m in dropped if m.reached_on is not None]
    if reached:
        raise ValidationError(
            _("Milestone %(name)s is reached and cannot be removed.") % {"name": reached[0]}
        )
    Milestone.objects.filter(pk__in=[m.pk for m in dropped]).delete()
    if added or changed or dropped:
        summary = {"added": added, "changed": changed, "removed": [m.name for m in dropped]}
        add_event(task, EventKind.CHANGED, actor=actor, milestones=summary)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=task,
            changes={"milestones": [None, summary]},
            division_code=task.division_id,
        )


#: How often a fan-out reads the existing parts again after a simultaneous one inserted some.
FAN_OUT_ATTEMPTS = 3


def _create_parts(*, actor: Any, task: Task, targets: Any) -> list[Task]:
    """Insert the parts of ``task`` the ``targets`` do not have yet, with their programs,
    co-units and milestones; answer them."""
    taken = set(task.children.values_list("division_id", flat=True))
    programs = list(task.programs.all())
    co_units = list(task.co_units.all())
    milestones = list(task.milestones.all())
    parts = []
    for division in targets.exclude(code__in=taken).order_by("code"):
        part = Task(
            parent=task,
            division=division,
            source=Source.FAN_OUT,
            created_by=actor if getattr(actor, "pk", None) else None,
            **{name: getattr(task, name) for name in INHERITED},
        )
        parts.append(part)
    if not parts:
        return []
    today = clock.today()
    policy = policy_for(task.division_id)
    for part in parts:
        _apply_rules(part, today, policy)
    Task.objects.bulk_create(parts)
    Task.programs.through.objects.bulk_create(
        [Task.programs.through(task_id=p.pk, program_id=g.pk) for p in parts for g in programs]
    )
    Task.co_units.through.objects.bulk_create(
        [Task.co_units.through(task_id=p.pk, unit_id=u.pk) for p in parts for u in co_units]
    )
    Milestone.objects.bulk_create(
        [
            Milestone(task=p, name=m.name, due_on=m.due_on, weight=m.weight)
            for p in parts
            for m in milestones
        ]
    )
    return parts


@transaction.atomic
def fan_out(
    *,
    actor: Any,
    task: Task,
    level: int | None = None,
    codes: Sequence[str] | None = None,
) -> list[Task]:
    """One subtask per town under the task's division (or per village under a town task).

    Each part inherits the title, description, theme, leader, lead unit, dates, priority,
    programs, co-units and milestones; the town fills in its responsible person. Divisions
    that already have their part are skipped, so running it twice adds nothing.
    """
    _check_manage(actor, task.division)
    check_not_duty(task)
    level = level or task.division.level + 1
    if level not in (Level.TOWN, Level.VILLAGE) or level <= task.division.level:
        raise ValidationError(_("Fan out goes to the towns or the villages below the task."))
    targets = Division.objects.current().filter(level=level).within(task.division_id)
    if codes is not None:
        targets = targets.filter(code__in=codes)
        missing = set(codes) - set(targets.values_list("code", flat=True))
        if missing:
            raise ValidationError(
                _("Not below this task: %(codes)s") % {"codes": ", ".join(sorted(missing))}
            )
    # Fan-outs of one task wait for each other (on PostgreSQL; SQLite writes one at a time),
    # so the second sees the first one's parts and adds nothing. Should another writer's
    # part appear between the read and the insert all the same, the unique constraint
    # refuses the insert: roll back to the savepoint, read the parts again and go on.
    Task.objects.select_for_update(no_key=True).get(pk=task.pk)
    parts: list[Task] = []
    for attempt in range(FAN_OUT_ATTEMPTS):
        try:
            with transaction.atomic():
                parts = _create_parts(actor=actor, task=task, targets=targets)
            break
        except IntegrityError:
            if attempt + 1 == FAN_OUT_ATTEMPTS:
                raise
    if not parts:
        return []
    now = clock.now()
    actor_user = actor if getattr(actor, "pk", None) else None
    TaskEvent.objects.bulk_create(
        [
            TaskEvent(
                task=p, at=now, kind=EventKind.CREATED, actor=actor_user, data={"source": "fan_out"}
            )
            for p in parts
        ]
    )
    add_event(
        task,
        EventKind.FANNED_OUT,
        actor=actor,
        text=_("%(count)d parts, one per division below") % {"count": len(parts)},
        count=len(parts),
        level=int(level),
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=task,
        changes={"fan_out": [None, len(parts)]},
        division_code=task.division_id,
    )
    recompute(task)
    return parts


@transaction.atomic
def record_progress(
    *,
    task: Task,
    percent: Decimal | int | float,
    milestones: Iterable[Milestone] = (),
    actor: Any = None,
    on: dt.date | None = None,
    text: str = "",
) -> Task:
    """Move a leaf task's progress after an approved report (the only way it moves).

    A task with subtasks takes its progress from them; reports on it may still mark its
    milestones, but its percent is the roll-up.
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    on = on or clock.today()
    for milestone in milestones:
        if milestone.task_id == task.pk and milestone.reached_on is None:
            Milestone.objects.filter(pk=milestone.pk).update(reached_on=on)
    before = task.progress
    if not task.children.exists():
        task.progress = rules.clamp_percent(percent)
        if task.progress >= rules.HUNDRED and task.completed_on is None:
            task.completed_on = on
        task.save(update_fields=["progress", "completed_on", "updated_at"])
    if task.progress != before:
        add_event(
            task,
            EventKind.PROGRESS,
            actor=actor,
            text=text,
            before=str(before),
            after=str(task.progress),
        )
    refresh_task(task, actor=actor)
    recompute_ancestors(task)
    return task


@transaction.atomic
def change_deadline(*, task: Task, due_on: dt.date, actor: Any, reason: str = "") -> Task:
    """A new deadline (an approved extension); the timeline keeps the old one."""
    before = task.due_on
    task.due_on = due_on
    task.full_clean(exclude=["parent"])
    task.save(update_fields=["due_on", "updated_at"])
    add_event(
        task,
        EventKind.DEADLINE_CHANGED,
        actor=actor,
        text=reason,
        before=before.isoformat(),
        after=due_on.isoformat(),
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=task,
        changes={"due_on": [before.isoformat(), due_on.isoformat()]},
        division_code=task.division_id,
    )
    refresh_task(task, actor=actor)
    return task


def recompute(task: Task) -> None:
    """Roll the children's progress into ``task``, then on up the tree."""
    node: Task | None = task
    while node is not None:
        children = list(node.children.values_list("weight", "progress"))
        if children:
            progress = rules.rolled_up(children)
            if progress != node.progress:
                node.progress = progress
                if progress >= rules.HUNDRED and node.completed_on is None:
                    node.completed_on = clock.today()
                node.save(update_fields=["progress", "completed_on", "updated_at"])
            refresh_task(node)
        node = node.parent


def recompute_ancestors(task: Task) -> None:
    if task.parent_id:
        recompute(Task.objects.get(pk=task.parent_id))


def policy_for(code: str) -> rules.Policy:
    """The light policy of the nearest division at or above ``code``."""
    prefixes = [code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code)]
    found = {p.division_id: p for p in LightPolicy.objects.filter(division_id__in=prefixes)}
    for prefix in reversed(prefixes):
        if prefix in found:
            return rules.Policy(found[prefix].yellow_days, found[prefix].lag_points)
    return rules.Policy()


def _apply_rules(task: Task, today: dt.date, policy: rules.Policy) -> bool:
    """Set the task's state and light for ``today``; answer whether either changed."""
    start = task.start_on or (task.created_at.date() if task.created_at else today)
    state = rules.state_of(task.progress, task.due_on, today)
    light = rules.light_of(task.progress, start, task.due_on, today, policy)
    changed = (state, light) != (task.state, task.light)
    task.state, task.light = state, light
    return changed


def refresh_task(task: Task, actor: Any = None) -> None:
    previous = task.light
    if _apply_rules(task, clock.today(), policy_for(task.division_id)):
        task.save(update_fields=["state", "light"])
        if task.light != previous and task.light != Light.GREEN:
            add_event(task, EventKind.LIGHT_CHANGED, actor=actor, before=previous, after=task.light)


def refresh_lights(queryset: Any = None, today: dt.date | None = None) -> int:
    """Recompute state and light of every open task (the worker runs this daily and more).

    Answers how many tasks changed. Light changes to yellow or red land on the timeline.
    """
    today = today or clock.today()
    queryset = Task.objects.exclude(state=State.DONE) if queryset is None else queryset
    policies: dict[str, rules.Policy] = {}
    changed: list[Task] = []
    events: list[TaskEvent] = []
    now = clock.now()
    fields = ["id", "division_id", "progress", "start_on", "due_on", "created_at", "state", "light"]
    for task in queryset.only(*fields).iterator(chunk_size=2000):
        county = task.division_id[:6]
        if county not in policies:
            policies[county] = policy_for(county)
        previous = task.light
        if _apply_rules(task, today, policies[county]):
            changed.append(task)
            if task.light != previous and task.light != Light.GREEN:
                events.append(
                    TaskEvent(
                        task=task,
                        at=now,
                        kind=EventKind.LIGHT_CHANGED,
                        data={"before": previous, "after": task.light},
                    )
                )
    with transaction.atomic():
        Task.objects.bulk_update(changed, ["state", "light"], batch_size=1000)
        TaskEvent.objects.bulk_create(events, batch_size=1000)
    return len(changed)


def get_visible(user: Any, pk: int) -> Task:
    """The task if the user may see it, else 404."""
    try:
        return Task.objects.visible_to(user).select_related("division", "parent").get(pk=pk)
    except Task.DoesNotExist:
        raise Http404(_("No such task.")) from None

"""Importing a decomposition table (任务分解表).

:func:`plan_decomposition` reads the table and checks every row against the platform (units,
leaders, people, dates, the 序号 tree) without writing; :func:`import_decomposition` writes
the plan in one transaction, and only when it has no problem at all. Rows ``1.1``, ``1.2``
become subtasks of row ``1`` (any depth); a row whose parent 序号 is missing is a problem.
Several units in 牵头单位 make the first the lead unit and the others co-units. Re-importing
is safe: a task is the same when it has the same division, meeting, parent and title
(任务内容) and came from an import; those rows are skipped, so a corrected table adds only
what is new. :func:`stage_table` keeps a clean table for its owner to confirm.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.models import User
from hemei.core import clock
from hemei.core.choices import Theme
from hemei.core.faults import fault_point
from hemei.divisions.models import Division
from hemei.meetings.models import Meeting
from hemei.tasks.choices import EventKind, Source
from hemei.tasks.models import Program, Task
from hemei.tasks.services import add_event, create_task
from hemei.units.models import Unit

from .dates import parse_deadline, split_milestone
from .matching import Found, PeopleIndex, UnitIndex, split_names, units_for
from .models import TableUpload
from .rules import check_manage, theme_of
from .sheet import Problem, Sheet, SheetError, read_sheet

TITLE_LENGTH = 300
_NUMBER = re.compile(r"^\d{1,4}(?:\.\d{1,4}){0,5}$")
_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_MILESTONE_SPLIT = re.compile(r"[；;\n\r]+")


@dataclass
class PlannedTask:
    """One row of the table, checked and resolved to the platform's objects."""

    row: int
    number: str
    title: str
    due_on: dt.date | None = None
    parent_number: str | None = None
    leader: User | None = None
    lead_unit: Unit | None = None
    co_units: list[Unit] = field(default_factory=list)
    milestones: list[tuple[str, dt.date]] = field(default_factory=list)
    theme: str = Theme.OTHER
    programs: list[str] = field(default_factory=list)
    responsible: User | None = None
    description: str = ""
    existing: Task | None = None

    @property
    def depth(self) -> int:
        return self.number.count(".")

    def get_theme_display(self) -> str:
        return str(Theme(self.theme).label)


@dataclass
class DecompositionPlan:
    """What an import would do: the tasks, or the problems row by row."""

    division: Division
    meeting: Meeting | None = None
    parent: Task | None = None
    year: int = 0
    header_row: int = 0
    tasks: list[PlannedTask] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_programs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def to_create(self) -> list[PlannedTask]:
        return [task for task in self.tasks if task.existing is None]

    @property
    def already_there(self) -> list[PlannedTask]:
        return [task for task in self.tasks if task.existing is not None]


class DecompositionError(Exception):
    """The table has problems; nothing was written."""

    def __init__(self, plan: DecompositionPlan) -> None:
        super().__init__(f"{len(plan.problems)} problems")
        self.plan = plan


def _number_of(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip().replace("．", ".").rstrip("、.，,")
    return text if _NUMBER.match(text) else None


def _person_problem(found: Found, name: str, what: str) -> str | None:
    if found.match is not None:
        return None
    if found.ambiguous:
        return _("%(count)s people named %(name)s (%(users)s): the %(what)s cannot be chosen.") % {
            "count": len(found.ambiguous),
            "name": name,
            "users": "、".join(user.username for user in found.ambiguous),
            "what": what,
        }
    message = _("No %(what)s named %(name)s here.") % {"what": what, "name": name}
    if found.suggestion:
        message += _(" Did you mean %(name)s?") % {"name": found.suggestion}
    return message


def _unit_problem(found: Found, name: str) -> str | None:
    if found.match is not None:
        return None
    if found.ambiguous:
        return _("Several units are called %(name)s (%(divisions)s); write the full name.") % {
            "name": name,
            "divisions": "、".join(str(unit.division) for unit in found.ambiguous),
        }
    message = _("Unknown unit %(name)s.") % {"name": name}
    if found.suggestion:
        message += _(" Did you mean %(name)s?") % {"name": found.suggestion}
    return message


def plan_decomposition(
    *,
    actor: Any,
    data: bytes,
    division: Division,
    year: int,
    meeting: Meeting | None = None,
    parent: Task | None = None,
) -> DecompositionPlan:
    """Read and check a decomposition table; nothing is written."""
    check_manage(actor, division)
    if meeting is not None and not Meeting.objects.visible_to(actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied(_("No such meeting."))
    if parent is not None:
        if not Task.objects.visible_to(actor).filter(pk=parent.pk).exists():
            raise PermissionDenied(_("No such task."))
        if not division.code.startswith(parent.division_id):
            raise ValidationError(_("The tasks must lie inside the parent task's division."))
    plan = DecompositionPlan(division=division, meeting=meeting, parent=parent, year=year)
    try:
        sheet = read_sheet(data)
    except SheetError as error:
        plan.problems = error.problems
        return plan
    plan.header_row = sheet.header_row
    plan.problems.extend(sheet.problems)
    if not sheet.rows:
        plan.problems.append(Problem(sheet.header_row + 1, "", _("The table has no tasks.")))
        return plan
    units = UnitIndex(division, units_for(division))
    people = PeopleIndex(division)
    for sheet_row in sheet.rows:
        planned = _plan_row(sheet, sheet_row.row, sheet_row.cells, plan, units, people)
        if planned is not None:
            plan.tasks.append(planned)
    _check_tree(sheet, plan)
    plan.problems.sort(key=lambda problem: (problem.row, problem.column))
    if plan.ok:
        _find_existing(plan)
        names = {name for task in plan.to_create for name in task.programs}
        known = set(Program.objects.filter(name__in=names).values_list("name", flat=True))
        plan.new_programs = sorted(names - known)
    return plan


def _plan_row(
    sheet: Sheet,
    row: int,
    cells: dict[str, Any],
    plan: DecompositionPlan,
    units: UnitIndex,
    people: PeopleIndex,
) -> PlannedTask | None:
    def problem(key: str, message: str) -> None:
        plan.problems.append(Problem(row, sheet.where(key), message))

    number = _number_of(cells.get("number"))
    if number is None:
        problem(
            "number",
            _("The 序号 %(value)s is not a number like 3 or 3.1.")
            % {"value": cells.get("number") or _("(empty)")},
        )
    title = re.sub(r"\s+", " ", str(cells.get("title") or "")).strip()
    if not title:
        problem("title", _("The task content is empty."))
    elif len(title) > TITLE_LENGTH:
        problem(
            "title", _("The task content is longer than %(n)s characters.") % {"n": TITLE_LENGTH}
        )
    planned = PlannedTask(row=row, number=number or "", title=title)
    if number and "." in number:
        planned.parent_number = number.rsplit(".", 1)[0]

    due_value = cells.get("due")
    planned.due_on = parse_deadline(due_value, year=plan.year)
    if due_value is None:
        problem("due", _("The deadline is empty."))
    elif planned.due_on is None:
        problem(
            "due",
            _("The deadline %(value)s is not a date; write 2026-06-30, 2026年6月30日 or 6月底.")
            % {"value": due_value},
        )

    names = split_names(cells.get("lead_unit"))
    if not names:
        problem("lead_unit", _("The lead unit is empty."))
    co_names = split_names(cells.get("co_units"))
    resolved: list[Unit] = []
    for position, name in enumerate(names + co_names):
        key = "lead_unit" if position < len(names) else "co_units"
        found = units.exact(name)
        message = _unit_problem(found, name)
        if message:
            problem(key, message)
        elif found.match not in resolved:
            resolved.append(found.match)
    if resolved:  # (with a problem in the row, nothing is imported anyway)
        planned.lead_unit, planned.co_units = resolved[0], resolved[1:]

    leader_text = _BRACKETED.sub("", str(cells.get("leader") or "")).strip()
    leader_names = split_names(leader_text)
    if leader_names:
        if len(leader_names) > 1:
            problem("leader", _("One lead leader per task: %(names)s.") % {"names": leader_text})
        else:
            found = people.leader(leader_names[0])
            message = _person_problem(found, leader_names[0], _("leader"))
            if message:
                problem("leader", message)
            planned.leader = found.match

    responsible_text = _BRACKETED.sub("", str(cells.get("responsible") or "")).strip()
    responsible_names = split_names(responsible_text)
    if responsible_names:
        if len(responsible_names) > 1:
            problem(
                "responsible",
                _("One responsible person per task: %(names)s.") % {"names": responsible_text},
            )
        else:
            found = people.person(responsible_names[0])
            message = _person_problem(found, responsible_names[0], _("person"))
            if message:
                problem("responsible", message)
            planned.responsible = found.match

    theme = theme_of(cells.get("theme"))
    if theme is None:
        problem(
            "theme",
            _(
                "Unknown theme %(value)s; use 产业振兴, 人才振兴, 文化振兴, 生态振兴, 组织振兴 or 其他."
            )
            % {"value": cells.get("theme")},
        )
    else:
        planned.theme = theme
    planned.programs = split_names(cells.get("programs"))
    too_long = [name for name in planned.programs if len(name) > 100]
    if too_long:
        problem("programs", _("A program name is longer than 100 characters."))
    planned.description = str(cells.get("description") or "").strip()
    _plan_milestones(sheet, cells, planned, plan, problem)
    return planned


def _plan_milestones(
    sheet: Sheet, cells: dict[str, Any], planned: PlannedTask, plan: DecompositionPlan, problem: Any
) -> None:
    text = cells.get("milestones")
    if text is None:
        if cells.get("milestone_dates") is not None:
            problem("milestones", _("Milestone dates are given without milestones."))
        return
    items = [item.strip() for item in _MILESTONE_SPLIT.split(str(text)) if item.strip()]
    dates_value = cells.get("milestone_dates")
    if dates_value is not None:
        if isinstance(dates_value, dt.date | dt.datetime | int | float):
            date_items: list[Any] = [dates_value]
        else:
            date_items = [d for d in _MILESTONE_SPLIT.split(str(dates_value)) if d.strip()]
        if len(date_items) != len(items):
            problem(
                "milestone_dates",
                _("%(names)s milestones but %(dates)s milestone dates.")
                % {"names": len(items), "dates": len(date_items)},
            )
            return
        for name, value in zip(items, date_items, strict=True):
            date = parse_deadline(value, year=plan.year)
            if date is None:
                problem(
                    "milestone_dates",
                    _("The milestone date %(value)s is not a date.") % {"value": value},
                )
            else:
                planned.milestones.append((name[:200], date))
    else:
        for item in items:
            found = split_milestone(item, year=plan.year)
            if found is None:
                problem(
                    "milestones",
                    _(
                        "The milestone %(value)s needs a date and a name; write it as "
                        "“6月底前完成摸底” (date first), one milestone per line or after ；."
                    )
                    % {"value": item},
                )
            else:
                planned.milestones.append((found[0][:200], found[1]))
    if planned.due_on:
        for name, date in planned.milestones:
            if date > planned.due_on:
                problem(
                    "milestones",
                    _("The milestone %(name)s (%(date)s) falls after the deadline.")
                    % {"name": name, "date": date.isoformat()},
                )


def _check_tree(sheet: Sheet, plan: DecompositionPlan) -> None:
    """Unique 序号, parents present, no two tasks with the same content under one parent."""
    first_row: dict[str, int] = {}
    for task in plan.tasks:
        if not task.number:
            continue
        if task.number in first_row:
            plan.problems.append(
                Problem(
                    task.row,
                    sheet.where("number"),
                    _("序号 %(number)s is also on row %(row)s.")
                    % {"number": task.number, "row": first_row[task.number]},
                )
            )
        else:
            first_row[task.number] = task.row
    seen_titles: dict[tuple[str | None, str], int] = {}
    for task in plan.tasks:
        if task.parent_number and task.parent_number not in first_row:
            plan.problems.append(
                Problem(
                    task.row,
                    sheet.where("number"),
                    _("Row %(number)s is a sub-item of %(parent)s, which is not in the table.")
                    % {"number": task.number, "parent": task.parent_number},
                )
            )
        key = (task.parent_number, task.title)
        if task.title and key in seen_titles:
            plan.problems.append(
                Problem(
                    task.row,
                    sheet.where("title"),
                    _("The same task is already on row %(row)s.") % {"row": seen_titles[key]},
                )
            )
        else:
            seen_titles[key] = task.row


def _find_existing(plan: DecompositionPlan) -> None:
    """Mark rows already imported (same division, meeting, parent and title)."""
    titles = {task.title for task in plan.tasks}
    earlier = Task.objects.filter(
        division=plan.division, meeting=plan.meeting, source=Source.IMPORT, title__in=titles
    ).only("id", "parent_id", "title")
    by_key = {(task.parent_id, task.title): task for task in earlier}
    by_number: dict[str, PlannedTask] = {}
    for task in sorted(plan.tasks, key=lambda t: (t.depth, t.row)):
        by_number[task.number] = task
        if task.parent_number is None:
            parent_id = plan.parent.pk if plan.parent else None
        else:
            above = by_number[task.parent_number].existing
            parent_id = above.pk if above else -1
        task.existing = by_key.get((parent_id, task.title))


@dataclass
class ImportOutcome:
    created: list[Task]
    skipped: int


@transaction.atomic
def import_decomposition(
    *,
    actor: Any,
    data: bytes,
    division: Division,
    year: int,
    meeting: Meeting | None = None,
    parent: Task | None = None,
    filename: str = "",
) -> ImportOutcome:
    """Create the table's tasks, all or none; raises :class:`DecompositionError`.

    Each task's timeline says which file and row it came from.
    """
    plan = plan_decomposition(
        actor=actor, data=data, division=division, year=year, meeting=meeting, parent=parent
    )
    if not plan.ok:
        raise DecompositionError(plan)
    programs = {
        name: Program.objects.get_or_create(name=name)[0]
        for name in sorted({name for task in plan.to_create for name in task.programs})
    }
    made: dict[str, Task] = {}
    created: list[Task] = []
    for planned in sorted(plan.tasks, key=lambda t: (t.depth, t.row)):
        if planned.existing is not None:
            made[planned.number] = planned.existing
            continue
        above = made[planned.parent_number] if planned.parent_number else parent
        assert planned.due_on is not None
        task = create_task(
            actor=actor,
            division=division,
            title=planned.title,
            due_on=planned.due_on,
            parent=above,
            programs=[programs[name] for name in planned.programs],
            co_units=planned.co_units,
            milestones=[(name, date, 1) for name, date in planned.milestones],
            source=Source.IMPORT,
            meeting=meeting,
            theme=planned.theme,
            lead_leader=planned.leader,
            lead_unit=planned.lead_unit,
            responsible=planned.responsible,
            description=planned.description,
        )
        add_event(
            task,
            EventKind.NOTE,
            actor=actor,
            text=_("Imported from row %(row)s (序号 %(number)s) of %(file)s.")
            % {"row": planned.row, "number": planned.number, "file": filename or _("a table")},
            file=filename,
            row=planned.row,
            number=planned.number,
        )
        made[planned.number] = task
        created.append(task)
        fault_point("intake.decomposition.task")  # some tasks written, the rest not yet
    return ImportOutcome(created=created, skipped=len(plan.already_there))


def stage_table(
    *,
    actor: Any,
    data: bytes,
    filename: str,
    division: Division,
    year: int,
    meeting: Meeting | None = None,
    parent: Task | None = None,
) -> tuple[DecompositionPlan, TableUpload | None]:
    """Check a table; keep it for confirmation only when it is clean."""
    plan = plan_decomposition(
        actor=actor, data=data, division=division, year=year, meeting=meeting, parent=parent
    )
    if not plan.ok:
        return plan, None
    TableUpload.objects.stale().filter(imported_at__isnull=True).delete()
    upload = TableUpload.objects.create(
        owner=actor,
        division=division,
        meeting=meeting,
        parent=parent,
        year=year,
        filename=filename[:200],
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return plan, upload


def replan(*, actor: Any, upload: TableUpload) -> DecompositionPlan:
    """The kept table checked again against the platform as it is now."""
    return plan_decomposition(
        actor=actor,
        data=bytes(upload.data),
        division=upload.division,
        year=upload.year,
        meeting=upload.meeting,
        parent=upload.parent,
    )


@transaction.atomic
def confirm_table(*, actor: Any, upload: TableUpload) -> ImportOutcome:
    """Import a kept table once; a second confirmation is refused."""
    upload = TableUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.imported_at is not None:
        raise ValidationError(_("This table has already been imported."))
    outcome = import_decomposition(
        actor=actor,
        data=bytes(upload.data),
        division=upload.division,
        year=upload.year,
        meeting=upload.meeting,
        parent=upload.parent,
        filename=upload.filename,
    )
    upload.imported_at = clock.now()
    upload.created_count = len(outcome.created)
    upload.save(update_fields=["imported_at", "created_count", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.IMPORT,
        instance=upload,
        changes={
            "file": upload.filename,
            "sha256": upload.sha256,
            "created": len(outcome.created),
            "skipped": outcome.skipped,
        },
        division_code=upload.division_id,
    )
    return outcome

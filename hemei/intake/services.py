"""Two ways tasks enter Hemei from outside: a decomposition table, and a meeting report.

**Decomposition table (任务分解表).** :func:`plan_decomposition` reads the table and checks
every row against the platform (units, leaders, people, dates, the 序号 tree) without
writing; :func:`import_decomposition` writes the plan in one transaction, and only when it
has no problem at all. Rows ``1.1``, ``1.2`` become subtasks of row ``1`` (any depth); a
row whose parent 序号 is missing is a problem. Several units in 牵头单位 make the first the
lead unit and the others co-units. Re-importing is safe: a task is the same when it has the
same division, meeting, parent and title (任务内容) and came from an import; those rows are
skipped, so a corrected table adds only what is new.

**Meeting report.** :func:`start_draft` reads an uploaded or pasted report with the ingest
package and keeps what it found in an :class:`IngestDraft` of its owner;
:func:`accept_draft` turns the reviewed draft into the meeting, one decision per kept
directive and one draft task per decision, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.models import User
from hemei.core import clock
from hemei.core.choices import Theme
from hemei.divisions.choices import Level
from hemei.divisions.models import Division, subtree_q
from hemei.meetings.models import Decision, Meeting, MeetingLevel
from hemei.tasks.choices import EventKind, Source
from hemei.tasks.models import Program, Task
from hemei.tasks.permissions import can_manage
from hemei.tasks.services import add_event, create_task
from hemei.units.models import Unit

from .dates import parse_deadline, split_milestone
from .matching import Found, PeopleIndex, UnitIndex, split_names, units_for
from .models import IngestDraft, TableUpload
from .sheet import Problem, Sheet, SheetError, read_sheet

#: Levels at which tasks are imported and meetings organized.
INTAKE_LEVELS = (Level.COUNTY, Level.TOWN)
TITLE_LENGTH = 300
DRAFT_TITLE_LENGTH = 80

_THEME_WORDS: dict[str, str] = {
    "产业振兴": Theme.INDUSTRY,
    "产业": Theme.INDUSTRY,
    "人才振兴": Theme.TALENT,
    "人才": Theme.TALENT,
    "文化振兴": Theme.CULTURE,
    "文化": Theme.CULTURE,
    "生态振兴": Theme.ECOLOGY,
    "生态": Theme.ECOLOGY,
    "组织振兴": Theme.ORGANIZATION,
    "组织": Theme.ORGANIZATION,
    "其他": Theme.OTHER,
    "其它": Theme.OTHER,
}
_NUMBER = re.compile(r"^\d{1,4}(?:\.\d{1,4}){0,5}$")
_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_MILESTONE_SPLIT = re.compile(r"[；;\n\r]+")


def theme_of(text: Any) -> str | None:
    """A theme value from 产业振兴/产业/industry (or a label), ``None`` when unknown."""
    plain = re.sub(r"\s+", "", str(text or ""))
    if not plain:
        return Theme.OTHER
    if plain in _THEME_WORDS:
        return _THEME_WORDS[plain]
    for value, label in Theme.choices:
        if plain.lower() in (value, str(label).lower()):
            return value
    return None


def manageable_divisions(user: Any) -> list[Division]:
    """The counties and towns where the user may create tasks, county first."""
    from hemei.accounts.scope import grants
    from hemei.tasks.permissions import MANAGE_ROLES

    codes = sorted({g.division_id for g in grants(user) if g.role in MANAGE_ROLES})
    if not codes:
        return []
    found = (
        Division.objects.current()
        .filter(subtree_q(codes), level__in=INTAKE_LEVELS)
        .order_by("code")
    )
    return [division for division in found if can_manage(user, division.code)]


def _check_manage(actor: Any, division: Division) -> None:
    if not can_manage(actor, division.code) or division.level not in INTAKE_LEVELS:
        raise PermissionDenied(
            _("You may not create tasks in %(division)s.") % {"division": division}
        )


# ---------------------------------------------------------------------------------------------
# The decomposition table


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
        message += " " + _("Did you mean %(name)s?") % {"name": found.suggestion}
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
        message += " " + _("Did you mean %(name)s?") % {"name": found.suggestion}
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
    _check_manage(actor, division)
    if parent is not None and not division.code.startswith(parent.division_id):
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
    if leader_text:
        leader_names = split_names(leader_text)
        if len(leader_names) > 1:
            problem("leader", _("One lead leader per task: %(names)s.") % {"names": leader_text})
        else:
            found = people.leader(leader_names[0])
            message = _person_problem(found, leader_names[0], _("leader"))
            if message:
                problem("leader", message)
            planned.leader = found.match

    responsible_text = _BRACKETED.sub("", str(cells.get("responsible") or "")).strip()
    if responsible_text:
        responsible_names = split_names(responsible_text)
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
                        "The milestone %(value)s has no date; write it as "
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


# ---------------------------------------------------------------------------------------------
# The meeting report

#: The ingest package's messages, for the catalogue (it speaks English and never imports Django).
INGEST_MESSAGES = (
    gettext_noop("The input is empty."),
    gettext_noop("The input looks like a binary file, not text."),
    gettext_noop("The input holds no text."),
    gettext_noop("The input could not be decoded as text in a known encoding."),
    gettext_noop("The input is too large (more than 50 million characters)."),
    gettext_noop("The input could not be analysed."),
    gettext_noop("The file is not a valid .docx document."),
    gettext_noop("The file is empty."),
    gettext_noop("The file holds no text."),
)


class ReportError(ValueError):
    """A report that cannot be read; the message is for the person who supplied it."""


def start_draft(
    *,
    actor: Any,
    division: Division,
    year: int,
    text: str = "",
    data: bytes | None = None,
    filename: str = "",
) -> IngestDraft:
    """Read a pasted (``text``) or uploaded (``data`` + ``filename``) report into a draft."""
    from hemei.ingest import IngestError, ingest
    from hemei.ingest.readers import read_document

    _check_manage(actor, division)
    try:
        source = read_document(data, filename) if data is not None else text
        result = ingest(source, year=year)
    except IngestError as error:
        raise ReportError(_(error.message)) from None
    if not result.text.strip():
        raise ReportError(_("The input holds no text."))
    with transaction.atomic():
        IngestDraft.objects.stale().delete()
        return IngestDraft.objects.create(
            owner=actor,
            division=division,
            year=year,
            filename=filename[:200],
            result=result.to_dict(),
        )


@dataclass
class DirectiveInitial:
    """What the review form starts from for one directive."""

    index: int
    text: str
    speaker: str
    theme: str
    theme_text: str
    responsible: list[str]
    matched: list[Unit]
    deadline_text: str
    due_on: dt.date | None


def draft_directives(draft: IngestDraft) -> list[DirectiveInitial]:
    """The draft's directives with units matched to the platform's and deadlines as dates."""
    units = UnitIndex(draft.division, units_for(draft.division))
    initials = []
    for index, directive in enumerate(draft.result.get("directives", [])):
        matched: list[Unit] = []
        for name in directive.get("responsible") or []:
            unit = units.loose(name)
            if unit is not None and unit not in matched:
                matched.append(unit)
        deadline_text = directive.get("deadline_text") or ""
        initials.append(
            DirectiveInitial(
                index=index,
                text=directive.get("text") or "",
                speaker=directive.get("speaker") or "",
                theme=theme_of(directive.get("theme")) or Theme.OTHER,
                theme_text=directive.get("theme") or "",
                responsible=list(directive.get("responsible") or []),
                matched=matched,
                deadline_text=deadline_text,
                due_on=parse_deadline(deadline_text, year=draft.year) if deadline_text else None,
            )
        )
    return initials


def draft_people(draft: IngestDraft) -> dict[str, str]:
    """Host, speakers and attendees as the meeting stores them (one per line)."""

    def line(person: dict[str, Any]) -> str:
        titles = "、".join(person.get("titles") or [])
        return f"{titles} {person['name']}".strip()

    people = draft.result.get("people", [])
    by_role: dict[str, list[str]] = {}
    for person in people:
        by_role.setdefault(person.get("role", "attendee"), []).append(line(person))
    return {
        "host": "、".join(by_role.get("host", [])),
        "speakers": "\n".join(by_role.get("speaker", []) + by_role.get("reporter", [])),
        "attendees": "\n".join(by_role.get("attendee", [])),
    }


@dataclass
class AcceptedDirective:
    """One directive as the reviewer kept it."""

    index: int
    text: str
    theme: str
    due_on: dt.date
    lead_unit: Unit | None = None
    co_units: list[Unit] = field(default_factory=list)


def _title_of(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= DRAFT_TITLE_LENGTH:
        return text
    return text[: DRAFT_TITLE_LENGTH - 1] + "…"


@transaction.atomic
def accept_draft(
    *,
    actor: Any,
    draft: IngestDraft,
    name: str,
    held_on: dt.date,
    place: str = "",
    host: str = "",
    speakers: str = "",
    attendees: str = "",
    directives: Sequence[AcceptedDirective] = (),
) -> Meeting:
    """The meeting, a decision per kept directive and a draft task per decision."""
    draft = IngestDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.meeting_id is not None or draft.accepted_at is not None:
        raise ValidationError(_("This report has already been accepted."))
    division = draft.division
    _check_manage(actor, division)
    level = MeetingLevel.TOWN if division.level == Level.TOWN else MeetingLevel.COUNTY
    meeting = Meeting(
        name=name.strip(),
        held_on=held_on,
        level=level,
        division=division,
        place=place.strip(),
        host=host.strip(),
        speakers=speakers.strip(),
        attendees=attendees.strip(),
        full_text=draft.result.get("text", ""),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=meeting,
        changes={"source": "ingest", "decisions": len(directives)},
        division_code=division.code,
    )
    written = draft.result.get("directives", [])
    for number, accepted in enumerate(directives, start=1):
        original = written[accepted.index] if 0 <= accepted.index < len(written) else {}
        decision = Decision.objects.create(
            meeting=meeting,
            number=number,
            text=accepted.text.strip(),
            speaker=(original.get("speaker") or "")[:100],
            theme=accepted.theme,
            responsible="、".join(original.get("responsible") or [])[:300],
            deadline_text=(original.get("deadline_text") or "")[:100],
        )
        title = _title_of(accepted.text)
        task = create_task(
            actor=actor,
            division=division,
            title=title,
            due_on=accepted.due_on,
            co_units=[unit for unit in accepted.co_units if unit != accepted.lead_unit],
            source=Source.INGEST,
            meeting=meeting,
            decision=decision,
            theme=accepted.theme,
            lead_unit=accepted.lead_unit,
            description=accepted.text.strip() if title != accepted.text.strip() else "",
        )
        add_event(
            task,
            EventKind.NOTE,
            actor=actor,
            text=_("Drafted from decision %(number)s of the meeting report %(meeting)s.")
            % {"number": number, "meeting": meeting.name},
            decision=number,
        )
    draft.meeting = meeting
    draft.accepted_at = clock.now()
    draft.save(update_fields=["meeting", "accepted_at", "updated_at"])
    return meeting

"""Writes of procedures: a year's working-day schedule, and the time limits of a division."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import Who, allows, may
from hemei.accounts.roles import ADMIN_ROLES
from hemei.accounts.workflow import Transition, change_state
from hemei.core import clock
from hemei.core.evidence import (
    PHOTO,
    CheckedFile,
    check_upload,
)
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from . import calendar, quorum
from .choices import DecisionState, FileRole, StepKind
from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    DecisionFile,
    DecisionLink,
    DecisionMeeting,
    DecisionProcess,
    DecisionPublication,
    DecisionRecord,
    DecisionStep,
    TimeLimit,
    WorkdayYear,
)
from .selectors import schedule

#: the levels a time limit is set at: a province, and a county that overrides it
LIMIT_LEVELS = (Level.PROVINCE, Level.COUNTY)


def _trail_division(actor: Any) -> str:
    """Where an addition to the national schedule shows in the audit log: the actor's
    (first) administered division, so their own office sees it; the whole platform else."""
    prefixes = Who(actor).prefixes(ADMIN_ROLES)
    return prefixes[0] if prefixes else ""


@transaction.atomic
def add_workday_year(
    *,
    actor: Any,
    year: int,
    holidays: Iterable[dt.date],
    workdays: Iterable[dt.date],
    source: str,
    supersedes: bool = False,
) -> WorkdayYear:
    """Add a year's official schedule (or replace the known one, when ``supersedes``).

    Refused: a year outside 2000–2100, a date outside the year, a date both holiday and
    working day, an empty source, a year the clock already knows without ``supersedes``.
    """
    if not may(actor, "change", WorkdayYear):
        raise PermissionDenied(_("Only administrators add working-day schedules."))
    source = source.strip()
    wanted = calendar.YearSchedule(
        year=year, holidays=frozenset(holidays), workdays=frozenset(workdays), source=source
    )
    errors: dict[str, list[str]] = {}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = [
            _("Give a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    else:
        for name, dates in (("holidays", wanted.holidays), ("workdays", wanted.workdays)):
            outside = sorted(d for d in dates if d.year != year)
            if outside:
                errors[name] = [
                    _("These dates are not in %(year)s: %(dates)s.")
                    % {"year": year, "dates": "、".join(map(str, outside))}
                ]
        both = sorted(wanted.holidays & wanted.workdays)
        if both:
            errors.setdefault("workdays", []).append(
                _("A day cannot be both a holiday and a working day: %(dates)s.")
                % {"dates": "、".join(map(str, both))}
            )
    if not source:
        errors["source"] = [_("Name the notice the dates come from.")]
    # Lock the year's rows (PostgreSQL; SQLite's IMMEDIATE transactions already serialize).
    earlier = list(WorkdayYear.objects.select_for_update().filter(year=year))
    known = bool(earlier) or schedule().knows(year)
    if known and not supersedes and "year" not in errors:
        errors["supersedes"] = [
            _(
                "The schedule of %(year)s is already known. Tick “replaces the known "
                "schedule” to replace it as a whole with these dates."
            )
            % {"year": year}
        ]
    if errors:
        raise ValidationError(errors)
    row = WorkdayYear.objects.create(
        year=year,
        holidays=[d.isoformat() for d in sorted(wanted.holidays)],
        workdays=[d.isoformat() for d in sorted(wanted.workdays)],
        source=source,
        supersedes=known,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=row,
        changes=audit.diff({}, audit.snapshot(row)),
        division_code=_trail_division(actor),
    )
    return row


def _check_limit_division(actor: Any, division: Division) -> None:
    if division.level not in LIMIT_LEVELS:
        raise ValidationError({"division": [_("Time limits are set for a province or a county.")]})
    if not allows(actor, "change", TimeLimit(division=division)):
        raise PermissionDenied(_("You do not administer %(division)s.") % {"division": division})


def _check_no_overlap(
    *, key: str, division: Division, valid_from: dt.date, valid_to: dt.date | None, pk: Any = None
) -> None:
    clash = (
        TimeLimit.objects.filter(key=key, division=division)
        .overlapping(valid_from, valid_to)
        .exclude(pk=pk)
        .order_by("valid_from")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "%(division)s already has the time limit %(key)s from %(start)s to %(end)s; "
                "the validity periods must not overlap (end the earlier one first)."
            )
            % {
                "division": division.name,
                "key": key,
                "start": clash.valid_from,
                "end": clash.valid_to or _("further notice"),
            }
        )


@transaction.atomic
def add_time_limit(
    *,
    actor: Any,
    division: Division,
    key: str,
    name: str,
    days: int,
    unit: str,
    extension_days: int = 0,
    basis: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> TimeLimit:
    """Add a province's or a county's time limit; refused when its validity overlaps
    another row of the same key and division."""
    _check_limit_division(actor, division)
    # Serialize additions for the division (PostgreSQL; SQLite's transactions already do).
    Division.objects.select_for_update().filter(code=division.code).first()
    limit = TimeLimit(
        division=division,
        key=key.strip(),
        name=name.strip(),
        days=days,
        unit=unit,
        extension_days=extension_days,
        basis=basis.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    limit.full_clean()
    _check_no_overlap(key=limit.key, division=division, valid_from=valid_from, valid_to=valid_to)
    limit.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=limit,
        changes=audit.diff({}, audit.snapshot(limit)),
        division_code=division.code,
    )
    return limit


@transaction.atomic
def end_time_limit(*, actor: Any, limit: TimeLimit, valid_to: dt.date) -> TimeLimit:
    """Set the last day a limit is in force (to make room for a new one)."""
    limit = TimeLimit.objects.select_for_update().select_related("division").get(pk=limit.pk)
    _check_limit_division(actor, limit.division)
    if valid_to < limit.valid_from:
        raise ValidationError(
            {
                "valid_to": [
                    _("The end of validity is before its start (%(start)s).")
                    % {"start": limit.valid_from}
                ]
            }
        )
    _check_no_overlap(
        key=limit.key,
        division=limit.division,
        valid_from=limit.valid_from,
        valid_to=valid_to,
        pk=limit.pk,
    )
    before = audit.snapshot(limit)
    limit.valid_to = valid_to
    limit.save(update_fields=["valid_to", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=limit,
        changes=audit.diff(before, audit.snapshot(limit)),
        division_code=limit.division_id,
    )
    return limit


# --------------------------------------------------------------------------- 四议两公开

ADVANCE = Transition(
    "advance",
    frozenset({DecisionState.IN_PROGRESS}),
    DecisionState.IN_PROGRESS,
    refused=_lazy("This record is closed: it passed every step or was not passed."),
)
STOP = Transition(
    "stop",
    frozenset({DecisionState.IN_PROGRESS}),
    DecisionState.NOT_PASSED,
    refused=ADVANCE.refused,
)
COMPLETE = Transition(
    "complete",
    frozenset({DecisionState.IN_PROGRESS}),
    DecisionState.COMPLETED,
    refused=ADVANCE.refused,
)
#: at most this many photos per meeting
MAX_PHOTOS = 9


def _check_changes(actor: Any, record: DecisionRecord) -> None:
    if not allows(actor, "change", record):
        raise PermissionDenied(_("Only the village's officials and the county office record this."))


def first_step(process: DecisionProcess) -> DecisionStep | None:
    return process.steps.order_by("position").first()


def next_step(record: DecisionRecord, step: DecisionStep) -> DecisionStep | None:
    """The step after ``step`` (the second is skipped when the first two are merged)."""
    later = record.process.steps.filter(position__gt=step.position).order_by("position")
    following = later.first()
    if (
        following is not None
        and record.merged_first_steps
        and step.kind == StepKind.PROPOSAL
        and following.kind == StepKind.CONSULTATION
    ):
        following = later.exclude(pk=following.pk).first()
    return following


def meeting_rule(record: DecisionRecord, step: DecisionStep) -> tuple[DecisionStep, bool]:
    """The step whose rule judges the meeting of ``step``, and whether it covers the next:
    a merged first meeting is judged by the conferring step's rule (两委会's majority)."""
    if record.merged_first_steps and step.kind == StepKind.PROPOSAL:
        following = record.process.steps.filter(position__gt=step.position).first()
        if following is not None and following.kind == StepKind.CONSULTATION:
            return following, True
    return step, False


@transaction.atomic
def define_process(
    *, actor: Any, division: Division, name: str, steps: list[dict[str, Any]], description: str = ""
) -> DecisionProcess:
    """A county's own process (五议两公开 …): ``steps`` in order, each ``kind``, ``name`` and,
    for a meeting, the rule's values (``present_num`` … ``pass_strict``)."""
    if division.level != Level.COUNTY:
        raise ValidationError(_("A decision process is defined for a county."))
    if not allows(actor, "change", DecisionProcess(division=division)):
        raise PermissionDenied(_("Only the county's administrators define its processes."))
    if not steps:
        raise ValidationError(_("A process has at least one step."))
    process = DecisionProcess.objects.create(name=name, division=division, description=description)
    for position, values in enumerate(steps, start=1):
        step = DecisionStep(process=process, position=position, **values)
        step.full_clean(exclude=["process"])
        step.rule()  # the shares make a rule (0 to 1)
        step.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=process,
        changes={"name": name, "steps": [s["name"] for s in steps]},
        division_code=division.code,
    )
    return process


@transaction.atomic
def create_record(
    *,
    actor: Any,
    village: Division,
    title: str,
    process: DecisionProcess,
    description: str = "",
    merged_first_steps: bool = False,
) -> DecisionRecord:
    if village.level != Level.VILLAGE:
        raise ValidationError(_("A decision record belongs to a village."))
    record = DecisionRecord(
        village=village,
        title=title.strip(),
        description=description.strip(),
        process=process,
        merged_first_steps=merged_first_steps,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _check_changes(actor, record)
    if not title.strip():
        raise ValidationError({"title": _("Name the matter.")})
    if process.division_id and not village.code.startswith(process.division_id):
        raise ValidationError({"process": _("This process belongs to another county.")})
    if merged_first_steps and not process.may_merge_first_steps():
        raise ValidationError(
            {
                "merged_first_steps": _(
                    "Only a process that starts with the branch's proposal and the two "
                    "committees' conferring can merge them."
                )
            }
        )
    record.step = first_step(process)
    if record.step is None:
        raise ValidationError({"process": _("This process has no steps.")})
    record.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=record,
        changes={"title": record.title, "process": process.name},
        division_code=village.code,
    )
    return record


def _checked(upload: Any, *, photo: bool) -> CheckedFile:
    checked = check_upload(upload)
    if photo and checked.kind != PHOTO:
        raise ValidationError(_("%(name)s is not a photo.") % {"name": checked.name})
    return checked


def _guard(actor: Any, step_id: int) -> Any:
    def guard(row: DecisionRecord) -> None:
        _check_changes(actor, row)
        if row.state == DecisionState.IN_PROGRESS and row.step_id != step_id:
            raise ValidationError(_("This step was recorded meanwhile: reload the page."))

    return guard


def record_meeting(
    *,
    actor: Any,
    record: DecisionRecord,
    held_on: dt.date,
    entitled: int,
    present: int,
    votes_for: int,
    against: int,
    abstain: int,
    minutes: Any,
    photos: list[Any] = (),  # type: ignore[assignment]
    notes: str = "",
) -> DecisionMeeting:
    """The meeting of the record's current step: judged by its rule, the record moves on when
    it passed and stops as not passed when the quorum or the vote failed."""
    _check_changes(actor, record)
    if record.state != DecisionState.IN_PROGRESS:
        raise ValidationError(ADVANCE.refused)
    step = record.step
    if step is None or step.publishes:
        raise ValidationError(_("The current step is a publication, not a meeting."))
    if held_on > clock.today():
        raise ValidationError({"held_on": _("The meeting's date is in the future.")})
    last = record.meetings.order_by("-held_on").first()
    if last is not None and held_on < last.held_on:
        raise ValidationError(
            {
                "held_on": _("The meeting is before the previous step's (%(day)s).")
                % {"day": last.held_on}
            }
        )
    judge, covers_next = meeting_rule(record, step)
    rule = judge.rule()
    try:
        outcome = rule.judge(
            entitled=entitled,
            present=present,
            votes_for=votes_for,
            against=against,
            abstain=abstain,
        )
    except quorum.BadCounts as exc:
        raise ValidationError(str(exc)) from exc
    if minutes is None:
        raise ValidationError({"minutes": _("Attach the meeting's minutes.")})
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": MAX_PHOTOS}})
    files = [(FileRole.MINUTES, _checked(minutes, photo=False))]
    files += [(FileRole.PHOTO, _checked(photo, photo=True)) for photo in photos]

    after = next_step(record, judge if covers_next else step)
    if not outcome.passed:
        transition, values = STOP, {"stopped_reason": f"{step.name}：{outcome.reason}"}
    elif after is None:
        transition, values = COMPLETE, {"step": None}
    else:
        transition, values = ADVANCE, {"step": after}
    made: list[DecisionMeeting] = []

    def save_meeting(row: DecisionRecord, before: str) -> None:
        meeting = DecisionMeeting.objects.create(
            record=row,
            step=step,
            covers_next=covers_next,
            held_on=held_on,
            entitled=entitled,
            present=present,
            votes_for=votes_for,
            against=against,
            abstain=abstain,
            quorum_met=outcome.quorum_met,
            passed=outcome.passed,
            reason=outcome.reason,
            rule_text=rule.describe(),
            rule={
                "step": judge.name,
                "present": [judge.present_num, judge.present_den, judge.present_strict],
                "pass": [judge.pass_num, judge.pass_den, judge.pass_base, judge.pass_strict],
            },
            notes=notes.strip(),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        for role, checked in files:
            item = DecisionFile(
                meeting=meeting,
                role=role,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
            )
            item.file.save(checked.name, ContentFile(checked.data), save=False)
            item.save()
        made.append(meeting)

    change_state(
        record,
        transition,
        actor=actor,
        division_code=record.village_id,
        guard=_guard(actor, step.pk),
        values=values,
        audit_notes={
            "step": step.name,
            "votes": [entitled, present, votes_for, against, abstain],
            "outcome": outcome.reason,
        },
        effects=[save_meeting],
    )
    return made[0]


def publish(
    *, actor: Any, record: DecisionRecord, published_on: dt.date, text: str
) -> DecisionPublication:
    """决议公开 or 实施结果公开 at the record's current step."""
    _check_changes(actor, record)
    if record.state != DecisionState.IN_PROGRESS:
        raise ValidationError(ADVANCE.refused)
    step = record.step
    if step is None or not step.publishes:
        raise ValidationError(_("The current step is a meeting: record it first."))
    if not text.strip():
        raise ValidationError({"text": _("Enter what was published.")})
    if published_on > clock.today():
        raise ValidationError({"published_on": _("The date is in the future.")})
    last = record.meetings.order_by("-held_on").first()
    if last is not None and published_on < last.held_on:
        raise ValidationError(
            {"published_on": _("It is before the last meeting (%(day)s).") % {"day": last.held_on}}
        )
    after = next_step(record, step)
    transition, values = (COMPLETE, {"step": None}) if after is None else (ADVANCE, {"step": after})
    made: list[DecisionPublication] = []

    def save(row: DecisionRecord, before: str) -> None:
        made.append(
            DecisionPublication.objects.create(
                record=row,
                step=step,
                kind=step.kind,
                published_on=published_on,
                text=text.strip(),
                published_by=actor if getattr(actor, "pk", None) else None,
            )
        )

    change_state(
        record,
        transition,
        actor=actor,
        division_code=record.village_id,
        guard=_guard(actor, step.pk),
        values=values,
        audit_notes={"step": step.name},
        effects=[save],
    )
    return made[0]


@transaction.atomic
def link(*, actor: Any, record: DecisionRecord, target: Any, note: str = "") -> DecisionLink:
    """The hook for cases, contracts and projects: ``target`` was approved by ``record``."""
    _check_changes(actor, record)
    if record.state == DecisionState.NOT_PASSED:
        raise ValidationError(_("A matter that was not passed approves nothing."))
    found, _created = DecisionLink.objects.get_or_create(
        record=record,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        defaults={"note": note},
    )
    return found

"""Changes to cases (办件): start, pass a step, return, refuse, withdraw, pause, resume,
extend, attach material.

Every function takes keyword arguments, runs in one transaction, locks the case row, checks
the actor through the access policy and answers bad input with ``ValidationError`` (in the
interface's language) before it changes anything.

**The clock.** A step's deadline counts from the day it was entered (which does not count),
in the step's unit; a county's time limit of the step's ``limit_key``, when one is in force,
replaces the catalogue's days. Each step in hand holds a duty (``hemei.tasks.duties``) of
the office of its level, so a late step climbs the one supervision ladder; leaving the step
closes the duty. A pause closes the duty (the ladder stops) and a resume opens a new one
with the days that were left; an extension moves the duty's deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hemei.accounts.policy import allows, allows_at
from hemei.catalogue.choices import Level, Starter
from hemei.catalogue.models import Item, Step
from hemei.catalogue.selectors import version_in_force
from hemei.core import clock
from hemei.core.evidence import check_uploads
from hemei.divisions.models import Division
from hemei.households.models import Household
from hemei.households.selectors import household_of
from hemei.procedures import selectors as procedures
from hemei.procedures.models import DecisionRecord
from hemei.tasks import duties
from hemei.tasks.choices import Source

from . import hooks
from .choices import CaseState, EventKind, Outcome
from .models import Case, CaseEvent, CaseFile, StepRecord

#: Files one action may carry.
MAX_FILES = 9


# --------------------------------------------------------------------------- the path


def path(item: Item, amount: Decimal | None) -> list[Step]:
    """The steps of ``item`` a case asking for ``amount`` walks, in order."""
    return [step for step in item.steps.order_by("position") if step.applies_to(amount)]


def office_of(village_code: str, level: str) -> str:
    """The division whose office takes a step of ``level`` for a case of the village."""
    if level == Level.TOWN:
        return village_code[:9]
    if level == Level.COUNTY:
        return village_code[:6]
    return village_code


def may_act(user: Any, case: Case) -> bool:
    """Whether ``user`` takes the step in hand (the office of its level, or the applicant's
    household on an applicant's step)."""
    if case.state != CaseState.OPEN or case.step is None:
        return False
    if case.step.level == Level.APPLICANT:
        return bool(case.household_id) and is_applicant_side(user, case)
    return allows_at(user, "act_on_cases", office_of(case.village_id, case.step.level))


def is_applicant_side(user: Any, case: Case) -> bool:
    own = household_of(user) if getattr(user, "is_authenticated", False) else None
    return (own is not None and own.pk == case.household_id) or case.applicant_id == getattr(
        user, "pk", None
    )


def deadline(step: Step, village_code: str, start: dt.date) -> dt.date:
    """The step's last day counted from ``start``; ValidationError beyond the known schedule."""
    days, workdays = step.days, step.counts_workdays
    if step.limit_key:
        try:
            limit = procedures.limit_for(step.limit_key, village_code, start)
        except procedures.TimeLimitMissing:
            pass
        else:
            days, workdays = limit.days, limit.counts_workdays
    return procedures.days_after(start, days, workdays=workdays)


# --------------------------------------------------------------------------- internals


def _event(case: Case, kind: str, actor: Any, text: str = "") -> None:
    CaseEvent.objects.create(
        case=case, kind=kind, actor=actor if getattr(actor, "pk", None) else None, text=text
    )


def _tell_applicant(case: Case, what: str) -> None:
    """The applicant and the members of the household with an account hear of every
    decision on their case (in the platform's inbox, and by mail where they gave one)."""
    from django.urls import reverse

    from hemei.accounts.models import User
    from hemei.notifications.services import notify

    people = (
        User.objects.filter(
            Q(pk=case.applicant_id)
            | Q(resident__household_id=case.household_id, resident__is_active=True)
        )
        if case.household_id
        else User.objects.filter(pk=case.applicant_id)
    )
    notify(
        recipients=people.distinct(),
        kind="case",
        title=_("Your case %(number)s: %(what)s") % {"number": case.number, "what": what},
        body=f"{case.item.name}：{case.title}",
        url=reverse("cases:detail", args=[case.pk]),
    )


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("item", "step", "village")
        .get(pk=case.pk)
    )


def _open_record(case: Case) -> StepRecord | None:
    return case.records.filter(outcome=Outcome.OPEN).order_by("-id").first()


def _duty_title(case: Case, step: Step) -> str:
    return _("Case %(number)s %(item)s: %(step)s") % {
        "number": case.number,
        "item": case.item.name,
        "step": step.name,
    }


def _enter(case: Case, step: Step, today: dt.date, actor: Any) -> None:
    """Put ``case`` on ``step`` from ``today`` with its clock (and duty)."""
    due = deadline(step, case.village_id, today)
    case.step = step
    case.step_due_on = due
    case.state = CaseState.OPEN
    case.duty = None
    if step.level != Level.APPLICANT:
        case.duty = duties.open_duty(
            division=office_of(case.village_id, step.level),
            title=_duty_title(case, step),
            due_on=due,
            source=Source.CASE,
            start_on=today,
            actor=actor,
            description=_("Case %(number)s, village %(village)s.")
            % {"number": case.number, "village": case.village.name},
        )
    StepRecord.objects.create(case=case, step=step, entered_on=today, due_on=due)
    if step.limit_key and hooks.for_key(step.limit_key):
        case.save()  # the procedure reads the case with its new step
        hooks.entered(case, step, today, actor)


def _leave(case: Case, outcome: str, actor: Any, today: dt.date, **fields: Any) -> StepRecord:
    record = _open_record(case)
    if record is None:  # pragma: no cover - a running case always has its open record
        raise ValidationError(_("The case has no step in hand."))
    record.outcome = outcome
    record.left_on = today
    record.actor = actor if getattr(actor, "pk", None) else None
    record.late = bool(record.due_on and today > record.due_on)
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    if case.duty_id:
        duties.close_duty(task_id=case.duty_id, actor=actor, on=today)
    if record.step.limit_key:
        hooks.left(case, record.step, outcome, today, actor)
    return record


def _close(case: Case, state: str, today: dt.date, reason: str = "", actor: Any = None) -> None:
    case.state = state
    case.step = None
    case.step_due_on = None
    case.paused_on = None
    case.closed_on = today
    if reason:
        case.reason = reason
    case.save()
    hooks.closed(case, today, actor)


def _check_running(case: Case) -> None:
    if not case.is_running:
        raise ValidationError(
            _("The case is closed: %(state)s.") % {"state": case.get_state_display()}
        )


def _check_acts(actor: Any, case: Case) -> None:
    if not may_act(actor, case):
        raise PermissionDenied(_("This step is taken by another office."))


def _next_number(village: Division, year: int) -> str:
    prefix = f"{village.code}-{year}-"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:04d}"


def _save_numbered(case: Case, village: Division, year: int) -> None:
    """Save a new case under the village's next number of the year; two cases started at
    the same moment both get one (the second takes the number after)."""
    for _attempt in range(5):
        case.number = _next_number(village, year)
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError:
            continue
        return
    raise ValidationError(_("Many cases are being started in this village at once: try again."))


def _attach(case: Case, record: StepRecord | None, files: Sequence[Any], actor: Any) -> None:
    checked = check_uploads(files, max_files=MAX_FILES)
    for item in checked:
        row = CaseFile(
            case=case,
            record=record,
            name=item.name,
            content_type=item.content_type,
            size=len(item.data),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        row.file.save(item.name, ContentFile(item.data), save=False)
        row.save()
    if checked:
        _event(case, EventKind.FILE, actor, "、".join(item.name for item in checked))


# --------------------------------------------------------------------------- start


@transaction.atomic
def start_case(
    *,
    actor: Any,
    village: Division,
    item_code: str,
    title: str,
    household: Household | None = None,
    household_number: str = "",
    applicant_name: str = "",
    amount: Decimal | None = None,
    files: Sequence[Any] = (),
) -> Case:
    """A new case of the village's item ``item_code`` (the version in force today).

    A villager applies for their own household; an official of the area starts one for a
    household of the village (given, or named by its number in the register), or for the
    village itself where the item is the village's.
    """
    today = clock.today()
    version = version_in_force(village.code, today)
    if version is None:
        raise ValidationError(_("The village has not adopted a catalogue yet."))
    item = version.items.filter(code=item_code).first()
    if item is None:
        raise ValidationError({"item": _("The village's catalogue has no such item.")})
    if not item.has_flow:
        raise ValidationError({"item": _("A negative-list item is not applied for.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say in a few words what the case is about.")})
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    if household_number.strip():
        household = (
            Household.objects.restrict(actor, "view")
            .filter(village_id=village.code, number=household_number.strip(), is_active=True)
            .first()
        )
        if household is None:
            raise ValidationError({"household": _("No household with this number in the village.")})
    own = household_of(actor)
    villager = own is not None and not allows_at(actor, "start_cases", village.code)
    if villager:
        if item.starter == Starter.OFFICIAL:
            raise PermissionDenied(_("This item is started by the village, not applied for."))
        if own.village_id != village.code or (household and household.pk != own.pk):
            raise PermissionDenied(_("You may apply only for your own household."))
        household = own
        applicant = actor
    else:
        if not allows_at(actor, "start_cases", village.code):
            raise PermissionDenied(_("You may not start cases in this village."))
        if item.starter == Starter.VILLAGER and household is None:
            raise ValidationError({"household": _("Choose the household that applies.")})
        applicant = None
    if household is not None and household.village_id != village.code:
        raise ValidationError({"household": _("The household is not of this village.")})
    name = (applicant_name or "").strip()
    if household is not None and not name:
        name = household.head.name if household.head_id else household.number
    if not name:
        name = village.name
    steps = path(item, amount)
    if not steps:  # pragma: no cover - an item with a flow always has steps
        raise ValidationError(_("The item has no steps."))
    if item.amount_label and amount is None:
        raise ValidationError({"amount": _("Give the %(what)s.") % {"what": item.amount_label}})
    case = Case(
        village=village,
        item=item,
        title=title[:200],
        household=household,
        applicant=applicant,
        applicant_name=name[:60],
        amount=amount,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _save_numbered(case, village, today.year)
    _event(case, EventKind.STARTED, actor, title)
    first = steps[0]
    if first.level == Level.APPLICANT:
        # the application itself is the applicant's step: taken as it is filed
        StepRecord.objects.create(
            case=case,
            step=first,
            entered_on=today,
            due_on=today,
            left_on=today,
            outcome=Outcome.PASSED,
            opinion=_("Applied."),
            signer=name[:60],
            signed_on=today,
            actor=actor if getattr(actor, "pk", None) else None,
        )
        record = case.records.get()
        steps = steps[1:]
    else:
        record = None
    _attach(case, record, files, actor)
    if steps:
        _enter(case, steps[0], today, actor)
        case.save()
    else:
        _close(case, CaseState.DONE, today)
    return case


# --------------------------------------------------------------------------- steps


def decision_approved(record: DecisionRecord | None) -> bool:
    """Whether a 四议两公开 record carries a passed resolution."""
    from hemei.procedures.choices import StepKind

    return (
        record is not None
        and record.meetings.filter(step__kind=StepKind.RESOLUTION, passed=True).exists()
    )


@transaction.atomic
def link_decision(*, actor: Any, case: Case, record: DecisionRecord) -> Case:
    """The 四议两公开 record that approved this case's matter."""
    case = _locked(case)
    _check_running(case)
    if not allows_at(actor, "act_on_cases", case.village_id):
        raise PermissionDenied(_("The village's committees link their decision records."))
    if record.village_id != case.village_id:
        raise ValidationError({"decision": _("The decision record is of another village.")})
    from hemei.procedures.services import link

    case.decision = record
    case.save(update_fields=["decision", "updated_at"])
    link(actor=actor, record=record, target=case, note=case.number)
    _event(
        case,
        EventKind.FILE,
        actor,
        _("Decision record linked: %(title)s") % {"title": record.title},
    )
    return case


@transaction.atomic
def pass_step(
    *,
    actor: Any,
    case: Case,
    opinion: str,
    signer: str,
    sealed: bool = False,
    signed_on: dt.date | None = None,
    files: Sequence[Any] = (),
    notice_text: str = "",
) -> Case:
    """The office of the step in hand agrees: its record is signed, the case moves on.

    A step that publishes (its item gives it a notice period) posts a public notice of the
    matter (``notice_text``, else the item, the matter and the applicant's name; never an
    ID, phone, bank or health detail: the notice refuses them) and waits for it to end; an
    objection brings the case back to this step (:mod:`.notice_handlers`)."""
    case = _locked(case)
    _check_running(case)
    if case.state == CaseState.PAUSED:
        raise ValidationError(_("The clock is paused: resume the case first."))
    _check_acts(actor, case)
    today = clock.today()
    opinion, signer = (opinion or "").strip(), (signer or "").strip()
    if not opinion:
        raise ValidationError({"opinion": _("Write the opinion.")})
    if not signer:
        raise ValidationError({"signer": _("Name who signs.")})
    signed_on = signed_on or today
    if signed_on > today:
        raise ValidationError({"signed_on": _("The date signed cannot be in the future.")})
    step = case.step
    assert step is not None
    if step.needs_decision and not decision_approved(case.decision):
        raise ValidationError(
            _(
                "This step needs a resolution of the villagers' (representatives') meeting "
                "(四议两公开): link the decision record that passed it first."
            )
        )
    hooks.before_pass(case, step, actor)
    record = _leave(
        case,
        Outcome.PASSED,
        actor,
        today,
        opinion=opinion,
        signer=signer[:60],
        sealed=sealed,
        signed_on=signed_on,
    )
    _attach(case, record, files, actor)
    _event(case, EventKind.PASSED, actor, f"{step.name}：{opinion}")
    if step.notice_days:
        _post_notice(case, step, actor, notice_text)
        _tell_applicant(case, _("%(step)s agreed; public notice posted") % {"step": step.name})
        return case
    _advance(case, step, today, actor)
    _tell_applicant(case, _("%(step)s agreed") % {"step": step.name})
    return case


def notice_text_for(case: Case) -> str:
    """The default text of a case's public notice: the item and the applicant, not the
    applicant's own words (which may tell of illness or money the notice must not show)."""
    return _(
        "%(name)s applies for: %(item)s. Anyone who objects tells the village committee "
        "before the notice ends."
    ) % {"item": case.item.name, "name": case.applicant_name}


def _post_notice(case: Case, step: Step, actor: Any, text: str) -> None:
    from hemei.notices.services import post_notice

    notice = post_notice(
        subject=case,
        village=case.village,
        title=_("Public notice: %(item)s") % {"item": case.item.name},
        body=(text or "").strip() or notice_text_for(case),
        days=step.notice_days,
        unit=step.notice_unit,
        actor=actor,
    )
    case.state = CaseState.NOTICE
    case.duty = None
    case.step_due_on = timezone.localdate(notice.ends_at)
    case.save()
    _event(
        case,
        EventKind.NOTICE,
        actor,
        _("Until %(end)s.") % {"end": case.step_due_on.isoformat()},
    )


def _advance(case: Case, step: Step, today: dt.date, actor: Any) -> None:
    later = [s for s in path(case.item, case.amount) if s.position > step.position]
    if later:
        _enter(case, later[0], today, actor)
        case.save()
    else:
        _close(case, CaseState.DONE, today, actor=actor)
        _event(case, EventKind.DONE, actor)


@transaction.atomic
def notice_ended(case_id: int) -> bool:
    """The case's notice ended without objection: on to the next step (or done)."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("item", "step", "village")
        .filter(pk=case_id)
        .first()
    )
    if case is None or case.state != CaseState.NOTICE or case.step is None:
        return False
    _event(case, EventKind.NOTICE_ENDED, None, _("Public notice ended without objection."))
    _advance(case, case.step, clock.today(), None)
    return True


@transaction.atomic
def notice_objected(case_id: int, *, actor: Any, reason: str) -> None:
    """An objection (or a withdrawn notice) brings the case back to the step that posted
    the notice: the same office deals with it and decides again."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("item", "step", "village")
        .filter(pk=case_id)
        .first()
    )
    if case is None or case.state != CaseState.NOTICE or case.step is None:
        return
    _event(case, EventKind.OBJECTION, actor, reason)
    _enter(case, case.step, clock.today(), actor)
    case.save()


@transaction.atomic
def return_case(*, actor: Any, case: Case, to_position: int, reason: str) -> Case:
    """Send the case back to an earlier step of its path (补正, 重新审查), with the reason."""
    case = _locked(case)
    _check_running(case)
    _check_acts(actor, case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case goes back.")})
    assert case.step is not None
    earlier = [s for s in path(case.item, case.amount) if s.position < case.step.position]
    target = next((s for s in earlier if s.position == to_position), None)
    if target is None:
        raise ValidationError({"to_position": _("Choose an earlier step of this case.")})
    today = clock.today()
    _leave(case, Outcome.RETURNED, actor, today, opinion=reason)
    _event(case, EventKind.RETURNED, actor, f"{case.step.name} → {target.name}：{reason}")
    _tell_applicant(case, _("sent back: %(reason)s") % {"reason": reason})
    _enter(case, target, today, actor)
    case.save()
    return case


@transaction.atomic
def refuse(*, actor: Any, case: Case, reason: str, signer: str) -> Case:
    """不予办理: the office of the step in hand refuses in writing, with its reasons."""
    case = _locked(case)
    _check_running(case)
    _check_acts(actor, case)
    if case.step and case.step.level == Level.APPLICANT:
        raise PermissionDenied(_("An applicant withdraws; only an office refuses."))
    reason, signer = (reason or "").strip(), (signer or "").strip()
    if len(reason) < 4:
        raise ValidationError(
            {"reason": _("Write the reasons for refusing (they go to the applicant in writing).")}
        )
    if not signer:
        raise ValidationError({"signer": _("Name who signs.")})
    today = clock.today()
    _leave(
        case,
        Outcome.REFUSED,
        actor,
        today,
        opinion=reason,
        signer=signer[:60],
        signed_on=today,
        sealed=True,
    )
    _event(case, EventKind.REFUSED, actor, reason)
    _close(case, CaseState.REFUSED, today, reason, actor)
    _tell_applicant(case, _("refused in writing: %(reason)s") % {"reason": reason})
    return case


@transaction.atomic
def withdraw(*, actor: Any, case: Case, reason: str) -> Case:
    """The applicant (or the village for them) withdraws the case."""
    case = _locked(case)
    _check_running(case)
    own = is_applicant_side(actor, case)
    if not own and not allows_at(actor, "act_on_cases", case.village_id):
        raise PermissionDenied(_("Only the applicant or the village withdraws a case."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is withdrawn.")})
    today = clock.today()
    _leave(case, Outcome.WITHDRAWN, actor, today, opinion=reason)
    _event(case, EventKind.WITHDRAWN, actor, reason)
    _close(case, CaseState.WITHDRAWN, today, reason, actor)
    return case


@transaction.atomic
def pause(*, actor: Any, case: Case, reason: str) -> Case:
    """Stop the step's clock (materials to be completed, a survey to wait for)."""
    case = _locked(case)
    _check_running(case)
    _check_acts(actor, case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the clock stops.")})
    today = clock.today()
    if case.duty_id:
        duties.close_duty(
            task_id=case.duty_id,
            actor=actor,
            on=today,
            text=_("Clock paused: %(reason)s") % {"reason": reason},
        )
    case.state = CaseState.PAUSED
    case.paused_on = today
    case.duty = None
    case.save()
    _event(case, EventKind.PAUSED, actor, reason)
    _tell_applicant(case, _("the clock is paused: %(reason)s") % {"reason": reason})
    return case


@transaction.atomic
def resume(*, actor: Any, case: Case) -> Case:
    """Start the clock again with the days that were left when it stopped."""
    case = _locked(case)
    if case.state != CaseState.PAUSED:
        raise ValidationError(_("The clock is not paused."))
    step = case.step
    assert step is not None and case.paused_on is not None
    if not allows_at(actor, "act_on_cases", office_of(case.village_id, step.level)):
        raise PermissionDenied(_("This step is taken by another office."))
    today = clock.today()
    due = case.step_due_on or today
    if step.counts_workdays:
        left = procedures.workdays_left(case.paused_on, due)
    else:
        left = max((due - case.paused_on).days, 0)
    new_due = procedures.days_after(today, left, workdays=step.counts_workdays)
    case.state = CaseState.OPEN
    case.paused_on = None
    case.step_due_on = new_due
    if step.level != Level.APPLICANT:
        case.duty = duties.open_duty(
            division=office_of(case.village_id, step.level),
            title=_duty_title(case, step),
            due_on=new_due,
            source=Source.CASE,
            start_on=today,
            actor=actor,
        )
    case.save()
    StepRecord.objects.filter(case=case, outcome=Outcome.OPEN).update(due_on=new_due)
    _event(case, EventKind.RESUMED, actor, _("Due on %(date)s.") % {"date": new_due.isoformat()})
    return case


@transaction.atomic
def extend(*, actor: Any, case: Case, days: int, reason: str) -> Case:
    """延期: more days for the step in hand, within the extension its item allows."""
    case = _locked(case)
    _check_running(case)
    _check_acts(actor, case)
    step = case.step
    assert step is not None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why more time is needed.")})
    record = _open_record(case)
    assert record is not None
    used = case.events.filter(kind=EventKind.EXTENDED, at__date__gte=record.entered_on).count()
    if days < 1 or days > step.extension_days or used:
        raise ValidationError(
            {
                "days": _("This step may be extended once, by at most %(n)d days.")
                % {"n": step.extension_days}
            }
        )
    due = procedures.days_after(
        case.step_due_on or clock.today(), days, workdays=step.counts_workdays
    )
    case.step_due_on = due
    case.save(update_fields=["step_due_on", "updated_at"])
    record.due_on = due
    record.save(update_fields=["due_on"])
    if case.duty_id:
        duties.move_duty(task_id=case.duty_id, due_on=due, actor=actor, reason=reason)
    _event(
        case,
        EventKind.EXTENDED,
        actor,
        _("%(reason)s Due on %(date)s.") % {"reason": reason, "date": due.isoformat()},
    )
    return case


@transaction.atomic
def add_files(*, actor: Any, case: Case, files: Sequence[Any]) -> Case:
    """Material added to the step in hand (the applicant's household or the office)."""
    case = _locked(case)
    _check_running(case)
    if not (is_applicant_side(actor, case) or allows(actor, "change", case)):
        raise PermissionDenied(_("You may not add material to this case."))
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    _attach(case, _open_record(case), files, actor)
    return case

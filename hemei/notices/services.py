"""Posting public notices and dealing with objections: the calls every procedure makes.

**Posting.** A step that must publish something calls::

    from hemei.notices.services import post_notice

    notice = post_notice(
        subject=case,              # any saved model instance whose app registered handlers
        village=case.village,      # a Division of the village level
        title="宅基地申请公示：第三村民小组 张某",
        body="…",                  # plain text; never ID, phone, bank or health data
        days=7,
        unit=TimeUnit.WORKDAY,     # or TimeUnit.CALENDAR_DAY
        actor=request.user,        # must be allowed to post in the village
        group="第三村民小组",        # optional: posted within one group
        files=[upload, …],         # optional: checked like evidence
    )

It runs inside the caller's transaction. The notice runs from now (or ``starts_at``) for
``days`` in ``unit``: calendar days are 24-hour days; working days follow the platform's
official schedule (``hemei.procedures``), the notice ending at the same time of day on the
N-th working day after its first. A period's default may come from a time limit
(:func:`period_from_limit`) or from the module's own setting (the points' village settings).

The title, the body, the group and the attachments' names are refused (``ValidationError``)
when they show an ID-card, mobile or bank account number or words about someone's health
(the guard of :mod:`hemei.documents`): mask numbers before posting (``mask_numbers``).

**Objections and the end.** :func:`raise_objection` (a villager of the village or an
official, while the notice runs), :func:`answer_objection` (the village's officials),
:func:`withdraw_notice`, and :func:`end_due_notices` (the worker's sweep when notices end)
call the subject's registered hooks (:mod:`.registry`) in the same transaction. A step that
answers the objections itself, when it decides again, calls :func:`settle_objections`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from hemei.accounts.audit import record
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import allows
from hemei.core import clock
from hemei.core.evidence import CheckedFile, check_upload
from hemei.core.faults import fault_point
from hemei.core.jobs import enqueue_at
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.documents.rendering import check_no_personal_data
from hemei.procedures import calendar
from hemei.procedures import selectors as procedures
from hemei.procedures.choices import TimeUnit

from . import registry
from .choices import GENERAL, NoticeState, ObjectionState
from .models import MAX_DAYS, Notice, NoticeFile, NoticeObjection

MAX_FILES = 10


# --------------------------------------------------------------------------- periods


def period_end(starts_at: dt.datetime, days: int, unit: str) -> dt.datetime:
    """The end of a notice of ``days`` in ``unit`` starting at ``starts_at``. Working days
    raise ``ValidationError`` for a year whose official schedule is not known."""
    if unit == TimeUnit.CALENDAR_DAY:
        return starts_at + dt.timedelta(days=days)
    zone = ZoneInfo(settings.TIME_ZONE)
    local = starts_at.astimezone(zone)
    try:
        last = procedures.add_workdays(local.date(), days)
    except calendar.ScheduleUnknown as exc:
        raise ValidationError(
            _(
                "No official working-day schedule is known for %(year)s: the notice's end "
                "cannot be counted. An administrator adds the year first."
            )
            % {"year": exc.day.year}
        ) from exc
    return dt.datetime.combine(last, local.timetz().replace(tzinfo=None), tzinfo=zone)


def period_from_limit(key: str, village_code: str, *, default: tuple[int, str]) -> tuple[int, str]:
    """(days, unit) of the time limit ``key`` in force for the village's county today (e.g.
    ``homestead.group_notice``), else ``default``."""
    try:
        limit = procedures.limit_for(key, village_code, clock.today())
    except procedures.TimeLimitMissing:
        return default
    return limit.days, limit.unit


# --------------------------------------------------------------------------- posting


def _checked_files(files: Sequence[Any]) -> list[CheckedFile]:
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("At most %(n)s files.") % {"n": MAX_FILES}})
    return [check_upload(upload) for upload in files]


def check_public(*, title: str, body: str, group: str = "", names: Sequence[str] = ()) -> None:
    """Refuse what a notice may not show (``ValidationError`` naming the field)."""
    check_no_personal_data(
        {_("title"): title, _("text"): body, _("group"): group, _("attachment"): list(names)}
    )


@transaction.atomic
def post_notice(
    *,
    subject: models.Model | None = None,
    village: Division,
    title: str,
    body: str = "",
    days: int,
    unit: str = TimeUnit.CALENDAR_DAY,
    actor: Any,
    group: str = "",
    files: Sequence[Any] = (),
    starts_at: dt.datetime | None = None,
) -> Notice:
    """Post a public notice (see the module's docstring)."""
    if not allows(actor, "post", Notice(village=village)):
        raise PermissionDenied(_("You do not post public notices in this village."))
    if village.level != Level.VILLAGE:
        raise ValidationError(_("A public notice is posted in a village."))
    title, body, group = title.strip(), body.strip(), group.strip()
    if not title:
        raise ValidationError({"title": _("Give the notice a title.")})
    if len(title) > 200 or len(group) > 60:
        raise ValidationError(_("The title or the group's name is too long."))
    if unit not in TimeUnit.values:
        raise ValidationError({"unit": _("Choose working days or calendar days.")})
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": _("A notice lasts 1 to %(max)s days.") % {"max": MAX_DAYS}})
    checked = _checked_files(files)
    check_public(title=title, body=body, group=group, names=[c.name for c in checked])
    if subject is not None:
        handlers = registry.for_model(type(subject))
        if Notice.objects.of(subject).running().exists():
            raise ValidationError(_("This is in public notice already."))
        content_type = ContentType.objects.get_for_model(subject, for_concrete_model=True)
        object_id = subject.pk
    else:
        handlers, content_type, object_id = registry.GENERAL_HANDLERS, None, None
    start = starts_at or clock.now()
    notice = Notice.objects.create(
        village=village,
        group=group,
        kind=handlers.kind,
        title=title,
        body=body,
        content_type=content_type,
        object_id=object_id,
        starts_at=start,
        ends_at=period_end(start, days, unit),
        days=days,
        unit=unit,
        posted_by=actor if getattr(actor, "pk", None) else None,
    )
    for item in checked:
        attachment = NoticeFile(
            notice=notice,
            name=item.name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=notice.posted_by,
        )
        attachment.file.save(item.name, ContentFile(item.data), save=False)
        attachment.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=notice,
        changes={
            "title": [None, title],
            "starts_at": [None, notice.starts_at.isoformat()],
            "ends_at": [None, notice.ends_at.isoformat()],
            "days": [None, f"{days} {unit}"],
        },
        division_code=village.code,
    )
    fault_point("notices.notice.posted")  # the notice written, its subject not yet moved on
    _schedule_end(handlers, notice.ends_at)
    return notice


def _schedule_end(handlers: registry.Handlers, at: dt.datetime) -> None:
    def enqueue() -> None:
        if handlers.schedule_end is not None:
            handlers.schedule_end(at)
        else:
            from .jobs import end_due_notices_task

            enqueue_at(end_due_notices_task, at)

    transaction.on_commit(enqueue)


# --------------------------------------------------------------------------- objections


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk)


def _close(notice: Notice, state: str, outcome: str, at: dt.datetime) -> None:
    before = notice.state
    notice.state, notice.outcome, notice.closed_at = state, outcome[:500], at
    notice.save(update_fields=["state", "outcome", "closed_at"])
    record(
        actor=None,
        action=AuditAction.UPDATE,
        instance=notice,
        changes={"state": [before, state], "outcome": [None, notice.outcome]},
        division_code=notice.village_id,
    )


@transaction.atomic
def raise_objection(*, actor: Any, notice: Notice, reason: str) -> NoticeObjection:
    """异议 while the notice runs, by a villager of its village or an official of the area.
    With the subject's ``objection_reopens`` the notice closes and the matter goes back to
    the step that posted it (its ``on_objection`` hook)."""
    if not allows(actor, "object", notice):
        raise PermissionDenied(_("Only villagers of the village and officials may object."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you object.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Say it in at most 500 characters.")})
    notice = _locked(notice)
    now = clock.now()
    if notice.state != NoticeState.POSTED or now >= notice.ends_at:
        raise ValidationError(_("The notice is not running (any more)."))
    objection = NoticeObjection.objects.create(
        notice=notice, raised_by=actor, reason=reason, raised_at=now
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=objection,
        changes={"reason": [None, reason]},
        division_code=notice.village_id,
    )
    handlers = registry.for_notice(notice)
    if handlers.objection_reopens:
        _close(
            notice,
            NoticeState.ENDED,
            _("Objection raised: back to the step that posted it."),
            now,
        )
    if handlers.on_objection is not None:
        handlers.on_objection(notice, objection, actor)
    return objection


@transaction.atomic
def answer_objection(
    *, actor: Any, objection: NoticeObjection, upheld: bool, answer: str
) -> NoticeObjection:
    """The village answers an objection: upheld (the objector is right) or dismissed, with
    the reason; the subject's ``on_answer`` hook follows."""
    if not allows(actor, "change", objection):
        raise PermissionDenied(_("Only the village's officials answer objections."))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Give the reason for the answer.")})
    if len(answer) > 500:
        raise ValidationError({"answer": _("Say it in at most 500 characters.")})
    objection = (
        NoticeObjection.objects.select_for_update().select_related("notice").get(pk=objection.pk)
    )
    if objection.state != ObjectionState.OPEN:
        raise ValidationError(_("The objection is answered already."))
    _answer(objection, upheld=upheld, answer=answer, actor=actor, at=clock.now())
    handlers = registry.for_notice(objection.notice)
    if handlers.on_answer is not None:
        handlers.on_answer(objection.notice, objection, actor)
    return objection


def _answer(
    objection: NoticeObjection, *, upheld: bool, answer: str, actor: Any, at: dt.datetime
) -> None:
    objection.state = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
    objection.answer = answer[:500]
    objection.answered_by = actor if getattr(actor, "pk", None) else None
    objection.answered_at = at
    objection.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=objection,
        changes={"state": [ObjectionState.OPEN, objection.state], "answer": [None, answer]},
        division_code=objection.notice.village_id,
    )


def settle_objections(
    *, subject: models.Model, upheld: bool, answer: str, actor: Any, at: dt.datetime | None = None
) -> int:
    """Answer every open objection to notices of ``subject`` by the step's own new decision
    (no hook is called: the step is deciding). Run inside the step's transaction."""
    at = at or clock.now()
    rows = list(
        NoticeObjection.objects.select_for_update()
        .filter(notice__in=Notice.objects.of(subject), state=ObjectionState.OPEN)
        .select_related("notice")
    )
    for objection in rows:
        _answer(objection, upheld=upheld, answer=answer, actor=actor, at=at)
    return len(rows)


@transaction.atomic
def withdraw_notice(*, actor: Any, notice: Notice, reason: str) -> Notice:
    """Take a running notice down, with the reason; the subject's ``on_withdraw`` hook sends
    the matter back to the step that posted it."""
    if not allows(actor, "change", notice):
        raise PermissionDenied(_("Only the village's officials withdraw a notice."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the notice is withdrawn.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Say it in at most 500 characters.")})
    notice = _locked(notice)
    if notice.state != NoticeState.POSTED:
        raise ValidationError(_("The notice is not running (any more)."))
    _close(notice, NoticeState.WITHDRAWN, reason, clock.now())
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=notice,
        changes={"withdrawn": [None, reason]},
        division_code=notice.village_id,
    )
    handlers = registry.for_notice(notice)
    if handlers.on_withdraw is not None:
        handlers.on_withdraw(notice, actor)
    return notice


# --------------------------------------------------------------------------- the end


def end_due_notices(
    now: dt.datetime | None = None, *, model: type[models.Model] | None = None
) -> int:
    """Close every running notice whose period has passed (of ``model``'s subjects only, if
    given); those without open objection call their subject's ``on_end`` hook. Answer how
    many subjects moved on. Each notice in its own transaction; safe to run any time, any
    number of times (the worker runs it when notices end)."""
    now = now or clock.now()
    due = Notice.objects.filter(state=NoticeState.POSTED, ends_at__lte=now)
    if model is not None:
        due = due.filter(content_type=ContentType.objects.get_for_model(model))
    # by end, then subject: the order a village's points used to take effect in
    moved = 0
    for pk in due.order_by("ends_at", "object_id", "id").values_list("pk", flat=True):
        with transaction.atomic():
            notice = Notice.objects.select_for_update().filter(pk=pk).first()
            if notice is None or notice.state != NoticeState.POSTED or notice.ends_at > now:
                continue
            waiting = notice.objections.filter(state=ObjectionState.OPEN).exists()
            _close(
                notice,
                NoticeState.ENDED,
                _("Ended with objections awaiting an answer.")
                if waiting
                else _("Ended without objection."),
                notice.ends_at,
            )
            handlers = registry.for_notice(notice)
            if not waiting and handlers.on_end is not None and handlers.on_end(notice, now):
                moved += 1
    return moved


def kind_label(notice: Notice) -> Any:
    return registry.label_of(notice.kind or GENERAL)

"""Writing progress reports: draft, evidence, submit, approve, return.

Every function takes keyword arguments, runs in one transaction, checks the actor's right,
leaves an audit entry and puts the step on the task's timeline. Only :func:`approve_report`
moves the task's progress, through ``hemei.tasks.services.record_progress``.

Rules decided here:

- A report is written by someone who may report on the task (the Task policy's ``report``) and sees it;
  a task out of sight answers 404 (:func:`reportable_task`).
- A task that is done takes no more reports, and a task with subtasks takes its progress
  from them, so reports go to the subtasks.
- A percent lower than the task's current progress is allowed (a correction) but flagged:
  :func:`warnings_for` tells the author and the reviewer, and approval lowers the progress.
- Only the author edits and submits a draft or a returned report; only a reviewer
  (``review``: from above, or the county's administrators and leaders) approves or
  returns it, and never their own report. Returning needs a reason.
- Evidence: at most 20 files a report, 10 MB each, type read from the content
  (:mod:`hemei.core.evidence`). The same file twice on one report is refused; the same
  file (same SHA-256) already used on another report is kept but flagged ``duplicate_of``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import allows
from hemei.accounts.workflow import Transition, change_state
from hemei.core import clock
from hemei.tasks.choices import EventKind
from hemei.tasks.models import Milestone, Task
from hemei.tasks.services import check_not_duty

from .evidence import MAX_FILES_PER_REPORT, CheckedFile, thumbnail
from .models import Evidence, EvidenceKind, ProgressReport, ReportState, thumbnail_name
from .selectors import plain_percent, reportable_task, reviewers_of


def _timeline(task: Task, kind: str, *, actor: Any, text: str = "", **data: Any) -> None:
    from hemei.tasks.services import add_event

    add_event(task, kind, actor=actor, text=text, **data)


def _notify(recipients: Iterable[Any], *, kind: str, title: str, body: str, report: Any) -> None:
    from hemei.notifications.services import notify

    notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        url=reverse("progress:report_detail", args=[report.pk]),
        task=report.task,
    )


# Reading what a user may act on ---------------------------------------------------------


def submitted_line(report: ProgressReport) -> str:
    """The timeline's line for a submitted report."""
    return _("Reported %(percent)s%%: %(text)s") % {
        "percent": plain_percent(report.percent),
        "text": report.text[:200],
    }


def approved_line(report: ProgressReport) -> str:
    """The timeline's line for an approved report."""
    return _("Approved the report of %(percent)s%% by %(author)s") % {
        "percent": plain_percent(report.percent),
        "author": report.author,
    }


# Writing ---------------------------------------------------------------------------------


def check_task_takes_reports(task: Task) -> None:
    check_not_duty(task)
    if task.is_done:
        raise ValidationError(
            _("This task is done; it takes no more progress reports."), code="done"
        )
    if task.children.exists():
        raise ValidationError(
            _("This task takes its progress from its subtasks: report on the subtasks."),
            code="has_subtasks",
        )


def _clean_percent(percent: Any) -> Decimal:
    try:
        value = Decimal(str(percent))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"percent": _("Enter the progress as a number from 0 to 100.")}
        ) from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError({"percent": _("Enter the progress as a number from 0 to 100.")})
    return value.quantize(Decimal("0.01"))


def _clean_milestones(task: Task, milestones: Iterable[Milestone]) -> list[Milestone]:
    chosen = list(milestones)
    if any(m.task_id != task.pk for m in chosen):
        raise ValidationError({"milestones": _("A milestone of another task was chosen.")})
    return chosen


def _check_author(actor: Any, report: ProgressReport) -> None:
    if report.author_id != actor.pk:
        raise PermissionDenied(_("Only the author may change this report."))
    if not report.is_editable:
        raise ValidationError(
            _("A %(state)s report can no longer be changed.")
            % {"state": report.get_state_display()}
        )


def _attach(
    actor: Any, report: ProgressReport, files: Sequence[CheckedFile], saved: list[str]
) -> list[Evidence]:
    """Store the files as evidence of ``report``; ``saved`` collects stored names for cleanup."""
    if not files:
        return []
    present = list(report.evidence.values_list("sha256", flat=True))
    if len(present) + len(files) > MAX_FILES_PER_REPORT:
        raise ValidationError(
            _(
                "A report may carry at most %(limit)d files; it has %(count)d and %(more)d more were given."
            )
            % {"limit": MAX_FILES_PER_REPORT, "count": len(present), "more": len(files)},
            code="too_many",
        )
    seen = set(present)
    for checked in files:
        if checked.sha256 in seen:
            raise ValidationError(
                _("%(name)s is already attached to this report.") % {"name": checked.name},
                code="already_attached",
            )
        seen.add(checked.sha256)
    earlier = {}
    for row in (
        Evidence.objects.filter(sha256__in=[f.sha256 for f in files])
        .exclude(report_id=report.pk)
        .order_by("-id")
    ):
        earlier[row.sha256] = row  # ends with the oldest use of each file
    now = clock.now()
    made = []
    for checked in files:
        evidence = Evidence(
            report=report,
            original_name=checked.name,
            kind=checked.kind,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            taken_at=checked.taken_at,
            latitude=checked.latitude,
            longitude=checked.longitude,
            duplicate_of=earlier.get(checked.sha256),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            uploaded_at=now,
        )
        evidence.file.save(f"evidence{checked.suffix}", ContentFile(checked.data), save=False)
        saved.append(evidence.file.name)
        if checked.kind == EvidenceKind.PHOTO:
            name = evidence.file.storage.save(
                thumbnail_name(evidence.file.name), ContentFile(thumbnail(checked.data))
            )
            saved.append(name)
        evidence.save()
        made.append(evidence)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=report,
        changes={"evidence": [None, [e.original_name for e in made]]},
        division_code=report.task.division_id,
    )
    return made


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def create_report(
    *,
    actor: Any,
    task: Task,
    percent: Any,
    text: str,
    milestones: Iterable[Milestone] = (),
    files: Sequence[CheckedFile] = (),
    submit: bool = False,
) -> ProgressReport:
    """A new draft report on ``task`` with its evidence (submitted at once with ``submit``)."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            task = reportable_task(actor, task.pk)
            check_task_takes_reports(task)
            text = (text or "").strip()
            if not text:
                raise ValidationError({"text": _("Say what was done.")})
            report = ProgressReport(
                task=task,
                author=actor,
                percent=_clean_percent(percent),
                text=text,
            )
            report.full_clean()
            report.save()
            report.milestones.set(_clean_milestones(task, milestones))
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                instance=report,
                changes={"percent": [None, str(report.percent)]},
                division_code=task.division_id,
            )
            _attach(actor, report, files, saved)
            if submit:
                report = submit_report(actor=actor, report=report)
    except BaseException:
        _delete_files(saved)
        raise
    return report


def update_report(
    *,
    actor: Any,
    report: ProgressReport,
    percent: Any = None,
    text: str | None = None,
    milestones: Iterable[Milestone] | None = None,
    files: Sequence[CheckedFile] = (),
    remove: Iterable[Evidence] = (),
    submit: bool = False,
) -> ProgressReport:
    """Change a draft or returned report (its author only); add or remove evidence."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            report = ProgressReport.objects.select_for_update().get(pk=report.pk)
            reportable_task(actor, report.task_id)
            _check_author(actor, report)
            check_task_takes_reports(report.task)
            before = audit.snapshot(report)
            if percent is not None:
                report.percent = _clean_percent(percent)
            if text is not None:
                text = text.strip()
                if not text:
                    raise ValidationError({"text": _("Say what was done.")})
                report.text = text
            report.full_clean()
            report.save()
            if milestones is not None:
                report.milestones.set(_clean_milestones(report.task, milestones))
            changes = audit.diff(before, audit.snapshot(report))
            if changes:
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    instance=report,
                    changes=changes,
                    division_code=report.task.division_id,
                )
            for evidence in remove:
                if evidence.report_id != report.pk:
                    raise ValidationError(_("That file belongs to another report."))
                remove_evidence(actor=actor, evidence=evidence)
            _attach(actor, report, files, saved)
            if submit:
                report = submit_report(actor=actor, report=report)
    except BaseException:
        _delete_files(saved)
        raise
    return report


def attach_evidence(
    *, actor: Any, report: ProgressReport, files: Sequence[CheckedFile]
) -> list[Evidence]:
    """Add evidence to a draft or returned report (its author only)."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            report = ProgressReport.objects.select_for_update().get(pk=report.pk)
            reportable_task(actor, report.task_id)
            _check_author(actor, report)
            return _attach(actor, report, files, saved)
    except BaseException:
        _delete_files(saved)
        raise


@transaction.atomic
def remove_evidence(*, actor: Any, evidence: Evidence) -> None:
    """Take a file off a draft or returned report (its author only)."""
    report = evidence.report
    _check_author(actor, report)
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=evidence,
        changes={"report": [str(report.pk), None]},
        division_code=report.task.division_id,
    )
    evidence.delete()  # the stored file goes after the commit (models._delete_stored_file)


SUBMIT = Transition(
    "submit", frozenset({ReportState.DRAFT, ReportState.RETURNED}), ReportState.SUBMITTED
)
APPROVE = Transition("approve", frozenset({ReportState.SUBMITTED}), ReportState.APPROVED)
RETURN = Transition("return", frozenset({ReportState.SUBMITTED}), ReportState.RETURNED)


def submit_report(*, actor: Any, report: ProgressReport) -> ProgressReport:
    """Draft or returned → submitted; the reviewers are told."""

    def guard(row: ProgressReport) -> None:
        row.checked_task = reportable_task(actor, row.task_id)  # type: ignore[attr-defined]
        _check_author(actor, row)
        check_task_takes_reports(row.checked_task)  # type: ignore[attr-defined]

    def timeline(row: ProgressReport, before: str) -> None:
        _timeline(
            row.task,
            EventKind.REPORT_SUBMITTED,
            actor=actor,
            text=submitted_line(row),
            report=row.pk,
            percent=str(row.percent),
            evidence=row.evidence.count(),
            resubmitted=before == ReportState.RETURNED,
        )

    def tell_reviewers(row: ProgressReport, before: str) -> None:
        _notify(
            [u for u in reviewers_of(row.task) if u.pk != actor.pk],
            kind="report_submitted",
            title=_("Progress report to review: %(task)s") % {"task": row.task.title},
            body=_("%(author)s reports %(percent)s%%.")
            % {"author": actor, "percent": plain_percent(row.percent)},
            report=row,
        )

    return change_state(
        report,
        SUBMIT,
        actor=actor,
        division_code=lambda row: row.task.division_id,
        guard=guard,
        values={"submitted_at": clock.now(), "decided_at": None, "decided_by": None},
        effects=[timeline, tell_reviewers],
        queryset=ProgressReport.objects.select_related("task"),
    )


def _check_reviewer(actor: Any, report: ProgressReport) -> Task:
    try:
        task = Task.objects.visible_to(actor).select_related("division").get(pk=report.task_id)
    except Task.DoesNotExist:
        raise Http404(_("No such report.")) from None
    if not allows(actor, "review", task):
        raise PermissionDenied(_("You may not review reports on this task."))
    if report.author_id == actor.pk:
        raise PermissionDenied(_("You may not review your own report."))
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be reviewed; this one is %(state)s.")
            % {"state": report.get_state_display()}
        )
    return task


def approve_report(*, actor: Any, report: ProgressReport) -> ProgressReport:
    """Submitted → approved; the task's progress and milestones move, the author is told."""
    from hemei.tasks.services import record_progress

    def guard(row: ProgressReport) -> None:
        task = _check_reviewer(actor, row)
        check_task_takes_reports(task)  # done or split up since: return the report instead

    def timeline(row: ProgressReport, before: str) -> None:
        _timeline(
            row.task,
            EventKind.REPORT_APPROVED,
            actor=actor,
            text=approved_line(row),
            report=row.pk,
            percent=str(row.percent),
        )
        record_progress(
            task=row.task,
            percent=row.percent,
            milestones=list(row.milestones.all()),
            actor=actor,
            text=row.text[:500],
        )

    def tell_author(row: ProgressReport, before: str) -> None:
        _notify(
            [row.author],
            kind="report_approved",
            title=_("Report approved: %(task)s") % {"task": row.task.title},
            body=_("Your report of %(percent)s%% was approved by %(reviewer)s.")
            % {"percent": plain_percent(row.percent), "reviewer": actor},
            report=row,
        )

    return change_state(
        report,
        APPROVE,
        actor=actor,
        division_code=lambda row: row.task.division_id,
        guard=guard,
        values={"decided_at": clock.now(), "decided_by": actor, "return_reason": ""},
        effects=[timeline, tell_author],
        queryset=ProgressReport.objects.select_related("task", "task__division", "author"),
    )


def return_report(*, actor: Any, report: ProgressReport, reason: str) -> ProgressReport:
    """Submitted → returned (退回) with a reason; the author edits and submits again."""
    reason = (reason or "").strip()

    def guard(row: ProgressReport) -> None:
        _check_reviewer(actor, row)
        if not reason:
            raise ValidationError({"reason": _("Say why the report goes back.")})

    def timeline(row: ProgressReport, before: str) -> None:
        _timeline(
            row.task,
            EventKind.REPORT_RETURNED,
            actor=actor,
            text=reason,
            report=row.pk,
            percent=str(row.percent),
        )

    def tell_author(row: ProgressReport, before: str) -> None:
        _notify(
            [row.author],
            kind="report_returned",
            title=_("Report returned: %(task)s") % {"task": row.task.title},
            body=reason,
            report=row,
        )

    return change_state(
        report,
        RETURN,
        actor=actor,
        division_code=lambda row: row.task.division_id,
        guard=guard,
        values={"decided_at": clock.now(), "decided_by": actor, "return_reason": reason},
        audit_notes={"reason": [None, reason]},
        effects=[timeline, tell_author],
        queryset=ProgressReport.objects.select_related("task", "task__division", "author"),
    )

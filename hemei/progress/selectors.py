"""Reads of progress reports shared by the pages, the API and the services."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from hemei.accounts.choices import Role
from hemei.accounts.models import User
from hemei.accounts.policy import allows
from hemei.accounts.roles import SAME_LEVEL_REVIEW_ROLES, TASK_MANAGE_ROLES
from hemei.tasks.models import Task

from .models import Evidence, ProgressReport, ReportState


def plain_percent(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def reportable_task(user: Any, pk: int) -> Task:
    """The task if the user sees it (else 404) and may report on it (else 403)."""
    try:
        task = Task.objects.visible_to(user).select_related("division").get(pk=pk)
    except Task.DoesNotExist:
        raise Http404(_("No such task.")) from None
    if not allows(user, "report", task):
        raise PermissionDenied(_("You may not report progress on this task."))
    return task


def visible_reports(user: Any) -> Any:
    """Reports on tasks the user sees; a draft only to its author."""
    return ProgressReport.objects.visible_to(user).exclude(
        Q(state=ReportState.DRAFT) & ~Q(author_id=user.pk)
    )


def reviewable_reports(user: Any) -> Any:
    """Reports the user may review (the Task policy's ``review``)."""
    reports = visible_reports(user).filter(task__in=Task.objects.restrict(user, "review"))
    return reports.exclude(author_id=user.pk)


def reviewers_of(task: Task) -> list[User]:
    """Whom to tell that a report waits: the managers of the nearest level above the task
    (the town for a village's task, the county for a town's), the county's administrators
    and leaders for a task at their own level, the lead leader, and the staff of the lead
    unit. Everyone else who may review finds it in the review queue."""
    from hemei.accounts.models import RoleAssignment

    above = task.division.ancestor_codes()
    condition = Q(division_id__in=above, role__in=TASK_MANAGE_ROLES - {Role.DEPARTMENT})
    condition |= Q(division_id=task.division_id, role__in=SAME_LEVEL_REVIEW_ROLES)
    if task.lead_unit_id:
        condition |= Q(
            division_id__in=[*above, task.division_id],
            role=Role.DEPARTMENT,
            unit_id=task.lead_unit_id,
        )
    rows = list(
        RoleAssignment.objects.filter(condition).values_list("user_id", "division_id", "role")
    )
    managers = [(code, user) for user, code, role in rows if role != Role.DEPARTMENT]
    nearest = max((code for code, _user in managers), key=len, default=None)
    ids = {user for code, user in managers if code == nearest}
    ids |= {user for user, _code, role in rows if role == Role.DEPARTMENT}
    if task.lead_leader_id:
        ids.add(task.lead_leader_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def warnings_for(report: ProgressReport, evidence: Iterable[Evidence] | None = None) -> list[str]:
    """What the author and the reviewer should know before going on: a lower percent than
    the task has, and photos whose camera time lies before the task's start."""
    notes = []
    task = report.task
    if evidence is not None and task.start_on:
        early = [e for e in evidence if e.taken_at and e.taken_at.date() < task.start_on]
        if early:
            notes.append(
                _("%(count)d photo(s) were taken before the task started (%(start)s): %(names)s")
                % {
                    "count": len(early),
                    "start": task.start_on.isoformat(),
                    "names": "、".join(e.original_name for e in early),
                }
            )
    pending = report.state in (ReportState.DRAFT, ReportState.RETURNED, ReportState.SUBMITTED)
    if pending and report.percent < task.progress:
        notes.append(
            _(
                "%(percent)s%% is lower than the task's current progress of %(current)s%%: "
                "approving it lowers the progress."
            )
            % {"percent": plain_percent(report.percent), "current": plain_percent(task.progress)}
        )
    return notes

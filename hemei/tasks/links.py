"""Small writes the task pages need beside the task services: leaders' contact points
(三包三联), the county's light policy, and program tags typed in a task form.

Same rules as the services: keyword arguments, one transaction, the actor's right checked,
an audit entry for every change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction, Role
from hemei.accounts.policy import allows_at
from hemei.divisions.models import Division, subtree_q

from . import services
from .choices import EventKind, LinkKind
from .models import LeaderLink, LightPolicy, Program, Task


def _check_administers(actor: Any, code: str) -> None:
    if not allows_at(actor, "administer", code):
        raise PermissionDenied(_("You do not administer %(division)s.") % {"division": code})


@transaction.atomic
def create_leader_link(
    *, actor: Any, leader: Any, kind: str, division: Division, task: Task | None = None
) -> LeaderLink:
    """Link a leader to a town, a village or a key task (the task's division is kept too)."""
    _check_administers(actor, division.code)
    if not leader.role_assignments.filter(role=Role.LEADER).exists():
        raise ValidationError(_("Only a leader can have contact points."))
    if (kind == LinkKind.TASK) != (task is not None):
        raise ValidationError(_("A task link names a task; a town or village link does not."))
    if task is not None and task.division_id != division.code:
        raise ValidationError(_("The link's division must be the task's division."))
    if LeaderLink.objects.filter(leader=leader, kind=kind, division=division, task=task).exists():
        raise ValidationError(_("This contact point is already there."))
    link = LeaderLink.objects.create(leader=leader, kind=kind, division=division, task=task)
    audit.record(actor=actor, action=AuditAction.CREATE, instance=link, division_code=division.code)
    if task is not None:
        services.add_event(
            task,
            EventKind.NOTE,
            actor=actor,
            text=_("%(leader)s answers for this task (contact point).") % {"leader": leader},
        )
    return link


@transaction.atomic
def delete_leader_link(*, actor: Any, link: LeaderLink) -> None:
    _check_administers(actor, link.division_id)
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=link,
        changes={"leader": [str(link.leader_id), None], "kind": [link.kind, None]},
        division_code=link.division_id,
    )
    link.delete()


@transaction.atomic
def set_light_policy(
    *, actor: Any, division: Division, yellow_days: int, lag_points: int
) -> LightPolicy:
    """Save the division's light policy, then recompute the lights of its open tasks."""
    _check_administers(actor, division.code)
    policy, created = LightPolicy.objects.get_or_create(division=division)
    before = audit.snapshot(policy)
    policy.yellow_days, policy.lag_points = yellow_days, lag_points
    policy.full_clean()
    policy.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=policy,
        changes=audit.diff(before, audit.snapshot(policy)),
        division_code=division.code,
    )
    services.refresh_lights(Task.objects.open().filter(subtree_q([division.code], "division")))
    return policy


@transaction.atomic
def programs_named(*, actor: Any, names: Iterable[str], division: Division) -> list[Program]:
    """The programs of these names, creating the ones that do not exist yet."""
    found = []
    for name in dict.fromkeys(n.strip()[:100] for n in names if n.strip()):
        program = Program.objects.filter(name=name).first()
        if program is None:
            if not allows_at(actor, "manage_tasks", division.code):
                raise PermissionDenied(_("You may not add programs."))
            program = Program.objects.create(name=name)
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                instance=program,
                division_code=division.code,
            )
        found.append(program)
    return found

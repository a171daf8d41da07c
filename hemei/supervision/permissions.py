"""Who may act in supervision, beyond seeing the task (seeing is scope: ``visible_to``).

- supervise (issue an order by hand, close or send back an answer): the task managers of
  ``hemei.tasks.permissions.can_manage`` over the task's division, except the people being
  supervised: a town official may supervise the villages' tasks of the town but not the
  town's own tasks, department staff not the tasks their own unit leads, and nobody the
  task they are responsible for;
- answer an order and request an extension: whoever may report on the task
  (``can_report``: its responsible person and the officials over its division);
- decide an extension: the task's lead leader only; when the task has no lead leader, a
  county administrator over it (or a system administrator).
"""

from __future__ import annotations

from typing import Any

from hemei.accounts.choices import ADMIN_ROLES, Role
from hemei.accounts.scope import covers, grants
from hemei.tasks.permissions import MANAGE_ROLES, can_report


def can_supervise(user: Any, task: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if task.responsible_id and task.responsible_id == user.pk:
        return False
    code = task.division_id
    for grant in grants(user):
        if grant.role not in MANAGE_ROLES or not code.startswith(grant.division_id):
            continue
        if grant.role == Role.TOWN_OFFICIAL and grant.division_id == code:
            continue
        if grant.role == Role.DEPARTMENT and grant.unit_id and grant.unit_id == task.lead_unit_id:
            continue
        return True
    return False


def can_answer(user: Any, task: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and can_report(user, task))


def can_decide_extension(user: Any, task: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if task.lead_leader_id:
        return task.lead_leader_id == user.pk
    return bool(user.is_superuser or covers(user, task.division_id, ADMIN_ROLES))


def can_configure_ladder(user: Any, county_code: str) -> bool:
    return bool(user.is_superuser or covers(user, county_code, ADMIN_ROLES))

"""Who may do what with a task, beyond seeing it (seeing is scope: ``visible_to``).

- manage (create, edit, fan out, issue supervision orders): county administrators, leaders
  and department staff over the task's division, and town officials inside their town;
- report progress: anyone whose grant covers the task's division (village officials and
  department staff included), and the task's responsible person;
- review (approve or return reports): a manager whose grant lies *above* the task's division
  (the county reviews a town's part), or a county administrator or leader at its own level.
"""

from __future__ import annotations

from typing import Any

from hemei.accounts.choices import Role
from hemei.accounts.scope import grants

MANAGE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.LEADER, Role.DEPARTMENT, Role.TOWN_OFFICIAL})
REPORT_ROLES = MANAGE_ROLES | {Role.VILLAGE_OFFICIAL}
SAME_LEVEL_REVIEW_ROLES = frozenset({Role.COUNTY_ADMIN, Role.LEADER})


def _grants_over(user: Any, code: str, roles: frozenset[str]) -> list[Any]:
    return [g for g in grants(user) if g.role in roles and code.startswith(g.division_id)]


def can_manage(user: Any, division_code: str) -> bool:
    if user.is_superuser:
        return True
    return bool(_grants_over(user, division_code, MANAGE_ROLES))


def can_report(user: Any, task: Any) -> bool:
    if user.is_superuser or (task.responsible_id and task.responsible_id == user.pk):
        return True
    return bool(_grants_over(user, task.division_id, REPORT_ROLES))


def can_review(user: Any, task: Any) -> bool:
    if user.is_superuser:
        return True
    for grant in _grants_over(user, task.division_id, MANAGE_ROLES):
        if len(grant.division_id) < len(task.division_id):
            return True
        if grant.role in SAME_LEVEL_REVIEW_ROLES:
            return True
    return bool(task.lead_leader_id and task.lead_leader_id == user.pk)

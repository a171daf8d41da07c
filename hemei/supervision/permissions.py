"""Who may act in supervision, beyond seeing the task (seeing is scope: ``visible_to``).

- supervise (issue an order by hand, close or send back an answer): the task managers of
  ``hemei.tasks.permissions.can_manage`` over the task's division, except the people being
  supervised: a town official may supervise the villages' tasks of the town but not the
  town's own tasks, department staff not the tasks their own unit leads, and nobody the
  task they are responsible for;
- answer an order and request an extension: the supervised side, i.e. whoever may report on
  the task (``can_report``: its responsible person and the officials over its division)
  and may not supervise it (a county leader does not answer the county's own order);
- open the supervision pages at all: officials (any role but villager);
- decide an extension: the task's lead leader only; when the task has no lead leader, a
  county administrator over it (or a system administrator).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from hemei.accounts.choices import ADMIN_ROLES, Role
from hemei.accounts.permissions import role_required
from hemei.accounts.scope import covers, grants
from hemei.tasks.permissions import MANAGE_ROLES, can_report


def is_official(user: Any) -> bool:
    """Supervision is internal work: every role but villager (superusers included)."""
    return bool(user.is_superuser or any(g.role != Role.VILLAGER for g in grants(user)))


def official_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page), holding a role (else 403) other than villager (403)."""

    @wraps(view)
    @role_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_official(request.user):
            raise PermissionDenied(_("Supervision is open to officials only."))
        return view(request, *args, **kwargs)

    return wrapped


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
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return can_report(user, task) and not can_supervise(user, task)


def can_decide_extension(user: Any, task: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if task.lead_leader_id:
        return task.lead_leader_id == user.pk
    return bool(user.is_superuser or covers(user, task.division_id, ADMIN_ROLES))


def can_configure_ladder(user: Any, county_code: str) -> bool:
    return bool(user.is_superuser or covers(user, county_code, ADMIN_ROLES))

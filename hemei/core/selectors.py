"""Reads for the home page: what each role sees first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hemei.accounts.choices import ADMIN_ROLES, Role
from hemei.accounts.models import User
from hemei.accounts.scope import grants
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.divisions.selectors import roots_for
from hemei.units.models import Unit


@dataclass
class HomeSummary:
    """The cards of a user's home page."""

    grants: list[Any]
    is_admin: bool
    roots: list[Division] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    villages: list[Division] = field(default_factory=list)
    villages_total: int = 0
    roles: set[str] = field(default_factory=set)
    lights: dict[str, int] = field(default_factory=dict)
    due_soon: list[Any] = field(default_factory=list)


def home_summary(user: User) -> HomeSummary:
    held = grants(user)
    roles = {grant.role for grant in held}
    summary = HomeSummary(
        grants=held,
        is_admin=user.is_superuser or bool(roles & ADMIN_ROLES),
        roles=roles,
    )
    summary.roots = list(roots_for(user))
    visible = Division.objects.current().visible_to(user)
    summary.counts = {
        "towns": visible.filter(level=Level.TOWN).count(),
        "villages": visible.filter(level=Level.VILLAGE).count(),
    }
    if summary.is_admin:
        summary.counts["units"] = Unit.objects.visible_to(user).count()
        summary.counts["users"] = User.objects.visible_to(user).count()
    if roles - {Role.VILLAGER} or user.is_superuser:
        summary.lights, summary.due_soon = _work(user)
    if roles & {Role.TOWN_OFFICIAL, Role.VILLAGE_OFFICIAL, Role.VILLAGER}:
        villages = visible.filter(level=Level.VILLAGE)
        summary.villages_total = villages.count()
        summary.villages = list(villages[:12])
    return summary


def _work(user: User) -> tuple[dict[str, int], list[Any]]:
    """Open tasks in the user's area by light, and the ten nearest deadlines."""
    from django.db.models import Count

    from hemei.tasks.models import Task

    open_tasks = Task.objects.visible_to(user).open()
    lights = dict(open_tasks.values_list("light").annotate(n=Count("id")).order_by())
    lights = {light: lights.get(light, 0) for light in ("red", "yellow", "green")}
    due_soon = list(open_tasks.select_related("division").order_by("due_on", "id")[:10])
    return lights, due_soon

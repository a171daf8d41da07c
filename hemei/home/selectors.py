"""Reads for the home page: what each role sees first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from hemei.accounts.choices import Role
from hemei.accounts.models import User
from hemei.accounts.policy import Who, allows, grants, is_admin, places
from hemei.accounts.roles import WORK_ROLES
from hemei.board.selectors import boards_of
from hemei.core.lists import cached_rows
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.tasks.models import Task
from hemei.tasks.selectors import sees_several_counties
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
    #: a village official's villages and whether each one's public board is on
    boards: list[tuple[Division, bool]] = field(default_factory=list)


def home_summary(user: User) -> HomeSummary:
    held = grants(user)
    roles = {grant.role for grant in held}
    summary = HomeSummary(
        grants=held,
        is_admin=is_admin(user),
        roles=roles,
    )
    summary.roots = list(roots_for(user))
    visible = places(user, "view").current()
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
    if Role.VILLAGE_OFFICIAL in roles:
        summary.boards = boards_of(
            [grant.division for grant in held if grant.role == Role.VILLAGE_OFFICIAL]
        )
    return summary


def _work(user: User) -> tuple[dict[str, int], list[Any]]:
    """Open tasks in the user's area by light, and the ten nearest deadlines."""
    open_tasks = Task.objects.visible_to(user).open()
    counted = open_tasks.values_list("light").annotate(n=Count("id")).order_by()
    # A city's or the province's open tasks are tens of thousands: counted once a minute.
    lights = dict(cached_rows(counted) if sees_several_counties(user) else counted)
    lights = {light: lights.get(light, 0) for light in ("red", "yellow", "green")}
    due_soon = list(open_tasks.select_related("division").order_by("due_on", "id")[:10])
    return lights, due_soon


def roots_for(user: Any) -> QuerySet[Division]:
    """The divisions at the top of the user's scope (the provinces for a superuser)."""
    who = Who(user)
    if who.everything:
        return Division.objects.filter(parent__isnull=True)
    return Division.objects.filter(code__in=who.prefixes(WORK_ROLES))


def visible_ancestors(user: Any, division: Division) -> list[Division]:
    """The breadcrumb: ancestors the user may open, from the top down."""
    return [ancestor for ancestor in division.ancestors() if allows(user, "view", ancestor)]

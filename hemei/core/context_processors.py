from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the site chrome needs: which parts of the menu the user's roles open.

    Reads the user's grants, which are cached on the user for the request (no extra query
    once a view has checked them).
    """
    from hemei.accounts.choices import Role
    from hemei.accounts.permissions import is_admin
    from hemei.accounts.scope import grants

    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_is_admin": False, "nav_work": False, "nav_village": False}
    from hemei.tasks.permissions import MANAGE_ROLES

    roles = {grant.role for grant in grants(user)}
    everything = user.is_superuser
    return {
        "nav_is_admin": is_admin(user),
        # the work loop: everyone but villagers
        "nav_work": everything or bool(roles - {Role.VILLAGER}),
        # reviewing reports: those who approve the level below them
        "nav_review": everything or bool(roles & MANAGE_ROLES),
        # reporting: those who do the work in a town or village, or for a unit
        "nav_report": bool(roles & {Role.TOWN_OFFICIAL, Role.VILLAGE_OFFICIAL, Role.DEPARTMENT}),
        # village affairs (households, points): village, town and county people
        "nav_village": everything
        or bool(roles & {Role.COUNTY_ADMIN, Role.TOWN_OFFICIAL, Role.VILLAGE_OFFICIAL}),
        "nav_villager": Role.VILLAGER in roles,
    }

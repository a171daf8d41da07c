"""Who may do what with a village's points, beyond the plain division scope.

Villagers hold a role on their village too, so a plain ``visible_to`` would show them the
whole village: official pages scope by :data:`OFFICIAL_ROLES` instead, and a villager reaches
only their own household (through the household register) and what the village publishes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hemei.accounts.choices import Role
from hemei.accounts.scope import covers, grants, scope_filter
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from .choices import OFFICIAL_ROLES, TEMPLATE_ROLES, VILLAGE_ROLES


def is_official(user: Any) -> bool:
    return bool(user.is_superuser or any(g.role in OFFICIAL_ROLES for g in grants(user)))


def is_villager(user: Any) -> bool:
    return any(g.role == Role.VILLAGER for g in grants(user))


def runs_village(user: Any, code: str) -> bool:
    """Records, assesses, reviews, redeems and settles for the village."""
    return covers(user, code, VILLAGE_ROLES)


def reads_village(user: Any, code: str) -> bool:
    return covers(user, code, OFFICIAL_ROLES)


def lives_in(user: Any, code: str) -> bool:
    """A villager account of the village (may see its notices and object)."""
    return any(g.role == Role.VILLAGER and g.division_id == code for g in grants(user))


def check_runs_village(user: Any, code: str) -> None:
    if not runs_village(user, code):
        raise PermissionDenied(_("You do not run the points of this village."))


def check_publishes_templates(user: Any, code: str) -> None:
    if not covers(user, code, TEMPLATE_ROLES):
        raise PermissionDenied(_("Only a town or county may publish rule templates here."))


def official_villages(user: Any) -> Any:
    """Villages whose points the user may read as an official."""
    return Division.objects.filter(scope_filter(user, "code", OFFICIAL_ROLES), level=Level.VILLAGE)


def official_divisions(user: Any) -> Any:
    return Division.objects.filter(scope_filter(user, "code", OFFICIAL_ROLES))

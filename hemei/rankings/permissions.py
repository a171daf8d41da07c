"""Who may see and compute which ranking.

Rankings are published to the whole area ranked: the ranking of a county's towns is seen by
everyone with a role in that county (county offices, every town, every village), and the
ranking of a town's villages by everyone with a role in that town and by the county above
it. So a user sees the ranking of scope S when S lies inside their scope (a county official
sees every town's villages ranking) or their grant lies inside S (a town official sees the
county's towns ranking). Another town's villages ranking is outside: 404.

Computing a ranking and issuing its circular (which takes a document number) is for the
county administrators over the scope, and for a town official on their own town's villages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from hemei.accounts.choices import ADMIN_ROLES, Role
from hemei.accounts.scope import grants, scope_filter

#: Scopes a ranking can have: a county (its towns are ranked) or a town (its villages).
SCOPE_LENGTHS = (6, 9)


def published_to(user: Any) -> Q:
    """Runs (by their ``scope``) the user may see: see the module docstring."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    above = {
        grant.division_id[:length]
        for grant in grants(user)
        for length in SCOPE_LENGTHS
        if length <= len(grant.division_id)
    }
    return scope_filter(user, "scope") | Q(scope_id__in=sorted(above))


def can_view(user: Any, scope_code: str) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(
        scope_code.startswith(grant.division_id) or grant.division_id.startswith(scope_code)
        for grant in grants(user)
    )


def can_compute(user: Any, scope_code: str) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    for grant in grants(user):
        if grant.role in ADMIN_ROLES and scope_code.startswith(grant.division_id):
            return True
        if grant.role == Role.TOWN_OFFICIAL and grant.division_id == scope_code:
            return True
    return False


def can_configure(user: Any, county_code: str) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(
        grant.role in ADMIN_ROLES and county_code.startswith(grant.division_id)
        for grant in grants(user)
    )

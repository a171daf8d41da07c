"""Scope in one place: what part of the division tree a user may see.

A user holds role assignments on divisions; each grant covers the division's whole subtree
(the code is a materialized path, so "inside" is a prefix test). Every query that returns
data goes through :func:`scope_filter`, usually as ``Model.objects.visible_to(user)``, and an
object outside the scope is answered exactly like a missing one (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models
from django.db.models import Q

from hemei.divisions.models import subtree_q

if TYPE_CHECKING:
    from .models import RoleAssignment

M = TypeVar("M", bound=models.Model)


def grants(user: Any) -> list[RoleAssignment]:
    """The user's role assignments, read once per user object."""
    cached = getattr(user, "_hemei_grants", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False):
            cached = []
        else:
            from .models import RoleAssignment

            cached = list(
                RoleAssignment.objects.filter(user=user).select_related("division", "unit")
            )
        user._hemei_grants = cached
    return cached


def forget_grants(user: Any) -> None:
    """Drop the cached assignments after they change."""
    user.__dict__.pop("_hemei_grants", None)


def scope_prefixes(user: Any, roles: frozenset[str] | None = None) -> list[str] | None:
    """Division codes whose subtrees the user may see; ``None`` means everything.

    With ``roles``, only the grants of those roles count (e.g. where the user may administer).
    Nested grants are folded into the outermost one.
    """
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    codes = sorted(
        {grant.division_id for grant in grants(user) if roles is None or grant.role in roles}
    )
    outermost: list[str] = []
    for code in codes:
        if not any(code.startswith(outer) for outer in outermost):
            outermost.append(code)
    return outermost


def scope_filter(user: Any, field: str, roles: frozenset[str] | None = None) -> Q:
    """A filter on ``field`` (a division code or a foreign key to a division)."""
    prefixes = scope_prefixes(user, roles)
    if prefixes is None:
        return Q()
    return subtree_q(prefixes, field)


def covers(user: Any, code: str, roles: frozenset[str] | None = None) -> bool:
    """Whether the division ``code`` lies inside the user's scope."""
    prefixes = scope_prefixes(user, roles)
    return prefixes is None or any(code.startswith(prefix) for prefix in prefixes)


class ScopedQuerySet(models.QuerySet[M], Generic[M]):
    """A queryset whose rows belong to a division named by :attr:`scope_field`."""

    scope_field = "division"
    #: Only grants of these roles open the rows (``None``: any role).
    scope_roles: frozenset[str] | None = None

    def visible_to(self, user: Any) -> ScopedQuerySet[M]:
        return self.filter(scope_filter(user, self.scope_field, self.scope_roles))

    def administered_by(self, user: Any) -> ScopedQuerySet[M]:
        from .choices import ADMIN_ROLES

        return self.filter(scope_filter(user, self.scope_field, ADMIN_ROLES))

"""Who may do what, beyond scope: role checks used by views and services."""

from __future__ import annotations

from typing import Any

from .choices import ADMIN_ROLES
from .scope import covers, grants


def has_role(user: Any) -> bool:
    """Whether the user holds any role (superusers count as holding all)."""
    return bool(user.is_superuser or grants(user))


def is_admin(user: Any) -> bool:
    """Whether the user administers some part of the tree."""
    return bool(user.is_superuser or any(grant.role in ADMIN_ROLES for grant in grants(user)))


def administers(user: Any, division_code: str) -> bool:
    """Whether the user may manage units and accounts at ``division_code``."""
    return covers(user, division_code, ADMIN_ROLES)

"""Who may do what, beyond scope: role checks used by views and services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

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


def role_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else to the login page) and holding some role (else 403)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_role(request.user):
            raise PermissionDenied(_("Your account holds no role yet; ask your administrator."))
        return view(request, *args, **kwargs)

    return wrapped


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, holding a role, and administering some part of the tree (else 403)."""

    @wraps(view)
    @role_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_admin(request.user):
            raise PermissionDenied(_("Only administrators may open this page."))
        return view(request, *args, **kwargs)

    return wrapped


def check_administers(actor: Any, division: Any) -> None:
    """Raise 403 unless ``actor`` administers ``division`` (a system admin for no division)."""
    if division is None:
        if not actor.is_superuser:
            raise PermissionDenied(
                _("Only a system administrator may manage accounts without a division.")
            )
        return
    if not administers(actor, division.code):
        raise PermissionDenied(_("You do not administer %(division)s.") % {"division": division})

"""Who may read and change the household register, and who may see protected values.

* Read (masked): county administrators, leaders, town officials and village officials, each
  within their subtree. Villagers and department staff do not browse the register (a villager
  sees their own household through :func:`.selectors.household_of`).
* Write, and see an ID number or phone in full: the village officials of that village, the
  town officials of its town and the county administrators above it. Each full showing is an
  explicit action and is logged (:class:`.models.SensitiveView`).
* The log of full showings: administrators (county admins) of the subtree.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from hemei.accounts.choices import Role
from hemei.accounts.scope import covers, scope_filter, scope_prefixes

READ_ROLES = frozenset({Role.COUNTY_ADMIN, Role.LEADER, Role.TOWN_OFFICIAL, Role.VILLAGE_OFFICIAL})
WRITE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWN_OFFICIAL, Role.VILLAGE_OFFICIAL})
FULL_VIEW_ROLES = WRITE_ROLES


def can_read_register(user: Any) -> bool:
    prefixes = scope_prefixes(user, READ_ROLES)
    return prefixes is None or bool(prefixes)


def can_write_anywhere(user: Any) -> bool:
    prefixes = scope_prefixes(user, WRITE_ROLES)
    return prefixes is None or bool(prefixes)


def can_write(user: Any, village_code: str) -> bool:
    return covers(user, village_code, WRITE_ROLES)


def can_see_full(user: Any, village_code: str) -> bool:
    return covers(user, village_code, FULL_VIEW_ROLES)


def readable(queryset: Any, user: Any, field: str = "village") -> Any:
    """Rows of the register the user may read (the outside answers 404)."""
    return queryset.filter(scope_filter(user, field, READ_ROLES))


def writable(queryset: Any, user: Any, field: str = "village") -> Any:
    return queryset.filter(scope_filter(user, field, WRITE_ROLES))


def check_write(user: Any, village_code: str) -> None:
    if not can_write(user, village_code):
        raise PermissionDenied(_("You may not change the household register of this village."))


def register_reader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else to the login page) and holding a role that reads the register."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_read_register(request.user):
            raise PermissionDenied(_("Your role does not give access to the household register."))
        return view(request, *args, **kwargs)

    return wrapped

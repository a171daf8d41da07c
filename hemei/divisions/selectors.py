"""Reads of the division tree shared by pages and exports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hemei.accounts.scope import covers, scope_prefixes

from .models import Division


def roots_for(user: Any) -> QuerySet[Division]:
    """The divisions at the top of the user's scope (the provinces for a superuser)."""
    prefixes = scope_prefixes(user)
    if prefixes is None:
        return Division.objects.filter(parent__isnull=True)
    return Division.objects.filter(code__in=prefixes)


def visible_ancestors(user: Any, division: Division) -> list[Division]:
    """The breadcrumb: ancestors the user may open, from the top down."""
    return [ancestor for ancestor in division.ancestors() if covers(user, ancestor.code)]


def filter_divisions(
    queryset: QuerySet[Division], *, q: str = "", level: str = "", state: str = ""
) -> QuerySet[Division]:
    """Apply the list filters: text (name or code prefix), level, and current/closed."""
    queryset = queryset.search(q)  # type: ignore[attr-defined]
    if level.isdigit():
        queryset = queryset.filter(level=int(level))
    if state == "closed":
        queryset = queryset.filter(valid_to__isnull=False)
    elif state != "all":
        queryset = queryset.filter(valid_to__isnull=True)
    return queryset

"""Reads of the division tree shared by pages and exports."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Division


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

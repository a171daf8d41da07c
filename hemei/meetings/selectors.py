"""Reads shared by the meeting pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hemei.accounts.policy import may, places
from hemei.divisions.choices import Level
from hemei.divisions.models import Division


def organizing_divisions(user: Any) -> QuerySet[Division]:
    """Divisions where the user may hold a meeting (where they manage tasks)."""
    return places(user, "manage_tasks").current()


def division_choices(user: Any) -> list[tuple[str, str]]:
    """Offered while typing a code: the county and its towns the user manages."""
    divisions = organizing_divisions(user).filter(level__lte=Level.TOWN).order_by("code")
    return list(divisions.values_list("code", "name")[:500])


def may_hold_meetings(user: Any) -> bool:
    return may(user, "manage_tasks", Division)

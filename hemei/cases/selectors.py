"""Reads of cases: lists with their lights, a household's own, the overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from hemei.core.search import search

from .choices import CaseState
from .models import Case, CaseEvent, StepRecord


def cases(user: Any) -> QuerySet[Case]:
    """The cases ``user`` may read, with what a list row shows (one query per page)."""
    return Case.objects.restrict(user, "view").select_related("village", "item", "step", "duty")


def filter_cases(
    queryset: QuerySet[Case],
    *,
    q: str = "",
    state: str = "",
    village: str = "",
    item: str = "",
    light: str = "",
    today: dt.date | None = None,
) -> QuerySet[Case]:
    queryset = search(queryset, q, ["number", "title", "applicant_name", "item__name"])
    if state in CaseState.values:
        queryset = queryset.filter(state=state)
    if village:
        queryset = queryset.filter(village_id__startswith=village)
    if item:
        queryset = queryset.filter(item__name=item)
    if light == "overdue" and today is not None:
        queryset = overdue(queryset, today)
    elif light in ("green", "yellow", "red"):
        queryset = queryset.filter(state=CaseState.OPEN, duty__light=light)
    return queryset


def overdue(queryset: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    """Cases whose step in hand is past its deadline (the clock running)."""
    return queryset.filter(state=CaseState.OPEN, step_due_on__lt=today)


def of_household(user: Any) -> QuerySet[Case]:
    """A villager's own: their household's cases and those they applied for."""
    from hemei.households.selectors import household_of

    own = household_of(user)
    # Each side as its own subquery of ids: SQLite answers ``id IN (…) OR id IN (…)`` from
    # the two indexes, where ``household = … OR applicant = …`` scanned every case.
    mine = Q(pk__in=Case.objects.filter(applicant=user).values("pk"))
    if own is not None:
        mine |= Q(pk__in=Case.objects.filter(household=own).values("pk"))
    return cases(user).filter(mine)


def timeline(case: Case) -> dict[str, Any]:
    return {
        "records": StepRecord.objects.filter(case=case)
        .select_related("step", "actor")
        .order_by("id"),
        "events": CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id"),
    }

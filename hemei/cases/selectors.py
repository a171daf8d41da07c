"""Reads of cases: lists with their lights, a household's own, the overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from hemei.core.lists import Column
from hemei.core.search import search

from .choices import CaseState
from .models import Case, CaseEvent, StepRecord


def division_code(value: str) -> str:
    """A division code typed in a query string, or "" for anything else."""
    value = (value or "").strip()
    return value if value.isascii() and value.isdigit() and len(value) <= 12 else ""


def start_village(user: Any, code: str) -> Any:
    """The village ``user`` starts a case in: a villager's own; for an official the village
    of ``code`` where they may start cases, else their first. ``None``: none of theirs."""
    from hemei.accounts.policy import allows_at, places
    from hemei.divisions.choices import Level
    from hemei.divisions.models import Division
    from hemei.households.selectors import household_of

    own = household_of(user) if getattr(user, "is_authenticated", False) else None
    if own is not None and not places(user, "start_cases").exists():
        return own.village
    code = division_code(code)
    if not code:
        return places(user, "start_cases").filter(level=Level.VILLAGE).first()
    village = Division.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None or not allows_at(user, "start_cases", code):
        return None
    return village


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
        queryset = queryset.filter(village__code__startswith=village)
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


#: How long a finished case's result stays on the village's public board.
BOARD_DAYS = 90


def board_items(village: Any, today: dt.date) -> list[Any]:
    """结果公开 on the village's public board: the cases of the last 90 days whose item makes
    its result public (五公开), each as item, case number and outcome — never the applicant's
    own words, files or opinions (the notices carry what the law wants named)."""
    from hemei.board.sections import BoardItem
    from hemei.catalogue.choices import Disclosure

    rows = (
        Case.objects.filter(
            village_id=village.code,
            state__in=(CaseState.DONE, CaseState.REFUSED),
            closed_on__gte=today - dt.timedelta(days=BOARD_DAYS),
            closed_on__lte=today,
        )
        .select_related("item")
        .order_by("-closed_on", "-id")[:50]
    )
    return [
        BoardItem(
            title=f"{case.item.name}（{case.number}）",
            date=case.closed_on,
            status=case.get_state_display(),
        )
        for case in rows
        if Disclosure.RESULT in case.item.disclosures
    ]


def export_columns() -> list[Column]:
    """The columns of the case list's Excel export (the page's and the API's)."""
    return [
        (_("Case number"), lambda c: c.number),
        (_("Village"), lambda c: c.village.name),
        (_("Item applied for"), lambda c: f"{c.item.code} {c.item.name}"),
        (_("Matter"), lambda c: c.title),
        (_("Applicant"), lambda c: c.applicant_name),
        (_("Amount (yuan)"), lambda c: c.amount),
        (_("State"), lambda c: c.get_state_display()),
        (_("Current step"), lambda c: c.step.name if c.step else ""),
        (_("Step due"), lambda c: c.step_due_on),
        (_("Applied at"), lambda c: localtime(c.created_at).strftime("%Y-%m-%d %H:%M")),
    ]

"""Reads of homestead applications: the town's ledger (审批管理台账), the county's filing (备案)
and the application's page. Both lists are views of the cases, never a second entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from hemei.cases.choices import CaseState
from hemei.core.lists import Column
from hemei.core.search import search

from .choices import BuildType
from .models import Application, Deviation, Flag


def applications(user: Any) -> QuerySet[Application]:
    """The applications ``user`` may read, with what a ledger row shows (one query a page)."""
    return (
        Application.objects.restrict(user, "view")
        .select_related("case", "case__village", "case__step", "case__duty")
        .annotate(
            open_flags=Count("flags", filter=Q(flags__answered_on=None), distinct=True),
        )
        .order_by("-case__created_at", "-case_id")
    )


def filter_applications(
    queryset: QuerySet[Application],
    *,
    q: str = "",
    state: str = "",
    area: str = "",
    build_type: str = "",
    flagged: bool = False,
    approved: bool = False,
    year: int | None = None,
    handback_late_on: dt.date | None = None,
) -> QuerySet[Application]:
    queryset = search(
        queryset,
        q,
        ["case__number", "case__applicant_name", "address", "approval_number", "permit_number"],
    )
    if state in CaseState.values:
        queryset = queryset.filter(case__state=state)
    if area:
        queryset = queryset.filter(case__village__code__startswith=area)
    if build_type in BuildType.values:
        queryset = queryset.filter(build_type=build_type)
    if flagged:
        queryset = queryset.filter(
            Exists(Flag.objects.filter(application=OuterRef("pk"), answered_on=None))
        )
    if approved:
        queryset = queryset.exclude(approval_number="")
    if year:
        queryset = queryset.filter(approved_on__year=year)
    if handback_late_on is not None:
        queryset = queryset.filter(handback_due__lt=handback_late_on, handback_done_on=None)
    return queryset


def stop_work(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.filter(
        Exists(Deviation.objects.filter(visit__application=OuterRef("pk"), corrected_on=None))
    )


def _day(value: dt.date | None) -> Any:
    return value


def ledger_columns() -> list[Column]:
    """The columns of the town's approval ledger (审批管理台账) and the county's filing."""
    return [
        (_("Case number"), lambda a: a.case.number),
        (_("Village"), lambda a: a.case.village.name),
        (_("Head of household"), lambda a: a.case.applicant_name),
        (_("Building type"), lambda a: a.get_build_type_display()),
        (_("Address"), lambda a: a.address),
        (_("Boundaries"), lambda a: a.boundaries),
        (_("Homestead area (m²)"), lambda a: a.site_area),
        (_("Measured area (m²)"), lambda a: a.measured_area),
        (_("Footprint (m²)"), lambda a: a.footprint),
        (_("Floor area (m²)"), lambda a: a.floor_area),
        (_("Floors"), lambda a: a.floors),
        (_("Height (m)"), lambda a: a.height),
        (_("Land type"), lambda a: a.get_land_type_display()),
        (_("Applied on"), lambda a: a.case.created_at.date()),
        (_("State"), lambda a: a.case.get_state_display()),
        (_("Current step"), lambda a: a.case.step.name if a.case.step else ""),
        (_("Step due"), lambda a: a.case.step_due_on),
        (_("Open flags"), lambda a: a.open_flags),
        (_("Approval number"), lambda a: a.approval_number),
        (_("Permit number"), lambda a: a.permit_number),
        (_("Approved on"), lambda a: a.approved_on),
        (_("Work started on"), lambda a: a.started_on),
        (_("Completed on"), lambda a: a.completed_on),
        (_("Actual homestead area (m²)"), lambda a: a.actual_site_area),
        (_("Floors built"), lambda a: a.actual_floors),
        (_("Height built (m)"), lambda a: a.actual_height),
        (_("Hand back by"), lambda a: a.handback_due),
        (_("Handed back on"), lambda a: a.handback_done_on),
        (_("Closed on"), lambda a: a.case.closed_on),
    ]


def detail(application: Application) -> dict[str, Any]:
    return {
        "flags": list(application.flags.select_related("answered_by").order_by("id")),
        "opinions": list(application.opinions.select_related("duty").order_by("-round", "id")),
        "visits": list(
            application.visits.prefetch_related("photos", "deviations").order_by("visited_on", "id")
        ),
    }

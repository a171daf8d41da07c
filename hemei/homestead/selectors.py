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

from .choices import BuildType, Side
from .models import Application, Deviation, Flag, SiteVisit


def applications(user: Any) -> QuerySet[Application]:
    """The applications ``user`` may read, with what a ledger row shows (one query a page)."""
    return (
        Application.objects.restrict(user, "view")
        .with_case()
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


def visit_log(
    user: Any,
    *,
    stage: str = "",
    area: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[SiteVisit]:
    """The town's inspection log: the visits of ``user``'s area, newest first."""
    rows = (
        SiteVisit.objects.restrict(user, "view")
        .select_related("application__case__village")
        .prefetch_related("photos", "deviations")
        .order_by("-visited_on", "-id")
    )
    if stage:
        rows = rows.filter(stage=stage)
    if area:
        rows = rows.filter(application__case__village__code__startswith=area)
    if since:
        rows = rows.filter(visited_on__gte=since)
    if until:
        rows = rows.filter(visited_on__lte=until)
    return rows.annotate(
        open_deviations=Count("deviations", filter=Q(deviations__corrected_on=None), distinct=True)
    )


def visit_columns() -> list[Column]:
    """The columns of the inspection log's workbook."""
    return [
        (_("Case number"), lambda v: v.application.case.number),
        (_("Village"), lambda v: v.application.case.village.name),
        (_("Head of household"), lambda v: v.application.case.applicant_name),
        (_("Address"), lambda v: v.application.address),
        (_("Stage"), lambda v: v.get_stage_display()),
        (_("Date"), lambda v: v.visited_on),
        (_("Officials present"), lambda v: v.officials),
        (
            _("Neighbours present and signing"),
            lambda v: "、".join(str(Side(side).label) for side in v.neighbours or []),
        ),
        (_("Measured homestead area (m²)"), lambda v: v.site_area),
        (_("Measured footprint (m²)"), lambda v: v.footprint),
        (_("Floors"), lambda v: v.floors),
        (_("Height (m)"), lambda v: v.height),
        (_("What was found"), lambda v: v.note),
        (_("Photos"), lambda v: len(v.photos.all())),
        (
            _("Deviations"),
            lambda v: "；".join(str(row.get_kind_display()) for row in v.deviations.all()),
        ),
        (_("Open deviations"), lambda v: v.open_deviations),
    ]


def detail(application: Application) -> dict[str, Any]:
    return {
        "flags": list(application.flags.select_related("answered_by").order_by("id")),
        "opinions": list(application.opinions.select_related("duty").order_by("-round", "id")),
        "visits": list(
            application.visits.prefetch_related("photos", "deviations").order_by("visited_on", "id")
        ),
    }

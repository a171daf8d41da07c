"""Ranking pages: the ranking of a period with its charts, the history, the county's
configuration, and the circular export (request → status polled by HTMX → download)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from hemei.accounts.policy import allowed, allows_at, grants
from hemei.core import clock
from hemei.core.downloads import download
from hemei.core.htmx import template_for
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from .choices import JobState, PeriodKind
from .forms import ConfigForm, PeriodForm
from .jobs import recover_stalled_exports
from .models import ExportJob, RankingRun
from .periods import period_bounds, period_label, previous_start
from .selectors import first_places, rank_history, run_rows
from .services import compute_ranking, config_for, request_circular, update_config

#: How many past periods the period menu and the rank line offer.
PERIODS_SHOWN = 12


def _home_code(user: Any) -> str:
    """The division a user's rankings open on: their county's towns."""
    codes = sorted(
        {grant.division_id for grant in grants(user)}, key=lambda code: (len(code), code)
    )
    if codes and len(codes[0]) >= 6:
        return codes[0][:6]
    # A province or city grant (or a system administrator): the first county inside it.
    counties = Division.objects.current().filter(level=Level.COUNTY)
    first = (counties.within(codes[0]) if codes else counties).first()
    if first is None:
        raise Http404
    return first.code


def _own_unit(user: Any, scope: Division) -> str:
    """The unit of ``scope`` the user belongs to (their town or village), if any."""
    length = 9 if scope.level == Level.COUNTY else 12
    for grant in grants(user):
        if len(grant.division_id) >= length and grant.division_id.startswith(scope.code):
            return grant.division_id[:length]
    return ""


def _viewable_scope(user: Any, code: str) -> Division:
    scope = Division.objects.filter(code=code, level__in=[Level.COUNTY, Level.TOWN]).first()
    if scope is None or not allows_at(user, "view_with_ancestors", scope.code):
        raise Http404
    return scope


def _scope_choices(user: Any, scope: Division) -> list[tuple[str, str]]:
    """The county's towns ranking, then the villages ranking of each town the user may see."""
    county = Division.objects.get(code=scope.code[:6])
    towns = Division.objects.current().filter(parent_id=county.code, level=Level.TOWN)
    choices = [(county.code, _("%(county)s: towns") % {"county": county.name})]
    for town in towns:
        if allows_at(user, "view_with_ancestors", town.code):
            choices.append((town.code, _("%(town)s: villages") % {"town": town.name}))
    return choices


def _period_choices(kind: str, chosen: dt.date) -> list[tuple[str, str]]:
    start = period_bounds(kind, clock.today())[0]
    choices = []
    for _step in range(PERIODS_SHOWN):
        choices.append((start.isoformat(), period_label(kind, start)))
        start = previous_start(kind, start)
    if chosen.isoformat() not in {value for value, _label in choices}:
        choices.append((chosen.isoformat(), period_label(kind, chosen)))
    return choices


def _problem(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "rankings/problem.html", {"message": message}, status=status)


@allowed(RankingRun)
def ranking(request: HttpRequest) -> HttpResponse:
    """One period's ranking of a county's towns or a town's villages, with its charts."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _problem(request, " ".join(e for errors in form.errors.values() for e in errors))
    code, kind, day, chosen_division = form.cleaned(_home_code(request.user))
    scope = _viewable_scope(request.user, code)
    runs = (
        RankingRun.objects.visible_to(request.user)
        .filter(scope=scope, period_kind=kind)
        .with_document_number()
    )
    if day is None:
        latest = runs.order_by("-period_start").first()
        start = latest.period_start if latest else period_bounds(kind, clock.today())[0]
    else:
        start = period_bounds(kind, day)[0]
    run = runs.filter(period_start=start).first()
    rows = list(run_rows(run)) if run else []
    if run and wants_export(request):
        return xlsx_response(
            filename=f"ranking-{scope.code}-{kind}-{start:%Y%m%d}",
            title=_("Ranking"),
            columns=[
                (_("Rank"), lambda r: r.rank),
                (_("Division"), lambda r: r.division.name),
                (_("Score"), lambda r: r.score),
                (_("On-time rate (%)"), lambda r: r.on_time_rate),
                (_("Tasks due"), lambda r: r.due_count),
                (_("Completed on time"), lambda r: r.on_time_count),
                (_("Overdue"), lambda r: r.overdue_count),
                (_("Average delay (days)"), lambda r: r.average_delay),
                (pgettext("count", "Supervision orders"), lambda r: r.orders_count),
                (_("Previous rank"), lambda r: r.previous_rank),
                (_("Change"), lambda r: r.rank_change),
            ],
            queryset=run_rows(run),
        )
    followed = chosen_division or _own_unit(request.user, scope)
    if not followed and rows:
        followed = rows[0].division_id
    names = {row.division_id: row.division.name for row in rows}
    history = rank_history(run, followed, PERIODS_SHOWN) if run and followed else []
    chart = {
        "names": [row.division.name for row in rows if row.rank is not None],
        "scores": [float(row.score) for row in rows if row.score is not None],
        "followed": names.get(followed, ""),
        "periods": [label for label, _rank in history],
        "ranks": [rank for _label, rank in history],
        "lowest": max([len(rows), *(rank or 1 for _label, rank in history)], default=1),
        "labels": {"score": _("Score"), "rank": _("Rank")},
    }
    scopes = _scope_choices(request.user, scope)
    context = {
        "scope": scope,
        "kind": kind,
        "start": start,
        "label": period_label(kind, start),
        "run": run,
        "rows": rows,
        "chart": chart,
        "followed": followed,
        "kinds": PeriodKind.choices,
        "scopes": scopes,
        "viewable_towns": {value for value, _text in scopes[1:]},
        "chart_height": max(240, 26 * len(chart["names"]) + 50),
        "periods": _period_choices(kind, start),
        "may_compute": allows_at(request.user, "compute_ranking", scope.code),
        "exports": run.exports.all()[:5] if run else [],
        "unit_is_town": scope.level == Level.COUNTY,
    }
    return render(
        request,
        template_for(request, "rankings/ranking.html", "rankings/partials/ranking_body.html"),
        context,
    )


@require_POST
@allowed(RankingRun)
def compute(request: HttpRequest) -> HttpResponse:
    """Compute (or recompute) the chosen period's ranking, then show it."""
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return _problem(request, " ".join(e for errors in form.errors.values() for e in errors))
    code, kind, day, _division = form.cleaned(_home_code(request.user))
    scope = _viewable_scope(request.user, code)
    try:
        run = compute_ranking(
            county_or_town=scope,
            period_kind=kind,
            period_start=day or clock.today(),
            actor=request.user,
        )
    except ValidationError as exc:
        return _problem(request, " ".join(exc.messages))
    messages.success(
        request, _("The ranking of %(period)s is computed.") % {"period": run.period_label}
    )
    query = urlencode({"scope": scope.code, "kind": kind, "period": run.period_start.isoformat()})
    return redirect(f"{reverse('rankings:ranking')}?{query}")


@allowed(RankingRun)
def history(request: HttpRequest) -> HttpResponse:
    """Every stored ranking of an area, newest first."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _problem(request, " ".join(e for errors in form.errors.values() for e in errors))
    code, kind, _day, _division = form.cleaned(_home_code(request.user))
    scope = _viewable_scope(request.user, code)
    runs = (
        RankingRun.objects.visible_to(request.user)
        .filter(scope=scope)
        .select_related("computed_by")
        .with_document_number()
        .order_by("-period_start", "period_kind")
    )
    if request.GET.get("kind"):
        runs = runs.filter(period_kind=kind)
    if wants_export(request):
        return xlsx_response(
            filename=f"rankings-{scope.code}",
            title=_("Ranking history"),
            columns=[
                (_("Period"), lambda r: r.period_label),
                (_("Kind"), lambda r: r.get_period_kind_display()),
                (_("Computed at"), lambda r: r.computed_at.replace(tzinfo=None)),
                (_("Computed by"), lambda r: str(r.computed_by or "")),
                (_("Circular"), lambda r: r.document_number),
            ],
            queryset=runs,
        )
    page = paginate(request, runs)
    leaders = first_places([run.pk for run in page.object_list])
    return render(
        request,
        template_for(request, "rankings/history.html", "rankings/partials/history_rows.html"),
        {
            "scope": scope,
            "page": page,
            "leaders": leaders,
            "kinds": PeriodKind.choices,
            "kind": request.GET.get("kind", ""),
            "scopes": _scope_choices(request.user, scope),
        },
    )


@allowed(RankingRun)
def config(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The county's weights and circular heading (county administrators)."""
    code = code or _home_code(request.user)[:6]
    county = Division.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not allows_at(request.user, "view_with_ancestors", county.code):
        raise Http404
    if not allows_at(request.user, "administer", county.code):
        raise PermissionDenied(_("Only the county's administrators configure its rankings."))
    current = config_for(county)
    form = ConfigForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        update_config(actor=request.user, county=county, **form.cleaned_data)
        messages.success(request, _("The ranking settings are saved."))
        return redirect("rankings:config", code=county.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "rankings/config.html", {"county": county, "form": form}, status=status)


@require_POST
@allowed(RankingRun)
def export_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the worker for the circular and workbook of a ranking."""
    run = get_object_or_404(RankingRun.objects.visible_to(request.user), pk=pk)
    job = request_circular(run=run, actor=request.user)
    return redirect("rankings:export_status", pk=job.pk)


@allowed(RankingRun)
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the export job stands; the page polls this fragment until it is finished."""
    job = get_object_or_404(ExportJob.objects.visible_to(request.user).select_related("run"), pk=pk)
    if job.state == JobState.RUNNING:
        # A worker lost while rendering: the job is queued again, or failed for good.
        recover_stalled_exports(jobs=[job.pk])
        job.refresh_from_db()
    return render(
        request,
        template_for(request, "rankings/export_status.html", "rankings/partials/export_state.html"),
        {"job": job, "run": job.run, "done": job.state == JobState.DONE},
    )


@allowed(RankingRun)
def export_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The finished circular (.docx) or workbook (.xlsx), for those who may see the ranking."""
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
    stored = {"docx": job.docx, "xlsx": job.xlsx}.get(fmt)
    if job.state != JobState.DONE or not stored:
        raise Http404
    name = f"{job.document_number or _('circular')}.{fmt}"
    return download(stored.open("rb"), filename=name)

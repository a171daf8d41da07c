"""Rankings (排名) and their circulars (通报): list runs, a run with its rows, compute a
period, ask for the circular, follow and download the export. Writes go through
:mod:`hemei.rankings.services`; who sees a ranking follows the RankingRun policy (``hemei.rankings.models``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from pydantic import Field

from hemei.accounts.policy import places
from hemei.core.downloads import download
from hemei.divisions.choices import Level
from hemei.rankings import models, services
from hemei.rankings.choices import JobState, PeriodKind
from hemei.rankings.jobs import recover_stalled_exports

from ..engine import Input, Paging, not_found, page_of, paginate
from .common import (
    Date,
    DivisionCode,
    DivisionRef,
    Filters,
    Moment,
    NoBody,
    PersonRef,
    choice,
    date,
    division_ref,
    division_ref_to,
    moment,
    number,
    person_ref,
    v1,
)

TAG = "rankings"
v1.gate(TAG, models.RankingRun)

router = Router(tags=[TAG])
NO_BODY = NoBody()

Kind = choice(PeriodKind.choices)
State = choice(JobState.choices)
Ranks = choice(
    [
        ("towns", gettext_lazy("the towns of a county")),
        ("villages", gettext_lazy("the villages of a town")),
    ]
)


class RankingRun(Schema):
    id: int = Field(ge=1)
    scope: DivisionRef | None = Field(
        description=gettext_lazy("The county (towns ranked) or town (villages).")
    )
    ranks: Ranks
    period_kind: Kind
    period_start: dt.date
    period_end: dt.date
    period_label: str
    as_of: dt.date = Field(
        description=gettext_lazy("Observed until (the day after the period, or today).")
    )
    computed_at: Moment
    computed_by: PersonRef | None
    weights: dict[str, Annotated[int, Field(ge=0)]] = Field(
        description=gettext_lazy("The weights the scores used.")
    )
    document_number: str | None = Field(
        description=gettext_lazy("The circular's number, once issued.")
    )
    row_count: int = Field(ge=0)


class RankingRow(Schema):
    division: DivisionRef
    rank: int | None = Field(ge=1, description=gettext_lazy("Empty when no task fell due."))
    score: float | None
    on_time_rate: float | None = Field(ge=0, le=100)
    due_count: int = Field(ge=0)
    on_time_count: int = Field(ge=0)
    overdue_count: int = Field(ge=0)
    late_count: int = Field(ge=0)
    average_delay: float = Field(description=gettext_lazy("Days."))
    orders_count: int = Field(ge=0, description=gettext_lazy("Supervision orders received."))
    previous_rank: int | None = Field(ge=1)
    rank_change: int | None = Field(ge=-100_000, description=gettext_lazy("Places gained."))


class RankingRunDetail(RankingRun):
    rows: list[RankingRow] = Field(max_length=100_000)


class CircularExport(Schema):
    id: int = Field(ge=1)
    run_id: int = Field(ge=1)
    state: State
    document_number: str
    error: str
    created_at: Moment
    finished_at: Moment | None
    docx: str | None = Field(description=gettext_lazy("Download URL of the circular, when done."))
    xlsx: str | None = Field(description=gettext_lazy("Download URL of the workbook, when done."))


def rankable_scopes(user: Any) -> Any:
    """Counties and towns whose ranking the user may see (their own area and above it)."""
    return (
        places(user, "view_with_ancestors").current().filter(level__in=[Level.COUNTY, Level.TOWN])
    )


Scope = division_ref_to(
    rankable_scopes,
    description=gettext_lazy("A county (rank its towns) or a town (rank its villages)."),
)


class RankingCompute(Input):
    scope: Scope
    period_kind: Kind
    period_start: Date = Field(description=gettext_lazy("Any day of the period."))


class RankingFilters(Filters):
    scope: DivisionCode | None = Field(
        None, description=gettext_lazy("Rankings within this county or town.")
    )
    period_kind: Kind | None = None
    starts_from: Date | None = Field(
        None, alias="from", description=gettext_lazy("Periods starting on or after this date.")
    )
    to: Date | None = Field(
        None, description=gettext_lazy("Periods starting on or before this date.")
    )


def run_summary(run: models.RankingRun) -> dict[str, Any]:
    number_text = None
    if run.circular_number is not None:
        number_text = services.document_number(run, getattr(run, "_api_config", None))
    return {
        "id": run.pk,
        "scope": division_ref(run.scope),
        "ranks": "villages" if run.ranks_villages else "towns",
        "period_kind": run.period_kind,
        "period_start": date(run.period_start),
        "period_end": date(run.period_end),
        "period_label": str(run.period_label),
        "as_of": date(run.as_of),
        "computed_at": moment(run.computed_at),
        "computed_by": person_ref(run.computed_by),
        "weights": {key: int(value) for key, value in (run.config or {}).items()},
        "document_number": number_text,
        "row_count": run.row_count,  # type: ignore[attr-defined]
    }


def row_item(row: models.RankingRow) -> dict[str, Any]:
    return {
        "division": division_ref(row.division),
        "rank": row.rank,
        "score": number(row.score),
        "on_time_rate": number(row.on_time_rate),
        "due_count": row.due_count,
        "on_time_count": row.on_time_count,
        "overdue_count": row.overdue_count,
        "late_count": row.late_count,
        "average_delay": number(row.average_delay),
        "orders_count": row.orders_count,
        "previous_rank": row.previous_rank,
        "rank_change": row.rank_change,
    }


def export_item(job: models.ExportJob) -> dict[str, Any]:
    done = job.state == JobState.DONE

    def link(fmt: str, stored: Any) -> str | None:
        if not (done and stored):
            return None
        return reverse("api:v1:export_download", args=[job.pk, fmt])

    return {
        "id": job.pk,
        "run_id": job.run_id,
        "state": job.state,
        "document_number": job.document_number,
        "error": job.error,
        "created_at": moment(job.created_at),
        "finished_at": moment(job.finished_at),
        "docx": link("docx", job.docx),
        "xlsx": link("xlsx", job.xlsx),
    }


def runs_of(user: Any) -> Any:
    return (
        models.RankingRun.objects.visible_to(user)
        .select_related("scope", "computed_by")
        .annotate(row_count=Count("rows"))
        .order_by("-period_start", "scope_id", "period_kind", "id")
    )


def load_run(user: Any, pk: int) -> models.RankingRun:
    run = runs_of(user).filter(pk=pk).first()
    if run is None:
        raise not_found()
    return run


def load_export(user: Any, pk: int) -> models.ExportJob:
    job = models.ExportJob.objects.visible_to(user).filter(pk=pk).first()
    if job is None:
        raise not_found()
    return job


def with_configs(runs: list[models.RankingRun]) -> None:
    """Read the counties' configurations (the circular number's prefix) once per page."""
    counties = {run.county_id for run in runs if run.circular_number is not None}
    configs = models.RankingConfig.objects.filter(county_id__in=counties)
    found = {config.county_id: config for config in configs}
    for run in runs:
        run._api_config = found.get(run.county_id) or models.RankingConfig(  # type: ignore[attr-defined]
            county_id=run.county_id
        )


def run_detail(run: models.RankingRun) -> dict[str, Any]:
    rows = run.rows.select_related("division")
    return {**run_summary(run), "rows": [row_item(row) for row in rows]}


@router.get(
    "rankings/",
    url_name="ranking_list",
    response=page_of(RankingRun),
    summary=gettext_lazy("List rankings"),
    description=gettext_lazy(
        "Stored rankings you may see (your county's towns; your town's villages), newest "
        "period first."
    ),
)
def list_runs(
    request: HttpRequest, filters: Query[RankingFilters], paging: Query[Paging]
) -> dict[str, Any]:
    runs = runs_of(request.user)
    if filters.scope is not None:
        runs = runs.filter(scope_id=filters.scope)
    if filters.period_kind is not None:
        runs = runs.filter(period_kind=filters.period_kind)
    if filters.starts_from is not None:
        runs = runs.filter(period_start__gte=filters.starts_from)
    if filters.to is not None:
        runs = runs.filter(period_start__lte=filters.to)
    return paginate(request, paging, runs, run_summary, prepare=with_configs)


@router.post(
    "rankings/",
    url_name="ranking_list",
    response={201: RankingRunDetail},
    summary=gettext_lazy("Compute a ranking"),
    description=gettext_lazy(
        "Rank the towns of a county (or the villages of a town) for the period containing "
        "``period_start``; computing a period again replaces its rows. County administrators, "
        "and town officials for their own villages."
    ),
)
def compute_run(request: HttpRequest, payload: RankingCompute) -> dict[str, Any]:
    run = services.compute_ranking(
        county_or_town=payload.scope,
        period_kind=payload.period_kind,
        period_start=payload.period_start,
        actor=request.user,
    )
    return run_detail(load_run(request.user, run.pk))


@router.get(
    "rankings/{int:pk}/",
    url_name="ranking_detail",
    response=RankingRunDetail,
    summary=gettext_lazy("Show a ranking"),
    description=gettext_lazy(
        "The ranking with every town (or village): rank, score, the figures it came from, and "
        "the change since the period before."
    ),
)
def show_run(request: HttpRequest, pk: int) -> dict[str, Any]:
    return run_detail(load_run(request.user, pk))


@router.post(
    "rankings/{int:pk}/circular/",
    url_name="ranking_circular",
    response={202: CircularExport},
    summary=gettext_lazy("Ask for the circular"),
    description=gettext_lazy(
        "Queue the circular (.docx) and workbook (.xlsx) of the ranking; the worker renders "
        "them. Follow the export until its state is done, then download."
    ),
)
def request_circular(request: HttpRequest, pk: int, payload: NoBody = NO_BODY) -> dict[str, Any]:
    run = load_run(request.user, pk)
    job = services.request_circular(run=run, actor=request.user)
    return export_item(job)


@router.get(
    "exports/{int:pk}/",
    url_name="export_detail",
    response=CircularExport,
    summary=gettext_lazy("Follow a circular export"),
    description=gettext_lazy("The export's state and, when done, its download links."),
)
def show_export(request: HttpRequest, pk: int) -> dict[str, Any]:
    job = load_export(request.user, pk)
    if job.state == JobState.RUNNING:  # a worker lost while rendering: queue again, or fail
        recover_stalled_exports(jobs=[job.pk])
    return export_item(load_export(request.user, pk))


@router.get(
    "exports/{int:pk}/{str:fmt}/",
    url_name="export_download",
    summary=gettext_lazy("Download a circular or workbook"),
    description=gettext_lazy(
        "``fmt`` is docx (the circular) or xlsx (the workbook); 404 until the export is done."
    ),
    openapi_extra={
        "responses": {
            "200": {
                "description": "OK",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    job = load_export(request.user, pk)
    stored = {"docx": job.docx, "xlsx": job.xlsx}.get(fmt)
    if job.state != JobState.DONE or not stored:
        raise not_found()
    name = f"{job.document_number or _('circular')}.{fmt}"
    return download(stored.open("rb"), filename=name)

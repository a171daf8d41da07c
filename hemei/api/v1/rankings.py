"""Rankings (排名) and their circulars (通报): list runs, a run with its rows, compute a
period, ask for the circular, follow and download the export. Writes go through
:mod:`hemei.rankings.services`; who sees a ranking follows the RankingRun policy (``hemei.rankings.models``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.policy import places
from hemei.core.downloads import download
from hemei.divisions.choices import Level
from hemei.rankings import services
from hemei.rankings.choices import JobState, PeriodKind
from hemei.rankings.jobs import recover_stalled_exports
from hemei.rankings.models import ExportJob, RankingRow, RankingRun

from .. import schema as s
from ..framework import Call, not_found
from .common import (
    DIVISION,
    DIVISION_CODE,
    EMPTY,
    PERSON,
    api,
    date,
    division_ref,
    moment,
    number,
    person_ref,
)

TAG = "rankings"
api.gate(TAG, RankingRun)

RUN_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "scope": s.Nullable(
        DIVISION, description=gettext_lazy("The county (towns ranked) or town (villages).")
    ),
    "ranks": s.Choice(
        [
            ("towns", gettext_lazy("the towns of a county")),
            ("villages", gettext_lazy("the villages of a town")),
        ]
    ),
    "period_kind": s.Choice(PeriodKind.choices),
    "period_start": s.Date(),
    "period_end": s.Date(),
    "period_label": s.Str(),
    "as_of": s.Date(
        description=gettext_lazy("Observed until (the day after the period, or today).")
    ),
    "computed_at": s.DateTime(),
    "computed_by": s.Nullable(PERSON),
    "weights": s.Map(s.Int(minimum=0), description=gettext_lazy("The weights the scores used.")),
    "document_number": s.Str(
        nullable=True, description=gettext_lazy("The circular's number, once issued.")
    ),
    "row_count": s.Int(minimum=0),
}
RUN = s.response("RankingRun", RUN_FIELDS)
ROW = s.response(
    "RankingRow",
    {
        "division": DIVISION,
        "rank": s.Int(
            minimum=1, nullable=True, description=gettext_lazy("Empty when no task fell due.")
        ),
        "score": s.Number(nullable=True),
        "on_time_rate": s.Number(nullable=True, minimum=0, maximum=100),
        "due_count": s.Int(minimum=0),
        "on_time_count": s.Int(minimum=0),
        "overdue_count": s.Int(minimum=0),
        "late_count": s.Int(minimum=0),
        "average_delay": s.Number(description=gettext_lazy("Days.")),
        "orders_count": s.Int(minimum=0, description=gettext_lazy("Supervision orders received.")),
        "previous_rank": s.Int(minimum=1, nullable=True),
        "rank_change": s.Int(
            nullable=True, minimum=-100_000, description=gettext_lazy("Places gained.")
        ),
    },
)
RUN_DETAIL = s.response("RankingRunDetail", {**RUN_FIELDS, "rows": s.List(ROW, max_items=100_000)})
EXPORT = s.response(
    "CircularExport",
    {
        "id": s.Int(minimum=1),
        "run_id": s.Int(minimum=1),
        "state": s.Choice(JobState.choices),
        "document_number": s.Str(),
        "error": s.Str(),
        "created_at": s.DateTime(),
        "finished_at": s.DateTime(nullable=True),
        "docx": s.Str(
            nullable=True, description=gettext_lazy("Download URL of the circular, when done.")
        ),
        "xlsx": s.Str(
            nullable=True, description=gettext_lazy("Download URL of the workbook, when done.")
        ),
    },
)


def rankable_scopes(user: Any) -> Any:
    """Counties and towns whose ranking the user may see (their own area and above it)."""
    return (
        places(user, "view_with_ancestors").current().filter(level__in=[Level.COUNTY, Level.TOWN])
    )


COMPUTE = s.Obj(
    "RankingCompute",
    {
        "scope": s.Ref(
            DIVISION_CODE,
            rankable_scopes,
            description=gettext_lazy("A county (rank its towns) or a town (rank its villages)."),
        ),
        "period_kind": s.Choice(PeriodKind.choices),
        "period_start": s.Date(description=gettext_lazy("Any day of the period.")),
    },
    required=["scope", "period_kind", "period_start"],
)
FILTERS = (
    s.Param("scope", DIVISION_CODE, gettext_lazy("Rankings within this county or town.")),
    s.Param("period_kind", s.Choice(PeriodKind.choices)),
    s.Param("from", s.Date(), gettext_lazy("Periods starting on or after this date.")),
    s.Param("to", s.Date(), gettext_lazy("Periods starting on or before this date.")),
)


def run_summary(run: RankingRun) -> dict[str, Any]:
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


def row_item(row: RankingRow) -> dict[str, Any]:
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


def export_item(job: ExportJob) -> dict[str, Any]:
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
        RankingRun.objects.visible_to(user)
        .select_related("scope", "computed_by")
        .annotate(row_count=Count("rows"))
        .order_by("-period_start", "scope_id", "period_kind", "id")
    )


def load_run(user: Any, pk: int) -> RankingRun:
    run = runs_of(user).filter(pk=pk).first()
    if run is None:
        raise not_found()
    return run


def load_export(user: Any, pk: int) -> ExportJob:
    job = ExportJob.objects.visible_to(user).filter(pk=pk).first()
    if job is None:
        raise not_found()
    return job


def with_configs(runs: list[RankingRun]) -> None:
    """Read the counties' configurations (the circular number's prefix) once per page."""
    from hemei.rankings.models import RankingConfig

    counties = {run.county_id for run in runs if run.circular_number is not None}
    found = {c.county_id: c for c in RankingConfig.objects.filter(county_id__in=counties)}
    for run in runs:
        run._api_config = found.get(run.county_id) or RankingConfig(  # type: ignore[attr-defined]
            county_id=run.county_id
        )


run_list = api.route("rankings/", "ranking_list")
run_item = api.route("rankings/<int:pk>/", "ranking_detail")
run_circular = api.route("rankings/<int:pk>/circular/", "ranking_circular")
export_item_route = api.route("exports/<int:pk>/", "export_detail")
export_file = api.route("exports/<int:pk>/<str:fmt>/", "export_download")


@run_list.operation(
    "GET",
    summary=gettext_lazy("List rankings"),
    description=gettext_lazy(
        "Stored rankings you may see (your county's towns; your town's villages), newest "
        "period first."
    ),
    tag=TAG,
    query=FILTERS,
    response=RUN,
    paged=True,
)
def list_runs(call: Call) -> Any:
    query = call.query
    runs = runs_of(call.user)
    if "scope" in query:
        runs = runs.filter(scope_id=query["scope"])
    if "period_kind" in query:
        runs = runs.filter(period_kind=query["period_kind"])
    if "from" in query:
        runs = runs.filter(period_start__gte=query["from"])
    if "to" in query:
        runs = runs.filter(period_start__lte=query["to"])
    return call.page(runs, run_summary, prepare=with_configs)


@run_list.operation(
    "POST",
    summary=gettext_lazy("Compute a ranking"),
    description=gettext_lazy(
        "Rank the towns of a county (or the villages of a town) for the period containing "
        "``period_start``; computing a period again replaces its rows. County administrators, "
        "and town officials for their own villages."
    ),
    tag=TAG,
    body=COMPUTE,
    response=RUN_DETAIL,
    status=201,
)
def compute_run(call: Call) -> Any:
    body = call.body
    run = services.compute_ranking(
        county_or_town=body["scope"],
        period_kind=body["period_kind"],
        period_start=body["period_start"],
        actor=call.user,
    )
    return run_detail(load_run(call.user, run.pk))


def run_detail(run: RankingRun) -> dict[str, Any]:
    rows = run.rows.select_related("division")
    return {**run_summary(run), "rows": [row_item(row) for row in rows]}


@run_item.operation(
    "GET",
    summary=gettext_lazy("Show a ranking"),
    description=gettext_lazy(
        "The ranking with every town (or village): rank, score, the figures it came from, and "
        "the change since the period before."
    ),
    tag=TAG,
    response=RUN_DETAIL,
)
def show_run(call: Call, pk: int) -> Any:
    return run_detail(load_run(call.user, pk))


@run_circular.operation(
    "POST",
    summary=gettext_lazy("Ask for the circular"),
    description=gettext_lazy(
        "Queue the circular (.docx) and workbook (.xlsx) of the ranking; the worker renders "
        "them. Follow the export until its state is done, then download."
    ),
    tag=TAG,
    body=EMPTY,
    response=EXPORT,
    status=202,
)
def request_circular(call: Call, pk: int) -> Any:
    run = load_run(call.user, pk)
    job = services.request_circular(run=run, actor=call.user)
    return export_item(job)


@export_item_route.operation(
    "GET",
    summary=gettext_lazy("Follow a circular export"),
    description=gettext_lazy("The export's state and, when done, its download links."),
    tag=TAG,
    response=EXPORT,
)
def show_export(call: Call, pk: int) -> Any:
    job = load_export(call.user, pk)
    if job.state == JobState.RUNNING:  # a worker lost while rendering: queue again, or fail
        recover_stalled_exports(jobs=[job.pk])
    return export_item(load_export(call.user, pk))


@export_file.operation(
    "GET",
    summary=gettext_lazy("Download a circular or workbook"),
    description=gettext_lazy(
        "``fmt`` is docx (the circular) or xlsx (the workbook); 404 until the export is done."
    ),
    tag=TAG,
    media_type="application/octet-stream",
)
def download_export(call: Call, pk: int, fmt: str) -> Any:
    job = load_export(call.user, pk)
    stored = {"docx": job.docx, "xlsx": job.xlsx}.get(fmt)
    if job.state != JobState.DONE or not stored:
        raise not_found()
    name = f"{job.document_number or _('circular')}.{fmt}"
    return download(stored.open("rb"), filename=name)

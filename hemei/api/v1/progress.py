"""Progress reports (进度填报) with evidence: list, detail, draft, change, upload, submit,
approve, return. Every step goes through :mod:`hemei.progress.services`, which checks who
may do it and puts it on the task's timeline.

A report is written in one request with its evidence: its fields come as JSON or as a
multipart form (the same fields, the files as ``files``). ninja reads a parameter from the
one source its declaration names, so these operations take the files as a ``File``
parameter (which also tells the engine's guard that they accept multipart) and read the
fields themselves, from either source through the same pydantic model (:func:`read_body`);
their OpenAPI text lists both content types (:func:`json_or_form`)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Annotated, Any, TypeVar, get_origin

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.responses import Status
from pydantic import BeforeValidator, Field, StrictBool, StrictInt, ValidationInfo
from pydantic import ValidationError as PydanticValidationError

from hemei.core.downloads import download
from hemei.progress import models, selectors, services
from hemei.progress.evidence import MAX_FILE_BYTES, MAX_FILES_PER_REPORT, check_file, too_big
from hemei.progress.models import EvidenceKind, ReportState
from hemei.tasks.models import Milestone, Task

from ..engine import (
    MAX_SAFE_INTEGER,
    ApiError,
    Id,
    Input,
    Paging,
    from_ninja_errors,
    not_found,
    page_of,
    paginate,
    visible,
)
from .common import (
    DivisionRef,
    Filters,
    Moment,
    NoBody,
    NonNull,
    PersonRef,
    Text,
    choice,
    division_ref,
    number,
    person_ref,
    refuse_null,
    text,
    v1,
)
from .common import QueryId as TaskFilterId

TAG = "progress"
v1.gate(TAG, models.ProgressReport)

router = Router(tags=[TAG])

StateValue = choice(ReportState.choices)
StateFilter = choice(ReportState.choices, nullable=True)
KindValue = choice(EvidenceKind.choices)
Percent = Annotated[float, Field(ge=0, le=100)]

# Shapes -----------------------------------------------------------------------------------


class TaskBrief(Schema):
    id: int = Field(ge=1)
    title: str
    division: DivisionRef
    progress: Percent


class ProgressReport(Schema):
    id: int = Field(ge=1)
    task: TaskBrief
    author: PersonRef
    state: StateValue
    percent: Percent
    text: str
    submitted_at: Moment | None
    decided_at: Moment | None
    decided_by: PersonRef | None
    return_reason: str
    evidence_count: int = Field(ge=0)
    duplicate_count: int = Field(
        ge=0, description=gettext_lazy("Files already used on another report.")
    )
    created_at: Moment


class Evidence(Schema):
    id: int = Field(ge=1)
    name: str = Field(description=gettext_lazy("The file name as uploaded."))
    kind: KindValue
    content_type: str
    size: int = Field(ge=0)
    sha256: str = Field(min_length=64, max_length=64)
    taken_at: Moment | None = Field(description=gettext_lazy("From the photo's EXIF."))
    latitude: float | None
    longitude: float | None
    duplicate_of: int | None = Field(
        ge=1, description=gettext_lazy("The evidence this exact file was first.")
    )
    url: str = Field(description=gettext_lazy("Download the file (same authentication)."))


class MilestoneRef(Schema):
    id: int = Field(ge=1)
    name: str


class ProgressReportDetail(ProgressReport):
    milestones: list[MilestoneRef]
    evidence: list[Evidence] = Field(max_length=MAX_FILES_PER_REPORT)
    warnings: list[str] = Field(
        description=gettext_lazy("What the author and reviewer should know.")
    )


class EvidenceList(Schema):
    evidence: list[Evidence] = Field(max_length=MAX_FILES_PER_REPORT)


def _brief(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "title": task.title,
        "division": division_ref(task.division),
        "progress": number(task.progress),
    }


def report_summary(report: models.ProgressReport) -> dict[str, Any]:
    """A list row (the queryset must come from ``for_list()``)."""
    return {
        "id": report.pk,
        "task": _brief(report.task),
        "author": person_ref(report.author),
        "state": report.state,
        "percent": number(report.percent),
        "text": report.text,
        "submitted_at": report.submitted_at,
        "decided_at": report.decided_at,
        "decided_by": person_ref(report.decided_by),
        "return_reason": report.return_reason,
        "evidence_count": report.evidence_count,  # type: ignore[attr-defined]
        "duplicate_count": report.duplicate_count,  # type: ignore[attr-defined]
        "created_at": report.created_at,
    }


def evidence_item(evidence: models.Evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "name": evidence.original_name,
        "kind": evidence.kind,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "taken_at": evidence.taken_at,
        "latitude": number(evidence.latitude),
        "longitude": number(evidence.longitude),
        "duplicate_of": evidence.duplicate_of_id,
        "url": reverse("api:v1:evidence_file", args=[evidence.pk]),
    }


def report_detail(report: models.ProgressReport) -> dict[str, Any]:
    return {
        **report_summary(report),
        "milestones": [{"id": m.pk, "name": m.name} for m in report.milestones.all()],
        "evidence": [evidence_item(e) for e in report.evidence.all()],
        "warnings": [str(w) for w in selectors.warnings_for(report)],
    }


def reports_of(user: Any) -> Any:
    return selectors.visible_reports(user).for_list()


def load_report(user: Any, pk: int) -> models.ProgressReport:
    """The report with its milestones and evidence, or 404 (a draft is its author's only)."""
    report = (
        reports_of(user)
        .prefetch_related(
            "milestones", Prefetch("evidence", queryset=models.Evidence.objects.all())
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise not_found()
    return report


def load_task(user: Any, pk: int) -> Task:
    task = Task.objects.visible_to(user).filter(pk=pk).first()
    if task is None:
        raise not_found()
    return task


# Inputs -------------------------------------------------------------------------------------
# A multipart form's fields are text: read with ``context={"form": True}``, a number and a
# flag are taken from their text as the old framework took them; in JSON they stay strict.


def _from_form(info: ValidationInfo) -> bool:
    return bool((info.context or {}).get("form"))


def _form_whole(value: Any, info: ValidationInfo) -> Any:
    refuse_null(value)
    if isinstance(value, str) and _from_form(info):
        if not re.fullmatch(r"-?[0-9]{1,16}", value.strip()):
            raise ValueError(_("Expected a whole number."))
        return int(value)
    return value


#: true/false as a form writes them (JSON takes only true and false)
FORM_FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _form_flag(value: Any, info: ValidationInfo) -> Any:
    refuse_null(value)
    if isinstance(value, str) and _from_form(info):
        if value.strip().lower() not in FORM_FLAGS:
            raise ValueError(_("Expected true or false."))
        return FORM_FLAGS[value.strip().lower()]
    return value


def _milestones(user: Any) -> Any:
    return Milestone.objects.filter(task__in=Task.objects.visible_to(user))


FormId = Annotated[StrictInt, Field(ge=1, le=MAX_SAFE_INTEGER), BeforeValidator(_form_whole)]
FormFlag = Annotated[StrictBool, BeforeValidator(_form_flag)]
MilestoneId = visible(FormId, _milestones, description=gettext_lazy("A milestone of the task."))
MilestoneIds = Annotated[
    list[MilestoneId],
    Field(max_length=100, description=gettext_lazy("Milestones this report says were reached.")),
    NonNull,
]
PercentInput = Annotated[
    Decimal,
    Field(
        ge=0, le=100, decimal_places=2, description=gettext_lazy("The task's progress now (0–100).")
    ),
    NonNull,
]


class ProgressReportCreate(Input):
    percent: PercentInput
    text: text(min_length=1, max_length=20_000, description=gettext_lazy("What was done."))  # type: ignore[valid-type]
    milestones: MilestoneIds = []
    submit: FormFlag = Field(
        False, description=gettext_lazy("Submit at once instead of keeping a draft.")
    )


# The fields sent are changed; none takes null.
class ProgressReportUpdate(Input):
    percent: PercentInput = None  # type: ignore[assignment]
    text: Text = Field(None, min_length=1, max_length=20_000)
    milestones: MilestoneIds = None  # type: ignore[assignment]
    remove_evidence: Annotated[list[Id], NonNull] = Field(None, max_length=MAX_FILES_PER_REPORT)


class ReturnReason(Input):
    reason: text(min_length=1, max_length=2000, description=gettext_lazy("Why it goes back."))  # type: ignore[valid-type]


class ReportFilters(Filters):
    q: Text | None = Field(
        None,
        max_length=100,
        description=gettext_lazy("Words in the task title, the text or the author."),
    )
    state: StateFilter = None
    task: TaskFilterId | None = Field(None, description=gettext_lazy("Reports on this task."))
    to_review: bool | None = Field(
        None, description=gettext_lazy("Only reports you may approve or return.")
    )
    mine: bool | None = Field(None, description=gettext_lazy("Only your own reports."))


BodyT = TypeVar("BodyT", bound=Input)


def read_body(request: HttpRequest, model: type[BodyT], *, required: bool) -> BodyT:
    """The body read through ``model``: a JSON object (the engine has checked the JSON),
    or the fields of a multipart form (its files come apart; a list field takes every
    value of its name, any other field the last). An empty JSON body is an empty object
    where ``required`` is false, and refused where it is true, as before the move."""
    form = request.content_type == "multipart/form-data"
    if form:
        lists = {name for name, f in model.model_fields.items() if get_origin(f.annotation) is list}
        data: Any = {
            name: request.POST.getlist(name) if name in lists else request.POST[name]
            for name in request.POST
        }
    elif request.body:
        data = json.loads(request.body.decode("utf-8"))
    elif required:
        raise ApiError(400, "bad_json", _("The body is empty; send a JSON object."))
    else:
        data = {}
    try:
        return model.model_validate(data, context={"request": request, "form": form})
    except PydanticValidationError as exc:  # answered as ninja's own body errors are
        errors = [{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors()]
        raise from_ninja_errors(errors) from None


def json_or_form(model: type[Input]) -> dict[str, Any]:
    """The ``openapi_extra`` of an operation that reads :func:`read_body`: its body as JSON,
    or as a multipart form with the same fields besides the ``files`` (ninja documents)."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("title", None)
    form = {
        "properties": schema["properties"],
        "required": schema.get("required", []),
        "additionalProperties": False,
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "multipart/form-data": {"schema": form},
            },
        }
    }


#: ``files`` of a multipart form (none in JSON): the evidence, checked by :func:`checked`
Files = Annotated[
    list[UploadedFile],
    File(
        None,
        description=gettext_lazy(
            "The files sent with the form (the operation says which are accepted)."
        ),
    ),
]


def checked(uploads: list[UploadedFile] | None) -> list[Any]:
    """The multipart ``files``, checked (type read from the content, size) before saving."""
    uploads = uploads or []
    if len(uploads) > MAX_FILES_PER_REPORT:
        raise ValidationError(
            {
                "files": _("A report may carry at most %(limit)d files.")
                % {"limit": MAX_FILES_PER_REPORT}
            }
        )
    accepted, errors = [], []
    for upload in uploads:
        if upload.size > MAX_FILE_BYTES:  # refused before it is read into memory
            errors.append(too_big(upload.name, upload.size))
            continue
        try:
            accepted.append(check_file(upload.name, upload.read()))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError({"files": errors})
    return accepted


# Endpoints ---------------------------------------------------------------------------------


@router.get(
    "reports/",
    url_name="report_list",
    response=page_of(ProgressReport),
    summary=gettext_lazy("List progress reports"),
    description=gettext_lazy(
        "Reports on tasks in your area, newest first; drafts only your own. With "
        "``to_review=true``, the reports waiting for you (your review queue)."
    ),
)
def list_reports(
    request: HttpRequest, filters: Query[ReportFilters], paging: Query[Paging]
) -> dict[str, Any]:
    user = request.user
    if filters.to_review:
        reports = selectors.reviewable_reports(user).for_list()
        reports = reports.filter(state=ReportState.SUBMITTED)
    else:
        reports = reports_of(user)
    reports = reports.search(filters.q or "")
    if filters.state is not None:
        reports = reports.filter(state=filters.state)
    if filters.task is not None:
        reports = reports.filter(task_id=filters.task)
    if filters.mine:
        reports = reports.filter(author_id=user.pk)
    return paginate(request, paging, reports.order_by("-created_at", "-id"), report_summary)


@router.get(
    "tasks/{int:pk}/reports/",
    url_name="task_reports",
    response=page_of(ProgressReport),
    summary=gettext_lazy("List a task's reports"),
    description=gettext_lazy(
        "The reports on one task, newest first (404 for a task outside your area)."
    ),
)
def list_task_reports(request: HttpRequest, pk: int, paging: Query[Paging]) -> dict[str, Any]:
    task = load_task(request.user, pk)
    reports = reports_of(request.user).filter(task=task).order_by("-created_at", "-id")
    return paginate(request, paging, reports, report_summary)


@router.post(
    "tasks/{int:pk}/reports/",
    url_name="task_reports",
    response={201: ProgressReportDetail},
    summary=gettext_lazy("Write a progress report"),
    description=gettext_lazy(
        "A draft report on the task (submitted at once with ``submit``). Send JSON, or a "
        "multipart form with the same fields and the evidence as ``files`` (photos as JPEG, "
        "PNG or WebP; PDF, .docx, .xlsx; at most 20 files of 10 MB)."
    ),
    openapi_extra=json_or_form(ProgressReportCreate),
)
def create_report(
    request: HttpRequest,
    pk: int,
    files: Files = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    user = request.user
    data = read_body(request, ProgressReportCreate, required=True)
    task = load_task(user, pk)
    report = services.create_report(
        actor=user,
        task=task,
        percent=data.percent,
        text=data.text,
        milestones=data.milestones,
        files=checked(files),
        submit=data.submit,
    )
    return Status(201, report_detail(load_report(user, report.pk)))


@router.get(
    "reports/{int:pk}/",
    url_name="report_detail",
    response=ProgressReportDetail,
    summary=gettext_lazy("Show a progress report"),
    description=gettext_lazy(
        "The report with its milestones, its evidence (EXIF time and place, duplicates "
        "flagged) and the warnings the reviewer sees."
    ),
)
def show_report(request: HttpRequest, pk: int) -> dict[str, Any]:
    return report_detail(load_report(request.user, pk))


#: an empty body (or none at all) changes nothing
NO_CHANGES = ProgressReportUpdate()
NO_BODY = NoBody()


@router.patch(
    "reports/{int:pk}/",
    url_name="report_detail",
    response=ProgressReportDetail,
    summary=gettext_lazy("Change a draft report"),
    description=gettext_lazy(
        "Change a draft or returned report (its author only); ``remove_evidence`` takes files "
        "off it."
    ),
)
def update_report(
    request: HttpRequest, pk: int, payload: ProgressReportUpdate = NO_CHANGES
) -> dict[str, Any]:
    user = request.user
    report = load_report(user, pk)
    remove_ids = set(payload.remove_evidence or [])
    remove = [e for e in report.evidence.all() if e.pk in remove_ids]
    if len(remove) != len(remove_ids):
        raise ValidationError({"remove_evidence": _("A file of another report was named.")})
    services.update_report(
        actor=user,
        report=report,
        percent=payload.percent,
        text=payload.text,
        milestones=payload.milestones,
        remove=remove,
    )
    return report_detail(load_report(user, pk))


@router.post(
    "reports/{int:pk}/evidence/",
    url_name="report_evidence",
    response={201: EvidenceList},
    summary=gettext_lazy("Upload evidence"),
    description=gettext_lazy(
        "Add photos or documents (multipart ``files``) to a draft or returned report. An "
        "exact duplicate of a file used on another report is kept and flagged."
    ),
    openapi_extra=json_or_form(NoBody),
)
def upload_evidence(
    request: HttpRequest,
    pk: int,
    files: Files = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    user = request.user
    read_body(request, NoBody, required=False)  # no fields besides the files
    report = load_report(user, pk)
    accepted = checked(files)
    if not accepted:
        raise ValidationError({"files": _("Choose at least one file.")})
    made = services.attach_evidence(actor=user, report=report, files=accepted)
    return Status(201, {"evidence": [evidence_item(e) for e in made]})


@router.post(
    "reports/{int:pk}/submit/",
    url_name="report_submit",
    response=ProgressReportDetail,
    summary=gettext_lazy("Submit a report"),
    description=gettext_lazy(
        "Draft or returned → submitted (its author only); the reviewers are told."
    ),
)
def submit_report(request: HttpRequest, pk: int, payload: NoBody = NO_BODY) -> dict[str, Any]:
    services.submit_report(actor=request.user, report=load_report(request.user, pk))
    return report_detail(load_report(request.user, pk))


@router.post(
    "reports/{int:pk}/approve/",
    url_name="report_approve",
    response=ProgressReportDetail,
    summary=gettext_lazy("Approve a report"),
    description=gettext_lazy(
        "Submitted → approved; the task's progress and milestones move (the only way they "
        "do). Reviewers: the managers above the task, or the county's administrators and "
        "leaders; never the author."
    ),
)
def approve_report(request: HttpRequest, pk: int, payload: NoBody = NO_BODY) -> dict[str, Any]:
    services.approve_report(actor=request.user, report=load_report(request.user, pk))
    return report_detail(load_report(request.user, pk))


@router.post(
    "reports/{int:pk}/return/",
    url_name="report_return",
    response=ProgressReportDetail,
    summary=gettext_lazy("Return a report"),
    description=gettext_lazy(
        "Submitted → returned (退回) with a reason; the author edits and submits again."
    ),
)
def return_report(request: HttpRequest, pk: int, payload: ReturnReason) -> dict[str, Any]:
    report = load_report(request.user, pk)
    services.return_report(actor=request.user, report=report, reason=payload.reason)
    return report_detail(load_report(request.user, pk))


@router.get(
    "evidence/{int:pk}/file/",
    url_name="evidence_file",
    summary=gettext_lazy("Download an evidence file"),
    description=gettext_lazy("The file, to those who see its report (404 otherwise)."),
    openapi_extra={
        "responses": {
            "200": {
                "description": "OK",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = models.Evidence.objects.filter(
        report__in=selectors.visible_reports(request.user), pk=pk
    ).first()
    if evidence is None:
        raise not_found()
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = download(
        handle,
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=evidence.is_photo,
    )
    response["Cache-Control"] = "private, no-store"
    return response

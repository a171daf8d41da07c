"""Progress reports (进度填报) with evidence: list, detail, draft, change, upload, submit,
approve, return. Every step goes through :mod:`hemei.progress.services`, which checks who
may do it and puts it on the task's timeline."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.core.downloads import download
from hemei.progress import selectors, services
from hemei.progress.evidence import MAX_FILE_BYTES, MAX_FILES_PER_REPORT, check_file, too_big
from hemei.progress.models import Evidence, EvidenceKind, ProgressReport, ReportState
from hemei.tasks.models import Milestone, Task

from .. import schema as s
from ..framework import Call, not_found
from .common import DIVISION, EMPTY, PERSON, api, division_ref, moment, number, person_ref

TAG = "progress"
api.gate(TAG, ProgressReport)

# Shapes -----------------------------------------------------------------------------------

TASK_BRIEF = s.response(
    "TaskBrief",
    {
        "id": s.Int(minimum=1),
        "title": s.Str(),
        "division": DIVISION,
        "progress": s.Number(minimum=0, maximum=100),
    },
)
REPORT_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "task": TASK_BRIEF,
    "author": PERSON,
    "state": s.Choice(ReportState.choices),
    "percent": s.Number(minimum=0, maximum=100),
    "text": s.Str(),
    "submitted_at": s.DateTime(nullable=True),
    "decided_at": s.DateTime(nullable=True),
    "decided_by": s.Nullable(PERSON),
    "return_reason": s.Str(),
    "evidence_count": s.Int(minimum=0),
    "duplicate_count": s.Int(
        minimum=0, description=gettext_lazy("Files already used on another report.")
    ),
    "created_at": s.DateTime(),
}
REPORT = s.response("ProgressReport", REPORT_FIELDS)
EVIDENCE = s.response(
    "Evidence",
    {
        "id": s.Int(minimum=1),
        "name": s.Str(description=gettext_lazy("The file name as uploaded.")),
        "kind": s.Choice(EvidenceKind.choices),
        "content_type": s.Str(),
        "size": s.Int(minimum=0),
        "sha256": s.Str(min_length=64, max_length=64),
        "taken_at": s.DateTime(nullable=True, description=gettext_lazy("From the photo's EXIF.")),
        "latitude": s.Number(nullable=True, places=6),
        "longitude": s.Number(nullable=True, places=6),
        "duplicate_of": s.Int(
            minimum=1,
            nullable=True,
            description=gettext_lazy("The evidence this exact file was first."),
        ),
        "url": s.Str(description=gettext_lazy("Download the file (same authentication).")),
    },
)
REPORT_DETAIL = s.response(
    "ProgressReportDetail",
    {
        **REPORT_FIELDS,
        "milestones": s.List(s.response("MilestoneRef", {"id": s.Int(minimum=1), "name": s.Str()})),
        "evidence": s.List(EVIDENCE, max_items=MAX_FILES_PER_REPORT),
        "warnings": s.List(
            s.Str(), description=gettext_lazy("What the author and reviewer should know.")
        ),
    },
)
EVIDENCE_LIST = s.response(
    "EvidenceList", {"evidence": s.List(EVIDENCE, max_items=MAX_FILES_PER_REPORT)}
)


def _brief(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "title": task.title,
        "division": division_ref(task.division),
        "progress": number(task.progress),
    }


def report_summary(report: ProgressReport) -> dict[str, Any]:
    """A list row (the queryset must come from ``for_list()``)."""
    return {
        "id": report.pk,
        "task": _brief(report.task),
        "author": person_ref(report.author),
        "state": report.state,
        "percent": number(report.percent),
        "text": report.text,
        "submitted_at": moment(report.submitted_at),
        "decided_at": moment(report.decided_at),
        "decided_by": person_ref(report.decided_by),
        "return_reason": report.return_reason,
        "evidence_count": report.evidence_count,  # type: ignore[attr-defined]
        "duplicate_count": report.duplicate_count,  # type: ignore[attr-defined]
        "created_at": moment(report.created_at),
    }


def evidence_item(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "name": evidence.original_name,
        "kind": evidence.kind,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "taken_at": moment(evidence.taken_at),
        "latitude": number(evidence.latitude),
        "longitude": number(evidence.longitude),
        "duplicate_of": evidence.duplicate_of_id,
        "url": reverse("api:v1:evidence_file", args=[evidence.pk]),
    }


def report_detail(report: ProgressReport) -> dict[str, Any]:
    return {
        **report_summary(report),
        "milestones": [{"id": m.pk, "name": m.name} for m in report.milestones.all()],
        "evidence": [evidence_item(e) for e in report.evidence.all()],
        "warnings": [str(w) for w in selectors.warnings_for(report)],
    }


def reports_of(user: Any) -> Any:
    return selectors.visible_reports(user).for_list()


def load_report(user: Any, pk: int) -> ProgressReport:
    """The report with its milestones and evidence, or 404 (a draft is its author's only)."""
    report = (
        reports_of(user)
        .prefetch_related("milestones", Prefetch("evidence", queryset=Evidence.objects.all()))
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


def _milestones(user: Any) -> Any:
    return Milestone.objects.filter(task__in=Task.objects.visible_to(user))


MILESTONE_IDS = s.List(
    s.Ref(s.Int(minimum=1), _milestones, description=gettext_lazy("A milestone of the task.")),
    max_items=100,
    description=gettext_lazy("Milestones this report says were reached."),
)
PERCENT = s.Number(
    minimum=0, maximum=100, description=gettext_lazy("The task's progress now (0–100).")
)
REPORT_CREATE = s.Obj(
    "ProgressReportCreate",
    {
        "percent": PERCENT,
        "text": s.Str(min_length=1, max_length=20_000, description=gettext_lazy("What was done.")),
        "milestones": MILESTONE_IDS,
        "submit": s.Bool(description=gettext_lazy("Submit at once instead of keeping a draft.")),
    },
    required=["percent", "text"],
)
REPORT_UPDATE = s.Obj(
    "ProgressReportUpdate",
    {
        "percent": PERCENT,
        "text": s.Str(min_length=1, max_length=20_000),
        "milestones": MILESTONE_IDS,
        "remove_evidence": s.List(s.Int(minimum=1), max_items=MAX_FILES_PER_REPORT),
    },
)
RETURN = s.Obj(
    "ReturnReason",
    {"reason": s.Str(min_length=1, max_length=2000, description=gettext_lazy("Why it goes back."))},
    required=["reason"],
)
FILTERS = (
    s.Param(
        "q", s.Str(max_length=100), gettext_lazy("Words in the task title, the text or the author.")
    ),
    s.Param("state", s.Choice(ReportState.choices)),
    s.Param("task", s.Int(minimum=1), gettext_lazy("Reports on this task.")),
    s.Param("to_review", s.Bool(), gettext_lazy("Only reports you may approve or return.")),
    s.Param("mine", s.Bool(), gettext_lazy("Only your own reports.")),
)


def uploaded_files(call: Call) -> list[Any]:
    """The multipart ``files``, checked (type read from the content, size) before saving."""
    uploads = call.files.getlist("files") if call.request.method == "POST" else []
    if len(uploads) > MAX_FILES_PER_REPORT:
        raise ValidationError(
            {
                "files": _("A report may carry at most %(limit)d files.")
                % {"limit": MAX_FILES_PER_REPORT}
            }
        )
    checked, errors = [], []
    for upload in uploads:
        if upload.size > MAX_FILE_BYTES:  # refused before it is read into memory
            errors.append(too_big(upload.name, upload.size))
            continue
        try:
            checked.append(check_file(upload.name, upload.read()))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError({"files": errors})
    return checked


# Endpoints ---------------------------------------------------------------------------------

report_list = api.route("reports/", "report_list")
task_reports = api.route("tasks/<int:pk>/reports/", "task_reports")
report_item = api.route("reports/<int:pk>/", "report_detail")
report_evidence = api.route("reports/<int:pk>/evidence/", "report_evidence")
report_submit = api.route("reports/<int:pk>/submit/", "report_submit")
report_approve = api.route("reports/<int:pk>/approve/", "report_approve")
report_return = api.route("reports/<int:pk>/return/", "report_return")
evidence_file = api.route("evidence/<int:pk>/file/", "evidence_file")


@report_list.operation(
    "GET",
    summary=gettext_lazy("List progress reports"),
    description=gettext_lazy(
        "Reports on tasks in your area, newest first; drafts only your own. With "
        "``to_review=true``, the reports waiting for you (your review queue)."
    ),
    tag=TAG,
    query=FILTERS,
    response=REPORT,
    paged=True,
)
def list_reports(call: Call) -> Any:
    query = call.query
    if query.get("to_review"):
        reports = selectors.reviewable_reports(call.user).for_list()
        reports = reports.filter(state=ReportState.SUBMITTED)
    else:
        reports = reports_of(call.user)
    reports = reports.search(query.get("q", ""))
    if "state" in query:
        reports = reports.filter(state=query["state"])
    if "task" in query:
        reports = reports.filter(task_id=query["task"])
    if query.get("mine"):
        reports = reports.filter(author_id=call.user.pk)
    return call.page(reports.order_by("-created_at", "-id"), report_summary)


@task_reports.operation(
    "GET",
    summary=gettext_lazy("List a task's reports"),
    description=gettext_lazy(
        "The reports on one task, newest first (404 for a task outside your area)."
    ),
    tag=TAG,
    response=REPORT,
    paged=True,
)
def list_task_reports(call: Call, pk: int) -> Any:
    task = load_task(call.user, pk)
    reports = reports_of(call.user).filter(task=task).order_by("-created_at", "-id")
    return call.page(reports, report_summary)


@task_reports.operation(
    "POST",
    summary=gettext_lazy("Write a progress report"),
    description=gettext_lazy(
        "A draft report on the task (submitted at once with ``submit``). Send JSON, or a "
        "multipart form with the same fields and the evidence as ``files`` (photos as JPEG, "
        "PNG or WebP; PDF, .docx, .xlsx; at most 20 files of 10 MB)."
    ),
    tag=TAG,
    body=REPORT_CREATE,
    response=REPORT_DETAIL,
    status=201,
    multipart=True,
)
def create_report(call: Call, pk: int) -> Any:
    task = load_task(call.user, pk)
    data = call.body
    report = services.create_report(
        actor=call.user,
        task=task,
        percent=data["percent"],
        text=data["text"],
        milestones=data.get("milestones", []),
        files=uploaded_files(call),
        submit=data.get("submit", False),
    )
    return report_detail(load_report(call.user, report.pk))


@report_item.operation(
    "GET",
    summary=gettext_lazy("Show a progress report"),
    description=gettext_lazy(
        "The report with its milestones, its evidence (EXIF time and place, duplicates "
        "flagged) and the warnings the reviewer sees."
    ),
    tag=TAG,
    response=REPORT_DETAIL,
)
def show_report(call: Call, pk: int) -> Any:
    return report_detail(load_report(call.user, pk))


@report_item.operation(
    "PATCH",
    summary=gettext_lazy("Change a draft report"),
    description=gettext_lazy(
        "Change a draft or returned report (its author only); ``remove_evidence`` takes files "
        "off it."
    ),
    tag=TAG,
    body=REPORT_UPDATE,
    response=REPORT_DETAIL,
)
def update_report(call: Call, pk: int) -> Any:
    report = load_report(call.user, pk)
    data = call.body
    remove_ids = set(data.get("remove_evidence", []))
    remove = [e for e in report.evidence.all() if e.pk in remove_ids]
    if len(remove) != len(remove_ids):
        raise ValidationError({"remove_evidence": _("A file of another report was named.")})
    services.update_report(
        actor=call.user,
        report=report,
        percent=data.get("percent"),
        text=data.get("text"),
        milestones=data.get("milestones"),
        remove=remove,
    )
    return report_detail(load_report(call.user, pk))


@report_evidence.operation(
    "POST",
    summary=gettext_lazy("Upload evidence"),
    description=gettext_lazy(
        "Add photos or documents (multipart ``files``) to a draft or returned report. An "
        "exact duplicate of a file used on another report is kept and flagged."
    ),
    tag=TAG,
    body=EMPTY,
    response=EVIDENCE_LIST,
    status=201,
    multipart=True,
)
def upload_evidence(call: Call, pk: int) -> Any:
    report = load_report(call.user, pk)
    files = uploaded_files(call)
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    made = services.attach_evidence(actor=call.user, report=report, files=files)
    return {"evidence": [evidence_item(e) for e in made]}


@report_submit.operation(
    "POST",
    summary=gettext_lazy("Submit a report"),
    description=gettext_lazy(
        "Draft or returned → submitted (its author only); the reviewers are told."
    ),
    tag=TAG,
    body=EMPTY,
    response=REPORT_DETAIL,
)
def submit_report(call: Call, pk: int) -> Any:
    services.submit_report(actor=call.user, report=load_report(call.user, pk))
    return report_detail(load_report(call.user, pk))


@report_approve.operation(
    "POST",
    summary=gettext_lazy("Approve a report"),
    description=gettext_lazy(
        "Submitted → approved; the task's progress and milestones move (the only way they "
        "do). Reviewers: the managers above the task, or the county's administrators and "
        "leaders; never the author."
    ),
    tag=TAG,
    body=EMPTY,
    response=REPORT_DETAIL,
)
def approve_report(call: Call, pk: int) -> Any:
    services.approve_report(actor=call.user, report=load_report(call.user, pk))
    return report_detail(load_report(call.user, pk))


@report_return.operation(
    "POST",
    summary=gettext_lazy("Return a report"),
    description=gettext_lazy(
        "Submitted → returned (退回) with a reason; the author edits and submits again."
    ),
    tag=TAG,
    body=RETURN,
    response=REPORT_DETAIL,
)
def return_report(call: Call, pk: int) -> Any:
    report = load_report(call.user, pk)
    services.return_report(actor=call.user, report=report, reason=call.body["reason"])
    return report_detail(load_report(call.user, pk))


@evidence_file.operation(
    "GET",
    summary=gettext_lazy("Download an evidence file"),
    description=gettext_lazy("The file, to those who see its report (404 otherwise)."),
    tag=TAG,
    media_type="application/octet-stream",
)
def download_evidence(call: Call, pk: int) -> Any:
    evidence = Evidence.objects.filter(
        report__in=selectors.visible_reports(call.user), pk=pk
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

"""Pages of progress reports: write one for a task, read it with its evidence, review it,
the review queue, and the task page's section. Thin: scope, form, service, render."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from hemei.accounts.policy import allowed, allows, policy_for
from hemei.core.downloads import download
from hemei.core.forms import apply_errors
from hemei.core.htmx import template_for
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.divisions.models import subtree_q
from hemei.tasks.models import Task

from . import selectors, services
from .evidence import MAX_FILE_BYTES, MAX_FILES_PER_REPORT, thumbnail
from .forms import ACCEPT, PHOTO_ACCEPT, QueueFilterForm, ReportForm, ReturnForm
from .models import Evidence, ProgressReport, ReportState


def _report_for(request: HttpRequest, pk: int) -> ProgressReport:
    return get_object_or_404(
        selectors.visible_reports(request.user).select_related(
            "task", "task__division", "author", "decided_by"
        ),
        pk=pk,
    )


def _form_context(task: Task, form: ReportForm, report: ProgressReport | None = None) -> dict:
    return {
        "task": task,
        "form": form,
        "report": report,
        "accept": ACCEPT,
        "photo_accept": PHOTO_ACCEPT,
        "max_mb": MAX_FILE_BYTES // 1024 // 1024,
        "max_files": MAX_FILES_PER_REPORT,
    }


@allowed(ProgressReport)
def report_create(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = selectors.reportable_task(request.user, task_pk)
    form = ReportForm(request.POST or None, request.FILES or None, task=task)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.create_report(
                    actor=request.user,
                    task=task,
                    percent=data["percent"],
                    text=data["text"],
                    milestones=data.get("milestones") or [],
                    files=data["files"],
                    submit="submit" in request.POST,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if report.state == ReportState.SUBMITTED:
                    messages.success(request, _("Report submitted for review."))
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("progress:report_detail", pk=report.pk)
        status = 400
    context = _form_context(task, form)
    if request.method != "POST" and (task.is_done or task.children.exists()):
        # An unbound form cannot carry errors: say why up front and offer no form.
        try:
            services.check_task_takes_reports(task)
        except ValidationError as exc:
            context["blocked"] = exc.messages
    return render(request, "progress/report_form.html", context, status=status)


@allowed(ProgressReport)
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    if report.author_id != request.user.pk or not report.is_editable:
        raise PermissionDenied(_("Only the author may change a draft or returned report."))
    task = report.task
    initial = {
        "percent": report.percent,
        "text": report.text,
        "milestones": list(report.milestones.all()),
    }
    remove = list(report.evidence.filter(pk__in=_ints(request.POST.getlist("remove"))))
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        task=task,
        existing=report.evidence.count() - len(remove),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_report(
                    actor=request.user,
                    report=report,
                    percent=data["percent"],
                    text=data["text"],
                    milestones=data.get("milestones") or [],
                    files=data["files"],
                    remove=remove,
                    submit="submit" in request.POST,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Report submitted for review.") if "submit" in request.POST else _("Saved."),
                )
                return redirect("progress:report_detail", pk=report.pk)
        status = 400
    context = _form_context(task, form, report)
    context["evidence"] = report.evidence.all()
    return render(request, "progress/report_form.html", context, status=status)


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@allowed(ProgressReport)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    evidence = list(report.evidence.select_related("duplicate_of__report__task"))
    visible = set(
        selectors.visible_reports(request.user)
        .filter(pk__in={e.duplicate_of.report_id for e in evidence if e.duplicate_of})
        .values_list("pk", flat=True)
    )
    may_review = (
        report.state == ReportState.SUBMITTED
        and report.author_id != request.user.pk
        and allows(request.user, "review", report.task)
    )
    return render(
        request,
        "progress/report_detail.html",
        {
            "report": report,
            "task": report.task,
            "evidence": evidence,
            "duplicates_visible": visible,
            "duplicate_count": sum(1 for e in evidence if e.duplicate_of_id),
            "warnings": selectors.warnings_for(report, evidence),
            "milestones": report.milestones.all(),
            "may_edit": report.author_id == request.user.pk and report.is_editable,
            "may_review": may_review,
            "return_form": ReturnForm(),
            "timeline": report.task.events.filter(data__report=report.pk).select_related("actor"),
        },
    )


def _act(
    request: HttpRequest, pk: int, action: Any, done: str, *, review: bool = False, **kwargs: Any
) -> HttpResponse:
    report = _report_for(request, pk)
    try:
        action(actor=request.user, report=report, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("progress:report_detail", pk=report.pk)
    messages.success(request, done)
    if review:
        # A reviewer goes on to the next report waiting, not back to the one just decided.
        waiting = selectors.reviewable_reports(request.user).filter(state=ReportState.SUBMITTED)
        count = waiting.count()
        if count:
            messages.info(
                request,
                ngettext(
                    "%(count)d more report waits for your review.",
                    "%(count)d more reports wait for your review.",
                    count,
                )
                % {"count": count},
            )
            return redirect("progress:review_queue")
    return redirect("progress:report_detail", pk=report.pk)


@allowed(ProgressReport)
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.submit_report, _("Report submitted for review."))


@allowed(ProgressReport)
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, services.approve_report, _("Report approved; progress updated."), review=True
    )


@allowed(ProgressReport)
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the report goes back."))
        return redirect("progress:report_detail", pk=report.pk)
    return _act(
        request,
        pk,
        services.return_report,
        _("Report returned to its author."),
        review=True,
        reason=form.cleaned_data["reason"],
    )


@allowed(ProgressReport)
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A file of evidence, only to those who see its report (a thumbnail with ``?thumb=1``)."""
    evidence = get_object_or_404(
        Evidence.objects.filter(report__in=selectors.visible_reports(request.user)), pk=pk
    )
    if not evidence.file.storage.exists(evidence.file.name):
        raise Http404(_("The file is missing."))
    if request.GET.get("thumb") and evidence.is_photo:
        name = services.thumbnail_name(evidence.file.name)
        if not default_storage.exists(name):
            with evidence.file.open("rb") as source:
                default_storage.save(name, _content(thumbnail(source.read())))
        response = download(
            default_storage.open(name, "rb"),
            filename=f"{PurePath(evidence.original_name).stem}-thumb.jpg",
            content_type="image/jpeg",
            inline=True,
        )
    else:
        response = download(
            evidence.file.open("rb"),
            filename=evidence.original_name,
            content_type=evidence.content_type,
            inline=evidence.is_photo,
        )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _content(data: bytes) -> Any:
    from django.core.files.base import ContentFile

    return ContentFile(data)


@allowed(ProgressReport)
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(
        Evidence.objects.filter(report__in=selectors.visible_reports(request.user)).select_related(
            "report", "report__task"
        ),
        pk=pk,
    )
    try:
        services.remove_evidence(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("File removed."))
    return redirect("progress:report_detail", pk=evidence.report_id)


def _queue(request: HttpRequest, form: QueueFilterForm) -> Any:
    reports = selectors.reviewable_reports(request.user).for_list()
    data = form.cleaned_data if form.is_valid() else {}
    state = data.get("state") or ReportState.SUBMITTED
    if state != "all":
        reports = reports.filter(state=state)
    reports = reports.exclude(state=ReportState.DRAFT).search(form.data.get("q", ""))
    if data.get("division"):
        reports = reports.filter(subtree_q([data["division"]], "task__division"))
    if data.get("duplicates"):
        reports = reports.filter(duplicate_count__gt=0)
    return reports.order_by("submitted_at", "id")


def _export(reports: Any) -> HttpResponse:
    return xlsx_response(
        filename="progress-reports",
        title=_("Progress reports"),
        columns=[
            (_("Task"), lambda r: r.task.title),
            (_("Division"), lambda r: r.task.division.name),
            (_("Author"), lambda r: str(r.author)),
            (_("Progress (%)"), lambda r: float(r.percent)),
            (_("State"), lambda r: r.get_state_display()),
            (_("Submitted at"), lambda r: _local(r.submitted_at)),
            (_("Files"), lambda r: r.evidence_count),
            (_("Duplicate files"), lambda r: r.duplicate_count),
            (_("What was done"), lambda r: r.text),
        ],
        queryset=reports,
    )


@allowed(ProgressReport)
def review_queue(request: HttpRequest) -> HttpResponse:
    # The menu's question: a role that reviews, or a task naming the user its lead leader.
    if not (
        policy_for(Task).may(request.user, "review", by_role=True)
        or Task.objects.filter(lead_leader=request.user).exists()
    ):
        raise PermissionDenied(_("Your role does not open this page."))
    form = QueueFilterForm(request.GET or None, user=request.user)
    reports = _queue(request, form)
    if wants_export(request):
        return _export(reports)
    return render(
        request,
        template_for(request, "progress/review_queue.html", "progress/partials/queue_rows.html"),
        {"form": form, "page": paginate(request, reports), "states": ReportState},
    )


@allowed(ProgressReport)
def my_reports(request: HttpRequest) -> HttpResponse:
    """The reports the user wrote: drafts to finish, returned ones to mend, the rest."""
    reports = (
        ProgressReport.objects.visible_to(request.user)
        .filter(author_id=request.user.pk)
        .for_list()
        .search(request.GET.get("q", ""))
    )
    state = request.GET.get("state", "")
    if state in ReportState.values:
        reports = reports.filter(state=state)
    reports = reports.order_by("-updated_at", "-id")
    if wants_export(request):
        return _export(reports)
    return render(
        request,
        template_for(request, "progress/my_reports.html", "progress/partials/queue_rows.html"),
        {"page": paginate(request, reports), "states": ReportState.choices, "mine": True},
    )


@allowed(ProgressReport)
@require_GET
def task_section(request: HttpRequest, task_pk: int) -> HttpResponse:
    """The task page's section: the task's reports and a button to write one."""
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=task_pk)
    reports = (
        selectors.visible_reports(request.user)
        .filter(task=task)
        .for_list()
        .order_by("-created_at", "-id")
    )
    may_report = allows(request.user, "report", task) and not task.is_done and not task.is_duty
    if may_report and task.children.exists():
        may_report = False
    return render(
        request,
        "progress/partials/task_section.html",
        {
            "task": task,
            "reports": reports[:50],
            "may_report": may_report,
            "may_review": allows(request.user, "review", task),
        },
    )

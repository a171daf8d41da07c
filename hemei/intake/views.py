"""Pages of the intake: import a decomposition table; read a meeting report into tasks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemei.accounts.policy import allowed
from hemei.core.downloads import download
from hemei.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from hemei.divisions.models import Division
from hemei.tasks.choices import Source
from hemei.tasks.models import Task
from hemei.units.models import Unit

from . import evidence, services
from .forms import DecompositionForm, DirectiveFormSet, MeetingReviewForm, ReportForm
from .models import IngestDraft, TableUpload
from .sheet import COLUMNS
from .workbook import example_for, render_template


def _divisions(request: HttpRequest) -> list[Division]:
    """Where the user may bring in tasks (403 when nowhere); a posted division outside → 404."""
    divisions = services.manageable_divisions(request.user)
    if not divisions:
        raise PermissionDenied(_("You may not create tasks anywhere."))
    posted = request.POST.get("division")
    if request.method == "POST" and posted and posted not in {d.code for d in divisions}:
        raise Http404(_("No such division."))
    return divisions


# ---------------------------------------------------------------------------------------------
# Decomposition table


@allowed(Division, "manage_tasks")
def decomposition_import(request: HttpRequest) -> HttpResponse:
    divisions = _divisions(request)
    # The meeting and task pages link here with ?meeting=… or ?parent=… filled in.
    initial = {
        key: request.GET[key] for key in ("division", "meeting", "parent") if key in request.GET
    }
    form = DecompositionForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        divisions=divisions,
        initial=initial,
    )
    plan = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan, upload = services.stage_table(
                    actor=request.user,
                    data=data["file"].read(),
                    filename=data["file"].name,
                    division=data["division"],
                    year=data["year"],
                    meeting=data["meeting"],
                    parent=data["parent"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if upload is not None:
                    return redirect("intake:decomposition_preview", pk=upload.pk)
    uploads = (
        TableUpload.objects.owned_by(request.user)
        .select_related("division")
        .defer("data")
        .order_by("-created_at", "-id")[:10]
    )
    return render(
        request,
        "intake/decomposition_import.html",
        {"form": form, "plan": plan, "columns": COLUMNS, "uploads": uploads},
        status=status,
    )


def _preview(
    request: HttpRequest, upload: TableUpload, status: int = 200, error: str = ""
) -> HttpResponse:
    plan = services.replan(actor=request.user, upload=upload)
    return render(
        request,
        "intake/decomposition_preview.html",
        {"upload": upload, "plan": plan, "error": error},
        status=status,
    )


@allowed(Division, "manage_tasks")
def decomposition_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(
        TableUpload.objects.owned_by(request.user).select_related("division", "meeting", "parent"),
        pk=pk,
    )
    return _preview(request, upload)


@require_POST
@allowed(Division, "manage_tasks")
def decomposition_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(
        TableUpload.objects.owned_by(request.user).select_related("division", "meeting", "parent"),
        pk=pk,
    )
    try:
        outcome = services.confirm_table(actor=request.user, upload=upload)
    except services.DecompositionError:
        return _preview(request, upload, status=400)
    except ValidationError as error:
        return _preview(request, upload, status=409, error=" ".join(error.messages))
    messages.success(
        request,
        _("Imported %(created)s tasks; %(skipped)s were already there.")
        % {"created": len(outcome.created), "skipped": outcome.skipped},
    )
    return redirect("intake:decomposition_preview", pk=upload.pk)


@allowed(Division, "manage_tasks")
def decomposition_template(request: HttpRequest) -> HttpResponse:
    """An example table in the expected format, with a sheet of instructions."""
    divisions = _divisions(request)
    return download(
        render_template(example_for(divisions[0])),
        filename="任务分解表模板.xlsx",
        content_type=XLSX_TYPE,
    )


# ---------------------------------------------------------------------------------------------
# Meeting report


@allowed(Division, "manage_tasks")
def report_ingest(request: HttpRequest) -> HttpResponse:
    divisions = _divisions(request)
    form = ReportForm(request.POST or None, request.FILES or None, divisions=divisions)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            try:
                draft = services.start_draft(
                    actor=request.user,
                    division=data["division"],
                    year=data["year"],
                    text=data["text"],
                    data=upload.read() if upload else None,
                    filename=upload.name if upload else "",
                )
            except services.ReportError as error:
                form.add_error(None, str(error))
            else:
                return redirect("intake:report_review", pk=draft.pk)
    drafts = IngestDraft.objects.owned_by(request.user).select_related("division")[:10]
    return render(
        request,
        "intake/report_ingest.html",
        {"form": form, "drafts": drafts},
        status=status,
    )


def _unit_choices(units: list[Unit], division: Division) -> list[tuple[int, str]]:
    return [
        (
            unit.pk,
            unit.name if unit.division_id == division.code else f"{unit.name}（{unit.division}）",
        )
        for unit in units
    ]


@allowed(Division, "manage_tasks")
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(
        IngestDraft.objects.owned_by(request.user).select_related("division", "meeting"), pk=pk
    )
    context: dict[str, Any] = {"draft": draft}
    if draft.meeting_id is not None or draft.accepted_at is not None:
        if request.method == "POST":
            context["error"] = _("This report has already been accepted.")
        context["tasks"] = (
            Task.objects.visible_to(request.user)
            .filter(meeting_id=draft.meeting_id, source=Source.INGEST)
            .select_related("lead_unit")
            .order_by("id")
            if draft.meeting_id is not None
            else []
        )
        status = 409 if request.method == "POST" else 200
        return render(request, "intake/report_accepted.html", context, status=status)
    review = services.review_of(draft)
    by_pk = {unit.pk: unit for unit in review.units}
    choices = _unit_choices(review.units, draft.division)
    form = MeetingReviewForm(request.POST or None, initial=review.meeting_initial)
    formset = DirectiveFormSet(
        request.POST or None,
        initial=review.directive_initial,
        form_kwargs={"unit_choices": choices},
        prefix="d",
    )
    status = 200
    if request.method == "POST":
        status = 400
        if not formset.management_form.is_valid() or formset.total_form_count() != len(
            review.directives
        ):
            context["error"] = _("The form does not match the report; open it again.")
            formset = DirectiveFormSet(
                initial=review.directive_initial, form_kwargs={"unit_choices": choices}, prefix="d"
            )
        elif all([form.is_valid(), formset.is_valid()]):
            accepted = [
                services.AcceptedDirective(
                    index=index,
                    text=data["text"],
                    theme=data["theme"],
                    due_on=data["due_on"],
                    lead_unit=by_pk.get(data["lead_unit"]) if data.get("lead_unit") else None,
                    co_units=[by_pk[pk] for pk in data["co_units"] if pk in by_pk],
                )
                for index, data in enumerate(formset.cleaned_data)
                if data.get("keep")
            ]
            try:
                created = services.accept_draft(
                    actor=request.user, draft=draft, directives=accepted, **form.cleaned_data
                )
            except ValidationError as error:
                context["error"] = " ".join(error.messages)
            else:
                messages.success(
                    request,
                    _("Created the meeting %(name)s with %(count)s decisions and draft tasks.")
                    % {"name": created.name, "count": len(accepted)},
                )
                return redirect("intake:report_review", pk=draft.pk)
    context.update(
        result=draft.result,
        meeting=evidence.meeting_evidence(draft.result, draft.year),
        people=evidence.people_rows(draft.result),
        programs=evidence.program_rows(draft.result),
        form=form,
        formset=formset,
        rows=list(zip(formset.forms, review.directives, strict=True)),
    )
    return render(request, "intake/report_review.html", context, status=status)

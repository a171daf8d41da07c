"""Meeting pages: list, detail with its decisions and the tasks made from each, create and
edit with the decisions formset, attachments uploaded and served through a scoped view."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemei.accounts.policy import allowed, allows_at
from hemei.core.downloads import download
from hemei.core.forms import apply_errors
from hemei.core.htmx import template_for
from hemei.core.lists import paginate, wants_export, xlsx_response

from . import services
from .forms import AttachmentForm, DecisionFormSet, MeetingFilterForm, MeetingForm
from .models import Decision, Meeting, MeetingAttachment
from .selectors import division_choices, may_hold_meetings


def _meetings(request: HttpRequest) -> Any:
    form = MeetingFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    meetings = (
        Meeting.objects.visible_to(request.user)
        .select_related("division")
        .annotate(decision_count=Count("decisions", distinct=True))
        .search(form.data.get("q", ""))
    )
    if data.get("level"):
        meetings = meetings.filter(level=data["level"])
    if data.get("year"):
        meetings = meetings.filter(held_on__year=data["year"])
    return form, meetings.order_by("-held_on", "-id")


@allowed(Meeting)
def meeting_list(request: HttpRequest) -> HttpResponse:
    form, meetings = _meetings(request)
    if wants_export(request):
        return xlsx_response(
            filename="meetings",
            title=_("Meetings"),
            columns=[
                (_("Meeting name"), lambda m: m.name),
                (_("Date"), lambda m: m.held_on),
                (_("Level"), lambda m: m.get_level_display()),
                (_("Organizing division"), lambda m: m.division.name),
                (_("Place"), lambda m: m.place),
                (_("Host"), lambda m: m.host),
                (_("Decisions"), lambda m: m.decision_count),
            ],
            queryset=meetings,
        )
    return render(
        request,
        template_for(request, "meetings/meeting_list.html", "meetings/partials/meeting_rows.html"),
        {
            "form": form,
            "page": paginate(request, meetings),
            "may_create": may_hold_meetings(request.user),
        },
    )


@allowed(Meeting)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.get_visible(request.user, pk)
    # the tasks made from each decision, reached through the relation (tasks lie above meetings)
    task_model = Decision._meta.get_field("tasks").related_model
    visible_tasks = task_model.objects.visible_to(request.user).select_related("division")
    decisions = list(
        meeting.decisions.prefetch_related(
            Prefetch("tasks", queryset=visible_tasks.order_by("division_id", "id"), to_attr="shown")
        )
    )
    for decision in decisions:
        # A fanned-out task is listed once: its parts (one per town) are on its own page.
        ids = {task.pk for task in decision.shown}
        tops = [task for task in decision.shown if task.parent_id not in ids]
        decision.parts = len(decision.shown) - len(tops)
        decision.shown = tops
    may_manage = allows_at(request.user, "manage_tasks", meeting.division_id)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": decisions,
            "attachments": meeting.attachments.all(),
            "other_tasks": visible_tasks.filter(meeting=meeting, decision__isnull=True),
            "may_manage": may_manage,
            "may_create_tasks": may_hold_meetings(request.user),
            "upload": AttachmentForm() if may_manage else None,
        },
    )


def _formset_initial(meeting: Meeting | None) -> list[dict[str, Any]]:
    if meeting is None:
        return []
    return [
        {
            "id": d.pk,
            "number": d.number,
            "text": d.text,
            "speaker": d.speaker,
            "theme": d.theme,
            "responsible": d.responsible,
            "deadline_text": d.deadline_text,
        }
        for d in meeting.decisions.all()
    ]


def _edit(request: HttpRequest, meeting: Meeting | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {}
    if meeting is not None:
        initial = {name: getattr(meeting, name) for name in services.FIELDS}
        initial["division"] = meeting.division_id
    form = MeetingForm(data, user=request.user, initial=initial)
    if meeting is not None:
        form.fields["division"].disabled = True
    decisions = DecisionFormSet(data, prefix="decisions", initial=_formset_initial(meeting))
    if request.method == "POST" and form.is_valid() and decisions.is_valid():
        try:
            if meeting is None:
                meeting = services.create_meeting(
                    actor=request.user,
                    division=form.cleaned_data["division"],
                    decisions=decisions.rows(),
                    **form.meeting_fields(),
                )
                messages.success(request, _("Meeting created."))
            else:
                services.update_meeting(
                    actor=request.user,
                    meeting=meeting,
                    decisions=decisions.rows(),
                    **form.meeting_fields(),
                )
                messages.success(request, _("Saved."))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "decisions": decisions,
            "meeting": meeting,
            "division_choices": division_choices(request.user) if meeting is None else [],
        },
        status=400 if request.method == "POST" else 200,
    )


@allowed(Meeting)
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not may_hold_meetings(request.user):
        raise PermissionDenied(_("You may not manage meetings."))
    return _edit(request, None)


@allowed(Meeting)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.get_visible(request.user, pk)
    if not allows_at(request.user, "manage_tasks", meeting.division_id):
        raise PermissionDenied(_("You may not manage this meeting."))
    return _edit(request, meeting)


@allowed(Meeting)
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.get_visible(request.user, pk)
    if not allows_at(request.user, "manage_tasks", meeting.division_id):
        raise PermissionDenied(_("You may not manage this meeting."))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(
                actor=request.user, meeting=meeting, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Attachment added."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/attachment_error.html",
        {"meeting": meeting, "upload": form},
        status=400,
    )


def _visible_attachment(request: HttpRequest, pk: int) -> MeetingAttachment:
    return get_object_or_404(
        MeetingAttachment.objects.filter(
            meeting__in=Meeting.objects.visible_to(request.user)
        ).select_related("meeting"),
        pk=pk,
    )


@allowed(Meeting)
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = _visible_attachment(request, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return download(handle, filename=attachment.name)


@allowed(Meeting)
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _visible_attachment(request, pk)
    if not allows_at(request.user, "manage_tasks", attachment.meeting.division_id):
        raise PermissionDenied(_("You may not manage this meeting."))
    services.remove_attachment(actor=request.user, attachment=attachment)
    messages.success(request, _("Attachment removed."))
    return redirect("meetings:meeting_detail", pk=attachment.meeting_id)

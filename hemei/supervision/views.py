"""Supervision pages: the centre (orders, cards, extension requests), an order with its
answers, issuing an order, extension requests and decisions, the ladder, and the section of
the task page. Thin: scope (404 outside it), form, service (403 without the right)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hemei.accounts.policy import admin_required, allowed, allows, allows_at, may, places
from hemei.core import clock
from hemei.core.downloads import download
from hemei.core.forms import apply_errors
from hemei.core.htmx import template_for
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.tasks.models import Task
from hemei.tasks.selectors import towns_for
from hemei.tasks.services import get_visible

from . import selectors, services
from .choices import ExtensionState, OrderState
from .forms import (
    TABS,
    CentreFilterForm,
    DecisionForm,
    ExtensionForm,
    NoteForm,
    OrderForm,
    ReplyForm,
    StepFormSet,
    state_label,
)
from .models import ExtensionRequest, OrderReply, SupervisionOrder


def _task_name(task: Any) -> str:
    return f"{task.title}（{task.division.name}）"


# --- the centre ---------------------------------------------------------------------------


@allowed(SupervisionOrder)
def centre(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "orders"
    towns = list(towns_for(request.user).only("code", "name"))
    form = CentreFilterForm(request.GET, towns=towns, tab=tab)
    f = form.values()
    if tab == "cards":
        rows: Any = selectors.cards(request.user, f)
    elif tab == "extensions":
        rows = selectors.extensions(request.user, f)
    else:
        rows = selectors.orders(request.user, f)
    if wants_export(request):
        return _export(tab, rows)
    return render(
        request,
        template_for(request, "supervision/centre.html", f"supervision/partials/{tab}_rows.html"),
        {
            "tab": tab,
            "form": form,
            "page": paginate(request, rows),
            "summary": selectors.summary(request.user),
            "today": clock.today(),
        },
    )


def _export(tab: str, rows: Any) -> HttpResponse:
    if tab == "cards":
        return xlsx_response(
            filename="cards",
            title=_("Cards"),
            columns=[
                (_("Card"), lambda c: c.get_kind_display()),
                (_("Task"), lambda c: c.task.title),
                (_("Division"), lambda c: c.task.division.name),
                (_("Lead unit"), lambda c: c.task.lead_unit.name if c.task.lead_unit else ""),
                (_("Deadline then"), lambda c: c.due_on),
                (_("Issued at"), lambda c: clock_local(c.issued_at)),
            ],
            queryset=rows,
        )
    if tab == "extensions":
        return xlsx_response(
            filename="extension-requests",
            title=_("Extension requests"),
            columns=[
                (_("Task"), lambda e: e.task.title),
                (_("Division"), lambda e: e.task.division.name),
                (_("Requested by"), lambda e: str(e.requested_by or "")),
                (_("Current deadline"), lambda e: e.current_due),
                (_("Requested deadline"), lambda e: e.requested_due),
                (_("Reason"), lambda e: e.reason),
                (_("State"), lambda e: e.get_state_display()),
                (_("Decided by"), lambda e: str(e.decided_by or "")),
                (_("Decision note"), lambda e: e.decision_note),
            ],
            queryset=rows,
        )
    today = clock.today()
    return xlsx_response(
        filename="supervision-orders",
        title=_("Supervision orders"),
        columns=[
            (_("Number"), lambda o: o.number),
            (_("Task"), lambda o: o.task.title),
            (_("Division"), lambda o: o.task.division.name),
            (_("Lead unit"), lambda o: o.task.lead_unit.name if o.task.lead_unit else ""),
            (_("Issued at"), lambda o: clock_local(o.issued_at)),
            (_("Issued by"), lambda o: str(o.issued_by) if o.issued_by else _("escalation ladder")),
            (_("Reply due"), lambda o: o.reply_due),
            (_("State"), lambda o: state_label(o.state)),
            (_("Reply overdue"), lambda o: _("yes") if o.is_reply_overdue(today) else ""),
        ],
        queryset=rows,
    )


def clock_local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- orders -------------------------------------------------------------------------------


def _visible_order(user: Any, pk: int) -> SupervisionOrder:
    return get_object_or_404(
        SupervisionOrder.objects.visible_to(user).select_related(
            "task",
            "task__division",
            "task__lead_unit",
            "task__responsible",
            "task__lead_leader",
            "issued_by",
            "closed_by",
        ),
        pk=pk,
    )


@allowed(SupervisionOrder)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request.user, pk)
    task = order.task
    may_answer = allows(request.user, "answer", task) and order.state != OrderState.CLOSED
    may_supervise = allows(request.user, "supervise", task)
    reply_form = ReplyForm()
    note_form = NoteForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "reply":
                if not allows(request.user, "answer", task):
                    raise PermissionDenied(_("You may not answer this supervision order."))
                reply_form = ReplyForm(request.POST, request.FILES)
                if reply_form.is_valid():
                    services.reply_to_order(
                        order=order,
                        actor=request.user,
                        text=reply_form.cleaned_data["text"],
                        attachment=reply_form.cleaned_data["attachment"],
                    )
                    messages.success(request, _("Your answer has been sent."))
                    return redirect("supervision:order_detail", pk=order.pk)
            elif action in ("close", "send_back"):
                if not may_supervise:
                    raise PermissionDenied(_("You may not decide on this supervision order."))
                note_form = NoteForm(request.POST)
                if note_form.is_valid():
                    note = note_form.cleaned_data["note"]
                    if action == "close":
                        services.close_order(order=order, actor=request.user, note=note)
                        messages.success(request, _("The order is closed."))
                    else:
                        services.send_back_order(order=order, actor=request.user, note=note)
                        messages.success(request, _("The answer was sent back."))
                    return redirect("supervision:order_detail", pk=order.pk)
            else:
                return HttpResponse(_("Unknown action."), status=400)
        except ValidationError as exc:
            apply_errors(reply_form if action == "reply" else note_form, exc)
        status = 400
    return render(
        request,
        "supervision/order_detail.html",
        {
            "order": order,
            "task": task,
            "replies": order.replies.select_related("author"),
            "reply_form": reply_form,
            "note_form": note_form,
            "may_answer": may_answer,
            "may_decide": may_supervise and order.state == OrderState.ANSWERED,
            "overdue": order.is_reply_overdue(clock.today()),
        },
        status=status,
    )


@allowed(SupervisionOrder)
def reply_attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    reply = get_object_or_404(
        OrderReply.objects.filter(
            order__in=SupervisionOrder.objects.visible_to(request.user)
        ).exclude(attachment=""),
        pk=pk,
    )
    try:
        handle = reply.attachment.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing.")) from None
    name = reply.attachment.name.rsplit("/", 1)[-1]
    return download(handle, filename=name)


@allowed(SupervisionOrder)
def order_create(request: HttpRequest, task_pk: int) -> HttpResponse:
    if not may(request.user, "supervise", Task):
        raise PermissionDenied(_("Your role does not open this page."))
    task = get_visible(request.user, task_pk)
    if not allows(request.user, "supervise", task):
        raise PermissionDenied(_("You may not issue supervision orders for this task."))
    form = OrderForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                order = services.issue_order(task=task, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Supervision order %(number)s issued.") % {"number": order.number}
                )
                return redirect("supervision:order_detail", pk=order.pk)
        return render(
            request, "supervision/order_create.html", {"form": form, "task": task}, status=400
        )
    return render(request, "supervision/order_create.html", {"form": form, "task": task})


# --- extensions ---------------------------------------------------------------------------


@allowed(SupervisionOrder)
def extension_create(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = get_visible(request.user, task_pk)
    if not allows(request.user, "answer", task):
        raise PermissionDenied(_("You may not request an extension for this task."))
    form = ExtensionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                ext = services.request_extension(task=task, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The extension request has been sent."))
                return redirect("supervision:extension_detail", pk=ext.pk)
        return render(
            request, "supervision/extension_create.html", {"form": form, "task": task}, status=400
        )
    return render(request, "supervision/extension_create.html", {"form": form, "task": task})


@allowed(SupervisionOrder)
def extension_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ext = get_object_or_404(
        ExtensionRequest.objects.visible_to(request.user).select_related(
            "task", "task__division", "task__lead_leader", "requested_by", "decided_by"
        ),
        pk=pk,
    )
    may_decide = allows(request.user, "decide", ext) and ext.state == ExtensionState.PENDING
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.decide_extension(
                    request=ext,
                    actor=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The decision has been recorded."))
                return redirect("supervision:extension_detail", pk=ext.pk)
        status = 400
    return render(
        request,
        "supervision/extension_detail.html",
        {"ext": ext, "task": ext.task, "form": form, "may_decide": may_decide},
        status=status,
    )


# --- the ladder ---------------------------------------------------------------------------


@admin_required
def ladder(request: HttpRequest) -> HttpResponse:
    counties = list(
        Division.objects.current()
        .filter(level=Level.COUNTY)
        .filter(code__in=places(request.user, "administer").values("code"))
        .only("code", "name")
        .order_by("code")
    )
    if not counties:
        raise PermissionDenied(_("Only county administrators configure the ladder."))
    code = request.POST.get("county") or request.GET.get("county") or counties[0].code
    county = next((c for c in counties if c.code == code), None)
    if county is None or not allows_at(request.user, "administer", county.code):
        raise Http404(_("No such county."))
    steps = services.ladder_for(county.code)
    configured = services.configured_ladders().get(county.code) is not None
    initial = [{"kind": s.kind, "days": s.days, "reply_days": s.reply_days or None} for s in steps]
    formset = StepFormSet(request.POST or None, initial=initial, prefix="steps")
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "default":
            services.save_ladder(actor=request.user, division=county, steps=[])
            messages.success(request, _("The default ladder applies again."))
            return redirect(f"{request.path}?county={county.code}")
        if formset.is_valid():
            chosen = [s for s in (form.step() for form in formset) if s is not None]
            try:
                if not chosen:
                    raise ValidationError(_("Keep at least one step, or restore the default."))
                services.save_ladder(actor=request.user, division=county, steps=chosen)
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                messages.success(request, _("The ladder has been saved."))
                return redirect(f"{request.path}?county={county.code}")
        status = 400
    return render(
        request,
        "supervision/ladder.html",
        {
            "counties": counties,
            "county": county,
            "formset": formset,
            "configured": configured,
            "steps": steps,
        },
        status=status,
    )


# --- the section of the task page ---------------------------------------------------------


@allowed(SupervisionOrder)
def task_section(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = get_visible(request.user, task_pk)
    today = clock.today()
    return render(
        request,
        "supervision/partials/task_section.html",
        {
            "task": task,
            "orders": list(task.supervision_orders.select_related("issued_by")),
            "cards": list(task.cards.all()),
            "extensions": list(
                task.extension_requests.select_related("requested_by", "decided_by")
            ),
            "today": today,
            "may_supervise": allows(request.user, "supervise", task),
            "may_answer": allows(request.user, "answer", task) and not task.is_done,
            "has_pending": task.extension_requests.filter(state=ExtensionState.PENDING).exists(),
        },
    )

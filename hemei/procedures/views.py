from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemei.accounts.policy import allowed, allows, allows_at, get_or_404, grants, may
from hemei.core import clock
from hemei.core.downloads import download
from hemei.core.forms import apply_errors
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.divisions.choices import CODE_LENGTH, Level
from hemei.divisions.models import Division

from . import calendar, selectors, services
from .choices import DecisionState, StepKind
from .forms import (
    AddCalculatorForm,
    BetweenCalculatorForm,
    DecisionMeetingForm,
    DecisionPublishForm,
    DecisionRecordForm,
    EndLimitForm,
    LimitForm,
    WorkdayYearForm,
)
from .models import DecisionFile, DecisionRecord, TimeLimit, WorkdayYear
from .selectors import unknown_year_message

# --------------------------------------------------------------------------- the schedule


def _calculate(request: HttpRequest, clock_: calendar.Schedule) -> tuple[Any, Any, bool]:
    """The two calculators of the schedule page, filled from the query string."""
    adding = AddCalculatorForm(request.GET if "start" in request.GET else None)
    counting = BetweenCalculatorForm(request.GET if "first" in request.GET else None)
    bad = False
    for form in (adding, counting):
        if not form.is_bound:
            continue
        if not form.is_valid():
            bad = True
            continue
        data = form.cleaned_data
        try:
            if form is adding:
                form.result = calendar.add_workdays(data["start"], data["days"], clock_)
            else:
                form.result = calendar.workdays_between(data["first"], data["last"], clock_)
        except calendar.ScheduleUnknown as exc:
            form.add_error(None, unknown_year_message(exc))
            bad = True
    return adding, counting, bad


@allowed(WorkdayYear)
def workday_list(request: HttpRequest) -> HttpResponse:
    """The schedule the clock uses: the library's years, the years added, two calculators."""
    clock_ = selectors.schedule()
    rows = selectors.workday_years(request.user)
    in_force = set(rows.in_force().values_list("pk", flat=True))
    adding, counting, bad = _calculate(request, clock_)
    return render(
        request,
        "procedures/workday_list.html",
        {
            "library_years": calendar.describe_years(calendar.LIBRARY_YEARS),
            "known_years": calendar.describe_years(clock_.known_years()),
            "rows": rows,
            "in_force": in_force,
            "adding": adding,
            "counting": counting,
            "may_change": may(request.user, "change", WorkdayYear),
        },
        status=400 if bad else 200,
    )


@allowed(WorkdayYear, "change")
def workday_add(request: HttpRequest) -> HttpResponse:
    form = WorkdayYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.add_workday_year(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The schedule of %(year)s is saved.") % {"year": row.year})
            return redirect("procedures:workday_list")
    return render(
        request,
        "procedures/workday_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- time limits


def _home_county(user: Any) -> str:
    """The county a user's time limits open on: the county of their (first) grant."""
    codes = sorted({g.division_id for g in grants(user)}, key=lambda code: (len(code), code))
    length = CODE_LENGTH[Level.COUNTY]
    if codes and len(codes[0]) >= length:
        return codes[0][:length]
    counties = Division.objects.current().filter(level=Level.COUNTY)
    first = (counties.within(codes[0]) if codes else counties).order_by("code").first()
    if first is None:
        raise Http404
    return first.code


def _county(request: HttpRequest) -> Division:
    """The county of the page (``?county=``), which the user must be able to see."""
    code = (request.GET.get("county") or "").strip() or _home_county(request.user)
    if not (code.isascii() and code.isdigit() and len(code) == CODE_LENGTH[Level.COUNTY]):
        raise Http404
    county = Division.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not allows_at(request.user, "view_with_ancestors", county.code):
        raise Http404
    return county


def _status(limit: TimeLimit, today: dt.date) -> str:
    if limit.valid_from > today:
        return "upcoming"
    return "in_force" if limit.in_force_on(today) else "ended"


@allowed(TimeLimit)
def limit_list(request: HttpRequest) -> HttpResponse:
    """The county's time limits and its province's, with which one applies today."""
    county = _county(request)
    today = clock.today()
    limits = selectors.time_limits(request.user, county.code)
    if wants_export(request):
        return xlsx_response(
            filename="time-limits",
            title=_("Time limits"),
            columns=[
                (_("Key"), lambda t: t.key),
                (_("Name"), lambda t: t.name),
                (_("Applies to"), lambda t: t.division.name),
                (_("Days"), lambda t: t.days),
                (_("Unit"), lambda t: t.get_unit_display()),
                (_("Extension (days)"), lambda t: t.extension_days),
                (_("Legal basis"), lambda t: t.basis),
                (_("Valid from"), lambda t: t.valid_from),
                (_("Valid until"), lambda t: t.valid_to),
            ],
            queryset=limits,
        )
    # Today's row per key: the county's, else the province's.
    applies: dict[str, int] = {}
    for limit in sorted(limits, key=lambda t: len(t.division_id)):
        if limit.in_force_on(today):
            applies[limit.key] = limit.pk
    page = paginate(request, limits)
    for limit in page:
        limit.status = _status(limit, today)
        limit.applies = applies.get(limit.key) == limit.pk
        limit.may_end = allows(request.user, "change", limit)
    may_add = any(
        allows(request.user, "change", TimeLimit(division=d))
        for d in (county, Division(code=county.code[: CODE_LENGTH[Level.PROVINCE]]))
    )
    return render(
        request,
        "procedures/limit_list.html",
        {
            "county": county,
            "page": page,
            "today": today,
            "may_add": may_add,
            "may_change_schedule": may(request.user, "change", WorkdayYear),
            "end_form": EndLimitForm(),
        },
    )


@allowed(TimeLimit, "change")
def limit_add(request: HttpRequest) -> HttpResponse:
    county = _county(request)
    province = Division.objects.filter(code=county.code[: CODE_LENGTH[Level.PROVINCE]]).first()
    divisions = [
        d
        for d in (county, province)
        if d is not None and allows(request.user, "change", TimeLimit(division=d))
    ]
    if not divisions:
        raise PermissionDenied(_("Only the county's administrators set its time limits."))
    form = LimitForm(
        request.POST or None, divisions=divisions, initial={"valid_from": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            limit = services.add_time_limit(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Time limit %(name)s added.") % {"name": limit.name})
            return redirect(_list_url(county.code))
    return render(
        request,
        "procedures/limit_form.html",
        {"form": form, "county": county},
        status=400 if request.method == "POST" else 200,
    )


def _list_url(county_code: str) -> str:
    return f"{reverse('procedures:limit_list')}?county={county_code}"


@allowed(TimeLimit, "change")
@require_POST
def limit_end(request: HttpRequest, pk: int) -> HttpResponse:
    limit = get_or_404(request.user, "change", TimeLimit.objects.select_related("division"), pk=pk)
    form = EndLimitForm(request.POST)
    if form.is_valid():
        try:
            services.end_time_limit(
                actor=request.user, limit=limit, valid_to=form.cleaned_data["valid_to"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Time limit %(name)s ended.") % {"name": limit.name})
            county = limit.division_id if limit.division.level == Level.COUNTY else ""
            return redirect(_list_url(county) if county else reverse("procedures:limit_list"))
    return render(request, "procedures/limit_end.html", {"form": form, "limit": limit}, status=400)


# --------------------------------------------------------------------------- 四议两公开


def _own_village(user: Any) -> str:
    """The village a user's grant lies on, when they hold exactly one (the form's default)."""
    codes = {g.division_id for g in grants(user) if len(g.division_id) == 12}
    return codes.pop() if len(codes) == 1 else ""


@allowed(DecisionRecord)
def decision_list(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    state = request.GET.get("state") or ""
    area = (request.GET.get("area") or "").strip()
    if area and not (area.isascii() and area.isdigit() and len(area) <= 12):
        area = ""
    rows = selectors.decision_records(request.user, q=q, state=state, area=area)
    if wants_export(request):
        return xlsx_response(
            filename="decision-records",
            title=_("Decision records"),
            columns=selectors.decision_columns(),
            queryset=rows,
        )
    return render(
        request,
        "procedures/decision_list.html",
        {
            "page": paginate(request, rows),
            "q": q,
            "state": state,
            "area": area,
            "states": DecisionState.choices,
            "may_add": may(request.user, "change", DecisionRecord),
        },
    )


@allowed(DecisionRecord, "change")
def decision_create(request: HttpRequest) -> HttpResponse:
    village = _own_village(request.user)
    processes = selectors.decision_processes(request.user, village)
    form = DecisionRecordForm(
        request.POST or None, processes=processes, initial={"village": village}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not allows(request.user, "change", DecisionRecord(village=data["village"])):
            form.add_error("village", _("You do not record decisions of this village."))
        else:
            try:
                record = services.create_record(actor=request.user, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The decision record is created."))
                return redirect("procedures:decision_detail", pk=record.pk)
    return render(
        request,
        "procedures/decision_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _record(request: HttpRequest, pk: int, action: str = "view") -> DecisionRecord:
    return get_or_404(
        request.user,
        action,
        DecisionRecord.objects.select_related("village", "process", "step"),
        pk=pk,
    )


@allowed(DecisionRecord)
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    meetings = {
        m.step_id: m for m in record.meetings.select_related("step").prefetch_related("files")
    }
    publications = {p.step_id: p for p in record.publications.all()}
    merged_into = None
    steps = []
    for step in record.process.steps.all():
        meeting = meetings.get(step.pk)
        if meeting is not None and meeting.covers_next:
            merged_into = meeting
        covered = (
            merged_into is not None
            and step.kind == StepKind.CONSULTATION
            and meeting is None
            and merged_into.step.position == step.position - 1
        )
        steps.append(
            {
                "step": step,
                "meeting": meeting,
                "publication": publications.get(step.pk),
                "covered": covered,
                "current": record.step_id == step.pk,
                "rule": "" if step.publishes else step.rule().describe(),
            }
        )
    may_change = allows(request.user, "change", record)
    return render(
        request,
        "procedures/decision_detail.html",
        {
            "record": record,
            "steps": steps,
            "links": record.links.select_related("content_type"),
            "may_act": may_change and record.state == DecisionState.IN_PROGRESS,
        },
    )


@allowed(DecisionRecord, "change")
def decision_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk, "change")
    step = record.step
    if record.state != DecisionState.IN_PROGRESS or step is None or step.publishes:
        messages.error(request, _("The current step takes no meeting."))
        return redirect("procedures:decision_detail", pk=record.pk)
    judge, covers_next = services.meeting_rule(record, step)
    form = DecisionMeetingForm(
        request.POST or None, request.FILES or None, initial={"held_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(
                actor=request.user, record=record, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            (messages.success if meeting.passed else messages.warning)(request, meeting.reason)
            return redirect("procedures:decision_detail", pk=record.pk)
    return render(
        request,
        "procedures/decision_meeting.html",
        {
            "record": record,
            "step": step,
            "rule": judge.rule().describe(),
            "covers_next": covers_next,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@allowed(DecisionRecord, "change")
def decision_publish(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk, "change")
    step = record.step
    if record.state != DecisionState.IN_PROGRESS or step is None or not step.publishes:
        messages.error(request, _("The current step is not a publication."))
        return redirect("procedures:decision_detail", pk=record.pk)
    form = DecisionPublishForm(request.POST or None, initial={"published_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.publish(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Published: %(step)s.") % {"step": step.name})
            return redirect("procedures:decision_detail", pk=record.pk)
    return render(
        request,
        "procedures/decision_publish.html",
        {"record": record, "step": step, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@allowed(DecisionRecord)
def decision_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    record = _record(request, pk)
    item = get_or_404(
        request.user, "view", DecisionFile.objects.filter(meeting__record=record), pk=file_pk
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download(handle, filename=item.name, content_type=item.content_type, inline=True)

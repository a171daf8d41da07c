"""Pages of homestead approval: the town's ledger, the county's filing, applying (a phone
first), an application's page with its flags, the joint review, site visits, deviations and
the hand-back, the forms as Word, and the county's area limits. The steps themselves are
taken on the case's page (``cases:detail``)."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemei.accounts.policy import allowed, allows_at, get_or_404, places, restrict
from hemei.cases import selectors as case_selectors
from hemei.cases.choices import CaseState
from hemei.core import clock
from hemei.core.downloads import download
from hemei.core.forms import apply_errors
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.divisions.choices import Level as DivisionLevel
from hemei.households.selectors import household_of
from hemei.places.maps import allow_tiles

from . import paperwork, selectors, services
from .choices import BuildType, Office
from .forms import (
    ApplyForm,
    DeviationForm,
    EndLimitForm,
    FlagForm,
    HandbackForm,
    LimitForm,
    OfficesForm,
    OpinionForm,
    VisitForm,
)
from .models import Application, AreaLimit, Deviation, Flag, JointOpinion, VisitPhoto

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _application(request: HttpRequest, pk: int) -> Application:
    return get_or_404(request.user, "view", Application.objects.with_case(), pk=pk)


def _officials_only(request: HttpRequest) -> None:
    if not places(request.user, "read_village").exists():
        raise PermissionDenied(_("Your role does not open this page."))


def _list(request: HttpRequest, *, filing: bool) -> HttpResponse:
    _officials_only(request)
    q = (request.GET.get("q") or "").strip()[:100]
    state = request.GET.get("state") or ""
    area = case_selectors.division_code(request.GET.get("area", ""))
    build_type = request.GET.get("build_type") or ""
    flagged = request.GET.get("flagged") == "1"
    late = request.GET.get("handback") == "late"
    year = request.GET.get("year") or ""
    year_n = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    today = clock.today()
    rows = selectors.filter_applications(
        selectors.applications(request.user),
        q=q,
        state=state,
        area=area,
        build_type=build_type,
        flagged=flagged,
        approved=filing,
        year=year_n,
        handback_late_on=today if late else None,
    )
    if wants_export(request):
        return xlsx_response(
            filename="homestead-filing" if filing else "homestead-ledger",
            title=_("Homestead filing") if filing else _("Homestead approval ledger"),
            columns=selectors.ledger_columns(),
            queryset=rows,
        )
    return render(
        request,
        "homestead/ledger.html",
        {
            "page": paginate(request, rows),
            "filing": filing,
            "q": q,
            "state": state,
            "area": area,
            "build_type": build_type,
            "flagged": flagged,
            "late": late,
            "year": year_n or "",
            "states": CaseState.choices,
            "build_types": BuildType.choices,
            "today": today,
            "may_apply": places(request.user, "start_cases").exists(),
        },
    )


@allowed(Application)
def ledger(request: HttpRequest) -> HttpResponse:
    """The town's approval ledger (审批管理台账): every application of the area."""
    return _list(request, filing=False)


@allowed(Application)
def filing(request: HttpRequest) -> HttpResponse:
    """The county's filing (备案): the approved applications, with their numbers."""
    return _list(request, filing=True)


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    """申请: a villager for their household (on a phone), or an official for a household."""
    official = places(request.user, "start_cases").exists()
    if not official and household_of(request.user) is None:
        raise PermissionDenied(_("You may not apply."))
    village = case_selectors.start_village(
        request.user, request.GET.get("village") or request.POST.get("village") or ""
    )
    if village is None:
        raise Http404
    item = services.item_in_force(village.code, clock.today())
    form = ApplyForm(request.POST or None, request.FILES or None, official=official)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            geometry: Any = data.get("geometry") or None
            if data.get("geometry_file"):
                geometry = data["geometry_file"].read(services.geo.MAX_BYTES + 1)
            try:
                application = services.apply(
                    actor=request.user,
                    village=village,
                    data=data,
                    household_number=data.get("household") or "",
                    geometry=geometry,
                    neighbours=form.neighbours(),
                    files=data["files"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(
                    request,
                    _("Application %(number)s filed.") % {"number": application.case.number},
                )
                return redirect("homestead:detail", pk=application.pk)
    options = _map(request, village.code, draw="id_geometry")
    response = render(
        request,
        "homestead/apply.html",
        {"form": form, "village": village, "item": item, "official": official, "map": options},
        status=status,
    )
    return allow_tiles(response, options)


def _detail(
    request: HttpRequest,
    application: Application,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    case = application.case
    town = services.town_of(application)
    user = request.user
    town_acts = allows_at(user, "act_on_cases", town) and case.is_running
    official = town_acts or (allows_at(user, "act_on_cases", case.village_id) and case.is_running)
    step_key = case.step.limit_key if case.step else ""
    context = {
        "application": application,
        "case": case,
        **selectors.detail(application),
        "round": services.current_round(application),
        "town_acts": town_acts,
        "official": official,
        "step_key": step_key,
        "joint_running": case.state == CaseState.OPEN and step_key == "homestead.joint_review",
        "office_reader": places(user, "read_village").exists(),
        "documents": _documents(application),
        "flag_form": FlagForm(),
        "opinion_form": OpinionForm(initial={"signed_on": clock.today()}),
        "offices_form": OfficesForm(initial={"offices": application.offices}),
        "deviation_form": DeviationForm(initial={"corrected_on": clock.today()}),
        "handback_form": HandbackForm(initial={"on": clock.today()}),
        "today": clock.today(),
        "always": [Office(o).label for o in Office.always()],
    }
    for bound in (forms or {}).values():
        context["form_errors"] = "；".join(
            str(message) for errors in bound.errors.values() for message in errors
        )
    context.update(forms or {})
    context["map"] = _map(request, case.village_id, proposed=application.geometry)
    response = render(request, "homestead/detail.html", context, status=status)
    return allow_tiles(response, context["map"])


def _map(
    request: HttpRequest, village_code: str, *, proposed: Any = None, draw: str = ""
) -> dict[str, Any]:
    """The map of a homestead page: the proposed parcel over the village's parcels and the
    county's layers for officials; a villager sees their household's own homesteads (the
    village's register is not theirs to read)."""
    from hemei.places import maps
    from hemei.places import selectors as places_selectors
    from hemei.places.models import Parcel

    sources = []
    if proposed:
        sources.append(maps.inline(proposed, kind=maps.PROPOSED, label=_("Proposed parcel")))
    if allows_at(request.user, "read_village", village_code):
        sources.append(
            maps.source(
                reverse("places:village_geojson", args=[village_code]),
                kind=maps.PARCELS,
                label=_("Homesteads of the village"),
                fit=not proposed,
            )
        )
        sources.extend(
            maps.layer_sources(places_selectors.county_layers(request.user, village_code))
        )
    else:
        own = household_of(request.user)
        rows = Parcel.objects.filter(household=own, geometry__isnull=False) if own else []
        if rows:
            sources.append(
                maps.inline(
                    places_selectors.parcels_geojson(rows),
                    kind=maps.PARCELS,
                    label=_("Your household's homesteads"),
                    fit=not proposed,
                )
            )
    return maps.map_options(
        sources=sources, tiles=places_selectors.tiles_for(village_code), draw=draw
    )


def _documents(application: Application) -> list[tuple[str, str]]:
    return [(key, label) for key, label, ready in paperwork.available(application) if ready]


@allowed(Application)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _application(request, pk))


def _act(request: HttpRequest, pk: int, form_name: str, form: Any, run: Any) -> HttpResponse:
    application = _application(request, pk)
    if not form.is_valid():
        return _detail(request, application, forms={form_name: form}, status=400)
    try:
        run(application, form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return _detail(request, _application(request, pk), forms={form_name: form}, status=400)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You may not do this."))
        return _detail(request, _application(request, pk), forms={form_name: form}, status=403)
    messages.success(request, _("Saved."))
    return redirect("homestead:detail", pk=pk)


@require_POST
@allowed(Application)
def flag(request: HttpRequest, pk: int, flag_pk: int) -> HttpResponse:
    application = _application(request, pk)
    row = get_or_404(request.user, "view", Flag.objects.filter(application=application), pk=flag_pk)
    return _act(
        request,
        pk,
        "flag_form",
        FlagForm(request.POST),
        lambda _a, data: services.answer_flag(
            actor=request.user, flag=row, answer=data["answer"], signer=data["signer"]
        ),
    )


@require_POST
@allowed(Application)
def opinion(request: HttpRequest, pk: int, opinion_pk: int) -> HttpResponse:
    application = _application(request, pk)
    row = get_or_404(
        request.user, "view", JointOpinion.objects.filter(application=application), pk=opinion_pk
    )
    return _act(
        request,
        pk,
        "opinion_form",
        OpinionForm(request.POST),
        lambda _a, data: services.give_opinion(
            actor=request.user,
            opinion=row,
            agrees=data["agrees"],
            text=data["opinion"],
            signer=data["signer"],
            sealed=data["sealed"],
            signed_on=data["signed_on"],
        ),
    )


@require_POST
@allowed(Application)
def offices(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "offices_form",
        OfficesForm(request.POST),
        lambda application, data: services.set_offices(
            actor=request.user, application=application, offices=data["offices"]
        ),
    )


@allowed(Application)
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    """到场: record a site visit (photos from the phone's camera)."""
    application = _application(request, pk)
    if not allows_at(request.user, "act_on_cases", services.town_of(application)):
        raise PermissionDenied(_("The town's offices do this."))
    form = VisitForm(
        request.POST or None, request.FILES or None, initial={"visited_on": clock.today()}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_visit(
                    actor=request.user,
                    application=application,
                    stage=data["stage"],
                    visited_on=data["visited_on"],
                    officials=data["officials"],
                    neighbours=data["neighbours"],
                    site_area=data.get("site_area"),
                    footprint=data.get("footprint"),
                    floors=data.get("floors"),
                    height=data.get("height"),
                    note=data.get("note") or "",
                    photos=data["photos"],
                    deviations=form.deviations(),
                    builder=data.get("builder") or "",
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(request, _("Visit recorded."))
                return redirect("homestead:detail", pk=pk)
    return render(
        request, "homestead/visit.html", {"form": form, "application": application}, status=status
    )


@allowed(Application)
def photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponseBase:
    application = _application(request, pk)
    row = get_or_404(
        request.user, "view", VisitPhoto.objects.filter(visit__application=application), pk=photo_pk
    )
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download(handle, filename=row.name, content_type=row.content_type, inline=True)


@require_POST
@allowed(Application)
def deviation(request: HttpRequest, pk: int, deviation_pk: int) -> HttpResponse:
    application = _application(request, pk)
    row = get_or_404(
        request.user,
        "view",
        Deviation.objects.filter(visit__application=application),
        pk=deviation_pk,
    )
    return _act(
        request,
        pk,
        "deviation_form",
        DeviationForm(request.POST),
        lambda _a, data: services.correct_deviation(
            actor=request.user,
            deviation=row,
            answer=data["answer"],
            corrected_on=data["corrected_on"],
        ),
    )


@require_POST
@allowed(Application)
def handback(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "handback_form",
        HandbackForm(request.POST),
        lambda application, data: services.record_handback(
            actor=request.user, application=application, on=data["on"], note=data.get("note") or ""
        ),
    )


@allowed(Application)
def document(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    """One of the forms as Word: application, approval form, 批准书, permit, acceptance."""
    application = _application(request, pk)
    ready = {key for key, _label, is_ready in paperwork.available(application) if is_ready}
    if kind not in ready:
        raise Http404
    data, filename = paperwork.render(kind, application)
    return download(io.BytesIO(data), filename=filename, content_type=DOCX)


# --------------------------------------------------------------------------- limits


def _limits_context(request: HttpRequest, form: LimitForm | None = None) -> dict[str, Any]:
    rows = restrict(request.user, "view", AreaLimit.objects.select_related("division")).order_by(
        "division_id", "terrain", "-valid_from"
    )
    counties = places(request.user, "administer").filter(level=DivisionLevel.COUNTY)
    return {
        "rows": rows,
        "form": form or LimitForm(),
        "counties": counties,
        "may_add": counties.exists(),
        "end_form": EndLimitForm(initial={"valid_to": clock.today()}),
    }


@allowed(AreaLimit)
def limits(request: HttpRequest) -> HttpResponse:
    """The area and building limits in force (province and county), with their sources."""
    status = 200
    form = None
    if request.method == "POST":
        form = LimitForm(request.POST)
        county = (
            places(request.user, "administer")
            .filter(
                level=DivisionLevel.COUNTY,
                code=case_selectors.division_code(request.POST.get("division", "")),
            )
            .first()
        )
        if county is None:
            raise PermissionDenied(_("Only the county office keeps the limits."))
        status = 400
        if form.is_valid():
            try:
                services.add_limit(actor=request.user, division=county, data=form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Limit added."))
                return redirect("homestead:limits")
    return render(request, "homestead/limits.html", _limits_context(request, form), status=status)


@require_POST
@allowed(AreaLimit)
def limit_end(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_or_404(request.user, "view", AreaLimit.objects.all(), pk=pk)
    form = EndLimitForm(request.POST)
    if form.is_valid():
        try:
            services.end_limit(
                actor=request.user, limit=row, valid_to=form.cleaned_data["valid_to"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "homestead/limits.html", _limits_context(request), status=400)
        messages.success(request, _("Saved."))
        return redirect("homestead:limits")
    return render(request, "homestead/limits.html", _limits_context(request), status=400)

"""The map's pages: the county's layers (list, upload, a layer's map, its GeoJSON), a
village's map (its parcels under the county's layers, and their GeoJSON) and the county's
map settings.

The register pages of a village's parcels: the list (search, filters, export), a
parcel's record with its actions (idle, exit, lease), and the register import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from hemei.accounts.policy import allowed, allows_at, get_or_404, places
from hemei.core import clock
from hemei.core.downloads import download, stamped
from hemei.core.forms import apply_errors
from hemei.core.lists import paginate
from hemei.core.xlsx import CONTENT_TYPE as XLSX
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from . import forms, maps, register, selectors, services
from .choices import LayerKind, ParcelKind, UseState
from .forms import LayerUploadForm, MapSettingsForm, counties
from .models import MapSettings, Parcel, ParcelEvent, ReferenceLayer

GEOJSON = "application/geo+json"


def _geojson(data: dict[str, Any]) -> JsonResponse:
    return JsonResponse(data, content_type=GEOJSON, json_dumps_params={"ensure_ascii": False})


@allowed(ReferenceLayer)
def layer_list(request: HttpRequest) -> HttpResponse:
    """The county's layers in force, and the villages whose map the user may open."""
    q = (request.GET.get("q") or "").strip()[:100]
    reads_villages = places(request.user, "read_village").exists()
    the_counties = list(counties(request.user))
    return render(
        request,
        "places/layer_list.html",
        {
            "layers": selectors.layers(request.user),
            "counties": the_counties,
            "may_upload": bool(the_counties),
            "reads_villages": reads_villages,
            "page": paginate(request, selectors.villages(request.user, q))
            if reads_villages
            else None,
            "q": q,
        },
    )


@allowed(ReferenceLayer, "change")
def layer_upload(request: HttpRequest) -> HttpResponse:
    form = LayerUploadForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                layer = services.upload_layer(
                    actor=request.user,
                    county=data["county"],
                    kind=data["kind"],
                    name=data["name"],
                    data=data["file"].read(),
                    source=data["source"],
                    valid_from=data["valid_from"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(
                    request,
                    _("Layer %(name)s uploaded: %(n)s features.")
                    % {"name": layer.name, "n": layer.feature_count},
                )
                return redirect("places:layer_map", pk=layer.pk)
    return render(request, "places/layer_upload.html", {"form": form}, status=status)


def _layer(request: HttpRequest, pk: int) -> ReferenceLayer:
    return get_or_404(
        request.user,
        "view",
        ReferenceLayer.objects.select_related("county", "uploaded_by"),
        pk=pk,
    )


@require_safe
@allowed(ReferenceLayer)
def layer_map(request: HttpRequest, pk: int) -> HttpResponseBase:
    layer = _layer(request, pk)
    options = maps.map_options(
        sources=maps.layer_sources([layer]),
        tiles=selectors.tiles_for(layer.county_id),
        bounds=layer.bounds,
    )
    history = (
        ReferenceLayer.objects.restrict(request.user, "view")
        .filter(county_id=layer.county_id, kind=layer.kind, name=layer.name)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
    )
    response = render(
        request,
        "places/layer_map.html",
        {
            "layer": layer,
            "map": options,
            "history": history,
            "area_mu": float(layer.area_m2) * 15 / 10000,
        },
    )
    return maps.allow_tiles(response, options)


@require_safe
@allowed(ReferenceLayer)
def layer_geojson(request: HttpRequest, pk: int) -> HttpResponse:
    """The layer's features; ``?bbox=w,s,e,n`` gives those in the box, clipped to it."""
    layer = _layer(request, pk)
    try:
        bbox = selectors.read_bbox(request.GET.get("bbox"))
    except selectors.BadBounds as error:
        return JsonResponse(
            {"error": str(error)}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return _geojson(selectors.layer_geojson(layer, bbox))


def _village(request: HttpRequest, code: str) -> Division:
    """A village whose parcels the user reads (404 outside the reach, as a missing one)."""
    village = get_object_or_404(Division.objects.filter(level=Level.VILLAGE), code=code)
    if not allows_at(request.user, "read_village", village.code):
        raise Http404
    return village


@never_cache  # the parcels name their households (by number)
@require_safe
@allowed(Division, "read_village")
def village_map(request: HttpRequest, code: str) -> HttpResponseBase:
    village = _village(request, code)
    parcels = selectors.village_parcels(request.user, village)
    layers = selectors.county_layers(request.user, village.code)
    bounds = selectors.parcels_bounds(parcels) or selectors.layers_bounds(layers)
    options = maps.map_options(
        sources=[
            maps.source(
                reverse("places:village_geojson", args=[village.code]),
                kind=maps.PARCELS,
                label=_("Parcels"),
                fit=True,
            ),
            *maps.layer_sources(layers),
        ],
        tiles=selectors.tiles_for(village.code),
        bounds=bounds,
    )
    kinds = {layer.kind for layer in layers}
    response = render(
        request,
        "places/village_map.html",
        {
            "village": village,
            "map": options,
            "layers": layers,
            "parcel_count": parcels.count(),
            "no_plan_layer": LayerKind.PLAN_CONSTRUCTION not in kinds,
            "no_farmland_layer": LayerKind.BASIC_FARMLAND not in kinds,
        },
    )
    return maps.allow_tiles(response, options)


@never_cache
@require_safe
@allowed(Division, "read_village")
def village_geojson(request: HttpRequest, code: str) -> HttpResponse:
    """The village's parcels: number, kind, household number and area (nothing personal)."""
    village = _village(request, code)
    return _geojson(selectors.parcels_geojson(selectors.village_parcels(request.user, village)))


@allowed(MapSettings, "change")
def map_settings(request: HttpRequest, code: str) -> HttpResponseBase:
    """The county's tile service: none (plain background) or a tile URL template."""
    county = get_object_or_404(Division.objects.filter(level=Level.COUNTY), code=code)
    if not allows_at(request.user, "administer", county.code):
        raise Http404
    current = selectors.map_settings_for(county.code)
    form = MapSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "tile_url": current.tile_url,
            "subdomains": current.subdomains,
            "attribution": current.attribution,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_map_settings(actor=request.user, county=county, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("places:map_settings", code=county.code)
    options = maps.map_options(
        sources=maps.layer_sources(selectors.county_layers(request.user, county.code)),
        tiles=selectors.tiles_for(county.code),
        bounds=selectors.layers_bounds(selectors.county_layers(request.user, county.code)),
    )
    response = render(
        request,
        "places/map_settings.html",
        {"county": county, "form": form, "settings": current, "map": options},
        status=status,
    )
    return maps.allow_tiles(response, options)


def _village(request: HttpRequest, code: str) -> Division:
    return get_or_404(
        request.user, "read_village", Division.objects.filter(level=Level.VILLAGE), code=code
    )


def _keeps(request: HttpRequest, code: str) -> bool:
    return allows_at(request.user, "write_register", code)


def _filters(request: HttpRequest) -> dict[str, str]:
    return {
        "q": (request.GET.get("q") or "").strip()[:100],
        "use": request.GET.get("use") or "",
        "kind": request.GET.get("kind") or "",
        "geometry": request.GET.get("geometry") or "",
    }


@allowed(Parcel)
def parcel_list(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(request, code)
    filters = _filters(request)
    rows = selectors.filter_parcels(selectors.parcels(request.user), village=code, **filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "places/parcel_list.html",
        {
            "village": village,
            "page": paginate(request, rows),
            "uses": UseState.choices,
            "kinds": ParcelKind.choices,
            "may_write": _keeps(request, code),
            "query": query.urlencode(),
            **filters,
        },
    )


@allowed(Parcel)
def parcel_export(request: HttpRequest, code: str) -> HttpResponseBase:
    """The list's rows (its filters) as the register sheet, which imports again."""
    village = _village(request, code)
    rows = selectors.filter_parcels(
        selectors.parcels(request.user), village=code, **_filters(request)
    )
    return download(
        register.export_xlsx(rows),
        filename=stamped(f"{village.name}宅基地台账.xlsx"),
        content_type=XLSX,
    )


@allowed(Parcel)
def register_import(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(request, code)
    if not _keeps(request, code):
        raise PermissionDenied(_("You do not keep this village's register."))
    form = forms.RegisterImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            geojson = form.cleaned_data.get("geojson")
            try:
                report = register.import_register(
                    actor=request.user,
                    village=village,
                    workbook=form.cleaned_data["workbook"].read(),
                    geojson=geojson.read() if geojson else None,
                )
            except register.RegisterImportFailed as failed:
                report = failed.report
                status = 400
            except ValidationError as exc:
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Register imported: %(created)s parcels added, %(updated)s changed, "
                        "%(unchanged)s unchanged."
                    )
                    % {
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                    },
                )
                if not report.warnings:
                    return redirect("places:parcels", code=code)
        else:
            status = 400
    return render(
        request,
        "places/register_import.html",
        {"village": village, "form": form, "report": report, "columns": register.HEADERS},
        status=status,
    )


@allowed(Parcel)
def register_template(request: HttpRequest) -> HttpResponseBase:
    return download(register.template_xlsx(), filename="宅基地台账导入模板.xlsx", content_type=XLSX)


# --- one parcel -----------------------------------------------------------------------------


def _parcel(request: HttpRequest, pk: int) -> Parcel:
    return get_or_404(
        request.user,
        "view",
        Parcel.objects.select_related("village", "household__head").defer(
            "household__head__id_number", "household__head__phone"
        ),
        pk=pk,
    )


def _detail(
    request: HttpRequest, parcel: Parcel, *, status: int = 200, **bound: Any
) -> HttpResponse:
    today = clock.today()
    may_write = parcel.kind == ParcelKind.HOMESTEAD and _keeps(request, parcel.village_id)
    context = {
        "parcel": parcel,
        "events": selectors.events(parcel),
        "lease": selectors.current_lease(parcel, today),
        "may_write": may_write,
        "idle_form": forms.IdleForm(),
        "exit_form": forms.ExitForm(),
        "lease_form": forms.LeaseForm(),
        "lease_years": services.lease_max_years(),
        "today": today,
        **bound,
    }
    if parcel.geometry:
        context["map"] = maps.map_options(
            sources=[
                maps.inline(parcel.geometry, kind=maps.PROPOSED, label=_("This parcel")),
                maps.source(
                    reverse("places:village_geojson", args=[parcel.village_id]),
                    kind=maps.PARCELS,
                    label=_("Parcels"),
                ),
                *maps.layer_sources(selectors.county_layers(request.user, parcel.village_id)),
            ],
            tiles=selectors.tiles_for(parcel.village_id),
        )
        response = render(request, "places/parcel_detail.html", context, status=status)
        return maps.allow_tiles(response, context["map"])
    return render(request, "places/parcel_detail.html", context, status=status)


@allowed(Parcel)
def parcel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _parcel(request, pk))


def _act(request: HttpRequest, pk: int, name: str, form: Any, act: Any) -> HttpResponse:
    parcel = _parcel(request, pk)
    if not _keeps(request, parcel.village_id):
        raise PermissionDenied(_("You do not keep this village's register."))
    if form.is_valid():
        try:
            act(parcel, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Recorded on the parcel."))
            return redirect("places:parcel", pk=parcel.pk)
    return _detail(request, parcel, status=400, **{name: form})


@allowed(Parcel)
@require_POST
def parcel_idle(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the homestead idle (``action=mark``) or back in use (``action=clear``)."""
    clear = request.POST.get("action") == "clear"
    act = services.clear_idle if clear else services.mark_idle

    def run(parcel: Parcel, data: dict[str, Any]) -> None:
        act(actor=request.user, parcel=parcel, on=data["on"], note=data["note"])

    return _act(request, pk, "idle_form", forms.IdleForm(request.POST), run)


@allowed(Parcel)
@require_POST
def parcel_exit(request: HttpRequest, pk: int) -> HttpResponse:
    def run(parcel: Parcel, data: dict[str, Any]) -> None:
        services.record_exit(
            actor=request.user,
            parcel=parcel,
            on=data["on"],
            compensation=data["compensation"],
            agreement=data.get("agreement"),
            note=data["note"],
        )

    form = forms.ExitForm(request.POST, request.FILES)
    return _act(request, pk, "exit_form", form, run)


@allowed(Parcel)
@require_POST
def parcel_lease(request: HttpRequest, pk: int) -> HttpResponse:
    def run(parcel: Parcel, data: dict[str, Any]) -> None:
        services.record_lease(
            actor=request.user,
            parcel=parcel,
            kind=data["kind"],
            lessee=data["lessee"],
            outsider=data["outsider"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            note=data["note"],
        )

    return _act(request, pk, "lease_form", forms.LeaseForm(request.POST), run)


@allowed(Parcel)
def event_file(request: HttpRequest, pk: int, event_pk: int) -> HttpResponseBase:
    parcel = _parcel(request, pk)
    event = get_or_404(request.user, "view", ParcelEvent.objects.filter(parcel=parcel), pk=event_pk)
    if not event.agreement:
        raise Http404
    try:
        handle = event.agreement.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download(
        handle, filename=event.agreement_name, content_type=event.agreement_type, inline=True
    )

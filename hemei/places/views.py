"""The map's pages: the county's layers (list, upload, a layer's map, its GeoJSON), a
village's map (its parcels under the county's layers, and their GeoJSON) and the county's
map settings."""

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
from django.views.decorators.http import require_safe

from hemei.accounts.policy import allowed, allows_at, get_or_404, places
from hemei.core.forms import apply_errors
from hemei.core.lists import paginate
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from . import maps, selectors, services
from .choices import LayerKind
from .forms import LayerUploadForm, MapSettingsForm, counties
from .models import MapSettings, ReferenceLayer

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

"""The map widget's options: what ``places/partials/map.html`` draws and how.

A page that shows a map builds its options here and includes the partial::

    options = maps.map_options(
        sources=[
            maps.source(reverse("places:village_geojson", args=[code]), kind=maps.PARCELS,
                        label=_("Parcels"), fit=True),
            maps.inline(proposed_geojson, kind=maps.PROPOSED, label=_("Proposed parcel")),
            *maps.layer_sources(selectors.county_layers(user, code)),
        ],
        tiles=selectors.tiles_for(code),
        draw="id_geometry",            # optional: the drawn polygon goes into this field
    )
    response = render(request, "…", {"map": options})
    return maps.allow_tiles(response, options)   # the tile host into the CSP, when set

and in the template ``{% include "places/partials/map.html" with map=map height="420px" %}``.
The widget (``static/hemei/map.js``, Leaflet and Leaflet-Geoman vendored) draws vector layers
on a plain background — no internet needed — unless the county set a tile service.
In drawing mode the polygon drawn (or edited) is written as GeoJSON geometry into the form
field whose id is ``draw`` (a ``geometry`` field, checked again on the server with
``geometry.check``).
"""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from django.urls import reverse

from .models import ReferenceLayer

#: The kinds a source is styled by: the layer kinds (``LayerKind``), and these.
PARCELS = "parcels"  # a village's parcels, styled by each parcel's own kind
PROPOSED = "proposed"  # the parcel applied for, highlighted


def source(
    url: str, *, kind: str, label: str, fit: bool = False, bbox: bool = False
) -> dict[str, Any]:
    """GeoJSON fetched from ``url``; ``bbox``: asked again for the part in view as the map
    moves (``?bbox=w,s,e,n``); ``fit``: the map zooms to it once loaded."""
    return {"url": url, "kind": kind, "label": str(label), "fit": fit, "bbox": bbox}


def inline(data: dict[str, Any], *, kind: str, label: str, fit: bool = True) -> dict[str, Any]:
    """GeoJSON given with the page (a Feature, FeatureCollection or bare geometry)."""
    return {"data": data, "kind": kind, "label": str(label), "fit": fit, "bbox": False}


def layer_sources(layers: list[ReferenceLayer]) -> list[dict[str, Any]]:
    """The county's reference layers, each asked for the part in view."""
    return [
        source(
            reverse("places:layer_geojson", args=[layer.pk]),
            kind=layer.kind,
            label=layer.name,
            bbox=True,
        )
        for layer in layers
    ]


def map_options(
    *,
    sources: list[dict[str, Any]],
    tiles: dict[str, Any] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    draw: str = "",
) -> dict[str, Any]:
    """The options ``map.html`` renders with ``json_script``. ``bounds`` (west, south, east,
    north) is the first view before any source has loaded."""
    return {
        "sources": sources,
        "tiles": (
            {key: tiles[key] for key in ("url", "subdomains", "attribution")} if tiles else None
        ),
        "hosts": list(tiles["hosts"]) if tiles else [],
        "bounds": [[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if bounds else None,
        "draw": draw,
    }


def allow_tiles(response: HttpResponseBase, options: dict[str, Any]) -> HttpResponseBase:
    """Let the page's Content-Security-Policy load the tile service's images (only the page
    that shows the map; every other response keeps the default policy)."""
    if options.get("hosts"):
        response.csp_img_hosts = options["hosts"]  # type: ignore[attr-defined]
    return response

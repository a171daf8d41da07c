"""The village map in Chromium: Leaflet (vendored, no internet, no tiles) builds its panes,
draws the parcel and the hatched basic farmland under it, and a click on the parcel shows
its number and household number — nothing blocked by the Content-Security-Policy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from shapely.geometry import mapping

from hemei.core.testing import COUNTY, VILLAGE_A, Cast
from hemei.core.tests.browser import PHONE, log_in, snap
from hemei.divisions.models import Division
from hemei.places import services
from hemei.places.choices import LayerKind
from hemei.points.tests.factories import household

from .test_layers import layer_file, plot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def village_with_a_parcel_on_farmland(cast: Cast) -> None:
    household(VILLAGE_A, "003", "王长福")
    services.import_parcels(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        data=json.dumps(
            {
                "type": "Feature",
                "geometry": mapping(plot(12, 15, x0=40, y0=40)),
                "properties": {"编号": "Z001", "户号": "003"},
            }
        ),
    )
    services.upload_layer(
        actor=cast.alice,
        county=Division.objects.get(code=COUNTY),
        kind=LayerKind.BASIC_FARMLAND,
        name="永久基本农田",
        data=layer_file(plot(100, 50)),
    )


def test_the_village_map_draws_the_parcel_over_the_farmland(
    cast: Cast, page: Page, live_server: Any
) -> None:
    village_with_a_parcel_on_farmland(cast)
    log_in(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/places/village/{VILLAGE_A}/map/")
    view = page.locator(".hemei-map")
    expect(view.locator(".leaflet-map-pane")).to_have_count(1)
    expect(view.locator(".leaflet-overlay-pane")).to_have_count(1)
    paths = view.locator(".leaflet-overlay-pane svg path.leaflet-interactive")
    expect(paths).to_have_count(2)  # the parcel and the farmland block
    expect(view.locator("svg pattern#hemei-hatch")).to_have_count(1)
    farmland = view.locator('.leaflet-overlay-pane svg path[fill="url(#hemei-hatch)"]')
    expect(farmland).to_have_count(1)
    assert view.locator(".leaflet-tile").count() == 0  # no tile service: no background images
    parcel = view.locator('.leaflet-overlay-pane svg path[stroke="#1d4ed8"]')
    expect(parcel).to_have_count(1)
    parcel.dispatch_event("click")  # on the path itself, wherever the map has moved it
    popup = view.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Z001")
    expect(popup).to_contain_text("003")
    assert "王长福" not in popup.inner_text()
    snap(page, "places-village-map")
    page.set_viewport_size(PHONE)
    page.reload()
    expect(paths).to_have_count(2)
    expect(page.locator(".hemei-map[aria-busy]")).to_have_count(0)
    snap(page, "places-village-map-phone")


@pytest.mark.urls("hemei.places.tests.draw_urls")
def test_a_polygon_drawn_goes_into_the_geometry_field(
    cast: Cast, page: Page, live_server: Any
) -> None:
    log_in(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/draw/")
    view = page.locator(".hemei-map")
    expect(view.locator(".leaflet-map-pane")).to_have_count(1)
    page.locator(".leaflet-pm-icon-polygon").click()
    box = view.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-60, -40), (60, -40), (60, 40), (-60, 40), (-60, -40)):
        page.mouse.click(x + dx, y + dy)
    field = page.locator("#id_geometry")
    expect(field).not_to_have_value("")
    drawn = json.loads(field.input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
    lon, lat = drawn["coordinates"][0][0]
    assert 120.399 < lon < 120.401 and 36.399 < lat < 36.401
    # the server's own check accepts it: a valid polygon in China
    from hemei.places.geometry import area_m2, check

    assert area_m2(check(drawn)) > 100
    snap(page, "places-draw")

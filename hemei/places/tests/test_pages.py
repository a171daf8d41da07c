"""The map's pages: the layers' list and upload, a layer's map and GeoJSON, a village's map
and its parcels' GeoJSON (household numbers only), the county's tile service and the
Content-Security-Policy that lets its host in on the map pages only."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from shapely.geometry import mapping, shape

from hemei.core.middleware import CONTENT_SECURITY_POLICY
from hemei.core.testing import COUNTY, VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division
from hemei.places import services
from hemei.places.choices import LayerKind
from hemei.places.models import MapSettings, ReferenceFeature, ReferenceLayer
from hemei.points.tests.factories import household

from .test_layers import layer_file, plot

pytestmark = pytest.mark.django_db

TIANDITU = (
    "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
    "&TILECOL={x}&tk=0123456789abcdef"
)


def parcels(cast: Cast) -> None:
    household(VILLAGE_A, "003", "王长福")
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": mapping(plot(12, 15, x0=10, y0=10)),
                    "properties": {"编号": "Z001", "户号": "003"},
                }
            ],
        }
    )
    village = Division.objects.get(code=VILLAGE_A)
    services.import_parcels(actor=cast.victor, village=village, data=data)


def farmland(cast: Cast) -> ReferenceLayer:
    return services.upload_layer(
        actor=cast.alice,
        county=Division.objects.get(code=COUNTY),
        kind=LayerKind.BASIC_FARMLAND,
        name="永久基本农田",
        data=layer_file(plot(100, 50), plot(40, 40, x0=500)),
    )


def test_the_county_office_uploads_a_layer_from_the_page(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    assert client.get("/places/layers/upload/").status_code == 200
    answer = client.post(
        "/places/layers/upload/",
        {
            "county": COUNTY,
            "kind": LayerKind.PLAN_CONSTRUCTION,
            "name": "红花山村村庄规划",
            "source": "区自然资源局",
            "valid_from": "2026-01-01",
            "file": SimpleUploadedFile("plan.geojson", layer_file(plot(60, 60)).encode()),
        },
    )
    layer = ReferenceLayer.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/places/layers/{layer.pk}/"
    assert layer.uploaded_by == cast.alice and str(layer.valid_from) == "2026-01-01"
    page = client.get(answer["Location"]).content.decode()
    assert "红花山村村庄规划" in page and "村庄规划建设用地范围" in page


def test_a_bad_file_on_the_page_says_why_and_saves_nothing(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    crossing = {
        "type": "Polygon",
        "coordinates": [
            [[120.4, 36.4], [120.401, 36.401], [120.401, 36.4], [120.4, 36.401], [120.4, 36.4]]
        ],
    }
    answer = client.post(
        "/places/layers/upload/",
        {
            "county": COUNTY,
            "kind": LayerKind.BASIC_FARMLAND,
            "name": "永久基本农田",
            "file": SimpleUploadedFile("bad.geojson", json.dumps(crossing).encode()),
        },
    )
    assert answer.status_code == 400
    assert "边界自相交" in answer.content.decode()
    assert not ReferenceLayer.objects.exists() and not ReferenceFeature.objects.exists()


def test_the_village_map_draws_with_the_vendored_files_and_no_tile_host(
    cast: Cast, client: Client
) -> None:
    parcels(cast)
    layer = farmland(cast)
    client.force_login(cast.victor)
    answer = client.get(f"/places/village/{VILLAGE_A}/map/")
    assert answer.status_code == 200
    assert answer["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "no-store" in answer["Cache-Control"]
    page = answer.content.decode()
    static = set(re.findall(r'(?:src|href)="/static/([^"]+)"', page))
    for path in (
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet-geoman/leaflet-geoman.min.js",
        "vendor/leaflet-geoman/leaflet-geoman.css",
        "hemei/map.js",
        "hemei/css/places-map.css",
    ):
        assert path in static
    for path in static | {"vendor/leaflet/images/layers.png", "vendor/leaflet/LICENSE"}:
        assert finders.find(path), path
    assert "<script>" not in page.replace('<script id="map" type="application/json">', "")
    options = json.loads(
        re.search(r'<script id="map" type="application/json">(.*?)</script>', page, re.S).group(1)
    )
    assert options["tiles"] is None
    assert [s["kind"] for s in options["sources"]] == ["parcels", LayerKind.BASIC_FARMLAND]
    assert options["sources"][1]["url"] == f"/places/layers/{layer.pk}/geojson/"
    assert "尚未上传村庄规划建设用地图层" in page  # no plan layer: said, not guessed
    assert "永久基本农田图层" not in page


def test_the_parcels_geojson_names_households_by_number_only(cast: Cast, client: Client) -> None:
    parcels(cast)
    client.force_login(cast.tom)
    answer = client.get(f"/places/village/{VILLAGE_A}/parcels.geojson")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/geo+json"
    data = answer.json()
    (feature,) = data["features"]
    assert feature["properties"]["code"] == "Z001"
    assert feature["properties"]["household"] == "003"
    assert abs(shape(feature["geometry"]).area - plot(12, 15).area) < 1e-12
    assert "王长福" not in answer.content.decode()
    client.force_login(cast.owen)  # town B: 红花山村 is outside his reach
    assert client.get(f"/places/village/{VILLAGE_A}/parcels.geojson").status_code == 404
    assert client.get(f"/places/village/{VILLAGE_B}/parcels.geojson").json()["features"] == []


def test_a_layers_geojson_is_clipped_to_the_box_asked(cast: Cast, client: Client) -> None:
    layer = farmland(cast)
    client.force_login(cast.tom)
    url = f"/places/layers/{layer.pk}/geojson/"
    assert len(client.get(url).json()["features"]) == 2
    corner = plot(50, 25)  # the south-west quarter of the first block
    west, south, east, north = corner.bounds
    answer = client.get(url, {"bbox": f"{west},{south},{east},{north}"}).json()
    (feature,) = answer["features"]
    assert feature["properties"]["kind"] == LayerKind.BASIC_FARMLAND
    assert abs(shape(feature["geometry"]).area - corner.area) / corner.area < 0.01
    assert answer["truncated"] is False
    refused = client.get(url, {"bbox": "120.4,36.4,nope"})
    assert refused.status_code == 400 and "bbox" in refused.json()["error"]


def test_a_tile_service_is_allowed_on_the_map_pages_only(cast: Cast, client: Client) -> None:
    parcels(cast)
    client.force_login(cast.alice)
    settings_url = f"/places/county/{COUNTY}/map-settings/"
    refused = client.post(settings_url, {"tile_url": "https://tiles.example.cn/{z}/{x}.png"})
    assert refused.status_code == 400 and "{y}" in refused.content.decode()
    refused = client.post(settings_url, {"tile_url": TIANDITU})  # {s} without subdomains
    assert refused.status_code == 400 and not MapSettings.objects.exists()
    answer = client.post(
        settings_url,
        {"tile_url": TIANDITU, "subdomains": "01234567", "attribution": "天地图"},
    )
    assert answer.status_code == 302
    village_map = client.get(f"/places/village/{VILLAGE_A}/map/")
    policy = village_map["Content-Security-Policy"]
    img_src = policy.split("img-src", 1)[1].split(";", 1)[0]
    assert "https://t0.tianditu.gov.cn" in img_src and "https://t7.tianditu.gov.cn" in img_src
    assert "tianditu" not in policy.replace(img_src, "")  # images only
    assert "tianditu" in village_map.content.decode()  # the widget gets the template
    for url in ("/places/", "/tasks/", f"/places/village/{VILLAGE_A}/parcels.geojson"):
        assert client.get(url)["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
    # cleared: the plain background again
    client.post(settings_url, {"tile_url": ""})
    again = client.get(f"/places/village/{VILLAGE_A}/map/")
    assert again["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_a_stored_url_never_widens_the_policy_beyond_an_image_origin() -> None:
    from hemei.core.middleware import content_security_policy

    assert content_security_policy(["https://t0.tianditu.gov.cn"]).count("tianditu") == 1
    assert content_security_policy(["https://x.cn; script-src *", "*", "'unsafe-inline'"]) == (
        CONTENT_SECURITY_POLICY
    )


def test_the_map_page_lists_villages_and_layers_by_role(cast: Cast, client: Client) -> None:
    farmland(cast)
    client.force_login(cast.victor)
    page = client.get("/places/").content.decode()
    assert f"/places/village/{VILLAGE_A}/map/" in page and "永久基本农田" in page
    assert "/places/layers/upload/" not in page
    client.force_login(cast.dan)  # department staff: the layers, no village's parcels
    page = client.get("/places/").content.decode()
    assert "永久基本农田" in page and "/places/village/" not in page
    client.force_login(cast.alice)
    page = client.get("/places/").content.decode()
    assert "/places/layers/upload/" in page and f"/places/county/{COUNTY}/map-settings/" in page

"""Reading, checking and measuring parcels (CGCS2000; Gauss–Krüger areas; overlaps)."""

from __future__ import annotations

import json

import pytest
from pyproj import Transformer
from shapely.geometry import Polygon, mapping

from hemei.places import geometry as geo

#: 红花山村 lies near 120.7°E, 36.5°N: zone 40 (central meridian 120°E, EPSG:4549).
LON, LAT = 120.70, 36.50


def surveyed(width: float, height: float, *, x0: float = 0, y0: float = 0) -> Polygon:
    """A rectangle of known size drawn in the zone's metres, given back in lon/lat, as a
    survey's coordinates would be."""
    to_plane = Transformer.from_crs(4490, 4549, always_xy=True)
    to_lonlat = Transformer.from_crs(4549, 4490, always_xy=True)
    x, y = to_plane.transform(LON, LAT)
    x, y = x + x0, y + y0
    corners = [(x, y), (x + width, y), (x + width, y + height), (x, y + height), (x, y)]
    return Polygon([to_lonlat.transform(cx, cy) for cx, cy in corners])


def collection(*geometries: dict, crs: str | None = None, **properties) -> str:
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": g, "properties": {"编号": f"Z{n:03d}", **properties}}
            for n, g in enumerate(geometries, start=1)
        ],
    }
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(data)


def test_the_zone_of_a_longitude() -> None:
    assert geo.zone_epsg(120.7) == 4549  # CGCS2000 3-degree GK CM 120E
    assert geo.zone_epsg(117.2) == 4548  # CM 117E
    assert geo.zone_epsg(75.0) == 4534 and geo.zone_epsg(135.0) == 4554


def test_a_surveyed_plot_measures_within_half_a_percent() -> None:
    plot = surveyed(12.0, 15.0)  # a 180 m² homestead
    assert abs(geo.area_m2(plot) - 180.0) / 180.0 < 0.005
    field = surveyed(100.0, 100.0, x0=500)  # one hectare = 15 亩
    assert abs(geo.area_mu(field) - 15.0) / 15.0 < 0.005


def test_a_register_file_reads_with_its_properties() -> None:
    features = geo.read_geojson(
        collection(mapping(surveyed(10, 12)), mapping(surveyed(10, 12, x0=20)))
    )
    assert [f.number for f in features] == [1, 2]
    assert features[0].properties["编号"] == "Z001"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (collection(), "没有地块"),
        ("{not json", "JSON"),
        (
            collection(
                {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [LON, LAT],
                            [LON + 0.001, LAT + 0.001],
                            [LON + 0.001, LAT],
                            [LON, LAT + 0.001],
                            [LON, LAT],
                        ]
                    ],
                }
            ),
            "自相交",
        ),
        (collection(mapping(surveyed(10, 10)), crs="urn:ogc:def:crs:EPSG::3857"), "EPSG:4490"),
        (
            collection(
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[544000, 4030000], [544010, 4030000], [544010, 4030010], [544000, 4030000]]
                    ],
                }
            ),
            "不是我国境内的经纬度",
        ),
        (collection({"type": "Point", "coordinates": [LON, LAT]}), "Polygon"),
        (collection({"type": "Polygon", "coordinates": []}), "为空"),
    ],
)
def test_bad_files_are_refused_with_a_reason(text: str, said: str) -> None:
    with pytest.raises(geo.GeometryError, match=said):
        geo.read_geojson(text)


def test_a_file_over_the_limit_is_not_read() -> None:
    with pytest.raises(geo.GeometryError, match="MB"):
        geo.read_geojson(b" " * (50 * 1024 * 1024))


def test_overlaps_ignore_a_shared_boundary_and_find_a_real_one() -> None:
    a, b = surveyed(10, 10), surveyed(10, 10, x0=10)  # neighbours along one side
    index = geo.OverlapIndex([a, b])
    new = surveyed(6, 10, x0=7)  # 3 m into a, 3 m into b
    found = index.overlaps(new)
    assert sorted(o.index for o in found) == [0, 1]
    assert all(abs(o.area_m2 - 30.0) < 0.5 for o in found)
    assert index.overlaps(surveyed(10, 10, x0=20)) == []  # touches b only


def test_a_polygon_without_coordinates_is_refused_with_a_reason() -> None:
    for bad in (
        {"type": "Polygon"},
        {"type": "MultiPolygon"},
        {"type": "Polygon", "coordinates": None},
    ):
        with pytest.raises(geo.GeometryError):
            geo.check(bad)

"""A surveyor's shapefile, zipped: projected CGCS2000 Gauss–Krüger coordinates (its .prj)
become longitude and latitude; bad archives are refused with a reason."""

from __future__ import annotations

import io
import zipfile

import pytest
import shapefile
from pyproj import CRS, Transformer

from hemei.places import geometry as geo

ZONE = 4549  # CGCS2000 3-degree Gauss–Krüger, central meridian 120°E (no zone prefix)


def survey_zip(
    rings: list[list[tuple[float, float]]], *, prj: bool = True, dbf: bool = True
) -> bytes:
    """A zipped shapefile of polygons given in zone metres, with 宗地编号 attributes."""
    shp, shx, dbf_file = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(
        shp=shp, shx=shx, dbf=dbf_file, shapeType=shapefile.POLYGON, encoding="utf-8"
    ) as writer:
        writer.field("ZDBH", "C", size=20)
        for number, ring in enumerate(rings, start=1):
            writer.poly([ring])
            writer.record(f"ZJ{number:03d}")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("宗地.shp", shp.getvalue())
        archive.writestr("宗地.shx", shx.getvalue())
        if dbf:
            archive.writestr("宗地.dbf", dbf_file.getvalue())
        if prj:
            archive.writestr("宗地.prj", CRS.from_epsg(ZONE).to_wkt("WKT1_ESRI"))
    return out.getvalue()


def plot(width: float, depth: float) -> list[tuple[float, float]]:
    """A rectangle in zone metres, near 120.45°E 36.39°N, clockwise as shapefiles have it."""
    x0, y0 = Transformer.from_crs(4490, ZONE, always_xy=True).transform(120.45, 36.39)
    return [(x0, y0), (x0, y0 + depth), (x0 + width, y0 + depth), (x0 + width, y0), (x0, y0)]


def test_a_projected_survey_becomes_longitude_and_latitude_with_its_area() -> None:
    features = geo.read_parcels_file(survey_zip([plot(12, 15)]))
    (feature,) = features
    assert feature.properties["ZDBH"] == "ZJ001"
    lon, lat = feature.geometry.centroid.x, feature.geometry.centroid.y
    assert 120.44 < lon < 120.46 and 36.38 < lat < 36.40
    assert abs(geo.area_m2(feature.geometry) - 180) / 180 < 0.005


def test_bad_archives_are_refused_with_a_reason() -> None:
    with pytest.raises(geo.GeometryError, match="dbf"):
        geo.read_parcels_file(survey_zip([plot(12, 15)], dbf=False))
    # without its .prj the metres are not longitude and latitude: refused, not guessed
    with pytest.raises(geo.GeometryError, match=r"经纬度|longitude"):
        geo.read_parcels_file(survey_zip([plot(12, 15)], prj=False))
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "no shapefile")
    with pytest.raises(geo.GeometryError, match="shp"):
        geo.read_parcels_file(empty.getvalue())
    with pytest.raises(geo.GeometryError):
        geo.read_parcels_file(b"PK\x03\x04 broken")
    huge = [(0.0, 0.0), (0.0, 9000.0), (9000.0, 9000.0), (9000.0, 0.0), (0.0, 0.0)]
    shifted = [(x + 500000, y + 4000000) for x, y in huge]
    with pytest.raises(geo.GeometryError, match="5"):
        geo.read_parcels_file(survey_zip([shifted]))

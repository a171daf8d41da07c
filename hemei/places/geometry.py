"""Parcels' geometry: reading GeoJSON, checking it, measuring it and finding overlaps.

Coordinates are CGCS2000 (EPSG:4490) longitude and latitude, as 天地图 and the national
surveys give them; GeoJSON's WGS 84 (RFC 7946) is the same to well under a metre and is
accepted as such. Areas are measured in the CGCS2000 3-degree Gauss–Krüger zone of the
parcel (EPSG:4534–4554, the projection Chinese cadastral surveys use), with ``pyproj``;
geometry checks and overlaps use ``shapely`` (an STR-tree for many parcels).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from struct import error as struct_error
from typing import Any

import shapely
from django.utils.translation import gettext as _
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree
from shapely.validation import explain_validity

#: The largest GeoJSON file read (a village's register is a few hundred kB).
MAX_BYTES = 10 * 1024 * 1024
#: 1 亩 = 10,000 / 15 m².
M2_PER_MU = 10000 / 15
#: Overlaps smaller than this (m²) are drawing noise along a shared boundary.
OVERLAP_TOLERANCE_M2 = 1.0
#: Longitude and latitude that can be in China (with its islands).
LON_RANGE, LAT_RANGE = (73.0, 136.0), (3.0, 54.0)
#: Longitude and latitude in CGCS2000, what every parcel is stored in.
CGCS2000 = "EPSG:4490"
#: CRS names a GeoJSON file may declare for longitude/latitude in CGCS2000 or WGS 84.
LONLAT_CRS = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg::4490",
    "epsg:4326",
    "epsg:4490",
}


class GeometryError(ValueError):
    """Bad geometry or a bad file, with a message for the user."""


@dataclass
class Feature:
    geometry: BaseGeometry
    properties: dict[str, Any] = field(default_factory=dict)
    number: int = 0  # its place in the file, from 1


def _crs_name(data: dict[str, Any]) -> str | None:
    crs = data.get("crs")
    if not isinstance(crs, dict):
        return None
    name = (crs.get("properties") or {}).get("name")
    return str(name).lower() if name else None


def read_geojson(
    data: bytes | str | dict[str, Any], *, max_bytes: int = MAX_BYTES, parcels: bool = False
) -> list[Feature]:
    """The polygons of a GeoJSON file (FeatureCollection, Feature or bare geometry), each
    checked (with ``parcels``, also no wider than a parcel is: :func:`check_span`);
    :class:`GeometryError` names the first problem of every bad feature."""
    if isinstance(data, (bytes, str)):
        size = len(data.encode() if isinstance(data, str) else data)
        if size > max_bytes:
            raise GeometryError(
                _("The file is %(size).1f MB; at most %(limit)d MB is read.")
                % {"size": size / 1024 / 1024, "limit": max_bytes // 1024 // 1024}
            )
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise GeometryError(_("The file is not GeoJSON (it does not read as JSON).")) from None
    if not isinstance(data, dict) or "type" not in data:
        raise GeometryError(_("The file is not GeoJSON (no type)."))
    crs = _crs_name(data)
    if crs is not None and crs not in LONLAT_CRS:
        raise GeometryError(
            _(
                "The file's coordinates are in %(crs)s; export it in longitude and latitude "
                "(CGCS2000, EPSG:4490, or WGS 84)."
            )
            % {"crs": crs}
        )
    kind = data["type"]
    if kind == "FeatureCollection":
        raw = [(f.get("geometry"), f.get("properties") or {}) for f in data.get("features") or []]
    elif kind == "Feature":
        raw = [(data.get("geometry"), data.get("properties") or {})]
    else:
        raw = [(data, {})]
    if not raw:
        raise GeometryError(_("The file holds no parcel."))
    features, problems = [], []
    for number, (geometry, properties) in enumerate(raw, start=1):
        try:
            found = check(geometry)
            features.append(
                Feature(check_span(found) if parcels else found, dict(properties), number)
            )
        except GeometryError as error:
            problems.append(_("Feature %(n)d: %(problem)s") % {"n": number, "problem": error})
    if problems:
        raise GeometryError("；".join(problems))
    return features


def read_parcels_file(
    data: bytes, *, parcels: bool = True, max_bytes: int = MAX_BYTES
) -> list[Feature]:
    """A surveyor's file: GeoJSON, or a zipped shapefile (``.shp`` with its ``.dbf``, and its
    ``.prj`` when the coordinates are projected — a CGCS2000 Gauss–Krüger survey is turned
    into longitude and latitude with pyproj)."""
    if data[:4] == b"PK\x03\x04":
        return read_shapefile_zip(data, parcels=parcels, max_bytes=max_bytes)
    return read_geojson(data, max_bytes=max_bytes, parcels=parcels)


def read_shapefile_zip(
    data: bytes, *, parcels: bool = True, max_bytes: int = MAX_BYTES
) -> list[Feature]:
    """The polygons of a zipped ESRI shapefile (pyshp), in CGCS2000 longitude and latitude."""
    import io
    import zipfile

    import shapefile
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    from hemei.core import packages

    if len(data) > max_bytes:
        raise GeometryError(
            _("The file is %(size).1f MB; at most %(limit)d MB is read.")
            % {"size": len(data) / 1024 / 1024, "limit": max_bytes // 1024 // 1024}
        )
    try:
        packages.check_declared_sizes(data, max_unpacked=max_bytes * 5, max_parts=50)
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (packages.NotAPackage, packages.PackageTooLarge, zipfile.BadZipFile):
        raise GeometryError(_("The zip file cannot be read as a shapefile.")) from None
    names = {name.lower(): name for name in archive.namelist() if not name.endswith("/")}
    shp = next((name for key, name in names.items() if key.endswith(".shp")), None)
    if shp is None:
        raise GeometryError(_("The zip file holds no .shp file."))
    stem = shp[: -len(".shp")].lower()

    def part(suffix: str) -> bytes | None:
        name = names.get(stem + suffix)
        return archive.read(name) if name else None

    dbf, shx, prj = part(".dbf"), part(".shx"), part(".prj")
    if dbf is None:
        raise GeometryError(_("The shapefile's .dbf file (its attributes) is missing."))
    to_lonlat = None
    if prj:
        try:
            source = CRS.from_wkt(prj.decode("utf-8", "replace"))
        except CRSError:
            raise GeometryError(_("The shapefile's .prj cannot be read.")) from None
        if not source.is_geographic:
            to_lonlat = Transformer.from_crs(source, CGCS2000, always_xy=True).transform
    try:
        reader = shapefile.Reader(
            shp=io.BytesIO(archive.read(shp)),
            dbf=io.BytesIO(dbf),
            shx=io.BytesIO(shx) if shx else None,
            encoding="utf-8",
            encodingErrors="replace",
        )
        records = list(reader.iterShapeRecords())
    except (shapefile.ShapefileException, ValueError, struct_error, IndexError):
        raise GeometryError(_("The shapefile cannot be read.")) from None
    if not records:
        raise GeometryError(_("The file holds no parcel."))
    features, problems = [], []
    for number, item in enumerate(records, start=1):
        try:
            found = shape(item.shape.__geo_interface__)
            if to_lonlat is not None:
                found = shapely.transform(found, to_lonlat, interleaved=False)
            checked = check(mapping(found))
            features.append(
                Feature(check_span(checked) if parcels else checked, item.record.as_dict(), number)
            )
        except GeometryError as error:
            problems.append(_("Feature %(n)d: %(problem)s") % {"n": number, "problem": error})
        except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError):
            problems.append(
                _("Feature %(n)d: %(problem)s")
                % {"n": number, "problem": _("its coordinates cannot be read.")}
            )
    if problems:
        raise GeometryError("；".join(problems))
    return features


def check(geometry: Any) -> BaseGeometry:
    """A valid, non-empty polygon or multipolygon in longitude and latitude, or
    :class:`GeometryError` saying what is wrong."""
    if not isinstance(geometry, dict) or not geometry.get("type"):
        raise GeometryError(_("it has no geometry."))
    if geometry["type"] not in ("Polygon", "MultiPolygon"):
        raise GeometryError(
            _("a parcel is a polygon, not a %(kind)s.") % {"kind": geometry["type"]}
        )
    try:
        found = shape(geometry)
    except (
        ValueError,
        TypeError,
        IndexError,
        KeyError,
        AttributeError,
        shapely.errors.ShapelyError,
    ):
        raise GeometryError(_("its coordinates cannot be read.")) from None
    if found.is_empty:
        raise GeometryError(_("it is empty."))
    minx, miny, maxx, maxy = found.bounds
    if not (
        LON_RANGE[0] <= minx <= maxx <= LON_RANGE[1]
        and LAT_RANGE[0] <= miny <= maxy <= LAT_RANGE[1]
    ):
        raise GeometryError(
            _(
                "its coordinates are not longitude and latitude in China (a projected survey "
                "file must be exported in CGCS2000 longitude and latitude)."
            )
        )
    if not found.is_valid:
        reason = explain_validity(found)
        if "Self-intersection" in reason:
            raise GeometryError(_("its outline crosses itself."))
        raise GeometryError(_("its outline is not a valid polygon (%(why)s).") % {"why": reason})
    return found


#: A parcel spans at most this many degrees each way (about 5 km): a larger one is a wrong
#: file; the bound lets the overlap check read a narrow band of the parcels' index.
MAX_PARCEL_SPAN = 0.05


def check_span(found: BaseGeometry) -> BaseGeometry:
    minx, miny, maxx, maxy = found.bounds
    if maxx - minx > MAX_PARCEL_SPAN or maxy - miny > MAX_PARCEL_SPAN:
        raise GeometryError(
            _("it spans more than 5 km; a parcel is smaller (check the coordinates).")
        )
    return found


def zone_epsg(longitude: float) -> int:
    """The EPSG code of the CGCS2000 3-degree Gauss–Krüger zone (central meridian 75°E …
    135°E) for ``longitude``."""
    meridian = min(max(round(longitude / 3) * 3, 75), 135)
    return 4534 + (meridian - 75) // 3


@lru_cache(maxsize=32)
def _to_plane(epsg: int) -> Transformer:
    return Transformer.from_crs(4490, epsg, always_xy=True)


def projected(geometry: BaseGeometry) -> BaseGeometry:
    """``geometry`` in metres, in the Gauss–Krüger zone of its centre."""
    transformer = _to_plane(zone_epsg(geometry.centroid.x))
    return shapely.transform(geometry, transformer.transform, interleaved=False)


def area_m2(geometry: BaseGeometry) -> float:
    return projected(geometry).area


def area_mu(geometry: BaseGeometry) -> float:
    return area_m2(geometry) / M2_PER_MU


@dataclass(frozen=True)
class Overlap:
    index: int  # in the sequence the index was built from
    area_m2: float


class OverlapIndex:
    """Parcels (or layer parts) in an STR-tree: which of them a new geometry overlaps by
    more than the tolerance (sharing a boundary is not an overlap)."""

    def __init__(self, geometries: Sequence[BaseGeometry]) -> None:
        self.geometries = list(geometries)
        self.tree = STRtree(self.geometries)

    def overlaps(
        self, geometry: BaseGeometry, tolerance_m2: float = OVERLAP_TOLERANCE_M2
    ) -> list[Overlap]:
        found = []
        for index in self.tree.query(geometry, predicate="intersects"):
            shared = geometry.intersection(self.geometries[int(index)])
            if shared.is_empty:
                continue
            size = area_m2(shared)
            if size > tolerance_m2:
                found.append(Overlap(int(index), size))
        return sorted(found, key=lambda overlap: -overlap.area_m2)


def bounds(geometries: Iterable[BaseGeometry]) -> tuple[float, float, float, float]:
    return shapely.total_bounds(list(geometries))  # type: ignore[return-value]

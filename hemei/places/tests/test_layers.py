"""The county's reference layers: uploaded from GeoJSON all or nothing, superseded by a new
upload, and a parcel checked against them (永久基本农田, 村庄规划建设用地范围) near 即墨区."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pyproj import Transformer
from shapely.geometry import Polygon, mapping

from hemei.accounts.models import AuditEntry
from hemei.core.testing import COUNTY, TOWN_A, VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.places import services
from hemei.places.choices import LayerKind
from hemei.places.models import ReferenceFeature, ReferenceLayer

pytestmark = pytest.mark.django_db

#: 即墨区 lies near 120.4°E, 36.4°N: zone 40 (central meridian 120°E, EPSG:4549).
LON, LAT = 120.40, 36.40


def plot(width: float, height: float, *, x0: float = 0, y0: float = 0) -> Polygon:
    """A rectangle drawn in the zone's metres (x0, y0 from the origin point), in lon/lat."""
    to_plane = Transformer.from_crs(4490, 4549, always_xy=True)
    to_lonlat = Transformer.from_crs(4549, 4490, always_xy=True)
    x, y = to_plane.transform(LON, LAT)
    x, y = x + x0, y + y0
    corners = [(x, y), (x + width, y), (x + width, y + height), (x, y + height), (x, y)]
    return Polygon([to_lonlat.transform(cx, cy) for cx, cy in corners])


def layer_file(*polygons: Polygon) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": mapping(p), "properties": {"图斑编号": f"T{n}"}}
                for n, p in enumerate(polygons, start=1)
            ],
        }
    )


def county() -> Division:
    return Division.objects.get(code=COUNTY)


def upload(cast: Cast, kind: str, name: str, *polygons: Polygon) -> ReferenceLayer:
    return services.upload_layer(
        actor=cast.alice,
        county=county(),
        kind=kind,
        name=name,
        data=layer_file(*polygons),
        source="区自然资源局",
    )


def test_a_layer_uploads_with_its_features_areas_and_extent(cast: Cast) -> None:
    layer = upload(
        cast, LayerKind.BASIC_FARMLAND, "永久基本农田", plot(100, 50), plot(20, 20, x0=200)
    )
    assert layer.feature_count == 2 and layer.is_current
    assert abs(float(layer.area_m2) - 5400) < 27  # within 0.5 %
    features = list(layer.features.all())
    assert features[0].properties == {"图斑编号": "T1"}
    assert layer.min_lon == pytest.approx(LON, abs=1e-6) and layer.max_lon > features[0].max_lon
    assert AuditEntry.objects.filter(division_code=COUNTY, object_id=str(layer.pk)).exists()


def test_a_new_upload_supersedes_the_layer_of_the_same_kind_and_name(cast: Cast) -> None:
    first = upload(cast, LayerKind.BASIC_FARMLAND, "永久基本农田", plot(100, 50))
    other = upload(cast, LayerKind.BASIC_FARMLAND, "另一片", plot(10, 10, x0=500))
    second = upload(cast, LayerKind.BASIC_FARMLAND, "永久基本农田", plot(10, 10))
    first.refresh_from_db()
    other.refresh_from_db()
    assert not first.is_current and second.is_current and other.is_current
    assert ReferenceLayer.objects.current().count() == 2
    assert first.features.count() == 1  # kept for the record
    # only the layer in force counts: the old 100 × 50 m block no longer conflicts
    assert services.layer_conflicts(mapping(plot(10, 10, x0=50)), village_code=VILLAGE_A) == []


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ("{not json", "JSON"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "没有地块"),
        (
            json.dumps(
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
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"type": "name", "properties": {"name": "EPSG:4549"}},
                    "features": [{"type": "Feature", "geometry": mapping(plot(5, 5))}],
                }
            ),
            "EPSG:4490",
        ),
    ],
)
def test_a_bad_file_saves_nothing_and_says_why_in_chinese(
    cast: Cast, data: str, said: str, settings: object
) -> None:
    upload(cast, LayerKind.BASIC_FARMLAND, "永久基本农田", plot(100, 50))
    with pytest.raises(ValidationError) as refused:
        services.upload_layer(
            actor=cast.alice,
            county=county(),
            kind=LayerKind.BASIC_FARMLAND,
            name="永久基本农田",
            data=data,
        )
    assert said in " ".join(refused.value.messages)
    assert ReferenceLayer.objects.count() == 1 and ReferenceLayer.objects.get().is_current
    assert ReferenceFeature.objects.count() == 1


def test_only_the_county_office_uploads_and_only_for_a_county(cast: Cast) -> None:
    for actor in (cast.tom, cast.victor, cast.lily):
        with pytest.raises(PermissionDenied):
            services.upload_layer(
                actor=actor,
                county=county(),
                kind=LayerKind.OTHER,
                name="x",
                data=layer_file(plot(5, 5)),
            )
    with pytest.raises(ValidationError):
        services.upload_layer(
            actor=cast.alice,
            county=Division.objects.get(code=TOWN_A),
            kind=LayerKind.OTHER,
            name="x",
            data=layer_file(plot(5, 5)),
        )
    assert not ReferenceLayer.objects.exists()


def test_a_parcel_on_basic_farmland_is_a_conflict_with_its_area(cast: Cast) -> None:
    upload(cast, LayerKind.BASIC_FARMLAND, "永久基本农田", plot(100, 50), plot(100, 50, x0=100))
    # 12 × 15 m across the two blocks' shared side, its southern 5 m on farmland: 60 m²,
    # counted once though two features hold it
    parcel = plot(12, 15, x0=96, y0=45)
    found = services.layer_conflicts(mapping(parcel), village_code=VILLAGE_A)
    assert [(c.kind, c.layer) for c in found] == [(LayerKind.BASIC_FARMLAND, "永久基本农田")]
    assert abs(found[0].area_m2 - 60) < 0.5
    assert "永久基本农田" in found[0].text and "平方米" in found[0].text
    # beside the farmland (sharing a side): no conflict
    assert services.layer_conflicts(mapping(plot(10, 10, y0=50)), village_code=VILLAGE_A) == []


def test_a_parcel_partly_outside_the_plan_is_a_conflict(cast: Cast) -> None:
    upload(cast, LayerKind.PLAN_CONSTRUCTION, "红花山村村庄规划", plot(60, 60), plot(60, 60, x0=60))
    inside = plot(20, 10, x0=50, y0=10)  # across the two features' shared side: all inside
    assert services.layer_conflicts(mapping(inside), village_code=VILLAGE_A) == []
    half_out = plot(10, 20, x0=10, y0=50)  # 10 of its 20 m north of the plan
    found = services.layer_conflicts(mapping(half_out), village_code=VILLAGE_A)
    assert [(c.kind, c.layer) for c in found] == [(LayerKind.PLAN_CONSTRUCTION, "红花山村村庄规划")]
    assert abs(found[0].area_m2 - 100) < 0.5
    far = plot(10, 10, x0=1000)  # nowhere near any plan feature: all of it outside
    assert abs(services.layer_conflicts(mapping(far), village_code=VILLAGE_A)[0].area_m2 - 100) < 1
    assert services.has_plan_layer(village_code=VILLAGE_A)


def test_without_a_plan_layer_nothing_is_said_about_the_plan(cast: Cast) -> None:
    assert not services.has_plan_layer(village_code=VILLAGE_A)
    assert services.layer_conflicts(mapping(plot(10, 10)), village_code=VILLAGE_A) == []
    upload(cast, LayerKind.OTHER, "河道管理范围", plot(50, 50))
    assert services.layer_conflicts(mapping(plot(10, 10)), village_code=VILLAGE_A) == []


def test_both_conflicts_at_once_and_another_countys_layers_do_not_count(cast: Cast) -> None:
    upload(cast, LayerKind.BASIC_FARMLAND, "永久基本农田", plot(30, 30))
    upload(cast, LayerKind.PLAN_CONSTRUCTION, "村庄规划", plot(30, 30, x0=30))
    parcel = plot(20, 10, x0=20)  # 10 m on farmland, 10 m in the plan
    found = services.layer_conflicts(mapping(parcel), village_code=VILLAGE_A)
    assert [c.kind for c in found] == [LayerKind.BASIC_FARMLAND, LayerKind.PLAN_CONSTRUCTION]
    assert all(abs(c.area_m2 - 100) < 0.5 for c in found)
    assert services.layer_conflicts(mapping(parcel), village_code="370214100200") == []

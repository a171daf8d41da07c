"""A village's parcels from GeoJSON: all or nothing, safe to re-run, overlaps found."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from shapely.geometry import mapping

from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.places import services
from hemei.places.models import Parcel
from hemei.points.tests.factories import household

from .test_geometry import surveyed

pytestmark = pytest.mark.django_db


def register(*rows: tuple[str, str, object]) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": mapping(g),
                    "properties": {"编号": code, "户号": number},
                }
                for code, number, g in rows
            ],
        }
    )


def test_an_import_creates_then_updates_and_changes_nothing_on_a_rerun(cast: Cast) -> None:
    home = household(VILLAGE_A, "003", "王长福")
    village = Division.objects.get(code=VILLAGE_A)
    data = register(("Z001", "003", surveyed(12, 15)), ("Z002", "", surveyed(10, 10, x0=30)))
    assert services.import_parcels(actor=cast.victor, village=village, data=data) == (2, 0)
    first = Parcel.objects.get(code="Z001")
    assert first.household == home and abs(float(first.area_m2) - 180) < 0.9
    assert abs(first.area_mu - 0.27) < 0.002
    assert services.import_parcels(actor=cast.victor, village=village, data=data) == (0, 2)
    assert Parcel.objects.count() == 2


def test_a_bad_file_imports_nothing_and_names_every_problem(cast: Cast) -> None:
    village = Division.objects.get(code=VILLAGE_A)
    data = register(
        ("Z001", "", surveyed(10, 10)),
        ("Z001", "", surveyed(10, 10, x0=20)),
        ("Z003", "999", surveyed(5, 5, x0=40)),
    )
    with pytest.raises(ValidationError) as refused:
        services.import_parcels(actor=cast.victor, village=village, data=data)
    text = " ".join(refused.value.messages)
    assert "Z001" in text and "999" in text
    assert not Parcel.objects.exists()
    with pytest.raises(PermissionDenied):
        services.import_parcels(
            actor=cast.owen, village=village, data=register(("Z9", "", surveyed(5, 5)))
        )


def test_a_new_parcel_overlapping_a_neighbour_is_found(cast: Cast) -> None:
    village = Division.objects.get(code=VILLAGE_A)
    services.import_parcels(
        actor=cast.victor,
        village=village,
        data=register(("Z001", "", surveyed(10, 10)), ("Z002", "", surveyed(10, 10, x0=10))),
    )
    found = services.overlaps(mapping(surveyed(8, 10, x0=6)))
    assert [o.parcel.code for o in found] == ["Z001", "Z002"] or [o.parcel.code for o in found] == [
        "Z002",
        "Z001",
    ]
    assert services.overlaps(mapping(surveyed(10, 10, x0=20))) == []
    z1 = Parcel.objects.get(code="Z001")
    assert services.overlaps(z1.geometry, exclude=z1) == []  # itself, and Z002 only touches

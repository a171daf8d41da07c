"""The places benchmark's functions at a tiny size, so that they cannot rot (no timing is
checked: the figures are `python -m benchmarks places`)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from benchmarks import places as bench
from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.places import geometry as geo
from hemei.places.models import Parcel

pytestmark = pytest.mark.django_db


def test_the_benchmark_builds_probes_and_exports_at_a_tiny_size(cast: Cast) -> None:
    other = (
        Division.objects.filter(level=5, parent_id=VILLAGE_A[:9]).exclude(code=VILLAGE_A).first()
    )
    assert bench.build_village(VILLAGE_A, 0, 25) == 25
    assert bench.build_village(other.code, 1, 25) == 25
    assert bench.build_village(VILLAGE_A, 0, 25) == 25  # built again, not added
    assert Parcel.objects.count() == 50
    outlines = bench.homesteads(0, 25)
    assert all(o.is_valid for o in outlines)
    assert all(100 < geo.area_m2(o) < 300 for o in outlines)
    # neighbours do not overlap one another; a probe over them overlaps some
    index = geo.OverlapIndex(outlines)
    assert all(len(index.overlaps(o)) == 1 for o in outlines)  # itself only
    figures = bench.time_overlaps(VILLAGE_A, 5)
    assert figures["probes"] == 5 and figures["overlapped_mean"] > 0
    exported = bench.time_export(VILLAGE_A, runs=1)
    assert exported["parcels"] == 25 and exported["bytes"] > 0
    from hemei.places import register

    sheet = load_workbook(io.BytesIO(register.export_xlsx(Parcel.objects.all()))).active
    assert sheet.max_row == 51


def test_the_ledger_benchmark_builds_and_exports_at_a_tiny_size(cast: Cast) -> None:
    assert bench.build_applications(VILLAGE_A, 12) == 12
    assert bench.build_applications(VILLAGE_A, 12) == 0  # reused
    figures = bench.time_ledger(VILLAGE_A, 12, runs=1)
    assert figures["applications"] == 12 and figures["bytes"] > 0

"""Parcels: the overlap check of a new homestead against a village of 3,000 parcels and a
county of 300,000, and the register export of a 3,000-parcel village.

In a child process, on a database kept between runs (a SQLite file in
``HEMEI_BENCH_PLACES_DIR``, default ``<tmp>/hemei-bench-places``; or the PostgreSQL database
named by ``HEMEI_BENCH_DATABASE_URL``), built once and reused: the real 即墨区 divisions and
the test cast, then

1. 红花山村 with ``HEMEI_BENCH_PLACES_VILLAGE`` (3,000) homesteads: polygons of 10–16 × 12–18 m
   on a 20 m grid with a few metres of jitter, near 120.4°E 36.4°N, areas measured in the
   Gauss–Krüger zone (``pyproj``) as the import does, bulk-inserted;
2. ``HEMEI_BENCH_PLACES_VILLAGES`` − 1 (99) more villages of the county laid out the same way
   on a 3 km grid, so the county holds 300,000 parcels.

Figures: ``places.services.overlaps()`` for ~``HEMEI_BENCH_PLACES_PROBES`` (50) new parcels
(each placed at random over the village, so most overlap two to six neighbours), p50 and p95
in milliseconds, with the village alone in the database (taken when the village is first
built, kept in ``figures-village.json`` and reported again on a reuse) and with the whole
county; the register export (``register.export_xlsx``) of the village, median of 3.

``python -m benchmarks places --small`` (or ``HEMEI_BENCH_SMALL=1``) runs it at a tenth of
the village and a hundredth of the county, in its own database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHILD = "from benchmarks.places import child; child()"

SMALL = os.environ.get("HEMEI_BENCH_SMALL") == "1"
VILLAGE_PARCELS = int(os.environ.get("HEMEI_BENCH_PLACES_VILLAGE", "300" if SMALL else "3000"))
VILLAGES = int(os.environ.get("HEMEI_BENCH_PLACES_VILLAGES", "10" if SMALL else "100"))
PROBES = int(os.environ.get("HEMEI_BENCH_PLACES_PROBES", "50"))
SOURCE = "benchmark"
#: The corner of the county's grid of villages (near 即墨区), and metres in degrees there.
LON0, LAT0 = 120.40, 36.40
M_LAT = 1 / 111_000
M_LON = 1 / 89_400  # 111,320 m × cos 36.4°
PITCH_M = 20.0
VILLAGE_PITCH_M = 3000.0


def _bench_dir() -> Path:
    default = Path(tempfile.gettempdir()) / (
        "hemei-bench-places-small" if SMALL else "hemei-bench-places"
    )
    path = Path(os.environ.get("HEMEI_BENCH_PLACES_DIR") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def run() -> dict[str, object]:
    env = {
        **os.environ,
        "HEMEI_DATA_DIR": str(_bench_dir()),
        "DJANGO_SETTINGS_MODULE": "hemei.settings",
        "HEMEI_ALLOWED_HOSTS": "testserver,localhost",
        "HEMEI_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "HEMEI_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("HEMEI_DATABASE_URL", None)
    if os.environ.get("HEMEI_BENCH_DATABASE_URL"):
        env["HEMEI_DATABASE_URL"] = os.environ["HEMEI_BENCH_DATABASE_URL"]
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, encoding="utf-8", cwd=ROOT, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"the places benchmark failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child() -> None:
    import resource
    import time

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hemei.core.testing import VILLAGE_A

    figures: dict[str, Any] = {
        "database": connection.vendor,
        "small": SMALL,
        "load_average_before": round(os.getloadavg()[0], 2),
    }
    call_command("migrate", verbosity=0)
    saved = _bench_dir() / "figures-village.json"
    villages = _villages(VILLAGES)
    village_count = _count([VILLAGE_A])
    if village_count < VILLAGE_PARCELS:
        started = time.perf_counter()
        build_village(VILLAGE_A, 0, VILLAGE_PARCELS)
        figures["build_village_s"] = round(time.perf_counter() - started, 1)
        _analyze()
        village = time_overlaps(VILLAGE_A, PROBES)
        village["parcels_in_database"] = _count(None)
        saved.write_text(json.dumps(village), encoding="utf-8")
    elif saved.exists():
        village = {**json.loads(saved.read_text(encoding="utf-8")), "reused": True}
    else:
        village = {"note": "the village was built by an earlier run without figures"}
    figures["overlaps_village"] = village
    others = [code for code in villages if code != VILLAGE_A][: VILLAGES - 1]
    if _count(others) < VILLAGE_PARCELS * len(others):
        started = time.perf_counter()
        for index, code in enumerate(others, start=1):
            if _count([code]) < VILLAGE_PARCELS:
                build_village(code, index, VILLAGE_PARCELS)
        figures["build_county_s"] = round(time.perf_counter() - started, 1)
        _analyze()
    else:
        figures["county_reused"] = True
    county = time_overlaps(VILLAGE_A, PROBES)
    county["parcels_in_database"] = _count(None)
    figures["overlaps_county"] = county
    figures["export_village"] = time_export(VILLAGE_A, runs=3)
    figures["ledger_export"] = time_ledger(VILLAGE_A, VILLAGE_PARCELS, runs=3)
    figures["load_average_after"] = round(os.getloadavg()[0], 2)
    figures["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures, ensure_ascii=False))


# --------------------------------------------------------------------------- the parcels


def _villages(count: int) -> list[str]:
    """红花山村 first, then other villages of the county (divisions and cast imported once)."""
    from hemei.core.testing import COUNTY, VILLAGE_A, build_cast
    from hemei.divisions.models import Division

    if not Division.objects.filter(code=VILLAGE_A).exists():
        build_cast()
    codes = list(
        Division.objects.filter(level=5)
        .within(COUNTY)
        .exclude(code=VILLAGE_A)
        .order_by("code")
        .values_list("code", flat=True)[: count - 1]
    )
    return [VILLAGE_A, *codes]


def _count(villages: list[str] | None) -> int:
    from hemei.places.models import Parcel

    rows = Parcel.objects.filter(source=SOURCE)
    if villages is not None:
        rows = rows.filter(village_id__in=villages)
    return rows.count()


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _origin(index: int) -> tuple[float, float]:
    """The south-west corner of the ``index``-th village on the county's grid."""
    row, column = divmod(index, 10)
    return (
        LON0 + column * VILLAGE_PITCH_M * M_LON,
        LAT0 + row * VILLAGE_PITCH_M * M_LAT,
    )


def homesteads(index: int, count: int, seed: int = 0) -> list[Any]:
    """``count`` homestead outlines (shapely polygons, lon/lat) of the ``index``-th village:
    a square grid of 20 m cells, each a quadrilateral of 10–16 × 12–18 m with its corners
    moved up to half a metre."""
    import math
    import random

    from shapely.geometry import Polygon

    chooser = random.Random(seed * 100_003 + index)
    lon0, lat0 = _origin(index)
    side = math.ceil(math.sqrt(count))
    found = []
    for n in range(count):
        row, column = divmod(n, side)
        width, height = chooser.uniform(10, 16), chooser.uniform(12, 18)
        x = column * PITCH_M + chooser.uniform(0, PITCH_M - width - 1)
        y = row * PITCH_M + chooser.uniform(0, PITCH_M - height - 1)
        corners = [(x, y), (x + width, y), (x + width, y + height), (x, y + height)]
        ring = [
            (
                lon0 + (cx + chooser.uniform(-0.5, 0.5)) * M_LON,
                lat0 + (cy + chooser.uniform(-0.5, 0.5)) * M_LAT,
            )
            for cx, cy in corners
        ]
        found.append(Polygon([*ring, ring[0]]))
    return found


def build_village(code: str, index: int, count: int) -> int:
    """The village's homesteads, measured as the import measures them, bulk-inserted."""
    from decimal import Decimal

    import shapely
    from django.db import transaction
    from shapely.geometry import mapping

    from hemei.places import geometry as geo
    from hemei.places.models import Parcel

    outlines = homesteads(index, count)
    transformer = geo._to_plane(geo.zone_epsg(outlines[0].centroid.x))
    areas = shapely.area(shapely.transform(outlines, transformer.transform, interleaved=False))
    bounds = shapely.bounds(outlines)
    rows = [
        Parcel(
            village_id=code,
            kind="homestead",
            code=f"B{index:03d}-{n:05d}",
            geometry=json.loads(json.dumps(mapping(outline))),
            area_m2=Decimal(str(round(float(area), 2))),
            min_lon=float(box[0]),
            min_lat=float(box[1]),
            max_lon=float(box[2]),
            max_lat=float(box[3]),
            source=SOURCE,
            address=f"{n // 50 + 1}排{n % 50 + 1}号",
            recorded_area_m2=Decimal(str(round(float(area), 0))),
            floors=1 + n % 2,
        )
        for n, (outline, area, box) in enumerate(zip(outlines, areas, bounds, strict=True))
    ]
    with transaction.atomic():
        Parcel.objects.filter(village_id=code, source=SOURCE).delete()
        Parcel.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def probes(index: int, count: int, village_parcels: int, seed: int = 1) -> list[Any]:
    """New homesteads of 14 × 16 m placed at random over the ``index``-th village."""
    import math
    import random

    from shapely.geometry import box

    chooser = random.Random(seed)
    lon0, lat0 = _origin(index)
    extent = math.ceil(math.sqrt(village_parcels)) * PITCH_M
    found = []
    for _n in range(count):
        x, y = chooser.uniform(0, extent - 14), chooser.uniform(0, extent - 16)
        found.append(
            box(
                lon0 + x * M_LON,
                lat0 + y * M_LAT,
                lon0 + (x + 14) * M_LON,
                lat0 + (y + 16) * M_LAT,
            )
        )
    return found


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_overlaps(village: str, count: int) -> dict[str, Any]:
    """``overlaps()`` for ``count`` new parcels over the village: p50/p95 in ms and how many
    neighbours they overlap."""
    import time

    from hemei.places.services import overlaps

    village_parcels = _count([village]) or 1
    timings, found = [], []
    for probe in probes(0, count, village_parcels):
        started = time.perf_counter()
        hits = overlaps(probe)
        timings.append((time.perf_counter() - started) * 1000)
        found.append(len(hits))
    return {
        "probes": count,
        "p50_ms": round(_percentile(timings, 0.5), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "overlapped_mean": round(sum(found) / len(found), 1),
    }


def time_export(village: str, runs: int = 3) -> dict[str, Any]:
    """The register export of the village: the median of ``runs`` and its size."""
    import time

    from hemei.places import register
    from hemei.places.models import Parcel

    timings, size = [], 0
    for _run in range(runs):
        started = time.perf_counter()
        data = register.export_xlsx(Parcel.objects.filter(village_id=village))
        timings.append(time.perf_counter() - started)
        size = len(data)
    return {
        "parcels": Parcel.objects.filter(village_id=village).count(),
        "median_s": round(_percentile(timings, 0.5), 2),
        "bytes": size,
    }


# --------------------------------------------------------------------------- the ledger


def build_applications(village: str, count: int) -> int:
    """``count`` homestead applications of the village (cases at the joint review), written
    in bulk: the town's ledger to export. Reused when there."""
    import datetime as dt
    from decimal import Decimal

    from hemei.accounts.models import User
    from hemei.cases.models import Case
    from hemei.homestead.models import Application
    from hemei.homestead.samples import adopt_default_catalogue

    have = Application.objects.filter(case__village_id=village).count()
    if have >= count:
        return 0
    alice = User.objects.get(username="alice")
    version = adopt_default_catalogue(alice, village)
    item = version.items.get(steps__limit_key="homestead.application")
    step = item.steps.get(limit_key="homestead.joint_review")
    cases = [
        Case(
            number=f"{village}-B{index:06d}",
            village_id=village,
            item=item,
            title="原址翻建",
            applicant_name=f"申请人{index}",
            state="open",
            step=step,
            step_due_on=dt.date(2026, 12, 1),
        )
        for index in range(have, count)
    ]
    Case.objects.bulk_create(cases, batch_size=1000)
    made = Case.objects.filter(number__startswith=f"{village}-B").exclude(homestead__isnull=False)
    Application.objects.bulk_create(
        [
            Application(
                case=case,
                build_type="rebuild",
                reason="旧房翻建",
                address=f"红花山村{case.pk}号",
                land_type="construction",
                site_area=Decimal("160.00"),
                footprint=Decimal("110.00"),
                floor_area=Decimal("220.00"),
                floors=2,
                height=Decimal("7.50"),
                east="村道",
                south="邻户",
            )
            for case in made
        ],
        batch_size=1000,
    )
    return count - have


def time_ledger(village: str, count: int, runs: int = 3) -> dict[str, Any]:
    """The town's approval ledger (审批管理台账) exported as the town official asks for it:
    the access policy, the page's selector and columns, the shared Excel writer."""
    import time

    from hemei.accounts.models import User
    from hemei.core.xlsx import render_xlsx
    from hemei.homestead import selectors

    build_applications(village, count)
    tom = User.objects.get(username="tom")
    timings, size, rows = [], 0, 0
    columns = selectors.ledger_columns()
    for _run in range(runs):
        started = time.perf_counter()
        found = list(selectors.applications(tom))
        data = render_xlsx(
            title="宅基地审批管理台账",
            headers=[str(header) for header, _value in columns],
            rows=([value(row) for _header, value in columns] for row in found),
        )
        timings.append(time.perf_counter() - started)
        size, rows = len(data), len(found)
    return {"applications": rows, "median_s": round(_percentile(timings, 0.5), 2), "bytes": size}

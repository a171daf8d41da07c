"""Rankings through the API: compute, list, detail with rows, the circular export followed
and downloaded (re-opened with python-docx and openpyxl), all scoped like the pages."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, Cast
from hemei.rankings.choices import JobState
from hemei.rankings.jobs import render_circular
from hemei.rankings.models import ExportJob, RankingRun

from .conftest import World

pytestmark = pytest.mark.django_db

LIST = "/api/v1/rankings/"
JULY = dt.datetime(2026, 7, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def compute(client, scope: str = COUNTY, kind: str = "month", start: str = "2026-06-01"):
    with clock.frozen_at(JULY):
        return client.post(LIST, {"scope": scope, "period_kind": kind, "period_start": start})


def test_the_county_computes_and_everyone_in_it_reads(cast: Cast, world: World, as_user, conforms):
    answer = compute(as_user(cast.alice))
    assert answer.status == 201, answer
    conforms(answer, LIST, "post")
    run = answer.json
    assert run["scope"]["code"] == COUNTY and run["ranks"] == "towns"
    assert run["period_start"] == "2026-06-01" and run["period_end"] == "2026-06-30"
    rows = {row["division"]["code"]: row for row in run["rows"]}
    assert rows[TOWN_A]["due_count"] == 1 and rows[TOWN_A]["overdue_count"] == 1
    assert run["row_count"] == len(run["rows"]) > 2

    for user in (cast.tom, cast.owen, cast.victor):
        listed = as_user(user).get(LIST)
        assert [r["id"] for r in listed.json["results"]] == [run["id"]]
    conforms(as_user(cast.tom).get(LIST), LIST, "get")
    detail = as_user(cast.owen).get(f"{LIST}{run['id']}/")
    assert detail.status == 200
    conforms(detail, "/api/v1/rankings/{pk}/", "get")


def test_a_town_ranks_its_villages_and_the_neighbour_cannot_see_it(
    cast: Cast, world: World, as_user
):
    refused = compute(as_user(cast.tom), COUNTY)
    assert refused.status == 403
    mine = compute(as_user(cast.tom), TOWN_A)
    assert mine.status == 201 and mine.json["ranks"] == "villages"
    owen = as_user(cast.owen)
    assert owen.get(f"{LIST}{mine.json['id']}/").status == 404
    assert owen.get(LIST).json["count"] == 0
    assert compute(owen, TOWN_A).status == 400  # another town is not open to owen
    assert RankingRun.objects.count() == 1


def test_rankings_are_filtered(cast: Cast, world: World, as_user):
    alice = as_user(cast.alice)
    compute(alice)
    compute(alice, kind="quarter", start="2026-04-01")
    compute(alice, TOWN_B)
    assert alice.get(LIST).json["count"] == 3
    assert alice.get(LIST, {"period_kind": "quarter"}).json["count"] == 1
    assert alice.get(LIST, {"scope": TOWN_B}).json["count"] == 1
    assert alice.get(LIST, {"from": "2026-05-01"}).json["count"] == 2
    assert alice.get(LIST, {"to": "2026-05-01"}).json["count"] == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"scope": COUNTY, "period_kind": "decade", "period_start": "2026-06-01"}, "period_kind"),
        ({"scope": COUNTY, "period_kind": "month", "period_start": "June"}, "period_start"),
        ({"scope": "370215100214", "period_kind": "month", "period_start": "2026-06-01"}, "scope"),
        ({"period_kind": "month", "period_start": "2026-06-01"}, "scope"),
    ],
)
def test_bad_compute_requests_are_refused(cast: Cast, as_user, body, field):
    with clock.frozen_at(JULY):
        answer = as_user(cast.alice).post(LIST, body)
    assert answer.status == 400 and field in answer.error["fields"]
    assert not RankingRun.objects.exists()


def test_a_future_period_is_a_400(cast: Cast, as_user):
    answer = compute(as_user(cast.alice), start="2027-01-01")
    assert answer.status == 400 and answer.error["message"]


def test_the_circular_is_queued_followed_and_downloaded(
    cast: Cast, world: World, as_user, conforms
):
    alice = as_user(cast.alice)
    run_id = compute(alice).json["id"]
    with clock.frozen_at(JULY):
        queued = alice.post(f"{LIST}{run_id}/circular/")
    assert queued.status == 202, queued
    conforms(queued, "/api/v1/rankings/{pk}/circular/", "post")
    assert queued.json["state"] == "queued" and queued.json["docx"] is None
    assert queued.json["document_number"].endswith("〔2026〕1号")
    job = ExportJob.objects.get()
    assert alice.get(f"/api/v1/exports/{job.pk}/docx/").status == 404  # not done yet
    assert as_user(cast.tom).post(f"{LIST}{run_id}/circular/").status == 403

    with clock.frozen_at(JULY):
        render_circular.call(job_id=job.pk)
    done = alice.get(f"/api/v1/exports/{job.pk}/")
    assert done.json["state"] == JobState.DONE, done
    conforms(done, "/api/v1/exports/{pk}/", "get")
    docx = alice.client.get(done.json["docx"], headers=alice.headers)
    assert docx.status_code == 200
    document = Document(io.BytesIO(b"".join(docx.streaming_content)))
    assert any("〔2026〕1号" in p.text for p in document.paragraphs)
    assert document.tables[0].rows[0].cells[0].text == "排名"
    xlsx = alice.client.get(done.json["xlsx"], headers=alice.headers)
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert "排名" in book.sheetnames
    assert as_user(cast.owen).get(f"/api/v1/exports/{job.pk}/").status == 200  # county-wide
    assert alice.get(f"/api/v1/exports/{job.pk}/pdf/").status == 404

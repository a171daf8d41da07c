"""Progress reports through the API: draft (JSON or multipart with evidence), change,
upload, submit, approve, return; evidence downloads in scope; the review queue."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from hemei.core.testing import Cast
from hemei.progress.models import Evidence, ProgressReport
from hemei.tasks.models import Task

from .conftest import Answer, World

pytestmark = pytest.mark.django_db

TASK_REPORTS = "/api/v1/tasks/{pk}/reports/"
ITEM = "/api/v1/reports/{pk}/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(color: tuple[int, int, int] = (200, 60, 60)) -> bytes:
    """A real JPEG with EXIF time and GPS."""
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:03:01 10:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (36.0, 23.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (120.0, 30.0, 0.0)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG", exif=exif)
    return out.getvalue()


def multipart(client, url: str, data: dict[str, Any]) -> Answer:
    return Answer(client.client.post(url, data, headers=client.headers))


def draft(client, world: World, **body: Any) -> Answer:
    body = {"percent": 40, "text": "完成摸底", **body}
    return client.post(TASK_REPORTS.format(pk=world.part_a.pk), body)


def test_a_town_official_writes_a_draft(cast: Cast, world: World, as_user, conforms):
    milestone = world.part_a.milestones.get()
    answer = draft(as_user(cast.tom), world, milestones=[milestone.pk])
    assert answer.status == 201, answer
    conforms(answer, "/api/v1/tasks/{pk}/reports/", "post")
    assert answer.json["state"] == "draft" and answer.json["percent"] == 40.0
    assert answer.json["milestones"] == [{"id": milestone.pk, "name": "摸底"}]
    assert answer.json["author"]["id"] == cast.tom.pk


def test_a_report_with_a_photo_goes_in_one_multipart_request(
    cast: Cast, world: World, as_user, conforms
):
    tom = as_user(cast.tom)
    photo = SimpleUploadedFile("现场.jpg", jpeg(), content_type="image/jpeg")
    answer = multipart(
        tom,
        TASK_REPORTS.format(pk=world.part_a.pk),
        {"percent": "60", "text": "改造完成60户", "submit": "true", "files": [photo]},
    )
    assert answer.status == 201, answer
    conforms(answer, "/api/v1/tasks/{pk}/reports/", "post")
    assert answer.json["state"] == "submitted"
    (evidence,) = answer.json["evidence"]
    assert evidence["kind"] == "photo" and evidence["name"] == "现场.jpg"
    assert evidence["latitude"] == pytest.approx(36.39) and evidence["taken_at"]
    download = tom.client.get(evidence["url"], headers=tom.headers)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == jpeg()
    owen = as_user(cast.owen)
    assert owen.get(evidence["url"]).status == 404


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_kept(
    cast: Cast, world: World, as_user, settings
):
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    answer = multipart(
        as_user(cast.tom),
        TASK_REPORTS.format(pk=world.part_a.pk),
        {"percent": "60", "text": "改造完成", "files": [fake]},
    )
    assert answer.status == 400
    assert "files" in answer.error["fields"]
    assert not ProgressReport.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_multipart_fields_are_checked_like_json(cast: Cast, world: World, as_user):
    answer = multipart(
        as_user(cast.tom),
        TASK_REPORTS.format(pk=world.part_a.pk),
        {"percent": "sixty", "text": "x", "colour": "red"},
    )
    assert answer.status == 400
    assert set(answer.error["fields"]) == {"percent", "colour"}


def test_the_same_photo_on_another_report_is_flagged(cast: Cast, world: World, as_user):
    tom = as_user(cast.tom)
    first = draft(tom, world).json["id"]
    second = draft(tom, world).json["id"]
    url = "/api/v1/reports/{pk}/evidence/"
    photo = jpeg((10, 20, 30))
    up = multipart(tom, url.format(pk=first), {"files": [SimpleUploadedFile("a.jpg", photo)]})
    assert up.status == 201, up
    again = multipart(tom, url.format(pk=second), {"files": [SimpleUploadedFile("b.jpg", photo)]})
    assert again.status == 201
    assert again.json["evidence"][0]["duplicate_of"] == up.json["evidence"][0]["id"]
    detail = tom.get(ITEM.format(pk=second)).json
    assert detail["duplicate_count"] == 1
    nothing = multipart(tom, url.format(pk=second), {})
    assert nothing.status == 400 and "files" in nothing.error["fields"]


def test_the_loop_draft_submit_return_resubmit_approve(cast: Cast, world: World, as_user, conforms):
    tom, alice = as_user(cast.tom), as_user(cast.alice)
    pk = draft(tom, world, percent=50).json["id"]
    assert alice.get(ITEM.format(pk=pk)).status == 404  # a draft is its author's only
    changed = tom.patch(ITEM.format(pk=pk), {"percent": 55.5})
    assert changed.status == 200 and changed.json["percent"] == 55.5
    conforms(changed, ITEM, "patch")
    submitted = tom.post(f"/api/v1/reports/{pk}/submit/")
    assert submitted.status == 200 and submitted.json["state"] == "submitted"
    conforms(submitted, "/api/v1/reports/{pk}/submit/", "post")

    queue = alice.get("/api/v1/reports/", {"to_review": "true"})
    assert [r["id"] for r in queue.json["results"]] == [pk]
    assert tom.get("/api/v1/reports/", {"to_review": "true"}).json["count"] == 0

    assert tom.post(f"/api/v1/reports/{pk}/approve/").status == 403  # not their own
    no_reason = alice.post(f"/api/v1/reports/{pk}/return/", {})
    assert no_reason.status == 400 and "reason" in no_reason.error["fields"]
    returned = alice.post(f"/api/v1/reports/{pk}/return/", {"reason": "缺少照片"})
    assert returned.status == 200 and returned.json["state"] == "returned"
    assert returned.json["return_reason"] == "缺少照片"

    assert tom.post(f"/api/v1/reports/{pk}/submit/").status == 200
    approved = alice.post(f"/api/v1/reports/{pk}/approve/")
    assert approved.status == 200 and approved.json["state"] == "approved"
    conforms(approved, "/api/v1/reports/{pk}/approve/", "post")
    assert Task.objects.get(pk=world.part_a.pk).progress == 55.5
    again = alice.post(f"/api/v1/reports/{pk}/approve/")
    assert again.status == 400  # only a submitted report is reviewed
    kinds = [e["kind"] for e in alice.get(f"/api/v1/tasks/{world.part_a.pk}/").json["timeline"]]
    assert kinds.count("report_submitted") == 2
    assert "report_returned" in kinds and "report_approved" in kinds


def test_reports_are_listed_per_task_and_scoped(cast: Cast, world: World, as_user, conforms):
    tom = as_user(cast.tom)
    pk = draft(tom, world, submit=True).json["id"]
    answer = tom.get(TASK_REPORTS.format(pk=world.part_a.pk))
    assert answer.status == 200 and [r["id"] for r in answer.json["results"]] == [pk]
    conforms(answer, "/api/v1/tasks/{pk}/reports/", "get")
    assert as_user(cast.alice).get("/api/v1/reports/", {"state": "submitted"}).json["count"] == 1
    owen = as_user(cast.owen)
    assert owen.get(TASK_REPORTS.format(pk=world.part_a.pk)).status == 404
    assert owen.get(ITEM.format(pk=pk)).status == 404
    assert owen.get("/api/v1/reports/").json["count"] == 0
    assert owen.post(f"/api/v1/reports/{pk}/approve/").status == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"percent": 150, "text": "x"}, "percent"),
        ({"percent": "abc", "text": "x"}, "percent"),
        ({"percent": 10, "text": ""}, "text"),
        ({"percent": 10}, "text"),
        ({"percent": 10, "text": "x", "milestones": [999_999]}, "milestones.0"),
        ({"percent": 10, "text": "x", "submit": "yes"}, "submit"),
    ],
)
def test_bad_reports_are_refused(cast: Cast, world: World, as_user, body, field):
    answer = as_user(cast.tom).post(TASK_REPORTS.format(pk=world.part_a.pk), body)
    assert answer.status == 400 and field in answer.error["fields"]
    assert not ProgressReport.objects.exists()


def test_a_task_with_subtasks_takes_no_reports(cast: Cast, world: World, as_user):
    answer = as_user(cast.alice).post(
        TASK_REPORTS.format(pk=world.county_task.pk), {"percent": 10, "text": "x"}
    )
    assert answer.status == 400 and answer.error["message"]
    assert not ProgressReport.objects.exists()


def test_a_milestone_of_another_task_is_refused(cast: Cast, world: World, as_user):
    other = world.county_task.milestones.get()
    answer = as_user(cast.alice).post(
        TASK_REPORTS.format(pk=world.part_b.pk),
        {"percent": 10, "text": "x", "milestones": [other.pk]},
    )
    assert answer.status == 400
    assert not Evidence.objects.exists() and not ProgressReport.objects.exists()

"""Progress reports: the state machine, what moves a task's progress, who may do what,
and the evidence checks on real files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hemei.accounts.models import AuditEntry
from hemei.core import clock
from hemei.core.testing import Cast
from hemei.notifications.models import Notification
from hemei.progress import selectors, services
from hemei.progress.evidence import MAX_FILE_BYTES, check_file
from hemei.progress.models import Evidence, EvidenceKind, ProgressReport, ReportState
from hemei.tasks import services as task_services
from hemei.tasks.choices import EventKind, State

from .conftest import MORNING, Work, docx, jpeg, pdf, png, xlsx

pytestmark = pytest.mark.django_db

LATER = MORNING + dt.timedelta(days=3)


def refused(code: str):
    """Expect a ValidationError with this code (messages are in Chinese in the tests)."""
    return pytest.raises(ValidationError, check=lambda exc: code in _codes(exc))


def _codes(exc: ValidationError) -> set[str]:
    return {error.code for error in exc.error_list}


def report(actor, task, percent=40, text="完成摸底，已改造120户", files=(), **kw) -> ProgressReport:
    return services.create_report(
        actor=actor, task=task, percent=percent, text=text, files=files, **kw
    )


def test_it_goes_draft_submitted_returned_resubmitted_approved(cast: Cast, work: Work) -> None:
    with clock.frozen_at(LATER):
        draft = report(cast.tom, work.part_a, files=[check_file("厕所.jpg", jpeg())])
        assert draft.state == ReportState.DRAFT and draft.submitted_at is None
        services.submit_report(actor=cast.tom, report=draft)
        draft.refresh_from_db()
        assert draft.state == ReportState.SUBMITTED and draft.submitted_at == LATER

        with pytest.raises(ValidationError):
            services.return_report(actor=cast.alice, report=draft, reason="  ")
        services.return_report(actor=cast.alice, report=draft, reason="照片看不清，请补拍")
        draft.refresh_from_db()
        assert draft.state == ReportState.RETURNED
        assert draft.return_reason == "照片看不清，请补拍" and draft.decided_by == cast.alice
        assert Notification.objects.filter(recipient=cast.tom, kind="report_returned").exists()

        services.update_report(
            actor=cast.tom,
            report=draft,
            percent=45,
            files=[check_file("补拍.jpg", jpeg(color=(1, 2, 3)))],
        )
        services.submit_report(actor=cast.tom, report=draft)
        draft.refresh_from_db()
        assert draft.state == ReportState.SUBMITTED and draft.decided_by is None
        with pytest.raises(ValidationError):
            services.update_report(actor=cast.tom, report=draft, percent=50)

        services.approve_report(actor=cast.alice, report=draft)
    draft.refresh_from_db()
    assert draft.state == ReportState.APPROVED and draft.decided_at == LATER
    assert draft.evidence.count() == 2
    kinds = list(work.part_a.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.REPORT_SUBMITTED) == 2
    assert EventKind.REPORT_RETURNED in kinds and EventKind.REPORT_APPROVED in kinds
    assert EventKind.PROGRESS in kinds
    assert Notification.objects.filter(recipient=cast.tom, kind="report_approved").exists()
    assert AuditEntry.objects.filter(object_id=str(draft.pk)).count() >= 5
    with pytest.raises(ValidationError):
        services.approve_report(actor=cast.alice, report=draft)  # twice


def test_only_approval_moves_the_progress_and_it_rolls_up(cast: Cast, work: Work) -> None:
    milestone = work.part_a.milestones.get(name="摸底")
    with clock.frozen_at(LATER):
        first = report(cast.tom, work.part_a, percent=60, milestones=[milestone], submit=True)
        assert first.state == ReportState.SUBMITTED and first.submitted_at == LATER
        work.part_a.refresh_from_db()
        assert work.part_a.progress == 0
        services.return_report(actor=cast.alice, report=first, reason="缺少照片")
        work.part_a.refresh_from_db()
        assert work.part_a.progress == 0
        services.submit_report(actor=cast.tom, report=first)
        services.approve_report(actor=cast.alice, report=first)
    work.part_a.refresh_from_db()
    work.county.refresh_from_db()
    milestone.refresh_from_db()
    assert work.part_a.progress == Decimal(60)
    assert work.part_a.state == State.IN_PROGRESS
    assert milestone.reached_on == LATER.date()
    assert work.county.progress == Decimal(30)  # (60 + 0) / 2, equal weights


def test_reviewers_are_told_and_the_submitter_is_not(cast: Cast, work: Work) -> None:
    with clock.frozen_at(LATER):
        report(cast.tom, work.part_a, submit=True)
    told = set(
        Notification.objects.filter(kind="report_submitted").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"alice", "lily", "dan"}  # the county above, the lead leader, the lead unit


def test_a_village_report_goes_to_its_town_first(cast: Cast, work: Work) -> None:
    report(cast.victor, work.village, submit=True)
    told = set(
        Notification.objects.filter(kind="report_submitted").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"tom"}  # the county sees it in its queue, without a message for each village


def test_who_may_report_and_review(cast: Cast, work: Work) -> None:
    with pytest.raises(Http404):
        report(cast.owen, work.part_a)  # town B cannot see town A's task
    with pytest.raises(Http404):
        report(cast.nora, work.part_a)
    with pytest.raises(Http404):
        report(cast.victor, work.part_a)  # a village official does not see his town's task
    mine = report(cast.victor, work.village, percent=20, submit=True)
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=cast.tom, report=mine)  # only the author
    with pytest.raises(PermissionDenied):
        services.approve_report(actor=cast.victor, report=mine)
    assert selectors.reviewable_reports(cast.victor).count() == 0

    town = report(cast.tom, work.part_a, submit=True)
    with pytest.raises(PermissionDenied):
        services.approve_report(actor=cast.tom, report=town)  # review comes from above
    with pytest.raises(Http404):
        services.approve_report(actor=cast.owen, report=town)
    assert list(selectors.reviewable_reports(cast.tom)) == [mine]  # the village below him
    assert set(selectors.reviewable_reports(cast.alice)) == {mine, town}
    services.approve_report(actor=cast.tom, report=mine)
    services.approve_report(actor=cast.alice, report=town)


def test_no_one_reviews_their_own_report(cast: Cast, work: Work) -> None:
    own = report(cast.alice, work.village, submit=True)
    with pytest.raises(PermissionDenied):
        services.approve_report(actor=cast.alice, report=own)
    assert own not in selectors.reviewable_reports(cast.alice)
    services.approve_report(actor=cast.lily, report=own)


def test_drafts_are_seen_by_their_author_only(cast: Cast, work: Work) -> None:
    draft = report(cast.tom, work.part_a)
    assert draft in selectors.visible_reports(cast.tom)
    assert draft not in selectors.visible_reports(cast.alice)
    services.submit_report(actor=cast.tom, report=draft)
    assert draft in selectors.visible_reports(cast.alice)
    assert draft not in selectors.visible_reports(cast.owen)


def test_a_done_task_and_a_task_with_subtasks_take_no_reports(cast: Cast, work: Work) -> None:
    with refused("has_subtasks"):
        report(cast.alice, work.county)
    task_services.record_progress(task=work.part_b, percent=100, actor=cast.alice)
    with refused("done"):
        report(cast.owen, work.part_b)
    assert not ProgressReport.objects.exists()


def test_a_lower_percent_is_allowed_with_a_warning(cast: Cast, work: Work) -> None:
    task_services.record_progress(task=work.part_a, percent=70, actor=cast.alice)
    lower = report(cast.tom, work.part_a, percent=50, submit=True)
    lower.task.refresh_from_db()
    assert any("70" in note for note in selectors.warnings_for(lower))
    services.approve_report(actor=cast.alice, report=lower)
    work.part_a.refresh_from_db()
    assert work.part_a.progress == Decimal(50)


@pytest.mark.parametrize("percent", [-1, 101, "abc", "NaN"])
def test_a_bad_percent_is_refused(cast: Cast, work: Work, percent) -> None:
    with pytest.raises(ValidationError):
        report(cast.tom, work.part_a, percent=percent)
    assert not ProgressReport.objects.exists()


def test_a_milestone_of_another_task_is_refused(cast: Cast, work: Work) -> None:
    other = work.part_b.milestones.first()
    with pytest.raises(ValidationError):
        report(cast.tom, work.part_a, milestones=[other])


# Evidence ------------------------------------------------------------------------------


def test_it_reads_exif_time_and_gps() -> None:
    checked = check_file("现场.jpg", jpeg(taken="2026:03:01 10:30:00", gps=(36.3915, -120.5)))
    assert checked.kind == EvidenceKind.PHOTO and checked.content_type == "image/jpeg"
    assert checked.taken_at == dt.datetime(2026, 3, 1, 2, 30, tzinfo=dt.UTC)  # Asia/Shanghai
    assert checked.latitude == Decimal("36.391500")
    assert checked.longitude == Decimal("-120.500000")
    plain = check_file("无exif.jpg", jpeg(taken=None, gps=None))
    assert plain.taken_at is None and plain.latitude is None and plain.longitude is None


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("a.png", png(), "photo", "image/png"),
        (
            "验收.docx",
            docx(),
            "document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            xlsx(),
            "document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("方案.pdf", pdf(), "document", "application/pdf"),
        ("named-wrong.txt", jpeg(), "photo", "image/jpeg"),  # the content decides
    ],
)
def test_it_accepts_photos_and_documents_by_their_content(name, data, kind, content_type) -> None:
    checked = check_file(name, data)
    assert (checked.kind, checked.content_type) == (kind, content_type)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", "这不是照片，只是文字".encode(), "type"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "type"),
        ("empty.pdf", b"", "empty"),
        ("iphone.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heic"),
        ("doc.zip", b"PK\x03\x04" + b"\x00" * 100, "type"),
        ("big.pdf", b"%PDF-" + b"0" * MAX_FILE_BYTES, "too_big"),
    ],
)
def test_it_refuses_what_is_not_an_accepted_file(name, data, message) -> None:
    with refused(message):
        check_file(name, data)


def test_a_zip_that_is_not_word_or_excel_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ValidationError):
        check_file("x.docx", path.read_bytes())


def test_evidence_is_stored_privately_with_its_digest_and_thumbnail(cast: Cast, work: Work) -> None:
    data = jpeg()
    made = report(
        cast.tom, work.part_a, files=[check_file("厕所.jpg", data), check_file("a.pdf", pdf())]
    )
    photo, document = made.evidence.order_by("id")
    root = Path(settings.MEDIA_ROOT)
    stored = root / photo.file.name
    assert stored.read_bytes() == data and photo.file.name.startswith("progress/")
    assert "厕所" not in photo.file.name and photo.original_name == "厕所.jpg"
    assert (root / services.thumbnail_name(photo.file.name)).exists()
    import hashlib

    assert photo.sha256 == hashlib.sha256(data).hexdigest() and photo.size == len(data)
    assert photo.taken_at is not None and photo.latitude is not None
    assert document.kind == EvidenceKind.DOCUMENT and document.taken_at is None


def test_the_same_file_on_another_report_is_flagged_as_a_duplicate(cast: Cast, work: Work) -> None:
    data = jpeg(color=(9, 9, 9))
    first = report(cast.tom, work.part_a, files=[check_file("a.jpg", data)])
    second = report(
        cast.owen, work.part_b, files=[check_file("b.jpg", data), check_file("c.jpg", jpeg())]
    )
    original = first.evidence.get()
    copied, fresh = second.evidence.order_by("id")
    assert original.duplicate_of is None
    assert copied.duplicate_of == original and fresh.duplicate_of is None
    third = report(cast.victor, work.village, files=[check_file("d.jpg", data)])
    assert third.evidence.get().duplicate_of == original  # always the first use


def test_the_same_file_twice_on_one_report_is_refused(cast: Cast, work: Work) -> None:
    data = jpeg()
    with refused("already_attached"):
        report(cast.tom, work.part_a, files=[check_file("a.jpg", data), check_file("b.jpg", data)])
    assert not ProgressReport.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.jpg"))  # nothing left on disk


def test_at_most_twenty_files_a_report(cast: Cast, work: Work) -> None:
    files = [check_file(f"{i}.jpg", jpeg(color=(i, i, i))) for i in range(20)]
    made = report(cast.tom, work.part_a, files=files)
    assert made.evidence.count() == 20
    with refused("too_many"):
        services.attach_evidence(
            actor=cast.tom, report=made, files=[check_file("21.jpg", jpeg(color=(99, 0, 0)))]
        )
    assert made.evidence.count() == 20


def test_the_author_removes_evidence_from_a_draft(
    cast: Cast, work: Work, django_capture_on_commit_callbacks
) -> None:
    made = report(cast.tom, work.part_a, files=[check_file("a.jpg", jpeg())])
    evidence = made.evidence.get()
    path = Path(settings.MEDIA_ROOT) / evidence.file.name
    with pytest.raises(PermissionDenied):
        services.remove_evidence(actor=cast.alice, evidence=evidence)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_report(actor=cast.tom, report=made, remove=[evidence])
    assert not Evidence.objects.exists()
    assert not path.exists()


def test_photos_older_than_the_task_are_pointed_out(cast: Cast, work: Work) -> None:
    made = report(
        cast.tom,
        work.part_a,
        files=[
            check_file("旧照片.jpg", jpeg(taken="2026:02:01 10:00:00")),
            check_file("新照片.jpg", jpeg(taken="2026:03:05 10:00:00", color=(0, 0, 200))),
        ],
    )
    notes = selectors.warnings_for(made, made.evidence.all())
    assert len(notes) == 1 and "旧照片.jpg" in notes[0] and "新照片.jpg" not in notes[0]


def test_a_report_is_not_approved_once_the_task_is_done(cast: Cast, work: Work) -> None:
    waiting = report(cast.tom, work.part_a, percent=60, submit=True)
    task_services.record_progress(task=work.part_a, percent=100, actor=cast.alice)
    with refused("done"):
        services.approve_report(actor=cast.alice, report=waiting)
    services.return_report(actor=cast.alice, report=waiting, reason="任务已完成")
    work.part_a.refresh_from_db()
    assert work.part_a.progress == 100


@pytest.mark.parametrize("size", [(9000, 9000), (20000, 10000)])
def test_a_picture_with_too_many_pixels_is_refused_before_decoding(size) -> None:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")  # a few kilobytes that unpack to 81 or 200 megapixels
    assert len(out.getvalue()) < MAX_FILE_BYTES
    with refused("too_many_pixels"):
        check_file("bomb.png", out.getvalue())


def test_deleting_a_task_takes_its_files_along(
    cast: Cast, work: Work, django_capture_on_commit_callbacks
) -> None:
    made = report(cast.tom, work.part_a, files=[check_file("a.jpg", jpeg())])
    stored = Path(settings.MEDIA_ROOT) / made.evidence.get().file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        work.part_a.delete()
    assert not stored.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.jpg"))  # nor its thumbnail

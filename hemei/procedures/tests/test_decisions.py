"""四议两公开 records: every step, its guard, a failed vote, merged first steps, the links."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hemei.accounts.models import AuditEntry
from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.procedures import services
from hemei.procedures.choices import DecisionState, StepKind
from hemei.procedures.models import DecisionProcess, DecisionRecord

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 12), (60, 140, 60)).save(out, "JPEG")
    return out.getvalue()


def minutes() -> SimpleUploadedFile:
    return SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf")


def national() -> DecisionProcess:
    return DecisionProcess.objects.get(name="四议两公开", division=None)


def new_record(cast: Cast, **kw) -> DecisionRecord:
    return services.create_record(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        title="村集体鱼塘对外发包",
        process=national(),
        **kw,
    )


def meet(cast: Cast, record: DecisionRecord, entitled=7, present=7, yes=5, no=1, abst=1, **kw):
    record.refresh_from_db()
    return services.record_meeting(
        actor=cast.victor,
        record=record,
        held_on=kw.pop("held_on", D(2026, 6, 1)),
        entitled=entitled,
        present=present,
        votes_for=yes,
        against=no,
        abstain=abst,
        minutes=kw.pop("minutes", minutes()),
        **kw,
    )


def publish(cast: Cast, record: DecisionRecord, text="决议全文"):
    record.refresh_from_db()
    return services.publish(
        actor=cast.victor, record=record, published_on=D(2026, 6, 10), text=text
    )


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen_at(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)):
        yield


@pytest.mark.django_db
def test_the_national_process_has_the_six_steps_with_their_rules() -> None:
    steps = list(national().steps.all())
    assert [s.kind for s in steps] == [
        StepKind.PROPOSAL,
        StepKind.CONSULTATION,
        StepKind.PARTY_REVIEW,
        StepKind.RESOLUTION,
        StepKind.PUBLISH_RESOLUTION,
        StepKind.PUBLISH_RESULT,
    ]
    party = steps[2].rule()
    assert party.judge(entitled=30, present=20, votes_for=16, against=0, abstain=0).passed
    assert not party.judge(entitled=30, present=19, votes_for=19, against=0, abstain=0).quorum_met


@pytest.mark.django_db
def test_a_record_walks_every_step_to_completed(cast: Cast) -> None:
    record = new_record(cast)
    assert record.step.position == 1 and record.state == DecisionState.IN_PROGRESS
    photo = SimpleUploadedFile("现场.jpg", jpeg(), content_type="image/jpeg")
    first = meet(cast, record, photos=[photo])
    assert first.passed and first.files.count() == 2
    record.refresh_from_db()
    assert record.step.position == 2
    meet(cast, record)  # 两委会
    meet(cast, record, entitled=30, present=20, yes=16, no=4, abst=0)  # 党员大会
    meet(cast, record, entitled=45, present=30, yes=16, no=10, abst=4)  # 村民代表会议
    record.refresh_from_db()
    assert record.step.kind == StepKind.PUBLISH_RESOLUTION
    with pytest.raises(ValidationError):  # a publication step takes no meeting
        meet(cast, record)
    publish(cast, record)
    assert DecisionRecord.objects.published().filter(pk=record.pk).exists()
    publish(cast, record, "实施结果")
    record.refresh_from_db()
    assert record.state == DecisionState.COMPLETED and record.step is None
    assert record.meetings.count() == 4 and record.publications.count() == 2
    trail = AuditEntry.objects.filter(object_id=str(record.pk))
    assert trail.count() >= 7  # created, four meetings, two publications
    with pytest.raises(ValidationError):  # closed: nothing more
        publish(cast, record)


@pytest.mark.django_db
def test_a_failed_vote_stops_the_record_as_not_passed_with_the_reason(cast: Cast) -> None:
    record = new_record(cast)
    meet(cast, record)
    meet(cast, record)
    failed = meet(cast, record, entitled=30, present=30, yes=15, no=15, abst=0)
    assert failed.quorum_met and not failed.passed
    record.refresh_from_db()
    assert record.state == DecisionState.NOT_PASSED
    assert "党员大会审议" in record.stopped_reason and "16" in record.stopped_reason
    with pytest.raises(ValidationError):
        meet(cast, record)
    assert not DecisionRecord.objects.published().exists()


@pytest.mark.django_db
def test_a_missed_quorum_stops_the_record_even_with_every_vote_for(cast: Cast) -> None:
    record = new_record(cast)
    meet(cast, record)
    meet(cast, record)
    missed = meet(cast, record, entitled=30, present=19, yes=19, no=0, abst=0)
    assert not missed.quorum_met and not missed.passed
    record.refresh_from_db()
    assert record.state == DecisionState.NOT_PASSED


@pytest.mark.django_db
def test_merged_first_steps_one_meeting_proposes_and_confers(cast: Cast) -> None:
    record = new_record(cast, merged_first_steps=True)
    meeting = meet(cast, record)
    assert meeting.covers_next and meeting.rule["step"] == "两委会商议"
    record.refresh_from_db()
    assert record.step.kind == StepKind.PARTY_REVIEW


@pytest.mark.django_db
def test_a_process_without_the_two_first_steps_cannot_merge(cast: Cast) -> None:
    county = Division.objects.get(code=COUNTY)
    process = services.define_process(
        actor=cast.alice,
        division=county,
        name="五议两公开",
        steps=[
            {"kind": StepKind.JOINT_MEETING, "name": "村务联席会议"},
            {"kind": StepKind.PROPOSAL, "name": "党支部提议"},
            {
                "kind": StepKind.PARTY_REVIEW,
                "name": "党员大会审议",
                "present_num": 2,
                "present_den": 3,
                "pass_base": "entitled",
            },
            {"kind": StepKind.PUBLISH_RESOLUTION, "name": "决议公开"},
        ],
    )
    assert process.steps.count() == 4
    with pytest.raises(ValidationError):
        services.create_record(
            actor=cast.victor,
            village=Division.objects.get(code=VILLAGE_A),
            title="x",
            process=process,
            merged_first_steps=True,
        )
    with pytest.raises(PermissionDenied):  # only the county office defines one
        services.define_process(
            actor=cast.victor, division=county, name="x", steps=[{"kind": "proposal", "name": "x"}]
        )


@pytest.mark.django_db
def test_impossible_counts_and_bad_files_change_nothing(cast: Cast) -> None:
    record = new_record(cast)
    with pytest.raises(ValidationError):
        meet(cast, record, entitled=7, present=8, yes=5)
    with pytest.raises(ValidationError):
        meet(cast, record, minutes=SimpleUploadedFile("纪要.pdf", b"not a pdf"))
    with pytest.raises(ValidationError):  # a PDF is not a photo
        meet(cast, record, photos=[minutes()])
    with pytest.raises(ValidationError):
        meet(cast, record, minutes=None)
    with pytest.raises(ValidationError):
        meet(cast, record, held_on=D(2026, 7, 1))
    record.refresh_from_db()
    assert record.step.position == 1 and not record.meetings.exists()


@pytest.mark.django_db
def test_a_stale_step_is_refused(cast: Cast) -> None:
    record = new_record(cast)
    stale = DecisionRecord.objects.get(pk=record.pk)
    meet(cast, record)
    with pytest.raises(ValidationError):
        services.record_meeting(
            actor=cast.victor,
            record=stale,
            held_on=D(2026, 6, 1),
            entitled=7,
            present=7,
            votes_for=7,
            against=0,
            abstain=0,
            minutes=minutes(),
        )
    assert record.meetings.count() == 1


@pytest.mark.django_db
def test_only_the_villages_officials_and_the_county_office_record(cast: Cast) -> None:
    record = new_record(cast)
    for person in (cast.tom, cast.lily, cast.vera, cast.owen):
        with pytest.raises(PermissionDenied):
            services.record_meeting(
                actor=person,
                record=record,
                held_on=D(2026, 6, 1),
                entitled=7,
                present=7,
                votes_for=7,
                against=0,
                abstain=0,
                minutes=minutes(),
            )
    meet_as_alice = services.record_meeting(
        actor=cast.alice,
        record=record,
        held_on=D(2026, 6, 1),
        entitled=7,
        present=7,
        votes_for=7,
        against=0,
        abstain=0,
        minutes=minutes(),
    )
    assert meet_as_alice.passed
    with pytest.raises(ValidationError):  # a record belongs to a village
        services.create_record(
            actor=cast.alice,
            village=Division.objects.get(code=TOWN_A),
            title="x",
            process=national(),
        )


@pytest.mark.django_db
def test_a_record_links_to_what_it_approved_and_a_rejected_one_links_nothing(cast: Cast) -> None:
    record = new_record(cast)
    village = Division.objects.get(code=VILLAGE_A)
    first = services.link(actor=cast.victor, record=record, target=village, note="发包合同")
    again = services.link(actor=cast.victor, record=record, target=village)
    assert first.pk == again.pk and first.target == village
    meet(cast, record, yes=3, no=3, abst=1)
    record.refresh_from_db()
    with pytest.raises(ValidationError):
        services.link(actor=cast.victor, record=record, target=cast.victor)

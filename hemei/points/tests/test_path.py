"""An entry's path: 申报/record → 初评 → 审核 → 公示 (objections) → effective, and corrections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division

from .. import services
from ..choices import EntrySource, EntryState, LedgerKind, ObjectionState
from ..jobs import publish_due_entries_task
from ..models import Balance, Entry, LedgerEntry
from .conftest import Village
from .factories import TODAY, approved, effective, item, photo

pytestmark = pytest.mark.django_db
JUNE_10 = dt.date(2026, 6, 10)


def record(cast: Cast, village: Village, code: str = "A1", **extra) -> Entry:  # type: ignore[no-untyped-def]
    return services.record_entry(
        actor=cast.victor,
        household=extra.pop("household", village.wang),
        item=item(village.rules, code),
        occurred_on=extra.pop("occurred_on", JUNE_10),
        description=extra.pop("description", "打扫门前"),
        **extra,
    )


def balance(household) -> int:  # type: ignore[no-untyped-def]
    found = Balance.objects.filter(household=household).first()
    return found.points if found else 0


def test_it_takes_an_entry_from_record_to_the_ledger(cast: Cast, village: Village) -> None:
    entry = record(cast, village)
    assert entry.state == EntryState.SUBMITTED
    assert entry.version == village.rules and entry.points == 5

    entry = services.assess_entry(actor=cast.victor, entry=entry, approve=True, note="属实")
    assert entry.state == EntryState.ASSESSED
    entry = services.review_entry(actor=cast.victor, entry=entry, approve=True)
    assert entry.state == EntryState.IN_NOTICE
    assert entry.notice_ends_at == TODAY + dt.timedelta(days=7)

    # Nothing takes effect while the notice runs.
    assert services.publish_due_entries(TODAY + dt.timedelta(days=6)) == 0
    assert balance(village.wang) == 0

    with clock.frozen_at(TODAY + dt.timedelta(days=7, minutes=1)):
        assert services.publish_due_entries() == 1
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    row = LedgerEntry.objects.get(entry=entry)
    assert (row.sequence, row.points, row.balance_after, row.kind) == (1, 5, 5, LedgerKind.AWARD)
    assert "A1" in row.reason and "打扫门前" in row.reason
    assert balance(village.wang) == 5
    steps = list(entry.transitions.values_list("to_state", flat=True))
    assert steps == ["submitted", "assessed", "in_notice", "effective"]
    # Publishing again changes nothing.
    assert services.publish_due_entries(TODAY + dt.timedelta(days=30)) == 0


def test_it_runs_publishing_as_a_task(cast: Cast, village: Village) -> None:
    entry = approved(cast.victor, record(cast, village))
    with clock.frozen_at(entry.notice_ends_at + dt.timedelta(hours=1)):
        assert publish_due_entries_task.call() == 1
    assert balance(village.wang) == 5


def test_it_uses_the_village_notice_period(cast: Cast, village: Village) -> None:
    services.update_settings(
        actor=cast.victor, village=Division.objects.get(code=VILLAGE_A), notice_days=3
    )
    entry = approved(cast.victor, record(cast, village))
    assert entry.notice_ends_at == TODAY + dt.timedelta(days=3)


def test_it_sends_an_objected_entry_back_to_review(cast: Cast, village: Village) -> None:
    entry = approved(cast.victor, record(cast, village))
    with clock.frozen_at(TODAY + dt.timedelta(days=2)):
        objection = services.object_to_entry(
            actor=cast.vera, entry=entry, reason="他家门前并未打扫"
        )
    entry.refresh_from_db()
    assert entry.state == EntryState.ASSESSED
    assert objection.state == ObjectionState.OPEN
    assert "他家门前并未打扫" in entry.transitions.last().note
    # The notice period passing does not make it effective.
    assert services.publish_due_entries(TODAY + dt.timedelta(days=8)) == 0

    # The committee must answer the objection with a reason.
    with pytest.raises(ValidationError):
        services.review_entry(actor=cast.victor, entry=entry, approve=True)
    with clock.frozen_at(TODAY + dt.timedelta(days=3)):
        entry = services.review_entry(
            actor=cast.victor, entry=entry, approve=True, note="经核实已打扫，有照片"
        )
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED
    assert objection.answer == "经核实已打扫，有照片"
    # A new, full notice period starts.
    assert entry.notice_ends_at == TODAY + dt.timedelta(days=10)
    assert services.publish_due_entries(TODAY + dt.timedelta(days=9)) == 0
    assert services.publish_due_entries(TODAY + dt.timedelta(days=10)) == 1
    assert balance(village.wang) == 5


def test_it_rejects_an_entry_when_the_objection_is_upheld(cast: Cast, village: Village) -> None:
    entry = approved(cast.victor, record(cast, village))
    objection = services.object_to_entry(actor=cast.vera, entry=entry, reason="不属实")
    entry = services.review_entry(actor=cast.victor, entry=entry, approve=False, note="核实不属实")
    objection.refresh_from_db()
    assert entry.state == EntryState.REJECTED
    assert objection.state == ObjectionState.UPHELD
    assert services.publish_due_entries(TODAY + dt.timedelta(days=30)) == 0
    assert not LedgerEntry.objects.exists()


def test_it_takes_objections_only_from_villagers_during_the_notice(
    cast: Cast, village: Village
) -> None:
    entry = record(cast, village)
    with pytest.raises(ValidationError):  # not in notice yet
        services.object_to_entry(actor=cast.vera, entry=entry, reason="x")
    entry = approved(cast.victor, entry)
    with pytest.raises(PermissionDenied):
        services.object_to_entry(actor=cast.owen, entry=entry, reason="x")
    with pytest.raises(ValidationError):
        services.object_to_entry(actor=cast.vera, entry=entry, reason="  ")
    with (
        clock.frozen_at(entry.notice_ends_at + dt.timedelta(seconds=1)),
        pytest.raises(ValidationError),
    ):
        services.object_to_entry(actor=cast.vera, entry=entry, reason="太晚了")
    assert entry.objections.count() == 0


def test_it_rejects_at_assessment_with_a_reason(cast: Cast, village: Village) -> None:
    entry = record(cast, village)
    with pytest.raises(ValidationError):
        services.assess_entry(actor=cast.victor, entry=entry, approve=False)
    entry = services.assess_entry(actor=cast.victor, entry=entry, approve=False, note="重复申报")
    assert entry.state == EntryState.REJECTED
    with pytest.raises(ValidationError):
        services.review_entry(actor=cast.victor, entry=entry, approve=True)


def test_it_corrects_an_effective_entry_with_a_reversing_entry(
    cast: Cast, village: Village
) -> None:
    original = effective(cast.victor, record(cast, village))
    assert balance(village.wang) == 5
    correction = services.reverse_entry(actor=cast.victor, entry=original, reason="记错户了")
    assert correction.points == -5 and correction.corrects == original
    assert correction.source == EntrySource.CORRECTION
    with pytest.raises(ValidationError):
        services.reverse_entry(actor=cast.victor, entry=original, reason="again")
    correction = services.review_entry(actor=cast.victor, entry=correction, approve=True)
    services.publish_due_entries(correction.notice_ends_at)
    rows = list(LedgerEntry.objects.filter(household=village.wang).order_by("sequence"))
    assert [(r.kind, r.points, r.balance_after) for r in rows] == [
        (LedgerKind.AWARD, 5, 5),
        (LedgerKind.REVERSAL, -5, 0),
    ]
    assert f"#{original.pk}" in rows[1].reason
    original.refresh_from_db()
    assert original.state == EntryState.EFFECTIVE  # the original stays as it was
    assert balance(village.wang) == 0
    with pytest.raises(ValidationError):
        services.reverse_entry(actor=cast.victor, entry=correction, reason="x")


def test_it_enforces_the_cap_per_period(cast: Cast, village: Village) -> None:
    for day in (1, 2, 3, 4):
        record(cast, village, occurred_on=dt.date(2026, 6, day))
    with pytest.raises(ValidationError) as caught:
        record(cast, village, occurred_on=dt.date(2026, 6, 5))
    assert "20" in str(caught.value)
    # Another month, or another household, has its own cap.
    record(cast, village, occurred_on=dt.date(2026, 5, 31))
    record(cast, village, household=village.li, occurred_on=dt.date(2026, 6, 5))
    # A rejected entry frees its share.
    rejected = Entry.objects.filter(household=village.wang, occurred_on=dt.date(2026, 6, 1)).get()
    services.assess_entry(actor=cast.victor, entry=rejected, approve=False, note="重复")
    record(cast, village, occurred_on=dt.date(2026, 6, 5))


def test_it_needs_evidence_where_the_rule_says_so(cast: Cast, village: Village) -> None:
    with pytest.raises(ValidationError):
        record(cast, village, code="B1", description="救起落水儿童")
    entry = record(cast, village, code="B1", description="救起落水儿童", files=[photo()])
    stored = entry.evidence.get()
    assert stored.content_type == "image/png" and stored.size > 0
    assert stored.file.read().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("fake.png", b"not an image at all"),
        ("fake.pdf", b"<html>"),
        ("empty.jpg", b""),
    ],
)
def test_it_refuses_evidence_that_is_not_a_photo_or_pdf(
    cast: Cast, village: Village, name: str, data: bytes
) -> None:
    with pytest.raises(ValidationError):
        record(cast, village, code="B1", files=[SimpleUploadedFile(name, data)])
    assert not Entry.objects.exists()


def test_it_accepts_a_pdf(cast: Cast, village: Village) -> None:
    entry = record(cast, village, code="B1", files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")])
    assert entry.evidence.get().content_type == "application/pdf"


def test_it_refuses_future_dates_and_other_villages(cast: Cast, village: Village) -> None:
    with pytest.raises(ValidationError):
        record(cast, village, occurred_on=dt.date(2026, 6, 16))
    with pytest.raises(PermissionDenied):
        record(cast, village, household=village.other)
    with pytest.raises(ValidationError):  # before any rules were in force
        record(cast, village, occurred_on=dt.date(2025, 12, 31))


def test_it_lets_a_villager_request_points_for_their_household(
    cast: Cast, village: Village
) -> None:
    entry = services.request_entry(
        actor=cast.vera,
        item=item(village.rules, "A2"),
        occurred_on=JUNE_10,
        description="参加了6月村民会议",
    )
    assert entry.household == village.vera_home
    assert entry.source == EntrySource.REQUESTED and entry.state == EntryState.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.request_entry(
            actor=cast.victor,
            item=item(village.rules, "A2"),
            occurred_on=JUNE_10,
            description="x",
        )
    with pytest.raises(PermissionDenied):  # villagers do not assess
        services.assess_entry(actor=cast.vera, entry=entry, approve=True)


def test_it_records_one_rule_for_many_households_at_once(cast: Cast, village: Village) -> None:
    entries = services.record_bulk(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        households=[village.vera_home, village.wang, village.li],
        item=item(village.rules, "A2"),
        occurred_on=JUNE_10,
        description="6月村民大会",
    )
    assert len(entries) == 3
    assert len({entry.batch for entry in entries}) == 1


def test_it_records_nothing_of_a_bulk_entry_when_one_household_fails(
    cast: Cast, village: Village
) -> None:
    for day in (1, 2, 3, 4):
        record(cast, village, occurred_on=dt.date(2026, 6, day))
    with pytest.raises(ValidationError) as caught:
        services.record_bulk(
            actor=cast.victor,
            village=Division.objects.get(code=VILLAGE_A),
            households=[village.li, village.wang],
            item=item(village.rules, "A1"),
            occurred_on=JUNE_10,
            description="清洁日",
        )
    assert "002" in str(caught.value)
    assert not Entry.objects.filter(household=village.li).exists()
    with pytest.raises(ValidationError):
        services.record_bulk(
            actor=cast.victor,
            village=Division.objects.get(code=VILLAGE_A),
            households=[village.other],
            item=item(village.rules, "A1"),
            occurred_on=JUNE_10,
            description="清洁日",
        )


def test_the_publish_command_lets_due_entries_take_effect(
    cast: Cast, village: Village, capsys: pytest.CaptureFixture[str]
) -> None:
    from ..cli import main as points_main

    entry = approved(cast.victor, record(cast, village))
    with clock.frozen_at(entry.notice_ends_at + dt.timedelta(seconds=1)):
        assert points_main(["publish"]) == 0
    assert "1" in capsys.readouterr().out
    assert balance(village.wang) == 5

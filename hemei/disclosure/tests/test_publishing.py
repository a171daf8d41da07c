"""Publishing: the guard (ID, phone, bank numbers, health, the item's masked fields, in the
text and in Word/Excel attachments), the rules of the date, and 四议两公开 publications."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.disclosure import services
from hemei.disclosure.choices import DisclosureState
from hemei.disclosure.models import Disclosure, DisclosureFile
from hemei.divisions.models import Division

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 4, 21)


@pytest.fixture
def dibao(cast: Cast, catalogue) -> Disclosure:
    with clock.frozen_at(at(TODAY)):
        services.generate_due(today=TODAY)
    return Disclosure.objects.get(village_id=VILLAGE_A, item__key="welfare.dibao", slot="2026Q1")


def xlsx(*cells: object) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(cells))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("名单.xlsx", out.getvalue())


def publish(cast: Cast, d: Disclosure, text: str, files=(), day: dt.date = TODAY) -> Disclosure:
    with clock.frozen_at(at(TODAY)):
        return services.publish(
            actor=cast.victor, disclosure=d, published_on=day, text=text, files=list(files)
        )


@pytest.mark.parametrize(
    "text",
    [
        "王某 370215198001011234 每月 620 元",  # an ID-card number
        "联系人 13905321234",  # a mobile number
        "发放账户 6222 0212 3456 7890 123",  # a bank card in groups
        "账户6222021234567890",  # a bank card in one run
        "王某 病情：尿毒症",  # health, always masked
        "王某 联系电话：0532-8888123",  # a field of the item's mask list
    ],
)
def test_personal_data_is_refused_and_nothing_changes(
    cast: Cast, dibao: Disclosure, text: str
) -> None:
    with pytest.raises(ValidationError):
        publish(cast, dibao, text)
    dibao.refresh_from_db()
    assert dibao.state == DisclosureState.LATE and dibao.text == ""
    assert dibao.duty.state != "done"


def test_masked_values_pass(cast: Cast, dibao: Disclosure) -> None:
    done = publish(
        cast, dibao, "王某 3人 每月620元；身份证号：3702**********1234；电话 139****1234"
    )
    assert done.state == DisclosureState.PUBLISHED and done.published_late


def test_attachments_are_checked_like_evidence_and_read_when_they_can_be(
    cast: Cast, dibao: Disclosure
) -> None:
    with pytest.raises(ValidationError):
        publish(cast, dibao, "名单见附件", [xlsx("王某", "6222021234567890123")])
    with pytest.raises(ValidationError):
        publish(cast, dibao, "名单见附件", [SimpleUploadedFile("a.exe", b"MZ\x90\x00binary")])
    assert not DisclosureFile.objects.exists()
    done = publish(cast, dibao, "名单见附件", [xlsx("王某", 3, "620元")])
    assert done.files.get().name == "名单.xlsx"


def test_who_and_when(cast: Cast, dibao: Disclosure) -> None:
    with clock.frozen_at(at(TODAY)):
        for person in (cast.tom, cast.owen, cast.vera):
            with pytest.raises(PermissionDenied):
                services.publish(actor=person, disclosure=dibao, published_on=TODAY, text="x")
    with pytest.raises(ValidationError):
        publish(cast, dibao, "名单", day=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        publish(cast, dibao, "名单", day=D(2025, 12, 31))
    with pytest.raises(ValidationError):
        publish(cast, dibao, "   ")
    publish(cast, dibao, "名单")
    with pytest.raises(ValidationError):
        publish(cast, dibao, "再次")


def test_a_four_deliberations_resolution_becomes_due_and_its_publication_publishes_it(
    cast: Cast, catalogue
) -> None:
    from hemei.procedures import services as procedures
    from hemei.procedures.models import DecisionProcess

    record = procedures.create_record(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        title="村集体鱼塘对外发包",
        process=DecisionProcess.objects.get(name="四议两公开", division=None),
    )
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    counts = [(9, 9, 8, 1, 0), (9, 9, 9, 0, 0), (30, 25, 24, 1, 0), (40, 35, 30, 3, 2)]
    with clock.frozen_at(at(D(2026, 9, 30))):
        for entitled, present, votes_for, against, abstain in counts:
            procedures.record_meeting(
                actor=cast.victor,
                record=record,
                held_on=D(2026, 9, 30),
                entitled=entitled,
                present=present,
                votes_for=votes_for,
                against=against,
                abstain=abstain,
                minutes=SimpleUploadedFile("纪要.pdf", pdf),
            )
            record.refresh_from_db()
    due = Disclosure.objects.get(item__key="decision.resolution")
    assert (due.state, due.happened_on, due.due_on) == ("due", D(2026, 9, 30), D(2026, 10, 13))
    with clock.frozen_at(at(D(2026, 10, 9))):
        procedures.publish(
            actor=cast.victor, record=record, published_on=D(2026, 10, 9), text="决议：鱼塘对外发包"
        )
    due.refresh_from_db()
    assert due.state == DisclosureState.PUBLISHED and due.published_on == D(2026, 10, 9)
    assert due.duty.state == "done"

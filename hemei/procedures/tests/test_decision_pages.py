"""The decision-record pages: Chinese, phone friendly, bad input a 400 that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.procedures.choices import DecisionState
from hemei.procedures.models import DecisionMeeting, DecisionProcess, DecisionRecord

from .test_decisions import PDF, jpeg


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen_at(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)):
        yield


def create(client: Client, **extra) -> DecisionRecord:
    process = DecisionProcess.objects.get(division=None)
    response = client.post(
        "/procedures/decisions/new/",
        {"village": VILLAGE_A, "title": "村集体鱼塘对外发包", "process": process.pk, **extra},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return DecisionRecord.objects.latest("pk")


def meeting(client: Client, record: DecisionRecord, **values):
    data = {
        "held_on": "2026-06-01",
        "entitled": "7",
        "present": "7",
        "votes_for": "5",
        "against": "1",
        "abstain": "1",
        "minutes": SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf"),
        "photos": [SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")],
        **values,
    }
    return client.post(f"/procedures/decisions/{record.pk}/meeting/", data)


@pytest.mark.django_db
def test_a_village_official_runs_a_record_on_the_pages(cast: Cast, client: Client) -> None:
    client.force_login(cast.victor)
    form = client.get("/procedures/decisions/new/")
    assert form.status_code == 200 and VILLAGE_A in form.content.decode()
    record = create(client, merged_first_steps="on")
    assert meeting(client, record).status_code == 302
    record.refresh_from_db()
    assert record.step.name == "党员大会审议"
    page = client.get(f"/procedures/decisions/{record.pk}/").content.decode()
    assert "达到法定人数" in page and "通过：实到7人" in page
    assert "党员大会审议" in page and "5" in page
    photo = DecisionMeeting.objects.get().files.get(role="photo")
    shown = client.get(f"/procedures/decisions/{record.pk}/files/{photo.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    response = meeting(
        client, record, entitled="30", present="20", votes_for="15", against="5", abstain="0"
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == DecisionState.NOT_PASSED
    listing = client.get("/procedures/decisions/", {"state": "not_passed", "q": "鱼塘"})
    assert "村集体鱼塘对外发包" in listing.content.decode()
    export = client.get("/procedures/decisions/", {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values",
    [
        {"present": "8"},  # more present than entitled
        {"votes_for": "7", "against": "1"},  # more votes than present
        {"minutes": SimpleUploadedFile("纪要.pdf", b"plain text")},
        {"photos": [SimpleUploadedFile("x.pdf", PDF)]},
        {"held_on": "2026-07-01"},
        {"entitled": "-1"},
    ],
)
def test_bad_meeting_input_is_a_400_in_chinese_that_changes_nothing(
    cast: Cast, client: Client, values: dict
) -> None:
    client.force_login(cast.victor)
    record = create(client)
    response = meeting(client, record, **values)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    record.refresh_from_db()
    assert record.step.position == 1 and not DecisionMeeting.objects.exists()


@pytest.mark.django_db
def test_a_village_outside_the_officials_reach_is_refused(cast: Cast, client: Client) -> None:
    client.force_login(cast.victor)
    process = DecisionProcess.objects.get(division=None)
    response = client.post(
        "/procedures/decisions/new/",
        {"village": "370215101230", "title": "x", "process": process.pk},
    )
    assert response.status_code == 400 and not DecisionRecord.objects.exists()


@pytest.mark.django_db
def test_publishing_and_the_boards_selector(cast: Cast, client: Client) -> None:
    from hemei.procedures import selectors

    client.force_login(cast.victor)
    record = create(client, merged_first_steps="on")
    meeting(client, record)
    meeting(client, record, entitled="30", present="20", votes_for="16")
    meeting(client, record, entitled="40", present="30", votes_for="16")
    record.refresh_from_db()
    url = f"/procedures/decisions/{record.pk}/publish/"
    assert client.post(url, {"published_on": "2026-06-10", "text": ""}).status_code == 400
    assert client.post(url, {"published_on": "2026-06-10", "text": "决议"}).status_code == 302
    assert list(selectors.published_decisions(VILLAGE_A)) == [record]
    assert client.post(url, {"published_on": "2026-06-12", "text": "结果"}).status_code == 302
    record.refresh_from_db()
    assert record.state == DecisionState.COMPLETED
    # a closed record offers no more steps
    assert client.get(url).status_code == 302

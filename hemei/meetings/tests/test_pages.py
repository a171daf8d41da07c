"""Meeting pages: the permission matrix, decisions kept in step with the form, attachments
checked, hashed and served only inside the scope, and the list's search and export."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hemei.accounts.models import AuditEntry
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, Cast
from hemei.divisions.models import Division
from hemei.meetings import services
from hemei.meetings.models import Decision, Meeting, MeetingAttachment
from hemei.meetings.services import DecisionRow
from hemei.tasks import services as task_services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    cast: Cast
    county: Meeting
    town_a: Meeting
    town_b: Meeting
    attachment: MeetingAttachment


def _meeting(actor: Any, code: str, name: str, level: str) -> Meeting:
    return services.create_meeting(
        actor=actor,
        division=Division.objects.get(code=code),
        name=name,
        held_on=dt.date(2026, 2, 20),
        level=level,
        decisions=[
            DecisionRow(number=1, text="全面推进农村户厕改造。", theme="ecology"),
            DecisionRow(number=2, text="培育壮大村集体经济。", theme="industry"),
        ],
    )


@pytest.fixture
def world(cast: Cast) -> World:
    county = _meeting(cast.alice, COUNTY, "全区农村工作会议", "county")
    town_a = _meeting(cast.tom, TOWN_A, "田横镇乡村振兴推进会", "town")
    town_b = _meeting(cast.owen, TOWN_B, "金口镇乡村振兴推进会", "town")
    upload = SimpleUploadedFile("会议通知.pdf", PDF, content_type="application/pdf")
    attachment = services.add_attachment(actor=cast.tom, meeting=town_a, upload=upload)
    return World(cast, county, town_a, town_b, attachment)


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[World], str]
    manage: bool = False


PAGES = [
    Page("list", lambda w: "/meetings/"),
    Page("export", lambda w: "/meetings/?export=xlsx"),
    Page("detail", lambda w: f"/meetings/{w.town_a.pk}/"),
    Page("attachment", lambda w: f"/meetings/attachments/{w.attachment.pk}/"),
    Page("create", lambda w: "/meetings/new/", manage=True),
    Page("edit", lambda w: f"/meetings/{w.town_a.pk}/edit/", manage=True),
]
IDS = [page.name for page in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_sends_anonymous_visitors_to_login(page: Page, world: World, client: Client) -> None:
    response = client.get(page.url(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_refuses_an_account_without_a_role(page: Page, world: World, client: Client) -> None:
    client.force_login(world.cast.nora)
    assert client.get(page.url(world)).status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_opens_for_the_county_and_the_town(page: Page, world: World, client: Client) -> None:
    for user in (world.cast.alice, world.cast.tom):
        client.force_login(user)
        assert client.get(page.url(world)).status_code == 200, user.username


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_the_other_town_gets_404(page: Page, world: World, client: Client) -> None:
    client.force_login(world.cast.owen)
    expected = 404 if page.name not in ("list", "export", "create") else 200
    assert client.get(page.url(world)).status_code == expected


def test_a_village_official_sees_the_meetings_above_but_cannot_manage(
    world: World, client: Client
) -> None:
    client.force_login(world.cast.victor)
    names = {m.name for m in client.get("/meetings/").context["page"]}
    assert names == {"全区农村工作会议", "田横镇乡村振兴推进会"}
    assert client.get(f"/meetings/{world.county.pk}/").status_code == 200
    assert client.get(f"/meetings/{world.town_b.pk}/").status_code == 404
    assert client.get("/meetings/new/").status_code == 403
    assert client.get(f"/meetings/{world.town_a.pk}/edit/").status_code == 403
    upload = SimpleUploadedFile("x.pdf", PDF)
    response = client.post(f"/meetings/{world.town_a.pk}/attachments/", {"file": upload})
    assert response.status_code == 403
    assert world.town_a.attachments.count() == 1


def test_the_town_reads_the_county_meeting_but_cannot_edit_it(world: World, client: Client) -> None:
    client.force_login(world.cast.tom)
    assert client.get(f"/meetings/{world.county.pk}/").status_code == 200
    assert client.get(f"/meetings/{world.county.pk}/edit/").status_code == 403


def _form(**changes: str) -> dict[str, str]:
    data = {
        "name": "全区乡村振兴推进会",
        "held_on": "2026-03-15",
        "level": "county",
        "division": COUNTY,
        "place": "区政府第一会议室",
        "host": "区委副书记",
        "speakers": "区委书记\n区长",
        "attendees": "",
        "full_text": "",
        "decisions-TOTAL_FORMS": "3",
        "decisions-INITIAL_FORMS": "0",
        "decisions-0-number": "1",
        "decisions-0-text": "年底前完成高标准农田建设5万亩。",
        "decisions-0-theme": "industry",
        "decisions-0-responsible": "区农业农村局",
        "decisions-1-number": "2",
        "decisions-1-text": "推进美丽乡村示范村建设。",
    }
    data.update(changes)
    return data


def test_the_county_creates_a_meeting_with_its_decisions(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    response = client.post("/meetings/new/", _form())
    assert response.status_code == 302
    meeting = Meeting.objects.get(name="全区乡村振兴推进会")
    assert [d.number for d in meeting.decisions.all()] == [1, 2]
    assert meeting.decisions.get(number=1).responsible == "区农业农村局"
    assert AuditEntry.objects.filter(object_repr=meeting.name, action="create").exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"name": ""},
        {"held_on": "2026-02-30"},
        {"level": "galaxy"},
        {"division": "999999"},
        {"decisions-1-number": "1"},  # two decisions numbered 1
        {"decisions-1-number": "0"},
    ],
    ids=["no name", "bad date", "bad level", "bad division", "same number", "number 0"],
)
def test_bad_input_answers_400_and_writes_nothing(
    changes: dict[str, str], world: World, client: Client
) -> None:
    client.force_login(world.cast.alice)
    before = (Meeting.objects.count(), Decision.objects.count())
    response = client.post("/meetings/new/", _form(**changes))
    assert response.status_code == 400
    assert (Meeting.objects.count(), Decision.objects.count()) == before


def test_a_town_cannot_create_a_county_meeting(world: World, client: Client) -> None:
    client.force_login(world.cast.tom)
    response = client.post("/meetings/new/", _form())
    assert response.status_code == 400 and "division" in response.context["form"].errors


def test_edit_renumbers_adds_and_drops_decisions_but_keeps_those_with_tasks(
    world: World, client: Client
) -> None:
    meeting = world.county
    first, second = meeting.decisions.all()
    task_services.create_task(
        actor=world.cast.alice,
        division=Division.objects.get(code=COUNTY),
        title="户厕改造",
        due_on=dt.date(2026, 12, 31),
        meeting=meeting,
        decision=first,
    )
    client.force_login(world.cast.alice)
    base = _form(name="全区农村工作会议（修订）") | {
        "decisions-TOTAL_FORMS": "3",
        "decisions-INITIAL_FORMS": "2",
        "decisions-0-id": str(first.pk),
        "decisions-0-number": "2",
        "decisions-0-text": first.text,
        "decisions-1-id": str(second.pk),
        "decisions-1-number": "1",
        "decisions-1-text": second.text,
        "decisions-2-number": "3",
        "decisions-2-text": "加强农村基层党组织建设。",
    }
    response = client.post(f"/meetings/{meeting.pk}/edit/", base)
    assert response.status_code == 302
    numbers = {d.text: d.number for d in meeting.decisions.all()}
    assert numbers == {first.text: 2, second.text: 1, "加强农村基层党组织建设。": 3}
    meeting.refresh_from_db()
    assert meeting.name == "全区农村工作会议（修订）" and meeting.division_id == COUNTY
    # The decision a task came from cannot go; the whole save is refused.
    refused = client.post(
        f"/meetings/{meeting.pk}/edit/", base | {"decisions-0-DELETE": "on", "name": "改名"}
    )
    assert refused.status_code == 400
    meeting.refresh_from_db()
    assert meeting.name == "全区农村工作会议（修订）"
    assert meeting.decisions.count() == 3
    third = meeting.decisions.get(number=3)
    dropped = client.post(
        f"/meetings/{meeting.pk}/edit/",
        base
        | {"decisions-INITIAL_FORMS": "3", "decisions-2-id": str(third.pk), "decisions-2-text": ""},
    )
    assert dropped.status_code == 302
    assert meeting.decisions.count() == 2


def test_the_detail_lists_the_tasks_of_each_decision_as_the_viewer_sees_them(
    world: World, client: Client
) -> None:
    decision = world.county.decisions.get(number=1)
    task = task_services.create_task(
        actor=world.cast.alice,
        division=Division.objects.get(code=COUNTY),
        title="农村户厕改造",
        due_on=dt.date(2026, 12, 31),
        meeting=world.county,
        decision=decision,
    )
    task_services.fan_out(actor=world.cast.alice, task=task, codes=[TOWN_A, TOWN_B])
    client.force_login(world.cast.tom)
    response = client.get(f"/meetings/{world.county.pk}/")
    shown = [t for d in response.context["decisions"] for t in d.shown]
    assert {t.division_id for t in shown} == {TOWN_A}
    assert f"/tasks/new/?decision={decision.pk}" in response.content.decode()


def test_a_task_form_starts_from_a_decision(world: World, client: Client) -> None:
    decision = world.county.decisions.get(number=2)
    client.force_login(world.cast.alice)
    form = client.get(f"/tasks/new/?decision={decision.pk}").context["form"]
    assert form.initial["title"] == "培育壮大村集体经济"
    assert form.initial["meeting"] == world.county.pk
    assert form.initial["decision"] == decision.pk
    assert form.initial["theme"] == "industry"
    # A decision of a meeting the user cannot see prefills nothing.
    hidden = world.town_b.decisions.first()
    client.force_login(world.cast.tom)
    form = client.get(f"/tasks/new/?decision={hidden.pk}").context["form"]
    assert "decision" not in form.initial


def test_an_attachment_is_hashed_and_served_only_inside_the_scope(
    world: World, client: Client
) -> None:
    attachment = world.attachment
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.size == len(PDF) and attachment.name == "会议通知.pdf"
    client.force_login(world.cast.victor)  # inside town A
    response = client.get(f"/meetings/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(world.cast.owen)
    assert client.get(f"/meetings/attachments/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00"),
        ("通知.pdf", b"MZ\x90\x00 not a pdf"),
        ("empty.pdf", b""),
    ],
    ids=["type", "content", "empty"],
)
def test_a_bad_attachment_is_refused(
    name: str, content: bytes, world: World, client: Client
) -> None:
    client.force_login(world.cast.tom)
    upload = SimpleUploadedFile(name, content)
    response = client.post(f"/meetings/{world.town_a.pk}/attachments/", {"file": upload})
    assert response.status_code == 400
    assert world.town_a.attachments.count() == 1


def test_a_too_large_attachment_is_refused(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", len(PDF) - 1)
    client.force_login(world.cast.tom)
    upload = SimpleUploadedFile("big.pdf", PDF)
    response = client.post(f"/meetings/{world.town_a.pk}/attachments/", {"file": upload})
    assert response.status_code == 400
    assert world.town_a.attachments.count() == 1


def test_an_attachment_can_be_removed_by_a_manager(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    stored = Path(world.attachment.file.path)
    assert stored.exists()
    client.force_login(world.cast.victor)
    assert client.post(f"/meetings/attachments/{world.attachment.pk}/delete/").status_code == 403
    client.force_login(world.cast.tom)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/meetings/attachments/{world.attachment.pk}/delete/")
    assert response.status_code == 302
    assert not MeetingAttachment.objects.exists()
    assert not stored.exists()


def test_the_list_searches_filters_and_exports(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    page = client.get("/meetings/?q=田横").context["page"]
    assert [m.name for m in page] == ["田横镇乡村振兴推进会"]
    page = client.get("/meetings/?level=county").context["page"]
    assert [m.name for m in page] == ["全区农村工作会议"]
    assert len(client.get("/meetings/?year=2025").context["page"]) == 0
    response = client.get("/meetings/?level=town&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and {row[0] for row in rows[1:]} == {
        "田横镇乡村振兴推进会",
        "金口镇乡村振兴推进会",
    }
    assert rows[1][6] == 2  # decisions


def test_the_list_query_count_does_not_grow_with_the_rows(world: World, client: Client) -> None:
    client.force_login(world.cast.alice)
    with CaptureQueriesContext(connection) as few:
        client.get("/meetings/")
    for number in range(30):
        _meeting(world.cast.alice, COUNTY, f"会议{number}", "county")
    with CaptureQueriesContext(connection) as many:
        client.get("/meetings/")
    assert len(many) == len(few)


def test_the_detail_query_count_does_not_grow_with_decisions_and_tasks(
    world: World, client: Client
) -> None:
    client.force_login(world.cast.alice)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/meetings/{world.county.pk}/")
    county = Division.objects.get(code=COUNTY)
    for decision in world.county.decisions.all():
        task = task_services.create_task(
            actor=world.cast.alice,
            division=county,
            title=decision.text[:20],
            due_on=dt.date(2026, 12, 31),
            meeting=world.county,
            decision=decision,
        )
        task_services.fan_out(actor=world.cast.alice, task=task)
    services.add_decision(actor=world.cast.alice, meeting=world.county, text="新增一项要求。")
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/meetings/{world.county.pk}/")
    assert sum(len(d.shown) + d.parts for d in response.context["decisions"]) > 20
    assert len(many) == len(few)

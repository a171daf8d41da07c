"""Reading a meeting report into a meeting, its decisions and draft tasks, after review."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, Cast
from hemei.meetings.models import Decision, Meeting
from hemei.tasks.choices import Source
from hemei.tasks.models import Task

from ..models import DRAFT_LIFETIME, IngestDraft
from .helpers import docx_report, units

pytestmark = pytest.mark.django_db

# A town meeting report written for these tests, in the genre of the county news sites.
REPORT = """11月18日上午，田横镇乡村振兴工作推进会议在镇政府三楼会议室召开。镇党委书记王海洋出席会议并讲话，镇党委副书记、镇长刘晓东主持会议。镇领导班子成员、各管区书记、各村党支部书记参加会议。
王海洋在讲话中指出，今年以来全镇乡村振兴工作取得了积极进展，但与上级要求相比还有差距。
王海洋要求，一是要扎实推进农村人居环境整治，区农业农村局、镇农业服务中心要加快推进户厕改造，今年底前完成全镇改厕任务。二是要大力发展特色产业，做强蓝莓、茶叶等特色品牌，推动农民增收。三是要加强基层党组织建设，镇组织办要在明年6月底前完成村级班子带头人培训。
刘晓东就贯彻落实会议精神提出要求，各村要对照任务清单，逐项抓好落实。"""


def paste(client: Client, text: str = REPORT, **fields: Any):  # type: ignore[no-untyped-def]
    return client.post(
        "/intake/report/", {"division": TOWN_A, "year": 2026, "text": text, **fields}
    )


def send_file(client: Client, name: str, data: bytes, division: str = TOWN_A):  # type: ignore[no-untyped-def]
    return client.post(
        "/intake/report/",
        {"division": division, "year": 2026, "text": "", "file": SimpleUploadedFile(name, data)},
    )


def review_data(response: Any) -> dict[str, Any]:
    """What the review page's form would post back unchanged."""
    context = response.context
    form, formset = context["form"], context["formset"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = value.isoformat() if isinstance(value, dt.date) else (value or "")
    management = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"d-{name}"] = management[name].value()
    for index, item in enumerate(formset.forms):
        for name in item.fields:
            value = item.initial.get(name)
            key = f"d-{index}-{name}"
            if isinstance(value, list):
                data[key] = [str(v) for v in value]
            elif isinstance(value, dt.date):
                data[key] = value.isoformat()
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = str(value)
    return data


def test_it_reads_a_pasted_report_and_creates_the_meeting_decisions_and_tasks(
    cast: Cast, client: Client
) -> None:
    unit = units(cast)
    client.force_login(cast.tom)
    response = paste(client)
    assert response.status_code == 302 and Meeting.objects.count() == 0
    draft = IngestDraft.objects.get()
    assert draft.owner == cast.tom and draft.division_id == TOWN_A
    review = client.get(response["Location"])
    body = review.content.decode()
    assert review.status_code == 200
    assert "清理后的文本" in body and "田横镇乡村振兴工作推进会议" in body and "王海洋" in body
    data = review_data(review)
    assert data["name"] == "田横镇乡村振兴工作推进会议" and data["held_on"] == "2026-11-18"
    assert "刘晓东" in data["host"] and "王海洋" in data["speakers"]
    texts = [data[f"d-{i}-text"] for i in range(int(data["d-TOTAL_FORMS"]))]
    toilets = next(i for i, text in enumerate(texts) if "户厕改造" in text)
    training = next(i for i, text in enumerate(texts) if "带头人培训" in text)
    # Units the report names are matched: exact name, and a name the unit's contains.
    assert data[f"d-{toilets}-lead_unit"] == str(unit["agri"].pk)
    assert data[f"d-{toilets}-co_units"] == [str(unit["service"].pk)]
    assert data[f"d-{toilets}-due_on"] == "2026-12-31"
    assert data[f"d-{training}-lead_unit"] == str(unit["organization"].pk)
    # The reviewer keeps two directives, drops the rest, and sets a deadline the text lacks.
    for index in range(len(texts)):
        if index not in (toilets, training):
            data.pop(f"d-{index}-keep", None)
    data[f"d-{training}-due_on"] = "2027-06-30"
    data[f"d-{training}-theme"] = "organization"
    accepted = client.post(response["Location"], data)
    assert accepted.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.division_id == TOWN_A and meeting.level == "town"
    assert meeting.held_on == dt.date(2026, 11, 18) and meeting.place == "镇政府三楼会议室"
    assert "王海洋" in meeting.speakers and "刘晓东" in meeting.host
    assert "户厕改造" in meeting.full_text
    decisions = list(Decision.objects.filter(meeting=meeting))
    assert [d.number for d in decisions] == [1, 2]
    assert decisions[0].speaker == "王海洋" and "区农业农村局" in decisions[0].responsible
    assert decisions[0].deadline_text == "今年底前"
    tasks = list(Task.objects.filter(meeting=meeting).order_by("decision__number"))
    assert [task.source for task in tasks] == [Source.INGEST, Source.INGEST]
    first, second = tasks
    assert first.decision == decisions[0] and first.division_id == TOWN_A
    assert first.lead_unit == unit["agri"] and list(first.co_units.all()) == [unit["service"]]
    assert first.due_on == dt.date(2026, 12, 31) and first.theme == "ecology"
    assert first.title.startswith("扎实推进农村人居环境整治") and "一是要" in first.description
    assert second.lead_unit == unit["organization"] and second.due_on == dt.date(2027, 6, 30)
    assert second.theme == "organization"
    draft.refresh_from_db()
    assert draft.meeting == meeting and draft.accepted_at is not None
    done = client.get(response["Location"]).content.decode()
    assert "会议报道已确认" in done and f"/meetings/{meeting.pk}/" in done
    assert f"/tasks/{first.pk}/" in done and f"/tasks/{second.pk}/" in done
    # Accepting again writes nothing more.
    assert client.post(response["Location"], data).status_code == 409
    assert Meeting.objects.count() == 1 and Task.objects.count() == 2


def test_a_kept_directive_needs_a_deadline_and_nothing_is_written_without_one(
    cast: Cast, client: Client
) -> None:
    units(cast)
    client.force_login(cast.tom)
    location = paste(client)["Location"]
    data = review_data(client.get(location))
    total = int(data["d-TOTAL_FORMS"])
    for index in range(total):
        data[f"d-{index}-keep"] = "on"
        data[f"d-{index}-due_on"] = ""
    response = client.post(location, data)
    assert (
        response.status_code == 400
        and "请填写保留的工作要求的完成时限" in response.content.decode()
    )
    assert Meeting.objects.count() == 0 and Task.objects.count() == 0


def test_a_tampered_form_is_refused(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    location = paste(client)["Location"]
    data = review_data(client.get(location))
    data["d-TOTAL_FORMS"] = "1"
    assert client.post(location, data).status_code == 400
    data.pop("d-TOTAL_FORMS")
    assert client.post(location, data).status_code == 400
    assert Meeting.objects.count() == 0


def test_it_reads_an_uploaded_docx(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    data = docx_report(REPORT.split("\n"))
    response = send_file(client, "会议报道.docx", data, division=COUNTY)
    assert response.status_code == 302
    draft = IngestDraft.objects.get()
    assert draft.filename == "会议报道.docx"
    assert draft.result["meeting"]["name"] == "田横镇乡村振兴工作推进会议"
    assert any("户厕改造" in d["text"] for d in draft.result["directives"])


def test_it_reads_a_gbk_text_file_and_an_html_page(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    assert send_file(client, "报道.txt", REPORT.encode("gb18030")).status_code == 302
    page = f"<html><body><nav>首页 | 新闻</nav><p>{'</p><p>'.join(REPORT.split(chr(10)))}</p></body></html>"
    assert send_file(client, "报道.html", page.encode("utf-8")).status_code == 302
    names = {d.result["meeting"]["name"] for d in IngestDraft.objects.all()}
    assert names == {"田横镇乡村振兴工作推进会议"}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("报道.txt", b"", "空文件"),
        ("报道.txt", bytes(range(256)) * 64, "二进制"),
        ("报道.pdf", b"%PDF-1.7 ...", "请选择 .txt、.docx 或 .html 文件"),
        ("报道.docx", b"PK\x03\x04 not really a docx", "不是有效的 .docx 文档"),
        ("报道.txt", "乡".encode() * (1024 * 1024), "文件超过 2 MB"),
    ],
    ids=["empty", "binary", "wrong type", "broken docx", "huge"],
)
def test_bad_files_get_a_clear_message_and_nothing_is_kept(
    cast: Cast, client: Client, name: str, data: bytes, message: str
) -> None:
    client.force_login(cast.tom)
    response = send_file(client, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert IngestDraft.objects.count() == 0


def test_empty_or_double_input_is_refused(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    assert paste(client, text="   \n ").status_code == 400
    both = client.post(
        "/intake/report/",
        {
            "division": TOWN_A,
            "year": 2026,
            "text": REPORT,
            "file": SimpleUploadedFile("a.txt", REPORT.encode()),
        },
    )
    assert both.status_code == 400 and "不要同时提供" in both.content.decode()
    assert IngestDraft.objects.count() == 0


def test_a_draft_is_its_owners_only(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    location = paste(client)["Location"]
    for other in (cast.owen, cast.alice):
        client.force_login(other)
        assert client.get(location).status_code == 404
        assert client.post(location, {}).status_code == 404
    assert Meeting.objects.count() == 0


def test_a_report_cannot_be_read_into_a_division_the_user_does_not_manage(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.tom)
    assert paste(client, division=TOWN_B).status_code == 404
    assert paste(client, division=COUNTY).status_code == 404
    client.force_login(cast.victor)
    assert paste(client, division=TOWN_A).status_code == 403
    assert IngestDraft.objects.count() == 0


def test_old_drafts_expire(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    location = paste(client)["Location"]
    draft = IngestDraft.objects.get()
    later = clock.now() + DRAFT_LIFETIME + dt.timedelta(hours=1)
    with clock.frozen_at(later):
        assert client.get(location).status_code == 404
        paste(client)  # a new draft clears the stale ones
    assert not IngestDraft.objects.filter(pk=draft.pk).exists()
    assert IngestDraft.objects.count() == 1


def test_a_pasted_text_beyond_the_request_limit_answers_400(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    response = paste(client, text="乡村振兴。" * 200_000)  # 3 MB of UTF-8
    assert response.status_code == 400
    assert IngestDraft.objects.count() == 0


def test_the_review_page_query_count_does_not_grow_with_the_directives(
    cast: Cast, client: Client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    units(cast)
    client.force_login(cast.tom)
    short = paste(client)["Location"]
    longer = paste(client, text=REPORT + "\n" + REPORT.replace("11月18日", "11月19日") * 3)[
        "Location"
    ]
    counts = []
    for location in (short, longer):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(location)
        counts.append((len(captured), len(response.context["rows"])))
    assert counts[1][1] > counts[0][1]
    assert counts[0][0] == counts[1][0], counts


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("一是要扎实推进农村人居环境整治。", "扎实推进农村人居环境整治"),
        ("要求，各村要对照任务清单，逐项抓好落实。", "各村要对照任务清单，逐项抓好落实"),
        ("（三）加强基层党组织建设。", "加强基层党组织建设"),
        ("2. 推进农村改厕", "推进农村改厕"),
        ("做好" * 50, "做好" * 39 + "做…"),
    ],
)
def test_a_draft_task_title_drops_the_opening_words(text: str, title: str) -> None:
    from ..reports import title_of

    assert title_of(text) == title


def test_a_county_review_offers_county_units_and_the_named_town_units_only(
    cast: Cast, client: Client
) -> None:
    from hemei.core.testing import TOWN_B
    from hemei.units.models import Unit

    unit = units(cast)
    elsewhere = Unit.objects.create(name="金口镇农业办", kind="department", division_id=TOWN_B)
    client.force_login(cast.alice)
    location = paste(client, division=COUNTY)["Location"]
    item = client.get(location).context["formset"].forms[0]
    offered = {pk for pk, _label in item.fields["lead_unit"].choices if pk != ""}
    assert unit["agri"].pk in offered and unit["finance"].pk in offered
    assert unit["service"].pk in offered  # named by the report
    assert elsewhere.pk not in offered and unit["organization"].pk in offered


def test_an_accepted_draft_whose_meeting_was_deleted_lists_no_tasks(
    cast: Cast, client: Client
) -> None:
    from hemei.tasks.services import create_task

    client.force_login(cast.tom)
    location = paste(client)["Location"]
    data = review_data(client.get(location))
    for index in range(int(data["d-TOTAL_FORMS"])):
        data.pop(f"d-{index}-keep", None)
    assert client.post(location, data).status_code == 302
    unrelated = create_task(
        actor=cast.tom,
        division=Meeting.objects.get().division,
        title="与会议无关的任务",
        due_on=dt.date(2026, 12, 31),
    )
    Meeting.objects.all().delete()
    page = client.get(location).content.decode()
    assert "由这篇报道创建的会议已被删除" in page and unrelated.title not in page

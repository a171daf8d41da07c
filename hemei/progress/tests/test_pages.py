"""The pages of progress reports: the permission matrix, uploads through the form, the
evidence view, review buttons, the queue's export and its query count."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hemei.core.testing import Cast
from hemei.progress import services
from hemei.progress.evidence import check_file
from hemei.progress.models import Evidence, ProgressReport, ReportState

from .conftest import Work, jpeg, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast: Cast, work: Work) -> ProgressReport:
    return services.create_report(
        actor=cast.tom,
        task=work.part_a,
        percent=40,
        text="完成摸底",
        files=[check_file("现场.jpg", jpeg())],
        submit=True,
    )


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Work, ProgressReport], str]


PAGES = [
    Page("report create", lambda w, r: reverse("progress:report_create", args=[w.part_a.pk])),
    Page("report detail", lambda w, r: reverse("progress:report_detail", args=[r.pk])),
    Page("task section", lambda w, r: reverse("progress:task_section", args=[w.part_a.pk])),
    Page("evidence", lambda w, r: reverse("progress:evidence_file", args=[r.evidence.get().pk])),
    Page(
        "thumbnail",
        lambda w, r: reverse("progress:evidence_file", args=[r.evidence.get().pk]) + "?thumb=1",
    ),
    Page("review queue", lambda w, r: reverse("progress:review_queue")),
    Page("queue export", lambda w, r: reverse("progress:review_queue") + "?export=xlsx"),
    Page("my reports", lambda w, r: reverse("progress:my_reports")),
    Page("my reports export", lambda w, r: reverse("progress:my_reports") + "?export=xlsx"),
]
IDS = [page.name for page in PAGES]
#: pages about town A's task, which owen (town B) must not find
TOWN_A_PAGES = [p for p in PAGES if not p.name.startswith(("review", "queue", "my"))]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_sends_anonymous_visitors_to_login(page, work, submitted, client: Client) -> None:
    response = client.get(page.url(work, submitted))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_refuses_an_account_without_a_role(page, cast, work, submitted, client) -> None:
    client.force_login(cast.nora)
    assert client.get(page.url(work, submitted)).status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_opens_for_the_county_and_the_town(page, cast, work, submitted, client) -> None:
    for person in (cast.alice, cast.tom):
        client.force_login(person)
        assert client.get(page.url(work, submitted)).status_code == 200, person


@pytest.mark.parametrize("page", TOWN_A_PAGES, ids=[p.name for p in TOWN_A_PAGES])
def test_another_town_finds_nothing(page, cast, work, submitted, client) -> None:
    client.force_login(cast.owen)
    assert client.get(page.url(work, submitted)).status_code == 404


def test_another_town_sees_an_empty_queue(cast, work, submitted, client) -> None:
    client.force_login(cast.owen)
    response = client.get(reverse("progress:review_queue"))
    assert response.status_code == 200 and list(response.context["page"]) == []


def test_posts_answer_outsiders_with_404_and_no_role_with_403(cast, work, submitted, client):
    for name in ("report_approve", "report_return", "report_submit"):
        url = reverse(f"progress:{name}", args=[submitted.pk])
        client.force_login(cast.owen)
        assert client.post(url, {"reason": "x"}).status_code == 404
        client.force_login(cast.nora)
        assert client.post(url, {"reason": "x"}).status_code == 403
        client.logout()
        assert client.post(url, {"reason": "x"}).status_code == 302
    client.force_login(cast.owen)
    url = reverse("progress:report_create", args=[work.part_a.pk])
    assert client.post(url, {"percent": 10, "text": "x"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == ReportState.SUBMITTED


def test_the_town_cannot_approve_its_own_part_but_the_county_can(cast, work, submitted, client):
    client.force_login(cast.tom)
    page = client.get(reverse("progress:report_detail", args=[submitted.pk]))
    assert reverse("progress:report_approve", args=[submitted.pk]) not in page.content.decode()
    assert client.post(reverse("progress:report_approve", args=[submitted.pk])).status_code == 403
    client.force_login(cast.alice)
    page = client.get(reverse("progress:report_detail", args=[submitted.pk]))
    assert reverse("progress:report_approve", args=[submitted.pk]) in page.content.decode()
    response = client.post(reverse("progress:report_approve", args=[submitted.pk]))
    assert response.status_code == 302
    work.part_a.refresh_from_db()
    assert work.part_a.progress == 40


def test_returning_needs_a_reason(cast, work, submitted, client) -> None:
    client.force_login(cast.alice)
    url = reverse("progress:report_return", args=[submitted.pk])
    client.post(url, {"reason": ""})
    submitted.refresh_from_db()
    assert submitted.state == ReportState.SUBMITTED
    client.post(url, {"reason": "照片不清楚"})
    submitted.refresh_from_db()
    assert submitted.state == ReportState.RETURNED and submitted.return_reason == "照片不清楚"
    client.force_login(cast.tom)
    page = client.get(reverse("progress:report_detail", args=[submitted.pk])).content.decode()
    assert "照片不清楚" in page and reverse("progress:report_edit", args=[submitted.pk]) in page


def test_a_village_official_reports_on_his_village_from_a_phone(cast, work, client) -> None:
    client.force_login(cast.victor)
    url = reverse("progress:report_create", args=[work.village.pk])
    form = client.get(url).content.decode()
    assert 'capture="environment"' in form and 'accept="image/*' in form
    photo = jpeg(taken="2026:03:01 10:30:00", gps=(36.39, 120.5))
    response = client.post(
        url,
        {
            "percent": "30",
            "text": "路基完成",
            "submit": "1",
            "files": [upload("IMG_0001.jpg", photo)],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.author, report.state, report.task) == (cast.victor, "submitted", work.village)
    detail = client.get(response["Location"]).content.decode()
    assert "2026-03-01 10:30" in detail  # EXIF time, in the platform's time zone
    assert "openstreetmap.org/?mlat=36.390000&amp;mlon=120.500000" in detail
    evidence = report.evidence.get()
    thumb = client.get(reverse("progress:evidence_file", args=[evidence.pk]) + "?thumb=1")
    assert thumb["Content-Type"] == "image/jpeg"
    original = client.get(reverse("progress:evidence_file", args=[evidence.pk]))
    assert b"".join(original.streaming_content) == photo
    assert client.get(reverse("progress:report_create", args=[work.part_a.pk])).status_code == 404


def test_a_villager_neither_sees_nor_reports_on_the_village_task(cast, work, client) -> None:
    """Villagers are outside the work loop (they see points and public notices): their role
    does not open it (403), as the generated permission matrix says of every work page."""
    client.force_login(cast.vera)
    section = client.get(reverse("progress:task_section", args=[work.village.pk]))
    assert section.status_code == 403
    assert client.get(reverse("progress:report_create", args=[work.village.pk])).status_code == 403


def test_a_fake_photo_is_refused_and_nothing_is_saved(cast, work, client, settings) -> None:
    client.force_login(cast.tom)
    response = client.post(
        reverse("progress:report_create", args=[work.part_a.pk]),
        {
            "percent": "30",
            "text": "完成",
            "files": [
                upload("good.jpg", jpeg()),
                upload("fake.jpg", "我是文字".encode(), "image/jpeg"),
            ],
        },
    )
    assert response.status_code == 400
    assert "fake.jpg" in response.content.decode()
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    from pathlib import Path

    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_bad_form_input_answers_400(cast, work, client) -> None:
    client.force_login(cast.tom)
    url = reverse("progress:report_create", args=[work.part_a.pk])
    for data in (
        {"percent": "150", "text": "x"},
        {"percent": "abc", "text": "x"},
        {"percent": "5"},
    ):
        assert client.post(url, data).status_code == 400
    assert not ProgressReport.objects.exists()


def test_the_section_offers_to_report_to_those_who_may(cast, work, submitted, client) -> None:
    client.force_login(cast.tom)
    html = client.get(reverse("progress:task_section", args=[work.part_a.pk])).content.decode()
    assert reverse("progress:report_create", args=[work.part_a.pk]) in html
    assert reverse("progress:report_detail", args=[submitted.pk]) in html
    client.force_login(cast.alice)
    html = client.get(reverse("progress:task_section", args=[work.county.pk])).content.decode()
    assert reverse("progress:report_create", args=[work.county.pk]) not in html  # has parts


def test_duplicate_evidence_is_shown_to_the_reviewer(cast, work, submitted, client) -> None:
    same = submitted.evidence.get().file.open("rb").read()
    copy = services.create_report(
        actor=cast.owen,
        task=work.part_b,
        percent=50,
        text="完成",
        files=[check_file("copy.jpg", same)],
        submit=True,
    )
    client.force_login(cast.alice)
    html = client.get(reverse("progress:report_detail", args=[copy.pk])).content.decode()
    assert 'class="duplicate"' in html
    assert reverse("progress:report_detail", args=[submitted.pk]) in html  # alice sees both
    queue = client.get(reverse("progress:review_queue") + "?duplicates=on")
    assert [r.pk for r in queue.context["page"]] == [copy.pk]
    client.force_login(cast.owen)  # owen is warned, but gets no link into town A
    html = client.get(reverse("progress:report_detail", args=[copy.pk])).content.decode()
    assert 'class="duplicate"' in html
    assert reverse("progress:report_detail", args=[submitted.pk]) not in html


def test_the_queue_exports_what_it_shows(cast, work, submitted, client) -> None:
    client.force_login(cast.alice)
    response = client.get(reverse("progress:review_queue") + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == work.part_a.title and rows[1][3] == 40
    assert rows[1][6] == 1  # one file


def test_the_queue_query_count_does_not_grow_with_the_rows(
    cast, work, client, django_assert_max_num_queries
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            services.create_report(
                actor=cast.tom,
                task=work.part_a,
                percent=i,
                text=f"第{i}次",
                files=[check_file(f"{i}.jpg", jpeg(color=(i, 0, 0)))],
                submit=True,
            )

    client.force_login(cast.alice)
    url = reverse("progress:review_queue")
    add(2)
    client.get(url)  # warm the session and the grants
    with django_assert_max_num_queries(8) as small:
        assert len(client.get(url).context["page"]) == 2
    add(18)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["page"]) == 20


def test_the_queue_filters_by_town_search_and_state(cast, work, submitted, client) -> None:
    other = services.create_report(
        actor=cast.owen, task=work.part_b, percent=10, text="金口镇进展", submit=True
    )
    client.force_login(cast.alice)
    url = reverse("progress:review_queue")

    def shown(query: str) -> list[int]:
        return [r.pk for r in client.get(url + query).context["page"]]

    assert shown("") == [submitted.pk, other.pk]
    assert shown(f"?division={work.part_b.division_id}") == [other.pk]
    assert shown("?q=金口镇进展") == [other.pk]
    services.approve_report(actor=cast.alice, report=other)
    assert shown("") == [submitted.pk]
    assert shown("?state=approved") == [other.pk]
    assert shown("?state=all") == [submitted.pk, other.pk]
    assert client.get(url + "?division=999&state=nonsense").status_code == 200


def test_the_queue_answers_htmx_with_its_rows(cast, work, submitted, client) -> None:
    client.force_login(cast.alice)
    response = client.get(reverse("progress:review_queue"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.startswith('<div id="rows">') or html.lstrip().startswith('<div id="rows">')
    assert reverse("progress:report_detail", args=[submitted.pk]) in html


def test_the_form_offers_only_milestones_not_yet_reached(cast, work, client) -> None:
    from hemei.tasks import services as task_services

    first = work.part_a.milestones.get(name="摸底")
    task_services.record_progress(
        task=work.part_a, percent=20, milestones=[first], actor=cast.alice
    )
    client.force_login(cast.tom)
    form = client.get(reverse("progress:report_create", args=[work.part_a.pk])).context["form"]
    assert [m.name for m in form.fields["milestones"].queryset] == ["完工"]


def test_a_missing_file_answers_404(cast, work, submitted, client) -> None:
    evidence = submitted.evidence.get()
    evidence.file.storage.delete(evidence.file.name)
    client.force_login(cast.alice)
    assert client.get(reverse("progress:evidence_file", args=[evidence.pk])).status_code == 404


def test_the_task_section_query_count_does_not_grow(
    cast, work, client, django_assert_max_num_queries
) -> None:
    client.force_login(cast.tom)
    url = reverse("progress:task_section", args=[work.part_a.pk])

    def add(n: int) -> None:
        for i in range(n):
            services.create_report(
                actor=cast.tom, task=work.part_a, percent=i, text=f"第{i}次", submit=True
            )

    add(1)
    client.get(url)
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["reports"]) == 11


def test_my_reports_lists_what_i_wrote_with_drafts_first_to_finish(cast, work, client) -> None:
    draft = services.create_report(actor=cast.tom, task=work.part_a, percent=5, text="草稿")
    sent = services.create_report(
        actor=cast.victor, task=work.village, percent=5, text="村里", submit=True
    )
    client.force_login(cast.tom)
    url = reverse("progress:my_reports")
    assert [r.pk for r in client.get(url).context["page"]] == [draft.pk]
    assert [r.pk for r in client.get(url + "?state=submitted").context["page"]] == []
    client.force_login(cast.victor)
    assert [r.pk for r in client.get(url).context["page"]] == [sent.pk]
    sheet = load_workbook(io.BytesIO(client.get(url + "?export=xlsx").content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["村内道路硬化"]


def test_the_author_deletes_a_file_from_a_draft_but_no_one_else(cast, work, client) -> None:
    draft = services.create_report(
        actor=cast.tom,
        task=work.part_a,
        percent=5,
        text="草稿",
        files=[check_file("a.jpg", jpeg())],
    )
    evidence = draft.evidence.get()
    url = reverse("progress:evidence_delete", args=[evidence.pk])
    client.force_login(cast.alice)  # cannot see tom's draft
    assert client.post(url).status_code == 404
    client.force_login(cast.tom)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Evidence.objects.exists()


def test_the_author_mends_a_returned_report_and_submits_it_again(
    cast, work, submitted, client
) -> None:
    services.return_report(actor=cast.alice, report=submitted, reason="补拍照片")
    old = submitted.evidence.get()
    client.force_login(cast.alice)
    url = reverse("progress:report_edit", args=[submitted.pk])
    assert client.get(url).status_code == 403  # not the author
    client.force_login(cast.tom)
    page = client.get(url)
    assert page.status_code == 200 and "补拍照片" in page.content.decode()
    response = client.post(
        url,
        {
            "percent": "45",
            "text": "补充了现场照片",
            "remove": [str(old.pk)],
            "submit": "1",
            "files": [upload("new.jpg", jpeg(color=(10, 200, 10)))],
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ReportState.SUBMITTED and submitted.percent == 45
    assert [e.original_name for e in submitted.evidence.all()] == ["new.jpg"]
    assert client.get(url).status_code == 403  # submitted: no longer editable


def test_the_detail_query_count_does_not_grow_with_the_files(
    cast, work, client, django_assert_max_num_queries
) -> None:
    earlier = services.create_report(
        actor=cast.owen,
        task=work.part_b,
        percent=5,
        text="金口",
        files=[check_file(f"{i}.jpg", jpeg(color=(i * 20, 9, 9))) for i in range(10)],
    )
    few = services.create_report(
        actor=cast.tom,
        task=work.part_a,
        percent=5,
        text="一张",
        files=[check_file("0.jpg", jpeg(color=(0, 9, 9)))],
        submit=True,
    )
    many = services.create_report(
        actor=cast.tom,
        task=work.part_a,
        percent=5,
        text="十张",
        files=[check_file(f"{i}.jpg", jpeg(color=(i * 20, 9, 9))) for i in range(1, 10)]
        + [check_file("x.pdf", b"%PDF-1.4 x")],
        submit=True,
    )
    assert (
        earlier.evidence.count() == 10
        and many.evidence.filter(duplicate_of__isnull=False).count() == 9
    )
    client.force_login(cast.alice)
    client.get(reverse("progress:report_detail", args=[few.pk]))
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("progress:report_detail", args=[few.pk]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert (
            len(client.get(reverse("progress:report_detail", args=[many.pk])).context["evidence"])
            == 10
        )

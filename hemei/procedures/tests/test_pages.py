"""The schedule and time-limit pages: Chinese, bad input a 400 that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hemei.core.testing import COUNTY, Cast
from hemei.divisions.models import Division
from hemei.procedures import services
from hemei.procedures.models import TimeLimit, WorkdayYear

D = dt.date
YEAR_2027 = {
    "year": "2027",
    "holidays": "2027-01-01\n2027-02-05至2027-02-11",
    "workdays": "2027年2月13日",
    "source": "国办发明电〔2026〕1号",
}


@pytest.mark.django_db
def test_the_schedule_page_shows_the_known_years_and_calculates(cast: Cast, client: Client) -> None:
    client.force_login(cast.victor)
    page = client.get("/procedures/workdays/", {"start": "2024-02-08", "days": "2"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "2004–2026" in text and "工作日" in text
    assert "2024-02-18" in text and "/procedures/workdays/new/" not in text  # victor reads
    counted = client.get("/procedures/workdays/", {"first": "2024-02-08", "last": "2024-02-19"})
    assert "<strong>3</strong>" in counted.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-12-28", "days": "5"},  # beyond every known year
        {"start": "2024-02-30", "days": "1"},
        {"first": "2024-01-01", "last": "明天"},
    ],
)
def test_the_calculators_answer_bad_input_with_a_message(
    cast: Cast, client: Client, query: dict
) -> None:
    client.force_login(cast.tom)
    page = client.get("/procedures/workdays/", query)
    assert page.status_code == 400
    assert 'class="errorlist' in page.content.decode()


@pytest.mark.django_db
def test_an_administrator_adds_2027_on_the_page(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    assert client.get("/procedures/workdays/new/").status_code == 200
    response = client.post("/procedures/workdays/new/", YEAR_2027)
    assert response.status_code == 302
    row = WorkdayYear.objects.get()
    assert len(row.holidays) == 8 and row.workdays == ["2027-02-13"]
    page = client.get("/procedures/workdays/", {"start": "2027-02-04", "days": "2"})
    assert "2027-02-13" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"holidays": "2027-02-30"}, "不是日期"),
        ({"holidays": "2026-12-31"}, "不在2027年"),
        ({"workdays": "2027-01-01"}, "既是节假日又是工作日"),
        ({"year": "2026"}, "已经有"),
        ({"source": ""}, "必填"),
    ],
)
def test_a_wrong_year_is_refused_with_a_chinese_message(
    cast: Cast, client: Client, change: dict, said: str
) -> None:
    client.force_login(cast.alice)
    response = client.post("/procedures/workdays/new/", {**YEAR_2027, **change})
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not WorkdayYear.objects.exists()


LIMIT = {
    "division": COUNTY,
    "key": "homestead.village_review",
    "name": "村级审查",
    "days": "5",
    "unit": "workday",
    "extension_days": "0",
    "basis": "某省农村宅基地管理办法 第十条",
    "valid_from": "2025-01-01",
    "valid_to": "",
}


@pytest.mark.django_db
def test_a_county_administrator_adds_and_ends_a_limit(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    form = client.get("/procedures/limits/new/", {"county": COUNTY}).content.decode()
    assert "即墨区" in form and 'value="37"' not in form  # the province is not hers
    response = client.post(f"/procedures/limits/new/?county={COUNTY}", LIMIT)
    assert response.status_code == 302
    limit = TimeLimit.objects.get()
    listing = client.get("/procedures/limits/").content.decode()
    assert "村级审查" in listing and "5 个工作日" in listing
    overlap = client.post(f"/procedures/limits/new/?county={COUNTY}", {**LIMIT, "days": "3"})
    assert overlap.status_code == 400 and "不得重叠" in overlap.content.decode()
    bad_end = client.post(f"/procedures/limits/{limit.pk}/end/", {"valid_to": "2024-01-01"})
    assert bad_end.status_code == 400
    ended = client.post(f"/procedures/limits/{limit.pk}/end/", {"valid_to": "2025-12-31"})
    assert ended.status_code == 302
    limit.refresh_from_db()
    assert limit.valid_to == D(2025, 12, 31)
    assert TimeLimit.objects.count() == 1


@pytest.mark.django_db
def test_officials_below_read_the_limits_without_changing_them(cast: Cast, client: Client) -> None:
    services.add_time_limit(
        actor=cast.alice,
        division=Division.objects.get(code=COUNTY),
        key="homestead.notice",
        name="公示",
        days=5,
        unit="day",
        basis="某省办法",
        valid_from=D(2024, 1, 1),
    )
    client.force_login(cast.victor)
    page = client.get("/procedures/limits/")
    text = page.content.decode()
    assert page.status_code == 200 and "公示" in text and "5 个自然日" in text
    assert "/procedures/limits/new/" not in text and "/end/" not in text
    assert client.get("/procedures/limits/", {"county": "999999"}).status_code == 404
    assert client.get("/procedures/limits/", {"county": "abc"}).status_code == 404


@pytest.mark.django_db
def test_a_limit_out_of_reach_or_unknown_is_not_found(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    for pk in ("12345", "99999999999999999999"):
        response = client.post(f"/procedures/limits/{pk}/end/", {"valid_to": "2026-12-31"})
        assert response.status_code == 404
    assert client.get("/procedures/limits/1/end/").status_code == 405

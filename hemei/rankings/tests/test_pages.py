"""The ranking pages: what they show, who may open them (the permission matrix), bad input,
and query counts that do not grow with the rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from hemei.accounts.models import AuditEntry
from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, Cast
from hemei.divisions.models import Division
from hemei.rankings.models import RankingConfig, RankingRun
from hemei.rankings.services import compute_ranking

from .factories import NOV_23, OCT, SEP, TOWN_C, day, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(cast: Cast) -> dict[str, RankingRun]:
    make_task(TOWN_A, day(9, 10), day(9, 9))
    make_task(TOWN_B, day(9, 10))
    make_task(TOWN_A, day(10, 10))
    make_task(TOWN_B, day(10, 10), day(10, 9))
    make_task(TOWN_C, day(10, 10), day(10, 10))
    county = Division.objects.get(code=COUNTY)
    town_a = Division.objects.get(code=TOWN_A)
    with clock.frozen_at(NOV_23):
        found = {
            "sep": compute_ranking(
                county_or_town=county, period_kind="month", period_start=SEP, actor=cast.alice
            ),
            "oct": compute_ranking(
                county_or_town=county, period_kind="month", period_start=OCT, actor=cast.alice
            ),
            "town_a": compute_ranking(
                county_or_town=town_a, period_kind="month", period_start=OCT, actor=cast.alice
            ),
        }
    return found


def ranking_url(scope: str = COUNTY, period: str = "2026-10-01", **extra: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"scope": scope, **extra}.items())
    return f"/rankings/?{query}&kind=month&period={period}"


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[dict[str, RankingRun]], str]
    admin_only: bool = False
    #: the same page for town A's villages, which owen (town B) must not see
    outside: Callable[[dict[str, RankingRun]], str] | None = None


PAGES = [
    Page("ranking", lambda r: ranking_url(), outside=lambda r: ranking_url(TOWN_A)),
    Page("ranking export", lambda r: ranking_url(export="xlsx")),
    Page(
        "history",
        lambda r: f"/rankings/history/?scope={COUNTY}",
        outside=lambda r: f"/rankings/history/?scope={TOWN_A}",
    ),
    Page("history export", lambda r: f"/rankings/history/?scope={COUNTY}&export=xlsx"),
    Page("config", lambda r: f"/rankings/config/{COUNTY}/", admin_only=True),
]
IDS = [page.name for page in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_sends_anonymous_visitors_to_login(page: Page, runs: Any, client: Client) -> None:
    response = client.get(page.url(runs))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_refuses_an_account_without_a_role(
    page: Page, runs: Any, cast: Cast, client: Client
) -> None:
    client.force_login(cast.nora)
    assert client.get(page.url(runs)).status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_opens_for_the_county_administrator(
    page: Page, runs: Any, cast: Cast, client: Client
) -> None:
    client.force_login(cast.alice)
    assert client.get(page.url(runs)).status_code == 200


@pytest.mark.parametrize("page", [p for p in PAGES if p.outside], ids=lambda p: p.name)
def test_another_towns_villages_ranking_is_not_found(
    page: Page, runs: Any, cast: Cast, client: Client
) -> None:
    client.force_login(cast.owen)
    assert client.get(page.outside(runs)).status_code == 404  # type: ignore[misc]
    client.force_login(cast.tom)
    assert client.get(page.outside(runs)).status_code == 200  # type: ignore[misc]


@pytest.mark.parametrize("page", [p for p in PAGES if p.admin_only], ids=lambda p: p.name)
def test_administration_is_refused_to_a_town_official(
    page: Page, runs: Any, cast: Cast, client: Client
) -> None:
    client.force_login(cast.tom)
    assert client.get(page.url(runs)).status_code == 403


def test_the_towns_ranking_is_published_across_the_county(
    runs: Any, cast: Cast, client: Client
) -> None:
    for person in (cast.tom, cast.owen, cast.victor, cast.dan, cast.lily):
        client.force_login(person)
        assert client.get(ranking_url()).status_code == 200, person.username
    client.force_login(cast.vera)  # rankings are the work loop's, not villagers'
    assert client.get(ranking_url()).status_code == 403
    client.force_login(cast.victor)
    assert client.get(ranking_url(TOWN_A)).status_code == 200
    assert client.get(ranking_url(TOWN_B)).status_code == 404


def test_it_shows_ranks_changes_and_chart_data(runs: Any, cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    with clock.frozen_at(NOV_23):
        response = client.get(ranking_url())
    page = response.content.decode()
    assert "vendor/echarts.min.js" in page
    assert "田横镇" in page and "金口镇" in page
    assert "↓" in page and "↑" in page  # town A fell, town B rose
    chart = json.loads(
        page.split('id="ranking-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["followed"] == "田横镇"  # tom follows his own town
    assert chart["ranks"] == [1, 3]
    assert len(chart["names"]) == len(chart["scores"]) == 3
    # tom may not compute the county's ranking, so no button
    assert "/rankings/compute/" not in page


def test_its_figures_never_wrap_and_the_table_scrolls_on_a_phone(
    runs: Any, cast: Cast, client: Client
) -> None:
    client.force_login(cast.alice)
    page = client.get(ranking_url()).content.decode()
    table = page.split('<table class="ranking">')[1].split("</table>")[0]
    first_row = table.split("<tbody>")[1].split("</tr>")[0]
    assert first_row.count('class="num"') + first_row.count('class="rank-cell num"') == 9
    assert 'class="table-wrap"><table class="ranking">' in page  # no phone card layout
    css = (settings.BASE_DIR / "static/hemei/site.css").read_text(encoding="utf-8")
    rule = css.split("th.num, td.num {")[1].split("}")[0]
    assert "white-space: nowrap" in rule and "tabular-nums" in rule
    assert ".table-wrap { overflow-x: auto; }" in css


def test_the_htmx_fragment_is_only_the_body(runs: Any, cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.get(ranking_url(), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.startswith('<div id="ranking-body">') and "<html" not in page


def test_it_exports_the_ranking_to_excel(runs: Any, cast: Cast, client: Client) -> None:
    import io

    from openpyxl import load_workbook

    client.force_login(cast.alice)
    response = client.get(ranking_url(export="xlsx"))
    sheet = load_workbook(
        io.BytesIO(
            b"".join(response.streaming_content if response.streaming else [response.content])
        )
    ).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][0] == 1 and values[1][1] in {"金口镇", "段泊岚镇"}


def test_a_county_administrator_computes_a_period(runs: Any, cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    with clock.frozen_at(NOV_23):
        response = client.post(
            "/rankings/compute/", {"scope": COUNTY, "kind": "quarter", "period": "2026-10-05"}
        )
    assert response.status_code == 302
    run = RankingRun.objects.get(period_kind="quarter")
    assert run.period_start.isoformat() == "2026-10-01"
    assert AuditEntry.objects.filter(object_id=str(run.pk), actor=cast.alice).exists()


def test_compute_answers_bad_input_and_strangers(runs: Any, cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    with clock.frozen_at(NOV_23):
        bad_kind = client.post("/rankings/compute/", {"scope": COUNTY, "kind": "decade"})
        bad_date = client.post("/rankings/compute/", {"scope": COUNTY, "period": "31/10"})
        future = client.post("/rankings/compute/", {"scope": COUNTY, "period": "2027-01-05"})
    assert (bad_kind.status_code, bad_date.status_code, future.status_code) == (400, 400, 400)
    assert "2026-11-01" in bad_date.content.decode() or "日期" in bad_date.content.decode()
    client.force_login(cast.owen)
    assert client.post("/rankings/compute/", {"scope": TOWN_A}).status_code == 404
    assert client.post("/rankings/compute/", {"scope": COUNTY}).status_code == 403
    client.force_login(cast.nora)
    assert client.post("/rankings/compute/", {"scope": COUNTY}).status_code == 403
    assert client.get("/rankings/compute/").status_code == 405
    assert RankingRun.objects.count() == 3


def test_a_ranking_page_answers_a_bad_period(runs: Any, cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    assert client.get("/rankings/?period=someday").status_code == 400
    assert client.get("/rankings/?scope=370215100214").status_code == 400
    assert client.get("/rankings/?scope=999999").status_code == 404


def test_the_county_administrator_sets_the_weights(runs: Any, cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    form = {
        "weight_on_time": 60,
        "weight_overdue": 20,
        "weight_delay": 10,
        "weight_orders": 10,
        "issuing_body": "即墨区乡村振兴工作领导小组办公室",
        "number_prefix": "即振办",
    }
    assert client.post(f"/rankings/config/{COUNTY}/", form).status_code == 302
    config = RankingConfig.objects.get(county_id=COUNTY)
    assert config.weights == {"on_time": 60, "overdue": 20, "delay": 10, "orders": 10}
    zero = {**form, "weight_on_time": 0, "weight_overdue": 0, "weight_delay": 0, "weight_orders": 0}
    response = client.post(f"/rankings/config/{COUNTY}/", zero)
    assert response.status_code == 400
    assert RankingConfig.objects.get(county_id=COUNTY).weight_on_time == 60


def test_the_ranking_page_queries_do_not_grow_with_the_rows(
    runs: Any, cast: Cast, client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.alice)
    client.get(ranking_url())  # warm the session and the grant cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(ranking_url())
    for number in range(25):
        code = f"370215{700 + number}"
        Division.objects.create(code=code, name=f"新镇{number}", level=4, parent_id=COUNTY)
        make_task(code, day(10, 9), day(10, 8))
    with clock.frozen_at(NOV_23):
        compute_ranking(
            county_or_town=Division.objects.get(code=COUNTY),
            period_kind="month",
            period_start=OCT,
            actor=cast.alice,
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get(ranking_url())
    assert response.content.decode().count("新镇") >= 25
    with django_assert_max_num_queries(len(few)):
        client.get(f"/rankings/history/?scope={COUNTY}")


def test_a_city_level_administrator_opens_on_a_county_inside(
    runs: Any, cast: Cast, client: Client
) -> None:
    from hemei.accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=cast.alice).update(division_id="3702")  # 青岛市
    client.force_login(cast.alice)
    response = client.get("/rankings/")
    assert response.status_code == 200
    assert response.context["scope"].code.startswith("3702")

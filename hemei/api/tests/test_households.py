"""The household register through the API: the list with the register page's filters and
its export, a household with its members; identity numbers and phones never leave in clear;
another area's household is not found; roles that do not browse the register are refused."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from hemei.core.testing import TOWN_A, VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division
from hemei.households import services
from hemei.households.models import Household, Resident, SensitiveView
from hemei.households.tests.factories import make_household

pytestmark = pytest.mark.django_db

LIST = "/api/v1/households/"
DETAIL = "/api/v1/households/{pk}/"


@dataclass
class Register:
    home: Household  # in 红花山村, village A (town A)
    away: Household  # in 金口村, village B (town B)


@pytest.fixture
def register(cast: Cast) -> Register:
    home = make_household(cast.victor, Division.objects.get(code=VILLAGE_A))
    away = make_household(cast.alice, Division.objects.get(code=VILLAGE_B), number="B01")
    return Register(home=home, away=away)


def detail(household: Household) -> str:
    return DETAIL.format(pk=household.pk)


def clear_values() -> list[str]:
    """Every identity number and phone of the register, in clear."""
    values = []
    for resident in Resident.objects.all():
        values += [v for v in (resident.id_number, resident.phone) if v]
    return values


def test_the_list_shows_the_area_with_the_pages_filters(register, cast: Cast, as_user, conforms):
    tom = as_user(cast.tom)
    answer = tom.get(LIST)
    assert answer.status == 200
    conforms(answer, LIST, "get")
    assert [h["id"] for h in answer.json["results"]] == [register.home.pk]
    row = answer.json["results"][0]
    assert row["village"] == {"code": VILLAGE_A, "name": register.home.village.name}
    assert row["head"] == "王建国001" and row["member_count"] == 3 and row["is_active"]
    # the county office sees both villages; the filters narrow as the page's do
    alice = as_user(cast.alice)
    assert alice.get(LIST).json["count"] == 2
    assert [h["number"] for h in alice.get(LIST, {"village": TOWN_A}).json["results"]] == ["001"]
    assert [h["number"] for h in alice.get(LIST, {"q": "李秀兰B01"}).json["results"]] == ["B01"]
    services.move_out_household(actor=cast.alice, household=register.away, note="迁出")
    assert [h["number"] for h in alice.get(LIST).json["results"]] == ["001"]
    ended = alice.get(LIST, {"active": "no"}).json["results"]
    assert [h["number"] for h in ended] == ["B01"] and not ended[0]["is_active"]
    assert alice.get(LIST, {"active": "all"}).json["count"] == 2
    group = services.create_village_group(
        actor=cast.victor, village=register.home.village, name="第一组"
    )
    services.update_household(actor=cast.victor, household=register.home, group=group)
    grouped = alice.get(LIST, {"group": group.pk}).json["results"]
    assert [h["group"] for h in grouped] == [{"id": group.pk, "name": "第一组"}]


def test_a_household_shows_its_members_masked(register, cast: Cast, as_user, conforms):
    victor = as_user(cast.victor)
    url = detail(register.home)
    answer = victor.get(url)
    assert answer.status == 200
    conforms(answer, "/api/v1/households/{pk}/", "get")
    members = answer.json["members"]
    assert [m["name"] for m in members] == ["王建国001", "李秀兰001", "王磊001"]
    head = register.home.head
    assert members[0]["is_head"] and members[0]["relation"] == "head"
    assert members[0]["id_number"] == head.masked_id_number
    assert members[0]["id_number"].startswith("370215") and "*" in members[0]["id_number"]
    assert members[0]["phone"] == "139****0001"
    assert [e["kind"] for e in answer.json["events"]] == ["member_add", "member_add", "create"]
    body = answer.response.content.decode()
    for value in clear_values():
        assert value not in body
    assert not SensitiveView.objects.exists()  # showing in full is the pages' logged act


def test_the_export_has_the_pages_columns_masked(register, cast: Cast, as_user):
    alice = as_user(cast.alice)
    response = alice.client.get(LIST, {"format": "xlsx"}, headers=alice.headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "户号")
    people = rows[header + 1 :]
    assert rows[header][2:4] == ["姓名", "与户主关系"]
    assert sorted(p[2] for p in people) == sorted(Resident.objects.values_list("name", flat=True))
    text = repr(rows)
    for value in clear_values():
        assert value not in text
    assert "139****0001" in text
    # the filters apply to the export too
    response = alice.client.get(
        LIST, {"format": "xlsx", "village": VILLAGE_B}, headers=alice.headers
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert {row[0].value for row in sheet.iter_rows()} >= {"B01"}
    assert "001" not in {row[0].value for row in sheet.iter_rows()}


def test_another_areas_household_is_not_found(register, cast: Cast, as_user):
    owen = as_user(cast.owen)
    assert owen.get(detail(register.away)).status == 200
    answer = owen.get(detail(register.home))
    assert answer.status == 404 and answer.error["code"] == "not_found"
    assert owen.get(detail(register.home).replace(str(register.home.pk), "999999")).status == 404
    assert [h["number"] for h in owen.get(LIST, {"village": VILLAGE_A}).json["results"]] == []


@pytest.mark.parametrize("who", ["dan", "vera"])
def test_roles_that_do_not_browse_the_register_are_refused(register, cast: Cast, as_user, who):
    """Department staff do not read households; a villager's own is on their page."""
    client = as_user(getattr(cast, who))
    for url in (LIST, detail(register.home)):
        answer = client.get(url)
        assert answer.status == 403 and answer.error["code"] == "forbidden"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"village": "红花山"}, "village"),
        ({"group": "first"}, "group"),
        ({"active": "maybe"}, "active"),
        ({"q": "长" * 101}, "q"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_filters_are_a_400_in_chinese(register, cast: Cast, as_user, params, field):
    answer = as_user(cast.tom).get(LIST, params)
    assert answer.status == 400
    assert field in answer.error["fields"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.error["fields"][field][0])


def test_the_list_does_not_grow_with_the_page(cast: Cast, as_user):
    village = Division.objects.get(code=VILLAGE_A)
    for number in range(12):
        make_household(cast.victor, village, f"{number:03d}")
    client = as_user(cast.alice)
    client.get(LIST)  # the first call notes the token's use

    def queries(size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(LIST, {"page_size": size})
        assert answer.status == 200
        return len(captured), len(answer.json["results"])

    small, one = queries(1)
    large, rows = queries(100)
    assert one == 1 and rows == 12
    assert small == large <= 6

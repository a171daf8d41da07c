"""Governance points through the API: a village's ledger and entries with the pages' filters
and exports, recording an entry through the service (its rule's points, whole numbers; the
ledger untouched until the entry takes effect), a household's balance and rows; villagers
see their own household only; bad input answers 400 in Chinese and writes nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from hemei.accounts.models import AuditEntry
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, VILLAGE_B, Cast
from hemei.households.models import Household
from hemei.points import services
from hemei.points.models import Balance, Entry, LedgerEntry, RuleVersion
from hemei.points.tests.factories import TODAY, adopted_rules, effective, household, item, photo

pytestmark = pytest.mark.django_db

LEDGER = f"/api/v1/points/villages/{VILLAGE_A}/ledger/"
ENTRIES = f"/api/v1/points/villages/{VILLAGE_A}/entries/"
MINE = "/api/v1/points/mine/"


def balance_url(household: Household) -> str:
    return f"/api/v1/points/households/{household.pk}/"


def rows_url(household: Household) -> str:
    return f"/api/v1/points/households/{household.pk}/ledger/"


@pytest.fixture(autouse=True)
def _today(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path)
    with clock.frozen_at(TODAY):
        yield


@dataclass
class Village:
    rules: RuleVersion
    vera_home: Household
    wang: Household
    other: Household  # in 金口村 (town B)


def record(
    cast: Cast, home: Household, rules: RuleVersion, code: str, day: int, **kw: Any
) -> Entry:
    return services.record_entry(
        actor=cast.victor,
        household=home,
        item=item(rules, code),
        occurred_on=dt.date(2026, 5, day),
        description=f"事由{code}{day}",
        **kw,
    )


@pytest.fixture
def village(cast: Cast) -> Village:
    """红花山村 with adopted rules: vera's household earned 30 and lost 10 (effective), and
    has 2 points awaiting assessment; 王's household earned 5; 金口村 has a household."""
    rules = adopted_rules(cast.victor, VILLAGE_A)
    found = Village(
        rules=rules,
        vera_home=household(VILLAGE_A, "001", "韦大山", user=cast.vera),
        wang=household(VILLAGE_A, "002", "王长福"),
        other=household(VILLAGE_B, "001", "金有余"),
    )
    effective(cast.victor, record(cast, found.vera_home, rules, "B1", 1, files=[photo()]))
    effective(cast.victor, record(cast, found.vera_home, rules, "C1", 2))
    effective(cast.victor, record(cast, found.wang, rules, "A1", 3))
    record(cast, found.vera_home, rules, "A2", 4)
    return found


def written() -> tuple[Any, ...]:
    return (
        list(Entry.objects.order_by("pk").values_list("pk", "state")),
        LedgerEntry.objects.count(),
        list(Balance.objects.order_by("pk").values_list("pk", "points")),
        AuditEntry.objects.count(),
    )


def test_the_ledger_is_newest_first_with_the_pages_search(village, cast: Cast, as_user, conforms):
    tom = as_user(cast.tom)
    answer = tom.get(LEDGER)
    assert answer.status == 200
    conforms(answer, "/api/v1/points/villages/{code}/ledger/", "get")
    rows = answer.json["results"]
    assert [r["sequence"] for r in rows] == [3, 2, 1]
    assert [(r["household"]["number"], r["points"], r["balance_after"]) for r in rows] == [
        ("002", 5, 5),
        ("001", -10, 20),
        ("001", 30, 30),
    ]
    assert all(isinstance(r["points"], int) for r in rows)
    assert rows[2]["hash"] == LedgerEntry.objects.get(village_id=VILLAGE_A, sequence=1).hash
    found = tom.get(LEDGER, {"q": "王长福"}).json["results"]
    assert [r["household"]["head"] for r in found] == ["王长福"]


def test_the_ledger_exports_with_the_pages_columns(village, cast: Cast, as_user):
    tom = as_user(cast.tom)
    response = tom.client.get(LEDGER, {"format": "xlsx"}, headers=tom.headers)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "序号")
    assert [row[0] for row in rows[header + 1 :]] == [1, 2, 3]  # oldest first, as the page
    assert rows[header + 1][5] == 30


def test_the_entries_have_the_pages_filters(village, cast: Cast, as_user, conforms):
    victor = as_user(cast.victor)
    answer = victor.get(ENTRIES)
    assert answer.status == 200
    conforms(answer, "/api/v1/points/villages/{code}/entries/", "get")
    entries = answer.json["results"]
    assert [e["rule"]["code"] for e in entries] == ["A2", "A1", "C1", "B1"]
    assert [e["state"] for e in entries] == ["submitted", "effective", "effective", "effective"]
    submitted = victor.get(ENTRIES, {"state": "submitted"}).json["results"]
    assert [e["points"] for e in submitted] == [2]
    law = victor.get(ENTRIES, {"category": "law"}).json["results"]
    assert [e["points"] for e in law] == [-10]
    days = victor.get(ENTRIES, {"occurred_from": "2026-05-02", "occurred_to": "2026-05-03"})
    assert [e["occurred_on"] for e in days.json["results"]] == ["2026-05-03", "2026-05-02"]
    assert victor.get(ENTRIES, {"q": "王长福"}).json["count"] == 1
    response = victor.client.get(ENTRIES, {"format": "xlsx"}, headers=victor.headers)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row >= 5


@pytest.mark.parametrize(("code", "points"), [("A1", 5), ("C1", -10)])
def test_recording_awards_or_deducts_the_rules_points(
    village, cast: Cast, as_user, conforms, code: str, points: int
):
    before = LedgerEntry.objects.count(), Balance.objects.get(household=village.wang).points
    victor = as_user(cast.victor)
    body = {
        "household": village.wang.pk,
        "item": item(village.rules, code).pk,
        "occurred_on": "2026-06-14",
        "description": "  门前整洁  ",
    }
    answer = victor.post(ENTRIES, body)
    assert answer.status == 201, answer
    conforms(answer, "/api/v1/points/villages/{code}/entries/", "post")
    entry = Entry.objects.get(pk=answer.json["id"])
    assert (entry.household, entry.points, entry.state, entry.source) == (
        village.wang,
        points,
        "submitted",
        "recorded",
    )
    assert entry.created_by == cast.victor and entry.description == "门前整洁"
    assert answer.json["points"] == points and answer.json["rule"]["code"] == code
    # the ledger is appended to only when the entry takes effect, on the pages' path
    assert (LedgerEntry.objects.count(), Balance.objects.get(household=village.wang).points) == (
        before
    )
    effective(cast.victor, entry)
    assert Balance.objects.get(household=village.wang).points == before[1] + points


def test_bad_input_is_a_400_in_chinese_and_writes_nothing(village, cast: Cast, as_user):
    good = {
        "household": village.wang.pk,
        "item": item(village.rules, "A2").pk,
        "occurred_on": "2026-06-14",
        "description": "参加村民会议",
    }
    cases = [
        ({**good, "household": village.other.pk}, "household"),  # 金口村's
        ({**good, "household": "002"}, "household"),
        ({**good, "item": 999999}, "item"),
        ({**good, "item": item(village.rules, "B1").pk}, "evidence"),  # needs a file: the page
        ({**good, "occurred_on": "2026-06-16"}, "occurred_on"),  # tomorrow
        ({**good, "occurred_on": "2025-12-31"}, "occurred_on"),  # before the rules
        ({**good, "occurred_on": "June"}, "occurred_on"),
        ({**good, "description": "   "}, "description"),
        ({**good, "description": "长" * 501}, "description"),
        ({**good, "points": 100}, "points"),  # the rule says how many, never the caller
        ({key: value for key, value in good.items() if key != "item"}, "item"),
    ]
    victor = as_user(cast.victor)
    before = written()
    for body, field in cases:
        answer = victor.post(ENTRIES, body)
        assert answer.status == 400, (body, answer)
        assert field in answer.error["fields"], (body, answer)
        message = answer.error["fields"][field][0]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
        assert written() == before
    # over the rule's monthly cap (20 points of A1 in June): the service refuses it
    a1 = {**good, "item": item(village.rules, "A1").pk}
    for _ in range(4):
        assert victor.post(ENTRIES, a1).status == 201
    before = written()
    over = victor.post(ENTRIES, a1)
    assert over.status == 400 and "20" in over.error["message"]
    assert written() == before


def test_recording_is_for_those_who_run_the_villages_points(village, cast: Cast, as_user):
    body = {
        "household": village.wang.pk,
        "item": item(village.rules, "A2").pk,
        "occurred_on": "2026-06-14",
        "description": "参加村民会议",
    }
    clients = {who: as_user(getattr(cast, who)) for who in ("tom", "lily", "owen", "dan", "vera")}
    before = written()
    for who, client in clients.items():
        answer = client.post(ENTRIES, body)
        assert answer.status == 403, (who, answer)
        assert written() == before
    assert as_user(cast.alice).post(ENTRIES, body).status == 201


def test_who_reads_a_villages_points(village, cast: Cast, as_user):
    for url in (LEDGER, ENTRIES):
        assert as_user(cast.lily).get(url).status == 200
        assert as_user(cast.owen).get(url).status == 404  # another town's village
        assert as_user(cast.dan).get(url).error["code"] == "forbidden"  # no households
        assert as_user(cast.vera).get(url).status == 403  # the village's ledger is not hers
        assert as_user(cast.nora).get(url).error["code"] == "no_role"
    town = LEDGER.replace(VILLAGE_A, "370215100")
    assert as_user(cast.tom).get(town).status == 404  # a town is no village


def test_a_households_balance_and_rows(village, cast: Cast, as_user, conforms):
    tom = as_user(cast.tom)
    answer = tom.get(balance_url(village.vera_home))
    assert answer.status == 200
    conforms(answer, "/api/v1/points/households/{pk}/", "get")
    data = answer.json
    assert (data["balance"], data["earned"], data["year"]) == (20, 20, 2026)
    assert data["stars"] == 1  # the first band is 20
    assert [(e["rule"]["code"], e["state"]) for e in data["pending"]] == [("A2", "submitted")]
    assert tom.get(balance_url(village.vera_home), {"year": 2025}).json["earned"] == 0
    rows = tom.get(rows_url(village.vera_home))
    conforms(rows, "/api/v1/points/households/{pk}/ledger/", "get")
    assert [(r["points"], r["balance_after"]) for r in rows.json["results"]] == [
        (-10, 20),
        (30, 30),
    ]
    assert sum(LedgerEntry.objects.filter(household=village.vera_home).values_list(
        "points", flat=True
    )) == data["balance"]  # fmt: skip
    owen = as_user(cast.owen)
    assert owen.get(balance_url(village.vera_home)).status == 404
    assert owen.get(rows_url(village.vera_home)).status == 404
    assert owen.get(balance_url(village.other)).status == 200


def test_a_villager_sees_only_their_own_household(village, cast: Cast, as_user, conforms):
    vera = as_user(cast.vera)
    mine = vera.get(MINE)
    assert mine.status == 200
    conforms(mine, MINE, "get")
    assert mine.json["household"]["id"] == village.vera_home.pk and mine.json["balance"] == 20
    assert vera.get(balance_url(village.vera_home)).json == mine.json
    own_rows = vera.get(rows_url(village.vera_home)).json["results"]
    assert {r["household"]["id"] for r in own_rows} == {village.vera_home.pk}
    for other in (village.wang, village.other):
        assert vera.get(balance_url(other)).status == 404
        assert vera.get(rows_url(other)).status == 404
    # officials have no household of their own here: the villager's page is not theirs
    assert as_user(cast.victor).get(MINE).status == 403
    # a villager whose account is linked to no household: not found, as on the page
    village.vera_home.head.user = None
    village.vera_home.head.save()
    assert as_user(cast.vera).get(MINE).status == 404


@pytest.mark.parametrize(
    "url, params, field",
    [
        (LEDGER, {"q": "长" * 101}, "q"),
        (LEDGER, {"format": "csv"}, "format"),
        (ENTRIES, {"state": "open"}, "state"),
        (ENTRIES, {"occurred_from": "yesterday"}, "occurred_from"),
        (MINE, {"year": "1999"}, "year"),
    ],
)
def test_bad_filters_are_a_400(village, cast: Cast, as_user, url, params, field):
    client = as_user(cast.vera if url == MINE else cast.tom)
    answer = client.get(url, params)
    assert answer.status == 400 and field in answer.error["fields"], answer


def test_the_lists_do_not_grow_with_the_page(village, cast: Cast, as_user):
    for day in range(1, 13):
        record(cast, village.wang, village.rules, "A2", day)
    client = as_user(cast.alice)
    client.get(LEDGER)  # the first call notes the token's use

    def queries(url: str, size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(url, {"page_size": size})
        assert answer.status == 200
        return len(captured), len(answer.json["results"])

    for url, expected in ((ENTRIES, 16), (LEDGER, 3), (rows_url(village.vera_home), 2)):
        small, one = queries(url, 1)
        large, rows = queries(url, 100)
        assert one == 1 and rows == expected
        assert small == large <= 6, url

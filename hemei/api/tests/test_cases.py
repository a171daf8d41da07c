"""Cases through the API: the list with the page's filters and its Excel export, the detail,
starting a case and every action on the step in hand, with the guards of the services;
bad input answers 400 with Chinese messages per field and changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from hemei.cases import services
from hemei.cases.models import Case, CaseEvent, StepRecord
from hemei.catalogue.samples import adopted_catalogue
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.notices.services import end_due_notices
from hemei.points.tests.factories import household

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
LIST = "/api/v1/cases/"


@pytest.fixture(autouse=True)
def _today(settings: Any, tmp_path: Any):
    settings.MEDIA_ROOT = str(tmp_path)
    with clock.frozen_at(MONDAY):
        yield


@pytest.fixture
def case(cast: Cast) -> Case:
    """vera's household applies for 临时救助: the case stands at the village's step."""
    adopted_catalogue(cast.alice, VILLAGE_A)
    household(VILLAGE_A, "H001", "王秀英", user=cast.vera)
    return services.start_case(
        actor=cast.vera,
        village=Division.objects.get(code=VILLAGE_A),
        item_code="F01",
        title="因病临时救助",
    )


def url(case: Case, action: str = "") -> str:
    return f"{LIST}{case.pk}/{action}"


def state(case: Case) -> tuple[Any, ...]:
    """What a refused call must leave as it was."""
    row = Case.objects.get(pk=case.pk)
    return (
        row.state,
        row.step_id,
        row.step_due_on,
        row.decision_id,
        StepRecord.objects.filter(case=case).count(),
        CaseEvent.objects.filter(case=case).count(),
    )


def test_the_list_has_the_pages_filters_and_rows(cast: Cast, case: Case, as_user, conforms):
    victor = as_user(cast.victor)
    answer = victor.get(LIST)
    conforms(answer, "/api/v1/cases/", "get")
    assert answer.json["count"] == 1
    row = answer.json["results"][0]
    assert row["number"] == f"{VILLAGE_A}-2026-0001"
    assert row["state"] == "open" and row["light"] == "green"
    assert row["step"] == {"position": 2, "name": "村委会入户核实", "level": "village"}
    assert row["item"]["code"] == "F01"
    for params, count in [
        ({"state": "open"}, 1),
        ({"state": "done"}, 0),
        ({"light": "green"}, 1),
        ({"light": "overdue"}, 0),
        ({"village": VILLAGE_A}, 1),
        ({"village": "370215101"}, 0),
        ({"q": "临时救助"}, 1),
        ({"q": "宅基地"}, 0),
        ({"item": "临时救助申请"}, 1),
    ]:
        assert victor.get(LIST, params).json["count"] == count, params


def test_the_list_exports_to_excel_with_the_pages_columns(cast: Cast, case: Case, as_user):
    client = as_user(cast.tom)
    response = client.client.get(LIST, {"format": "xlsx"}, headers=client.headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "办件编号"
    assert [r[0] for r in rows[1:] if r[0]] == [case.number]
    bad = client.get(LIST, {"format": "pdf"})
    assert bad.status == 400 and "format" in bad.error["fields"]


def test_another_town_finds_nothing(cast: Cast, case: Case, as_user):
    owen = as_user(cast.owen)
    assert owen.get(LIST).json["count"] == 0
    assert owen.get(url(case)).status == 404
    before = state(case)
    assert owen.post(url(case, "pass/"), {"opinion": "同意", "signer": "欧"}).status == 404
    assert state(case) == before


def test_villagers_and_department_staff_are_refused(cast: Cast, case: Case, as_user):
    """The API is the work loop's: a villager follows their case on the pages."""
    for who in (cast.vera, cast.dan):
        answer = as_user(who).get(LIST)
        assert answer.status == 403 and answer.error["code"] == "forbidden"


def test_the_detail_shows_the_path_records_and_timeline(cast: Cast, case: Case, as_user, conforms):
    answer = as_user(cast.victor).get(url(case))
    conforms(answer, "/api/v1/cases/{pk}/", "get")
    data = answer.json
    assert [s["name"] for s in data["path"]] == ["提出申请", "村委会入户核实", "乡镇审核审批"]
    assert [r["outcome"] for r in data["records"]] == ["passed", "open"]
    assert data["events"][0]["kind"] == "started" and data["events"][0]["label"] == "提出申请"
    assert data["may_act"] is True and data["household"]["number"] == "H001"
    assert as_user(cast.tom).get(url(case)).json["may_act"] is False


def test_each_office_passes_its_step_and_the_case_completes(
    cast: Cast, case: Case, as_user, conforms
):
    tom, victor = as_user(cast.tom), as_user(cast.victor)
    refused = tom.post(url(case, "pass/"), {"opinion": "同意", "signer": "唐涛"})
    assert refused.status == 403 and refused.error["message"] == "本环节由其他单位办理。"
    passed = victor.post(
        url(case, "pass/"),
        {"opinion": "情况属实", "signer": "韦村", "sealed": True, "signed_on": "2026-06-15"},
    )
    conforms(passed, "/api/v1/cases/{pk}/pass/", "post")
    # the village's step publishes: the case waits for its notice, then reaches the town
    assert passed.json["state"] == "notice"
    with clock.frozen_at(MONDAY + dt.timedelta(days=4)):
        end_due_notices()
    assert tom.get(url(case)).json["step"]["level"] == "town"
    done = tom.post(url(case, "pass/"), {"opinion": "同意救助", "signer": "唐涛"})
    assert done.status == 200 and done.json["state"] == "done"
    assert done.json["records"][1]["signer"] == "韦村" and done.json["records"][1]["sealed"]


def test_bad_input_is_a_400_per_field_in_chinese_and_changes_nothing(
    cast: Cast, case: Case, as_user
):
    victor = as_user(cast.victor)
    before = state(case)
    empty = victor.post(url(case, "pass/"), {})
    assert empty.status == 400
    assert empty.error["fields"] == {"opinion": ["此项为必填项。"], "signer": ["此项为必填项。"]}
    future = victor.post(
        url(case, "pass/"), {"opinion": "同意", "signer": "韦村", "signed_on": "2026-07-01"}
    )
    assert future.status == 400 and future.error["fields"] == {
        "signed_on": ["签署日期不能晚于今天。"]
    }
    wrong = victor.post(url(case, "return/"), {"to_position": 3, "reason": "材料不全"})
    assert wrong.status == 400 and list(wrong.error["fields"]) == ["to_position"]
    too_long = victor.post(url(case, "extend/"), {"days": 9, "reason": "需入户复核"})
    assert too_long.status == 400 and "2" in too_long.error["fields"]["days"][0]
    short = victor.post(url(case, "refuse/"), {"reason": "不", "signer": "韦村"})
    assert short.status == 400 and list(short.error["fields"]) == ["reason"]
    assert victor.post(url(case, "resume/")).status == 400  # not paused
    assert victor.post(url(case, "decision/"), {"decision": 999999}).status == 400
    assert state(case) == before


def test_return_pause_resume_extend_refuse(cast: Cast, case: Case, as_user):
    victor, tom = as_user(cast.victor), as_user(cast.tom)
    victor.post(url(case, "pass/"), {"opinion": "属实", "signer": "韦村"})
    with clock.frozen_at(MONDAY + dt.timedelta(days=4)):
        end_due_notices()
    back = tom.post(url(case, "return/"), {"to_position": 2, "reason": "请补充收入证明"})
    assert back.status == 200 and back.json["step"]["position"] == 2
    assert back.json["records"][-2]["outcome"] == "returned"
    paused = victor.post(url(case, "pause/"), {"reason": "等待医院证明"})
    assert paused.json["state"] == "paused" and paused.json["light"] is None
    resumed = victor.post(url(case, "resume/"))
    assert resumed.json["state"] == "open"
    due = dt.date.fromisoformat(resumed.json["step_due_on"])
    extended = victor.post(url(case, "extend/"), {"days": 2, "reason": "需入户复核"})
    assert dt.date.fromisoformat(extended.json["step_due_on"]) > due
    refused = victor.post(url(case, "refuse/"), {"reason": "家庭收入超过标准", "signer": "韦村"})
    assert refused.json["state"] == "refused" and refused.json["reason"] == "家庭收入超过标准"
    again = victor.post(url(case, "withdraw/"), {"reason": "申请人撤回"})
    assert again.status == 400  # closed


def test_the_village_withdraws_a_case(cast: Cast, case: Case, as_user):
    answer = as_user(cast.victor).post(url(case, "withdraw/"), {"reason": "申请人已外出务工"})
    assert answer.status == 200 and answer.json["state"] == "withdrawn"


def test_a_leader_reads_but_does_not_act(cast: Cast, case: Case, as_user):
    lily = as_user(cast.lily)
    assert lily.get(url(case)).status == 200
    answer = lily.post(url(case, "pause/"), {"reason": "暂停"})
    assert answer.status == 403


def test_the_village_starts_a_case_and_links_its_decision(
    cast: Cast, case: Case, as_user, conforms
):
    from hemei.cases.tests.test_cases import passed_record

    victor = as_user(cast.victor)
    bad = victor.post(LIST, {"village": VILLAGE_A, "item": "Z99", "title": "修路"})
    assert bad.status == 400 and list(bad.error["fields"]) == ["item"]
    no_amount = victor.post(LIST, {"village": VILLAGE_A, "item": "G01", "title": "修路"})
    assert no_amount.status == 400 and list(no_amount.error["fields"]) == ["amount"]
    nobody = victor.post(
        LIST, {"village": VILLAGE_A, "item": "F01", "title": "救助", "household": "H999"}
    )
    assert nobody.status == 400 and list(nobody.error["fields"]) == ["household"]
    assert Case.objects.count() == 1
    started = victor.post(
        LIST, {"village": VILLAGE_A, "item": "G01", "title": "村道硬化", "amount": 60000}
    )
    conforms(started, "/api/v1/cases/", "post")
    assert started.status == 201 and started.json["amount"] == 60000.0
    assert [s["name"] for s in started.json["path"]][:3] == [
        "两委会商议",
        "村务监督委员会知情",
        "四议两公开决议",
    ]
    new = Case.objects.get(pk=started.json["id"])
    victor.post(url(new, "pass/"), {"opinion": "同意", "signer": "韦村"})
    victor.post(url(new, "pass/"), {"opinion": "已知情", "signer": "监委会"})
    gated = victor.post(url(new, "pass/"), {"opinion": "同意", "signer": "韦村"})
    assert gated.status == 400 and "四议两公开" in gated.error["message"]
    record = passed_record(cast)
    linked = victor.post(url(new, "decision/"), {"decision": record.pk})
    assert linked.status == 200 and linked.json["decision_id"] == record.pk
    assert linked.json["decision_approved"] is True
    assert victor.post(url(new, "pass/"), {"opinion": "同意", "signer": "韦村"}).status == 200
    outside = as_user(cast.owen).post(LIST, {"village": VILLAGE_A, "item": "F01", "title": "救助"})
    assert outside.status == 400 and list(outside.error["fields"]) == ["village"]

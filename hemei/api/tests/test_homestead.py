"""Homestead approval through the API: the ledger with the page's filters and its Excel
export, applying (an official for a household, a villager for their own), the detail, and
every write (a flag's answer, an office's opinion, the offices, a site visit, a deviation
corrected), with the guards of the services; the town's visit log. Outside the scope is a
404, bad input a 400 with a Chinese message, and a refused write changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.homestead import selectors, services
from hemei.homestead.models import Application, Deviation, Flag, JointOpinion, SiteVisit
from hemei.homestead.tests.helpers import apply, form, rectangle, setup_village, walk_to
from hemei.households.tests.factories import make_household
from hemei.points.tests.factories import household

pytestmark = pytest.mark.django_db

LIST = "/api/v1/homestead/"
VISITS = "/api/v1/homestead/visits/"
#: after every walk of the helpers (which start on 2026-06-15)
LATER = dt.datetime(2026, 8, 10, 2, 0, tzinfo=dt.UTC)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def home(cast: Cast) -> Any:
    """红花山村 adopted the default catalogue; vera heads household H001."""
    setup_village(cast)
    return household(VILLAGE_A, "H001", "王秀英", user=cast.vera)


@pytest.fixture
def filed(cast: Cast, home: Any) -> Application:
    """vera's household applies to rebuild on the same site: at the group's step."""
    return apply(cast)


@pytest.fixture
def joint(cast: Cast, filed: Application) -> Application:
    """The same application in the town's joint review: the offices' opinions asked."""
    return walk_to(cast, filed, "homestead.joint_review")


def url(application: Application, action: str = "") -> str:
    return f"{LIST}{application.pk}/{action}"


def later() -> Any:
    return clock.frozen_at(LATER)


def written() -> tuple[int, ...]:
    """What a refused write must leave as it was."""
    return (
        Application.objects.count(),
        Flag.objects.exclude(answered_on=None).count(),
        JointOpinion.objects.exclude(signed_on=None).count(),
        JointOpinion.objects.count(),
        SiteVisit.objects.count(),
        Deviation.objects.exclude(corrected_on=None).count(),
        sum(len(a.offices) for a in Application.objects.all()),
    )


def chinese(answer: Any) -> str:
    message = answer.error["message"]
    assert CHINESE.search(message), message
    return message


# --------------------------------------------------------------------------- the ledger


def test_the_ledger_has_the_pages_filters_and_rows(
    cast: Cast, filed: Application, as_user, conforms
):
    moving = apply(
        cast, build_type="move", address="红花山村四组3号", geometry=rectangle(40, 0, 10, 12)
    )
    tom = as_user(cast.tom)
    with later():
        answer = tom.get(LIST)
        conforms(answer, "/api/v1/homestead/", "get")
        assert answer.json["count"] == 2
        row = next(r for r in answer.json["results"] if r["id"] == filed.pk)
        assert row["number"] == filed.case.number and row["village"]["code"] == VILLAGE_A
        assert row["applicant_name"] == "王秀英" and row["build_type"] == "rebuild"
        assert row["site_area"] == 120.0 and row["floors"] == 2 and row["height"] == 7.5
        assert row["state"] == "open" and row["step"]["level"] == "group"
        assert row["open_flags"] == 0 and row["approval_number"] == ""
        moved = next(r for r in answer.json["results"] if r["id"] == moving.pk)
        assert moved["open_flags"] == moving.flags.filter(answered_on=None).count() > 0
        for params, expected in [
            ({"q": "四组"}, [moving.pk]),
            ({"q": filed.case.number}, [filed.pk]),
            ({"build_type": "move"}, [moving.pk]),
            ({"flagged": "true"}, [moving.pk]),
            ({"state": "open"}, [moving.pk, filed.pk]),
            ({"state": "done"}, []),
            ({"approved": "true"}, []),
            ({"year": 2026}, []),
            ({"handback": "late"}, []),
            ({"area": "3702"}, [moving.pk, filed.pk]),
            ({"area": "3703"}, []),
        ]:
            got = [r["id"] for r in tom.get(LIST, params).json["results"]]
            assert got == expected, params
        bad = tom.get(LIST, {"state": "castle", "year": "1999"})
        assert bad.status == 400 and set(bad.error["fields"]) == {"state", "year"}


def test_the_ledger_exports_the_ledgers_columns(cast: Cast, filed: Application, as_user):
    client = as_user(cast.victor)
    with later():
        response = client.client.get(LIST, {"format": "xlsx"}, headers=client.headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    with later():
        headers = [header for header, _value in selectors.ledger_columns()]
    assert list(rows[0][: len(headers)]) == headers and rows[0][0] == "办件编号"
    assert [r[0] for r in rows[1:] if r[0]] == [filed.case.number]


def test_the_ledger_is_village_affairs_and_their_area(cast: Cast, filed: Application, as_user):
    with later():
        assert as_user(cast.owen).get(LIST).json["count"] == 0
        assert as_user(cast.alice).get(LIST).json["count"] == 1
        # the villager reads her own application, not the ledger; department staff nothing
        assert as_user(cast.vera).get(LIST).status == 403
        assert as_user(cast.dan).get(LIST).status == 403
        assert as_user(cast.nora).get(LIST).status == 403


# --------------------------------------------------------------------------- applying


def body(**extra: Any) -> dict[str, Any]:
    data = {
        "village": VILLAGE_A,
        "build_type": "rebuild",
        "reason": "旧房年久失修，拆除后原址翻建",
        "address": "红花山村二组8号",
        "east": "王家",
        "south": "村道",
        "terrain": "plain",
        "land_type": "construction",
        "site_area": 120,
        "footprint": 100,
        "floor_area": "200.5",
        "floors": 2,
        "height": 7.5,
        "disposal": "keep",
        "geometry": rectangle(80, 0, 10, 12),
        "neighbours": [
            {"side": "east", "name": "王大", "agrees": True},
            {"side": "south", "name": "村委", "agrees": None, "opinion": "待签"},
        ],
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def test_an_official_applies_for_a_household(cast: Cast, home: Any, as_user, conforms):
    with later():
        make_household(cast.victor, Division.objects.get(code=VILLAGE_A), "002")
        answer = as_user(cast.victor).post(LIST, body(household="002"))
    conforms(answer, "/api/v1/homestead/", "post")
    assert answer.status == 201, answer
    data = answer.json
    application = Application.objects.get(pk=data["id"])
    assert data["case_id"] == data["id"] == application.case_id
    assert data["household"] == "002" and data["applicant_name"] == "王建国002"
    assert data["floor_area"] == 200.5 and data["measured_area"] == pytest.approx(120, abs=1)
    assert data["geometry"]["type"] == "Polygon"
    assert data["neighbours"] == [
        {"side": "east", "name": "王大", "agrees": True, "opinion": ""},
        {"side": "south", "name": "村委", "agrees": None, "opinion": "待签"},
    ]
    assert [m["name"] for m in data["members"]] == ["王建国002", "李秀兰002", "王磊002"]
    # identity numbers as the form stores them: masked
    assert all("*" in m["id_number"] and len(m["id_number"]) == 18 for m in data["members"])
    assert data["state"] == "open" and data["step"]["level"] == "group"
    assert [d["slug"] for d in data["documents"]] == ["application"]
    assert data["documents"][0]["url"] == f"/homestead/{application.pk}/documents/application/"


def test_a_villager_applies_for_her_own_household_only(cast: Cast, home: Any, as_user):
    vera = as_user(cast.vera)
    with later():
        answer = vera.post(LIST, body())
        assert answer.status == 201, answer
        assert answer.json["household"] == "H001"
        # her own application is open to her; another household's is not hers to file
        assert vera.get(url(Application.objects.get(pk=answer.json["id"]))).status == 200
        make_household(cast.victor, Division.objects.get(code=VILLAGE_A), "002")
        before = written()
        refused = vera.post(LIST, body(household="002"))
        assert refused.status in (400, 403) and written() == before
        chinese(refused)


def test_bad_applications_are_400_in_chinese_and_change_nothing(cast: Cast, home: Any, as_user):
    victor, owen = as_user(cast.victor), as_user(cast.owen)
    crossing = {
        "type": "Polygon",
        "coordinates": [
            [
                [120.45, 36.39],
                [120.4502, 36.3902],
                [120.4502, 36.39],
                [120.45, 36.3902],
                [120.45, 36.39],
            ]
        ],
    }
    with later():
        before = written()
        for bad, field in [
            (body(build_type="castle"), "build_type"),
            (body(floors=12), "floors"),
            (body(site_area="一百"), "site_area"),
            (body(reason=None), "reason"),
            (body(colour="red"), "colour"),
            (body(village="370215"), "village"),  # a county is no village
            (body(footprint=130), "footprint"),  # larger than the homestead (the service's)
            (body(geometry=crossing), "geometry"),
            (body(geometry={"type": "Point", "coordinates": "x"}), "geometry"),
            (body(neighbours=[{"side": "up", "name": "甲"}]), "neighbours.0.side"),
            (body(household="999"), "household"),
        ]:
            answer = victor.post(LIST, bad)
            assert answer.status == 400, (bad, answer)
            assert field in answer.error["fields"], (field, answer.error)
            assert all(CHINESE.search(m) for m in answer.error["fields"][field]), answer.error
        assert "自相交" in str(victor.post(LIST, body(geometry=crossing)).error)
        # a village outside the caller's area reads like a missing one
        answer = owen.post(LIST, body())
        assert answer.status == 400 and "village" in answer.error["fields"]
        # a leader neither starts cases nor has a household here: not hers to file
        assert as_user(cast.lily).post(LIST, body(household="H001")).status == 403
        assert written() == before


# --------------------------------------------------------------------------- the detail


def test_the_detail_shows_the_application_and_what_happened_to_it(
    cast: Cast, joint: Application, as_user, conforms
):
    tom = as_user(cast.tom)
    with later():
        answer = tom.post(
            url(joint, "visits/"),
            {
                "stage": "selection",
                "visited_on": "2026-08-08",
                "officials": "唐涛、国土所张工",
                "neighbours": ["east", "west"],
                "site_area": 121.5,
                "note": "四至清楚",
                "deviations": [{"kind": "other", "text": "需退让村道", "correct_by": "2026-08-30"}],
            },
        )
        assert answer.status == 201, answer
        answer = tom.get(url(joint))
    conforms(answer, "/api/v1/homestead/{pk}/", "get")
    data = answer.json
    assert data["id"] == joint.pk and data["case_id"] == joint.case_id
    assert data["step"]["name"] and data["state"] == "open"
    assert {o["office"] for o in data["opinions"]} == {"agriculture", "resources"}
    assert all(o["signed_on"] is None and o["round"] == 1 for o in data["opinions"])
    assert all(o["light"] in ("green", "yellow", "red") for o in data["opinions"])
    visit = data["visits"][0]
    assert visit["stage"] == "selection" and visit["neighbours"] == ["east", "west"]
    assert visit["site_area"] == 121.5 and visit["photos"] == []
    assert visit["deviations"][0]["open"] is True and visit["deviations"][0]["kind"] == "other"
    assert data["stop_work"] is True
    assert {d["slug"] for d in data["documents"]} == {"application", "approval-form"}


def test_the_detail_is_the_applicants_and_village_affairs(cast: Cast, filed: Application, as_user):
    with later():
        village = Division.objects.get(code=VILLAGE_A)
        other = services.apply(
            actor=cast.victor,
            village=village,
            data=form(),
            household=make_household(cast.victor, village, "002"),
            geometry=rectangle(40, 0, 10, 12),
        )
        for user in (cast.alice, cast.lily, cast.tom, cast.victor, cast.vera):
            assert as_user(user).get(url(filed)).status == 200
        # vera reads her household's application, not her neighbour's
        assert as_user(cast.vera).get(url(other)).status == 404
        assert as_user(cast.owen).get(url(filed)).status == 404
        assert as_user(cast.dan).get(url(filed)).status == 403
        assert as_user(cast.tom).get(f"{LIST}999999/").status == 404


# --------------------------------------------------------------------------- flags


def test_a_flag_is_answered_once_by_the_village_or_the_town(cast: Cast, home: Any, as_user):
    moving = apply(cast, build_type="move", geometry=rectangle(40, 0, 10, 12))
    flag = moving.flags.get(kind="handback")
    target = url(moving, f"flags/{flag.pk}/answer/")
    with later():
        before = written()
        assert as_user(cast.owen).post(target, {"answer": "已核实", "signer": "欧文"}).status == 404
        assert as_user(cast.vera).post(target, {"answer": "已核实", "signer": "韦拉"}).status == 403
        short = as_user(cast.victor).post(target, {"answer": "好", "signer": "魏村"})
        assert short.status == 400 and "answer" in short.error["fields"]
        chinese(short)
        assert written() == before
        answer = as_user(cast.victor).post(
            target, {"answer": "已签订退出原宅基地承诺书", "signer": "魏村"}
        )
        assert answer.status == 200, answer
        row = next(f for f in answer.json["flags"] if f["id"] == flag.pk)
        assert row["answered"] is True and row["answerer_name"] == "魏村"
        assert row["answered_on"] == "2026-08-10" and row["kind"] == "handback"
        again = as_user(cast.tom).post(target, {"answer": "再次答复一下", "signer": "唐涛"})
        assert again.status == 400
        chinese(again)
        # a flag of another application is not found under this one
        other = apply(cast, geometry=rectangle(80, 0, 10, 12))
        assert (
            as_user(cast.victor)
            .post(
                url(other, f"flags/{flag.pk}/answer/"), {"answer": "已核实情况", "signer": "魏村"}
            )
            .status
            == 404
        )


# --------------------------------------------------------------------------- joint review


def test_an_office_gives_its_opinion_in_the_joint_review(
    cast: Cast, joint: Application, as_user, conforms
):
    opinion = joint.opinions.get(office="agriculture")
    target = url(joint, f"opinions/{opinion.pk}/")
    good = {"agrees": True, "opinion": "符合村庄规划", "signer": "农业农村办李", "sealed": True}
    with later():
        before = written()
        assert as_user(cast.owen).post(target, good).status == 404
        assert as_user(cast.victor).post(target, good).status == 403  # the town's offices
        assert as_user(cast.vera).post(target, good).status == 403
        future = as_user(cast.tom).post(target, {**good, "signed_on": "2026-09-01"})
        assert future.status == 400 and "signed_on" in future.error["fields"]
        assert as_user(cast.tom).post(target, {"agrees": "yes"}).status == 400
        assert written() == before
        answer = as_user(cast.tom).post(target, good)
        conforms(answer, "/api/v1/homestead/{pk}/opinions/{opinion_pk}/", "post")
        assert answer.status == 200
        row = next(o for o in answer.json["opinions"] if o["id"] == opinion.pk)
        assert row["agrees"] is True and row["sealed"] and row["signed_on"] == "2026-08-10"
        assert row["light"] is None  # its clock stopped
        again = as_user(cast.tom).post(target, good)
        assert again.status == 400
        chinese(again)


def test_the_town_chooses_the_offices_and_a_new_one_is_asked_at_once(
    cast: Cast, joint: Application, as_user
):
    target = url(joint, "offices/")
    with later():
        before = written()
        assert as_user(cast.owen).post(target, {"offices": ["water"]}).status == 404
        assert as_user(cast.victor).post(target, {"offices": ["water"]}).status == 403
        bad = as_user(cast.tom).post(target, {"offices": ["castle"]})
        assert bad.status == 400 and "offices.0" in bad.error["fields"]
        assert written() == before
        answer = as_user(cast.tom).post(target, {"offices": ["water", "power"]})
    assert answer.status == 200
    assert answer.json["offices"] == ["power", "water"]
    assert {o["office"] for o in answer.json["opinions"]} == {
        "agriculture",
        "resources",
        "water",
        "power",
    }


def test_opinions_are_given_only_in_the_joint_review(cast: Cast, filed: Application, as_user):
    # nothing asked yet: no opinion to give; the offices can still be chosen beforehand
    with later():
        assert (
            as_user(cast.tom)
            .post(url(filed, "opinions/1/"), {"agrees": True, "opinion": "同意", "signer": "唐"})
            .status
            == 404
        )
        answer = as_user(cast.tom).post(url(filed, "offices/"), {"offices": ["forestry"]})
    assert answer.status == 200 and answer.json["opinions"] == []


# --------------------------------------------------------------------------- site visits


def test_site_visits_without_photos_and_their_guards(cast: Cast, joint: Application, as_user):
    tom = as_user(cast.tom)
    target = url(joint, "visits/")
    visit = {"stage": "selection", "visited_on": "2026-08-10", "officials": "唐涛"}
    with later():
        before = written()
        assert as_user(cast.owen).post(target, visit).status == 404
        assert as_user(cast.victor).post(target, visit).status == 403
        assert as_user(cast.vera).post(target, visit).status == 403
        for bad, field in [
            ({**visit, "visited_on": "2026-08-11"}, "visited_on"),  # in the future
            ({**visit, "stage": "staking"}, "stage"),  # before the approval
            ({**visit, "stage": "flying"}, "stage"),
            ({**visit, "officials": ""}, "officials"),
            ({**visit, "neighbours": ["up"]}, "neighbours.0"),
            (
                {
                    **visit,
                    "deviations": [{"kind": "other", "text": "x", "correct_by": "2026-08-01"}],
                },
                "deviations",
            ),
        ]:
            answer = tom.post(target, bad)
            assert answer.status == 400, (bad, answer)
            assert field in answer.error["fields"], (field, answer.error)
            chinese(answer)
        assert written() == before
        answer = tom.post(target, visit)
    assert answer.status == 201
    assert [v["stage"] for v in answer.json["visits"]] == ["selection"]
    assert answer.json["stop_work"] is False


def test_staking_and_completion_need_photos_which_the_api_does_not_take(
    cast: Cast, filed: Application, as_user
):
    application = walk_to(cast, filed, "homestead.construction")
    tom = as_user(cast.tom)
    target = url(application, "visits/")
    with later():
        before = written()
        staking = tom.post(
            target,
            {
                "stage": "staking",
                "visited_on": "2026-08-10",
                "officials": "唐涛",
                "neighbours": ["east", "south", "west", "north"],
            },
        )
        assert staking.status == 400 and "photos" in staking.error["fields"]
        chinese(staking)
        completion = tom.post(
            target,
            {
                "stage": "completion",
                "visited_on": "2026-08-10",
                "officials": "唐涛",
                "site_area": 120,
                "footprint": 100,
                "floors": 2,
                "height": 7.5,
            },
        )
        assert completion.status == 400 and "photos" in completion.error["fields"]
        assert written() == before
        answer = tom.post(
            target,
            {
                "stage": "construction",
                "visited_on": "2026-08-10",
                "officials": "唐涛",
                "floors": 1,
                "note": "超出放样线",
                "deviations": [
                    {"kind": "over_line", "text": "东侧超红线0.5米", "correct_by": "2026-08-20"}
                ],
            },
        )
    assert answer.status == 201, answer
    stages = [v["stage"] for v in answer.json["visits"]]
    assert stages == ["staking", "construction"]
    # the staking visit of the pages has its photo: names and checks, never the bytes
    photo = answer.json["visits"][0]["photos"][0]
    assert photo["name"].endswith(".jpg") and photo["url"].startswith(f"/homestead/{filed.pk}/")
    assert isinstance(photo["warnings"], list)
    assert answer.json["stop_work"] is True


def test_a_deviation_is_corrected_by_the_town(cast: Cast, joint: Application, as_user):
    tom = as_user(cast.tom)
    with later():
        tom.post(
            url(joint, "visits/"),
            {
                "stage": "selection",
                "visited_on": "2026-08-05",
                "officials": "唐涛",
                "deviations": [{"kind": "other", "text": "需退让村道", "correct_by": "2026-08-30"}],
            },
        )
        deviation = Deviation.objects.get(visit__application=joint)
        target = url(joint, f"deviations/{deviation.pk}/correct/")
        before = written()
        assert as_user(cast.owen).post(target, {"answer": "已退让到位"}).status == 404
        assert as_user(cast.victor).post(target, {"answer": "已退让到位"}).status == 403
        for bad, field in [
            ({"answer": "好"}, "answer"),
            ({"answer": "已退让到位", "corrected_on": "2026-08-01"}, "corrected_on"),
            ({"answer": "已退让到位", "corrected_on": "2026-08-11"}, "corrected_on"),
        ]:
            answer = tom.post(target, bad)
            assert answer.status == 400 and field in answer.error["fields"], (bad, answer)
        assert written() == before
        answer = tom.post(target, {"answer": "已退让到位", "corrected_on": "2026-08-09"})
        assert answer.status == 200
        row = answer.json["visits"][0]["deviations"][0]
        assert row["open"] is False and row["corrected_on"] == "2026-08-09"
        assert answer.json["stop_work"] is False
        again = tom.post(target, {"answer": "再次整改完毕"})
        assert again.status == 400
        chinese(again)
        assert (
            tom.post(f"{LIST}{joint.pk}/deviations/999999/correct/", {"answer": "已整改"}).status
            == 404
        )


# --------------------------------------------------------------------------- the visit log


def test_the_visit_log_lists_the_areas_visits_with_filters_and_export(
    cast: Cast, filed: Application, as_user, conforms
):
    application = walk_to(cast, filed, "homestead.construction")  # a staking visit on the way
    tom = as_user(cast.tom)
    with later():
        tom.post(
            url(application, "visits/"),
            {"stage": "construction", "visited_on": "2026-08-07", "officials": "唐涛"},
        )
        answer = tom.get(VISITS)
        conforms(answer, "/api/v1/homestead/visits/", "get")
        assert [v["stage"] for v in answer.json["results"]] == ["construction", "staking"]
        row = answer.json["results"][1]
        assert row["application"]["id"] == filed.pk and row["application"]["number"]
        assert len(row["photos"]) == 1
        staked_on = row["visited_on"]
        for params, expected in [
            ({"stage": "staking"}, ["staking"]),
            ({"from": "2026-08-01"}, ["construction"]),
            ({"to": staked_on}, ["staking"]),
            ({"area": VILLAGE_A}, ["construction", "staking"]),
            ({"area": "3703"}, []),
        ]:
            got = [v["stage"] for v in tom.get(VISITS, params).json["results"]]
            assert got == expected, params
        assert tom.get(VISITS, {"from": "8/1"}).status == 400
        assert as_user(cast.owen).get(VISITS).json["count"] == 0
        assert as_user(cast.vera).get(VISITS).status == 403
        assert as_user(cast.dan).get(VISITS).status == 403
        response = tom.client.get(VISITS, {"format": "xlsx"}, headers=tom.headers)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "办件编号" and CHINESE.search(str(rows[0][4]))
    assert [r[0] for r in rows[1:] if r[0]] == [filed.case.number] * 2


def test_the_lists_do_not_grow_with_the_page(cast: Cast, filed: Application, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    applications = [filed] + [
        apply(cast, address=f"红花山村五组{n}号", geometry=rectangle(40 * n, 40, 10, 12))
        for n in range(1, 4)
    ]
    with later():
        for application in applications:
            services.record_visit(
                actor=cast.tom,
                application=application,
                stage="selection",
                visited_on=dt.date(2026, 8, 3),
                officials="唐涛",
                deviations=[{"kind": "other", "text": "需退让", "correct_by": dt.date(2026, 9, 1)}],
            )
        tom = as_user(cast.tom)
        tom.get(LIST)  # the first call notes the token's use

        def queries(path: str, size: int) -> int:
            with CaptureQueriesContext(connection) as captured:
                answer = tom.get(path, {"page_size": size})
            assert answer.status == 200 and len(answer.json["results"]) == min(size, 4)
            return len(captured)

        for path in (LIST, VISITS):
            assert queries(path, 1) == queries(path, 100) <= 10, path


GEOJSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.fixed_dictionaries(
            {"type": st.sampled_from(["Polygon", "MultiPolygon", "Feature", "Point", "x"])},
            optional={"coordinates": inner, "geometry": inner, "features": inner, "crs": inner},
        )
    ),
    max_leaves=20,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_odd_bodies_never_answer_500(cast: Cast, joint: Application, as_user, data) -> None:
    tom = as_user(cast.tom)
    target, valid = data.draw(
        st.sampled_from(
            [
                (LIST, body()),
                (
                    url(joint, "visits/"),
                    {"stage": "selection", "visited_on": "2026-08-10", "officials": "唐涛"},
                ),
            ]
        )
    )
    extra = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "geometry": GEOJSON,
                "neighbours": st.lists(
                    st.dictionaries(st.sampled_from(["side", "name", "agrees"]), GEOJSON),
                    max_size=3,
                ),
                "deviations": st.lists(
                    st.dictionaries(st.sampled_from(["kind", "text", "correct_by"]), GEOJSON),
                    max_size=2,
                ),
                "floors": st.integers(-2, 12),
                "site_area": st.one_of(st.floats(), st.text(max_size=5)),
            },
        )
    )
    with later():
        answer = tom.post(target, {**valid, **extra})
    assert answer.status in (200, 201, 400), answer
    if answer.status == 400:
        assert answer.error["message"]

"""Any JSON at all, sent to the write endpoints, answers 2xx or a 4xx JSON error, never a
500 (Hypothesis draws the bodies; the schema layer is also driven directly)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from hemei.api.engine import from_ninja_errors
from hemei.api.v1 import (
    cases,
    decisions,
    disclosure,
    links,
    meetings,
    notices,
    notifications,
    progress,
    rankings,
    supervision,
    tasks,
)
from hemei.core.testing import VILLAGE_A, Cast

from .conftest import World

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["2026-06-30", "2026-02-30", "370215", "370215100", "green", "county", "1"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def bodies(obj: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects using the declared field names (so checks go deeper) with any values."""
    declared = list(obj.model_fields)
    names = st.sampled_from([*declared, "unknown"])
    return st.dictionaries(names, values, max_size=len(declared) + 1)


DECLARED = [
    links.LeaderLinkCreate,
    rankings.RankingCompute,
    notifications.MarkRead,
    tasks.TaskCreate,
    tasks.TaskUpdate,
    tasks.FanOut,
    meetings.MeetingCreate,
    progress.ProgressReportCreate,
    progress.ProgressReportUpdate,
    supervision.SupervisionOrderCreate,
    supervision.OrderReplyCreate,
    supervision.OrderClose,
    supervision.OrderSendBack,
    supervision.ExtensionRequestCreate,
    supervision.ExtensionDecision,
    supervision.LadderSave,
    decisions.DecisionRecordCreate,
    decisions.DecisionMeetingCreate,
    decisions.DecisionPublish,
    cases.CaseStart,
    cases.CasePass,
    cases.CaseReturn,
    cases.CaseRefuse,
    cases.CaseReason,
    cases.CaseExtend,
    cases.CaseDecision,
]


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_bodies_only_ever_raise_validation_errors(cast: Cast, data: st.DataObject) -> None:
    obj = data.draw(st.sampled_from(DECLARED))
    body = data.draw(st.one_of(bodies(obj), values))
    request = RequestFactory().post("/")
    request.user = cast.alice
    try:
        obj.model_validate(body, context={"request": request})
    except ValidationError as exc:  # read as the engine reads a body's errors
        error = from_ninja_errors(
            [{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors()]
        )
        assert error.fields and all(isinstance(m, str) for ms in error.fields.values() for m in ms)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_write_endpoints_never_answer_500(
    cast: Cast, world: World, as_user: Any, data: st.DataObject
) -> None:
    # Each target with a valid body the drawn fields are laid over, so that some bodies
    # pass the schema and reach the services (and the database constraints).
    targets = [
        (
            "POST",
            "/api/v1/tasks/",
            tasks.TaskCreate,
            {"division": "370215100", "title": "任务", "due_on": "2026-12-31"},
        ),
        ("PATCH", f"/api/v1/tasks/{world.part_a.pk}/", tasks.TaskUpdate, {}),
        ("POST", f"/api/v1/tasks/{world.part_a.pk}/fan-out/", tasks.FanOut, {"level": 5}),
        (
            "POST",
            "/api/v1/meetings/",
            meetings.MeetingCreate,
            {"name": "会", "held_on": "2026-03-01", "level": "town", "division": "370215100"},
        ),
        (
            "POST",
            f"/api/v1/tasks/{world.part_a.pk}/reports/",
            progress.ProgressReportCreate,
            {"percent": 10, "text": "进展"},
        ),
        (
            "POST",
            f"/api/v1/tasks/{world.part_a.pk}/extensions/",
            supervision.ExtensionRequestCreate,
            {"requested_due": "2026-12-31", "reason": "延期"},
        ),
        ("POST", "/api/v1/notifications/read/", notifications.MarkRead, {"all": True}),
    ]
    method, url, obj, valid = data.draw(st.sampled_from(targets))
    body = {**valid, **data.draw(bodies(obj))}
    raw = json.dumps(body, allow_nan=True).encode()
    answer = as_user(cast.tom).send(method, url, raw=raw)
    assert answer.status < 500, (method, url, body, answer)
    if answer.status >= 400:
        assert answer.error["code"] and answer.error["message"]


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_administrators_writes_never_answer_500(
    cast: Cast, world: World, as_user: Any, data: st.DataObject
) -> None:
    # The writes only a supervisor or an administrator reaches: issue an order, replace
    # the ladder (the steps drawn from valid ones too, so the service's checks run),
    # compute a ranking, link a leader.
    step = st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["reminder", "yellow_card", "red_card", "supervision_order"]),
            "days": st.integers(min_value=-400, max_value=400),
        },
        optional={"reply_days": st.integers(min_value=-1, max_value=100)},
    )
    targets = [
        (
            "POST",
            f"/api/v1/tasks/{world.part_a.pk}/orders/",
            supervision.SupervisionOrderCreate,
            {"text": "说明", "reply_due": "2099-01-01"},
        ),
        (
            "PUT",
            "/api/v1/supervision/ladders/370215/",
            supervision.LadderSave,
            {"steps": data.draw(st.lists(step, max_size=5))},
        ),
        (
            "POST",
            "/api/v1/rankings/",
            rankings.RankingCompute,
            {"scope": "370215", "period_kind": "month", "period_start": "2026-06-01"},
        ),
        (
            "POST",
            "/api/v1/leader-links/",
            links.LeaderLinkCreate,
            {"leader": cast.lily.pk, "kind": "village", "division": "370215100214"},
        ),
    ]
    method, url, obj, valid = data.draw(st.sampled_from(targets))
    body = {**valid, **data.draw(st.one_of(st.just({}), bodies(obj)))}
    raw = json.dumps(body, allow_nan=True).encode()
    answer = as_user(cast.alice).send(method, url, raw=raw)
    assert answer.status < 500, (method, url, body, answer)
    if answer.status >= 400:
        assert answer.error["code"] and answer.error["message"]


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_village_procedure_writes_never_answer_500(
    cast: Cast, as_user: Any, settings: Any, tmp_path: Any, data: st.DataObject
) -> None:
    # A case at the village's step and a decision record at its first meeting, acted on by
    # the village's official with bodies laid over valid ones (some reach the services).
    import datetime as dt

    from hemei.cases import services as case_services
    from hemei.cases.models import Case
    from hemei.catalogue.samples import adopted_catalogue
    from hemei.core import clock
    from hemei.divisions.models import Division
    from hemei.procedures import services as procedures
    from hemei.procedures.models import DecisionProcess, DecisionRecord

    settings.MEDIA_ROOT = str(tmp_path)
    with clock.frozen_at(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)):
        village = Division.objects.get(code=VILLAGE_A)
        if not Case.objects.exists():
            adopted_catalogue(cast.alice, VILLAGE_A)
            case_services.start_case(
                actor=cast.victor, village=village, item_code="G01", title="村道", amount=60000
            )
            procedures.create_record(
                actor=cast.victor,
                village=village,
                title="鱼塘发包",
                process=DecisionProcess.objects.get(division=None),
            )
        case = Case.objects.first()
        record = DecisionRecord.objects.first()
        base = f"/api/v1/cases/{case.pk}/"
        targets = [
            (
                "/api/v1/cases/",
                cases.CaseStart,
                {"village": VILLAGE_A, "item": "G01", "title": "修路", "amount": 5000},
            ),
            (f"{base}pass/", cases.CasePass, {"opinion": "同意", "signer": "魏村"}),
            (f"{base}return/", cases.CaseReturn, {"to_position": 1, "reason": "补正"}),
            (f"{base}refuse/", cases.CaseRefuse, {"reason": "不符合条件", "signer": "魏村"}),
            (f"{base}withdraw/", cases.CaseReason, {"reason": "撤回"}),
            (f"{base}pause/", cases.CaseReason, {"reason": "等待"}),
            (f"{base}resume/", cases.CaseReason, {}),
            (f"{base}extend/", cases.CaseExtend, {"days": 1, "reason": "复核"}),
            (f"{base}decision/", cases.CaseDecision, {"decision": record.pk}),
            (
                "/api/v1/decision-records/",
                decisions.DecisionRecordCreate,
                {"village": VILLAGE_A, "title": "事项", "process": record.process_id},
            ),
            (
                f"/api/v1/decision-records/{record.pk}/meetings/",
                decisions.DecisionMeetingCreate,
                {
                    "held_on": "2026-06-01",
                    "entitled": 7,
                    "present": 7,
                    "votes_for": 5,
                    "against": 1,
                    "abstain": 1,
                },
            ),
            (
                f"/api/v1/decision-records/{record.pk}/publish/",
                decisions.DecisionPublish,
                {"published_on": "2026-06-10", "text": "决议"},
            ),
        ]
        url, obj, valid = data.draw(st.sampled_from(targets))
        body = {**valid, **data.draw(st.one_of(st.just({}), bodies(obj)))}
        raw = json.dumps(body, allow_nan=True).encode()
        answer = as_user(cast.victor).send("POST", url, raw=raw)
    assert answer.status < 500, (url, body, answer)
    if answer.status >= 400:
        assert answer.error["code"] and answer.error["message"]


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_notice_and_disclosure_writes_never_answer_500(
    cast: Cast, as_user: Any, settings: Any, tmp_path: Any, data: st.DataObject
) -> None:
    # A running notice of 红花山村 with vera's objection, and the village following the
    # disclosure catalogue with an event disclosure due: posted, objected to, answered,
    # withdrawn, published and recorded by the village's official with bodies laid over
    # valid ones (some reach the services and the personal-data guards).
    import datetime as dt

    from hemei.core import clock
    from hemei.disclosure import services as disclosures
    from hemei.disclosure.models import Disclosure
    from hemei.disclosure.tests.conftest import START, load_defaults
    from hemei.divisions.models import Division
    from hemei.notices import services as notice_services
    from hemei.notices.models import Notice, NoticeObjection

    settings.MEDIA_ROOT = str(tmp_path)
    with clock.frozen_at(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)):
        village = Division.objects.get(code=VILLAGE_A)
        if not Notice.objects.exists():
            posted = notice_services.post_notice(
                actor=cast.victor, village=village, title="土地流转公示", days=7
            )
            notice_services.raise_objection(actor=cast.vera, notice=posted, reason="面积有误")
            load_defaults(cast.alice)
            disclosures.adopt(actor=cast.tom, village=village, since=START)
            disclosures.record_event(
                village=village,
                item_key="project.major",
                happened_on=dt.date(2026, 6, 12),
                title="村道硬化",
            )
        notice = Notice.objects.order_by("id").first()
        objection = NoticeObjection.objects.order_by("id").first()
        owed = Disclosure.objects.order_by("id").first()
        targets = [
            (
                "/api/v1/notices/",
                notices.NoticeCreate,
                {"village": VILLAGE_A, "title": "停水通知", "days": 3},
            ),
            (
                f"/api/v1/notices/{notice.pk}/objections/",
                notices.NoticeObjectionCreate,
                {"reason": "有误"},
            ),
            (
                f"/api/v1/notice-objections/{objection.pk}/answer/",
                notices.NoticeObjectionAnswer,
                {"upheld": False, "answer": "无误"},
            ),
            (
                f"/api/v1/notices/{notice.pk}/withdraw/",
                notices.NoticeWithdraw,
                {"reason": "重发"},
            ),
            (
                f"/api/v1/disclosures/{owed.pk}/publish/",
                disclosure.DisclosurePublish,
                {"published_on": "2026-06-15", "text": "已完工"},
            ),
            (
                "/api/v1/disclosure-events/",
                disclosure.DisclosureEvent,
                {
                    "village": VILLAGE_A,
                    "item_key": "project.major",
                    "happened_on": "2026-06-14",
                    "title": "新修水渠",
                },
            ),
        ]
        url, obj, valid = data.draw(st.sampled_from(targets))
        body = {**valid, **data.draw(st.one_of(st.just({}), bodies(obj)))}
        raw = json.dumps(body, allow_nan=True).encode()
        answer = as_user(cast.victor).send("POST", url, raw=raw)
    assert answer.status < 500, (url, body, answer)
    if answer.status >= 400:
        assert answer.error["code"] and answer.error["message"]

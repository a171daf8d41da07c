"""Any JSON at all, sent to the write endpoints, answers 2xx or a 4xx JSON error, never a
500 (Hypothesis draws the bodies; the schema layer is also driven directly)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hemei.api import schema as s
from hemei.api.v1 import links, meetings, notifications, progress, rankings, supervision, tasks
from hemei.core.testing import Cast

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


def bodies(obj: s.Obj) -> st.SearchStrategy[dict[str, Any]]:
    """Objects using the declared field names (so checks go deeper) with any values."""
    names = st.sampled_from([*obj.properties, "unknown"])
    return st.dictionaries(names, values, max_size=len(obj.properties) + 1)


DECLARED = [
    tasks.TASK_CREATE,
    tasks.TASK_UPDATE,
    tasks.FAN_OUT,
    meetings.MEETING_CREATE,
    progress.REPORT_CREATE,
    progress.REPORT_UPDATE,
    rankings.COMPUTE,
    supervision.ORDER_CREATE,
    supervision.ORDER_REPLY,
    supervision.ORDER_CLOSE,
    supervision.ORDER_SEND_BACK,
    supervision.EXTENSION_CREATE,
    supervision.EXTENSION_DECIDE,
    supervision.LADDER_SAVE,
    notifications.MARK_READ,
    links.LINK_CREATE,
]


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_schema_layer_only_ever_raises_invalid(cast: Cast, data: st.DataObject) -> None:
    obj = data.draw(st.sampled_from(DECLARED))
    body = data.draw(st.one_of(bodies(obj), values))
    try:
        obj.parse(body, "", s.Context(user=cast.alice))
    except s.Invalid as exc:
        assert exc.fields and all(isinstance(m, str) for ms in exc.fields.values() for m in ms)


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
            tasks.TASK_CREATE,
            {"division": "370215100", "title": "任务", "due_on": "2026-12-31"},
        ),
        ("PATCH", f"/api/v1/tasks/{world.part_a.pk}/", tasks.TASK_UPDATE, {}),
        ("POST", f"/api/v1/tasks/{world.part_a.pk}/fan-out/", tasks.FAN_OUT, {"level": 5}),
        (
            "POST",
            "/api/v1/meetings/",
            meetings.MEETING_CREATE,
            {"name": "会", "held_on": "2026-03-01", "level": "town", "division": "370215100"},
        ),
        (
            "POST",
            f"/api/v1/tasks/{world.part_a.pk}/reports/",
            progress.REPORT_CREATE,
            {"percent": 10, "text": "进展"},
        ),
        (
            "POST",
            f"/api/v1/tasks/{world.part_a.pk}/extensions/",
            supervision.EXTENSION_CREATE,
            {"requested_due": "2026-12-31", "reason": "延期"},
        ),
        ("POST", "/api/v1/notifications/read/", notifications.MARK_READ, {"all": True}),
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
    # the ladder (the steps drawn from valid ones too, so the service's checks run), link
    # a leader.
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
            supervision.ORDER_CREATE,
            {"text": "说明", "reply_due": "2099-01-01"},
        ),
        (
            "PUT",
            "/api/v1/supervision/ladders/370215/",
            supervision.LADDER_SAVE,
            {"steps": data.draw(st.lists(step, max_size=5))},
        ),
        (
            "POST",
            "/api/v1/leader-links/",
            links.LINK_CREATE,
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

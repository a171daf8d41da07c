"""It starts from the official's
own town, and decisions written without numbers are numbered in order."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.core.testing import TOWN_A, Cast
from hemei.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_a_town_officials_new_meeting_starts_from_the_town(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    form = client.get("/meetings/new/").context["form"]
    assert form.initial["division"] == TOWN_A
    assert form.initial["level"] == "town"


def test_decisions_without_numbers_are_numbered_in_order(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    response = client.post(
        "/meetings/new/",
        {
            "name": "田横镇人居环境整治推进会",
            "held_on": "2026-11-19",
            "level": "town",
            "division": TOWN_A,
            "decisions-TOTAL_FORMS": "3",
            "decisions-INITIAL_FORMS": "0",
            "decisions-0-text": "持续开展村庄清洁行动。",
            "decisions-1-number": "5",
            "decisions-1-text": "加快农村户厕改造提升。",
            "decisions-2-text": "压紧压实工作责任。",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(name="田横镇人居环境整治推进会")
    assert sorted((d.number, d.text[:4]) for d in meeting.decisions.all()) == [
        (5, "加快农村"),
        (6, "持续开展"),
        (7, "压紧压实"),
    ]


def test_the_form_says_blank_numbers_are_given_in_order(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    page = client.get("/meetings/new/").content.decode()
    assert "序号留空的决策事项按顺序自动编号" in page and 'placeholder="自动"' in page


def test_a_decisions_fanned_out_task_is_listed_once(cast: Cast, client: Client) -> None:
    import datetime as dt

    from hemei.core.testing import COUNTY, TOWN_B
    from hemei.divisions.models import Division
    from hemei.meetings import services
    from hemei.meetings.services import DecisionRow
    from hemei.tasks import services as task_services

    meeting = services.create_meeting(
        actor=cast.alice,
        division=Division.objects.get(code=COUNTY),
        name="全区农村工作会议",
        held_on=dt.date(2026, 2, 26),
        level="county",
        decisions=[DecisionRow(number=1, text="完成农村户厕改造。")],
    )
    decision = meeting.decisions.get()
    task = task_services.create_task(
        actor=cast.alice,
        division=Division.objects.get(code=COUNTY),
        title="农村户厕改造",
        due_on=dt.date(2026, 12, 31),
        meeting=meeting,
        decision=decision,
    )
    task_services.fan_out(actor=cast.alice, task=task, codes=[TOWN_A, TOWN_B])
    client.force_login(cast.alice)
    response = client.get(f"/meetings/{meeting.pk}/")
    (shown,) = response.context["decisions"]
    assert [t.pk for t in shown.shown] == [task.pk] and shown.parts == 2
    assert "另有 2 项分解任务" in response.content.decode()

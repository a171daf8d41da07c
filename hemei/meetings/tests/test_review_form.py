"""Found by using the meeting form as a town official would: it starts from the official's
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

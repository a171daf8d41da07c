"""Honours and rankings: stars by the village's bands, red and black lists, village ranking;
the worker step that publishes entries when their notice ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from hemei.core.testing import TOWN_A, VILLAGE_A, Cast
from hemei.divisions.models import Division

from .. import selectors, services
from ..models import VillageSettings
from .conftest import Village
from .factories import approved, effective, household, item

pytestmark = pytest.mark.django_db


def earn(cast: Cast, village: Village, home, code: str, day: int = 1):  # type: ignore[no-untyped-def]
    return effective(
        cast.victor,
        services.record_entry(
            actor=cast.victor,
            household=home,
            item=item(village.rules, code),
            occurred_on=dt.date(2026, 6, day),
            description="测试",
        ),
    )


def test_stars_follow_the_village_bands() -> None:
    assert selectors.stars(0, [20, 50, 80]) == 0
    assert selectors.stars(20, [20, 50, 80]) == 1
    assert selectors.stars(79, [20, 50, 80]) == 2
    assert selectors.stars(500, [20, 50, 80]) == 3


def test_it_ranks_households_and_publishes_red_and_black_lists(
    cast: Cast, village: Village, client: Client
) -> None:
    division = Division.objects.get(code=VILLAGE_A)
    services.update_settings(actor=cast.victor, village=division, star_bands=[5, 30])
    for day in (1, 2, 3):
        earn(cast, village, village.wang, "A1", day)
    earn(cast, village, village.li, "A2")
    earn(cast, village, village.vera_home, "C1")
    ranking = selectors.household_ranking(VILLAGE_A, 2026)
    assert [(r.rank, r.household.number, r.points, r.stars) for r in ranking] == [
        (1, "002", 15, 1),
        (2, "003", 2, 0),
        (3, "001", -10, 0),
    ]
    assert [r.household.number for r in selectors.red_list(ranking, 10)] == ["002", "003"]
    assert [r.household.number for r in selectors.black_list(ranking)] == ["001"]
    assert selectors.household_ranking(VILLAGE_A, 2025)[0].points == 0

    # Villagers see the red list; the black list only where the village publishes it.
    client.force_login(cast.vera)
    page = client.get(f"/points/v/{VILLAGE_A}/rankings/").content.decode()
    assert "王长福" in page and 'id="black-list"' not in page and 'id="ranking"' not in page
    services.update_settings(actor=cast.victor, village=division, publish_black_list=True)
    page = client.get(f"/points/v/{VILLAGE_A}/rankings/").content.decode()
    assert 'id="black-list"' in page and "韦大山" in page


def test_it_ranks_the_villages_of_a_town(cast: Cast, village: Village) -> None:
    other = "370215100219"  # 高埠村, also in 田横镇
    adopted = services.draft_version(
        actor=cast.alice, village=Division.objects.get(code=other), based_on=None
    )
    services.add_item(
        actor=cast.alice, version=adopted, code="A1", category="other", title="整洁", points=40
    )
    services.adopt_version(
        actor=cast.alice,
        version=adopted,
        meeting_kind="villagers",
        meeting_date=dt.date(2025, 12, 1),
        in_force_from=dt.date(2026, 1, 1),
    )
    far = household(other, "001", "高一")
    household(other, "002", "高二")
    effective(
        cast.alice,
        services.record_entry(
            actor=cast.alice,
            household=far,
            item=adopted.items.get(),
            occurred_on=dt.date(2026, 5, 1),
            description="x",
        ),
    )
    earn(cast, village, village.wang, "A2")
    rows = selectors.village_ranking(TOWN_A, 2026)
    assert [(r.village.code, r.households, r.participating) for r in rows] == [
        (other, 2, 1),
        (VILLAGE_A, 3, 1),
    ]
    assert rows[0].average == 20 and rows[0].participation == 0.5
    assert round(rows[1].average, 2) == 0.67


def test_review_schedules_publishing_for_the_end_of_the_notice(
    cast: Cast, village: Village, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    entry = services.record_entry(
        actor=cast.victor,
        household=village.wang,
        item=item(village.rules, "A2"),
        occurred_on=dt.date(2026, 6, 1),
        description="开会",
    )
    with django_capture_on_commit_callbacks(execute=True):
        entry = approved(cast.victor, entry)
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("publish_due_entries_task")
    assert task.run_after == entry.notice_ends_at


def test_settings_refuse_bad_bands_with_400(cast: Cast, village: Village, client: Client) -> None:
    client.force_login(cast.victor)
    url = f"/points/v/{VILLAGE_A}/settings/"
    data = {
        "notice_days": 5,
        "settlement_mode": "reset",
        "star_bands": "50, 20",
        "red_list_size": 10,
    }
    assert client.post(url, data).status_code == 400
    assert client.post(url, {**data, "star_bands": "a,b"}).status_code == 400
    assert not VillageSettings.objects.exists()
    assert client.post(url, {**data, "star_bands": "20，50"}).status_code == 302
    saved = VillageSettings.objects.get()
    assert (saved.notice_days, saved.star_bands, saved.settlement_mode) == (5, [20, 50], "reset")
    client.force_login(cast.tom)
    assert client.post(url, data).status_code == 403

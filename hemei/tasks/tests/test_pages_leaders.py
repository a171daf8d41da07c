"""Leaders' contact points (三包三联) and the light policy page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hemei.accounts.models import AuditEntry
from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.tasks import services
from hemei.tasks.choices import Light
from hemei.tasks.models import LeaderLink, LightPolicy, Task

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def task(cast: Cast) -> Task:
    with clock.frozen_at(NOON):
        task = services.create_task(
            actor=cast.alice,
            division=Division.objects.get(code=COUNTY),
            title="美丽乡村示范村建设",
            start_on=dt.date(2026, 6, 1),
            due_on=dt.date(2026, 6, 30),
            is_key=True,
        )
        services.fan_out(actor=cast.alice, task=task, codes=[TOWN_A, TOWN_B])
    return task


def test_an_administrator_links_a_leader_to_a_town_a_village_and_a_key_task(
    cast: Cast, task: Task, client: Client
) -> None:
    client.force_login(cast.alice)
    url = f"/tasks/leaders/{cast.lily.pk}/"
    assert client.post(url, {"kind": "town", "division": TOWN_A}).status_code == 302
    assert client.post(url, {"kind": "village", "division": VILLAGE_A}).status_code == 302
    assert client.post(url, {"kind": "task", "task": str(task.pk)}).status_code == 302
    kinds = set(LeaderLink.objects.filter(leader=cast.lily).values_list("kind", "division_id"))
    assert kinds == {("town", TOWN_A), ("village", VILLAGE_A), ("task", COUNTY)}
    assert AuditEntry.objects.filter(action="create", content_type__model="leaderlink").count() == 3
    response = client.get(url)
    summaries = {s.link.kind: s for s in response.context["summaries"]}
    assert summaries["town"].total == 1  # 田横镇's part
    assert summaries["task"].total == 3  # the key task and its two parts
    shown = {t.pk for t in response.context["page"]}
    assert task.pk in shown and task.children.get(division_id=TOWN_B).pk in shown


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "town", "division": VILLAGE_A},  # a village is not a town
        {"kind": "village", "division": ""},
        {"kind": "town", "division": "110101001"},  # not in the area
        {"kind": "task", "task": "999999"},
        {"kind": "mayor", "division": TOWN_A},
    ],
    ids=["wrong level", "missing", "outside", "no task", "bad kind"],
)
def test_bad_links_are_refused(data: dict[str, str], cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.post(f"/tasks/leaders/{cast.lily.pk}/", data)
    assert response.status_code == 400
    assert not LeaderLink.objects.exists()


def test_a_link_twice_is_refused(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    url = f"/tasks/leaders/{cast.lily.pk}/"
    client.post(url, {"kind": "town", "division": TOWN_A})
    assert client.post(url, {"kind": "town", "division": TOWN_A}).status_code == 400
    assert LeaderLink.objects.count() == 1


def test_only_administrators_change_links_and_others_see_them_in_scope(
    cast: Cast, client: Client
) -> None:
    a = LeaderLink.objects.create(leader=cast.lily, kind="town", division_id=TOWN_A)
    LeaderLink.objects.create(leader=cast.lily, kind="town", division_id=TOWN_B)
    client.force_login(cast.tom)
    url = f"/tasks/leaders/{cast.lily.pk}/"
    response = client.get(url)
    assert response.status_code == 200 and response.context["form"] is None
    assert [s.link.division_id for s in response.context["summaries"]] == [TOWN_A]
    assert client.post(url, {"kind": "town", "division": TOWN_A}).status_code == 403
    assert client.post(f"/tasks/leaders/links/{a.pk}/delete/").status_code == 403
    assert LeaderLink.objects.count() == 2
    # A person who is not a leader has no such page.
    assert client.get(f"/tasks/leaders/{cast.dan.pk}/").status_code == 404
    client.force_login(cast.alice)
    assert client.post(f"/tasks/leaders/links/{a.pk}/delete/").status_code == 302
    assert LeaderLink.objects.count() == 1
    assert AuditEntry.objects.filter(action="delete", content_type__model="leaderlink").exists()


def test_the_light_policy_page_recomputes_the_lights(
    cast: Cast, task: Task, client: Client
) -> None:
    client.force_login(cast.tom)
    assert client.get("/tasks/light-policy/").status_code == 403
    client.force_login(cast.alice)
    assert client.get("/tasks/light-policy/").status_code == 200
    assert client.post("/tasks/light-policy/", {"yellow_days": "-1"}).status_code == 400
    assert not LightPolicy.objects.exists()
    with clock.frozen_at(dt.datetime(2026, 6, 12, 9, 0, tzinfo=dt.UTC)):
        response = client.post("/tasks/light-policy/", {"yellow_days": "30", "lag_points": "0"})
    assert response.status_code == 302
    policy = LightPolicy.objects.get()
    assert (policy.division_id, policy.yellow_days) == (COUNTY, 30)
    # 18 days from the deadline, no progress after a third of the time: yellow everywhere.
    assert set(Task.objects.values_list("light", flat=True)) == {Light.YELLOW}
    with clock.frozen_at(dt.datetime(2026, 6, 12, 9, 0, tzinfo=dt.UTC)):
        again = client.post("/tasks/light-policy/", {"yellow_days": "7", "lag_points": "0"})
    assert again.status_code == 302
    assert LightPolicy.objects.get().yellow_days == 7
    assert set(Task.objects.values_list("light", flat=True)) == {Light.GREEN}

"""The one access policy: named actions, one rule for the queryset and for one row, and the
defects it closed (a villager in the work loop, a villager reading the village register)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hemei.accounts.policy import (
    POLICIES,
    UnknownAction,
    allows,
    allows_at,
    may,
    places,
    restrict,
)
from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division
from hemei.households import services as households
from hemei.households.models import Household
from hemei.households.tests.factories import make_household
from hemei.meetings.models import Meeting
from hemei.supervision import services as supervision
from hemei.supervision.models import ExtensionRequest
from hemei.tasks import services as tasks
from hemei.tasks.models import Task

pytestmark = pytest.mark.django_db
MORNING = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def test_an_unknown_action_is_an_error_not_any_role(cast: Cast) -> None:
    with pytest.raises(UnknownAction):
        restrict(cast.alice, "veiw", Task)
    with pytest.raises(UnknownAction):
        allows(cast.alice, "delete", Division(code=COUNTY))
    assert all(policy.actions for policy in POLICIES.values())


def test_every_policy_names_its_view(cast: Cast) -> None:
    for model, policy in POLICIES.items():
        assert "view" in policy.actions, model


def test_the_queryset_and_the_one_row_answer_agree_on_the_tree(cast: Cast) -> None:
    towns = list(Division.objects.filter(code__startswith=COUNTY)[:60])
    for user in (cast.alice, cast.lily, cast.dan, cast.tom, cast.victor, cast.vera, cast.owen):
        for action in POLICIES[Division].actions:
            rows = set(restrict(user, action, Division).filter(code__startswith=COUNTY)[:10_000])
            for division in towns:
                assert (division in rows) == allows(user, action, division), (user, action)


def test_a_villager_reaches_nothing_of_the_work_loop(cast: Cast, client: Client) -> None:
    """Issue 9: a villager of 红花山村 opened the county's rankings, tasks, meetings, units,
    divisions and the task API. Their role does not open the work loop: 403 everywhere."""
    with clock.frozen_at(MORNING):
        task = tasks.create_task(
            actor=cast.alice,
            division=Division.objects.get(code=VILLAGE_A),
            title="村内道路硬化",
            due_on=dt.date(2026, 12, 31),
        )
    assert not Task.objects.visible_to(cast.vera).exists()
    assert not may(cast.vera, "view", Task) and not may(cast.vera, "view", Meeting)
    client.force_login(cast.vera)
    for url in (
        "/rankings/",
        "/tasks/",
        f"/tasks/{task.pk}/",
        "/tasks/leaders/",
        "/meetings/",
        "/units/",
        "/divisions/",
        "/supervision/",
        "/households/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/api/v1/tasks/").status_code == 403
    assert client.get("/api/v1/rankings/").status_code == 403


def test_a_villager_sees_their_own_household_not_the_register(cast: Cast) -> None:
    """Issue 9: ``Household.objects.visible_to(villager)`` returned the whole village."""
    village = Division.objects.get(code=VILLAGE_A)
    own = make_household(cast.victor, village, "001")
    make_household(cast.victor, village, "002")
    households.link_account(actor=cast.victor, resident=own.head, user=cast.vera)
    assert list(Household.objects.visible_to(cast.vera)) == [own]
    assert not Household.objects.restrict(cast.vera, "browse").exists()
    assert Household.objects.visible_to(cast.victor).count() == 2
    assert not Household.objects.visible_to(cast.dan).exists()  # department staff: no
    assert Household.objects.visible_to(cast.lily).count() == 2  # leaders read, masked
    assert not Household.objects.restrict(cast.lily, "change").exists()
    assert not Household.objects.visible_to(cast.owen).exists()


def test_the_reach_of_each_kind(cast: Cast) -> None:
    # the subtree
    assert allows_at(cast.tom, "view", VILLAGE_A) and not allows_at(cast.tom, "view", VILLAGE_B)
    # the subtree with its ancestors: the county whose rankings and ladder apply to the town
    assert allows_at(cast.tom, "view_with_ancestors", COUNTY)
    assert not allows_at(cast.tom, "view", COUNTY)
    # a town computes its own villages' ranking, not the county's
    assert allows_at(cast.tom, "compute_ranking", TOWN_A)
    assert not allows_at(cast.tom, "compute_ranking", COUNTY)
    # the villager's own village
    assert set(places(cast.vera, "live_in").values_list("code", flat=True)) == {VILLAGE_A}
    # nobody without a role reaches anything; nobody signed out either
    from django.contrib.auth.models import AnonymousUser

    for user in (cast.nora, AnonymousUser()):
        assert not places(user, "view").exists()
        assert not may(user, "view", Task)


def test_an_extension_is_decided_by_the_lead_leader_never_its_requester(cast: Cast) -> None:
    with clock.frozen_at(MORNING):
        task = tasks.create_task(
            actor=cast.alice,
            division=Division.objects.get(code=TOWN_A),
            title="高标准农田建设",
            due_on=dt.date(2026, 12, 31),
            lead_leader=cast.lily,
            responsible=cast.tom,
        )
        asked = supervision.request_extension(
            actor=cast.tom, task=task, requested_due=dt.date(2027, 1, 31), reason="雨季停工"
        )
    assert allows(cast.lily, "decide", asked) and not allows(cast.tom, "decide", asked)
    assert not allows(cast.alice, "decide", asked)  # the lead leader decides
    # When the lead leader asks, a county administrator over the task decides.
    own = ExtensionRequest.objects.get(pk=asked.pk)
    own.requested_by = cast.lily
    assert not allows(cast.lily, "decide", own)
    assert allows(cast.alice, "decide", own)
    assert not allows(cast.owen, "decide", own)
    decidable = ExtensionRequest.objects.restrict(cast.lily, "decide")
    assert list(decidable) == [asked]

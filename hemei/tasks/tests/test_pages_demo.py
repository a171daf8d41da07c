"""The meetings and tasks demo loads on the demo people and gives every page something to show."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from hemei import demo
from hemei.meetings import demo as meetings_demo
from hemei.meetings.models import Meeting
from hemei.tasks import demo as tasks_demo
from hemei.tasks.choices import Light, State
from hemei.tasks.models import LeaderLink, Task

pytestmark = pytest.mark.django_db


def test_the_demo_loads_quickly_with_red_yellow_and_done_tasks(client: Client) -> None:
    demo._load_people()
    started = time.perf_counter()
    meetings_demo.load()
    tasks_demo.load()
    elapsed = time.perf_counter() - started
    assert elapsed < 10  # about 1.5 s on the reference machine
    assert Meeting.objects.count() == 2
    county = Task.objects.filter(division_id=demo.DEMO_COUNTY)
    assert county.count() == len(tasks_demo.TASKS) + tasks_demo.MONTHS  # and the inspections
    assert county.filter(decision__isnull=False).count() == 9
    assert Task.objects.filter(light=Light.RED, state=State.OVERDUE).exists()
    assert Task.objects.filter(light=Light.YELLOW).exists()
    assert Task.objects.filter(state=State.DONE).exists()
    towns = Task.objects.filter(parent__division_id=demo.DEMO_COUNTY)
    assert towns.filter(division_id=demo.TOWN_A).count() == 4 + tasks_demo.MONTHS
    assert Task.objects.filter(division_id=demo.VILLAGE_A).exists()
    assert LeaderLink.objects.filter(leader__username="leader").count() == 3
    # Loading again adds nothing.
    meetings_demo.load()
    tasks_demo.load()
    assert Meeting.objects.count() == 2
    assert county.count() == len(tasks_demo.TASKS) + tasks_demo.MONTHS
    from hemei.accounts.models import User

    client.force_login(User.objects.get(username="tianheng"))
    response = client.get("/tasks/mine/")
    assert response.status_code == 200
    assert len(list(response.context["work"].division)) >= 5

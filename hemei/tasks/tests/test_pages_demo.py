"""The meetings and tasks demo loads on the demo people and gives every page something to show."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei import demo
from hemei.meetings import demo as meetings_demo
from hemei.meetings.models import Meeting
from hemei.progress import demo as progress_demo
from hemei.tasks import demo as tasks_demo
from hemei.tasks.choices import Light, State
from hemei.tasks.models import LeaderLink, Task

pytestmark = pytest.mark.django_db


def test_the_demo_loads_quickly_with_red_yellow_and_done_tasks(client: Client) -> None:
    demo._load_people()
    # (how fast it loads is a figure of `python -m benchmarks`, not a test: no test times)
    meetings_demo.load()
    tasks_demo.load()
    progress_demo.load_history()  # the tasks' past progress, as approved reports
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
    progress_demo.load_history()  # the tasks' past progress, as approved reports
    assert Meeting.objects.count() == 2
    assert county.count() == len(tasks_demo.TASKS) + tasks_demo.MONTHS
    from hemei.accounts.models import User

    client.force_login(User.objects.get(username="tianheng"))
    response = client.get("/tasks/mine/")
    assert response.status_code == 200
    assert len(list(response.context["work"].division)) >= 5

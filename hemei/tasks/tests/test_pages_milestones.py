"""Editing a task's milestones from its edit page: change, add, drop; reached ones stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hemei.core import clock
from hemei.core.testing import COUNTY, Cast
from hemei.divisions.models import Division
from hemei.tasks import services
from hemei.tasks.models import Task

pytestmark = pytest.mark.django_db

MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def task(cast: Cast) -> Task:
    with clock.frozen_at(MORNING):
        return services.create_task(
            actor=cast.alice,
            division=Division.objects.get(code=COUNTY),
            title="美丽庭院创建",
            start_on=dt.date(2026, 3, 1),
            due_on=dt.date(2026, 10, 31),
            milestones=[
                ("方案印发", dt.date(2026, 3, 31), 1),
                ("全面创建", dt.date(2026, 8, 31), 2),
            ],
        )


def _post(task: Task, rows: list[tuple[str, str, str, str]]) -> dict[str, str]:
    data = {
        "title": task.title,
        "theme": task.theme,
        "priority": str(task.priority),
        "weight": "1",
        "start_on": "2026-03-01",
        "due_on": "2026-10-31",
        "milestones-TOTAL_FORMS": str(len(rows)),
        "milestones-INITIAL_FORMS": "0",
    }
    for index, (pk, name, due, weight) in enumerate(rows):
        data |= {
            f"milestones-{index}-id": pk,
            f"milestones-{index}-name": name,
            f"milestones-{index}-due_on": due,
            f"milestones-{index}-weight": weight,
        }
    return data


def test_the_edit_page_changes_adds_and_drops_milestones(
    cast: Cast, task: Task, client: Client
) -> None:
    plan, build = task.milestones.order_by("due_on")
    client.force_login(cast.alice)
    page = client.get(f"/tasks/{task.pk}/edit/")
    assert f'name="milestones-1-id" value="{build.pk}"' in page.content.decode()
    response = client.post(
        f"/tasks/{task.pk}/edit/",
        _post(
            task,
            [(str(plan.pk), "方案印发实施", "2026-04-10", "1"), ("", "验收", "2026-10-15", "1")],
        ),
    )
    assert response.status_code == 302
    names = list(task.milestones.order_by("due_on").values_list("name", "due_on"))
    assert names == [("方案印发实施", dt.date(2026, 4, 10)), ("验收", dt.date(2026, 10, 15))]


def test_a_reached_milestone_is_kept_and_cannot_be_smuggled_in(
    cast: Cast, task: Task, client: Client
) -> None:
    plan, build = task.milestones.order_by("due_on")
    with clock.frozen_at(MORNING):
        services.record_progress(task=task, percent=10, milestones=[plan], actor=cast.alice)
    client.force_login(cast.alice)
    page = client.get(f"/tasks/{task.pk}/edit/").content.decode()
    assert f'name="milestones-0-id" value="{build.pk}"' in page  # the reached one is not
    assert "方案印发" in page  # listed read-only
    response = client.post(
        f"/tasks/{task.pk}/edit/", _post(task, [(str(build.pk), "全面创建", "2026-09-30", "2")])
    )
    assert response.status_code == 302
    assert task.milestones.get(pk=plan.pk).reached_on is not None
    assert task.milestones.get(pk=build.pk).due_on == dt.date(2026, 9, 30)
    # the reached one sent back renamed is refused, and nothing changes
    response = client.post(
        f"/tasks/{task.pk}/edit/",
        _post(
            task,
            [
                (str(plan.pk), "改名", "2026-03-31", "1"),
                (str(build.pk), "全面创建", "2026-07-31", "2"),
            ],
        ),
    )
    assert response.status_code == 400
    assert task.milestones.get(pk=build.pk).due_on == dt.date(2026, 9, 30)
    assert task.milestones.get(pk=plan.pk).name == "方案印发"


def test_villagers_do_not_see_the_work_loop(cast: Cast, task: Task, client: Client) -> None:
    """Villagers see their household's points and the public notices, not tasks (PRODUCT.md)."""
    from hemei.core.testing import VILLAGE_A
    from hemei.meetings.models import Meeting

    with clock.frozen_at(MORNING):
        part = services.fan_out(actor=cast.alice, task=task, level=5, codes=[VILLAGE_A])[0]
    meeting = Meeting.objects.create(
        name="村两委会议", held_on=dt.date(2026, 3, 1), level="village", division_id=VILLAGE_A
    )
    assert not Task.objects.visible_to(cast.vera).exists()
    assert not Meeting.objects.visible_to(cast.vera).exists()
    assert Task.objects.visible_to(cast.victor).filter(pk=part.pk).exists()
    client.force_login(cast.vera)
    assert client.get(f"/tasks/{part.pk}/").status_code == 403
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 403


def test_the_timeline_reads_order_numbers_and_requested_deadlines(cast: Cast, task: Task) -> None:
    from hemei.tasks.choices import EventKind
    from hemei.tasks.selectors import describe

    order = services.add_event(task, EventKind.SUPERVISION_ORDER, number="督办〔2026〕3号")
    extension = services.add_event(
        task, EventKind.EXTENSION_REQUESTED, before="2026-10-31", after="2026-12-31"
    )
    assert describe(order) == "督办〔2026〕3号"
    assert describe(extension) == "2026-10-31 → 2026-12-31"


def test_villagers_do_not_see_leaders_contact_points(cast: Cast, task: Task) -> None:
    from hemei.core.testing import VILLAGE_A
    from hemei.tasks.models import LeaderLink

    LeaderLink.objects.create(leader=cast.lily, kind="village", division_id=VILLAGE_A)
    assert not LeaderLink.objects.visible_to(cast.vera).exists()
    assert LeaderLink.objects.visible_to(cast.victor).count() == 1

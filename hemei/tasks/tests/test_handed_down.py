"""A part handed down from above (issue 9): the level above sets its leader, units, dates,
weight, theme, meeting and milestones; the town fills in the responsible person, may reword
the title and description and add its own milestones. The service refuses the rest, so the
pages and the API refuse alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, Cast
from hemei.divisions.models import Division
from hemei.tasks import services
from hemei.tasks.models import Program, Task

pytestmark = pytest.mark.django_db

MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def part(cast: Cast) -> Task:
    """Town A's part of a county task with a leader, a unit, a program and a milestone."""
    with clock.frozen_at(MORNING):
        county = services.create_task(
            actor=cast.alice,
            division=Division.objects.get(code=COUNTY),
            title="完成农村户厕改造",
            start_on=dt.date(2026, 3, 1),
            due_on=dt.date(2026, 6, 30),
            lead_leader=cast.lily,
            lead_unit=cast.unit,
            co_units=[cast.unit],
            programs=[Program.objects.create(name="六大攻坚战")],
            milestones=[("摸底排查", dt.date(2026, 4, 1), 1)],
        )
        return services.fan_out(actor=cast.alice, task=county, codes=[TOWN_A])[0]


def _form(part: Task, **changes: str) -> dict[str, str]:
    milestone = part.milestones.get()
    data = {
        "title": part.title,
        "division": TOWN_A,
        "theme": part.theme,
        "priority": str(part.priority),
        "weight": "1",
        "due_on": "2026-06-30",
        "start_on": "2026-03-01",
        "lead_leader": str(part.lead_leader_id),
        "lead_unit": str(part.lead_unit_id),
        "co_units": str(part.lead_unit_id),
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-id": str(milestone.pk),
        "milestones-0-name": milestone.name,
        "milestones-0-due_on": "2026-04-01",
        "milestones-0-weight": "1",
    }
    data.update(changes)
    return data


def test_the_service_refuses_a_town_changing_the_terms_set_above(cast: Cast, part: Task) -> None:
    with pytest.raises(PermissionDenied):
        services.update_task(actor=cast.tom, task=part, lead_leader=cast.tom)
    with pytest.raises(PermissionDenied):
        services.update_task(actor=cast.tom, task=part, lead_unit=None)
    with pytest.raises(PermissionDenied):
        services.update_task(actor=cast.tom, task=part, co_units=[])
    with pytest.raises(PermissionDenied):
        services.update_task(actor=cast.tom, task=part, theme="industry")
    milestone = part.milestones.get()
    with pytest.raises(PermissionDenied):
        services.set_milestones(
            actor=cast.tom, task=part, rows=[(milestone.pk, "摸底排查", dt.date(2026, 5, 1), 1)]
        )
    with pytest.raises(PermissionDenied):
        services.set_milestones(actor=cast.tom, task=part, rows=[])
    part.refresh_from_db()
    assert part.lead_leader == cast.lily and part.lead_unit == cast.unit
    assert part.milestones.get().due_on == dt.date(2026, 4, 1)
    # What the town fills in, and its own milestones:
    services.update_task(actor=cast.tom, task=part, responsible=cast.victor, title="田横镇改厕")
    services.set_milestones(
        actor=cast.tom,
        task=part,
        rows=[
            (milestone.pk, "摸底排查", dt.date(2026, 4, 1), 1),
            (None, "镇级验收", dt.date(2026, 6, 20), 1),
        ],
    )
    assert part.milestones.count() == 2


def test_a_task_the_county_made_for_a_town_is_handed_down_too(cast: Cast) -> None:
    task = services.create_task(
        actor=cast.alice,
        division=Division.objects.get(code=TOWN_A),
        title="镇级示范片建设",
        due_on=dt.date(2026, 9, 30),
        lead_leader=cast.lily,
    )
    assert services.handed_down(cast.tom, task)
    assert not services.handed_down(cast.alice, task)
    with pytest.raises(PermissionDenied):
        services.update_task(actor=cast.tom, task=task, due_on=dt.date(2026, 12, 31))
    own = services.create_task(
        actor=cast.tom,
        division=Division.objects.get(code=TOWN_A),
        title="村庄清洁行动",
        due_on=dt.date(2026, 9, 30),
    )
    assert not services.handed_down(cast.tom, own)
    services.update_task(actor=cast.tom, task=own, due_on=dt.date(2026, 12, 31), weight=2)


def test_the_lead_leader_holds_the_leader_role(cast: Cast) -> None:
    town = Division.objects.get(code=TOWN_A)
    with pytest.raises(ValidationError) as refused:
        services.create_task(
            actor=cast.tom,
            division=town,
            title="x",
            due_on=dt.date(2026, 9, 30),
            lead_leader=cast.tom,
        )
    assert "lead_leader" in refused.value.message_dict


def test_the_edit_page_shows_the_terms_set_above_read_only(
    cast: Cast, part: Task, client: Client
) -> None:
    client.force_login(cast.tom)
    response = client.get(f"/tasks/{part.pk}/edit/")
    form = response.context["form"]
    for name in ("lead_leader", "lead_unit", "co_units", "programs", "theme", "due_on", "weight"):
        assert form.fields[name].disabled, name
    assert "meeting" not in form.fields
    assert not form.fields["title"].disabled and not form.fields["responsible"].disabled
    assert "由上级确定" in response.content.decode()


def test_the_edit_page_keeps_the_terms_set_above_whatever_is_posted(
    cast: Cast, part: Task, client: Client
) -> None:
    client.force_login(cast.tom)
    response = client.post(
        f"/tasks/{part.pk}/edit/",
        _form(
            part,
            title="田横镇户厕改造",
            lead_leader=str(cast.tom.pk),
            lead_unit="",
            co_units="",
            theme="industry",
            start_on="2026-05-01",
            due_on="2026-07-31",
            weight="9",
            responsible=str(cast.victor.pk),
            **{"milestones-0-id": "", "milestones-0-name": "镇级验收"},
            **{"milestones-0-due_on": "2026-06-20"},
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    part.refresh_from_db()
    assert part.title == "田横镇户厕改造" and part.responsible == cast.victor
    assert (part.lead_leader, part.lead_unit, part.theme) == (cast.lily, cast.unit, "other")
    assert (part.start_on, part.due_on, part.weight) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 6, 30),
        Decimal(1),
    )
    assert list(part.co_units.all()) == [cast.unit]
    dues = dict(part.milestones.values_list("name", "due_on"))
    assert dues == {"摸底排查": dt.date(2026, 4, 1), "镇级验收": dt.date(2026, 6, 20)}


def test_a_crafted_post_changing_a_milestone_set_above_is_refused(
    cast: Cast, part: Task, client: Client
) -> None:
    client.force_login(cast.tom)
    response = client.post(
        f"/tasks/{part.pk}/edit/", _form(part, **{"milestones-0-due_on": "2026-05-30"})
    )
    assert response.status_code == 403
    assert part.milestones.get().due_on == dt.date(2026, 4, 1)


def test_the_county_edits_the_part_on_the_page(cast: Cast, part: Task, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.post(f"/tasks/{part.pk}/edit/", _form(part, theme="industry", weight="3"))
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.theme == "industry" and part.weight == Decimal(3)

"""Rule catalogue: versions adopted by a meeting, in force from a date, templates adopted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.core import clock
from hemei.core.testing import TOWN_A, VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division
from hemei.procedures.adoption import MeetingKind, VersionState

from .. import services
from ..choices import Category
from .conftest import Village
from .factories import item

pytestmark = pytest.mark.django_db


def test_it_records_the_meeting_that_adopted_the_rules(village: Village) -> None:
    rules = village.rules
    assert rules.state == VersionState.ADOPTED
    assert rules.meeting_kind == MeetingKind.REPRESENTATIVES
    assert rules.meeting_date == dt.date(2025, 12, 20)
    assert rules.in_force_from == dt.date(2026, 1, 1)
    assert services.version_in_force(VILLAGE_A, dt.date(2026, 3, 1)) == rules
    assert services.version_in_force(VILLAGE_A, dt.date(2025, 12, 31)) is None


def test_it_freezes_an_adopted_version(cast: Cast, village: Village) -> None:
    with pytest.raises(ValidationError):
        services.add_item(
            actor=cast.victor,
            version=village.rules,
            code="Z",
            category="other",
            title="x",
            points=1,
        )
    with pytest.raises(ValidationError):
        services.remove_item(actor=cast.victor, item=item(village.rules, "A1"))


def test_it_cites_the_version_in_force_on_the_entry_date(cast: Cast, village: Village) -> None:
    vera_village = Division.objects.get(code=VILLAGE_A)
    draft = services.draft_version(actor=cast.victor, village=vera_village, based_on=village.rules)
    assert draft.number == 2 and draft.items.count() == 4
    services.remove_item(actor=cast.victor, item=item(draft, "A1"))
    services.add_item(
        actor=cast.victor,
        version=draft,
        code="A1",
        category=Category.ENVIRONMENT,
        title="门前三包整洁",
        points=8,
    )
    with pytest.raises(ValidationError):  # the meeting cannot be tomorrow
        services.adopt_version(
            actor=cast.victor,
            version=draft,
            meeting_kind=MeetingKind.VILLAGERS,
            meeting_date=dt.date(2026, 6, 16),
            in_force_from=dt.date(2026, 7, 1),
        )
    with pytest.raises(ValidationError):  # not before the version in force
        services.adopt_version(
            actor=cast.victor,
            version=draft,
            meeting_kind=MeetingKind.VILLAGERS,
            meeting_date=dt.date(2025, 11, 1),
            in_force_from=dt.date(2025, 12, 1),
        )
    services.adopt_version(
        actor=cast.victor,
        version=draft,
        meeting_kind=MeetingKind.VILLAGERS,
        meeting_date=dt.date(2026, 6, 12),
        in_force_from=dt.date(2026, 6, 20),
    )
    june = services.record_entry(
        actor=cast.victor,
        household=village.wang,
        item=item(draft, "A1"),
        occurred_on=dt.date(2026, 6, 14),
        description="六月",
    )
    assert (june.version, june.points) == (village.rules, 5)
    with clock.frozen_at(dt.datetime(2026, 7, 2, tzinfo=dt.UTC)):
        july = services.record_entry(
            actor=cast.victor,
            household=village.wang,
            item=item(village.rules, "A1"),
            occurred_on=dt.date(2026, 7, 1),
            description="七月",
        )
    assert (july.version, july.points) == (draft, 8)


def test_it_lets_a_village_adopt_and_adapt_a_town_template(cast: Cast, village: Village) -> None:
    town = Division.objects.get(code=TOWN_A)
    template = services.create_template(actor=cast.tom, division=town, name="田横镇积分细则范本")
    services.add_item(
        actor=cast.tom,
        version=template,
        code="T1",
        category=Category.FAMILY,
        title="孝老爱亲",
        points=10,
    )
    with pytest.raises(PermissionDenied):
        services.add_item(
            actor=cast.victor, version=template, code="T2", category="other", title="x", points=1
        )
    with pytest.raises(ValidationError):  # a village cannot use a draft template
        services.draft_version(
            actor=cast.victor, village=Division.objects.get(code=VILLAGE_A), based_on=template
        )
    services.publish_template(actor=cast.tom, version=template)
    draft = services.draft_version(
        actor=cast.victor, village=Division.objects.get(code=VILLAGE_A), based_on=template
    )
    assert draft.based_on == template
    assert list(draft.items.values_list("code", "points")) == [("T1", 10)]
    services.add_item(
        actor=cast.victor,
        version=draft,
        code="V1",
        category=Category.INDUSTRY,
        title="发展庭院经济",
        points=5,
    )
    assert template.items.count() == 1  # the template is not touched
    # A village of another town cannot adopt it, nor can a town outside publish here.
    with pytest.raises(PermissionDenied):
        services.create_template(actor=cast.owen, division=town, name="x")
    owen_village = Division.objects.get(code=VILLAGE_B)
    with pytest.raises(PermissionDenied):
        services.draft_version(actor=cast.owen, village=owen_village, based_on=template)
    with pytest.raises(ValidationError):
        services.draft_version(actor=cast.alice, village=owen_village, based_on=template)


def test_it_keeps_one_draft_at_a_time(cast: Cast, village: Village) -> None:
    code = Division.objects.get(code=VILLAGE_A)
    services.draft_version(actor=cast.victor, village=code)
    with pytest.raises(ValidationError):
        services.draft_version(actor=cast.victor, village=code)


def test_it_refuses_an_empty_version_and_odd_items(cast: Cast, village: Village) -> None:
    draft = services.draft_version(actor=cast.victor, village=Division.objects.get(code=VILLAGE_A))
    with pytest.raises(ValidationError):
        services.adopt_version(
            actor=cast.victor,
            version=draft,
            meeting_kind=MeetingKind.VILLAGERS,
            meeting_date=dt.date(2026, 6, 1),
            in_force_from=dt.date(2026, 7, 1),
        )
    with pytest.raises(ValidationError):
        services.add_item(
            actor=cast.victor, version=draft, code="X", category="other", title="零分", points=0
        )
    with pytest.raises(ValidationError):
        services.add_item(
            actor=cast.victor,
            version=draft,
            code="X",
            category="other",
            title="x",
            points=5,
            cap=3,
        )

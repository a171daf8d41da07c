"""The demo's disclosures, and what the public board shows: nothing personal."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from hemei.board.sections import BoardItem
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.disclosure import selectors, services
from hemei.disclosure.choices import DisclosureState
from hemei.disclosure.models import Disclosure
from hemei.divisions.models import Division
from hemei.documents.rendering import ID_NUMBER, MOBILE_NUMBER

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_demo_has_a_year_of_disclosures_and_two_villages_late(db) -> None:
    from hemei import demo as county_demo
    from hemei.disclosure import demo

    with clock.frozen_at(at(D(2026, 12, 6))):
        county_demo._load_people()
        demo.load()
        demo.load()  # again: nothing twice
        late = set(
            Disclosure.objects.exclude(state=DisclosureState.PUBLISHED)
            .filter(due_on__lt=D(2026, 12, 6))
            .values_list("village_id", flat=True)
        )
    assert late == {"370215100219", "370215101230"}
    assert Disclosure.objects.filter(state=DisclosureState.PUBLISHED).count() > 100
    town = Division.objects.get(code="370215100")
    _columns, rows = selectors.town_overview(town, 2026, D(2026, 12, 6))
    assert rows[0].village.code == "370215100219" and rows[0].late == 3


def test_the_board_shows_published_public_disclosures_and_the_catalogue_only(
    cast: Cast, catalogue
) -> None:
    with clock.frozen_at(at(D(2026, 4, 2))):
        services.generate_due(today=D(2026, 4, 2))
    rows = Disclosure.objects.filter(village_id=VILLAGE_A)
    finance = rows.get(item__key="finance.monthly", slot="2026-03")
    with clock.frozen_at(at(D(2026, 4, 3))):
        services.publish(
            actor=cast.victor, disclosure=finance, published_on=D(2026, 4, 3), text="3月收入5.2万元"
        )
    village = Division.objects.get(code=VILLAGE_A)
    with clock.frozen_at(at(D(2026, 4, 3))):
        items = selectors.board_items(village, D(2026, 4, 3))
    assert isinstance(items[0], BoardItem)
    assert items[0].title == finance.title and items[0].status == "已公开"
    titles = [i.title for i in items]
    assert not any("2026年2月" in t for t in titles)  # unpublished ones are not shown
    quarterly = next(i for i in items if i.title == "集体财务 · 季度财务报表")
    assert (quarterly.date, quarterly.period) == (D(2026, 7, 20), "2026年第二季度")
    text = repr(items)
    for person in (cast.victor, cast.vera):
        assert person.full_name not in text and person.username not in text
        assert person.phone not in text
    assert not ID_NUMBER.search(text) and not MOBILE_NUMBER.search(text)
    assert not re.search(r"\d{16,19}", text)

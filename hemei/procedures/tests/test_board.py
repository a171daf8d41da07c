"""What 四议两公开 puts on the village's public board: the published resolutions and results,
their text, date and kind only — nothing of who recorded them, nor the meetings."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from hemei.board.sections import BoardItem, sections
from hemei.board.tests.helpers import published_decision
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division
from hemei.documents.rendering import check_no_personal_data
from hemei.procedures import services
from hemei.procedures.models import DecisionProcess
from hemei.procedures.selectors import board_items

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen_at(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)):
        yield


@pytest.mark.django_db
def test_the_published_resolution_and_result_newest_first(cast: Cast) -> None:
    published_decision(cast, result=True)
    items = board_items(Division.objects.get(code=VILLAGE_A), TODAY)
    assert [(item.date, item.status) for item in items] == [
        (dt.date(2026, 6, 12), "实施结果公开"),
        (dt.date(2026, 6, 10), "决议公开"),
    ]
    assert all(isinstance(item, BoardItem) for item in items)
    assert {item.title for item in items} == {"村集体鱼塘对外发包"}
    assert "公开竞价" in items[1].body and "2.4万元" in items[0].body


@pytest.mark.django_db
def test_it_leaks_nothing_personal_nor_the_meetings(cast: Cast) -> None:
    published_decision(cast, result=True)
    items = board_items(Division.objects.get(code=VILLAGE_A), TODAY)
    for item in items:
        check_no_personal_data(item)  # raises on an ID-card or mobile number
        text = repr(dataclasses.asdict(item))
        assert cast.victor.full_name not in text and cast.victor.username not in text
        assert "纪要" not in text and "实到" not in text
        assert item.attachments == ()


@pytest.mark.django_db
def test_a_record_not_yet_published_another_village_and_the_future_show_nothing(
    cast: Cast,
) -> None:
    services.create_record(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        title="尚未表决的事项",
        process=DecisionProcess.objects.get(name="四议两公开", division=None),
    )
    assert board_items(Division.objects.get(code=VILLAGE_A), TODAY) == []
    published_decision(cast)
    assert board_items(Division.objects.get(code=VILLAGE_B), TODAY) == []
    assert board_items(Division.objects.get(code=VILLAGE_A), dt.date(2026, 6, 9)) == []


def test_the_section_is_registered_with_its_chinese_title() -> None:
    from django.utils import translation

    (section,) = [s for s in sections() if s.key == "decisions"]
    assert section.items is board_items
    with translation.override("zh-hans"):
        assert str(section.title) == "民主决策（四议两公开）"

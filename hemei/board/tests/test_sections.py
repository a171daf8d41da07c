"""The section registry: what apps register is shown in order; a key is taken once."""

from __future__ import annotations

import datetime as dt

import pytest

from hemei.board.sections import BoardItem, Section, register, sections, unregister


def _nothing(village, today):  # type: ignore[no-untyped-def]
    return []


def test_sections_come_in_their_order_then_by_key() -> None:
    late = Section(key="zz-test-late", title="late", order=999, items=_nothing)
    early = Section(key="aa-test-early", title="early", order=-1, items=_nothing)
    tie = Section(key="ab-test-tie", title="tie", order=-1, items=_nothing)
    for section in (late, tie, early):
        register(section)
    try:
        keys = [section.key for section in sections()]
        assert keys[:2] == ["aa-test-early", "ab-test-tie"] and keys[-1] == "zz-test-late"
    finally:
        for section in (late, tie, early):
            unregister(section.key)
    assert "zz-test-late" not in [section.key for section in sections()]


def test_the_same_section_again_changes_nothing_another_under_its_key_is_an_error() -> None:
    section = Section(key="test-once", title="once", order=5, items=_nothing)
    register(section)
    try:
        register(section)
        assert [s.key for s in sections()].count("test-once") == 1
        with pytest.raises(ValueError, match="test-once"):
            register(Section(key="test-once", title="other", order=5, items=_nothing))
    finally:
        unregister("test-once")


def test_procedures_registers_its_published_decisions() -> None:
    found = {section.key: section for section in sections()}
    assert "decisions" in found
    assert found["decisions"].items.__module__ == "hemei.procedures.selectors"


def test_an_item_is_plain_data_with_the_contracts_fields() -> None:
    item = BoardItem(title="t", date=dt.date(2026, 6, 1))
    assert (item.body, item.period, item.status, item.attachments) == ("", "", "", ())
    with pytest.raises(AttributeError):
        item.title = "x"  # type: ignore[misc]

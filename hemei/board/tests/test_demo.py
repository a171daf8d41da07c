"""The demo's boards: on for the villages the register's demo fills, turned on by a town."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.board import demo
from hemei.board.models import BoardSettings
from hemei.core.testing import Cast
from hemei.households import demo as households_demo


def test_the_demo_boards_are_the_demo_villages() -> None:
    assert set(demo.VILLAGES) == set(households_demo.VILLAGES)


@pytest.mark.django_db
def test_loading_turns_the_boards_on_with_an_office_landline(cast: Cast) -> None:
    demo.load()
    rows = BoardSettings.objects.filter(enabled=True)
    assert set(rows.values_list("village_id", flat=True)) == set(demo.VILLAGES)
    assert all(row.contact.startswith("村委会办公室 0532-") for row in rows)
    for code in demo.VILLAGES:
        assert Client().get(f"/board/{code}/").status_code == 200

"""The catalogue on the village's public board: the adopted items with their flows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hemei.board import services as board
from hemei.board.sections import sections
from hemei.cases import services as cases
from hemei.catalogue.samples import adopted_catalogue
from hemei.catalogue.selectors import board_items
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division
from hemei.points.tests.factories import household

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def test_the_adopted_items_show_with_their_flow_and_nothing_of_any_case(cast: Cast) -> None:
    village = Division.objects.get(code=VILLAGE_A)
    assert board_items(village, TODAY) == []  # nothing adopted yet
    adopted_catalogue(cast.alice, VILLAGE_A)
    household(VILLAGE_A, "H001", "王秀英", user=cast.vera)
    with clock.frozen_at(dt.datetime(2026, 6, 15, 2, tzinfo=dt.UTC)):
        cases.start_case(actor=cast.vera, village=village, item_code="F01", title="因病临时救助")
    shown = board_items(village, TODAY)
    assert [i.title for i in shown] == [
        "F01 临时救助申请",
        "G01 村级小型工程建设",
        "N01 不得要求村级出具亲属关系证明",
    ]
    relief = shown[0]
    assert "村委会入户核实（村两委，3工作日，公示3自然日）" in relief.body
    assert relief.status == "民生保障 · 公共服务"
    text = " ".join(f"{i.title} {i.body} {i.status}" for i in shown)
    assert "王秀英" not in text and "因病" not in text
    assert board_items(Division.objects.get(code=VILLAGE_B), TODAY) == []
    assert board_items(village, dt.date(2026, 1, 1)) == []  # before it was in force


def test_the_section_is_on_the_public_board(cast: Cast) -> None:
    assert "catalogue" in [s.key for s in sections()]
    adopted_catalogue(cast.alice, VILLAGE_A)
    board.update_board(
        actor=cast.victor, village=Division.objects.get(code=VILLAGE_A), enabled=True
    )
    page = Client().get(f"/board/{VILLAGE_A}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert "临时救助申请" in page.content.decode()

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from hemei.core import clock
from hemei.core.testing import VILLAGE_A, VILLAGE_B, Cast
from hemei.households.models import Household

from ..models import RuleVersion
from .factories import TODAY, adopted_rules, household


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    """Every points test stands on 2026-06-15 unless it moves the clock itself."""
    with clock.frozen_at(TODAY):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Village:
    rules: RuleVersion
    vera_home: Household
    wang: Household
    li: Household
    other: Household  # in 金口村 (town B)


@pytest.fixture
def village(cast: Cast) -> Village:
    """红花山村 with adopted rules and three households (vera's is 001); 金口村 with one."""
    rules = adopted_rules(cast.victor, VILLAGE_A)
    return Village(
        rules=rules,
        vera_home=household(VILLAGE_A, "001", "韦大山", user=cast.vera),
        wang=household(VILLAGE_A, "002", "王长福"),
        li=household(VILLAGE_A, "003", "李秀兰"),
        other=household(VILLAGE_B, "001", "金有余"),
    )

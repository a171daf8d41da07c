"""Any input gets an answer, never a traceback: random text for dates, random bytes and random
cells for tables."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hemei.core.testing import COUNTY, Cast
from hemei.divisions.models import Division

from .. import services
from ..dates import parse_deadline, split_milestone
from ..sheet import SheetError, read_sheet
from .helpers import workbook

CHINESE_DATES = st.text(
    alphabet="0123456789年月日底前末份上下半季度第一二三四五六七八九十今内-/. ：（）"
)
CELLS = st.one_of(
    st.none(),
    # (control characters cannot be written into a worksheet at all)
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
    CHINESE_DATES,
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)


@given(st.one_of(st.text(), CHINESE_DATES), st.integers(min_value=1900, max_value=2200))
def test_a_deadline_is_a_date_or_none(text: str, year: int) -> None:
    result = parse_deadline(text, year=year)
    assert result is None or isinstance(result, dt.date)
    found = split_milestone(text, year=year)
    assert found is None or (found[0] and isinstance(found[1], dt.date))


@given(st.binary(max_size=2000))
def test_random_bytes_are_not_a_table(data: bytes) -> None:
    with pytest.raises(SheetError):
        read_sheet(data)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(rows=[[None, None, "、", None, None, None, None]])  # a leader cell of separators only
@given(st.lists(st.lists(CELLS, min_size=7, max_size=7), max_size=6))
def test_random_cells_get_a_plan_or_problems(cast: Cast, rows: list[list[object]]) -> None:
    plan = services.plan_decomposition(
        actor=cast.alice,
        data=workbook(rows),
        division=Division.objects.get(code=COUNTY),
        year=2026,
    )
    assert plan.ok or all(problem.message for problem in plan.problems)

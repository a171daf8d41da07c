"""Years added to the schedule by administrators: validated, audited, and used by the clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.accounts.models import AuditEntry
from hemei.core.testing import COUNTY, Cast
from hemei.procedures import selectors, services
from hemei.procedures.calendar import ScheduleUnknown
from hemei.procedures.models import WorkdayYear

D = dt.date
SPRING_2027 = [D(2027, 2, 5) + dt.timedelta(n) for n in range(7)]


def add_2027(actor, **overrides):
    values = {
        "year": 2027,
        "holidays": [D(2027, 1, 1), *SPRING_2027],
        "workdays": [D(2027, 2, 13)],
        "source": "国办发明电〔2026〕1号",
    }
    return services.add_workday_year(actor=actor, **{**values, **overrides})


@pytest.mark.django_db
def test_an_added_year_makes_2027_computable(cast: Cast) -> None:
    with pytest.raises(ScheduleUnknown):
        selectors.add_workdays(D(2026, 12, 31), 1)
    row = add_2027(cast.alice)
    assert row.holidays[0] == "2027-01-01" and row.added_by == cast.alice
    assert not row.supersedes
    # Thu 2026-12-31 → (Fri 1 January is a holiday) → Mon 2027-01-04
    assert selectors.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert selectors.add_workdays(D(2027, 2, 4), 2) == D(2027, 2, 13)  # the worked Saturday
    assert selectors.workdays_between(D(2027, 2, 4), D(2027, 2, 15)) == 3


@pytest.mark.django_db
def test_the_addition_is_on_the_audit_trail_of_the_adding_office(cast: Cast) -> None:
    row = add_2027(cast.alice)
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(WorkdayYear), object_id=str(row.pk)
    )
    assert entry.actor == cast.alice and entry.division_code == COUNTY
    assert entry.changes["source"] == [None, "国办发明电〔2026〕1号"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"holidays": [D(2026, 12, 31)]}, "holidays"),
        ({"workdays": [D(2028, 1, 2)]}, "workdays"),
        ({"workdays": [D(2027, 1, 1)]}, "workdays"),  # also a holiday
        ({"source": "  "}, "source"),
        ({"year": 1999}, "year"),
        ({"year": 2026}, "supersedes"),  # the library knows 2026
    ],
)
def test_it_refuses_a_wrong_year_and_changes_nothing(
    cast: Cast, overrides: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        add_2027(cast.alice, **overrides)
    assert field in refused.value.error_dict
    assert not WorkdayYear.objects.exists()
    assert not AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(WorkdayYear)
    )


@pytest.mark.django_db
def test_a_known_year_is_replaced_only_when_the_form_says_so(cast: Cast) -> None:
    # 2026 from the library: Sunday 4 January is worked.
    assert selectors.schedule().is_workday(D(2026, 1, 4))
    replacing = services.add_workday_year(
        actor=cast.alice,
        year=2026,
        holidays=[D(2026, 1, 1), D(2026, 1, 2)],
        workdays=[],
        source="测试通知",
        supersedes=True,
    )
    assert replacing.supersedes
    clock = selectors.schedule()
    assert not clock.is_workday(D(2026, 1, 4)) and clock.is_workday(D(2026, 2, 16))
    # An added year is known too: a second 2027 needs the same tick, and then wins.
    first = add_2027(cast.alice)
    with pytest.raises(ValidationError):
        add_2027(cast.alice, workdays=[])
    second = add_2027(cast.alice, workdays=[], supersedes=True)
    assert set(WorkdayYear.objects.in_force()) == {replacing, second}
    assert first not in WorkdayYear.objects.in_force()
    assert not selectors.schedule().is_workday(D(2027, 2, 13))


@pytest.mark.django_db
def test_only_administrators_add_years(cast: Cast) -> None:
    for person in (cast.lily, cast.tom, cast.victor, cast.vera, cast.nora):
        with pytest.raises(PermissionDenied):
            add_2027(person)
    assert not WorkdayYear.objects.exists()

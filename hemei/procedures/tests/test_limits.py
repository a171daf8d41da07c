"""Time limits: per province or county, the county's overriding, in force by date, no overlaps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.accounts.models import AuditEntry, RoleAssignment, User
from hemei.core.testing import COUNTY, TOWN_A, Cast
from hemei.divisions.models import Division
from hemei.procedures import selectors, services
from hemei.procedures.calendar import ScheduleUnknown
from hemei.procedures.models import TimeLimit

D = dt.date
PROVINCE = COUNTY[:2]  # 山东省
KEY = "homestead.village_review"


@pytest.fixture
def province_admin(cast: Cast) -> User:
    user = User.objects.create_user(username="sam", password="Test-password-2026")
    RoleAssignment.objects.create(user=user, role="county_admin", division_id=PROVINCE)
    return user


def add(actor, code: str, **overrides) -> TimeLimit:
    values = {
        "key": KEY,
        "name": "村级审查",
        "days": 5,
        "unit": "workday",
        "extension_days": 0,
        "basis": "省农村宅基地管理办法 第十条",
        "valid_from": D(2024, 1, 1),
        "valid_to": None,
    }
    return services.add_time_limit(
        actor=actor, division=Division.objects.get(code=code), **{**values, **overrides}
    )


@pytest.mark.django_db
def test_the_county_overrides_its_province(cast: Cast, province_admin: User) -> None:
    province = add(province_admin, PROVINCE, days=10)
    assert selectors.limit_for(KEY, COUNTY, D(2025, 3, 1)) == province
    county = add(cast.alice, COUNTY, days=7, valid_from=D(2025, 1, 1), valid_to=D(2025, 12, 31))
    assert selectors.limit_for(KEY, COUNTY, D(2025, 3, 1)) == county
    # before and after the county's row, the province's applies again
    assert selectors.limit_for(KEY, COUNTY, D(2024, 12, 31)) == province
    assert selectors.limit_for(KEY, COUNTY, D(2026, 1, 1)) == province
    # a town or village code finds its county's
    assert selectors.limit_for(KEY, TOWN_A, D(2025, 3, 1)) == county


@pytest.mark.django_db
def test_no_limit_in_force_is_a_clear_error(cast: Cast) -> None:
    add(cast.alice, COUNTY, valid_from=D(2025, 1, 1))
    with pytest.raises(selectors.TimeLimitMissing) as missing:
        selectors.limit_for(KEY, COUNTY, D(2024, 6, 1))
    assert KEY in str(missing.value) and "2024-06-01" in str(missing.value)
    with pytest.raises(selectors.TimeLimitMissing):
        selectors.limit_for("homestead.town_review", COUNTY, D(2025, 6, 1))


@pytest.mark.django_db
def test_the_due_date_counts_in_the_limits_unit(cast: Cast) -> None:
    workdays = add(cast.alice, COUNTY, days=5, extension_days=5)
    calendar_days = add(cast.alice, COUNTY, key="homestead.notice", days=5, unit="day")
    # from Fri 2024-09-27: Sun 29th (worked), Mon 30th, then Tue 8 Oct … Thu 10th
    assert selectors.due_date(workdays, D(2024, 9, 27)) == D(2024, 10, 10)
    # … Fri 11th, Sat 12th (worked), Mon 14th … Wed 16th
    assert selectors.due_date(workdays, D(2024, 9, 27), extended=True) == D(2024, 10, 16)
    assert selectors.due_date(calendar_days, D(2024, 9, 27)) == D(2024, 10, 2)
    with pytest.raises(ScheduleUnknown):
        selectors.due_date(workdays, D(2026, 12, 28))


@pytest.mark.django_db
def test_overlapping_validity_is_refused_until_the_old_row_ends(cast: Cast) -> None:
    old = add(cast.alice, COUNTY)
    for valid_from, valid_to in ((D(2025, 1, 1), None), (D(2023, 1, 1), D(2024, 1, 1))):
        with pytest.raises(ValidationError, match="不得重叠"):
            add(cast.alice, COUNTY, valid_from=valid_from, valid_to=valid_to)
    # a row of another key, or of the province, does not clash
    add(cast.alice, COUNTY, key="homestead.town_review")
    services.end_time_limit(actor=cast.alice, limit=old, valid_to=D(2024, 12, 31))
    new = add(cast.alice, COUNTY, days=3, valid_from=D(2025, 1, 1))
    assert selectors.limit_for(KEY, COUNTY, D(2025, 1, 1)) == new
    assert selectors.limit_for(KEY, COUNTY, D(2024, 12, 31)) == old
    # ending the old row later again would overlap the new one
    with pytest.raises(ValidationError, match="不得重叠"):
        services.end_time_limit(actor=cast.alice, limit=old, valid_to=D(2025, 6, 30))
    with pytest.raises(ValidationError):
        services.end_time_limit(actor=cast.alice, limit=new, valid_to=D(2024, 6, 30))
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(TimeLimit), object_id=str(old.pk)
    ).values_list("action", flat=True)
    assert sorted(entries) == ["create", "update"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"key": "Homestead Review"}, "key"),
        ({"unit": "week"}, "unit"),
        ({"basis": ""}, "basis"),
        ({"valid_from": D(2025, 1, 1), "valid_to": D(2024, 1, 1)}, None),
    ],
)
def test_it_refuses_a_malformed_limit(cast: Cast, overrides: dict, field: str | None) -> None:
    with pytest.raises(ValidationError) as refused:
        add(cast.alice, COUNTY, **overrides)
    if field:
        assert field in refused.value.error_dict
    assert not TimeLimit.objects.exists()


@pytest.mark.django_db
def test_limits_are_set_by_the_divisions_administrators_at_province_or_county(
    cast: Cast, province_admin: User
) -> None:
    with pytest.raises(PermissionDenied):
        add(cast.alice, PROVINCE)  # above her county
    for person in (cast.lily, cast.tom, cast.victor):
        with pytest.raises(PermissionDenied):
            add(person, COUNTY)
    with pytest.raises(ValidationError, match="按省或县"):
        add(cast.alice, TOWN_A)
    add(province_admin, COUNTY)  # a province's administrator may set a county's
    assert TimeLimit.objects.count() == 1


@pytest.mark.django_db
def test_the_county_and_those_below_see_its_and_the_provinces_limits(
    cast: Cast, province_admin: User
) -> None:
    province = add(province_admin, PROVINCE)
    county = add(cast.alice, COUNTY, key="homestead.notice")
    for person in (cast.alice, cast.lily, cast.dan, cast.tom, cast.victor, cast.owen):
        assert set(selectors.time_limits(person, COUNTY)) == {province, county}, person
    for person in (cast.vera, cast.nora):
        assert not selectors.time_limits(person, COUNTY).exists()

"""The default county catalogue: every row sound, the lists and areas a county expects, the
amount bands of the works item, and installing it once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.catalogue import services
from hemei.catalogue.choices import ListKind
from hemei.catalogue.defaults import NAME, default_rows
from hemei.catalogue.install import install_default
from hemei.catalogue.models import Catalogue, Item, Step
from hemei.core.testing import COUNTY, TOWN_A, Cast
from hemei.divisions.models import Division
from hemei.procedures.adoption import VersionState


@pytest.mark.parametrize("row", default_rows(), ids=lambda row: row.code)
def test_every_default_row_is_clean(row):
    assert services._clean_item(row) == []


def test_shape_of_the_default_catalogue():
    rows = default_rows()
    codes = [row.code for row in rows]
    assert len(codes) == len(set(codes))
    assert 28 <= len(rows) <= 36
    assert 8 <= len({row.area for row in rows}) <= 11
    kinds = {row.list_kind for row in rows}
    assert kinds == set(ListKind.values)
    negative = [row for row in rows if row.list_kind == ListKind.NEGATIVE]
    assert 4 <= len(negative) <= 6
    assert all("厅字〔2022〕28号" in row.basis for row in negative)


def test_flowing_items_name_their_basis_and_disclosures():
    for row in default_rows():
        if ListKind(row.list_kind).has_flow:
            assert row.basis and row.disclosures, row.code
            assert all(step.days or step.level == "applicant" for step in row.steps), row.code


def test_items_whose_path_depends_on_an_amount_name_it():
    for row in default_rows():
        banded = any(s.min_amount is not None or s.below_amount is not None for s in row.steps)
        if banded:
            assert row.amount_label, row.code


def test_homestead_notice_and_county_keys():
    homestead = next(row for row in default_rows() if row.code == "F01")
    group = homestead.steps[1]
    assert group.notice_days == 5 and group.level == "group"
    keys = [step.limit_key for step in homestead.steps]
    assert "homestead.joint_review" in keys and keys[0] == "homestead.application"
    assert len(keys) == len(set(keys)) == 11


def _works_path(db_steps, amount):
    return [step.name for step in db_steps if step.applies_to(amount)]


def test_works_thresholds_change_the_path(cast: Cast):
    county = Division.objects.get(code=COUNTY)
    version = install_default(actor=cast.alice, county=county)
    steps = list(Step.objects.filter(item__version=version, item__code="E01").order_by("position"))
    small = _works_path(steps, Decimal("9999.99"))
    informed = _works_path(steps, Decimal("10000"))
    council = _works_path(steps, Decimal("60000"))
    tender = _works_path(steps, Decimal("100000"))
    assert "两委会研究决定" in small and "告知村务监督委员会" not in small
    assert "告知村务监督委员会" in informed and "村民议事会审议" not in informed
    assert "村民议事会审议" in council and "邀请招标（不少于三家）" in council
    assert "四议两公开决策" not in council
    assert {"四议两公开决策", "公共资源交易平台公开招标"} <= set(tender)
    assert "村民议事会审议" not in tender and "邀请招标（不少于三家）" not in tender
    decision = next(step for step in steps if step.name == "四议两公开决策")
    assert decision.needs_decision
    # without an amount only the steps every case takes
    assert _works_path(steps, None) == [s.name for s in steps if s.min_amount is None]


def test_install_publishes_once(cast: Cast):
    county = Division.objects.get(code=COUNTY)
    first = install_default(actor=cast.alice, county=county)
    assert first.state == VersionState.PUBLISHED
    assert first.catalogue.name == NAME and first.catalogue.is_template
    assert first.items.count() == len(default_rows())
    again = install_default(actor=cast.alice, county=county)
    assert again.pk == first.pk
    assert Catalogue.objects.filter(division=county, name=NAME).count() == 1
    assert Item.objects.filter(version__catalogue__division=county).count() == len(default_rows())


def test_install_needs_a_county_and_the_right(cast: Cast):
    with pytest.raises(ValidationError):
        install_default(actor=cast.alice, county=Division.objects.get(code=TOWN_A))
    with pytest.raises(PermissionDenied):
        install_default(actor=cast.victor, county=Division.objects.get(code=COUNTY))
    assert not Catalogue.objects.filter(name=NAME).exists()

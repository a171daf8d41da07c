"""The catalogue workbook: export and import round-trip, precise refusals, nothing changed on
a bad file, re-running the same file changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from hemei.catalogue import excel, services
from hemei.catalogue.defaults import default_rows
from hemei.catalogue.models import CatalogueVersion, Item, Step
from hemei.core.testing import COUNTY, Cast, zip_bomb_xlsx
from hemei.core.xlsx import workbook_bytes
from hemei.divisions.models import Division


@pytest.fixture
def draft(cast: Cast) -> CatalogueVersion:
    county = Division.objects.get(code=COUNTY)
    return services.create_template(actor=cast.alice, division=county, name="导入测试")


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _edited(data: bytes, sheet: str, cell: str, value) -> bytes:
    book = _book(data)
    book[sheet][cell] = value
    return workbook_bytes(book)


def _messages(raised: pytest.ExceptionInfo) -> str:
    return "\n".join(raised.value.messages)


def test_headers_and_chinese_names():
    book = _book(excel.workbook_of(default_rows()))
    assert book.sheetnames == ["事项清单", "运行流程"]
    items, steps = book["事项清单"], book["运行流程"]
    assert [c.value for c in items[1]] == list(excel.ITEM_COLUMNS.values())
    assert [c.value for c in steps[1]] == list(excel.STEP_COLUMNS.values())
    # names come from the enums, whatever the language of the request
    with translation.override("en"):
        again = _book(excel.workbook_of(default_rows()))
    assert [c.value for c in again["事项清单"][2]] == [c.value for c in items[2]]
    works = next(r for r in items.iter_rows(values_only=True) if r[0] == "E01")
    assert works[8] == "工程预算（元）"
    amounts = [r[12] for r in steps.iter_rows(min_row=2, values_only=True) if r[0] == "E01"]
    assert 10000 in amounts and 100000 in amounts


def test_round_trip_is_exact():
    rows = default_rows()
    assert excel.read_rows(excel.workbook_of(rows)) == rows


def test_round_trip_through_a_version(cast: Cast, draft):
    services.replace_items(actor=cast.alice, version=draft, rows=default_rows())
    data = excel.export_version(draft)
    assert excel.read_rows(data) == excel.rows_of(draft)
    works = next(row for row in excel.read_rows(data) if row.code == "E01")
    bands = [(s.min_amount, s.below_amount) for s in works.steps if s.min_amount]
    assert (Decimal("50000"), Decimal("100000")) in bands


def test_import_is_safe_to_run_again(cast: Cast, draft):
    data = excel.workbook_of(default_rows())
    excel.import_workbook(actor=cast.alice, version=draft, data=data)
    first = excel.rows_of(draft)
    excel.import_workbook(actor=cast.alice, version=draft, data=data)
    assert excel.rows_of(draft) == first
    assert draft.items.count() == len(default_rows())
    assert first == sorted(default_rows(), key=lambda row: row.code)


def test_money_keeps_cents_and_refuses_words():
    data = excel.workbook_of(default_rows())
    book = _book(data)
    steps = book["运行流程"]
    row = next(r[0].row for r in steps.iter_rows(min_row=2) if r[0].value == "E01" and r[12].value)
    steps.cell(row=row, column=13, value="12345.67")
    rows = excel.read_rows(workbook_bytes(book))
    works = next(r for r in rows if r.code == "E01")
    assert Decimal("12345.67") in [s.min_amount for s in works.steps]
    for bad in ("1万", "10,000.00", "-5", "1.005", "abc"):
        steps.cell(row=row, column=13, value=bad)
        with pytest.raises(ValidationError) as raised:
            excel.read_rows(workbook_bytes(book))
        assert f"第{row}行" in _messages(raised) or f"row {row}" in _messages(raised)
        assert "M（金额下限）" in _messages(raised)


def _existing(draft) -> list:
    return [(i.code, i.name, i.steps.count()) for i in draft.items.order_by("code")]


def _refused(cast, draft, data: bytes) -> str:
    before = (_existing(draft), Step.objects.count())
    with pytest.raises(ValidationError) as raised:
        excel.import_workbook(actor=cast.alice, version=draft, data=data)
    assert (_existing(draft), Step.objects.count()) == before
    return _messages(raised)


@pytest.fixture
def filled(cast: Cast, draft) -> CatalogueVersion:
    services.replace_items(actor=cast.alice, version=draft, rows=default_rows()[:3])
    return draft


def test_wrong_header(cast, filled):
    data = _edited(excel.workbook_of(default_rows()), "事项清单", "B1", "类别")
    message = _refused(cast, filled, data)
    assert "清单类别" in message


def test_missing_sheet(cast, filled):
    book = _book(excel.workbook_of(default_rows()))
    del book["运行流程"]
    assert "运行流程" in _refused(cast, filled, workbook_bytes(book))


def test_every_problem_listed_with_its_place(cast, filled):
    data = excel.workbook_of(default_rows())
    book = _book(data)
    items, steps = book["事项清单"], book["运行流程"]
    items["B2"] = "红名单"  # unknown list
    items["A3"] = items["A2"].value  # duplicate number
    steps["D2"] = "省政府"  # unknown level
    steps["E3"] = "五天"  # not a number
    steps["F4"] = "小时"  # unknown unit
    steps["A5"] = "Z99"  # step for an unknown item
    steps["L6"] = "也许"  # not 是/否
    steps["J7"] = 61  # notice beyond the model's bound
    with translation.override("zh-hans"):
        message = _refused(cast, filled, workbook_bytes(book))
    with translation.override("en"):
        english = _refused(cast, filled, workbook_bytes(book))
    for place in (
        "row 2, column B",
        "row 3, column A",
        "row 2, column D",
        "row 3, column E",
        "row 4, column F",
        "row 5, column A",
        "row 6, column L",
        "row 7, column J",
    ):
        assert place in english, place
    assert "红名单" in message and "Z99" in message and "五天" in message
    assert len(message.splitlines()) >= 8


def test_duplicate_step_numbers(cast, filled):
    book = _book(excel.workbook_of(default_rows()))
    book["运行流程"]["B3"] = 1
    with translation.override("en"):
        assert "row 3, column B" in _refused(cast, filled, workbook_bytes(book))


def test_an_item_without_steps_is_refused_with_its_row(cast, filled):
    book = _book(excel.workbook_of(default_rows()))
    sheet = book["运行流程"]
    for row in reversed(range(2, sheet.max_row + 1)):
        if sheet.cell(row=row, column=1).value == "A02":
            sheet.delete_rows(row)
    with translation.override("en"):
        message = _refused(cast, filled, workbook_bytes(book))
    assert "row 3" in message and "A02" in message


def test_zip_bomb_and_not_a_workbook(cast, filled):
    _refused(cast, filled, zip_bomb_xlsx())
    _refused(cast, filled, b"not a workbook at all")
    assert Item.objects.filter(version=filled).count() == 3

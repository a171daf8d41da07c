"""户籍导入 and export: a clean file is written whole, any bad row writes nothing, re-runs
change nothing, exports mask protected values."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook, load_workbook

from hemei.accounts.models import AuditEntry
from hemei.core.testing import VILLAGE_A
from hemei.divisions.models import Division
from hemei.households import services, sheets
from hemei.households.models import Household, HouseholdEvent, Resident, VillageGroup
from hemei.households.tests.factories import fake_id

pytestmark = pytest.mark.django_db

HEADERS = [
    "户号",
    "村民小组",
    "姓名",
    "与户主关系",
    "性别",
    "出生日期",
    "身份证号",
    "联系电话",
    "住址",
]
ID1 = fake_id(dt.date(1960, 2, 3))
ID2 = fake_id(dt.date(1962, 4, 5), male=False)
ID3 = fake_id(dt.date(1988, 6, 7))
ID4 = fake_id(dt.date(1975, 1, 9))


def good_rows() -> list[list[Any]]:
    return [
        [
            "001",
            "第一村民小组",
            "陈大山",
            "户主",
            "男",
            "1960-02-03",
            ID1,
            "13900000011",
            "红花山村1号",
        ],
        ["001", "第一村民小组", "刘桂芝", "配偶", "", "", ID2, "", "红花山村1号"],
        ["001", "第一村民小组", "陈小军", "儿子", "男", dt.datetime(1988, 6, 7), ID3, "", ""],
        ["001", "第一村民小组", "陈朵朵", "孙女", "女", "2015/3/4", "", "", ""],
        ["002", "第二村民小组", "周海", "户主", "男", "", ID4, "0532-88881234", "红花山村8号"],
    ]


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS, merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def village():
    return Division.objects.get(code=VILLAGE_A)


def state() -> tuple[int, ...]:
    return (
        Household.objects.count(),
        Resident.objects.count(),
        VillageGroup.objects.count(),
        HouseholdEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def run(cast, village, data: bytes) -> sheets.ImportReport:
    return sheets.import_register(actor=cast.victor, village=village, data=data)


def test_it_imports_a_good_file(cast, village):
    report = run(cast, village, xlsx(good_rows()))
    assert report.ok
    assert (report.households_created, report.members_added) == (2, 5)
    first = Household.objects.get(village=village, number="001")
    assert first.head.name == "陈大山" and first.group.name == "第一村民小组"
    assert first.address == "红花山村1号"
    assert sorted(first.members.values_list("relation", flat=True)) == sorted(
        ["head", "spouse", "child", "grandchild"]
    )
    wife = first.members.get(name="刘桂芝")
    assert wife.birth_date == dt.date(1962, 4, 5) and wife.gender == "female"
    assert wife.id_number == ID2
    assert first.members.get(name="陈朵朵").birth_date == dt.date(2015, 3, 4)
    assert Household.objects.get(number="002").head.phone == "0532-88881234"
    assert first.events.order_by("id").first().kind == "create"


def test_re_running_the_same_file_changes_nothing(cast, village):
    data = xlsx(good_rows())
    run(cast, village, data)
    before = state()
    report = run(cast, village, data)
    assert report.ok and report.unchanged == 5
    assert (report.households_created, report.members_added, report.members_updated) == (0, 0, 0)
    assert state() == before


def test_a_second_file_corrects_and_adds(cast, village):
    run(cast, village, xlsx(good_rows()))
    rows = good_rows()
    rows[1][7] = "13700000002"
    rows.append(["001", "第一村民小组", "陈二宝", "孙子", "男", "2019-09-09", "", "", ""])
    report = run(cast, village, xlsx(rows))
    assert (report.members_updated, report.members_added, report.unchanged) == (1, 1, 4)
    assert Resident.objects.get(name="刘桂芝").phone == "13700000002"


BAD_CASES = {
    "bad checksum": (
        lambda rows: rows[0].__setitem__(6, ID1[:17] + ("0" if ID1[17] != "0" else "1")),
        2,
    ),
    "duplicate id": (lambda rows: rows[2].__setitem__(6, ID1), 4),
    "missing head": (lambda rows: rows[4].__setitem__(3, "子女"), 6),
    "second head": (lambda rows: rows[1].__setitem__(3, "户主"), 3),
    "unknown relation": (lambda rows: rows[1].__setitem__(3, "表亲"), 3),
    "bad date": (lambda rows: rows[3].__setitem__(5, "2015-13-45"), 5),
    "bad gender": (lambda rows: rows[3].__setitem__(4, "未知"), 5),
    "bad phone": (lambda rows: rows[0].__setitem__(7, "12345"), 2),
    "id as number": (lambda rows: rows[2].__setitem__(6, 370215198806070000), 4),
    "empty name": (lambda rows: rows[3].__setitem__(2, ""), 5),
    "two addresses": (lambda rows: rows[1].__setitem__(8, "别处"), 2),
    "birth date against id": (lambda rows: rows[0].__setitem__(5, "1961-01-01"), 2),
}


@pytest.mark.parametrize("case", BAD_CASES)
def test_a_bad_row_writes_nothing_and_is_named(cast, village, case):
    spoil, row = BAD_CASES[case]
    rows = good_rows()
    spoil(rows)
    before = state()
    with pytest.raises(sheets.ImportFailed) as failed:
        run(cast, village, xlsx(rows))
    assert state() == before
    assert row in [number for number, _ in failed.value.report.errors], failed.value.report.errors


def test_an_id_already_in_another_household_is_an_error(cast, village):
    services.create_household(
        actor=cast.victor, village=village, number="900", head={"name": "外人", "id_number": ID3}
    )
    before = state()
    with pytest.raises(sheets.ImportFailed) as failed:
        run(cast, village, xlsx(good_rows()))
    assert state() == before
    ((row, message),) = failed.value.report.errors
    assert row == 4 and "900" in message


@pytest.mark.parametrize(
    ("data", "row"),
    [
        (xlsx(good_rows(), headers=HEADERS[:2] + HEADERS[3:]), 1),  # no 姓名
        (xlsx(good_rows(), headers=[*HEADERS[:-1], "备注"]), 1),  # unknown column
        (xlsx(good_rows(), merge="A2:A4"), 2),
        (xlsx([]), 2),
        (b"not a workbook", 0),
    ],
    ids=["missing column", "unknown column", "merged cells", "no rows", "not xlsx"],
)
def test_a_bad_file_writes_nothing(cast, village, data, row):
    before = state()
    with pytest.raises(sheets.ImportFailed) as failed:
        run(cast, village, data)
    assert row in [number for number, _ in failed.value.report.errors]
    assert state() == before


def test_only_writers_of_the_village_import(cast, village):
    for outsider in (cast.owen, cast.vera, cast.lily):
        with pytest.raises(PermissionDenied):
            sheets.import_register(actor=outsider, village=village, data=xlsx(good_rows()))
    assert Household.objects.count() == 0


def test_the_template_imports_as_is(cast, village):
    book = load_workbook(io.BytesIO(sheets.template_xlsx()))
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
    report = run(cast, village, sheets.template_xlsx())
    assert report.households_created == 1 and report.members_added == 2


def test_the_export_masks_and_the_full_export_re_imports(cast, village):
    run(cast, village, xlsx(good_rows()))
    residents = Resident.objects.select_related("household__group").order_by(
        "household__number", "id"
    )
    masked = load_workbook(io.BytesIO(sheets.export_xlsx(residents))).worksheets[0]
    cells = [str(c.value) for row in masked.iter_rows() for c in row]
    assert ID1 not in cells and "13900000011" not in cells
    assert f"{ID1[:6]}********{ID1[-4:]}" in cells and "139****0011" in cells
    full = sheets.export_xlsx(residents, full=True)
    assert ID1 in [
        str(c.value)
        for row in load_workbook(io.BytesIO(full)).worksheets[0].iter_rows()
        for c in row
    ]
    before = state()
    assert run(cast, village, full).unchanged == 5
    assert state() == before


def test_the_export_never_writes_a_formula(cast, village):
    services.create_household(
        actor=cast.victor, village=village, number="1", head={"name": "=HYPERLINK(1)"}
    )
    data = sheets.export_xlsx(Resident.objects.select_related("household__group"))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cell = sheet["C2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


def test_a_file_longer_than_the_limit_writes_nothing(cast, village):
    rows = [[f"{n:04d}", "", f"村民{n}", "户主"] for n in range(sheets.MAX_ROWS + 1)]
    before = state()
    with translation.override("zh-hans"), pytest.raises(sheets.ImportFailed) as failed:
        run(cast, village, xlsx(rows))
    assert failed.value.report.errors == [(0, f"每次最多导入 {sheets.MAX_ROWS} 行。")]
    assert state() == before

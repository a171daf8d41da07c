"""The register as a spreadsheet: the import template, the import, and the export.

Import (户籍导入) into one village, one row per person, columns 户号, 村民小组, 姓名,
与户主关系, 性别, 出生日期, 身份证号, 联系电话, 住址. The whole file is checked first and every
problem is reported with its row; only a clean file is written, in one transaction.

Matching rule, so that re-running a file changes nothing:

* a household is the village's household with the same 户号 (created when missing);
* a person is the village's person with the same ID number; a row without an ID number is
  the member of that household with the same name; an unmatched row adds a member;
* a matched person's details are corrected to the file's, a group named in the file is
  created when missing; nobody is removed or moved by an import: a person whose ID number is
  registered in another household, or a head that differs from the register, is an error
  (those changes are events, recorded on the household page).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hemei.accounts.models import mask_phone
from hemei.accounts.policy import check_at
from hemei.core import clock
from hemei.core.faults import fault_point
from hemei.core.xlsx import (
    SheetReader,
    TooManyRows,
    UnreadableWorkbook,
    append_row,
    new_workbook,
    open_workbook,
    workbook_bytes,
)
from hemei.divisions.models import Division

from . import crypto, services
from .choices import Gender, Relation
from .models import Household, Resident, VillageGroup
from .validators import (
    mask_id_number,
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_phone,
)

#: Column key → accepted titles (the first is the template's).
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("户号", "household number", "number"),
    "group": ("村民小组", "小组", "组别", "village group", "group"),
    "name": ("姓名", "name"),
    "relation": ("与户主关系", "关系", "relation"),
    "gender": ("性别", "gender"),
    "birth_date": ("出生日期", "birth date"),
    "id_number": ("身份证号", "公民身份号码", "身份证号码", "id number"),
    "phone": ("联系电话", "电话", "手机号", "phone"),
    "address": ("住址", "地址", "address"),
}
REQUIRED = ("number", "name", "relation")
MAX_ROWS = 5000

RELATION_WORDS: dict[str, str] = {
    "户主": Relation.HEAD,
    "本人": Relation.HEAD,
    "配偶": Relation.SPOUSE,
    "妻": Relation.SPOUSE,
    "妻子": Relation.SPOUSE,
    "夫": Relation.SPOUSE,
    "丈夫": Relation.SPOUSE,
    "子女": Relation.CHILD,
    "子": Relation.CHILD,
    "女": Relation.CHILD,
    "儿子": Relation.CHILD,
    "女儿": Relation.CHILD,
    "长子": Relation.CHILD,
    "次子": Relation.CHILD,
    "长女": Relation.CHILD,
    "次女": Relation.CHILD,
    "父母": Relation.PARENT,
    "父亲": Relation.PARENT,
    "母亲": Relation.PARENT,
    "孙子女": Relation.GRANDCHILD,
    "孙子": Relation.GRANDCHILD,
    "孙女": Relation.GRANDCHILD,
    "外孙子": Relation.GRANDCHILD,
    "外孙女": Relation.GRANDCHILD,
    "兄弟姐妹": Relation.SIBLING,
    "兄": Relation.SIBLING,
    "弟": Relation.SIBLING,
    "姐": Relation.SIBLING,
    "妹": Relation.SIBLING,
    "其他": Relation.OTHER,
    "儿媳": Relation.OTHER,
    "女婿": Relation.OTHER,
    **{value: value for value in Relation.values},
}
RELATION_LABELS = {
    Relation.HEAD: "户主",
    Relation.SPOUSE: "配偶",
    Relation.CHILD: "子女",
    Relation.PARENT: "父母",
    Relation.GRANDCHILD: "孙子女",
    Relation.SIBLING: "兄弟姐妹",
    Relation.OTHER: "其他",
}
GENDER_WORDS = {
    "男": Gender.MALE,
    "女": Gender.FEMALE,
    "male": Gender.MALE,
    "female": Gender.FEMALE,
}
GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


@dataclass
class ImportReport:
    """What an import did, or row by row why it did nothing."""

    households_created: int = 0
    households_updated: int = 0
    members_added: int = 0
    members_updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFailed(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.errors)} problems")
        self.report = report


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    person: dict[str, Any] = field(default_factory=dict)


# --- reading -----------------------------------------------------------------------------


def _fail(row: int, message: str) -> ImportFailed:
    return ImportFailed(ImportReport(errors=[(row, message)]))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(data: bytes) -> list[Row]:
    """The data rows of the first sheet, keyed by column; header and layout problems raise."""
    try:
        with open_workbook(data, max_rows=MAX_ROWS + 1) as book:
            return _read_sheet(book.sheets[0])
    except TooManyRows:
        raise _fail(0, _("At most %(n)s rows per import.") % {"n": MAX_ROWS}) from None
    except UnreadableWorkbook as refused:
        raise _fail(0, refused.message) from None


def _read_sheet(sheet: SheetReader) -> list[Row]:
    errors: list[tuple[int, str]] = []
    rows = sheet.rows()
    header = next(rows, None)
    if not header or all(value in (None, "") for value in header):
        raise _fail(1, _("The sheet is empty: the first row must hold the column titles."))
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        text = _text(title).lower()
        if not text:
            continue
        key = next((k for k, names in COLUMNS.items() if text in names), None)
        if key is None:
            errors.append((1, _("Unknown column “%(title)s”.") % {"title": _text(title)}))
        elif key in positions:
            errors.append((1, _("The column “%(title)s” appears twice.") % {"title": _text(title)}))
        else:
            positions[key] = index
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in positions]
    if missing:
        errors.append((1, _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)}))
    for merged in sheet.merged_ranges():
        errors.append(
            (
                merged.min_row,
                _("Merged cells %(range)s: unmerge them and fill in every row.")
                % {"range": merged.coord},
            )
        )
    if errors:
        raise ImportFailed(ImportReport(errors=errors))
    result: list[Row] = []
    for number, values in enumerate(rows, start=2):
        if all(value in (None, "") for value in values):
            continue
        record = {
            key: None if index >= len(values) else values[index] for key, index in positions.items()
        }
        result.append(Row(number=number, values=record))
        if len(result) > MAX_ROWS:
            raise _fail(number, _("At most %(n)s rows per import.") % {"n": MAX_ROWS})
    if not result:
        raise _fail(2, _("The sheet has no people."))
    return result


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse(row: Row) -> list[str]:
    """Fill ``row.person`` from the cells; the problems found, as messages."""
    problems: list[str] = []
    values = row.values
    if not _text(values.get("number")):
        problems.append(_("The household number (户号) is empty."))
    relation_text = _text(values.get("relation"))
    relation = RELATION_WORDS.get(relation_text.lower())
    if relation is None:
        problems.append(
            _("Unknown relation “%(value)s”: use one of %(choices)s.")
            % {"value": relation_text, "choices": "、".join(RELATION_LABELS.values())}
        )
    gender_text = _text(values.get("gender")).lower()
    gender = GENDER_WORDS.get(gender_text, "")
    if gender_text and not gender:
        problems.append(_("Unknown gender “%(value)s”: use 男 or 女.") % {"value": gender_text})
    try:
        birth_date = _date(values.get("birth_date"))
    except ValueError:
        birth_date = None
        problems.append(
            _("The birth date “%(value)s” is not a date such as 1980-01-31.")
            % {"value": _text(values.get("birth_date"))}
        )
    id_value = values.get("id_number")
    if isinstance(id_value, float | int) and not isinstance(id_value, bool):
        problems.append(
            _("The ID number is stored as a number, which Excel rounds: format the column as text.")
        )
        id_value = ""
    row.person = {
        "name": _text(values.get("name")),
        "relation": relation or Relation.OTHER,
        "gender": gender,
        "birth_date": birth_date,
        "id_number": normalize_id_number(_text(id_value)),
        "phone": normalize_phone(_text(values.get("phone"))),
    }
    # what needs no database is checked here too, so that one upload lists every problem
    person = row.person
    if not person["name"]:
        problems.append(_("Enter the name."))
    for key, check in (("id_number", validate_id_number), ("phone", validate_phone)):
        if person[key]:
            try:
                check(person[key])
            except ValidationError as exc:
                problems.extend(exc.messages)
    if birth_date and birth_date > clock.today():
        problems.append(_("The birth date cannot be in the future."))
    return problems


# --- checking and writing ----------------------------------------------------------------


def import_register(*, actor: Any, village: Division, data: bytes) -> ImportReport:
    """Import a register sheet into ``village``: all of it, or nothing and the reasons."""
    check_at(
        actor,
        "write_register",
        village.code,
        _("You may not change the household register of this village."),
    )
    rows = read_rows(data)
    report = ImportReport()
    for row in rows:
        report.errors.extend((row.number, message) for message in _parse(row))
    households: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if _text(row.values.get("number")):
            households[_text(row.values["number"])].append(row)
    _check_file(households, report)
    if report.errors:
        raise ImportFailed(_sorted(report))
    try:
        with transaction.atomic():
            known = _Known(village)
            for number, members in households.items():
                _write_household(actor, village, number, members, report, known)
                fault_point("households.import.household")  # some households written
            if report.errors:
                raise ImportFailed(report)
    except ImportFailed:
        report.households_created = report.households_updated = 0
        report.members_added = report.members_updated = report.unchanged = 0
        raise ImportFailed(_sorted(report)) from None
    return report


def _sorted(report: ImportReport) -> ImportReport:
    report.errors.sort(key=lambda item: item[0])
    return report


def _check_file(households: dict[str, list[Row]], report: ImportReport) -> None:
    """Problems visible in the file alone: heads, duplicates, conflicting household cells."""
    seen_ids: dict[str, int] = {}
    for number, rows in households.items():
        heads = [row for row in rows if row.person.get("relation") == Relation.HEAD]
        if not heads:
            report.errors.append(
                (rows[0].number, _("Household %(n)s has no head (户主).") % {"n": number})
            )
        for extra in heads[1:]:
            report.errors.append(
                (
                    extra.number,
                    _("Household %(n)s has a second head (first on row %(row)s).")
                    % {"n": number, "row": heads[0].number},
                )
            )
        for key, label in (("group", "村民小组"), ("address", "住址")):
            texts = {_text(row.values.get(key)) for row in rows} - {""}
            if len(texts) > 1:
                report.errors.append(
                    (
                        rows[0].number,
                        _("Household %(n)s has different values of %(column)s: %(values)s.")
                        % {"n": number, "column": label, "values": "、".join(sorted(texts))},
                    )
                )
        names: dict[str, int] = {}
        for row in rows:
            id_number = row.person.get("id_number", "").upper()
            if id_number:
                if id_number in seen_ids:
                    report.errors.append(
                        (
                            row.number,
                            _("The ID number is also on row %(row)s.")
                            % {"row": seen_ids[id_number]},
                        )
                    )
                else:
                    seen_ids[id_number] = row.number
            elif row.person.get("name") in names:
                report.errors.append(
                    (
                        row.number,
                        _("%(name)s appears twice in household %(n)s without an ID number.")
                        % {"name": row.person["name"], "n": number},
                    )
                )
            names.setdefault(row.person.get("name", ""), row.number)


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class _Known:
    """The village's register read once, so that matching a row costs no query."""

    def __init__(self, village: Division) -> None:
        self.groups = {g.name: g for g in VillageGroup.objects.filter(village=village)}
        self.households = {
            h.number: h for h in Household.objects.filter(village=village).select_related("head")
        }
        self.by_id: dict[str, Resident] = {}
        self.by_name: dict[tuple[int, str], Resident] = {}
        for resident in Resident.objects.filter(village=village).select_related("household"):
            if resident.id_number_index:
                self.by_id[resident.id_number_index] = resident
            else:
                self.by_name.setdefault((resident.household_id, resident.name), resident)

    def match(self, household: Household, person: dict[str, Any]) -> Resident | None:
        if person["id_number"]:
            return self.by_id.get(crypto.blind_index(person["id_number"]))
        return self.by_name.get((household.pk, person["name"]))


def _write_household(
    actor: Any,
    village: Division,
    number: str,
    rows: list[Row],
    report: ImportReport,
    known: _Known,
) -> None:
    head_row = next(row for row in rows if row.person["relation"] == Relation.HEAD)
    group_name = next(
        (_text(r.values.get("group")) for r in rows if _text(r.values.get("group"))), ""
    )
    address = next(
        (_text(r.values.get("address")) for r in rows if _text(r.values.get("address"))), ""
    )
    group = known.groups.get(group_name) if group_name else None
    if group_name and group is None:
        group = services.create_village_group(actor=actor, village=village, name=group_name)
        known.groups[group_name] = group
    household = known.households.get(number)
    created = household is None
    if household is None:
        try:
            household = services.create_household(
                actor=actor,
                village=village,
                number=number,
                head=head_row.person,
                group=group,
                address=address,
                note=_("imported"),
            )
        except ValidationError as exc:
            report.errors.append((head_row.number, _messages(exc)))
            return
        report.households_created += 1
        report.members_added += 1
    else:
        if not household.is_active:
            report.errors.append(
                (head_row.number, _("Household %(n)s is no longer active.") % {"n": number})
            )
            return
        changes: dict[str, Any] = {}
        if group is not None and household.group_id != group.pk:
            changes["group"] = group
        if address and household.address != address:
            changes["address"] = address
        if changes:
            services.update_household(actor=actor, household=household, **changes)
            report.households_updated += 1
    for row in rows:
        if not (created and row is head_row):
            try:
                _write_member(actor, household, row, report, known)
            except ValidationError as exc:
                report.errors.append((row.number, _messages(exc)))


def _head_differs(household: Household) -> ValidationError:
    return ValidationError(
        _("The head differs from the register (%(name)s): change the head on the household page.")
        % {"name": household.head_name}
    )


def _write_member(
    actor: Any, household: Household, row: Row, report: ImportReport, known: _Known
) -> None:
    person = row.person
    resident = known.match(household, person)
    if resident is None or (not resident.is_active and resident.household_id != household.pk):
        if person["relation"] == Relation.HEAD:
            raise _head_differs(household)
        services.add_member(actor=actor, household=household, note=_("imported"), **person)
        report.members_added += 1
        return
    if resident.household_id != household.pk:
        raise ValidationError(
            _(
                "%(name)s is registered in household %(other)s: moves are recorded on the "
                "household page."
            )
            % {"name": resident.name, "other": resident.household.number}
        )
    if (person["relation"] == Relation.HEAD) != (household.head_id == resident.pk):
        raise _head_differs(household)
    if not resident.is_active:
        raise ValidationError(
            _("%(name)s has left the household: add them back on the household page.")
            % {"name": resident.name}
        )
    wanted = {
        key: value
        for key, value in person.items()
        if value not in ("", None) and getattr(resident, key) != value
    }
    if wanted:
        services.update_resident(actor=actor, resident=resident, **wanted)
        report.members_updated += 1
    else:
        report.unchanged += 1


# --- template and export -----------------------------------------------------------------

HEADERS = [names[0] for names in COLUMNS.values()]
TEXT_COLUMNS = ("number", "id_number", "phone")


def _book(rows: Iterable[list[Any]]) -> Workbook:
    book = new_workbook()
    sheet = book.active
    sheet.title = "户籍"
    append_row(sheet, HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)  # a name typed as "=..." is text, never a formula
    keys = list(COLUMNS)
    for index, key in enumerate(keys, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 22 if key in ("id_number", "address") else 13
        if key in TEXT_COLUMNS:
            # Text, so that Excel keeps all 18 digits of an ID number typed in later.
            sheet.column_dimensions[letter].number_format = "@"
            for cell in sheet[letter][1:]:
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    return book


def template_xlsx() -> bytes:
    """The import template: the column titles, two example rows and a sheet of notes."""
    book = _book(
        [
            [
                "001",
                "第一村民小组",
                "张三",
                "户主",
                "男",
                "1970-05-01",
                "",
                "13900000000",
                "某村1号",
            ],
            ["001", "第一村民小组", "李四", "配偶", "女", "1972-08-15", "", "", "某村1号"],
        ]
    )
    notes = book.create_sheet("说明")
    for line in (
        "每人一行；同一户号的各行为一户，每户须有且只有一名户主。",
        "与户主关系：" + "、".join(RELATION_LABELS.values()) + "。",
        "身份证号请以文本格式填写（18位，末位可为X）；出生日期、性别为空时按身份证号补齐。",
        "不要合并单元格。导入全部成功才写入；有错误时逐行列出，什么也不写入。",
        "重复导入同一文件不会产生变化：按户号匹配户，按身份证号（无身份证号时按户内姓名）匹配人。",
    ):
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 100
    return workbook_bytes(book)


def register_rows(residents: Iterable[Resident], *, full: bool = False) -> Iterable[list[Any]]:
    """One row per person, in the import's columns; protected values masked unless ``full``."""
    for resident in residents:
        household = resident.household
        yield [
            household.number,
            household.group.name if household.group_id and household.group else "",
            resident.name,
            RELATION_LABELS.get(resident.relation, resident.relation),
            GENDER_LABELS.get(resident.gender, ""),
            resident.birth_date.isoformat() if resident.birth_date else "",
            resident.id_number if full else mask_id_number(resident.id_number),
            resident.phone if full else mask_phone(resident.phone),
            household.address,
        ]


def export_xlsx(residents: Iterable[Resident], *, full: bool = False) -> bytes:
    return workbook_bytes(_book(register_rows(residents, full=full)))

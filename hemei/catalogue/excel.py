"""A catalogue version as the workbook county offices keep, and back.

Sheet 1 “事项清单” has one row per item; sheet 2 “运行流程” one row per step, tied to its
item by 事项序号 (the item's number). Choices are written with their Chinese names (read
from the enums, so the names on the pages and in the workbook are the same); on import the
Chinese name, the English one or the stored value are accepted. 办理时限(合计) is worked out
on export and ignored on import.

Money is a plain number of yuan (``10000`` or ``10000.50``, written as a number or as text)
and is read as an exact Decimal; ``1万`` or ``10,000`` are refused with a message saying so,
rather than guessed at.

The import reads the whole workbook first (through :mod:`hemei.core.xlsx`, which refuses zip
bombs and over-long sheets) and reports every problem with its sheet, row and column; only a
clean workbook reaches :func:`services.replace_items`, which replaces the draft's items all
or nothing, so importing the same file again gives the same items.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hemei.core.xlsx import (
    TooManyRows,
    UnreadableWorkbook,
    append_row,
    new_workbook,
    open_workbook,
    text_width,
    workbook_bytes,
)
from hemei.procedures.choices import TimeUnit

from . import services
from .choices import Disclosure, Level, ListKind, Starter
from .models import CatalogueVersion, Item
from .services import ItemRow, StepRow

ITEMS_SHEET = "事项清单"
STEPS_SHEET = "运行流程"
#: Column key → header, in the order of the sheet.
ITEM_COLUMNS: dict[str, str] = {
    "code": "序号",
    "list_kind": "清单类别",
    "area": "领域",
    "name": "事项名称",
    "basis": "法律依据",
    "starter": "发起人",
    "total": "办理时限(合计)",
    "disclosures": "公开内容(五公开)",
    "amount_label": "金额依据",
    "result_document": "办结文书",
    "note": "备注",
}
STEP_COLUMNS: dict[str, str] = {
    "item": "事项序号",
    "position": "步骤",
    "name": "步骤名称",
    "level": "办理主体",
    "days": "时限",
    "unit": "单位",
    "extension_days": "可延长",
    "limit_key": "县定时限键",
    "materials": "所需材料",
    "notice_days": "公示天数",
    "notice_unit": "公示单位",
    "needs_decision": "需四议两公开",
    "min_amount": "金额下限",
    "below_amount": "金额上限",
}
#: Columns written on export but not read back (worked out from the steps).
DERIVED = frozenset({"total"})
#: Rows a sheet may have, header included (a county catalogue has a few hundred steps).
MAX_ROWS = 3000
#: Upper bounds of the day columns (the model's validators).
MAX_DAYS = {"days": 365, "extension_days": 365, "notice_days": 60}
EXPORT_LANGUAGE = "zh-hans"

YES, NO = "是", "否"
_YES = {"是", "√", "✓", "y", "yes", "true", "1"}
_NO = {"否", "×", "n", "no", "false", "0"}
#: 日 and 天 are what offices write for calendar days (DOMAIN: 工作日 vs 日).
_UNIT_ALIASES = {"日": TimeUnit.CALENDAR_DAY, "天": TimeUnit.CALENDAR_DAY}
_LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")
_PLAIN_NUMBER = re.compile(r"^\d+(\.\d{1,2})?$")


# --- labels --------------------------------------------------------------------------------


def label(choices: type[models.TextChoices], value: str) -> str:
    """The Chinese name of a choice, as the workbook shows it."""
    with translation.override(EXPORT_LANGUAGE):
        return str(choices(value).label)


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Text → value: the stored value and the Chinese and English names all read back."""
    found: dict[str, str] = {}
    for language in ("en", EXPORT_LANGUAGE):
        with translation.override(language):
            for member in choices:
                found[_plain(str(member.label))] = member.value
    for member in choices:
        found[_plain(member.value)] = member.value
    return found


# --- export --------------------------------------------------------------------------------


def rows_of(version: CatalogueVersion) -> list[ItemRow]:
    """The version's items as rows (what an import of its export gives back)."""
    rows = []
    for item in version.items.prefetch_related("steps").order_by("code"):
        rows.append(
            ItemRow(
                code=item.code,
                list_kind=item.list_kind,
                area=item.area,
                name=item.name,
                basis=item.basis,
                starter=item.starter,
                amount_label=item.amount_label,
                disclosures=list(item.disclosures),
                result_document=item.result_document,
                note=item.note,
                steps=[_step_row(step) for step in item.steps.all()],
            )
        )
    return rows


def _step_row(step: Any) -> StepRow:
    return StepRow(
        name=step.name,
        level=step.level,
        days=step.days,
        unit=step.unit,
        extension_days=step.extension_days,
        limit_key=step.limit_key,
        materials=step.materials,
        notice_days=step.notice_days,
        notice_unit=step.notice_unit,
        needs_decision=step.needs_decision,
        min_amount=step.min_amount,
        below_amount=step.below_amount,
    )


def total_time(row: ItemRow) -> str:
    """The days of the path taken without an amount, per unit (``25个工作日 + 90日``); the
    steps that only larger amounts add are left out and said to be."""
    totals: dict[str, int] = {}
    by_amount = False
    for step in row.steps:
        if step.min_amount is not None:
            by_amount = True
            continue
        totals[step.unit] = totals.get(step.unit, 0) + step.days
    with translation.override(EXPORT_LANGUAGE):
        parts = [
            f"{days}{label(TimeUnit, unit)}"
            for unit, days in sorted(totals.items(), key=lambda pair: pair[0] != TimeUnit.WORKDAY)
            if days
        ]
        text = " + ".join(parts)
        if text and by_amount:
            text += str(_("(more for larger amounts)"))
    return text


def _money(amount: Decimal | None) -> Any:
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else amount


def _item_cells(row: ItemRow) -> list[Any]:
    return [
        row.code,
        label(ListKind, row.list_kind),
        row.area,
        row.name,
        row.basis,
        label(Starter, row.starter),
        total_time(row),
        "、".join(label(Disclosure, value) for value in row.disclosures),
        row.amount_label,
        row.result_document,
        row.note,
    ]


def _step_cells(code: str, position: int, step: StepRow) -> list[Any]:
    return [
        code,
        position,
        step.name,
        label(Level, step.level),
        step.days,
        label(TimeUnit, step.unit),
        step.extension_days,
        step.limit_key,
        step.materials,
        step.notice_days,
        label(TimeUnit, step.notice_unit),
        YES if step.needs_decision else NO,
        _money(step.min_amount),
        _money(step.below_amount),
    ]


def _fill(sheet: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [text_width(header) for header in headers]
    for values in rows:
        append_row(sheet, values)
        for index, value in enumerate(values):
            widths[index] = max(
                widths[index], min(50, text_width("" if value is None else str(value)))
            )
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A2"


def workbook_of(rows: Sequence[ItemRow]) -> bytes:
    """The two sheets of ``rows`` as .xlsx bytes."""
    book = new_workbook()
    items = book.active
    items.title = ITEMS_SHEET
    _fill(items, list(ITEM_COLUMNS.values()), [_item_cells(row) for row in rows])
    steps = book.create_sheet(STEPS_SHEET)
    _fill(
        steps,
        list(STEP_COLUMNS.values()),
        [
            _step_cells(row.code, position, step)
            for row in rows
            for position, step in enumerate(row.steps, start=1)
        ],
    )
    return workbook_bytes(book)


def export_version(version: CatalogueVersion) -> bytes:
    return workbook_of(rows_of(version))


# --- import --------------------------------------------------------------------------------


class _Bad(Exception):
    """One cell's problem (its message is for the user)."""


def _header_key(text: Any) -> str:
    """Headers compare without spaces and with either kind of brackets."""
    plain = re.sub(r"\s+", "", "" if text is None else str(text))
    return plain.replace("（", "(").replace("）", ")")


class _Reader:
    """Reads the two sheets, collecting every problem with its place."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.lookups = {
            ListKind: _lookup(ListKind),
            Starter: _lookup(Starter),
            Level: _lookup(Level),
            Disclosure: _lookup(Disclosure),
            TimeUnit: {**_lookup(TimeUnit), **_UNIT_ALIASES},
        }

    def problem(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(
            _("Sheet “%(sheet)s”, row %(row)d, column %(column)s: %(problem)s")
            % {"sheet": sheet, "row": row, "column": column, "problem": message}
        )

    # cells

    @staticmethod
    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def choice(self, choices: type[models.TextChoices], value: Any) -> str:
        text = self.text(value)
        found = self.lookups[choices].get(_plain(text))
        if found is None:
            names = "、".join(label(choices, member.value) for member in choices)
            raise _Bad(_("“%(value)s” is not one of: %(names)s.") % {"value": text, "names": names})
        return found

    def disclosures(self, value: Any) -> list[str]:
        parts = [part for part in _LIST_SEPARATORS.split(self.text(value)) if part]
        return [self.choice(Disclosure, part) for part in parts]

    def days(self, value: Any, most: int) -> int:
        if value is None or value == "":
            return 0
        number: Any = value
        if isinstance(value, str):
            number = value.strip()
            if not number.isdigit():
                raise _Bad(_("“%(value)s” is not a whole number of days.") % {"value": value})
            number = int(number)
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, int):
            raise _Bad(_("“%(value)s” is not a whole number of days.") % {"value": value})
        if not 0 <= number <= most:
            raise _Bad(_("Days must be from 0 to %(most)d.") % {"most": most})
        return number

    def position(self, value: Any) -> int:
        try:
            number = self.days(value, 999)
        except _Bad:
            number = 0
        if not number:
            raise _Bad(_("Number the steps 1, 2, 3…"))
        return number

    def flag(self, value: Any) -> bool:
        text = _plain(self.text(value))
        if text in _YES:
            return True
        if not text or text in _NO:
            return False
        raise _Bad(_("Write 是 or 否 (or leave it empty for 否)."))

    def money(self, value: Any) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise _Bad(_bad_money(value))
        if isinstance(value, int):
            amount = Decimal(value)
        elif isinstance(value, float):
            amount = Decimal(repr(value))  # the shortest text of the float: 12345.67 stays so
        elif isinstance(value, Decimal):
            amount = value
        else:
            text = str(value).strip()
            if not _PLAIN_NUMBER.match(text):
                raise _Bad(_bad_money(text))
            amount = Decimal(text)
        if (
            not amount.is_finite()
            or amount < 0
            or int(amount.as_tuple().exponent) < -2
            or amount >= Decimal(10) ** 12
        ):
            raise _Bad(_bad_money(value))
        return amount

    # sheets

    def header(
        self, sheet: str, row: tuple[Any, ...], columns: dict[str, str]
    ) -> dict[str, int] | None:
        found = {_header_key(text): index for index, text in enumerate(row)}
        positions = {}
        missing = []
        for key, title in columns.items():
            if _header_key(title) in found:
                positions[key] = found[_header_key(title)]
            elif key not in DERIVED:
                missing.append(title)
        if missing:
            self.problems.append(
                _(
                    "Sheet “%(sheet)s”: the first row must hold the columns %(columns)s; missing %(missing)s."
                )
                % {
                    "sheet": sheet,
                    "columns": "、".join(columns.values()),
                    "missing": "、".join(missing),
                }
            )
            return None
        return positions


def _bad_money(value: Any) -> str:
    return _(
        "“%(value)s” is not an amount: write a plain number of yuan, such as 10000 or "
        "10000.50 (no 万, no thousands separators)."
    ) % {"value": value}


def _cell(values: tuple[Any, ...], index: int) -> Any:
    value = values[index] if index < len(values) else None
    return value.strip() if isinstance(value, str) else value


def _where(columns: dict[str, str], positions: dict[str, int], key: str) -> str:
    return f"{get_column_letter(positions[key] + 1)}（{columns[key]}）"


def _read_items(
    reader: _Reader, rows: list[tuple[Any, ...]]
) -> tuple[list[ItemRow], dict[str, int]]:
    """The items of sheet 1 and the row each came from, by number."""
    items: list[ItemRow] = []
    lines: dict[str, int] = {}
    if not rows:
        reader.problems.append(_("Sheet “%(sheet)s” is empty.") % {"sheet": ITEMS_SHEET})
        return items, lines
    positions = reader.header(ITEMS_SHEET, rows[0], ITEM_COLUMNS)
    if positions is None:
        return items, lines
    for line, values in enumerate(rows[1:], start=2):
        if not values:
            continue
        row = ItemRow(code="", list_kind="", area="", name="")
        for key in ITEM_COLUMNS:
            if key in DERIVED or key not in positions:
                continue
            value = _cell(values, positions[key])
            try:
                if key == "list_kind":
                    row.list_kind = reader.choice(ListKind, value)
                elif key == "starter":
                    row.starter = reader.choice(Starter, value)
                elif key == "disclosures":
                    row.disclosures = reader.disclosures(value)
                else:
                    setattr(row, key, reader.text(value))
            except _Bad as bad:
                reader.problem(ITEMS_SHEET, line, _where(ITEM_COLUMNS, positions, key), str(bad))
        if not row.code:
            reader.problem(
                ITEMS_SHEET,
                line,
                _where(ITEM_COLUMNS, positions, "code"),
                _("The number is empty."),
            )
            continue
        if row.code in lines:
            reader.problem(
                ITEMS_SHEET,
                line,
                _where(ITEM_COLUMNS, positions, "code"),
                _("Number %(code)s is already used on row %(row)d.")
                % {"code": row.code, "row": lines[row.code]},
            )
            continue
        lines[row.code] = line
        items.append(row)
    return items, lines


def _read_steps(reader: _Reader, rows: list[tuple[Any, ...]], items: dict[str, ItemRow]) -> None:
    """The steps of sheet 2, put on their items in the order of 步骤."""
    if not rows:
        return
    positions = reader.header(STEPS_SHEET, rows[0], STEP_COLUMNS)
    if positions is None:
        return
    numbered: dict[str, dict[int, StepRow]] = {}
    for line, values in enumerate(rows[1:], start=2):
        if not values:
            continue

        def where(key: str) -> str:
            return _where(STEP_COLUMNS, positions, key)

        step = StepRow(name="", level="")
        position: int | None = None
        for key in STEP_COLUMNS:
            if key == "item":
                continue
            value = _cell(values, positions[key])
            try:
                if key == "position":
                    position = reader.position(value)
                elif key == "level":
                    step.level = reader.choice(Level, value)
                elif key in ("unit", "notice_unit"):
                    default = TimeUnit.WORKDAY if key == "unit" else TimeUnit.CALENDAR_DAY
                    setattr(step, key, reader.choice(TimeUnit, value) if value else default)
                elif key in MAX_DAYS:
                    setattr(step, key, reader.days(value, MAX_DAYS[key]))
                elif key == "needs_decision":
                    step.needs_decision = reader.flag(value)
                elif key in ("min_amount", "below_amount"):
                    setattr(step, key, reader.money(value))
                else:
                    setattr(step, key, reader.text(value))
            except _Bad as bad:
                reader.problem(STEPS_SHEET, line, where(key), str(bad))
        if not step.name:
            reader.problem(STEPS_SHEET, line, where("name"), _("The step has no name."))
        code = reader.text(_cell(values, positions["item"]))
        if code not in items:
            reader.problem(
                STEPS_SHEET,
                line,
                where("item"),
                _("No item numbered “%(code)s” on the sheet “%(sheet)s”.")
                % {"code": code, "sheet": ITEMS_SHEET},
            )
            continue
        if position is None:
            continue
        if position in numbered.setdefault(code, {}):
            reader.problem(
                STEPS_SHEET,
                line,
                where("position"),
                _("Item %(code)s already has a step %(n)d.") % {"code": code, "n": position},
            )
            continue
        numbered[code][position] = step
    for code, steps in numbered.items():
        items[code].steps = [steps[n] for n in sorted(steps)]


def read_rows(data: bytes) -> list[ItemRow]:
    """The catalogue in an uploaded workbook; :class:`ValidationError` lists every problem."""
    reader = _Reader()
    try:
        with open_workbook(data, max_rows=MAX_ROWS) as book:
            sheets = {sheet.title.strip(): sheet for sheet in book.sheets}
            missing = [name for name in (ITEMS_SHEET, STEPS_SHEET) if name not in sheets]
            if missing:
                raise ValidationError(
                    _("The workbook needs the sheets %(sheets)s; missing %(missing)s.")
                    % {
                        "sheets": "、".join((ITEMS_SHEET, STEPS_SHEET)),
                        "missing": "、".join(missing),
                    }
                )
            item_rows = list(sheets[ITEMS_SHEET].rows())
            step_rows = list(sheets[STEPS_SHEET].rows())
    except TooManyRows:
        raise ValidationError(
            _("At most %(n)s rows per sheet: split the catalogue.") % {"n": MAX_ROWS - 1}
        ) from None
    except UnreadableWorkbook as refused:
        raise ValidationError(refused.message) from None
    items, lines = _read_items(reader, item_rows)
    by_code = {row.code: row for row in items}
    _read_steps(reader, step_rows, by_code)
    if not reader.problems:
        for row in items:
            for problem in services._clean_item(row):
                reader.problem(ITEMS_SHEET, lines[row.code], row.code, problem)
    if not items and not reader.problems:
        reader.problems.append(_("The table has no items."))
    if reader.problems:
        raise ValidationError(reader.problems)
    return items


def import_workbook(*, actor: Any, version: CatalogueVersion, data: bytes) -> list[Item]:
    """The draft's items become the workbook's: all or nothing, safe to run again."""
    return services.replace_items(actor=actor, version=version, rows=read_rows(data))

"""A village's homestead register (宅基地台账) as a spreadsheet: the import template, the
import of the sheet together with the parcels' GeoJSON, and the export.

The sheet has one row per homestead, with the columns county offices use: 宗地编号, 户号,
户主姓名, 坐落/地址, 宅基地面积(m²) (as recorded), 建筑面积(m²), 层数, 权属证书号, 取得时间,
使用状态 (在用/闲置/已退出), 备注. The GeoJSON file (optional) holds the parcels' outlines, each
feature carrying the same 宗地编号.

Rules, so that an import is all or nothing and can be run again:

* the whole upload is checked first; every problem is reported with its row (row 0: the
  file itself), its column and what is wrong; nothing is written while any error remains;
* a parcel is the village's homestead with the same 宗地编号: created when missing, else its
  values are set to the file's (a column missing from the header leaves its values alone; an
  empty cell clears one, except 使用状态, which an empty cell leaves as it is);
* 户号 must name a household of the village and 户主姓名, when given, its head in the register;
* **warnings** (reported, the import goes on): a row without a feature in the GeoJSON file
  and no outline from an earlier import (homesteads not yet surveyed are common; the parcel
  is kept without geometry until its outline comes), a recorded area more than 5 % from the
  measured one, a row without 户号, a column the import does not know (ignored);
* **errors**: a feature without a row (its number is then wrong in one of the two files), a
  number twice, an unknown household, a head who differs from the register, a value that is
  not a number or a date, an unknown use.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from shapely.geometry import mapping

from hemei.accounts.audit import record
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import check_at
from hemei.core import clock
from hemei.core.xlsx import (
    TooManyRows,
    UnreadableWorkbook,
    append_row,
    new_workbook,
    open_workbook,
    render_xlsx,
    workbook_bytes,
)
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.households.models import Household

from . import geometry as geo
from .choices import EventKind, ParcelKind, UseState
from .models import Parcel, ParcelEvent

#: The largest upload read, each file (a village's register is well under 1 MB).
MAX_BYTES = 10 * 1024 * 1024
#: Rows per import (a large village has a few thousand homesteads).
MAX_ROWS = 20_000
#: A recorded area further than this from the measured one is reported.
AREA_TOLERANCE = Decimal("0.05")

#: Column key → accepted titles, compared without spaces, brackets' width or case (the
#: first is the template's).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("宗地编号", "宗地号", "地块编号", "编号"),
    "household": ("户号",),
    "head": ("户主姓名", "户主"),
    "address": ("坐落/地址", "坐落", "地址", "坐落地址"),
    "recorded_area": ("宅基地面积(m²)", "宅基地面积", "宅基地面积(平方米)"),
    "floor_area": ("建筑面积(m²)", "建筑面积", "建筑面积(平方米)"),
    "floors": ("层数",),
    "certificate": ("权属证书号", "证书号", "不动产权证号", "宅基地使用权证号"),
    "acquired_on": ("取得时间", "取得日期"),
    "use_state": ("使用状态",),
    "note": ("备注",),
}
HEADERS = [names[0] for names in COLUMNS.values()]
#: Columns the export adds and an import of the export passes over without a word.
EXPORT_ONLY = ("测量面积(m²)", "序号")
USE_WORDS = {
    "在用": UseState.IN_USE,
    "使用": UseState.IN_USE,
    "自住": UseState.IN_USE,
    "闲置": UseState.IDLE,
    "已退出": UseState.EXITED,
    "退出": UseState.EXITED,
}
USE_LABELS = {UseState.IN_USE: "在用", UseState.IDLE: "闲置", UseState.EXITED: "已退出"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m", "%Y年%m月")
TEXT_LIMITS = {"code": 40, "address": 200, "certificate": 60, "note": 500}


@dataclass(frozen=True)
class Problem:
    row: int  # 0: the upload as a whole
    column: str
    message: str


@dataclass
class RegisterReport:
    """What an import did, or row by row why it did nothing; warnings either way."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def sort(self) -> RegisterReport:
        self.errors.sort(key=lambda p: p.row)
        self.warnings.sort(key=lambda p: p.row)
        return self


class RegisterImportFailed(Exception):
    def __init__(self, report: RegisterReport) -> None:
        super().__init__(f"{len(report.errors)} problems")
        self.report = report


def _fail(row: int, column: str, message: str) -> RegisterImportFailed:
    return RegisterImportFailed(RegisterReport(errors=[Problem(row, column, message)]))


# --- reading -----------------------------------------------------------------------------


def _title(value: Any) -> str:
    text = _text(value).lower()
    for wide, narrow in (("（", "("), ("）", ")"), ("m2", "m²"), ("㎡", "m²"), ("／", "/")):
        text = text.replace(wide, narrow)
    return re.sub(r"\s+", "", text)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


_TITLES = {_title(name): key for key, names in COLUMNS.items() for name in names}


@dataclass
class Row:
    number: int
    values: dict[str, Any]


def read_sheet(data: bytes, report: RegisterReport) -> tuple[list[Row], set[str]]:
    """The data rows of the first sheet and the columns it has; header problems are
    errors, unknown columns warnings."""
    if len(data) > MAX_BYTES:
        raise _fail(0, "Excel", _("The file is larger than 10 MB."))
    try:
        with open_workbook(data, max_rows=MAX_ROWS + 1) as book:
            rows = book.sheets[0].rows()
            header = next(rows, None)
            if not header:
                raise _fail(
                    1, "", _("The sheet is empty: the first row must hold the column titles.")
                )
            positions: dict[str, int] = {}
            for index, title in enumerate(header):
                text = _title(title)
                if not text:
                    continue
                key = _TITLES.get(text)
                if key is None:
                    if text not in {_title(name) for name in EXPORT_ONLY}:
                        report.warnings.append(
                            Problem(1, _text(title), _("Unknown column: it is not read."))
                        )
                elif key in positions:
                    report.errors.append(Problem(1, _text(title), _("The column appears twice.")))
                else:
                    positions[key] = index
            if "code" not in positions:
                report.errors.append(
                    Problem(1, COLUMNS["code"][0], _("The column is missing: it is required."))
                )
            if report.errors:
                raise RegisterImportFailed(report)
            found = []
            for number, values in enumerate(rows, start=2):
                if all(value in (None, "") for value in values):
                    continue
                found.append(
                    Row(
                        number,
                        {
                            key: None if index >= len(values) else values[index]
                            for key, index in positions.items()
                        },
                    )
                )
    except TooManyRows:
        raise _fail(0, "Excel", _("At most %(n)s rows per import.") % {"n": MAX_ROWS}) from None
    except UnreadableWorkbook as refused:
        raise _fail(0, "Excel", refused.message) from None
    if not found:
        raise _fail(2, "", _("The sheet has no homestead."))
    return found, set(positions)


def read_features(data: bytes | None) -> dict[str, geo.Feature]:
    """The GeoJSON file's features by their parcel number (none without a file)."""
    if not data:
        return {}
    try:
        features = geo.read_parcels_file(data, max_bytes=MAX_BYTES)
    except geo.GeometryError as error:
        raise _fail(0, "GeoJSON", str(error)) from None
    found: dict[str, geo.Feature] = {}
    problems = []
    keys = ("宗地编号", "宗地号", "编号", "地块编号", "code")
    for feature in features:
        code = next(
            (_text(feature.properties.get(k)) for k in keys if _text(feature.properties.get(k))),
            "",
        )
        if not code:
            problems.append(
                Problem(
                    0,
                    "GeoJSON",
                    _("Feature %(n)d has no 宗地编号.") % {"n": feature.number},
                )
            )
        elif code in found:
            problems.append(
                Problem(
                    0,
                    "GeoJSON",
                    _("Features %(first)d and %(n)d have the same 宗地编号 %(code)s.")
                    % {"first": found[code].number, "n": feature.number, "code": code},
                )
            )
        else:
            found[code] = feature
    if problems:
        raise RegisterImportFailed(RegisterReport(errors=problems))
    return found


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or number <= 0 or number >= Decimal("1e10"):
        raise ValueError
    return number.quantize(Decimal("0.01"))


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
    raise ValueError


@dataclass
class Parsed:
    row: Row
    code: str = ""
    household: Household | None = None
    values: dict[str, Any] = field(default_factory=dict)
    use_state: str = ""


def _parse(row: Row, households: dict[str, Household], report: RegisterReport) -> Parsed:
    """The row's values, checked; every problem goes to ``report``."""
    values = row.values
    parsed = Parsed(row)

    def error(key: str, message: str) -> None:
        report.errors.append(Problem(row.number, COLUMNS[key][0], message))

    parsed.code = _text(values.get("code"))
    if not parsed.code:
        error("code", _("The parcel number is empty."))
    for key, limit in TEXT_LIMITS.items():
        if key in values and len(_text(values[key])) > limit:
            error(key, _("At most %(n)d characters.") % {"n": limit})
        elif key in values and key != "code":
            parsed.values[key] = _text(values[key])
    if "household" in values:
        number = _text(values["household"])
        head = _text(values.get("head"))
        if not number:
            report.warnings.append(
                Problem(
                    row.number,
                    COLUMNS["household"][0],
                    _("No household number: the parcel is linked to no household."),
                )
            )
        elif number not in households:
            error(
                "household",
                _("The village has no household %(number)s.") % {"number": number},
            )
        else:
            household = households[number]
            if not household.is_active:
                error(
                    "household",
                    _("Household %(number)s is no longer active.") % {"number": number},
                )
            elif head and head != household.head_name:
                error(
                    "head",
                    _(
                        "“%(name)s” is not the head of household %(number)s in the register (%(head)s)."
                    )
                    % {"name": head, "number": number, "head": household.head_name or "—"},
                )
            parsed.household = household
        parsed.values["household"] = parsed.household
    for key in ("recorded_area", "floor_area"):
        if key in values:
            try:
                parsed.values[key] = _decimal(values[key])
            except ValueError:
                error(
                    key,
                    _("“%(value)s” is not an area in m² (a number above 0).")
                    % {"value": _text(values[key])},
                )
    if "floors" in values:
        text = _text(values["floors"])
        if text and not (text.isdigit() and 1 <= int(text) <= 99):
            error("floors", _("“%(value)s” is not a number of floors.") % {"value": text})
        else:
            parsed.values["floors"] = int(text) if text else None
    if "acquired_on" in values:
        try:
            acquired = _date(values["acquired_on"])
        except ValueError:
            error(
                "acquired_on",
                _("“%(value)s” is not a date such as 1998-05-01.")
                % {"value": _text(values["acquired_on"])},
            )
        else:
            if acquired and acquired > clock.today():
                error("acquired_on", _("The date is in the future."))
            parsed.values["acquired_on"] = acquired
    if "use_state" in values:
        text = _text(values["use_state"])
        if text and text not in USE_WORDS:
            error(
                "use_state",
                _("Unknown use “%(value)s”: use %(choices)s.")
                % {"value": text, "choices": "、".join(USE_LABELS.values())},
            )
        parsed.use_state = USE_WORDS.get(text, "")
    return parsed


# --- checking and writing ----------------------------------------------------------------

FIELDS = {
    "household": "household",
    "address": "address",
    "recorded_area": "recorded_area_m2",
    "floor_area": "floor_area_m2",
    "floors": "floors",
    "certificate": "certificate",
    "acquired_on": "acquired_on",
    "note": "note",
}


def _area_warning(row: int, recorded: Decimal, measured: Decimal) -> Problem | None:
    if not measured or abs(recorded - measured) <= measured * AREA_TOLERANCE:
        return None
    return Problem(
        row,
        COLUMNS["recorded_area"][0],
        _(
            "The recorded area %(recorded)s m² differs from the measured %(measured)s m² by "
            "%(share)s %%."
        )
        % {
            "recorded": recorded,
            "measured": measured,
            "share": round((recorded - measured) / measured * 100, 1),
        },
    )


@transaction.atomic
def import_register(
    *, actor: Any, village: Division, workbook: bytes, geojson: bytes | None = None
) -> RegisterReport:
    """Import a village's homestead register: all of it, or nothing and the reasons
    (:class:`RegisterImportFailed` carries the report)."""
    check_at(actor, "write_register", village.code, _("You do not keep this village's register."))
    if village.level != Level.VILLAGE:
        raise ValidationError(_("Parcels belong to a village; choose a village."))
    report = RegisterReport()
    rows, _columns = read_sheet(workbook, report)
    features = read_features(geojson)
    households = {
        h.number: h
        for h in Household.objects.filter(village=village)
        .select_related("head")
        .defer("head__id_number", "head__phone")
    }
    existing = {
        p.code: p for p in Parcel.objects.filter(village=village, kind=ParcelKind.HOMESTEAD)
    }
    parsed_rows: list[Parsed] = []
    seen: dict[str, int] = {}
    for row in rows:
        parsed = _parse(row, households, report)
        if parsed.code in seen:
            report.errors.append(
                Problem(
                    row.number,
                    COLUMNS["code"][0],
                    _("The parcel number %(code)s is also on row %(row)d.")
                    % {"code": parsed.code, "row": seen[parsed.code]},
                )
            )
        elif parsed.code:
            seen[parsed.code] = row.number
        parsed_rows.append(parsed)
    for code, feature in features.items():
        if code not in seen:
            report.errors.append(
                Problem(
                    0,
                    "GeoJSON",
                    _("Feature %(n)d (宗地编号 %(code)s) has no row in the sheet.")
                    % {"n": feature.number, "code": code},
                )
            )
    measured: dict[str, Decimal] = {}
    for parsed in parsed_rows:
        feature = features.get(parsed.code)
        parcel = existing.get(parsed.code)
        if feature is not None:
            measured[parsed.code] = Decimal(str(round(geo.area_m2(feature.geometry), 2)))
        elif parcel is not None and parcel.area_m2 is not None:
            measured[parsed.code] = parcel.area_m2
        elif parsed.code:
            report.warnings.append(
                Problem(
                    parsed.row.number,
                    COLUMNS["code"][0],
                    _("No outline in the GeoJSON file: the parcel is kept without geometry."),
                )
            )
        recorded = parsed.values.get("recorded_area")
        if recorded and parsed.code in measured:
            warning = _area_warning(parsed.row.number, recorded, measured[parsed.code])
            if warning:
                report.warnings.append(warning)
    if report.errors:
        raise RegisterImportFailed(report.sort())
    _write(actor, village, parsed_rows, features, existing, report)
    record(
        actor=actor,
        action=AuditAction.IMPORT,
        instance=village,
        changes={
            "register": [None, f"+{report.created} ~{report.updated} ={report.unchanged}"],
            "geojson": [None, len(features)],
        },
        division_code=village.code,
    )
    return report.sort()


def _write(
    actor: Any,
    village: Division,
    rows: list[Parsed],
    features: dict[str, geo.Feature],
    existing: dict[str, Parcel],
    report: RegisterReport,
) -> None:
    today = clock.today()
    new: list[Parcel] = []
    changed: list[Parcel] = []
    events: list[ParcelEvent] = []
    names: set[str] = set()
    for parsed in rows:
        values = {FIELDS[key]: value for key, value in parsed.values.items()}
        feature = features.get(parsed.code)
        if feature is not None:
            found = feature.geometry
            min_lon, min_lat, max_lon, max_lat = found.bounds
            values.update(
                geometry=json.loads(json.dumps(mapping(found))),  # lists, as stored
                area_m2=Decimal(str(round(geo.area_m2(found), 2))),
                min_lon=min_lon,
                min_lat=min_lat,
                max_lon=max_lon,
                max_lat=max_lat,
            )
        parcel = existing.get(parsed.code)
        if parcel is None:
            parcel = Parcel(
                village=village,
                kind=ParcelKind.HOMESTEAD,
                code=parsed.code,
                source=_("register"),
                use_state=parsed.use_state or UseState.IN_USE,
                **values,
            )
            new.append(parcel)
            report.created += 1
            continue
        if parsed.use_state:
            values["use_state"] = parsed.use_state
        differs = [name for name, value in values.items() if _differs(parcel, name, value)]
        if not differs:
            report.unchanged += 1
            continue
        if "use_state" in differs:
            events.append(
                ParcelEvent(
                    parcel=parcel,
                    kind=EventKind.IMPORTED,
                    on=today,
                    note=_("Use set to %(use)s by the register import.")
                    % {"use": USE_LABELS[values["use_state"]]},
                    actor=actor if getattr(actor, "pk", None) else None,
                )
            )
        for name in differs:
            setattr(parcel, name, values[name])
        names.update(differs)
        changed.append(parcel)
        report.updated += 1
    Parcel.objects.bulk_create(new, batch_size=1000)
    if changed:
        names.add("updated_at")
        now = clock.now()
        for parcel in changed:
            parcel.updated_at = now
        Parcel.objects.bulk_update(changed, sorted(names), batch_size=1000)
    actor_user = actor if getattr(actor, "pk", None) else None
    events.extend(
        ParcelEvent(
            parcel=parcel,
            kind=EventKind.IMPORTED,
            on=today,
            note=_("Entered from the register."),
            actor=actor_user,
        )
        for parcel in new
    )
    ParcelEvent.objects.bulk_create(events, batch_size=1000)


def _differs(parcel: Parcel, name: str, value: Any) -> bool:
    if name == "household":
        return parcel.household_id != (value.pk if value else None)
    current = getattr(parcel, name)
    if isinstance(current, float) and isinstance(value, float):
        return abs(current - value) > 1e-12
    return current != value


# --- template and export -----------------------------------------------------------------


def _book_with_headers(rows: Iterable[list[Any]], headers: list[str]) -> Any:
    book = new_workbook()
    sheet = book.active
    sheet.title = "宅基地台账"
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 16 if header != "备注" else 30
        if header in ("宗地编号", "户号", "权属证书号"):
            # text, so that Excel keeps the leading zeros of a number typed in later
            sheet.column_dimensions[letter].number_format = "@"
            for cell in sheet[letter][1:]:
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    return book


def template_xlsx() -> bytes:
    """The import template: the column titles, an example row and a sheet of notes."""
    book = _book_with_headers(
        [
            [
                "370282106201JC00001",
                "001",
                "张三",
                "某村1号",
                "180.00",
                "210.00",
                2,
                "鲁(2020)即墨区不动产权第0000001号",
                "1998-05-01",
                "在用",
                "",
            ]
        ],
        HEADERS,
    )
    notes = book.create_sheet("说明")
    for line in (
        "每宗宅基地一行；宗地编号必填，在本村内不得重复。",
        "户号须为本村户籍中的户；填写户主姓名时须与户籍登记的户主一致。",
        "宅基地面积、建筑面积以平方米计，填数字；层数填整数；取得时间填日期，如 1998-05-01。",
        "使用状态：在用、闲置、已退出；不填则新宗地为在用，已有宗地不变。",
        "图形另以 GeoJSON 文件上传（CGCS2000 或 WGS 84 经纬度），每个要素的属性中带“宗地编号”。",
        "表中有而 GeoJSON 中没有的宗地照常导入，作为提示列出（尚无图形）；"
        "GeoJSON 中有而表中没有的要素为错误。",
        "登记面积与图形测量面积相差超过 5% 时作为提示列出，不影响导入。",
        "导入全部无误才写入；有错误时逐行列出，什么也不写入。按宗地编号更新，重复导入同一文件不会产生变化。",
    ):
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 100
    return workbook_bytes(book)


def export_rows(parcels: QuerySet[Parcel]) -> Iterable[list[Any]]:
    """One row per parcel, in the import's columns, then the measured area."""
    rows = (
        parcels.select_related("household__head")
        .defer("geometry", "household__head__id_number", "household__head__phone")
        .order_by("code", "id")
    )
    for parcel in rows.iterator(chunk_size=2000):
        household = parcel.household
        yield [
            parcel.code,
            household.number if household else "",
            household.head_name if household else "",
            parcel.address,
            parcel.recorded_area_m2,
            parcel.floor_area_m2,
            parcel.floors,
            parcel.certificate,
            parcel.acquired_on.isoformat() if parcel.acquired_on else "",
            USE_LABELS.get(parcel.use_state, parcel.use_state),
            parcel.note,
            parcel.area_m2,
        ]


def export_xlsx(parcels: QuerySet[Parcel]) -> bytes:
    """A village's parcels as the register sheet (it imports again unchanged)."""
    return render_xlsx(
        title="宅基地台账", headers=[*HEADERS, EXPORT_ONLY[0]], rows=export_rows(parcels)
    )

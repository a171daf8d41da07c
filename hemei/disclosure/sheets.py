"""The catalogue as an Excel sheet, in the columns county offices use (no database).

序号 · 一级事项 · 二级事项 · 公开内容 · 公开依据 · 公开时限 · 公开主体 · 公开渠道 · 公开对象 · 屏蔽字段,
then, optional on import, 事项代码 · 公开层级 · 生效日期 · 失效日期. Columns are found by their header
(any order; "公开内容/要素" and "公开渠道和载体" are read too). :func:`read_catalogue` answers the rows
or raises ``ValidationError`` with every problem, each naming its row and column in Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hemei.core.xlsx import UnreadableWorkbook, open_workbook, render_xlsx

from . import timing
from .choices import Audience, PublishLevel

#: the most rows a catalogue sheet may have (a county's catalogue has a few dozen)
MAX_ROWS = 500

REQUIRED = (
    "序号",
    "一级事项",
    "二级事项",
    "公开内容",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道",
    "公开对象",
    "屏蔽字段",
)
OPTIONAL = ("事项代码", "公开层级", "生效日期", "失效日期")
HEADERS = REQUIRED + OPTIONAL
#: other headers offices use for the same column
ALIASES = {
    "公开内容/要素": "公开内容",
    "公开内容（要素）": "公开内容",
    "公开要素": "公开内容",
    "公开事项": "一级事项",
    "公开渠道和载体": "公开渠道",
    "公开载体": "公开渠道",
    "公开范围": "公开对象",
    "需屏蔽字段": "屏蔽字段",
}
AUDIENCES = {"全社会": Audience.PUBLIC, "特定群体": Audience.GROUP}
LEVELS = {
    "村级": PublishLevel.VILLAGE,
    "镇级": PublishLevel.TOWN,
    "乡镇级": PublishLevel.TOWN,
    "县级": PublishLevel.COUNTY,
    "区级": PublishLevel.COUNTY,
}
LEVEL_WORDS = {PublishLevel.VILLAGE: "村级", PublishLevel.TOWN: "镇级", PublishLevel.COUNTY: "县级"}
AUDIENCE_WORDS = {Audience.PUBLIC: "全社会", Audience.GROUP: "特定群体"}
_SPLIT = re.compile(r"[、,，;；/\n]+")
LIMITS = {"一级事项": 60, "二级事项": 100, "公开主体": 100, "公开渠道": 200, "事项代码": 60}


def export_catalogue(items: Iterable[Any]) -> bytes:
    """The items as the office's sheet (imports back unchanged)."""
    return render_xlsx(
        title="村务公开目录",
        headers=list(HEADERS),
        rows=(
            [
                item.number,
                item.level1,
                item.level2,
                item.content,
                item.basis,
                item.timing_text,
                item.publisher,
                item.channel,
                AUDIENCE_WORDS.get(item.audience, item.audience),
                "、".join(item.mask_fields),
                item.key,
                LEVEL_WORDS.get(item.level, item.level),
                item.valid_from.isoformat(),
                item.valid_to.isoformat() if item.valid_to else "",
            ]
            for item in items
        ),
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = (
        _text(value)
        .replace("年", "-")
        .replace("月", "-")
        .replace("日", "")
        .replace("/", "-")
        .replace(".", "-")
    )
    return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))


def read_catalogue(data: bytes) -> list[dict[str, Any]]:
    """The sheet's items as the values :func:`services.import_catalogue` takes (each with its
    ``line``), or ``ValidationError`` listing every problem ("第3行“公开时限”：…")."""
    try:
        with open_workbook(data, max_rows=MAX_ROWS + 1) as book:
            rows = list(book.sheets[0].rows())
    except UnreadableWorkbook as exc:
        raise ValidationError(exc.message) from exc
    if not rows:
        raise ValidationError(_("The sheet is empty."))
    header = [ALIASES.get(_text(h), _text(h)) for h in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": "、".join(missing)}
        )
    where = {name: header.index(name) for name in HEADERS if name in header}
    errors: list[str] = []
    found: list[dict[str, Any]] = []
    numbers: dict[int, int] = {}
    keys: dict[str, int] = {}

    def problem(line: int, column: str, message: str) -> None:
        errors.append(
            _("Row %(row)s, column “%(column)s”: %(message)s")
            % {"row": line, "column": column, "message": message}
        )

    for line, cells in enumerate(rows[1:], start=2):
        if not any(_text(c) for c in cells):
            continue

        def cell(name: str, cells: tuple[Any, ...] = cells) -> Any:
            index = where.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        before = len(errors)
        values: dict[str, Any] = {"line": line}
        number_text = _text(cell("序号"))
        if not (number_text.isascii() and number_text.isdigit() and 1 <= int(number_text) <= 9999):
            problem(line, "序号", _("give a whole number from 1 to 9999"))
        else:
            number = int(number_text)
            if number in numbers:
                problem(
                    line, "序号", _("the same number as row %(row)s") % {"row": numbers[number]}
                )
            numbers[number] = line
            values["number"] = number
        for column, name in (
            ("一级事项", "level1"),
            ("二级事项", "level2"),
            ("公开内容", "content"),
            ("公开依据", "basis"),
            ("公开主体", "publisher"),
            ("公开渠道", "channel"),
        ):
            text = _text(cell(column))
            if not text and column in ("一级事项", "公开内容", "公开主体", "公开渠道"):
                problem(line, column, _("must not be empty"))
            elif column in LIMITS and len(text) > LIMITS[column]:
                problem(line, column, _("at most %(n)s characters") % {"n": LIMITS[column]})
            values[name] = text
        try:
            values["rule"] = timing.parse_timing(_text(cell("公开时限")))
        except timing.BadTiming:
            problem(
                line,
                "公开时限",
                _(
                    "cannot read “%(text)s”; write for example 每月10日前, 每季度首月20日前, 每半年，于1月、7月15日前, 每年3月31日前, 信息形成或变更之日起20个工作日内, 随时公开"
                )
                % {"text": _text(cell("公开时限"))},
            )
        audience = _text(cell("公开对象")) or "全社会"
        chosen = next((v for word, v in AUDIENCES.items() if audience.startswith(word)), None)
        if chosen is None:
            problem(line, "公开对象", _("write 全社会 or 特定群体"))
        values["audience"] = chosen
        values["mask_fields"] = [
            p.strip() for p in _SPLIT.split(_text(cell("屏蔽字段"))) if p.strip()
        ]
        key = _text(cell("事项代码")).lower()
        if key:
            if not re.match(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", key) or len(key) > 60:
                problem(
                    line, "事项代码", _("lower-case letters, digits and _, parts joined by dots")
                )
            elif key in keys:
                problem(line, "事项代码", _("the same key as row %(row)s") % {"row": keys[key]})
            keys[key] = line
        values["key"] = key
        level = _text(cell("公开层级")) or "村级"
        if level not in LEVELS:
            problem(line, "公开层级", _("write 村级, 镇级 or 县级"))
        values["level"] = LEVELS.get(level)
        for column, name in (("生效日期", "valid_from"), ("失效日期", "valid_to")):
            try:
                values[name] = _date(cell(column))
            except ValueError:
                problem(line, column, _("not a date; write for example 2026-01-01"))
        if (
            values.get("valid_from")
            and values.get("valid_to")
            and values["valid_to"] < values["valid_from"]
        ):
            problem(line, "失效日期", _("before the date it comes into force"))
        if len(errors) == before:
            found.append(values)
    if errors:
        raise ValidationError(errors)
    if not found:
        raise ValidationError(_("The sheet has no items below its header row."))
    return found

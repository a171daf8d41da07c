"""The compiled Chinese catalogues write Chinese punctuation: a full-width colon after Chinese
("户主：", not "户主: "), and no space between two Chinese words, nor around a name put into
the sentence ("系统于 2026-11-23 计算", not "系统 于 …"). Spaces around numbers, dates and
Latin words ("第 3 行", "8 MB") are fine."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

HEMEI = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(HEMEI.glob("**/locale/zh_Hans/LC_MESSAGES/django.mo"))
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
FULL_WIDTH = "（），。：；“”"
#: placeholders that stand for Chinese text (a person, a division, goods, a title, ...)
TEXT = (
    "by|author|reviewer|town|village|division|divisions|goods|head|title|meeting|what|kind|"
    "reason|note|name|column|text|users|file"
)
RULES = {
    "an ASCII colon after Chinese": re.compile(f"[{HAN}]:"),
    "a space between Chinese words": re.compile(f"[{HAN}] +[{HAN}]"),
    "a space around a name": re.compile(
        f"[{HAN}{FULL_WIDTH}] +%\\(({TEXT})\\)s|%\\(({TEXT})\\)s +[{HAN}{FULL_WIDTH}]"
    ),
}


def _translations(path: Path) -> list[tuple[str, str]]:
    with path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    found = []
    for key, text in catalogue._catalog.items():  # type: ignore[attr-defined]
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid and text:
            found.append((msgid, text))
    return found


def test_there_are_catalogues_to_check() -> None:
    assert HEMEI / "locale/zh_Hans/LC_MESSAGES/django.mo" in CATALOGUES
    assert len(CATALOGUES) >= 10


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(HEMEI)))
def test_chinese_text_has_chinese_punctuation_and_no_stray_spaces(path: Path) -> None:
    wrong = [
        f"{rule}: {msgid!r} → {text!r}"
        for msgid, text in _translations(path)
        for rule, pattern in RULES.items()
        if pattern.search(text)
    ]
    assert not wrong, "\n".join(wrong)


def test_templates_put_no_ascii_colon_after_a_translated_label() -> None:
    """A label and its value join with ``{% translate ": " %}`` ("户主：张三", "Head: 张三"),
    not with a colon typed into the template."""
    glued = re.compile(
        r'\{% translate "[^"]*"(?: context "[^"]*")? %\}(?:</\w+>|\{% endif %\})?\s*[:：]'
    )
    wrong = [
        f"{path.relative_to(HEMEI)}: {match.group(0)}"
        for path in sorted(HEMEI.glob("**/templates/**/*.html"))
        for match in glued.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not wrong, "\n".join(wrong)

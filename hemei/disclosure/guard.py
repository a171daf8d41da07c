"""What may not stand on a public disclosure: the personal-data guard of the notices plus
what a disclosure list adds (bank accounts, health, and the item's own masked fields).

The documents guard (:func:`hemei.documents.rendering.check_no_personal_data`) refuses an
unmasked ID-card number or mobile number anywhere in the text. A disclosure lists people
(低保 households, subsidies, relief), so it also refuses

* a bank-card or account number (16–19 digits, grouped or not), and
* a masked field given with a value: ``身份证号：370215…``, ``病情：…`` — the item's own
  fields to mask and, always, the health fields (:data:`HEALTH_FIELDS`), unless the value
  is masked with ``*`` (``银行账号：6222****1234``).

Attachments are read where they can be: the text of a Word or Excel file goes through the
same checks; a PDF or a photo cannot be read here, and the form says the publisher answers
for it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from xml.etree.ElementTree import fromstring

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hemei.documents.rendering import check_no_personal_data

#: 16–19 digits in a run, or in groups of four split by spaces or dashes (an ID number,
#: 18 digits, is caught before this by the documents guard and named as such)
BANK_NUMBER = re.compile(
    r"(?<![0-9])(?:[0-9]{16,19}|[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)(?![0-9])"
)
#: always masked on a public list: health status is never shown (DOMAIN cross-cutting 2)
HEALTH_FIELDS = ("病情", "病史", "诊断", "健康状况", "患病情况")
#: what the documents guard already refuses by its pattern; these labels are checked too
PERSONAL_FIELDS = (
    "身份证号",
    "身份证号码",
    "联系电话",
    "手机号",
    "手机号码",
    "银行账号",
    "银行卡号",
)
_MASKED = re.compile(r"[*＊×]")


def check_public_text(text: str, *, masked: Iterable[str] = (), where: str = "") -> None:
    """Raise ``ValidationError`` when ``text`` shows personal data a public list may not."""
    check_no_personal_data({where or _("text"): text})
    if BANK_NUMBER.search(text):
        raise ValidationError(
            _(
                "A public disclosure may not show a bank account number (in %(where)s). Mask it "
                "(for example 6222****1234) or leave it out."
            )
            % {"where": where or _("the text")},
            code="personal_data",
        )
    labels = dict.fromkeys([*masked, *HEALTH_FIELDS, *PERSONAL_FIELDS])
    for label in labels:
        label = label.strip()
        if not label:
            continue
        for found in re.finditer(rf"{re.escape(label)}\s*[:：]\s*([^\s,，;；、。]+)", text):
            value = found.group(1)
            if not _MASKED.search(value):
                raise ValidationError(
                    _(
                        "“%(field)s” must be masked on a public disclosure (in %(where)s): "
                        "leave the value out or mask it with *."
                    )
                    % {"field": label, "where": where or _("the text")},
                    code="personal_data",
                )


def readable_text(name: str, data: bytes, content_type: str) -> str:
    """The words of a Word or Excel file (empty for anything else): what the guard reads."""
    parts = {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
            "word/document.xml",
        ),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
            "xl/sharedStrings.xml",
        ),
    }.get(content_type, ())
    if not parts:
        return ""
    words: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            wanted = [p for p in parts if p in names]
            if content_type.endswith("sheet"):
                wanted += sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
            for part in wanted:
                root = fromstring(archive.read(part))
                # a Word paragraph's runs join into one line (a number may be split across
                # runs); an Excel cell is a line of its own
                lines = "p" if part.startswith("word/") else "c"
                for line in root.iter():
                    if line.tag.rsplit("}", 1)[-1] not in (lines, "si"):
                        continue
                    words.append(
                        "".join(
                            e.text or ""
                            for e in line.iter()
                            if e.tag.rsplit("}", 1)[-1] in ("t", "v")
                        )
                    )
    except (zipfile.BadZipFile, KeyError, SyntaxError, ValueError):
        return ""
    return "\n".join(words)  # one word a line: cells never join into one number

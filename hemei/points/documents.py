"""The public notice (公示) of a village's points as a Word document for the notice board,
filled from the county's template of the ``points_notice`` kind (else the default shipped in
``templates_docx/``): see :mod:`hemei.documents`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from hemei.documents import services as documents
from hemei.documents.registry import Field, register_kind

KIND = "points_notice"


@dataclass(frozen=True)
class NoticeRow:
    household: str
    head: str
    rule: str
    points: int
    reason: str
    ends: str


register_kind(
    KIND,
    title=_("Public notice of governance points (积分公示)"),
    public=True,
    filename="积分公示",
    default_template=Path(__file__).resolve().parent / "templates_docx" / "points_notice.docx",
    fields=[
        Field("village", _("village"), "红花山村"),
        Field(
            "rows",
            _("table rows: no, household, head, rule, points, reason, ends"),
            [
                {
                    "no": "1",
                    "household": "002",
                    "head": "王长福",
                    "rule": "A2 参加村民会议",
                    "points": "+2",
                    "reason": "参加6月村民会议",
                    "ends": "2026-06-20 10:00",
                }
            ],
        ),
        Field("issuer", _("issuing body"), "红花山村村民委员会"),
        Field("date", _("date"), "2026-06-15"),
    ],
)


def render_notice_docx(
    *, village_code: str, village: str, rows: Sequence[NoticeRow], issuer: str, date: str
) -> bytes:
    """Title, lead paragraph, one table row per entry, how to object, the seal box, the
    committee and the date (raises ``PersonalDataInNotice`` if an entry shows an unmasked ID
    number or mobile number)."""
    context = {
        "village": village,
        "rows": [
            {
                "no": str(number),
                "household": row.household,
                "head": row.head,
                "rule": row.rule,
                "points": f"{row.points:+d}",
                "reason": row.reason,
                "ends": row.ends,
            }
            for number, row in enumerate(rows, start=1)
        ],
        "issuer": issuer,
        "date": date,
    }
    return documents.render(KIND, documents.county_of(village_code), context)

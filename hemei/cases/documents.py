"""A case's approval form (办件审批表) as a Word document: the case, then each step taken with
the boxes of the paper form (opinion, signer, seal, date). Filled from the county's template of
the ``case_form`` kind, else the default in ``templates_docx/`` (see :mod:`hemei.documents`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from hemei.documents import services as documents
from hemei.documents.registry import Field, register_kind

from .choices import Outcome

KIND = "case_form"

register_kind(
    KIND,
    title=_("Approval form of a case (办件审批表)"),
    filename="办件审批表",
    default_template=Path(__file__).resolve().parent / "templates_docx" / "case_form.docx",
    fields=[
        Field("item", _("item"), "农村宅基地和建房（规划许可）"),
        Field("number", _("case number"), "370215100214-2026-0002"),
        Field("village", _("village"), "红花山村"),
        Field("applicant", _("applicant"), "王长福"),
        Field("applied_on", _("applied on"), "2026年10月26日"),
        Field("matter", _("matter"), "拆除旧房原址翻建住宅"),
        Field(
            "steps",
            _("table rows: name, office, opinion, signer, seal, date"),
            [
                {
                    "name": "村民小组会议讨论并公示",
                    "office": "村民小组",
                    "opinion": "经小组会议讨论同意",
                    "signer": "刘洪波",
                    "seal": "已盖章",
                    "date": "2026年10月27日",
                }
            ],
        ),
        Field("outcome", _("outcome"), "办理中"),
        Field("signer", _("signed by"), ""),
        Field("issuer", _("issuing body (seal)"), "红花山村村民委员会"),
        Field("date", _("date (empty: filled in by hand)"), ""),
    ],
)


def _day(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def render_form(case: Any, issuer: str) -> bytes:
    """The form of ``case`` with every step record so far (returned ones included)."""
    rows = []
    for record in case.records.select_related("step").order_by("id"):
        if record.outcome == Outcome.OPEN:
            continue
        rows.append(
            {
                "name": record.step.name,
                "office": record.step.get_level_display(),
                "opinion": f"{record.get_outcome_display()}：{record.opinion}",
                "signer": record.signer,
                "seal": "已盖章" if record.sealed else "",
                "date": _day(record.signed_on or record.left_on),
            }
        )
    return documents.render(
        KIND,
        case.village_id,
        {
            "item": case.item.name,
            "number": case.number,
            "village": case.village.name,
            "applicant": case.applicant_name,
            "applied_on": _day(case.created_at.date()),
            "matter": case.title,
            "steps": rows,
            "outcome": case.get_state_display(),
            "signer": "",
            "issuer": issuer,
            "date": "",
        },
    )

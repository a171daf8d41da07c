"""The generic kinds every procedure may use: a public notice (公示) and a refusal letter
(不予批准/不予受理决定书). Apps register their own kinds in their own code."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .registry import Field, register_kind

TEMPLATES = Path(__file__).resolve().parent / "templates_docx"

#: The sentence every refusal ends with (行政复议法 art. 20, 行政诉讼法 art. 46).
REMEDY = (
    "如不服本决定，可在收到本决定书之日起六十日内依法申请行政复议或者在六个月内依法提起行政诉讼。"
)

NOTICE = register_kind(
    "notice",
    title=_("Public notice (公示)"),
    public=True,
    filename="公示",
    default_template=TEMPLATES / "notice.docx",
    fields=[
        Field("title", _("title"), "关于2026年度村级公益事业一事一议项目的公示"),
        Field("village", _("village (community)"), "红花山村"),
        Field("period_from", _("notice from"), "2026年6月15日"),
        Field("period_to", _("notice to"), "2026年6月21日"),
        Field(
            "body",
            _("text"),
            "经村民代表会议讨论通过，现将以下事项予以公示，接受全体村民监督。",
        ),
        Field(
            "items",
            _("table rows: no, subject, content, remark"),
            [
                {
                    "no": "1",
                    "subject": "村内道路硬化",
                    "content": "长1.2公里，投资18万元",
                    "remark": "",
                },
                {
                    "no": "2",
                    "subject": "路灯安装",
                    "content": "40盏，投资6万元",
                    "remark": "一事一议",
                },
            ],
        ),
        Field("contact", _("where to object (phone)"), "村民委员会办公室，电话0532-88512345"),
        Field("signer", _("signed by"), "王建国"),
        Field("issuer", _("issuing body (seal)"), "红花山村村民委员会"),
        Field("date", _("date (empty: filled in by hand)"), "2026年6月15日"),
    ],
)

REFUSAL = register_kind(
    "refusal",
    title=_("Decision not to approve or not to accept (不予批准/不予受理决定书)"),
    filename="决定书",
    default_template=TEMPLATES / "refusal.docx",
    fields=[
        Field("number", _("document number"), "田政宅不批字〔2026〕第3号"),
        Field("decision", _("decision: 不予批准 or 不予受理"), "不予批准"),
        Field("applicant", _("applicant"), "王长福"),
        Field("applied_on", _("date of the application"), "2026年5月20日"),
        Field("matter", _("matter applied for"), "农村宅基地和建房（规划许可）"),
        Field(
            "reasons",
            _("reasons"),
            "申请人户内已有一处宅基地，且面积已达到本省规定标准，不符合“一户一宅”的规定",
        ),
        Field("legal_basis", _("legal basis"), "《中华人民共和国土地管理法》第六十二条第一款"),
        Field("issuer", _("issuing body (seal)"), "田横镇人民政府"),
        Field("signer", _("signed by"), "李明"),
        Field("date", _("date (empty: filled in by hand)"), "2026年6月15日"),
    ],
)

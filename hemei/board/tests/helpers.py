"""Shared by the board's tests: a village's board turned on, a published decision."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from hemei.board import services
from hemei.board.models import BoardSettings
from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.procedures import services as procedures
from hemei.procedures.models import DecisionProcess, DecisionRecord

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def turn_on(cast: Cast, code: str = VILLAGE_A, **fields: str) -> BoardSettings:
    return services.update_board(
        actor=cast.victor if code == VILLAGE_A else cast.alice,
        village=Division.objects.get(code=code),
        enabled=True,
        welcome=fields.get("welcome", "村务公开，欢迎监督。"),
        contact=fields.get("contact", "村委会办公室 0532-88512345"),
    )


def published_decision(
    cast: Cast, *, title: str = "村集体鱼塘对外发包", result: bool = False
) -> DecisionRecord:
    """A record of 红花山村 through its four meetings, its resolution published (and with
    ``result`` its result)."""
    record = procedures.create_record(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        title=title,
        process=DecisionProcess.objects.get(name="四议两公开", division=None),
    )
    for entitled, present, yes, no, abstain in (
        (7, 7, 5, 1, 1),
        (7, 7, 5, 1, 1),
        (30, 20, 16, 4, 0),
        (45, 30, 16, 10, 4),
    ):
        record.refresh_from_db()
        procedures.record_meeting(
            actor=cast.victor,
            record=record,
            held_on=dt.date(2026, 6, 1),
            entitled=entitled,
            present=present,
            votes_for=yes,
            against=no,
            abstain=abstain,
            minutes=SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf"),
        )
    record.refresh_from_db()
    procedures.publish(
        actor=cast.victor,
        record=record,
        published_on=dt.date(2026, 6, 10),
        text="经村民代表会议表决通过，鱼塘以公开竞价方式发包，期限五年。",
    )
    if result:
        record.refresh_from_db()
        procedures.publish(
            actor=cast.victor,
            record=record,
            published_on=dt.date(2026, 6, 12),
            text="鱼塘已于6月12日完成发包，年租金2.4万元。",
        )
    return record

"""Points on the platform's notice: the entry's notice, an objection sending the entry back
to committee review, the answer as the review's decision, withdrawal, and the board."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from hemei.board.sections import BoardItem
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.points import services as points
from hemei.points.choices import EntryState
from hemei.points.models import Entry, LedgerEntry
from hemei.points.tests.conftest import Village, _media, _today, village  # noqa: F401
from hemei.points.tests.factories import TODAY, approved, item

from .. import selectors, services
from ..choices import NoticeState, ObjectionState
from ..models import Notice

pytestmark = pytest.mark.django_db


def in_notice(cast: Cast, village: Village, description: str = "打扫门前") -> Entry:  # noqa: F811
    return approved(
        cast.victor,
        points.record_entry(
            actor=cast.victor,
            household=village.wang,
            item=item(village.rules, "A1"),
            occurred_on=dt.date(2026, 6, 10),
            description=description,
        ),
    )


def test_an_approved_entry_gets_its_own_notice(cast: Cast, village: Village) -> None:  # noqa: F811
    entry = in_notice(cast, village, "打扫门前，联系13905321001")
    notice = Notice.objects.of(entry).get()
    assert (notice.kind, notice.state, notice.days, notice.unit) == ("points", "posted", 7, "day")
    assert notice.village_id == VILLAGE_A and notice.posted_by == cast.victor
    assert notice.ends_at == entry.notice_ends_at == TODAY + dt.timedelta(days=7)
    assert "王长福" in notice.title and "A1" in notice.body
    assert "139****1001" in notice.body and "13905321001" not in notice.body


def test_an_objection_on_the_notices_page_sends_the_entry_back(
    cast: Cast,
    village: Village,  # noqa: F811
    client: Client,
) -> None:
    entry = in_notice(cast, village)
    notice = Notice.objects.of(entry).get()
    client.force_login(cast.vera)
    response = client.post(f"/notices/{notice.pk}/object/", {"reason": "他家门前并未打扫"})
    assert response.status_code == 302
    entry.refresh_from_db()
    notice.refresh_from_db()
    assert entry.state == EntryState.ASSESSED and notice.state == NoticeState.ENDED
    assert "他家门前并未打扫" in entry.transitions.last().note
    # the village answers on the notices' page: dismissed is the review's approval
    objection = entry.objections.get()
    client.force_login(cast.victor)
    response = client.post(
        f"/notices/objections/{objection.pk}/answer/",
        {"decision": "dismissed", "answer": "经核实已打扫"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    objection.refresh_from_db()
    assert entry.state == EntryState.IN_NOTICE and objection.state == ObjectionState.DISMISSED
    new = Notice.objects.of(entry).running().get()
    assert new.pk != notice.pk and new.starts_at == TODAY
    assert points.publish_due_entries(TODAY + dt.timedelta(days=7)) == 1
    assert LedgerEntry.objects.filter(entry=entry).exists()


def test_an_upheld_objection_rejects_the_entry(cast: Cast, village: Village) -> None:  # noqa: F811
    entry = in_notice(cast, village)
    objection = points.object_to_entry(actor=cast.vera, entry=entry, reason="不属实")
    services.answer_objection(
        actor=cast.victor, objection=objection, upheld=True, answer="核实不属实"
    )
    entry.refresh_from_db()
    assert entry.state == EntryState.REJECTED
    assert points.publish_due_entries(TODAY + dt.timedelta(days=30)) == 0


def test_officials_do_not_object_to_points(cast: Cast, village: Village) -> None:  # noqa: F811
    entry = in_notice(cast, village)
    notice = Notice.objects.of(entry).get()
    with pytest.raises(PermissionDenied):
        services.raise_objection(actor=cast.tom, notice=notice, reason="x")
    entry.refresh_from_db()
    assert entry.state == EntryState.IN_NOTICE and not entry.objections.exists()


def test_a_withdrawn_notice_sends_the_entry_back_to_review(cast: Cast, village: Village) -> None:  # noqa: F811
    entry = in_notice(cast, village)
    notice = Notice.objects.of(entry).get()
    services.withdraw_notice(actor=cast.victor, notice=notice, reason="分值录错")
    entry.refresh_from_db()
    assert entry.state == EntryState.ASSESSED and entry.notice_ends_at is None
    assert "分值录错" in entry.transitions.last().note
    assert points.publish_due_entries(TODAY + dt.timedelta(days=30)) == 0
    entry = points.review_entry(actor=cast.victor, entry=entry, approve=True)
    assert entry.state == EntryState.IN_NOTICE


def test_the_board_shows_running_and_recent_notices_and_nothing_personal(
    cast: Cast,
    village: Village,  # noqa: F811
) -> None:
    in_notice(cast, village, "打扫门前，联系13905321001")
    here = Division.objects.get(code=VILLAGE_A)
    with clock.frozen_at(TODAY - dt.timedelta(days=40)):
        old = services.post_notice(actor=cast.victor, village=here, title="旧公示", days=3)
    services.end_due_notices(TODAY)
    general = services.post_notice(
        actor=cast.victor, village=here, title="低保评议公示", body="评议结果见附件", days=5
    )
    services.raise_objection(actor=cast.vera, notice=general, reason="韦拉认为名单不对")
    withdrawn = services.post_notice(actor=cast.victor, village=here, title="作废公示", days=5)
    services.withdraw_notice(actor=cast.victor, notice=withdrawn, reason="作废")
    items = selectors.board_items(here, TODAY.date())
    titles = [i.title for i in items]
    assert "低保评议公示" in titles and any("王长福" in t for t in titles)
    assert old.title not in titles and "作废公示" not in titles
    assert isinstance(items[0], BoardItem)
    text = repr(items)
    for personal in ("13905321001", "韦拉", "名单不对", str(cast.vera.phone)):
        assert personal not in text
    assert len({i.status for i in items}) == 1, items
    assert items[0].period.startswith("2026-06-15 18:00")
    # another village's board shows none of them
    assert selectors.board_items(Division.objects.get(code="370215101230"), TODAY.date()) == []
    # an ended one stays 30 days
    later = selectors.board_items(here, TODAY.date() + dt.timedelta(days=20))
    assert any(i.title == "低保评议公示" for i in later)
    assert not selectors.board_items(here, TODAY.date() + dt.timedelta(days=60))

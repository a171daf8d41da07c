"""The notices' pages: list (scoped, searched, filtered, exported), detail, objection, answer,
withdrawal; another village's villager gets 404; bad input is a 400 with nothing changed."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from hemei.accounts.models import RoleAssignment, User
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division

from .. import services
from ..choices import NoticeState, ObjectionState
from ..models import Notice, NoticeObjection

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    with clock.frozen_at(NOW):
        yield


@pytest.fixture
def notice(cast: Cast) -> Notice:
    return services.post_notice(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        title="低保评议结果公示",
        body="经村民代表会议评议，拟定低保户三户。",
        days=7,
    )


def villager_of_b() -> User:
    user = User.objects.create_user(username="jin", password="x-Password-2026", full_name="金")
    RoleAssignment.objects.create(user=user, role="villager", division_id=VILLAGE_B)
    return user


def test_the_list_is_scoped_searched_filtered_and_exported(
    cast: Cast, notice: Notice, client: Client
) -> None:
    services.post_notice(
        actor=cast.owen,
        village=Division.objects.get(code=VILLAGE_B),
        title="金口村公示",
        days=5,
    )
    client.force_login(cast.vera)
    body = client.get("/notices/").content.decode()
    assert "低保评议结果公示" in body and "金口村公示" not in body
    client.force_login(cast.alice)
    assert "金口村公示" in client.get("/notices/").content.decode()
    assert "金口村公示" not in client.get("/notices/?q=低保").content.decode()
    assert "低保" not in client.get(f"/notices/?area={VILLAGE_B}").content.decode()
    assert "低保" in client.get("/notices/?state=running&kind=general").content.decode()
    assert "低保" not in client.get("/notices/?state=withdrawn").content.decode()
    # nonsense filters are ignored, never a 500
    assert client.get("/notices/?area=abc&state=zzz&page=x&kind=" + "k" * 90).status_code == 200
    response = client.get("/notices/?export=xlsx&q=低保")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "低保评议结果公示" in values and "金口村公示" not in values


def test_another_villages_villager_and_the_outsider_get_404(
    cast: Cast, notice: Notice, client: Client
) -> None:
    for user in (villager_of_b(), cast.owen):
        client.force_login(user)
        assert client.get(f"/notices/{notice.pk}/").status_code == 404
        assert client.get(f"/notices/{notice.pk}/object/").status_code == 404
        response = client.post(f"/notices/{notice.pk}/object/", {"reason": "x"})
        assert response.status_code == 404
    assert not NoticeObjection.objects.exists()


def test_a_villager_objects_and_sees_only_their_own_objection(
    cast: Cast, notice: Notice, client: Client
) -> None:
    services.raise_objection(actor=cast.tom, notice=notice, reason="镇里的意见")
    client.force_login(cast.vera)
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "提出异议" in page or "Raise an objection" in page
    assert "镇里的意见" not in page
    response = client.post(f"/notices/{notice.pk}/object/", {"reason": "第二户不符合条件"})
    assert response.status_code == 302
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "第二户不符合条件" in page and "镇里的意见" not in page
    client.force_login(cast.victor)
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "第二户不符合条件" in page and "镇里的意见" in page


@pytest.mark.parametrize("reason", ["", "   ", "长" * 501])
def test_a_bad_objection_is_400_with_a_message_and_nothing_changed(
    cast: Cast, notice: Notice, client: Client, reason: str
) -> None:
    client.force_login(cast.vera)
    response = client.post(f"/notices/{notice.pk}/object/", {"reason": reason})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not NoticeObjection.objects.exists()


def test_an_objection_after_the_end_is_refused(cast: Cast, notice: Notice, client: Client) -> None:
    client.force_login(cast.vera)
    with clock.frozen_at(notice.ends_at + dt.timedelta(minutes=1)):
        assert client.get(f"/notices/{notice.pk}/object/").status_code == 302
        assert client.post(f"/notices/{notice.pk}/object/", {"reason": "晚了"}).status_code == 302
    assert not NoticeObjection.objects.exists()


def test_the_village_answers_and_withdraws(cast: Cast, notice: Notice, client: Client) -> None:
    objection = services.raise_objection(actor=cast.vera, notice=notice, reason="不对")
    client.force_login(cast.victor)
    url = f"/notices/objections/{objection.pk}/answer/"
    assert client.post(url, {"decision": "maybe", "answer": "x"}).status_code == 400
    assert client.post(url, {"decision": "upheld", "answer": ""}).status_code == 400
    objection.refresh_from_db()
    assert objection.state == ObjectionState.OPEN
    assert client.post(url, {"decision": "upheld", "answer": "属实，重新评议"}).status_code == 302
    objection.refresh_from_db()
    assert (objection.state, objection.answer) == (ObjectionState.UPHELD, "属实，重新评议")
    assert client.get(url).status_code == 302  # answered already: back to the notice
    withdraw = f"/notices/{notice.pk}/withdraw/"
    assert client.post(withdraw, {"reason": ""}).status_code == 400
    assert client.post(withdraw, {"reason": "重新评议后再公示"}).status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.WITHDRAWN
    client.force_login(cast.vera)
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "重新评议后再公示" in page and "属实，重新评议" in page


def test_the_menu_offers_notices(cast: Cast, client: Client) -> None:
    client.force_login(cast.vera)
    assert 'href="/notices/"' in client.get("/notices/").content.decode()


def test_a_notice_prints_as_word_with_its_period_and_seal_box(cast, client) -> None:
    import io

    from docx import Document

    from hemei.divisions.models import Division
    from hemei.notices import services

    with clock.frozen_at(dt.datetime(2026, 6, 15, 2, tzinfo=dt.UTC)):
        notice = services.post_notice(
            actor=cast.victor,
            village=Division.objects.get(code="370215100214"),
            title="村集体鱼塘发包结果公示",
            body="鱼塘发包给本村张某，年租金8000元。",
            days=5,
        )
    client.force_login(cast.vera)
    answer = client.get(f"/notices/{notice.pk}/notice.docx")
    assert answer.status_code == 200
    document = Document(io.BytesIO(b"".join(answer.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "村集体鱼塘发包结果公示" in text and "年租金8000元" in text
    assert "2026年06月15日 10:00" in text
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("盖章" in c for c in cells)

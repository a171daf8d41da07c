"""The points notice as a document of the registry: seal box, the county's own template,
and no personal data on the notice board."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from docx import Document

from hemei.core.testing import COUNTY, VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.documents import services as documents
from hemei.documents.tests.helpers import docx_with, texts

from .. import services
from .conftest import Village
from .factories import approved, item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _in_notice(cast: Cast, village: Village, description: str) -> None:
    approved(
        cast.victor,
        services.record_entry(
            actor=cast.victor,
            household=village.wang,
            item=item(village.rules, "A2"),
            occurred_on=dt.date(2026, 6, 1),
            description=description,
        ),
    )


def test_the_default_notice_has_a_seal_box(cast: Cast, village: Village, client: Client) -> None:
    _in_notice(cast, village, "开会")
    client.force_login(cast.victor)
    document = Document(io.BytesIO(client.get(f"/points/v/{VILLAGE_A}/notice.docx").content))
    assert document.tables[1].rows[0].cells[0].text == "（盖章）"
    assert document.paragraphs[-1].text.startswith("红花山村村民委员会")


def test_the_countys_own_points_notice_template_is_used(
    cast: Cast, village: Village, client: Client
) -> None:
    documents.upload_template(
        cast.alice,
        Division.objects.get(code=COUNTY),
        "points_notice",
        docx_with(
            "即墨区积分公示 {{ village }}", "{% for row in rows %}{{ row.head }}{% endfor %}"
        ),
    )
    _in_notice(cast, village, "开会")
    client.force_login(cast.vera)
    body = texts(client.get(f"/points/v/{VILLAGE_A}/notice.docx").content)
    assert "即墨区积分公示 红花山村" in body and "王长福" in body


def test_a_notice_showing_a_mobile_number_is_refused_with_a_message(
    cast: Cast, village: Village, client: Client
) -> None:
    _in_notice(cast, village, "联系电话13905321001")
    client.force_login(cast.vera)
    response = client.get(f"/points/v/{VILLAGE_A}/notice.docx")
    assert response.status_code == 400
    assert "公示内容不得显示手机号码" in response.content.decode()

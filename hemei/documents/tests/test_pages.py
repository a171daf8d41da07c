"""The county administrator's pages: kinds in force, downloads, upload, preview."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document

from hemei.core.testing import COUNTY, TOWN_A, Cast
from hemei.documents.models import DocumentTemplate

from .helpers import docx_with, texts

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client: Client, data: bytes, kind: str = "notice", name: str = "模板.docx") -> Any:
    return client.post(
        f"/documents/{COUNTY}/{kind}/upload/",
        {"file": SimpleUploadedFile(name, data, content_type=DOCX)},
    )


def test_the_county_admin_goes_straight_to_the_county_and_sees_every_kind(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.alice)
    response = client.get("/documents/")
    assert response.status_code == 302 and response["Location"] == f"/documents/{COUNTY}/"
    body = client.get(f"/documents/{COUNTY}/").content.decode()
    for title in ("公示", "不予批准/不予受理决定书", "积分公示"):
        assert title in body
    assert "默认模板" in body


def test_the_kind_page_lists_the_fields_with_samples_and_the_form(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.alice)
    body = client.get(f"/documents/{COUNTY}/refusal/").content.decode()
    assert "legal_basis" in body and "《中华人民共和国土地管理法》第六十二条第一款" in body
    assert 'enctype="multipart/form-data"' in body and 'accept=".docx' in body


def test_an_upload_through_the_page_is_put_in_force_and_the_preview_uses_it(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.alice)
    response = _upload(client, docx_with("本区格式 {{ title }}"))
    assert response.status_code == 302
    template = DocumentTemplate.objects.get(active=True)
    assert template.name == "模板.docx"
    preview = client.get(f"/documents/{COUNTY}/notice/preview.docx")
    assert preview["Content-Type"] == DOCX
    assert "attachment" in preview["Content-Disposition"]
    assert "本区格式 关于2026年度村级公益事业一事一议项目的公示" in texts(preview.content)
    own = client.get(f"/documents/template/{template.pk}/")
    assert b"".join(own.streaming_content).startswith(b"PK")
    default = client.get(f"/documents/{COUNTY}/notice/default.docx")
    assert "{{ title }}" in texts(default.content)
    listing = client.get(f"/documents/{COUNTY}/").content.decode()
    assert "模板.docx" in listing


def test_a_template_that_does_not_render_is_refused_with_a_chinese_message(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.alice)
    response = _upload(client, docx_with("{{ applicant_phone }}"))
    assert response.status_code == 400
    assert "模板使用了本文书没有的字段：applicant_phone。" in response.content.decode()
    response = _upload(client, b"MZ\x90\x00 a program", name="模板.docx")
    assert response.status_code == 400
    assert "不是Word文档" in response.content.decode()
    assert client.post(f"/documents/{COUNTY}/notice/upload/", {}).status_code == 400
    assert not DocumentTemplate.objects.exists()


def test_going_back_to_the_default(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    _upload(client, docx_with("本区格式 {{ title }}"))
    response = client.post(f"/documents/{COUNTY}/notice/use-default/")
    assert response.status_code == 302
    assert not DocumentTemplate.objects.filter(active=True).exists()
    preview = client.get(f"/documents/{COUNTY}/notice/preview.docx")
    assert "本区格式" not in texts(preview.content)
    assert (
        Document(io.BytesIO(preview.content)).tables[1].rows[0].cells[1].text.startswith("（盖章）")
    )


def test_others_are_refused_and_a_town_or_unknown_kind_is_not_found(
    cast: Cast, client: Client
) -> None:
    for user in (cast.lily, cast.tom, cast.victor, cast.vera, cast.nora):
        client.force_login(user)
        assert client.get(f"/documents/{COUNTY}/").status_code == 403
        assert _upload(client, docx_with("{{ title }}")).status_code == 403
    client.force_login(cast.alice)
    assert client.get(f"/documents/{TOWN_A}/").status_code == 404
    assert client.get("/documents/110101/").status_code == 404  # another county's code
    assert client.get(f"/documents/{COUNTY}/no_such_kind/").status_code == 404
    assert client.get(f"/documents/{COUNTY}/notice/upload/").status_code == 405
    assert not DocumentTemplate.objects.exists()

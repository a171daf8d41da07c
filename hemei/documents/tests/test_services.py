"""A county's template: the upload check, the one in force, render(), the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hemei.accounts.models import AuditEntry
from hemei.core.testing import COUNTY, TOWN_A, Cast
from hemei.divisions.models import Division
from hemei.documents import services
from hemei.documents.kinds import NOTICE, REFUSAL
from hemei.documents.models import DocumentTemplate
from hemei.documents.rendering import PersonalDataInNotice

from .helpers import docx_with, texts

pytestmark = pytest.mark.django_db

OTHER_COUNTY = "370214"
COUNTY_TEMPLATE = docx_with("即墨区专用公示：{{ title }}", "{{ issuer }}（盖章）{{ date }}")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def county() -> Division:
    return Division.objects.get(code=COUNTY)


def _stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_valid_upload_becomes_the_countys_template_and_render_uses_it(
    cast: Cast, county: Division
) -> None:
    template = services.upload_template(cast.alice, county, "notice", COUNTY_TEMPLATE)
    assert template.active and template.uploaded_by == cast.alice
    assert services.template_in_force("notice", COUNTY) == template
    body = texts(services.render("notice", COUNTY, NOTICE.sample_context()))
    assert "即墨区专用公示：关于2026年度村级公益事业一事一议项目的公示" in body
    entry = AuditEntry.objects.get(
        object_id=str(template.pk), content_type__model="documenttemplate"
    )
    assert entry.division_code == COUNTY and entry.actor == cast.alice


def test_another_county_still_gets_the_default(cast: Cast, county: Division) -> None:
    services.upload_template(cast.alice, county, "notice", COUNTY_TEMPLATE)
    body = texts(services.render("notice", OTHER_COUNTY, NOTICE.sample_context()))
    assert "即墨区专用公示" not in body
    assert "红花山村全体村民：" in body and "（盖章）" in body


def test_a_template_that_fails_to_render_is_refused_and_nothing_is_stored(
    cast: Cast, county: Division, settings: Any
) -> None:
    services.upload_template(cast.alice, county, "notice", COUNTY_TEMPLATE)
    before = list(DocumentTemplate.objects.values_list("pk", "active"))
    audit_before = AuditEntry.objects.count()
    files_before = _stored_files(settings)
    for bad in (docx_with("{{ title }"), docx_with("{{ no_such_field }}"), b"not a docx"):
        with pytest.raises(ValidationError):
            services.upload_template(cast.alice, county, "notice", bad)
    assert list(DocumentTemplate.objects.values_list("pk", "active")) == before
    assert AuditEntry.objects.count() == audit_before
    assert _stored_files(settings) == files_before


def test_a_new_upload_retires_the_old_one_and_the_default_can_come_back(
    cast: Cast, county: Division
) -> None:
    first = services.upload_template(cast.alice, county, "notice", COUNTY_TEMPLATE)
    second = services.upload_template(
        cast.alice, county, "notice", docx_with("第二版 {{ title }}"), name="第二版.docx"
    )
    first.refresh_from_db()
    assert not first.active and first.retired_at is not None
    assert services.template_in_force("notice", COUNTY) == second
    assert second.name == "第二版.docx"
    assert services.use_default_template(cast.alice, county, "notice") == second
    assert services.template_in_force("notice", COUNTY) is None
    assert services.use_default_template(cast.alice, county, "notice") is None
    assert "红花山村全体村民：" in texts(services.render("notice", COUNTY, NOTICE.sample_context()))
    assert DocumentTemplate.objects.count() == 2  # the history stays


def test_only_the_county_office_of_the_county_may_upload(cast: Cast, county: Division) -> None:
    for user in (cast.lily, cast.dan, cast.tom, cast.victor, cast.vera, cast.nora):
        with pytest.raises(PermissionDenied):
            services.upload_template(user, county, "notice", COUNTY_TEMPLATE)
    with pytest.raises(ValidationError):  # a town is no county
        services.upload_template(
            cast.alice, Division.objects.get(code=TOWN_A), "notice", COUNTY_TEMPLATE
        )
    with pytest.raises(ValidationError):
        services.upload_template(cast.alice, county, "no_such_kind", COUNTY_TEMPLATE)
    assert not DocumentTemplate.objects.exists()


def test_a_superuser_may_upload_for_any_county(cast: Cast, county: Division) -> None:
    from hemei.accounts.models import User

    root = User.objects.create_superuser(username="root", password="x-Password-2026")
    assert services.upload_template(root, county, "refusal", docx_with("{{ applicant }}")).active


def test_the_notice_refuses_personal_data_whatever_the_template(
    cast: Cast, county: Division
) -> None:
    services.upload_template(cast.alice, county, "notice", COUNTY_TEMPLATE)
    context = NOTICE.sample_context() | {"contact": "王主任 13905321001"}
    for code in (COUNTY, OTHER_COUNTY):
        with pytest.raises(PersonalDataInNotice) as refused:
            services.render("notice", code, context)
        assert "contact" in refused.value.messages[0]
    # a refusal letter is sent to the applicant, not posted: it is not guarded
    services.render("refusal", COUNTY, REFUSAL.sample_context() | {"applicant": "13905321001"})


def test_a_county_template_that_fails_on_real_data_falls_back_to_the_default(
    cast: Cast, county: Division
) -> None:
    services.upload_template(
        cast.alice, county, "notice", docx_with("第二项：{{ items[1].subject }}")
    )  # passes with the two sample rows
    context = NOTICE.sample_context()
    context["items"] = context["items"][:1]
    body = texts(services.render("notice", COUNTY, context))
    assert "第二项" not in body and "红花山村全体村民：" in body

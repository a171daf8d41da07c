"""Units: created and changed by administrators inside their county, each change audited."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from hemei.accounts.models import AuditEntry
from hemei.core.testing import Cast
from hemei.units.models import Unit


@pytest.mark.django_db
def test_it_creates_a_unit_through_the_page(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.post(
        "/units/new/",
        {
            "name": "产业振兴专班",
            "short_name": "产业专班",
            "kind": "task_force",
            "division": "370215",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="产业振兴专班")
    entry = AuditEntry.objects.get(object_id=str(unit.pk), action="create")
    assert entry.actor == cast.alice and entry.changes["name"] == [None, "产业振兴专班"]


@pytest.mark.django_db
def test_it_refuses_a_duplicate_name_and_an_outside_division(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    count = Unit.objects.count()
    duplicate = client.post(
        "/units/new/", {"name": "区农业农村局", "kind": "department", "division": "370215"}
    )
    assert duplicate.status_code == 200 and "已有同名单位" in duplicate.content.decode()
    outside = client.post(
        "/units/new/", {"name": "外区局", "kind": "department", "division": "110101"}
    )
    assert (
        outside.status_code == 200
        and "370215" not in outside.content.decode().split("110101")[0][-5:]
    )
    assert Unit.objects.count() == count


@pytest.mark.django_db
def test_it_records_what_an_edit_changed(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.post(
        f"/units/{cast.unit.pk}/edit/",
        {
            "name": "区农业农村局",
            "short_name": "农业局",
            "kind": "department",
            "division": "370215",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_id=str(cast.unit.pk), action="update")
    assert entry.changes == {"short_name": ["农业农村局", "农业局"]}


@pytest.mark.django_db
def test_it_lists_filters_and_exports_units(cast: Cast, client: Client) -> None:
    Unit.objects.create(name="人居环境整治专班", kind="task_force", division_id="370215")
    client.force_login(cast.lily)
    page = client.get("/units/?kind=task_force").content.decode()
    assert "人居环境整治专班" in page and "区农业农村局" not in page
    export = client.get("/units/?q=农业&export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "名称" and [row[0] for row in rows[1:]] == ["区农业农村局"]

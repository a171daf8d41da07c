"""The catalogue sheet (export, import good / bad / again) and the pages' answers to bad
input: a 4xx with a Chinese message, and nothing changed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, VILLAGE_A, Cast
from hemei.disclosure import services, sheets
from hemei.disclosure.defaults import ITEMS, default_items
from hemei.disclosure.models import CatalogueItem, Disclosure
from hemei.divisions.models import Division

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def default_sheet() -> bytes:
    return sheets.export_catalogue(default_items(D(2026, 1, 1)))


def edited(data: bytes, row: int, column: str, value: object) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    index = list(sheets.HEADERS).index(column) + 1
    sheet.cell(row=row, column=index, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_(cast: Cast, data: bytes, code: str = COUNTY) -> services.ImportResult:
    with clock.frozen_at(at(D(2026, 1, 5))):
        return services.import_catalogue(
            actor=cast.alice,
            division=Division.objects.get(code=code),
            rows=sheets.read_catalogue(data),
        )


def test_the_default_sheet_imports_and_again_changes_nothing(cast: Cast) -> None:
    data = default_sheet()
    header = [c.value for c in load_workbook(io.BytesIO(data)).active[1]]
    assert header[:10] == [
        "序号",
        "一级事项",
        "二级事项",
        "公开内容",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道",
        "公开对象",
        "屏蔽字段",
    ]
    first = import_(cast, data)
    assert (first.created, first.updated, first.unchanged) == (len(ITEMS), 0, 0)
    again = import_(cast, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(ITEMS))
    exported = sheets.export_catalogue(CatalogueItem.objects.filter(division_id=COUNTY))
    assert import_(cast, exported).unchanged == len(ITEMS)
    changed = import_(cast, edited(data, 14, "公开时限", "每月5日前"))
    assert changed.updated == 1
    assert CatalogueItem.objects.get(division_id=COUNTY, number=13).timing_day == 5


def test_a_bad_sheet_changes_nothing_and_says_where(cast: Cast) -> None:
    import_(cast, default_sheet())
    before = list(CatalogueItem.objects.values_list("pk", "updated_at"))
    data = edited(default_sheet(), 3, "公开时限", "每周一")
    data = edited(data, 4, "公开对象", "村民")
    data = edited(data, 5, "序号", 2)
    data = edited(data, 6, "公开内容", "王某 13905321234")
    data = edited(data, 7, "一级事项", "新名称")  # a good change that must not land either
    with pytest.raises(ValidationError) as caught:
        import_(cast, data)
    messages = caught.value.messages
    assert any(m.startswith("第3行“公开时限”：无法识别“每周一”") for m in messages)
    assert any(m.startswith("第4行“公开对象”") for m in messages)
    assert any(m.startswith("第5行“序号”：与第3行序号重复") for m in messages)
    assert list(CatalogueItem.objects.values_list("pk", "updated_at")) == before
    # personal data is caught when the rows are saved, still all or nothing
    data = edited(default_sheet(), 6, "公开内容", "王某 13905321234")
    data = edited(data, 7, "一级事项", "新名称")
    with pytest.raises(ValidationError) as caught:
        import_(cast, data)
    assert caught.value.messages[0].startswith("第6行")
    assert list(CatalogueItem.objects.values_list("pk", "updated_at")) == before


def test_no_workbook_or_missing_columns(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        sheets.read_catalogue(b"not a workbook")
    book = Workbook()
    book.active.append(["序号", "一级事项"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as caught:
        sheets.read_catalogue(out.getvalue())
    assert "公开时限" in caught.value.messages[0]


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_import_page_answers_bad_files_with_400_in_chinese(cast: Cast) -> None:
    client = client_of(cast.alice)
    url = reverse("disclosure:catalogue_import")
    response = client.post(url, {"division": COUNTY, "file": SimpleUploadedFile("x.xlsx", b"junk")})
    assert response.status_code == 400
    assert "不是 Excel" in response.content.decode() or "Excel" in response.content.decode()
    data = edited(default_sheet(), 3, "公开时限", "每周一")
    response = client.post(url, {"division": COUNTY, "file": SimpleUploadedFile("c.xlsx", data)})
    assert response.status_code == 400 and "第3行" in response.content.decode()
    assert not CatalogueItem.objects.exists()
    response = client.post(
        url, {"division": TOWN_A, "file": SimpleUploadedFile("c.xlsx", default_sheet())}
    )
    assert response.status_code == 400  # not a catalogue alice edits from this form
    response = client.post(
        url, {"division": COUNTY, "file": SimpleUploadedFile("c.xlsx", default_sheet())}
    )
    assert response.status_code == 302 and CatalogueItem.objects.count() == len(ITEMS)


def test_pages_show_lights_and_refuse_bad_input(cast: Cast, catalogue) -> None:
    with clock.frozen_at(at(D(2026, 4, 21))):
        services.generate_due(today=D(2026, 4, 21))
        victor = client_of(cast.victor)
        page = victor.get(reverse("disclosure:disclosure_list"), {"state": "late"}).content.decode()
        assert "light-red" in page and "逾期" in page
        for query in ({"year": "abc"}, {"item": "9" * 30}, {"area": "x' OR 1"}, {"page": "999"}):
            assert victor.get(reverse("disclosure:disclosure_list"), query).status_code == 200
        export = victor.get(reverse("disclosure:disclosure_list"), {"export": "xlsx"})
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
        due = Disclosure.objects.filter(village_id=VILLAGE_A, state="late").first()
        url = reverse("disclosure:disclosure_publish", args=[due.pk])
        response = victor.post(
            url, {"published_on": "2026-04-21", "text": "王某 370215198001011234"}
        )
        assert response.status_code == 400 and "身份证" in response.content.decode()
        response = victor.post(url, {"published_on": "明天", "text": "x"})
        assert response.status_code == 400
        due.refresh_from_db()
        assert due.state == "late"
        tom = client_of(cast.tom)
        town = tom.get(reverse("disclosure:town"), {"year": "2026"})
        assert town.status_code == 200 and "红花山村" in town.content.decode()
        assert tom.get(reverse("disclosure:town"), {"town": "370215101"}).status_code == 404
        assert tom.get(reverse("disclosure:town"), {"export": "xlsx"}).status_code == 200
        catalogue_page = victor.get(reverse("disclosure:catalogue"), {"timing": "quarterly"})
        assert "2026-07-20" in catalogue_page.content.decode()
        response = tom.post(
            reverse("disclosure:village_start"), {"village": "x", "since": "2026-01-01"}
        )
        assert response.status_code == 400

"""The register's pages: who may open what, masking, logged full views, exports, imports,
the event actions, and a list whose query count does not grow with its rows."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from hemei.core.testing import VILLAGE_A, VILLAGE_B, Cast, zip_bomb_xlsx
from hemei.divisions.models import Division
from hemei.households import services
from hemei.households.models import Household, HouseholdEvent, Resident, SensitiveView
from hemei.households.tests.factories import make_household, person
from hemei.households.tests.test_import_export import good_rows, xlsx

pytestmark = pytest.mark.django_db


@dataclass
class Register:
    home: Household  # in 红花山村, village A (town A)
    away: Household  # in 金口村, village B (town B)


@pytest.fixture
def register(cast: Cast) -> Register:
    home = make_household(cast.victor, Division.objects.get(code=VILLAGE_A))
    away = make_household(cast.alice, Division.objects.get(code=VILLAGE_B), number="B01")
    return Register(home=home, away=away)


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Register], str]
    write: bool = False
    #: the same page for village B, outside victor's and tom's scope
    outside: Callable[[Register], str] | None = None


def _on(path: str, write: bool = False) -> Page:
    return Page(
        path,
        lambda r: f"/households/{r.home.pk}/{path}",
        write=write,
        outside=lambda r: f"/households/{r.away.pk}/{path}",
    )


def _member(path: str) -> Page:
    return Page(
        f"resident {path}",
        lambda r: f"/households/residents/{r.home.head_id}/{path}",
        write=True,
        outside=lambda r: f"/households/residents/{r.away.head_id}/{path}",
    )


PAGES = [
    Page("list", lambda r: "/households/"),
    Page("list export", lambda r: "/households/?export=xlsx"),
    Page("groups", lambda r: "/households/groups/"),
    Page("import template", lambda r: "/households/import/template/"),
    Page("create", lambda r: "/households/new/", write=True),
    Page("import", lambda r: "/households/import/", write=True),
    _on(""),
    _on("edit/", write=True),
    _on("members/new/", write=True),
    _on("head/", write=True),
    _on("split/", write=True),
    _on("merge/", write=True),
    _on("move-out/", write=True),
    _member("edit/"),
    _member("remove/"),
]
IDS = [page.name or "detail" for page in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_anonymous_visitors_go_to_login(page, register, client):
    response = client.get(page.url(register))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("page", PAGES, ids=IDS)
@pytest.mark.parametrize("who", ["nora", "vera", "dan"])
def test_no_register_role_is_403(page, register, cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(page.url(register)).status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=IDS)
@pytest.mark.parametrize("who", ["alice", "tom", "victor"])
def test_writers_open_every_page_of_their_village(page, register, cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(page.url(register)).status_code == 200


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_a_leader_reads_but_does_not_write(page, register, cast, client):
    client.force_login(cast.lily)
    assert client.get(page.url(register)).status_code == (403 if page.write else 200)


@pytest.mark.parametrize(
    "page", [p for p in PAGES if p.outside], ids=[p.name for p in PAGES if p.outside]
)
@pytest.mark.parametrize("who", ["victor", "tom"])
def test_another_village_is_404(page, register, cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(page.outside(register)).status_code == 404


@pytest.mark.parametrize(
    "page", [p for p in PAGES if p.outside], ids=[p.name for p in PAGES if p.outside]
)
def test_the_outsider_town_official_gets_404(page, register, cast, client):
    client.force_login(cast.owen)
    assert client.get(page.url(register)).status_code == 404


def test_lists_show_only_the_scope(register, cast, client):
    client.force_login(cast.owen)
    body = client.get("/households/?active=all").content.decode()
    assert "B01" in body and f'/households/{register.home.pk}/"' not in body
    client.force_login(cast.victor)
    body = client.get("/households/").content.decode()
    assert "B01" not in body and f"/households/{register.home.pk}/" in body


def test_pages_mask_protected_values(register, cast, client):
    head = register.home.head
    client.force_login(cast.victor)
    body = client.get(f"/households/{register.home.pk}/").content.decode()
    assert head.id_number not in body and "13900000001" not in body
    assert head.masked_id_number in body and "139****0001" in body
    assert "show in full" in body or "查看完整" in body


def test_showing_in_full_is_explicit_and_logged(register, cast, client):
    head = register.home.head
    url = f"/households/residents/{head.pk}/reveal/id_number/"
    client.force_login(cast.victor)
    assert client.get(url).status_code == 405
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and head.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert client.post(f"/households/residents/{head.pk}/reveal/phone/").status_code == 200
    assert client.post(f"/households/residents/{head.pk}/reveal/name/").status_code == 404
    log = list(SensitiveView.objects.values_list("viewer__username", "resident_id", "field"))
    assert sorted(log) == [("victor", head.pk, "id_number"), ("victor", head.pk, "phone")]


@pytest.mark.parametrize(
    ("who", "status"), [("lily", 403), ("owen", 404), ("vera", 403), ("nora", 403)]
)
def test_others_cannot_show_in_full(register, cast, client, who, status):
    client.force_login(getattr(cast, who))
    url = f"/households/residents/{register.home.head_id}/reveal/id_number/"
    assert client.post(url).status_code == status
    assert not SensitiveView.objects.exists()


def test_the_log_of_full_views_is_for_administrators(register, cast, client):
    services.reveal(actor=cast.victor, resident=register.home.head, field="phone")
    services.reveal(actor=cast.alice, resident=register.away.head, field="phone")
    client.force_login(cast.alice)
    body = client.get("/households/full-views/").content.decode()
    assert body.count("<tr>") == 3  # header and two rows
    assert client.get("/households/full-views/?export=xlsx").status_code == 200
    for who in ("victor", "tom", "lily", "vera"):
        client.force_login(getattr(cast, who))
        assert client.get("/households/full-views/").status_code == 403


def _cells(response) -> list[str]:
    book = load_workbook(io.BytesIO(response.content))
    return [str(c.value) for row in book.worksheets[0].iter_rows() for c in row]


def test_the_export_is_masked_and_scoped(register, cast, client):
    client.force_login(cast.victor)
    cells = _cells(client.get("/households/?export=xlsx"))
    assert register.home.head.masked_id_number in cells
    assert register.home.head.id_number not in cells and "13900000001" not in cells
    assert "B01" not in cells


def test_the_full_export_is_for_administrators_and_logged(register, cast, client):
    client.force_login(cast.victor)
    assert client.get(f"/households/?village={VILLAGE_A}&export=xlsx&full=1").status_code == 403
    client.force_login(cast.alice)
    assert client.get("/households/?export=xlsx&full=1").status_code == 403  # one village
    cells = _cells(client.get(f"/households/?village={VILLAGE_A}&export=xlsx&full=1"))
    assert register.home.head.id_number in cells and "B01" not in cells
    view = SensitiveView.objects.get()
    assert (view.viewer, view.field, view.rows, view.village_id) == (
        cast.alice,
        "full_export",
        3,
        VILLAGE_A,
    )


def test_the_list_query_count_does_not_grow(cast, client):
    village = Division.objects.get(code=VILLAGE_A)
    urls = [
        "/households/",
        f"/households/?q=王&village={VILLAGE_A}&active=all",
        "/households/groups/",
    ]

    def counts() -> list[int]:
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    first = services.create_village_group(actor=cast.victor, village=village, name="第一组")
    for number in range(3):
        make_household(cast.victor, village, number=f"{number:03d}", group=first)
    client.force_login(cast.victor)
    few = counts()
    assert max(few) <= 8
    for number in range(3, 40):
        services.create_household(
            actor=cast.victor,
            village=village,
            number=f"{number:03d}",
            head=person(f"王{number}"),
            group=services.create_village_group(
                actor=cast.victor, village=village, name=f"{number}组"
            ),
        )
    assert counts() == few


def test_the_import_page(cast, client):
    client.force_login(cast.victor)
    village = Division.objects.get(code=VILLAGE_A)
    bad = good_rows()
    bad[1][3] = "表亲"
    response = client.post(
        "/households/import/", {"village": VILLAGE_A, "file": _upload(xlsx(bad))}
    )
    assert response.status_code == 400 and "表亲" in response.content.decode()
    assert not Household.objects.exists()
    response = client.post(
        "/households/import/", {"village": VILLAGE_A, "file": _upload(xlsx(good_rows()))}
    )
    assert response.status_code == 302
    assert Household.objects.filter(village=village).count() == 2
    response = client.post(
        "/households/import/", {"village": VILLAGE_B, "file": _upload(xlsx(good_rows()))}
    )
    assert response.status_code == 400  # not a village victor may choose
    assert not Household.objects.filter(village_id=VILLAGE_B).exists()


def test_a_zip_bomb_is_refused_with_a_message_and_writes_nothing(cast, client):
    client.force_login(cast.victor)
    response = client.post(
        "/households/import/", {"village": VILLAGE_A, "file": _upload(zip_bomb_xlsx(100))}
    )
    assert response.status_code == 400
    assert "工作簿解压后超过 30 MB" in response.content.decode()
    assert not Household.objects.exists() and not Resident.objects.exists()


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("register.xlsx", data)


def test_the_event_actions_through_the_pages(register, cast, client):
    home = register.home
    client.force_login(cast.victor)
    son = home.members.get(relation="child")
    today = dt.date.today().isoformat()
    response = client.post(
        f"/households/{home.pk}/head/",
        {"new_head": son.pk, "former_head_relation": "parent", "date": today, "note": "老人年迈"},
    )
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.head == son
    old = home.members.get(relation="parent")
    wife = home.members.get(relation="spouse")
    response = client.post(
        f"/households/{home.pk}/split/",
        {
            "members": [old.pk, wife.pk],
            "new_head": old.pk,
            f"relation_{wife.pk}": "spouse",
            "new_number": "001-1",
            "date": today,
        },
    )
    assert response.status_code == 302, response.content.decode()
    new = Household.objects.get(number="001-1")
    assert new.head == old and Resident.objects.get(pk=wife.pk).relation == "spouse"
    response = client.post(f"/households/{new.pk}/merge/", {"target": home.pk, "date": today})
    assert response.status_code == 302
    assert not Household.objects.get(pk=new.pk).is_active
    body = client.get(f"/households/{home.pk}/").content.decode()
    assert "001-1" in body and "老人年迈" in body
    kinds = set(HouseholdEvent.objects.filter(household=home).values_list("kind", flat=True))
    assert {"head_change", "split", "merge"} <= kinds


def test_bad_input_answers_400_and_changes_nothing(register, cast, client):
    client.force_login(cast.victor)
    before = Resident.objects.count()
    response = client.post(
        f"/households/{register.home.pk}/members/new/",
        {
            "name": "错号",
            "relation": "child",
            "id_number": "370215198001011236",
            "date": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert Resident.objects.count() == before
    response = client.post(
        "/households/new/",
        {"village": VILLAGE_A, "number": "001", "name": "重号", "date": "2026-01-01"},
    )
    assert response.status_code == 400
    assert Household.objects.filter(village_id=VILLAGE_A).count() == 1


def test_editing_a_member_keeps_protected_values_and_links_an_account(register, cast, client):
    from hemei.households import selectors
    from hemei.households.tests.factories import fake_id

    wife = register.home.members.get(relation="spouse")
    old_id = wife.id_number
    client.force_login(cast.victor)
    page = client.get(f"/households/residents/{wife.pk}/edit/").content.decode()
    assert old_id not in page and wife.masked_id_number in page and "韦拉" in page
    data = {"name": "李秀兰", "relation": "spouse", "gender": "female", "birth_date": "1967-05-06"}
    response = client.post(
        f"/households/residents/{wife.pk}/edit/", {**data, "account": cast.vera.pk}
    )
    assert response.status_code == 302
    wife.refresh_from_db()
    assert wife.id_number == old_id and wife.name == "李秀兰" and wife.user == cast.vera
    assert selectors.household_of(cast.vera) == register.home
    new_id = fake_id(dt.date(1968, 2, 2), male=False)
    response = client.post(
        f"/households/residents/{wife.pk}/edit/",
        {**data, "id_number": new_id, "account": cast.vera.pk},
    )
    assert response.status_code == 302
    wife.refresh_from_db()
    assert wife.id_number == new_id and wife.birth_date == dt.date(1968, 2, 2)


def test_a_villager_sees_only_their_own_household(register, cast, client):
    client.force_login(cast.vera)
    body = client.get("/households/mine/").content.decode()
    assert "001" not in body
    wife = register.home.members.get(relation="spouse")
    services.link_account(actor=cast.victor, resident=wife, user=cast.vera)
    body = client.get("/households/mine/").content.decode()
    assert wife.masked_id_number in body and wife.id_number not in body
    assert "王建国001" in body and "B01" not in body
    assert client.get(f"/households/{register.home.pk}/").status_code == 403
    client.logout()
    assert client.get("/households/mine/").status_code == 302

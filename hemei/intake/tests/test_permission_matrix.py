"""The permission matrix of the intake pages: anonymous → login, no role → 403, a role that
may not create tasks → 403, someone else's upload or draft → 404."""

from __future__ import annotations

import pytest
from django.test import Client

from hemei.core.testing import COUNTY, TOWN_A, Cast

from ..models import IngestDraft, TableUpload

PAGES = {
    "decomposition import": "/intake/decomposition/",
    "decomposition template": "/intake/decomposition/template.xlsx",
    "report ingest": "/intake/report/",
}
OWNED = {
    "decomposition preview": "/intake/decomposition/{upload}/",
    "report review": "/intake/report/{draft}/",
}
WRITES = {
    "decomposition import": "/intake/decomposition/",
    "decomposition confirm": "/intake/decomposition/{upload}/confirm/",
    "report ingest": "/intake/report/",
    "report review": "/intake/report/{draft}/",
}


def owned_by_tom(cast: Cast) -> dict[str, int]:
    from .helpers import workbook

    upload = TableUpload.objects.create(
        owner=cast.tom,
        division_id=TOWN_A,
        year=2026,
        filename="t.xlsx",
        data=workbook([[1, "推进户厕改造", None, "区农业农村局", None, "年底", None]]),
        sha256="0" * 64,
    )
    draft = IngestDraft.objects.create(
        owner=cast.tom,
        division_id=TOWN_A,
        year=2026,
        result={
            "text": "会议",
            "removed": [],
            "meeting": {},
            "people": [],
            "programs": [],
            "directives": [],
        },
    )
    return {"upload": upload.pk, "draft": draft.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*PAGES.values(), *OWNED.values()], ids=[*PAGES, *OWNED])
def test_it_sends_anonymous_visitors_to_login(url: str, cast: Cast, client: Client) -> None:
    response = client.get(url.format(**owned_by_tom(cast)))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*PAGES.values(), *OWNED.values()], ids=[*PAGES, *OWNED])
def test_it_refuses_an_account_without_a_role(url: str, cast: Cast, client: Client) -> None:
    client.force_login(cast.nora)
    assert client.get(url.format(**owned_by_tom(cast))).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(PAGES.values()), ids=list(PAGES))
def test_it_opens_for_everyone_who_may_create_tasks(url: str, cast: Cast, client: Client) -> None:
    for user in (cast.alice, cast.lily, cast.dan, cast.tom, cast.owen):
        client.force_login(user)
        assert client.get(url).status_code == 200, user.username


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(WRITES.values()), ids=list(WRITES))
def test_it_refuses_roles_that_may_not_create_tasks(url: str, cast: Cast, client: Client) -> None:
    url = url.format(**owned_by_tom(cast))
    for user in (cast.victor, cast.vera):
        client.force_login(user)
        assert client.post(url, {"division": TOWN_A}).status_code in (403, 404), user.username
    for user in (cast.victor, cast.vera):
        client.force_login(user)
        for page in PAGES.values():
            assert client.get(page).status_code == 403, (user.username, page)


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(OWNED.values()), ids=list(OWNED))
def test_uploads_and_drafts_answer_404_to_anyone_but_their_owner(
    url: str, cast: Cast, client: Client
) -> None:
    url = url.format(**owned_by_tom(cast))
    client.force_login(cast.tom)
    assert client.get(url).status_code == 200
    for user in (cast.owen, cast.alice, cast.lily):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
    assert client.get(url.replace("/1", "/99999").rstrip("/") + "/").status_code == 404


@pytest.mark.django_db
def test_the_division_choices_are_where_the_user_may_create_tasks(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.tom)
    choices = dict(client.get("/intake/decomposition/").context["form"].fields["division"].choices)
    assert list(choices) == [TOWN_A]
    client.force_login(cast.alice)
    choices = dict(client.get("/intake/report/").context["form"].fields["division"].choices)
    assert COUNTY in choices and TOWN_A in choices and len(choices) > 10
    assert all(code.startswith(COUNTY) and len(code) in (6, 9) for code in choices)

"""The permission matrix of every page: anonymous → login, no role → 403, outside the
subtree → 404, a role without administration → 403 on administration pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from hemei.core.testing import TOWN_B, VILLAGE_B, Cast


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Cast], str]
    admin_only: bool = False
    #: a URL of the same page for an object outside town A, which tom must not see
    outside: Callable[[Cast], str] | None = None


PAGES = [
    Page("home", lambda c: "/"),
    Page("division list", lambda c: "/divisions/?q=村"),
    Page(
        "division detail",
        lambda c: "/divisions/370215100/",
        outside=lambda c: f"/divisions/{TOWN_B}/",
    ),
    Page(
        "village detail",
        lambda c: "/divisions/370215100214/",
        outside=lambda c: f"/divisions/{VILLAGE_B}/",
    ),
    Page("division export", lambda c: "/divisions/370215100/?export=xlsx"),
    Page("unit list", lambda c: "/units/"),
    Page("unit export", lambda c: "/units/?export=xlsx"),
    Page("unit create", lambda c: "/units/new/", admin_only=True),
    Page("unit edit", lambda c: f"/units/{c.unit.pk}/edit/", admin_only=True),
    Page("user list", lambda c: "/accounts/users/", admin_only=True),
    Page("user export", lambda c: "/accounts/users/?export=xlsx", admin_only=True),
    Page("user create", lambda c: "/accounts/users/new/", admin_only=True),
    Page("user detail", lambda c: f"/accounts/users/{c.tom.pk}/", admin_only=True),
    Page("user import", lambda c: "/accounts/users/import/", admin_only=True),
    Page(
        "user import template",
        lambda c: "/accounts/users/import/template.xlsx",
        admin_only=True,
    ),
    Page("audit log", lambda c: "/accounts/audit/", admin_only=True),
]
IDS = [page.name for page in PAGES]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_sends_anonymous_visitors_to_login(page: Page, cast: Cast, client: Client) -> None:
    response = client.get(page.url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_refuses_an_account_without_a_role(page: Page, cast: Cast, client: Client) -> None:
    client.force_login(cast.nora)
    assert client.get(page.url(cast)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_it_opens_for_the_county_administrator(page: Page, cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.get(page.url(cast))
    assert response.status_code in (200, 302)


@pytest.mark.django_db
@pytest.mark.parametrize("page", [p for p in PAGES if p.admin_only], ids=lambda p: p.name)
def test_it_refuses_administration_to_other_roles(page: Page, cast: Cast, client: Client) -> None:
    for user in (cast.lily, cast.dan, cast.tom, cast.victor, cast.vera):
        client.force_login(user)
        assert client.get(page.url(cast)).status_code == 403, user.username


@pytest.mark.django_db
@pytest.mark.parametrize("page", [p for p in PAGES if p.outside], ids=lambda p: p.name)
def test_it_answers_404_outside_the_subtree(page: Page, cast: Cast, client: Client) -> None:
    assert page.outside is not None
    client.force_login(cast.tom)
    assert client.get(page.url(cast)).status_code == 200
    assert client.get(page.outside(cast)).status_code == 404
    assert client.get("/divisions/999999999/").status_code == 404  # missing: the same answer


@pytest.mark.django_db
def test_it_answers_404_for_a_user_in_another_county(cast: Cast, client: Client) -> None:
    from hemei.accounts.models import RoleAssignment, User

    other = User.objects.create_user(username="zoe", password="x", division_id="370215101")
    RoleAssignment.objects.create(user=other, role="county_admin", division_id="3702")  # city
    client.force_login(cast.alice)
    assert client.get(f"/accounts/users/{other.pk}/").status_code == 200
    # A county admin of one county cannot open an account whose home is above it.
    outsider = User.objects.create_user(username="yan", password="x", division_id="3702")
    assert client.get(f"/accounts/users/{outsider.pk}/").status_code == 404

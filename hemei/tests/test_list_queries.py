"""The village procedures' list pages cost the same number of queries for 2 rows as for 12:
nothing is loaded row by row (STYLE: list pages keep a flat query count)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hemei.cases import services as cases
from hemei.cases.models import Case
from hemei.catalogue.samples import adopted_catalogue
from hemei.core import clock
from hemei.core.testing import VILLAGE_A, Cast
from hemei.disclosure import services as disclosure
from hemei.disclosure.models import Disclosure
from hemei.disclosure.tests.conftest import load_defaults
from hemei.divisions.models import Division
from hemei.notices import services as notices
from hemei.notices.models import Notice
from hemei.points.tests.factories import household

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 2, tzinfo=dt.UTC)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def flat(cast: Cast, url: str, add: Callable[[int], None]) -> None:
    client = Client()
    client.force_login(cast.alice)
    with clock.frozen_at(NOW):
        add(2)
        few = queries(client, url)
        add(10)
        many = queries(client, url)
    assert many == few, f"{url}: {few} queries for 2 rows, {many} for 12"


def test_the_case_list_is_flat(cast: Cast) -> None:
    adopted_catalogue(cast.alice, VILLAGE_A)
    household(VILLAGE_A, "H001", "王秀英", user=cast.vera)
    village = Division.objects.get(code=VILLAGE_A)

    def add(n: int) -> None:
        for _ in range(n):
            cases.start_case(actor=cast.vera, village=village, item_code="F01", title="临时救助")

    flat(cast, "/cases/", add)
    assert Case.objects.count() == 12


def test_the_notice_list_is_flat(cast: Cast) -> None:
    village = Division.objects.get(code=VILLAGE_A)

    def add(n: int) -> None:
        for i in range(n):
            notices.post_notice(
                actor=cast.victor, village=village, title=f"公示 {i}", body="内容", days=5
            )

    flat(cast, "/notices/", add)
    assert Notice.objects.count() == 12


def test_the_disclosure_list_is_flat(cast: Cast) -> None:
    with clock.frozen_at(dt.datetime(2025, 12, 20, 2, tzinfo=dt.UTC)):
        load_defaults(cast.alice)
        disclosure.adopt(
            actor=cast.tom, village=Division.objects.get(code=VILLAGE_A), since=dt.date(2026, 1, 1)
        )
    day = iter(range(1, 100))

    def add(n: int) -> None:
        for _ in range(n):
            disclosure.record_event(
                village=VILLAGE_A,
                item_key="project.major",
                happened_on=dt.date(2026, 6, 1),
                title=f"工程 {next(day)}",
            )

    flat(cast, "/disclosure/", add)
    assert Disclosure.objects.filter(item__key="project.major").count() == 12


def test_the_catalogue_list_is_flat(cast: Cast) -> None:
    from hemei.catalogue import services as catalogue

    county = Division.objects.get(code="370215")

    def add(n: int) -> None:
        for _ in range(n):
            catalogue.create_template(actor=cast.alice, division=county, name="范本")

    flat(cast, "/catalogue/", add)
    assert catalogue.Catalogue.objects.count() == 12


def test_the_homestead_ledger_and_the_parcel_register_are_flat(cast: Cast) -> None:
    from hemei.homestead.tests.helpers import apply, rectangle, setup_village
    from hemei.places.models import Parcel

    setup_village(cast)
    household(VILLAGE_A, "H001", "王秀英", user=cast.vera)
    made = [0]

    def add(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            apply(cast, geometry=rectangle(made[0] * 20, 0, 10, 12), at=NOW)

    flat(cast, "/homestead/", add)
    flat(cast, "/homestead/?export=xlsx", add)

    def parcels(n: int) -> None:
        from hemei.homestead.tests.helpers import parcel

        for _ in range(n):
            made[0] += 1
            parcel(f"ZJ{made[0]:03d}", rectangle(made[0] * 20, 50, 10, 12))

    flat(cast, f"/places/village/{VILLAGE_A}/parcels/", parcels)
    assert Parcel.objects.count() >= 12

"""The points shop (积分超市): redemptions lower balance and stock together, never below zero."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client

from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division

from .. import ledger, services
from ..choices import LedgerKind
from ..models import Balance, Goods, LedgerEntry, Redemption
from .conftest import Village
from .factories import adopted_rules, household


def give(household_id: int, points: int) -> None:
    ledger.append(
        village_code=VILLAGE_A,
        rows=[
            ledger.Row(
                household_id=household_id,
                kind=LedgerKind.AWARD,
                points=points,
                occurred_on=dt.date(2026, 6, 1),
                reason="测试积分",
            )
        ],
    )


def soap(cast: Cast, stock: int = 5, price: int = 10) -> Goods:
    return services.add_goods(
        actor=cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        name="洗衣皂",
        price=price,
        stock=stock,
    )


@pytest.mark.django_db
def test_it_redeems_points_for_goods(cast: Cast, village: Village) -> None:
    give(village.wang.pk, 25)
    goods = soap(cast)
    redemption = services.redeem(actor=cast.victor, household=village.wang, goods=goods, quantity=2)
    assert redemption.points == 20
    goods.refresh_from_db()
    assert goods.stock == 3
    row = LedgerEntry.objects.get(redemption=redemption)
    assert (row.kind, row.points, row.balance_after) == (LedgerKind.REDEMPTION, -20, 5)
    assert Balance.objects.get(household=village.wang).points == 5
    with pytest.raises(ValidationError) as caught:
        services.redeem(actor=cast.victor, household=village.wang, goods=goods)
    assert "5" in str(caught.value)
    assert Redemption.objects.count() == 1


@pytest.mark.django_db
def test_it_never_sells_more_than_the_stock(cast: Cast, village: Village) -> None:
    give(village.wang.pk, 100)
    goods = soap(cast, stock=1)
    services.redeem(actor=cast.victor, household=village.wang, goods=goods)
    with pytest.raises(ValidationError):
        services.redeem(actor=cast.victor, household=village.wang, goods=goods)
    with pytest.raises(IntegrityError), transaction.atomic():
        Goods.objects.filter(pk=goods.pk).update(stock=-1)


@pytest.mark.django_db
def test_the_database_refuses_an_overdrawing_redemption_row(cast: Cast, village: Village) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            village_id=VILLAGE_A,
            sequence=99,
            household=village.wang,
            kind=LedgerKind.REDEMPTION,
            points=-5,
            balance_after=-5,
            occurred_on=dt.date(2026, 6, 1),
            recorded_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
            reason="x",
            previous_hash="0" * 64,
            hash="0" * 64,
        )


@pytest.mark.django_db
def test_a_villager_redeems_only_for_their_own_household(cast: Cast, village: Village) -> None:
    give(village.vera_home.pk, 10)
    give(village.wang.pk, 10)
    goods = soap(cast)
    services.redeem(actor=cast.vera, household=village.vera_home, goods=goods)
    with pytest.raises(PermissionDenied):
        services.redeem(actor=cast.vera, household=village.wang, goods=goods)
    with pytest.raises(PermissionDenied):
        services.redeem(actor=cast.owen, household=village.wang, goods=goods)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_redemptions_never_overdraw(cast: Cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks across connections (CI runs it)")
    adopted_rules(cast.victor, VILLAGE_A)
    home = household(VILLAGE_A, "050", "赵五十")
    give(home.pk, 100)  # enough for 10 at 10 points
    goods = soap(cast, stock=20)
    barrier = threading.Barrier(50)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        try:
            barrier.wait()
            services.redeem(actor=cast.victor, household=home, goods=goods)
            outcome = "ok"
        except ValidationError:
            outcome = "refused"
        except Exception as exc:
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["ok", "refused"], outcomes
    assert outcomes.count("ok") == 10
    goods.refresh_from_db()
    assert goods.stock == 10
    assert Balance.objects.get(household=home).points == 0
    assert Redemption.objects.filter(household=home).count() == 10
    assert ledger.verify(VILLAGE_A).ok


@pytest.mark.django_db
def test_goods_taken_off_sale_cannot_be_redeemed(cast: Cast, village: Village) -> None:
    from django.test import Client

    give(village.wang.pk, 50)
    goods = soap(cast)
    client = Client()
    client.force_login(cast.victor)
    response = client.post(f"/points/v/{VILLAGE_A}/shop/", {"form": "shelf", "goods": goods.pk})
    assert response.status_code == 302
    goods.refresh_from_db()
    assert not goods.is_active
    with pytest.raises(ValidationError):
        services.redeem(actor=cast.victor, household=village.wang, goods=goods)
    client.force_login(cast.vera)
    response = client.post(f"/points/v/{VILLAGE_A}/shop/", {"form": "shelf", "goods": goods.pk})
    assert response.status_code == 403


# --- one redemption per form (issue 9: a resent form charged twice) -----------------------


def _shop_key(page: str, goods: Goods) -> str:
    """The one-time key of the goods' redeem form on the rendered shop page."""
    match = re.search(
        rf'name="goods" value="{goods.pk}"><input type="hidden" name="quantity" value="1">'
        r'<input type="hidden" name="key" value="([^"]+)"',
        page,
    )
    assert match, "the redeem form carries a one-time key"
    return match.group(1)


@pytest.mark.django_db
def test_the_same_redeem_form_sent_twice_charges_once(cast: Cast, village: Village) -> None:
    give(village.vera_home.pk, 30)
    goods = soap(cast)
    client = Client()
    client.force_login(cast.vera)
    url = f"/points/v/{VILLAGE_A}/shop/"
    key = _shop_key(client.get(url).content.decode(), goods)
    form = {"form": "redeem", "goods": goods.pk, "quantity": 1, "key": key}
    first = client.post(url, form)
    again = client.post(url, form)  # a double tap, or a resend after a lost answer
    assert first.status_code == again.status_code == 302
    assert Redemption.objects.count() == 1
    assert Balance.objects.get(household=village.vera_home).points == 20
    assert Goods.objects.get(pk=goods.pk).stock == 4
    assert LedgerEntry.objects.filter(kind=LedgerKind.REDEMPTION).count() == 1
    # The page shown again has a fresh key: the next redemption is a new one.
    fresh = _shop_key(client.get(url).content.decode(), goods)
    assert fresh != key
    assert client.post(url, {**form, "key": fresh}).status_code == 302
    assert Balance.objects.get(household=village.vera_home).points == 10
    assert ledger.verify(VILLAGE_A).ok


@pytest.mark.django_db
def test_the_officials_redeem_form_sent_twice_charges_once(cast: Cast, village: Village) -> None:
    give(village.wang.pk, 30)
    goods = soap(cast)
    client = Client()
    client.force_login(cast.victor)
    url = f"/points/v/{VILLAGE_A}/shop/"
    page = client.get(url).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    form = {"form": "redeem", "household": village.wang.pk, "goods": goods.pk, "quantity": 2}
    assert client.post(url, {**form, "key": key}).status_code == 302
    assert client.post(url, {**form, "key": key}).status_code == 302
    assert Redemption.objects.get().points == 20
    assert Balance.objects.get(household=village.wang).points == 10


@pytest.mark.django_db
def test_a_redeem_form_without_its_key_is_refused(cast: Cast, village: Village) -> None:
    give(village.vera_home.pk, 30)
    goods = soap(cast)
    client = Client()
    client.force_login(cast.vera)
    response = client.post(
        f"/points/v/{VILLAGE_A}/shop/", {"form": "redeem", "goods": goods.pk, "quantity": 1}
    )
    assert response.status_code == 400
    assert "请刷新页面" in response.content.decode()
    assert not Redemption.objects.exists()


@pytest.mark.django_db
def test_a_key_answers_only_the_redemption_it_made(cast: Cast, village: Village) -> None:
    give(village.wang.pk, 50)
    goods = soap(cast)
    first = services.redeem(actor=cast.victor, household=village.wang, goods=goods, key="k1")
    assert (
        services.redeem(actor=cast.victor, household=village.wang, goods=goods, key="k1") == first
    )
    with pytest.raises(ValidationError):
        services.redeem(
            actor=cast.victor, household=village.wang, goods=goods, quantity=2, key="k1"
        )
    assert Balance.objects.get(household=village.wang).points == 40

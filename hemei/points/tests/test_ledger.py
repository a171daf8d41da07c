"""The ledger: append-only, hash-chained per village, balances equal to ledger sums."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hemei import cli as hemei_cli
from hemei.core.testing import VILLAGE_A, Cast
from hemei.divisions.models import Division

from .. import ledger, services
from ..choices import LedgerKind
from ..cli import main as points_main
from ..models import AppendOnlyError, Balance, LedgerEntry
from .conftest import Village
from .factories import effective, item

pytestmark = pytest.mark.django_db


def award(cast: Cast, village: Village, household, code: str = "A2"):  # type: ignore[no-untyped-def]
    entry = services.record_entry(
        actor=cast.victor,
        household=household,
        item=item(village.rules, code),
        occurred_on=dt.date(2026, 6, 1),
        description="测试",
    )
    return effective(cast.victor, entry)


def test_it_refuses_to_change_or_delete_ledger_rows(cast: Cast, village: Village) -> None:
    award(cast, village, village.wang)
    row = LedgerEntry.objects.get()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=row.pk).update(points=100)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()
    row.points = 100
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert LedgerEntry.objects.get().points == 2


def test_it_chains_each_village_from_its_own_start(cast: Cast, village: Village) -> None:
    award(cast, village, village.wang)
    award(cast, village, village.li)
    rows = list(LedgerEntry.objects.filter(village_id=VILLAGE_A).order_by("sequence"))
    assert [row.sequence for row in rows] == [1, 2]
    assert rows[0].previous_hash == "0" * 64
    assert rows[1].previous_hash == rows[0].hash
    assert all(row.hash == row.compute_hash() for row in rows)
    report = ledger.verify()
    assert report.ok and report.entries == 2 and report.balances == 2


def test_verify_names_the_first_altered_entry(
    cast: Cast, village: Village, capsys: pytest.CaptureFixture[str]
) -> None:
    for household in (village.wang, village.li, village.wang):
        award(cast, village, household)
    assert points_main(["verify"]) == 0
    assert "OK" in capsys.readouterr().out
    second = LedgerEntry.objects.get(village_id=VILLAGE_A, sequence=2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {LedgerEntry._meta.db_table} SET points = 50 WHERE id = %s", [second.pk]
        )
    assert points_main(["verify", "--village", VILLAGE_A]) == 1
    out = capsys.readouterr().out
    assert f"{VILLAGE_A} entry #2 (ledger id {second.pk})" in out
    assert "#3" not in out


def test_verify_catches_a_removed_entry_and_a_forged_balance(
    cast: Cast, village: Village, capsys: pytest.CaptureFixture[str]
) -> None:
    award(cast, village, village.wang)
    award(cast, village, village.li)
    Balance.objects.filter(household=village.li).update(points=999)
    assert points_main(["verify"]) == 1
    assert "999" in capsys.readouterr().out
    Balance.objects.filter(household=village.li).update(points=2)
    first = LedgerEntry.objects.get(sequence=1)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LedgerEntry._meta.db_table} WHERE id = %s", [first.pk])
    assert points_main(["verify"]) == 1
    assert "entry #2" in capsys.readouterr().out


def test_verify_refuses_an_unknown_village(capsys: pytest.CaptureFixture[str]) -> None:
    assert hemei_cli.main(["points", "verify", "--village", "999999999999"]) == 2
    assert "999999999999" in capsys.readouterr().err


def test_it_settles_a_year_by_carrying_over(cast: Cast, village: Village) -> None:
    award(cast, village, village.wang, "A1")
    division = Division.objects.get(code=VILLAGE_A)
    with pytest.raises(ValidationError):  # 2026 has not ended
        services.settle_year(actor=cast.victor, village=division, year=2026)
    from hemei.core import clock

    with clock.frozen_at(dt.datetime(2027, 1, 2, tzinfo=dt.UTC)):
        settlement = services.settle_year(actor=cast.victor, village=division, year=2026)
        with pytest.raises(ValidationError):
            services.settle_year(actor=cast.victor, village=division, year=2026)
    assert settlement.households == 1
    row = LedgerEntry.objects.get(kind=LedgerKind.SETTLEMENT)
    assert (row.points, row.balance_after, row.occurred_on) == (0, 5, dt.date(2026, 12, 31))
    assert "2027" in row.reason
    assert Balance.objects.get(household=village.wang).points == 5


def test_it_settles_a_year_by_resetting(cast: Cast, village: Village) -> None:
    award(cast, village, village.wang, "A1")
    award(cast, village, village.li, "C1")
    division = Division.objects.get(code=VILLAGE_A)
    services.update_settings(actor=cast.victor, village=division, settlement_mode="reset")
    from hemei.core import clock

    with clock.frozen_at(dt.datetime(2027, 1, 2, tzinfo=dt.UTC)):
        services.settle_year(actor=cast.victor, village=division, year=2026)
    rows = dict(
        LedgerEntry.objects.filter(kind=LedgerKind.SETTLEMENT).values_list("household", "points")
    )
    assert rows == {village.wang.pk: -5, village.li.pk: 10}
    assert set(Balance.objects.values_list("points", flat=True)) == {0}
    assert ledger.verify().ok


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("award"), st.integers(0, 2), st.sampled_from(["A1", "A2", "C1"])),
        st.tuples(st.just("redeem"), st.integers(0, 2), st.integers(1, 3)),
        st.tuples(st.just("reverse"), st.integers(0, 20), st.just("")),
    ),
    min_size=1,
    max_size=10,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_balances_always_equal_the_ledger_sum(
    cast: Cast, village: Village, operations: list[tuple[str, int, object]]
) -> None:
    households = [village.vera_home, village.wang, village.li]
    with transaction.atomic():
        goods = services.add_goods(
            actor=cast.victor,
            village=Division.objects.get(code=VILLAGE_A),
            name="肥皂",
            price=3,
            stock=5,
        )
        effective_entries = []
        for operation, index, extra in operations:
            if operation == "award":
                with contextlib.suppress(ValidationError):  # a cap: refused, nothing written
                    effective_entries.append(award(cast, village, households[index], str(extra)))
            elif operation == "redeem":
                with contextlib.suppress(ValidationError):  # too poor or sold out: refused
                    services.redeem(
                        actor=cast.victor,
                        household=households[index],
                        goods=goods,
                        quantity=int(extra),  # type: ignore[call-overload]
                    )
            elif effective_entries:
                original = effective_entries[index % len(effective_entries)]
                try:
                    correction = services.reverse_entry(
                        actor=cast.victor, entry=original, reason="更正"
                    )
                except ValidationError:
                    continue
                correction = services.review_entry(
                    actor=cast.victor, entry=correction, approve=True
                )
                services.publish_due_entries(correction.notice_ends_at)
        sums = dict(
            LedgerEntry.objects.values("household")
            .annotate(t=Sum("points"))
            .values_list("household", "t")
        )
        balances = dict(Balance.objects.values_list("household", "points"))
        assert {k: v for k, v in balances.items() if v or k in sums} == sums
        goods.refresh_from_db()
        assert goods.stock >= 0
        assert ledger.verify().ok
        transaction.set_rollback(True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain(cast: Cast) -> None:
    import threading

    from django.db import connections

    from .factories import household

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks across connections (CI runs it)")
    homes = [household(VILLAGE_A, f"{n:03d}", f"户主{n}") for n in range(1, 6)]
    barrier = threading.Barrier(20)
    errors: list[str] = []

    def append(index: int) -> None:
        try:
            barrier.wait()
            ledger.append(
                village_code=VILLAGE_A,
                rows=[
                    ledger.Row(
                        household_id=homes[index % 5].pk,
                        kind=LedgerKind.AWARD,
                        points=index,
                        occurred_on=dt.date(2026, 6, 1),
                        reason=f"并发 {index}",
                    )
                ],
            )
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(LedgerEntry.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 21))
    assert ledger.verify(VILLAGE_A).ok

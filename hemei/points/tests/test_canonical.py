"""The fast row encoder gives the very bytes of :func:`canonical_row`, so every hash ever
written still verifies."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..choices import LedgerKind
from ..models import HASHED_FIELDS, RowEncoder, canonical_row

KEYWORDS = tuple(name.removesuffix("_id") for name in HASHED_FIELDS)

zones = st.one_of(
    st.just(dt.UTC),
    st.timezones(),
    st.builds(
        dt.timezone,
        st.timedeltas(min_value=dt.timedelta(hours=-23), max_value=dt.timedelta(hours=23)),
    ),
)
texts = st.text(max_size=60)
ids = st.integers(min_value=0, max_value=2**63 - 1)
amounts = st.integers(min_value=-(10**15), max_value=10**15)

ROWS = st.fixed_dictionaries(
    {
        "village": st.one_of(st.from_regex(r"\A\d{12}\Z"), texts),
        "sequence": ids,
        "household": ids,
        "kind": st.one_of(st.sampled_from(list(LedgerKind)), texts),
        "points": amounts,
        "balance_after": amounts,
        "occurred_on": st.dates(),
        # aware times in any zone, and naive ones (taken as local time by both)
        "recorded_at": st.one_of(
            st.datetimes(timezones=zones),
            st.datetimes(min_value=dt.datetime(1900, 1, 1)),
        ),
        "reason": texts,
        "entry": st.none() | ids,
        "redemption": st.none() | ids,
        "previous_hash": st.one_of(st.just("0" * 64), st.from_regex(r"\A[0-9a-f]{64}\Z"), texts),
    }
)


def in_order(row: dict[str, Any]) -> list[Any]:
    return [row[key] for key in KEYWORDS]


def outcome(build: Any) -> bytes | type[BaseException]:
    try:
        return build()
    except Exception as exc:  # both forms must fail alike on values no row can hold
        return type(exc)


@settings(max_examples=600, deadline=None)
@given(rows=st.lists(ROWS, min_size=1, max_size=5))
def test_it_gives_the_bytes_of_canonical_row(rows: list[dict[str, Any]]) -> None:
    encoder = RowEncoder()  # one encoder for several rows: its caches must not leak
    for row in rows:
        expected = outcome(lambda row=row: canonical_row(**row))
        assert outcome(lambda row=row: encoder.canonical(*in_order(row))) == expected


@settings(max_examples=300, deadline=None)
@given(
    row=ROWS,
    odd=st.fixed_dictionaries(
        {},
        optional={
            "points": st.one_of(st.booleans(), st.floats(), st.decimals(), st.text()),
            "balance_after": st.one_of(st.booleans(), st.floats(), st.decimals()),
            "entry": st.one_of(st.booleans(), st.decimals(places=2), st.floats()),
            "kind": st.one_of(st.integers(), st.none()),
            "recorded_at": st.datetimes(),  # naive
            "occurred_on": st.datetimes(),  # a datetime where a date belongs
        },
    ),
)
def test_values_of_other_types_come_out_as_canonical_row_gives_them(
    row: dict[str, Any], odd: dict[str, Any]
) -> None:
    """Booleans, floats, decimals, text where numbers belong: the same JSON or the same error
    (``json.dumps`` refuses a Decimal)."""
    row = {**row, **odd}
    expected = outcome(lambda: canonical_row(**row))
    assert outcome(lambda: RowEncoder().canonical(*in_order(row))) == expected


def test_it_hashes_a_known_row_as_it_always_has() -> None:
    """A row hashed by the first release: its digest is fixed forever."""
    row = {
        "village": "370215100201",
        "sequence": 7,
        "household": 42,
        "kind": LedgerKind.AWARD,
        "points": -10,
        "balance_after": 35,
        "occurred_on": dt.date(2026, 6, 1),
        "recorded_at": dt.datetime(
            2026, 6, 15, 18, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=8))
        ),
        "reason": 'C1 焚烧秸秆: "田间" \\ 焚烧\n',
        "entry": None,
        "redemption": 3,
        "previous_hash": "ab" * 32,
    }
    expected = canonical_row(**row)
    assert (
        expected
        == (
            '{"balance_after":35,"entry":null,"household":42,"kind":"award",'
            '"occurred_on":"2026-06-01","points":-10,"previous_hash":"' + "ab" * 32 + '",'
            '"reason":"C1 焚烧秸秆: \\"田间\\" \\\\ 焚烧\\n","recorded_at":"2026-06-15T10:30:05.000000Z",'
            '"redemption":3,"sequence":7,"village":"370215100201"}'
        ).encode()
    )
    assert RowEncoder().canonical(*row.values()) == expected
    assert RowEncoder().hash(*row.values()) == hashlib.sha256(expected).hexdigest()


@pytest.mark.parametrize(
    "raw",
    ["2026-06-15 10:30:05", "2026-06-15 10:30:05.000001", "2026-12-31 23:59:59.999999"],
)
def test_it_reads_sqlite_text_as_the_orm_does(raw: str) -> None:
    """SQLite keeps times as text in UTC; the encoder parses each distinct one once."""
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(raw)
    assert moment is not None
    aware = moment.replace(tzinfo=dt.UTC)
    encoder = RowEncoder(to_datetime=lambda text: parse_datetime(text).replace(tzinfo=dt.UTC))  # type: ignore[union-attr]
    fields = ("370215100201", 1, 2, "award", 5, 5, dt.date(2026, 6, 1))
    tail = ("r", None, None, "0" * 64)
    assert encoder.canonical(*fields, raw, *tail) == canonical_row(
        **dict(zip(KEYWORDS, (*fields, aware, *tail), strict=True))
    )


def test_twenty_thousand_varied_rows_come_out_byte_identical() -> None:
    """A seeded sweep wider than the property tests: rows of a real chain's shapes (times
    shared by a batch, a few kinds and dates) mixed with odd text and zones."""
    chooser = random.Random(13)
    alphabet = '积分门前三包孝老爱亲 "\\\n\t\x00\x1f\x7f\u2028é😀ab019,:{}'
    zones_ = [
        dt.UTC,
        dt.timezone(dt.timedelta(hours=8)),
        dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
    ]
    batch_time = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)
    encoder, previous = RowEncoder(), "0" * 64
    for sequence in range(1, 20_001):
        if chooser.random() < 0.3:
            batch_time = dt.datetime(
                chooser.randrange(1000, 2100), chooser.randrange(1, 13), chooser.randrange(1, 29),
                chooser.randrange(24), chooser.randrange(60), chooser.randrange(60),
                chooser.choice([0, chooser.randrange(1_000_000)]), tzinfo=chooser.choice(zones_),
            )  # fmt: skip
        row = {
            "village": f"3702151{chooser.randrange(10**5):05d}",
            "sequence": sequence,
            "household": chooser.randrange(1, 10**7),
            "kind": chooser.choice(list(LedgerKind)),
            "points": chooser.randrange(-500, 500),
            "balance_after": chooser.randrange(-(10**6), 10**6),
            "occurred_on": dt.date(2020, 1, 1) + dt.timedelta(days=chooser.randrange(3000)),
            "recorded_at": batch_time,
            "reason": "".join(chooser.choices(alphabet, k=chooser.randrange(0, 40))),
            "entry": chooser.choice([None, chooser.randrange(1, 10**9)]),
            "redemption": chooser.choice([None, chooser.randrange(1, 10**9)]),
            "previous_hash": previous,
        }
        expected = canonical_row(**row)
        assert encoder.canonical(*in_order(row)) == expected, row
        previous = hashlib.sha256(expected).hexdigest()

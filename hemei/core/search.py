"""One search rule for every list's ``?q=`` (tasks, meetings, units, divisions, users,
households, points, supervision, progress and the API).

The rule, as a person would put it:

1. **Clean.** Control characters (NUL and the like, which PostgreSQL refuses in a string) are
   dropped, runs of spaces become one, and the text is cut at ``MAX_LENGTH`` characters.
2. **Words.** The text splits at spaces and punctuation into pieces. A Chinese piece is cut
   into words with jieba (农村厕所改造 → 农村 · 厕所 · 改造); one-character words are left out
   when the piece has longer ones (的, 区 of 即墨区), and a piece of single characters only
   stays whole. Latin letters and digits stay as they are (case does not matter).
3. **Every word must match** (AND), each in any of the list's fields (OR): a task's title,
   description, division and town names and lead unit, a unit's name and division, ...
4. **A word matches a field that contains it.** A two-character Chinese word also matches a
   field that contains its *telling character*: the rarer of its two characters, when that
   one is rare (jieba's count below ``RARE_COUNT``) and the other at least ``RARE_RATIO``
   times as common. Chinese shortens a compound by keeping that character (厕所 → 户厕, 改厕,
   公厕), so 厕所 finds 户厕改造 and 户厕 finds 厕所; 农村 or 改造, whose characters are both
   common, only find themselves.

``search(queryset, text, fields)`` applies the rule; a field is a lookup path
(``"division__name"``) or a function from one needle to a ``Q`` for what a path cannot say
(a household matched by a member's name). The filter adds joins and subqueries, never queries,
so list pages keep their query counts.

**Fast on PostgreSQL.** ``LIKE '%厕所%'`` reads every row, and pg_trgm cannot help: its
trigrams need three characters where a Chinese word has two. A table searched at province
scale therefore keeps a *gram column* (``gram_column()`` in a migration): every character and
every pair of adjacent characters of its text, lower-cased, in a GIN-indexed ``text[]`` that
PostgreSQL computes itself on every write (``hemei_grams()``, a generated column). ``grams()``
is the field that uses it: a needle of one or two characters matches a row exactly when the
row's grams contain it; a longer one must contain all its pairs and is then checked with
``LIKE``. ``in_rows()`` turns a name matched in another table into ``= ANY(ARRAY(...))`` so
the match stays one index scan instead of a join. Other databases (SQLite) run the same
conditions as plain ``LIKE``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, migrations
from django.db.models import BooleanField, Expression, F, Lookup, Q, QuerySet

MAX_LENGTH = 100
RARE_COUNT = 500
RARE_RATIO = 20

#: a lookup path, or a function from one needle to the Q that finds it
Field = str | Callable[[str], Q]
Q_T = TypeVar("Q_T", bound=QuerySet[Any])

_DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format, surrogate, private, unassigned
_PIECES = re.compile(r"[^\w]+|_+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LOCK = threading.Lock()
_READY = False


def clean_query(value: Any) -> str:
    """What was typed in a search box, safe for any database: no control characters, single
    spaces, at most ``MAX_LENGTH`` characters."""
    text = "".join(
        " " if char.isspace() else char
        for char in str(value if value is not None else "")
        if char.isspace() or unicodedata.category(char) not in _DROPPED
    )
    return " ".join(text.split())[:MAX_LENGTH].strip()


@dataclass(frozen=True)
class Word:
    """One word of a query and the needles any of which it matches."""

    text: str
    needles: tuple[str, ...]


def words(value: Any) -> list[Word]:
    """The words of a query, each with its needles (the word, and its telling character)."""
    found: list[Word] = []
    seen: set[str] = set()
    for piece in _PIECES.split(clean_query(value)):
        for word in _piece_words(piece):
            if word not in seen:
                seen.add(word)
                found.append(Word(word, _needles(word)))
    return found


def search_q(value: Any, fields: Sequence[Field]) -> Q | None:
    """The condition of the rule for these fields, or None when the query has no words."""
    found = words(value)
    if not found:
        return None
    condition = Q()
    for word in found:
        either = Q()
        for needle in word.needles:
            for field in fields:
                either |= field(needle) if callable(field) else Q(**{f"{field}__icontains": needle})
        condition &= either
    return condition


def grams(*paths: str) -> Callable[[str], Q]:
    """A search field over text columns of the queried table that has a gram column made of
    exactly these columns (``gram_column(table, paths)``): on PostgreSQL the gram index finds
    the rows, elsewhere ``LIKE`` does."""

    def match(needle: str) -> Q:
        contains = Q()
        for path in paths:
            contains |= Q(**{f"{path}__icontains": needle})
        if connection.vendor != "postgresql":
            return contains
        found = Q(GramsContain(paths[0], needle))
        return found if len(needle) <= 2 else found & contains

    return match


def in_rows(path: str, rows: QuerySet[Any]) -> Q:
    """``path`` is one of the values of ``rows`` (a one-column queryset): ``= ANY(ARRAY(...))``
    on PostgreSQL, which an index answers inside an OR, ``IN (...)`` elsewhere."""
    return Q(AnyOf(F(path), rows.order_by()))


class AnyOf(Lookup):
    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]


class GramsContain(Expression):
    """The row's gram column holds every gram of the needle (PostgreSQL only). ``anchor`` is
    any column of the table, to find the table's alias in the query."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, anchor: str | Any, needle: str) -> None:
        super().__init__()
        self.anchor = F(anchor) if isinstance(anchor, str) else anchor
        self.needle = needle

    def get_source_expressions(self) -> list[Any]:
        return [self.anchor]

    def set_source_expressions(self, expressions: list[Any]) -> None:
        (self.anchor,) = expressions

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        table = compiler.quote_name_unless_alias(self.anchor.alias)
        return f"{table}.{GRAM_COLUMN} @> hemei_needle_grams(%s)", [self.needle]


#: The gram column's name in every table that has one.
GRAM_COLUMN = "search_grams"

#: The two functions of the gram index. A gram is a character or a pair of adjacent
#: characters, lower-cased; pairs across the space that joins two columns are left out. They
#: depend on nothing but ``lower()``, so they work under any locale, C included.
GRAM_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION hemei_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT gram), '{}')
  FROM (
    SELECT substr(lowered, i, size) AS gram
    FROM (SELECT lower(value) AS lowered) AS v,
         generate_series(1, length(value)) AS i,
         (VALUES (1), (2)) AS sizes(size)
    WHERE i + size - 1 <= length(value)
  ) AS all_grams
  WHERE position(' ' IN gram) = 0
$$;
CREATE OR REPLACE FUNCTION hemei_needle_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN length(value) < 2 THEN ARRAY[lower(value)]
  ELSE (SELECT array_agg(DISTINCT substr(lower(value), i, 2))
        FROM generate_series(1, length(value) - 1) AS i) END
$$;
"""


def gram_column(table: str, columns: Sequence[str]) -> migrations.RunPython:
    """The migration operation that gives ``table`` its gram column over ``columns`` (text,
    not null) and the column's GIN index; nothing on databases other than PostgreSQL."""
    source = " || ' ' || ".join(f'"{column}"' for column in columns)

    def forward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(GRAM_FUNCTIONS)
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN {GRAM_COLUMN} text[] '
            f"GENERATED ALWAYS AS (hemei_grams({source})) STORED"
        )
        schema_editor.execute(
            f'CREATE INDEX "{table}_grams" ON "{table}" USING gin ({GRAM_COLUMN})'
        )

    def backward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN {GRAM_COLUMN}')

    return migrations.RunPython(forward, backward, elidable=False)


def search(queryset: Q_T, value: Any, fields: Sequence[Field]) -> Q_T:
    """The rows of ``queryset`` that match the query in ``fields`` (all of them for no words)."""
    condition = search_q(value, fields)
    return queryset if condition is None else queryset.filter(condition)


def _piece_words(piece: str) -> Iterable[str]:
    if not piece:
        return []
    if not _HAN.search(piece):
        return [piece]
    cut = [word.strip() for word in _tokenizer().lcut(piece) if word.strip()]
    longer = [word for word in cut if len(word) > 1]
    return longer or [piece]


def _needles(word: str) -> tuple[str, ...]:
    if len(word) != 2 or not all(_HAN.match(char) for char in word):
        return (word,)
    counts = _tokenizer().FREQ
    rare, common = sorted(word, key=lambda char: counts.get(char) or 0)
    rare_count, common_count = counts.get(rare) or 0, counts.get(common) or 0
    if rare_count < RARE_COUNT and common_count >= RARE_RATIO * max(rare_count, 1):
        return (word, rare)
    return (word,)


def _tokenizer() -> Any:
    """jieba's shared tokenizer, initialised once and quietly (the meeting-report reader adds
    a few office words to it, which only keeps those words whole)."""
    global _READY
    import jieba

    if not _READY:
        with _LOCK:
            if not _READY:
                jieba.setLogLevel(60)
                jieba.initialize()
                _READY = True
    return jieba.dt

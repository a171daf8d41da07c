"""The first load of the national table into SQLite, at the speed of SQLite's own shell.

The general import (``services.import_divisions``) reads every row into Python, checks it
and compares it with the database. For the most common case by far — the official files,
levels not yet in the database, SQLite — that costs more than the insertion itself, so this
path hands SQLite the file as one JSON document per level (made by byte replacements, no
per-row Python), inserts it in one statement, and then checks the rows with SQL: code
shape, name length, parent prefix and parent existence; duplicates fail on the primary key.

Any doubt makes it give up and roll back, and the general import then runs and reports the
exact file and line. So this path never decides what is valid; it only goes faster when the
answer is "all of it".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.db import DatabaseError, connection, transaction

from .choices import CODE_LENGTH
from .importer import (
    LEVEL_COLUMNS,
    MAX_NAME_LENGTH,
    PARENT_COLUMN,
    DivisionFileError,
    parse_header,
    read_bytes,
)
from .models import Division, DivisionImport

_CONTROL_BYTES = bytes(range(32)).replace(b"\n", b"")


class _GiveUp(Exception):
    """The fast path cannot vouch for the files; the general import takes over."""


def official_json(body: bytes, header: list[str], level: int) -> str | None:
    """The body as a JSON array of rows, when it has the official shape; else ``None``.

    The official shape is fixed-width: every name quoted, every other field digits of the
    same width on every line. That lets the checks run on whole byte columns (a slice with a
    stride of one line picks the same character of every row) instead of row by row: codes
    of the level's length, each starting with its parent's code, names of 1–100 characters.
    """
    if not body or b"\\" in body or len(body.translate(None, _CONTROL_BYTES)) != len(body):
        return None
    parts = body.split(b'"')
    if len(parts) % 2 == 0:
        return None
    names = parts[1::2]
    outside = b"".join(parts[0::2])
    del parts
    if outside.translate(None, b"0123456789,\n"):
        return None  # something unquoted that is not digits, or names not quoted
    if names and min(map(len, names)) == 0:
        return None
    if max(map(len, names), default=0) > MAX_NAME_LENGTH and any(
        len(name.decode()) > MAX_NAME_LENGTH for name in names if len(name) > MAX_NAME_LENGTH
    ):
        return None
    lines = outside.split(b"\n")
    rows = len(lines)
    if len(names) != rows or len(set(map(len, lines))) != 1:
        return None
    first = lines[0].split(b",")
    if len(first) != len(header) or first[header.index("name")]:
        return None
    width = len(lines[0])
    flat = outside.replace(b"\n", b"")
    del outside, lines
    offsets = [0]
    for field in first[:-1]:
        offsets.append(offsets[-1] + len(field) + 1)
    if any(flat[offset - 1 :: width] != b"," * rows for offset in offsets[1:]):
        return None
    code_at = header.index("code")
    if len(first[code_at]) != CODE_LENGTH[level]:
        return None
    parent_column = PARENT_COLUMN[level]
    if parent_column is not None:
        parent_at = header.index(parent_column)
        if len(first[parent_at]) != CODE_LENGTH[level - 1]:
            return None
        code_offset, parent_offset = offsets[code_at], offsets[parent_at]
        for j in range(CODE_LENGTH[level - 1]):
            if flat[code_offset + j :: width] != flat[parent_offset + j :: width]:
                return None
    plain = body.replace(b'"', b"")
    try:
        return (b'[["' + plain.replace(b",", b'","').replace(b"\n", b'"],["') + b'"]]').decode()
    except UnicodeDecodeError:
        return None


def _sniff(path: Path) -> tuple[int, list[str], str]:
    raw = read_bytes(path).removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").rstrip(b"\n")
    first, _, body = raw.partition(b"\n")
    try:
        header = parse_header(path, first.decode())
    except UnicodeDecodeError:
        raise _GiveUp from None
    level = LEVEL_COLUMNS[frozenset(header)]
    document = official_json(body, header, level)
    if document is None:
        raise _GiveUp
    return level, header, document


def _verify_parents() -> None:
    """Every parent named must exist and be in force (the shape was checked on the bytes)."""
    table = Division._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM (SELECT DISTINCT parent_id AS code FROM {table}"
            " WHERE parent_id IS NOT NULL) AS named WHERE NOT EXISTS"
            f" (SELECT 1 FROM {table} AS parent WHERE parent.code = named.code"
            " AND parent.valid_to IS NULL) LIMIT 1"
        )
        if cursor.fetchone():
            raise _GiveUp


def try_first_load(
    paths: list[Path],
    *,
    as_of: dt.date,
    record_batch: Callable[[list[str], int], DivisionImport],
) -> DivisionImport | None:
    """Load the files if nothing of their levels exists yet; ``None`` when it cannot."""
    if connection.vendor != "sqlite":
        return None
    try:
        sniffed = sorted((_sniff(path) for path in paths), key=lambda item: item[0])
    except (_GiveUp, DivisionFileError):
        return None
    levels = [level for level, _, _ in sniffed]
    if len(set(levels)) != len(levels) or Division.objects.filter(level__in=levels).exists():
        return None
    table = Division._meta.db_table
    wal = _leave_wal()
    try:
        with connection.constraint_checks_disabled(), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                    " AND tbl_name = %s AND sql IS NOT NULL",
                    [table],
                )
                indexes = cursor.fetchall()
                # One sort after the load builds an index faster than 665,000 insertions.
                for name, _ in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
                added = 0
                for level, header, document in sniffed:
                    parent_column = PARENT_COLUMN[level]
                    parent = (
                        f"json_extract(value, '$[{header.index(parent_column)}]')"
                        if parent_column
                        else "NULL"
                    )
                    cursor.execute(
                        f"INSERT INTO {table} (code, name, level, parent_id, valid_from, valid_to)"
                        f" SELECT json_extract(value, '$[{header.index('code')}]'),"
                        f" json_extract(value, '$[{header.index('name')}]'), %s, {parent},"
                        " NULL, NULL FROM json_each(%s)",
                        [level, document],
                    )
                    added += cursor.rowcount
                for _, create in indexes:
                    cursor.execute(create.replace("%", "%%"))
            _verify_parents()
            batch = record_batch([str(path) for path in paths], added)
    except (_GiveUp, DatabaseError):
        return None
    finally:
        _restore_wal(wal)
    return batch


def _leave_wal() -> bool:
    """Write the first load straight into the file instead of through the WAL.

    Only possible outside a transaction and with no other connection open; otherwise
    SQLite keeps WAL, which is merely slower.
    """
    if connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        if cursor.fetchone()[0] != "wal":
            return False
        cursor.execute("PRAGMA journal_mode = DELETE")
        return bool(cursor.fetchone()[0] == "delete")


def _restore_wal(was_wal: bool) -> None:
    if was_wal:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = WAL")


__all__ = ["official_json", "try_first_load"]

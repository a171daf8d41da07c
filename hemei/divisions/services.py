"""Writing the division tree: the import and re-import of the official table."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from hemei.core import clock
from hemei.core.faults import fault_point

from .choices import CODE_LENGTH, LEVEL_BY_LENGTH, ChangeKind, Level
from .fastload import try_first_load
from .importer import DivisionFileError, LevelRows, ParsedTable, read_files
from .models import Division, DivisionChange, DivisionImport, subtree_q
from .signals import table_imported

COLUMNS = ("code", "name", "level", "parent_id", "valid_from", "valid_to")


@dataclass(frozen=True)
class _Diff:
    """What an import changes. ``fresh``: nothing of its scope exists yet, insert all."""

    fresh: bool
    update: list[tuple[str, str, str | None, bool]]  # code, name, parent, reopen
    close: list[str]
    changes: list[tuple[str, str, str, str]]  # code, kind, old, new
    unchanged: int
    new: set[str] = field(default_factory=set)

    def added(self, table: ParsedTable) -> int:
        return len(table) if self.fresh else len(self.new)


def import_divisions(
    *,
    paths: Sequence[Path],
    under: str | None = None,
    as_of: dt.date | None = None,
    actor: Any = None,
    source: str | None = None,
) -> DivisionImport:
    """Import division files, all or nothing, and return the record of what changed.

    A re-import of a newer table updates names and parents, reopens divisions listed again,
    and closes (``valid_to``) the divisions of the imported levels that the table no longer
    lists — inside ``under`` when given — instead of deleting them. Running the same import
    twice changes nothing the second time.
    """
    as_of = as_of or clock.today()
    if under is not None:
        under = under.strip()
        if not under.isdigit() or len(under) not in LEVEL_BY_LENGTH:
            raise DivisionFileError(f"--under {under!r} is not a division code")
    paths = list(paths)

    def record_batch(sources: list[str], added: int, diff: _Diff | None = None) -> DivisionImport:
        changes = diff.changes if diff else []
        batch = DivisionImport.objects.create(
            source=(source or ", ".join(sources))[:500],
            under=under or "",
            as_of=as_of,
            actor=actor,
            added=added,
            renamed=sum(1 for change in changes if change[1] == ChangeKind.RENAMED),
            moved=sum(1 for change in changes if change[1] == ChangeKind.MOVED),
            closed=len(diff.close) if diff else 0,
            reopened=sum(1 for change in changes if change[1] == ChangeKind.REOPENED),
            unchanged=diff.unchanged if diff else 0,
        )
        table_imported.send(sender=DivisionImport, batch=batch, actor=actor, under=under or "")
        return batch

    if under is None:
        batch = try_first_load(paths, as_of=as_of, record_batch=record_batch)
        if batch is not None:
            return batch
    table = read_files(paths, under=under)
    if under and not len(table) and not Division.objects.filter(code=under).exists():
        raise DivisionFileError(f"division {under} is not in {', '.join(table.sources)}")
    # Parents are checked in Python below; SQLite's own foreign-key check on each insertion
    # would double the time. (Inside an outer transaction the switch is a no-op.)
    with connection.constraint_checks_disabled(), transaction.atomic():
        _check_parents(table)
        diff = _diff(table, under, as_of)
        batch = record_batch(table.sources, diff.added(table), diff)
        _write(table, diff, as_of, batch)
    return batch


def _check_parents(table: ParsedTable) -> None:
    """Every parent must be read in the same import or already be in force in the database."""
    for rows in table.files:
        if rows.level == Level.PROVINCE:
            continue
        parent_rows = table.at_level(rows.level - 1)
        wanted = set(rows.parents)
        if parent_rows is not None:
            wanted.difference_update(parent_rows.codes)
        if not wanted:
            continue
        found: set[str] = set()
        if parent_rows is None:
            chunk = sorted(code for code in wanted if code is not None)
            for start in range(0, len(chunk), 500):
                found.update(
                    Division.objects.current()
                    .filter(code__in=chunk[start : start + 500])
                    .values_list("code", flat=True)
                )
        missing = wanted - found
        if missing:
            at = next(i for i, parent in enumerate(rows.parents) if parent in missing)
            raise DivisionFileError(
                f"{rows.source}, line {rows.line_of(at)}: the parent {rows.parents[at]} of"
                f" {rows.codes[at]} is in neither the imported files nor the database"
            )


def _scope(table: ParsedTable, under: str | None) -> QuerySet[Division]:
    """The divisions this import speaks for, and so may close when it no longer lists them.

    A table describes, at its levels, the whole of each province it touches (the national
    table: the whole country); ``under`` narrows that to one subtree.
    """
    provinces = sorted({code[:2] for rows in table.files for code in rows.codes})
    scope = Division.objects.filter(level__in=table.levels).filter(subtree_q(provinces))
    if under:
        # The ancestors of `under` are read too, so the tree stays connected.
        ancestors = [under[:length] for length in CODE_LENGTH.values() if length < len(under)]
        scope = scope.filter(Q(code__in=ancestors) | subtree_q([under]))
    return scope


def _diff(table: ParsedTable, under: str | None, as_of: dt.date | None = None) -> _Diff:
    scope = _scope(table, under)
    if not scope.exists():
        return _Diff(fresh=True, update=[], close=[], changes=[], unchanged=0)
    existing = {
        code: (name, parent, valid_to, valid_from)
        for code, name, parent, valid_to, valid_from in scope.values_list(
            "code", "name", "parent_id", "valid_to", "valid_from"
        ).iterator(chunk_size=10_000)
    }
    update: list[tuple[str, str, str | None, bool]] = []
    changes: list[tuple[str, str, str, str]] = []
    unchanged = 0
    mapping = table.mapping()
    for code, (name, parent) in mapping.items():
        old = existing.get(code)
        if old is None:
            continue
        old_name, old_parent, valid_to, _ = old
        if old_name == name and old_parent == parent and valid_to is None:
            unchanged += 1
            continue
        if old_name != name:
            changes.append((code, ChangeKind.RENAMED, old_name, name))
        if old_parent != parent:
            changes.append((code, ChangeKind.MOVED, old_parent or "", parent or ""))
        if valid_to is not None:
            changes.append((code, ChangeKind.REOPENED, str(valid_to), ""))
        update.append((code, name, parent, valid_to is not None))
    close = [
        code
        for code, (_, _, valid_to, _) in existing.items()
        if valid_to is None and code not in mapping and (not under or code.startswith(under))
    ]
    changes.extend((code, ChangeKind.CLOSED, existing[code][0], "") for code in close)
    if as_of is not None:
        late = next((code for code in close if (existing[code][3] or as_of) > as_of), None)
        if late:
            raise DivisionFileError(
                f"the import is dated {as_of}, before division {late} was listed"
                f" ({existing[late][3]}); date it later"
            )
    return _Diff(
        fresh=False,
        update=update,
        close=close,
        changes=changes,
        unchanged=unchanged,
        new=set(mapping) - set(existing),
    )


def _new_columns(rows: LevelRows, diff: _Diff) -> tuple[list[str], list[str], list[str | None]]:
    """The codes, names and parents of the rows the import adds at one level."""
    if diff.fresh:
        return rows.codes, rows.names, rows.parents
    keep = [code in diff.new for code in rows.codes]
    return (
        list(compress(rows.codes, keep)),
        list(compress(rows.names, keep)),
        list(compress(rows.parents, keep)),
    )


def _insert_rows(table: ParsedTable, diff: _Diff, day: object) -> Iterator[tuple[object, ...]]:
    """Rows to insert as tuples in ``COLUMNS`` order, parents before children."""
    valid_from = None if diff.fresh else day
    for rows in table.files:
        codes, names, parents = _new_columns(rows, diff)
        yield from zip(
            codes,
            names,
            repeat(rows.level),
            parents,
            repeat(valid_from),
            repeat(None),
            strict=False,
        )


def _json_rows(codes: list[str], names: list[str], parents: list[str | None]) -> str:
    """The rows as one JSON array of [code, name, parent] triples.

    Names without quote, backslash or control characters (all of the official table) need
    no escaping, so the text is assembled with joins; anything else goes through json.
    """
    joined = "".join(names)
    if '"' in joined or "\\" in joined or any(ord(char) < 32 for char in set(joined)):
        return json.dumps(list(zip(codes, names, parents, strict=True)), ensure_ascii=False)
    if parents and parents[0] is None:
        return "[" + ",".join(map('["{}","{}",null]'.format, codes, names)) + "]"
    return "[" + ",".join(map('["{}","{}","{}"]'.format, codes, names, parents)) + "]"


def _sqlite_insert(cursor: Any, table: ParsedTable, diff: _Diff, day: object) -> None:
    """Insert through SQLite's own JSON reader: one statement per level, no per-row binding."""
    table_name = Division._meta.db_table
    sql = (
        f"INSERT INTO {table_name} ({', '.join(COLUMNS)})"
        " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), %s,"
        " json_extract(value, '$[2]'), %s, NULL FROM json_each(%s)"
    )
    valid_from = None if diff.fresh else day
    for rows in table.files:
        codes, names, parents = _new_columns(rows, diff)
        if codes:
            cursor.execute(sql, [rows.level, valid_from, _json_rows(codes, names, parents)])


def _write(table: ParsedTable, diff: _Diff, as_of: dt.date, batch: DivisionImport) -> None:
    ops = connection.ops
    day = ops.adapt_datefield_value(as_of)
    table_name = Division._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table_name} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for value in _insert_rows(table, diff, day):
                    copy.write_row(value)
        elif connection.vendor == "sqlite":
            _sqlite_insert(cursor, table, diff, day)
        else:  # pragma: no cover - other backends take the portable path
            Division.objects.bulk_create(
                Division(code=code, name=name, level=level, parent_id=parent, valid_from=start)
                for code, name, level, parent, start, _ in _insert_rows(table, diff, day)
            )
        if diff.update:
            cursor.executemany(
                f"UPDATE {table_name} SET name = %s, parent_id = %s,"
                " valid_to = CASE WHEN %s THEN NULL ELSE valid_to END WHERE code = %s",
                [(name, parent, reopen, code) for code, name, parent, reopen in diff.update],
            )
        if diff.close:
            cursor.executemany(
                f"UPDATE {table_name} SET valid_to = %s WHERE code = %s",
                [(day, code) for code in diff.close],
            )
    fault_point("divisions.import.rows")  # the divisions written, their changes not yet
    DivisionChange.objects.bulk_create(
        (
            DivisionChange(
                division_id=code,
                batch=batch,
                kind=kind,
                on=as_of,
                old_value=old[:100],
                new_value=new[:100],
            )
            for code, kind, old, new in diff.changes
        ),
        batch_size=2000,
    )


def import_builtin(
    *, under: str | None = None, as_of: dt.date | None = None, actor: Any = None
) -> DivisionImport:
    """Import the national table shipped inside the package."""
    from .importer import builtin_files

    return import_divisions(
        paths=builtin_files(), under=under, as_of=as_of, actor=actor, source="builtin"
    )

"""A new demo database copied from the cached, migrated schema: keyed by the migration files,
used only for a new file, and the same as the migrated one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from hemei.core.schema_template import PREFIX, migration_key


def test_the_key_follows_the_migration_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """Same files, same key; one byte changed in one migration, another key."""
    from hemei.board import migrations

    copy = tmp_path / "board_migrations_copy"
    shutil.copytree(
        Path(migrations.__path__[0]), copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    original = migration_key()
    settings.MIGRATION_MODULES = {"board": "board_migrations_copy"}
    assert migration_key() == original
    first = sorted(copy.glob("0*.py"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert migration_key() != original


def _schema(database: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
        ).fetchall()


def _counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        tables = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def test_a_reset_demo_starts_from_the_cached_schema_and_holds_the_same_data(
    tmp_path: Path,
) -> None:
    from hemei.tests.test_cli import hemei

    first = hemei("demo", "--no-serve", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    database = tmp_path / "hemei.sqlite3"
    templates = list((tmp_path / "cache").glob(f"{PREFIX}*.sqlite3"))
    assert len(templates) == 1
    schema, counts = _schema(database), _counts(database)
    stale = tmp_path / "cache" / f"{PREFIX}0000.sqlite3"
    stale.write_bytes(b"")  # a copy kept for other migrations: never used

    again = hemei("demo", "--no-serve", "--reset", data_dir=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Loaded the demo county" in again.stdout
    assert _schema(database) == schema
    assert _counts(database) == counts
    assert stale.exists()  # only a new copy, made after a full migrate, clears old ones

    # A damaged copy is dropped and the database migrated the long way, then kept anew.
    templates[0].write_bytes(b"not a database")
    damaged = hemei("demo", "--no-serve", "--reset", data_dir=tmp_path)
    assert damaged.returncode == 0, damaged.stderr
    assert _schema(database) == schema and _counts(database) == counts
    assert list((tmp_path / "cache").glob(f"{PREFIX}*.sqlite3")) == templates
    assert _schema(templates[0])  # a real database again

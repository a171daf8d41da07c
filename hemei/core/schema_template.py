"""A new SQLite database from a migrated copy, instead of running every migration again.

Running the project's migrations on an empty SQLite file costs most of a demo's start, and
gives the same file every time for the same migrations. So the first run keeps a copy of
the freshly migrated database (tables, the rows data migrations add, content types and
permissions) in a cache folder, named by a hash of every installed app's migration files,
Django's and SQLite's versions; a later new database starts as a copy of it. Any change to
a migration changes the name, so a stale copy is never used (and is removed when the new
one is kept). ``migrate`` still runs after the copy and finds nothing left to do, or
applies what the copy lacks.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

import django
from django.apps import apps
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader

PREFIX = "schema-"


def migration_key() -> str:
    """A hash of what decides the migrated schema: the migration files of every app."""
    digest = hashlib.sha256()
    digest.update(f"django {django.get_version()} sqlite {sqlite3.sqlite_version}\0".encode())
    for config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        name, _ = MigrationLoader.migrations_module(config.label)
        try:
            package = import_module(name) if name else None
        except ImportError:
            package = None  # an app without migrations
        for folder in getattr(package, "__path__", []):
            for path in sorted(Path(folder).glob("*.py")):
                digest.update(f"{config.label}/{path.name}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def template_path(cache: Path) -> Path:
    return cache / f"{PREFIX}{migration_key()}.sqlite3"


def migrate_new_database(cache: Path, migrate: Callable[[], None]) -> bool:
    """Run ``migrate`` on the default SQLite database, starting a new one from the cached
    copy when there is one; keep a copy after migrating a new one from nothing. Answers
    whether the copy was used. Other databases (and existing files) just migrate."""
    settings = connection.settings_dict
    if connection.vendor != "sqlite" or str(settings["NAME"]) == ":memory:":
        migrate()
        return False
    database = Path(settings["NAME"])
    if database.exists():
        migrate()
        return False
    template = template_path(cache)
    if template.exists():
        connection.close()
        shutil.copyfile(template, database)
        try:
            migrate()
            return True
        except DatabaseError:
            # A damaged copy: forget it and build the database the long way.
            connection.close()
            for name in (database.name, database.name + "-wal", database.name + "-shm"):
                (database.parent / name).unlink(missing_ok=True)
            template.unlink(missing_ok=True)
    migrate()
    _keep(template)
    return False


def _keep(template: Path) -> None:
    """Copy the migrated database (through SQLite's backup API, so it is consistent) into
    the cache, atomically, and drop copies made for other migrations."""
    template.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    handle, temporary = tempfile.mkstemp(dir=template.parent, suffix=".part")
    os.close(handle)
    try:
        target = sqlite3.connect(temporary)
        try:
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        os.replace(temporary, template)
    finally:
        Path(temporary).unlink(missing_ok=True)
    for stale in template.parent.glob(f"{PREFIX}*.sqlite3"):
        if stale != template:
            stale.unlink(missing_ok=True)

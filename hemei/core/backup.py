"""Backups that restore: the database, the uploaded files and the keys, with a manifest.

A backup is a folder::

    manifest.json        what is here: format, Hemei version, time, database engine, the
                         migrations applied, and every file with its size and SHA-256
    database.sqlite3     SQLite: a consistent copy by SQLite's online backup API, taken while
                         the server and the worker go on writing
    database.dump        PostgreSQL: ``pg_dump -Fc`` (custom format, restored by pg_restore)
    field_key            the key that encrypts identity numbers and phones (without it the
                         restored numbers cannot be read)
    secret_key           the data directory's secret key, when it comes from there (sessions
                         and signed links go on working)
    media/...            the uploaded files

The manifest is written last: a folder without one is an unfinished backup. ``restore``
checks every size and checksum before it touches anything and refuses a backup that does
not match, a target that is not empty (unless forced), a backup made by a newer version of
the code, and a field key in the environment that is not the backup's. It restores the keys,
the files, then the database, and applies the migrations the code has that the backup had
not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import locale
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
KEY_FILES = ("field_key", "secret_key")
NIGHTLY_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups handle SQLite and PostgreSQL, not {vendor}")
    return vendor


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                yield path


def _applied_migrations() -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hemei")
    except PackageNotFoundError:
        return "unknown"


# ---------------------------------------------------------------------------------------
# PostgreSQL tools


def _pg_settings() -> dict[str, Any]:
    return settings.DATABASES["default"]


def _pg_env() -> dict[str, str]:
    db = _pg_settings()
    env = os.environ.copy()
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args() -> list[str]:
    db = _pg_settings()
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return [*args, "-d", str(db["NAME"])]


#: The PostgreSQL tools write in the system's code page (UTF-8 on Linux, GBK on a Chinese
#: Windows); their output is read in it, and a message in another must not end the backup.
_TOOL_ENCODING = locale.getpreferredencoding(False)


def _pg_tool(name: str) -> tuple[str, int]:
    """The tool's path and major version; it must be at least the server's."""
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} is not installed on this machine: install the PostgreSQL client"
            " (Debian: apt-get install postgresql-client) of the server's version or newer"
        )
    out = subprocess.run(
        [path, "--version"], capture_output=True, encoding=_TOOL_ENCODING, errors="replace"
    ).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    major = int(found.group(1)) if found else 0
    connection.ensure_connection()
    server = connection.pg_version // 10000  # type: ignore[attr-defined]
    if major < server:
        raise BackupError(
            f"{name} is version {major}, the server is PostgreSQL {server}: install the"
            f" PostgreSQL {server} client (an older {name} cannot read a newer server)"
        )
    return path, major


def _pg_run(args: list[str], what: str) -> None:
    result = subprocess.run(
        args, capture_output=True, encoding=_TOOL_ENCODING, errors="replace", env=_pg_env()
    )
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: " + (message[-1] if message else "?"))


# ---------------------------------------------------------------------------------------
# Backup


def _copy_sqlite(target: Path) -> None:
    """SQLite's online backup API: a consistent copy while others write (WAL); the copy is
    one self-contained file (rollback journal), checked before it counts."""
    if connection.in_atomic_block:  # the copy would wait forever on its own lock
        raise BackupError("a backup cannot be taken inside a database transaction")
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection  # type: ignore[assignment]
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy of the database is damaged: {check}")
    finally:
        copy.close()


def _field_key() -> str | None:
    key = os.environ.get("HEMEI_FIELD_KEY", "").strip()
    if key:
        return key
    path = Path(settings.DATA_DIR) / "field_key"
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


@dataclass
class Backup:
    folder: Path
    manifest: dict[str, Any]

    @property
    def size(self) -> int:
        return sum(entry["size"] for entry in self.manifest["files"])


def take_backup(folder: Path, *, now: dt.datetime | None = None) -> Backup:
    """Back up into ``folder``, which must not exist or be empty."""
    folder = folder.resolve()
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder")
    vendor = engine()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)  # it holds the keys
    if vendor == "sqlite":
        _copy_sqlite(folder / SQLITE_FILE)
        database = SQLITE_FILE
    else:
        pg_dump, _major = _pg_tool("pg_dump")
        _pg_run(
            [
                pg_dump,
                "-Fc",
                "--no-owner",
                "--no-privileges",
                "-f",
                str(folder / PG_FILE),
                *_pg_args(),
            ],
            "pg_dump",
        )
        database = PG_FILE
    migrations = _applied_migrations()

    key = _field_key()
    if key:
        (folder / "field_key").write_text(key + "\n", encoding="utf-8")
    secret = Path(settings.DATA_DIR) / "secret_key"
    if not os.environ.get("HEMEI_SECRET_KEY") and secret.exists():
        shutil.copyfile(secret, folder / "secret_key")
    for name in KEY_FILES:
        if (folder / name).exists():
            (folder / name).chmod(0o600)

    # The files after the database: every file a row names is there already.
    media = Path(settings.MEDIA_ROOT)
    for path in _files_under(media):
        copy = folder / "media" / path.relative_to(media)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)

    files = [
        {
            "path": path.relative_to(folder).as_posix(),
            "size": path.stat().st_size,
            "sha256": sha256(path),
        }
        for path in _files_under(folder)
    ]
    manifest = {
        "format": FORMAT,
        "hemei_version": _version(),
        "created_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "engine": vendor,
        "database": database,
        "field_key": bool(key),
        "migrations": migrations,
        "files": files,
    }
    temporary = folder / (MANIFEST + ".partial")
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.replace(folder / MANIFEST)
    return Backup(folder, manifest)


# ---------------------------------------------------------------------------------------
# Restore


def read_verified(folder: Path) -> dict[str, Any]:
    """The manifest, once every file it lists has its size and checksum; else BackupError."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a backup, or an unfinished one")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
        if manifest["format"] != FORMAT:
            raise BackupError(f"backup format {manifest['format']} is not {FORMAT}")
        listed = {entry["path"]: entry for entry in files}
        for field in ("engine", "database", "migrations"):
            manifest[field]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{MANIFEST} cannot be read ({exc}): the backup is damaged") from None
    for name in listed:
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or not name or "\\" in name:
            raise BackupError(f"{MANIFEST} names a path outside the backup: {name!r}")
    if manifest["database"] not in listed:
        raise BackupError(f"{MANIFEST} lists no database file: the backup is damaged")
    problems = []
    for name, entry in listed.items():
        path = folder / PurePosixPath(name)
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != entry["size"]:
            problems.append(f"{name} has {path.stat().st_size} bytes, not {entry['size']}")
        elif sha256(path) != entry["sha256"]:
            problems.append(f"{name} does not match its checksum")
    if problems:
        shown = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" * (len(problems) > 5))
        raise BackupError(f"the backup does not match its manifest, nothing restored: {shown}")
    return manifest


def _newer_migrations(applied: dict[str, list[str]]) -> list[str]:
    """Migrations the backup had applied that this code does not know: a newer version's."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    from django.apps import apps

    ours = {config.label for config in apps.get_app_configs()}
    return [
        f"{app}.{name}"
        for app, names in applied.items()
        for name in names
        if app in ours and (app, name) not in known
    ]


def _sqlite_path() -> Path:
    return Path(str(settings.DATABASES["default"]["NAME"]))


def _target_problems(manifest: dict[str, Any]) -> list[str]:
    problems = []
    if engine() == "sqlite":
        path = _sqlite_path()
        if path.exists() and path.stat().st_size:
            with sqlite3.connect(path) as probe:
                tables = probe.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
            if tables:
                problems.append(f"the database {path} has {tables} tables")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            )
            tables = cursor.fetchone()[0]
        if tables:
            name = settings.DATABASES["default"]["NAME"]
            problems.append(f"the database {name} has {tables} tables")
    media = Path(settings.MEDIA_ROOT)
    if any(True for _ in _files_under(media)):
        problems.append(f"{media} holds files")
    return problems


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".restoring")
    shutil.copy2(source, temporary)
    temporary.replace(target)


@dataclass
class Restored:
    manifest: dict[str, Any]
    files: int
    migrations_applied: int


def restore(folder: Path, *, force: bool = False) -> Restored:
    """Restore the backup in ``folder`` into this data directory and database."""
    folder = folder.resolve()
    manifest = read_verified(folder)
    vendor = engine()
    if manifest["engine"] != vendor:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database and this installation uses"
            f" {vendor}: restore it with the same database engine"
        )
    newer = _newer_migrations(manifest["migrations"])
    if newer:
        raise BackupError(
            "the backup was made by a newer version of Hemei (it has migrations this code"
            f" lacks: {', '.join(newer[:3])}): install that version, then restore"
        )
    backup_key = None
    if (folder / "field_key").exists():
        backup_key = (folder / "field_key").read_text(encoding="utf-8").strip()
    env_key = os.environ.get("HEMEI_FIELD_KEY", "").strip()
    if backup_key and env_key and env_key != backup_key:
        raise BackupError(
            "HEMEI_FIELD_KEY is not the key of the backup: the restored identity numbers and"
            " phones could not be read; unset it (the backup's key file is used) or set the"
            " backup's key"
        )
    if not force:
        problems = _target_problems(manifest)
        if problems:
            raise BackupError(
                "the target is not empty ("
                + "; ".join(problems)
                + "): restore into an empty data directory or database, or give --force"
                " to replace what is there"
            )

    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in KEY_FILES:
        if (folder / name).exists() and not (name == "field_key" and env_key):
            _place(folder / name, data_dir / name)
            (data_dir / name).chmod(0o600)

    media = Path(settings.MEDIA_ROOT)
    if force and media.exists():
        shutil.rmtree(media)
    files = 0
    for entry in manifest["files"]:
        if entry["path"].startswith("media/"):
            _place(folder / entry["path"], media / PurePosixPath(entry["path"][6:]))
            files += 1

    if vendor == "sqlite":
        connection.close()
        path = _sqlite_path()
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        _place(folder / manifest["database"], path)
    else:
        pg_restore, _major = _pg_tool("pg_restore")
        if force:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
        connection.close()
        _pg_run(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *_pg_args(),
                str(folder / manifest["database"]),
            ],
            "pg_restore",
        )

    from django.core.management import call_command

    before = sum(len(names) for names in _applied_migrations().values())
    call_command("migrate", interactive=False, verbosity=0)
    after = sum(len(names) for names in _applied_migrations().values())
    return Restored(manifest, files, after - before)


# ---------------------------------------------------------------------------------------
# Nightly backups (the worker)


def nightly(
    root: Path,
    *,
    keep: int,
    now: dt.datetime,
    hour: int,
    log: Callable[[str], None] = lambda message: None,
) -> Path | None:
    """Take tonight's backup into ``root/YYYY-MM-DD`` once the local time is past ``hour``
    and there is none for the day yet; keep the ``keep`` newest. Several workers may call it:
    the first to create the day's working folder takes it, the others see it and go on."""
    if now.hour < hour:
        return None
    day = now.date().isoformat()
    final = root / day
    if final.exists():
        return None
    root.mkdir(parents=True, exist_ok=True)
    working = root / f".{day}.partial"
    try:
        working.mkdir()
    except FileExistsError:
        # Another worker is on it, or one died half-way: a day old, it is cleared.
        age = now.timestamp() - working.stat().st_mtime
        if age < 24 * 3600:
            return None
        shutil.rmtree(working, ignore_errors=True)
        return None
    try:
        result = take_backup(working, now=now)
        working.rename(final)
    except BaseException:
        shutil.rmtree(working, ignore_errors=True)
        raise
    log(f"backup {final}: {len(result.manifest['files'])} files, {result.size} bytes")
    for old in prune(root, keep):
        log(f"backup {old} removed (keeping {keep})")
    return final


def prune(root: Path, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest nightly backups (``YYYY-MM-DD`` folders)."""
    nightlies = sorted(
        path for path in root.iterdir() if path.is_dir() and NIGHTLY_NAME.match(path.name)
    )
    removed = nightlies[: max(0, len(nightlies) - max(keep, 1))]
    for path in removed:
        shutil.rmtree(path)
    return removed

"""The ``hemei`` command: demo, serve, worker, migrate, createadmin, divisions, ingest, points,
workdays.

Every subcommand takes ``--data-dir`` (or ``HEMEI_DATA_DIR``); the SQLite database lives
there unless ``HEMEI_DATABASE_URL`` names another database. Errors are one line on stderr
and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from hemei.core.commands import CommandFailed
from hemei.core.commands import setup_django as _setup

DEFAULT_PORT = 8000


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the SQLite database and uploads live (default: $HEMEI_DATA_DIR or ./hemei-data)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hemei", description="Hemei (和美): rural revitalization work, end to end."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = sub.add_parser("demo", help="run the platform with the demo county on SQLite")
    demo.add_argument("--port", type=int, default=DEFAULT_PORT)
    demo.add_argument("--reset", action="store_true", help="delete the demo data and start over")
    demo.add_argument("--no-serve", action="store_true", help="load the demo data, then exit")
    _data_dir_option(demo)

    serve = sub.add_parser(
        "serve",
        help="run the web server (production): several processes, graceful restart on SIGHUP",
    )
    serve.add_argument("--host", default=os.environ.get("HEMEI_HOST", "127.0.0.1"))
    serve.add_argument(
        "--port", type=int, default=os.environ.get("HEMEI_PORT") or str(DEFAULT_PORT)
    )
    serve.add_argument(
        "--bind",
        action="append",
        metavar="ADDRESS",
        help="HOST:PORT or unix:PATH to listen on, repeatable (default: --host and --port;"
        " $HEMEI_BIND, comma-separated)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=os.environ.get("HEMEI_WORKERS") or "0",
        help="server processes (default: $HEMEI_WORKERS or 2 x cores + 1)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=os.environ.get("HEMEI_THREADS") or "0",
        help="threads per process (default: $HEMEI_THREADS or 2; 8 where one process serves)",
    )
    serve.add_argument(
        "--access-log",
        metavar="FILE",
        default=os.environ.get("HEMEI_ACCESS_LOG", "-"),
        help="one line per request: '-' for standard output (default), '' for none",
    )
    serve.add_argument(
        "--timeout",
        type=int,
        default=os.environ.get("HEMEI_SERVE_TIMEOUT") or "120",
        metavar="SECONDS",
        help="a request running longer has its process replaced (default 120)",
    )
    serve.add_argument(
        "--graceful-timeout",
        type=int,
        default=os.environ.get("HEMEI_GRACEFUL_TIMEOUT") or "30",
        metavar="SECONDS",
        help="how long a restart or stop waits for running requests (default 30)",
    )
    _data_dir_option(serve)

    worker = sub.add_parser(
        "worker", help="run the background worker and the ladder sweep every few minutes"
    )
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    worker.add_argument(
        "--sweep-every",
        type=float,
        default=10.0,
        metavar="MINUTES",
        help="minutes between ladder sweeps (default 10; 0 = no sweeps)",
    )
    worker.add_argument(
        "--batch", action="store_true", help="run what is queued (and one sweep), then exit"
    )
    _data_dir_option(worker)

    backup = sub.add_parser(
        "backup", help="back up the database, the uploaded files and the keys into a new folder"
    )
    backup.add_argument("folder", metavar="DIR", help="a new or empty folder")
    _data_dir_option(backup)

    restore = sub.add_parser(
        "restore", help="restore a backup into an empty data directory or database"
    )
    restore.add_argument("folder", metavar="DIR", help="a folder made by hemei backup")
    restore.add_argument(
        "--force", action="store_true", help="replace the data that is there (it is lost)"
    )
    _data_dir_option(restore)

    migrate = sub.add_parser("migrate", help="create or update the database tables")
    _data_dir_option(migrate)

    admin = sub.add_parser("createadmin", help="create a superuser who can see everything")
    admin.add_argument("--username", default="admin")
    admin.add_argument("--password", help="(default: asked for, or $HEMEI_ADMIN_PASSWORD)")
    _data_dir_option(admin)

    divisions = sub.add_parser("divisions", help="the division table")
    division_sub = divisions.add_subparsers(dest="action", metavar="ACTION", required=True)
    division_import = division_sub.add_parser(
        "import", help="import the official division table (files or a folder)"
    )
    division_import.add_argument("path", nargs="?", help="a .csv/.csv.gz file or a folder")
    division_import.add_argument("--builtin", action="store_true", help="the packaged table")
    division_import.add_argument("--under", metavar="CODE", help="only this division's subtree")
    _data_dir_option(division_import)

    ingest = sub.add_parser("ingest", help="read a meeting report and draft its tasks")
    ingest.add_argument("args", nargs=argparse.REMAINDER)

    points = sub.add_parser("points", help="governance points: verify the ledgers (see --help)")
    points.add_argument("args", nargs=argparse.REMAINDER)

    workdays = sub.add_parser(
        "workdays", help="working days by the official schedule: add, between (see --help)"
    )
    workdays.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _port_free(host: str, port: int) -> bool:
    """Whether nothing listens on the port. On Windows SO_REUSEADDR would let the probe bind
    beside a listening server (it means "share the port" there), so the probe asks for the
    port alone instead."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _serve(host: str, port: int, threads: int) -> None:
    from hemei.core.server import run_waitress

    run_waitress(host, port, threads)


def _start_worker(data_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "hemei", "worker", "--data-dir", str(data_dir)],
        env={**os.environ, "HEMEI_DATA_DIR": str(data_dir)},
    )


def cmd_demo(options: argparse.Namespace) -> int:
    data_dir = Path(options.data_dir or os.environ.get("HEMEI_DATA_DIR") or "hemei-data").resolve()
    if options.reset and data_dir.exists():
        for name in ("hemei.sqlite3", "hemei.sqlite3-wal", "hemei.sqlite3-shm"):
            (data_dir / name).unlink(missing_ok=True)
        shutil.rmtree(data_dir / "media", ignore_errors=True)
    if not options.no_serve and not _port_free("127.0.0.1", options.port):
        raise CommandFailed(f"port {options.port} is in use; choose another with --port")
    os.environ.pop("HEMEI_DATABASE_URL", None)  # the demo always runs on its own SQLite
    _setup(str(data_dir))
    from hemei.core.schema_template import migrate_new_database

    # A new demo database starts as a copy of the migrated schema kept from an earlier run.
    migrate_new_database(data_dir / "cache", _migrate)
    from hemei import demo

    created = demo.load_demo()
    print(
        ("Loaded the demo county" if created else "Reusing the demo data")
        + f" in {data_dir} (start over with --reset)."
    )
    print(f"\nDemo accounts (password for all: {demo.PASSWORD}):")
    for username, role in demo.ACCOUNTS:
        print(f"  {username:<18} {role}")
    if options.no_serve:
        return 0
    print(f"\nHemei is running at http://127.0.0.1:{options.port}/  (Ctrl+C to stop)", flush=True)
    _stop_on_signals()
    worker = _start_worker(data_dir)
    try:
        _serve("127.0.0.1", options.port, threads=8)
    except KeyboardInterrupt:
        pass
    finally:
        _stop_worker(worker)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """SIGTERM (``kill``, a service manager) and SIGHUP (the terminal closed; on Windows
    SIGBREAK: Ctrl+Break or the console window closed) stop the demo the way Ctrl+C (SIGINT)
    does: the server returns and the worker is stopped with it, instead of the process dying
    on the spot and leaving its worker running."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):
        if hasattr(signal, name):  # SIGHUP on POSIX, SIGBREAK on Windows
            signal.signal(getattr(signal, name), _interrupt)


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Ask the worker to finish (it completes the job it is running), then wait for it; a
    worker that does not stop in time, or a second signal meanwhile, kills it."""
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=10)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        worker.kill()
        worker.wait()


def _tcp_address(address: str) -> tuple[str, int] | None:
    """``HOST:PORT`` (``[::1]:8000`` too) as a pair; None for ``unix:PATH``."""
    if address.startswith("unix:"):
        return None
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise CommandFailed(f"--bind {address!r}: give HOST:PORT or unix:PATH")
    return host.strip("[]") or "0.0.0.0", int(port)


def cmd_serve(options: argparse.Namespace) -> int:
    """Gunicorn (several processes) where the system can fork, else waitress; see
    :mod:`hemei.core.server`."""
    from hemei.core import server

    if options.workers < 0 or options.threads < 0:
        raise CommandFailed("--workers and --threads must not be negative")
    if options.timeout <= 0 or options.graceful_timeout < 0:
        raise CommandFailed("--timeout must be positive, --graceful-timeout not negative")
    bind = options.bind or [
        b.strip() for b in os.environ.get("HEMEI_BIND", "").split(",") if b.strip()
    ]
    if not bind:
        host = f"[{options.host}]" if ":" in options.host else options.host
        bind = [f"{host}:{options.port}"]
    tcp = [address for address in map(_tcp_address, bind) if address]
    for host, port in tcp:
        if not _port_free(host, port):
            raise CommandFailed(f"{host}:{port} is in use")
    data_dir = Path(options.data_dir or os.environ.get("HEMEI_DATA_DIR") or "hemei-data")
    data_dir = data_dir.resolve()
    if not server.can_fork():
        if len(tcp) != 1 or len(bind) != 1:
            raise CommandFailed("without fork (Windows) the server listens on one HOST:PORT")
        _setup(str(data_dir))
        print(f"Hemei is serving at http://{tcp[0][0]}:{tcp[0][1]}/ (waitress)", flush=True)
        _serve(tcp[0][0], tcp[0][1], options.threads or 8)
        return 0
    server.prepare_environment(data_dir)
    try:
        server.collect_static()
    except RuntimeError as exc:
        raise CommandFailed(str(exc)) from None
    workers = options.workers or server.default_workers()
    threads = options.threads or 2
    print(
        f"Hemei is serving at {', '.join(bind)} with {workers} processes x {threads} threads"
        f" (kill -HUP {os.getpid()}: restart gracefully; kill -TERM: stop)",
        flush=True,
    )
    server.run_gunicorn(
        server.gunicorn_options(
            bind=bind,
            workers=workers,
            threads=threads,
            access_log=options.access_log,
            timeout=options.timeout,
            graceful_timeout=options.graceful_timeout,
        )
    )
    return 0


def cmd_worker(options: argparse.Namespace) -> int:
    """The database worker, plus a scheduler thread that enqueues the ladder sweep at start
    and then every ``--sweep-every`` minutes, and puts back in the queue the jobs of workers
    that were lost (at start too). Ctrl+C or SIGTERM stops both: the worker finishes the
    job it is running (a second signal cuts it short), the scheduler stops."""
    if options.interval < 0 or options.sweep_every < 0:
        raise CommandFailed("--interval and --sweep-every must not be negative")
    _setup(options.data_dir)
    import threading

    from django.conf import settings
    from django.core.management import call_command

    from hemei.core.workers import Lease, new_worker_id, recover_lost_tasks
    from hemei.disclosure.jobs import enqueue_generation
    from hemei.notices.jobs import enqueue_sweep as end_due_notices
    from hemei.rankings.jobs import recover_stalled_exports
    from hemei.supervision import jobs

    # The lease says this worker lives (hemei/core/workers.py); it is taken before the
    # first claim, so a task that names this worker never looks lost while it runs.
    lease = Lease(new_worker_id())
    lease.take()
    housekeeping = [
        lease.renew,
        recover_lost_tasks,
        recover_stalled_exports,
        enqueue_generation,
        end_due_notices,
    ]
    if settings.HEMEI_BACKUP_DIR:
        housekeeping.append(_nightly_backup)
    # Tasks, and circulars, left "running" by a worker that was killed are queued again
    # (once) first.
    recover_lost_tasks()
    recover_stalled_exports()
    stop = threading.Event()
    scheduler = None
    if options.batch:
        if options.sweep_every:
            enqueue_generation()
            end_due_notices()
            jobs.enqueue_sweep()
            if settings.HEMEI_BACKUP_DIR:
                _nightly_backup()
    elif options.sweep_every:
        scheduler = threading.Thread(
            target=jobs.run_scheduler,
            args=(
                stop,
                options.sweep_every * 60,
                housekeeping,
            ),
            name="hemei-sweep-scheduler",
            daemon=True,
        )
        scheduler.start()
    try:
        with contextlib.suppress(KeyboardInterrupt):
            call_command(
                "db_worker",
                interval=options.interval,
                startup_delay=False,
                reload=False,
                batch=options.batch,
                worker_id=lease.worker_id,
                verbosity=1,
            )
    except SystemExit as exc:  # the worker exits this way on a signal
        if exc.code not in (0, None):
            raise
    finally:
        stop.set()
        if scheduler is not None:
            scheduler.join(timeout=5)
        lease.end()
    return 0


def cmd_backup(options: argparse.Namespace) -> int:
    _setup(options.data_dir)
    from hemei.core.backup import BackupError, take_backup

    try:
        result = take_backup(Path(options.folder))
    except BackupError as exc:
        raise CommandFailed(str(exc)) from None
    manifest = result.manifest
    print(
        f"Backed up the {manifest['engine']} database, {len(manifest['files'])} files"
        f" ({result.size:,} bytes) into {result.folder}; keep it away from this machine:"
        " it holds the key to the encrypted identity numbers."
    )
    return 0


def cmd_restore(options: argparse.Namespace) -> int:
    _setup(options.data_dir)
    from hemei.core.backup import BackupError, restore

    try:
        result = restore(Path(options.folder), force=options.force)
    except BackupError as exc:
        raise CommandFailed(str(exc)) from None
    manifest = result.manifest
    print(
        f"Restored the backup of {manifest['created_at']} ({manifest['engine']},"
        f" {result.files} uploaded files)"
        + (
            f"; applied {result.migrations_applied} newer migrations"
            * bool(result.migrations_applied)
        )
        + "."
    )
    return 0


def _nightly_backup() -> None:
    """The worker's nightly backup (HEMEI_BACKUP_DIR), checked at each sweep tick."""
    from django.conf import settings
    from django.utils import timezone

    from hemei.core import backup, clock

    backup.nightly(
        Path(settings.HEMEI_BACKUP_DIR),
        keep=settings.HEMEI_BACKUP_KEEP,
        hour=settings.HEMEI_BACKUP_HOUR,
        now=timezone.localtime(clock.now()),
        log=lambda message: print(message, flush=True),
    )


def cmd_migrate(options: argparse.Namespace) -> int:
    _setup(options.data_dir)
    _migrate(verbosity=1)
    return 0


def cmd_createadmin(options: argparse.Namespace) -> int:
    _setup(options.data_dir)
    _migrate()
    from getpass import getpass

    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    password = options.password or os.environ.get("HEMEI_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise CommandFailed("give --password or HEMEI_ADMIN_PASSWORD (no terminal to ask)")
        password = getpass("Password: ")
        if getpass("Password (again): ") != password:
            raise CommandFailed("the passwords differ")
    User = get_user_model()
    user = User(username=options.username, is_staff=True, is_superuser=True)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise CommandFailed("password refused: " + " ".join(exc.messages)) from None
    if User.objects.filter(username=options.username).exists():
        raise CommandFailed(f"user {options.username!r} already exists")
    user.set_password(password)
    user.save()
    print(f"Created administrator {options.username!r}.")
    return 0


def cmd_divisions(options: argparse.Namespace) -> int:
    if options.builtin == bool(options.path):
        raise CommandFailed("give either a PATH or --builtin")
    _setup(options.data_dir)
    _migrate()
    from hemei.divisions.importer import DivisionFileError, builtin_files, discover
    from hemei.divisions.services import import_divisions

    try:
        paths = builtin_files() if options.builtin else discover(Path(options.path))
        batch = import_divisions(
            paths=paths, under=options.under, source="builtin" if options.builtin else None
        )
    except DivisionFileError as exc:
        raise CommandFailed(f"nothing imported: {exc}") from None
    print(
        f"Imported {batch.source}: {batch.added} added, {batch.renamed} renamed,"
        f" {batch.moved} moved, {batch.closed} closed, {batch.reopened} reopened,"
        f" {batch.unchanged} unchanged."
    )
    from hemei.homestead.samples import install_province_limits

    added = install_province_limits()
    if added:
        print(f"Added {added} sourced provincial homestead area limits (see /homestead/limits/).")
    return 0


def cmd_ingest(options: argparse.Namespace) -> int:
    from hemei.ingest.cli import main as ingest_main

    return ingest_main(options.args)


def cmd_points(options: argparse.Namespace) -> int:
    from hemei.points.cli import main as points_main

    return points_main(options.args)


def cmd_workdays(options: argparse.Namespace) -> int:
    from hemei.procedures.cli import main as workdays_main

    return workdays_main(options.args)


COMMANDS = {
    "demo": cmd_demo,
    "serve": cmd_serve,
    "worker": cmd_worker,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "migrate": cmd_migrate,
    "createadmin": cmd_createadmin,
    "divisions": cmd_divisions,
    "ingest": cmd_ingest,
    "points": cmd_points,
    "workdays": cmd_workdays,
}


def _utf8_output() -> None:
    """On Windows, output going to a file or a pipe is written in UTF-8. Python writes it in
    the system's code page there (cp1252 on an English Windows cannot hold the demo's Chinese
    role names, so ``hemei demo > demo.log`` would fail); a console shows any text as is."""
    if sys.platform != "win32":
        return
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not stream.isatty() and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_output()
    options = build_parser().parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured
    from django.db import OperationalError

    try:
        return COMMANDS[options.command](options)
    except (CommandFailed, ImproperlyConfigured) as exc:
        print(f"hemei {options.command}: {exc}", file=sys.stderr)
        return 2
    except OperationalError as exc:
        print(f"hemei {options.command}: the database cannot be used: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

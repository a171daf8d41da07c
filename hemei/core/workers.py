"""The worker's lease, and the tasks a lost worker left running.

django-tasks-db claims a task in one short transaction (status RUNNING, the worker's id
appended to ``worker_ids``), commits, and then runs it holding no lock. A worker killed
meanwhile (``kill -9``, out of memory, its host gone) leaves the row RUNNING for ever: no
worker takes a RUNNING row again.

To tell a lost worker from a slow one, every ``hemei worker`` holds a lease for its whole
life, taken before it claims anything and named by its worker id (host, pid and a random
part, so an id is never used twice):

- on PostgreSQL, a session-level advisory lock, held by a connection of its own (Django's
  is closed and reopened between tasks). The server drops it the moment that session ends,
  which a killed process's does at once (its socket closes) and a vanished host's does
  when TCP keepalive gives up. It works across hosts and reads no clock, no pid.
- on SQLite, which lives on one machine, an exclusive lock on a file beside the database
  (``<database>-workers/<id>.lock``), which the kernel drops when the process dies. A pid
  check of the recorded worker was the other way; a pid is reused by the next process, and
  says nothing about another data directory's workers on the same file.

:func:`recover_lost_tasks` (the worker at start and at each tick of its scheduler) finds
RUNNING rows whose last worker's lease is free: that worker is gone, and stays gone. Each
such row goes back to READY once: the claims in ``worker_ids`` count the attempts, and a
task lost a second time is marked FAILED (:class:`WorkerLost`), so a task that kills its
worker cannot take the queue down with it for ever. The update is conditional on the row
still being the one looked at, so two workers recovering at once queue it again once.

The jobs stand this: each is a sweep that does what is due and is safe to run twice
(ladder, notices, points, disclosures), or claims its own row first (circulars).
Rows claimed by a worker that held no lease (a bare ``db_worker``) are left alone: nothing
says whether it lives. One gap stays: a PostgreSQL worker whose lease's session is cut while
the worker lives (the server restarted) looks lost until its scheduler takes the lease again
(:meth:`Lease.renew`, at the next tick); its job may then be started a second time, which
the jobs stand as above.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import socket
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

log = logging.getLogger(__name__)

#: A task is started at most this often: the first time, and once more after a lost worker.
MAX_ATTEMPTS = 2

#: The server-side TCP keepalive of the lease's PostgreSQL session (seconds, probes).
KEEPALIVE = {"tcp_keepalives_idle": 60, "tcp_keepalives_interval": 10, "tcp_keepalives_count": 3}

#: The ids :func:`new_worker_id` makes: ``host:pid:random``.
LEASED_ID = re.compile(r"[^:]*:\d+:[0-9a-f]{12}")


class WorkerLost(Exception):
    """The worker running the task was lost twice (killed, or its host gone)."""


def new_worker_id() -> str:
    """A worker id never used before: ``host:pid:random`` (at most 64 characters, the
    limit of ``db_worker --worker-id``)."""
    host = socket.gethostname().replace(":", "-")[:40]
    return f"{host}:{os.getpid()}:{secrets.token_hex(6)}"


def _advisory_key(worker_id: str) -> int:
    """The signed 64-bit advisory-lock key of a worker id."""
    return int.from_bytes(hashlib.sha256(worker_id.encode()).digest()[:8], "big", signed=True)


def _lease_dir(alias: str = DEFAULT_DB_ALIAS) -> Path:
    """Where SQLite workers keep their lease files: beside the database file."""
    connection = connections[alias]
    name = str(connection.settings_dict["NAME"])
    if connection.creation.is_in_memory_db(name):  # type: ignore[attr-defined]
        # (the tests') no file: the folder of the data directory's database file
        return Path(settings.DATA_DIR) / "hemei.sqlite3-workers"
    path = Path(name).resolve()
    return path.with_name(f"{path.name}-workers")


def _lease_file(worker_id: str, alias: str = DEFAULT_DB_ALIAS) -> Path:
    return _lease_dir(alias) / f"{hashlib.sha256(worker_id.encode()).hexdigest()[:32]}.lock"


def _try_lock(fd: int) -> bool:
    """Lock an open file exclusively without waiting; False if another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


class Lease:
    """The lease of one worker: :meth:`take` before claiming any task, :meth:`end` after
    the last; the process's death ends it too."""

    def __init__(self, worker_id: str, alias: str = DEFAULT_DB_ALIAS) -> None:
        self.worker_id, self.alias = worker_id, alias
        self.vendor = connections[alias].vendor
        self._connection: Any = None
        self._fd: int | None = None
        self._path: Path | None = None

    def take(self) -> None:
        if self.vendor == "postgresql":
            self._connection = connections[self.alias].copy()  # never closed by Django
            self._connection.inc_thread_sharing()  # the scheduler thread renews it
            with self._connection.cursor() as cursor:
                # The server probes the idle session every minute: a host that vanished
                # (no socket closed) loses its lease in about 90 seconds, not hours.
                for name, value in KEEPALIVE.items():
                    cursor.execute(f"SET {name} = {int(value)}")
                cursor.execute("SELECT pg_advisory_lock(%s)", [_advisory_key(self.worker_id)])
        elif self.vendor == "sqlite":
            path = _lease_file(self.worker_id, self.alias)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            if not _try_lock(fd):
                os.close(fd)
                raise RuntimeError(f"the lease of worker {self.worker_id} is held already")
            self._fd, self._path = fd, path
        else:
            log.warning("no worker lease on %s: tasks of a lost worker stay running", self.vendor)

    def renew(self) -> None:
        """Take the lease again if its connection was lost (a database restart): the
        scheduler calls this at each tick."""
        if self._connection is None:
            return
        if self._connection.is_usable():
            return
        log.warning("worker %s lost its lease's connection; taking it again", self.worker_id)
        self._connection.close()
        self.take()

    def end(self) -> None:
        if self._connection is not None:
            try:  # at once: the session's end, which would drop it too, comes a moment later
                with self._connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock_all()")
            except DatabaseError:
                pass  # the connection is lost, and the lock with it
            finally:
                self._connection.close()
                self._connection = None
        if self._fd is not None and self._path is not None:
            os.close(self._fd)  # releases the lock
            self._path.unlink(missing_ok=True)
            self._fd = self._path = None


def lease_held(worker_id: str, alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the worker of this id holds its lease, that is, still lives. A lease found
    free (and a missing lease file) means the worker is gone: its id is not used again."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        key = _advisory_key(worker_id)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                return True
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return False
    if connection.vendor == "sqlite":
        path = _lease_file(worker_id, alias)
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            if not _try_lock(fd):
                return True
        finally:
            os.close(fd)
        path.unlink(missing_ok=True)  # the dead worker's file; nobody takes its id again
        return False
    return True  # no leases here: assume it lives


def recover_lost_tasks(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue again (once) the RUNNING tasks whose worker is lost; fail those lost twice.
    Answers the counts."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    alive: dict[str, bool] = {}
    running = DBTaskResult.objects.running().only("id", "task_path", "worker_ids", "started_at")
    for row in running.order_by("started_at", "id"):
        holder = row.worker_ids[-1] if row.worker_ids else ""
        if not LEASED_ID.fullmatch(holder):
            continue
        if holder not in alive:
            alive[holder] = lease_held(holder)
        if alive[holder]:
            continue
        same = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        attempts = len(row.worker_ids)
        if attempts < MAX_ATTEMPTS:
            if same.update(status=TaskResultStatus.READY):
                counts["requeued"] += 1
                log.warning(
                    "task %s (%s): worker %s lost; queued again", row.pk, row.task_path, holder
                )
        else:
            lost = WorkerLost(f"worker {holder} lost; the task was started {attempts} times")
            if same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__qualname__}: {lost}\n",
            ):
                counts["failed"] += 1
                log.error("task %s (%s): %s; marked failed", row.pk, row.task_path, lost)
    return counts

"""Reads from a PostgreSQL streaming replica, when one is configured.

Set ``HEMEI_DATABASE_REPLICA_URL`` and the database alias ``replica`` exists beside
``default`` (the primary). Which reads go where:

- A page asked for with GET or HEAD (lists, details, exports, rankings, dashboards, the API's
  reads) reads from the replica, through :class:`ReplicaReadMiddleware`; everything before
  the view (the session, the logged-in user) and everything after a write in the same
  request reads from the primary.
- Anything that writes, anything inside a transaction on the primary, and every read of
  the worker and of the commands go to the primary.
- Read after write: a request that wrote (a POST, or a GET that happened to write) pins the
  browser to the primary for ``HEMEI_REPLICA_PIN_SECONDS`` (default 10 s) with a cookie, so
  the page an official lands on after saving shows what they saved even if the replica is a
  moment behind.
- The replica is used only while it answers and replays within
  ``HEMEI_REPLICA_MAX_LAG_SECONDS`` (default 5 s) of the primary; otherwise reads fall back to
  the primary. The check is one small query, repeated at most every
  ``HEMEI_REPLICA_CHECK_SECONDS`` (default 2 s) per process.

The lag is measured on the replica alone: zero when everything it received has been
replayed, otherwise the time since the last transaction it replayed (so a replica whose
replay is stuck falls behind by the clock, and a quiet primary does not look like lag).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest
from django.http.response import HttpResponseBase

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "hemei_primary"

logger = logging.getLogger(__name__)

#: Whether reads in this context may go to the replica (set by the middleware for a GET, or
#: by :func:`reading_replica`; cleared by the first write).
_may_read_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "hemei_may_read_replica", default=False
)
#: Whether this context has written to the primary (a request that wrote pins the browser).
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("hemei_wrote", default=False)

_LAG_SQL = (
    "SELECT pg_is_in_recovery(), "
    "CASE WHEN pg_last_wal_receive_lsn() IS NULL "
    "  OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9) END"
)


def configured() -> bool:
    """Whether a replica is configured at all."""
    return REPLICA in settings.DATABASES


class _Health:
    """The replica's last known state in this process, refreshed at most every few seconds."""

    def __init__(self) -> None:
        self.checked_at: float | None = None
        self.usable = False
        self.reason = ""

    def check(self) -> bool:
        interval = float(getattr(settings, "HEMEI_REPLICA_CHECK_SECONDS", 2))
        now = time.monotonic()
        if self.checked_at is not None and now - self.checked_at < interval:
            return self.usable
        self.checked_at = now
        self.usable, self.reason = _probe()
        if not self.usable:
            logger.warning("Reading from the primary: the replica %s.", self.reason)
        return self.usable

    def forget(self) -> None:
        self.checked_at = None


health = _Health()


def _ask() -> tuple[bool, float]:
    """Whether the replica is in recovery and its lag (raises DatabaseError if it is down)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(_LAG_SQL)
        in_recovery, lag = cursor.fetchone()
    return bool(in_recovery), float(lag)


def _probe() -> tuple[bool, str]:
    """Ask the replica whether it is a replica and how far behind it is."""
    max_lag = float(getattr(settings, "HEMEI_REPLICA_MAX_LAG_SECONDS", 5))
    try:
        in_recovery, lag = _ask()
    except DatabaseError as error:
        # Close it, so the next check opens a fresh connection once the replica is back.
        with contextlib.suppress(DatabaseError):
            connections[REPLICA].close()
        return False, f"does not answer ({error.__class__.__name__})"
    if not in_recovery:
        return False, "is not in recovery (promoted?)"
    if lag > max_lag:
        return False, f"is {lag:.1f} s behind"
    return True, ""


def lag_seconds() -> float | None:
    """The replica's lag as :data:`_LAG_SQL` measures it, or None when it does not answer."""
    try:
        return _ask()[1]
    except DatabaseError:
        return None


@contextlib.contextmanager
def reading_replica() -> Iterator[None]:
    """Let the reads inside go to the replica (a report built in the worker, say)."""
    token = _may_read_replica.set(True)
    try:
        yield
    finally:
        _may_read_replica.reset(token)


class ReplicaRouter:
    """Sends reads to the replica when this context may and the replica is healthy."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if not configured() or not _may_read_replica.get():
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA if health.check() else PRIMARY

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        if _may_read_replica.get():
            _may_read_replica.set(False)
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == PRIMARY


class ReplicaReadMiddleware:
    """Lets a GET or HEAD view read from the replica unless the browser is pinned to the
    primary by a recent write; pins it after a request that wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not configured():
            return self.get_response(request)
        # The session and the logged-in user are read now, from the primary: a session
        # written a moment ago (a login) must be found even if the replica is behind.
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - evaluates the lazy user
        reads = request.method in ("GET", "HEAD") and PIN_COOKIE not in request.COOKIES
        may_token = _may_read_replica.set(reads)
        wrote_token = _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get() or request.method not in ("GET", "HEAD", "OPTIONS"):
                seconds = int(getattr(settings, "HEMEI_REPLICA_PIN_SECONDS", 10))
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        finally:
            _may_read_replica.reset(may_token)
            _wrote.reset(wrote_token)

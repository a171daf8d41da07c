"""Running the real commands against the test database, killed at a fault point.

The fault tests (``test_faults.py`` of points, supervision, rankings) commit their data
(``django_db(transaction=True)``), then run ``python -m hemei …`` as a child process on the
same PostgreSQL test database with ``HEMEI_FAULT_POINT`` set (see ``hemei/core/faults.py``):
the child sends itself SIGKILL at that line, which is ``kill -9`` at a known moment, no
timing involved. They check the database, run the command again without the fault, and
count what was done and what was mailed (Django's file e-mail backend, one file per
connection, in ``HEMEI_EMAIL_FILE_PATH``).

They run on PostgreSQL (CI's second pass): on SQLite the test database is in memory and a
child process cannot see it. Those marked :data:`needs_shared_database` run on SQLite too
when the test database is a file (``HEMEI_TEST_SQLITE_NAME=/tmp/hemei-test.sqlite3``).
"""

from __future__ import annotations

import email
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

#: The root of the checkout the tests run from (the child imports the same ``hemei``).
ROOT = Path(__file__).resolve().parents[2]


#: How a child killed at a fault point exits: by SIGKILL, or on Windows (no signals) by
#: ``os._exit(137)`` (see :mod:`hemei.core.faults`).
KILLED = -signal.SIGKILL if hasattr(signal, "SIGKILL") else 137


#: Mark the fault tests' modules with this: skipped before any fixture runs where the tests
#: run on SQLite (CI's PostgreSQL pass runs them).
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="kills a child process on the shared test database: PostgreSQL only (CI)",
)


def _shared_database() -> bool:
    """Whether a child process can open this test process's database."""
    if connection.vendor == "postgresql":
        return True
    name = str(connection.settings_dict["TEST"].get("NAME") or "")
    return connection.vendor == "sqlite" and bool(name) and ":memory:" not in name


#: For a test that runs on PostgreSQL and on a SQLite test database kept in a file.
needs_shared_database = pytest.mark.skipif(
    not _shared_database(),
    reason="kills a child process on the shared test database: PostgreSQL, or SQLite with"
    " HEMEI_TEST_SQLITE_NAME",
)


def database_url() -> str:
    """The URL of the test database this test process uses."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def wait_for_other_sessions_to_end() -> None:
    """After a kill -9: PostgreSQL ends the dead process's sessions, and drops their locks
    (a worker's lease among them), once it reads their closed sockets, a moment after the
    process is gone. Wait for that, so that what runs next finds them ended. (SQLite's file
    locks are gone when the process is.)"""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 60  # a bound, not a timing assumption
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else one view per transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
        assert time.monotonic() < deadline, "the killed process's sessions did not end"
        time.sleep(0.05)


class Child:
    """``python -m hemei …`` on the test database, with its data folder and outbox."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.outbox = root / "outbox"
        self.marker = root / "fault-marker"
        self.data.mkdir(parents=True, exist_ok=True)

    def env(self, fault: str | None, skip: int) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("HEMEI_") and key != "DJANGO_SETTINGS_MODULE"
        }
        env.update(
            HEMEI_DATABASE_URL=database_url(),
            HEMEI_DATA_DIR=str(self.data),
            HEMEI_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            HEMEI_EMAIL_FILE_PATH=str(self.outbox),
            HEMEI_FAULT_MARKER=str(self.marker),
            HEMEI_SECRET_KEY=settings.SECRET_KEY,  # the test's sessions hold in the child
            PYTHONPATH=str(ROOT),
        )
        if fault:
            env.update(HEMEI_FAULT_POINT=fault, HEMEI_FAULT_SKIP=str(skip))
        return env

    def run(self, *args: str, fault: str | None = None, skip: int = 0) -> str:
        """Run the command; with ``fault``, expect it to die by SIGKILL at that point."""
        self.marker.unlink(missing_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "hemei", *args],
            cwd=ROOT,
            env=self.env(fault, skip),
            capture_output=True,
            encoding="utf-8",
            timeout=300,
        )
        output = done.stdout + done.stderr
        if fault:
            assert done.returncode == KILLED, (done.returncode, output)
            assert self.marker.read_text(encoding="utf-8").split()[0] == fault, output
            wait_for_other_sessions_to_end()
        else:
            assert done.returncode == 0, output
            assert not self.marker.exists()
        return output

    def serve(self, *, fault: str | None = None, skip: int = 0) -> Server:
        """Start ``hemei serve`` on a free port and wait until it answers."""
        self.marker.unlink(missing_ok=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(
            [sys.executable, "-m", "hemei", "serve", "--port", str(port)],
            cwd=ROOT,
            env=self.env(fault, skip),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = Server(process, port)
        deadline = time.monotonic() + 120  # a bound, not a timing assumption
        while True:
            assert process.poll() is None, "the server ended before answering"
            try:
                if server.request("GET", "/accounts/login/")[0] == 200:
                    return server
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not answer within 2 minutes"
            time.sleep(0.2)

    def mails(self) -> Counter[tuple[str, str]]:
        """How many messages went to each (address, subject)."""
        sent: Counter[tuple[str, str]] = Counter()
        if not self.outbox.exists():
            return sent
        for path in sorted(self.outbox.iterdir()):
            for part in path.read_text(encoding="utf-8").split("\n" + "-" * 79 + "\n"):
                if not part.strip():
                    continue
                message = email.message_from_string(part.lstrip("\n"))
                subject = str(make_header(decode_header(message["Subject"])))
                sent[(message["To"], subject)] += 1
        return sent


#: A CSRF secret the tests send as cookie and header (Django compares the two).
CSRF = "f" * 32


class Server:
    """A running ``hemei serve`` child."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process, self.port = process, port

    def request(
        self,
        method: str,
        path: str,
        *,
        session: str = "",
        fields: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "Cookie": f"csrftoken={CSRF}"}
        if session:
            headers["Cookie"] += f"; sessionid={session}"
        body = b""
        if method == "POST":
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in (fields or {}).items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for name, (filename, content) in (files or {}).items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}";'
                    f' filename="{filename}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            headers["X-CSRFToken"] = CSRF
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()

    def kill(self) -> int:
        """kill -9 the server if it still runs (a multi-process server's parent); reap it."""
        if self.process.poll() is None:
            self.process.kill()
        return self.process.wait(timeout=60)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

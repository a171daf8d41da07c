"""Reads from a streaming replica: a real primary and a real replica on loopback.

The test makes two PostgreSQL clusters of its own with the server's programs (``initdb``,
``pg_basebackup``, ``pg_ctl``; as the ``postgres`` user when run as root), in streaming
replication, and runs each scenario in a process of its own with
``HEMEI_DATABASE_URL``/``HEMEI_DATABASE_REPLICA_URL`` pointing at them. Where the programs
are missing it is skipped, except in CI (``CI`` set), where that is a failure; CI runs it in
its PostgreSQL pass only (it does not use the test database, so once is enough).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import RequestFactory

from hemei.core import replica

REPO = Path(__file__).resolve().parents[3]


def _bin_dir() -> Path | None:
    """Debian keeps the server's programs out of PATH, under /usr/lib/postgresql/N/bin."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if candidates:
        return candidates[0].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Clusters:
    """A primary and its streaming replica in a temporary folder."""

    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin_dir = bin_dir
        self.root = root
        self.primary_port = _free_port()
        self.replica_port = _free_port()
        self.as_postgres = os.geteuid() == 0 if hasattr(os, "geteuid") else False

    def run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, encoding="utf-8", timeout=120)
        assert done.returncode == 0, f"{program}: {done.stdout[-2000:]} {done.stderr[-2000:]}"

    def start(self, name: str, port: int) -> None:
        self.run(
            "pg_ctl",
            "-D",
            str(self.root / name),
            "-l",
            str(self.root / f"{name}.log"),
            "-o",
            f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1",
            "-w",
            "-t",
            "90",
            "start",
        )

    def stop(self, name: str) -> None:
        self.run("pg_ctl", "-D", str(self.root / name), "-m", "immediate", "-w", "stop")

    def url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/hemei"

    def up(self) -> None:
        self.run("initdb", "-D", str(self.root / "primary"), "-U", "postgres", "-A", "trust")
        with open(self.root / "primary" / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nfsync = off\n")
        self.start("primary", self.primary_port)
        self.run(
            "createdb", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres", "hemei"
        )
        self.run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "-D",
            str(self.root / "replica"),
            "-R",
            "-X",
            "stream",
        )
        self.start("replica", self.replica_port)

    def down(self) -> None:
        for name in ("replica", "primary"):
            if (self.root / name / "postmaster.pid").exists():
                self.stop(name)


@pytest.fixture(scope="module")
def clusters() -> Iterator[Clusters]:
    if os.environ.get("CI") and not os.environ.get("HEMEI_DATABASE_URL"):
        pytest.skip("makes its own clusters once per CI run, in the PostgreSQL pass")
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL's server programs (initdb, pg_ctl) are needed in CI")
        pytest.skip("PostgreSQL's server programs are not installed")
    root = Path(tempfile.mkdtemp(prefix="hemei-replica-"))
    root.chmod(0o755)
    made = Clusters(bin_dir, root)
    if made.as_postgres:
        shutil.chown(root, "postgres", "postgres")
    try:
        made.up()
        yield made
    finally:
        made.down()
        shutil.rmtree(root, ignore_errors=True)


def scenario(clusters: Clusters, step: str, tmp_path: Path, **env: str) -> dict[str, object]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hemei.settings",
        "HEMEI_DATA_DIR": str(tmp_path),
        "HEMEI_DATABASE_URL": clusters.url(clusters.primary_port),
        "HEMEI_DATABASE_REPLICA_URL": clusters.url(clusters.replica_port),
        "HEMEI_REPLICA_CHECK_SECONDS": "0",
        "HEMEI_ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": str(REPO),
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-m", "hemei.core.tests.replica_scenarios", step],
        cwd=REPO,
        env=environment,
        capture_output=True,
        encoding="utf-8",
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_pages_read_from_the_replica_and_fall_back_when_it_lags_or_is_down(
    clusters: Clusters, tmp_path: Path
) -> None:
    assert scenario(clusters, "setup", tmp_path) == {"replica_tables": True}

    routed = scenario(clusters, "routing", tmp_path)
    # A GET page reads its rows from the replica, not the primary.
    assert routed["read"] == {"status": 200, "primary": False, "replica": True, "pinned": False}
    # A POST pins the browser to the primary: the next page reads what was just written.
    assert routed["post_status"] == 302
    assert routed["after_write"] == {
        "status": 200,
        "primary": True,
        "replica": False,
        "pinned": False,
    }

    lagging = scenario(clusters, "lag", tmp_path, HEMEI_REPLICA_MAX_LAG_SECONDS="0")
    # Replay paused with a write received but not applied: the page reads the primary.
    assert lagging["behind"] == {"status": 200, "primary": True, "replica": False, "pinned": False}
    assert isinstance(lagging["lag"], float) and lagging["lag"] > 0
    # Replay resumed and caught up: back on the replica.
    assert lagging["caught_up"] == {
        "status": 200,
        "primary": False,
        "replica": True,
        "pinned": False,
    }

    clusters.stop("replica")
    gone = scenario(clusters, "down", tmp_path)
    # The replica does not answer: the page still works, from the primary.
    assert gone["down"] == {"status": 200, "primary": True, "replica": False, "pinned": False}
    assert "does not answer" in str(gone["reason"])


def test_without_a_replica_every_read_goes_to_the_primary(rf: RequestFactory) -> None:
    router = replica.ReplicaRouter()
    assert not replica.configured()
    with replica.reading_replica():
        assert router.db_for_read(object) == "default"
    assert router.db_for_write(object) == "default"
    assert router.allow_migrate("default", "tasks") is True
    assert router.allow_migrate("replica", "tasks") is False

"""Operations: the production server (several processes, graceful restart) and backups that
restore. Each test runs the real ``hemei`` commands in subprocesses against its own data
directory; waits are bounded polls, never sleeps sized to the machine's speed."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.utils import timezone

from hemei.core import backup

ROOT = Path(__file__).resolve().parents[2]
HEMEI = [sys.executable, "-m", "hemei"]
#: Generous bounds on a loaded, shared machine; a poll ends as soon as its condition holds.
START_BOUND = 240.0
STOP_BOUND = 120.0


def environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    for name in ("HEMEI_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "HEMEI_DATA_DIR"):
        if name not in extra:
            env.pop(name, None)
    return env


def hemei(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HEMEI, *args],
        capture_output=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env or environment(),
        timeout=900,
    )


def _poll(check: Callable[[], Any], bound: float, what: str) -> Any:
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what} after {bound:.0f} s")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state[state.rindex(")") + 2] not in "ZX"


# ---------------------------------------------------------------------------------------
# The server


def _booted(log: Path) -> list[int]:
    return [
        int(pid)
        for pid in re.findall(r"Booting worker with pid: (\d+)", log.read_text(encoding="utf-8"))
    ]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="gunicorn needs fork (waitress elsewhere)")
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_serve_runs_several_processes_restarts_on_sighup_and_drains_on_sigterm(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    migrated = hemei("migrate", "--data-dir", str(data))
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    out, err = tmp_path / "access.log", tmp_path / "server.log"
    with out.open("w", encoding="utf-8") as stdout, err.open("w", encoding="utf-8") as stderr:
        server = subprocess.Popen(
            [
                *HEMEI,
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "2",
                "--data-dir",
                str(data),
            ],
            stdout=stdout,
            stderr=stderr,
            cwd=ROOT,
            env=environment(),
        )
    try:

        def login_page() -> tuple[int, dict[str, str], bytes] | None:
            if server.poll() is not None:
                pytest.fail(
                    f"the server exited {server.returncode}: {err.read_text(encoding='utf-8')}"
                )
            try:
                answer = _get(f"{base}/accounts/login/")
            except OSError:
                return None
            return answer if answer[0] == 200 else None

        status, _headers, body = _poll(login_page, START_BOUND, "the login page")
        page = body.decode()
        assert "csrfmiddlewaretoken" in page
        first = _poll(lambda: len(_booted(err)) >= 2 and _booted(err), 30, "two workers")
        assert len(first) == 2 and all(_alive(pid) for pid in first)

        # A static file by its content-hashed name: gzipped, cached for a year, immutable.
        css = re.search(r'href="(/static/hemei/site\.[0-9a-f]{12}\.css)"', page)
        assert css, "the page names the hashed stylesheet"
        status, headers, body = _get(base + css.group(1), **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert b"body" in gzip.decompress(body)
        cache = headers["Cache-Control"]
        assert "immutable" in cache and "public" in cache
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600
        status, headers, _ = _get(f"{base}/static/hemei/site.css")  # the plain name still works
        assert status == 200 and "immutable" not in headers.get("Cache-Control", "")

        # SIGHUP: new workers, the old ones retire; every request meanwhile is answered.
        server.send_signal(signal.SIGHUP)
        answers: list[int] = []

        def restarted() -> list[int] | None:
            answers.append(_get(f"{base}/accounts/login/")[0])
            new = [pid for pid in _booted(err) if pid not in first]
            done = len(new) >= 2 and all(_alive(pid) for pid in new)
            return new if done and not any(_alive(pid) for pid in first) else None

        second = _poll(restarted, START_BOUND, "new workers after SIGHUP")
        for _ in range(5):
            answers.append(_get(f"{base}/accounts/login/")[0])
        assert set(answers) == {200}, answers
        assert set(second).isdisjoint(first)

        # every process warms up before its first connection (hemei.core.warmup)
        def warmed() -> bool:
            log = err.read_text(encoding="utf-8")
            return {int(pid) for pid in re.findall(r"Worker (\d+) warmed up in", log)} >= {
                *first,
                *second,
            }

        _poll(warmed, START_BOUND, "every worker to warm up")

        # SIGTERM: stop taking connections, finish what runs, exit 0.
        server.send_signal(signal.SIGTERM)
        _poll(lambda: server.poll() is not None, STOP_BOUND, "the server to stop")
        assert server.returncode == 0, err.read_text(encoding="utf-8")
        assert not any(_alive(pid) for pid in second)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    access = out.read_text(encoding="utf-8")
    assert re.search(r'"GET /accounts/login/ HTTP/1.1" 200 \d+ \d+ms', access), access


def test_serve_refuses_a_bad_bind_and_a_taken_port(tmp_path: Path) -> None:
    bad = hemei("serve", "--bind", "nowhere", "--data-dir", str(tmp_path))
    assert bad.returncode == 2 and "HOST:PORT or unix:PATH" in bad.stderr
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = hemei("serve", "--port", str(port), "--data-dir", str(tmp_path))
    assert busy.returncode == 2 and "in use" in busy.stderr


# ---------------------------------------------------------------------------------------
# Backups


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


#: Logs in through the login form of the restored installation (Django's test client in a
#: process whose settings point at it), opens every page of each account's menu and the
#: uploaded files the pages link to, and prints what each answered.
BROWSE = r"""
import json, re, sys
from hemei.core.commands import setup_django
setup_django(None)
from django.test import Client

answers = {}
for username in sys.argv[1:]:
    client = Client()
    login = client.post("/accounts/login/", {"username": username, "password": "hemei-demo"})
    answers[f"{username} login"] = login.status_code
    home = client.get("/", follow=True)
    answers[f"{username} /"] = home.status_code
    menu = re.search(r'<nav class="menu">(.*?)</nav>', home.content.decode(), re.S)
    links = sorted(set(re.findall(r'href="(/[^"]*)"', menu.group(1) if menu else "")))
    answers[f"{username} menu"] = len(links)
    for link in links:
        page = client.get(link)
        answers[f"{username} {link}"] = page.status_code
        for upload in sorted(set(re.findall(r'href="(/[^"]*(?:photo|attachment|file)[^"]*)"', page.content.decode())))[:3]:
            answers[f"{username} {upload}"] = client.get(upload).status_code
print(json.dumps(answers))
"""


def _browse(data_dir: Path, *usernames: str, **env: str) -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, "-c", BROWSE, *usernames],
        capture_output=True,
        encoding="utf-8",
        cwd=ROOT,
        env=environment(HEMEI_DATA_DIR=str(data_dir), HEMEI_ALLOWED_HOSTS="testserver", **env),
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The demo county loaded (households with encrypted numbers, points ledgers, photos)
    and backed up: (its data directory, the backup)."""
    root = tmp_path_factory.mktemp("backup")
    source = root / "source"
    loaded = hemei("demo", "--no-serve", "--data-dir", str(source))
    assert loaded.returncode == 0, loaded.stderr
    folder = root / "backup"
    taken = hemei("backup", str(folder), "--data-dir", str(source))
    assert taken.returncode == 0, taken.stderr
    assert "Backed up the sqlite database" in taken.stdout
    yield source, folder
    shutil.rmtree(root, ignore_errors=True)


def test_a_backup_lists_every_file_with_its_checksum(demo_backup: tuple[Path, Path]) -> None:
    source, folder = demo_backup
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == 1 and manifest["engine"] == "sqlite"
    assert manifest["database"] == "database.sqlite3" and manifest["field_key"] is True
    assert "0001_initial" in manifest["migrations"]["points"]
    assert dt.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {name: digest for name, digest in _digests(folder).items() if name != "manifest.json"}
    assert set(listed) == set(on_disk)
    assert all(listed[name]["sha256"] == digest for name, digest in on_disk.items())
    media = {f"media/{name}": digest for name, digest in _digests(source / "media").items()}
    assert media and {name: on_disk[name] for name in media} == media
    assert (folder / "field_key").read_text(encoding="utf-8").strip() == (
        source / "field_key"
    ).read_text(encoding="utf-8").strip()
    assert (folder / "field_key").stat().st_mode & 0o077 == 0
    refused = hemei("backup", str(folder), "--data-dir", str(source))
    assert refused.returncode == 2 and "is not empty" in refused.stderr


def test_a_restored_backup_serves_every_page_and_its_ledgers_verify(
    demo_backup: tuple[Path, Path], tmp_path: Path
) -> None:
    source, folder = demo_backup
    target = tmp_path / "restored"
    restored = hemei("restore", str(folder), "--data-dir", str(target))
    assert restored.returncode == 0, restored.stderr
    assert "Restored the backup of" in restored.stdout
    # The keys and every uploaded file came back byte for byte.
    assert _digests(target / "media") == _digests(source / "media")
    assert (target / "field_key").read_text(encoding="utf-8").strip() == (
        source / "field_key"
    ).read_text(encoding="utf-8")

    verified = hemei("points", "verify", env=environment(HEMEI_DATA_DIR=str(target)))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("OK:") and " 0 entries" not in verified.stdout

    answers = _browse(target, "admin", "tianheng", "honghuashan", "villager")
    for username in ("admin", "tianheng", "honghuashan", "villager"):
        assert answers[f"{username} login"] == 302, answers
        assert answers[f"{username} menu"] >= 3, answers
    failures = {
        page: status
        for page, status in answers.items()
        if not page.endswith(" menu") and not 200 <= status < 400
    }
    assert not failures, failures
    # Identity numbers decrypt with the restored key: the household pages opened above
    # would have failed otherwise; the same pages answer on the original too.
    assert _browse(source, "honghuashan") == {
        key: value for key, value in answers.items() if key.startswith("honghuashan ")
    }

    again = hemei("restore", str(folder), "--data-dir", str(target))
    assert again.returncode == 2
    assert "the target is not empty" in again.stderr and "--force" in again.stderr
    forced = hemei("restore", str(folder), "--force", "--data-dir", str(target))
    assert forced.returncode == 0, forced.stderr

    # The worker's nightly backup of the restored copy, its day's folder beside an old one.
    nightly = tmp_path / "nightly"
    (nightly / "2020-01-01").mkdir(parents=True)
    worker = hemei(
        "worker",
        "--batch",
        env=environment(
            HEMEI_DATA_DIR=str(target),
            HEMEI_BACKUP_DIR=str(nightly),
            HEMEI_BACKUP_HOUR="0",
            HEMEI_BACKUP_KEEP="1",
        ),
    )
    assert worker.returncode == 0, worker.stderr
    (tonight,) = nightly.iterdir()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", tonight.name) and tonight.name > "2020-01-01"
    assert backup.read_verified(tonight)["engine"] == "sqlite"
    assert f"backup {tonight}" in worker.stdout


def _copy(folder: Path, into: Path) -> Path:
    shutil.copytree(folder, into)
    return into


def test_a_tampered_backup_is_refused_before_anything_is_restored(
    demo_backup: tuple[Path, Path], tmp_path: Path
) -> None:
    _source, folder = demo_backup
    target = tmp_path / "target"

    changed = _copy(folder, tmp_path / "changed-database")
    with (changed / "database.sqlite3").open("r+b") as database:
        database.seek(4096)
        byte = database.read(1)
        database.seek(4096)
        database.write(bytes([byte[0] ^ 0xFF]))
    refused = hemei("restore", str(changed), "--data-dir", str(target))
    assert refused.returncode == 2
    assert "does not match its manifest" in refused.stderr
    assert "database.sqlite3 does not match its checksum" in refused.stderr

    edited = _copy(folder, tmp_path / "edited-manifest")
    manifest = json.loads((edited / "manifest.json").read_text(encoding="utf-8"))
    photo = next(entry for entry in manifest["files"] if entry["path"].startswith("media/"))
    photo["sha256"] = "0" * 64
    (edited / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    refused = hemei("restore", str(edited), "--data-dir", str(target))
    assert refused.returncode == 2 and f"{photo['path']} does not match" in refused.stderr

    escaping = _copy(folder, tmp_path / "escaping-manifest")
    manifest = json.loads((escaping / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][-1]["path"] = "../../etc/passwd"
    (escaping / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    refused = hemei("restore", str(escaping), "--data-dir", str(target))
    assert refused.returncode == 2 and "outside the backup" in refused.stderr

    broken = _copy(folder, tmp_path / "broken-manifest")
    (broken / "manifest.json").write_text('{"format": 1, "files": [', encoding="utf-8")
    refused = hemei("restore", str(broken), "--data-dir", str(target))
    assert refused.returncode == 2 and "cannot be read" in refused.stderr

    unfinished = _copy(folder, tmp_path / "unfinished")
    (unfinished / "manifest.json").unlink()
    refused = hemei("restore", str(unfinished), "--data-dir", str(target))
    assert refused.returncode == 2 and "unfinished" in refused.stderr

    other_key = hemei(
        "restore",
        str(folder),
        "--data-dir",
        str(target),
        env=environment(HEMEI_FIELD_KEY="x" * 43 + "="),
    )
    assert other_key.returncode == 2 and "HEMEI_FIELD_KEY is not the key" in other_key.stderr
    # Nothing was written into the target by any of these.
    assert not (target / "hemei.sqlite3").exists() and not (target / "media").exists()
    assert "Traceback" not in refused.stderr + other_key.stderr


@pytest.mark.django_db(transaction=True)
def test_the_worker_takes_one_backup_a_night_and_keeps_the_newest(tmp_path: Path) -> None:
    root = tmp_path / "nightly"
    tz = timezone.get_current_timezone()
    taken = []
    for day in range(1, 5):
        before = dt.datetime(2026, 12, day, 1, 30, tzinfo=tz)
        assert backup.nightly(root, keep=2, hour=2, now=before) is None
        after = dt.datetime(2026, 12, day, 2, 10, tzinfo=tz)
        taken.append(backup.nightly(root, keep=2, hour=2, now=after))
        assert backup.nightly(root, keep=2, hour=2, now=after.replace(hour=23)) is None
    assert [path.name for path in taken] == [f"2026-12-0{day}" for day in range(1, 5)]
    assert sorted(path.name for path in root.iterdir()) == ["2026-12-03", "2026-12-04"]
    manifest = backup.read_verified(root / "2026-12-04")
    assert manifest["created_at"].startswith("2026-12-04T02:10")
    # A day another worker has started (its working folder is there) is left to it.
    (root / ".2026-12-05.partial").mkdir()
    late = dt.datetime(2026, 12, 5, 3, 0, tzinfo=tz)
    assert backup.nightly(root, keep=2, hour=2, now=late) is None
    assert not (root / "2026-12-05").exists()


# ---------------------------------------------------------------------------------------
# PostgreSQL: pg_dump and pg_restore between two scratch databases


def _postgres_url() -> str | None:
    for name in ("HEMEI_TEST_DATABASE_URL", "HEMEI_DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return None


@pytest.fixture
def scratch_databases() -> Iterator[tuple[str, str]]:
    url = _postgres_url()
    if not url:
        pytest.skip("PostgreSQL not configured (HEMEI_TEST_DATABASE_URL)")
    import psycopg

    parts = urlsplit(url)
    names = [f"hemei_backup_test_{uuid.uuid4().hex[:8]}_{side}" for side in ("a", "b")]
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(urlunsplit(parts._replace(path=f"/{name}")) for name in names)  # type: ignore[misc]
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


LOAD_DEMO = """
from hemei.core.commands import setup_django
setup_django(None)
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from hemei import demo
assert demo.load_demo()
"""


@pytest.mark.postgres
def test_a_postgresql_backup_restores_into_an_empty_database(
    scratch_databases: tuple[str, str], tmp_path: Path
) -> None:
    first, second = scratch_databases
    source, target, folder = tmp_path / "source", tmp_path / "target", tmp_path / "backup"
    on_first = environment(HEMEI_DATABASE_URL=first, HEMEI_DATA_DIR=str(source))
    on_second = environment(HEMEI_DATABASE_URL=second, HEMEI_DATA_DIR=str(target))
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_DEMO], capture_output=True, encoding="utf-8", cwd=ROOT,
        env=on_first, timeout=900,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    taken = hemei("backup", str(folder), env=on_first)
    assert taken.returncode == 0, taken.stderr
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "postgresql" and (folder / "database.dump").exists()
    assert (folder / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    refused = hemei("restore", str(folder), env=on_first)
    assert refused.returncode == 2 and "the target is not empty" in refused.stderr
    restored = hemei("restore", str(folder), env=on_second)
    assert restored.returncode == 0, restored.stderr
    verified = hemei("points", "verify", env=on_second)
    assert verified.returncode == 0 and verified.stdout.startswith("OK:"), verified.stdout
    assert _digests(target / "media") == _digests(source / "media")
    answers = _browse(target, "admin", "honghuashan", HEMEI_DATABASE_URL=second)
    failures = {
        page: status
        for page, status in answers.items()
        if not page.endswith(" menu") and not 200 <= status < 400
    }
    assert answers["admin login"] == 302 and not failures, answers

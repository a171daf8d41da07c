"""The production web server behind ``hemei serve``.

On Linux and other systems that can fork, gunicorn runs a master process and several worker
processes, each with a few threads (the ``gthread`` worker): the pages are rendered by Python,
which runs one thread at a time per process, so only several processes use several cores.
Where fork is unavailable (Windows) waitress serves from one process with threads.

Sizing: ``2 × cores + 1`` processes by default (gunicorn's own advice): while one process
waits on the database another renders, and the extra one covers the requests that arrive
while a process is busy. Each process has 2 threads by default, so a slow client or a long
export does not hold a whole process. ``--workers``/``HEMEI_WORKERS`` and
``--threads``/``HEMEI_THREADS`` override both; memory is the limit (≈ 100–150 MB a process).

The master never imports Django: each worker starts it afresh, so ``kill -HUP`` on the master
starts new workers with the code and settings now on disk and retires the old ones after
their requests (no request is dropped, the listening socket stays open). A new worker warms
up (``hemei.core.warmup``: URLs, templates, translations, the search dictionary) before it
takes a connection, so no visitor waits for a cold process; ``kill -TERM``
stops taking connections, lets the running requests finish (``--graceful-timeout``) and
exits 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: One access-log line: client, time, request line, status, bytes, milliseconds, user agent.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def can_fork() -> bool:
    return hasattr(os, "fork") and os.name != "nt"


def cores() -> int:
    """The cores this process may run on (a container's or taskset's limit included)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    return 2 * cores() + 1


def prepare_environment(data_dir: Path) -> None:
    """What the server's processes share, set before any of them reads the settings: the
    data directory, the collected static files (hashed and compressed copies, served by
    WhiteNoise with a year's caching) and a cache on disk that every process sees (the
    public board's rate limit counts across processes)."""
    os.environ["HEMEI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemei.settings")
    os.environ.setdefault("HEMEI_STATIC_ROOT", str(data_dir / "static"))
    os.environ["HEMEI_STATIC_COLLECTED"] = "true"
    os.environ.setdefault("HEMEI_CACHE_DIR", str(data_dir / "cache"))


def collect_static() -> None:
    """Copy the static files into ``HEMEI_STATIC_ROOT`` with content-hashed names and
    gzip copies; unchanged files are skipped. A child process, so that this process (the
    server's master) never imports Django."""
    result = subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise RuntimeError("collecting the static files failed: " + (lines[-1] if lines else "?"))


def gunicorn_options(
    *,
    bind: Sequence[str],
    workers: int,
    threads: int,
    access_log: str,
    timeout: int,
    graceful_timeout: int,
) -> dict[str, Any]:
    return {
        "bind": list(bind),
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": access_log or None,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "loglevel": "info",
        "timeout": timeout,
        "graceful_timeout": graceful_timeout,
        "keepalive": 5,
        # A worker is replaced after this many requests, so a slow leak cannot grow forever;
        # the jitter keeps the workers from being replaced all at once.
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "proc_name": "hemei",
        # The workers' heartbeat files in memory, not on a disk that may stall.
        "worker_tmp_dir": "/dev/shm" if Path("/dev/shm").is_dir() else None,
        # Signals are the interface (HUP, TERM, TTIN/TTOU); no control socket in $HOME.
        "control_socket_disable": True,
        # On HUP the new code's pages may name static files the old collection lacks.
        "on_reload": _collect_again,
        # Each new process loads templates, URLs and the search dictionary before it takes
        # its first connection (hemei.core.warmup), not while a visitor waits.
        "post_worker_init": _warm_worker,
    }


def _warm_worker(worker: Any) -> None:
    from hemei.core.warmup import warm_up

    spent = warm_up()
    worker.log.info("Worker %s warmed up in %.2f s: %s", worker.pid, sum(spent.values()), spent)


def _collect_again(arbiter: Any) -> None:
    try:
        collect_static()
    except RuntimeError as exc:
        arbiter.log.error("%s; the new processes serve the files collected before", exc)


def run_gunicorn(options: dict[str, Any]) -> None:
    """Run gunicorn's master in this process until SIGTERM/SIGINT (returns by SystemExit)."""
    from gunicorn.app.base import BaseApplication

    class HemeiApplication(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            from hemei.wsgi import application

            return application

    HemeiApplication().run()


def run_waitress(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from hemei.core.warmup import warm_up
    from hemei.wsgi import application

    warm_up()
    serve(application, host=host, port=port, threads=threads, ident="hemei")

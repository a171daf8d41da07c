"""Hemei runs on Windows: the checks that need no Windows machine.

There is no Windows runner, so what would break there is looked for here, on any system:
file names Windows refuses, text files opened without an encoding (Windows' default is the
locale's code page, GBK on a Chinese system, not UTF-8), calls and modules that exist only on
POSIX systems outside a platform guard; then the server and the worker the first README
command starts, with the platform patched to Windows, and a real ``hemei serve`` in a process
without ``fork``. Each source check reports file:line, so a violation added later fails here
with its place.
"""

from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hemei import cli
from hemei.core import server

ROOT = Path(__file__).resolve().parents[2]

#: Characters a Windows file name may not hold, and names it reserves for devices.
ILLEGAL_CHARACTERS = re.compile(r'[<>:"|?*\\\x00-\x1f]')
RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in range(10)
}

#: Modules that exist only on POSIX systems.
POSIX_MODULES = {
    "crypt",
    "curses",
    "fcntl",
    "grp",
    "nis",
    "posix",
    "pty",
    "pwd",
    "readline",
    "resource",
    "spwd",
    "syslog",
    "termios",
    "tty",
}
#: ``os`` functions and constants that exist only on POSIX systems.
POSIX_OS = {
    "WNOHANG",
    "chown",
    "fchown",
    "fork",
    "forkpty",
    "getegid",
    "geteuid",
    "getgid",
    "getgroups",
    "getloadavg",
    "getpgid",
    "getpgrp",
    "getuid",
    "killpg",
    "lchown",
    "mkfifo",
    "nice",
    "sched_getaffinity",
    "setpgrp",
    "setsid",
    "statvfs",
    "sync",
    "sysconf",
    "uname",
    "wait3",
    "wait4",
}
#: What the ``signal`` module has on Windows; any other name is POSIX-only.
WINDOWS_SIGNAL = {
    "CTRL_BREAK_EVENT",
    "CTRL_C_EVENT",
    "Handlers",
    "NSIG",
    "SIGABRT",
    "SIGBREAK",
    "SIGFPE",
    "SIGILL",
    "SIGINT",
    "SIGSEGV",
    "SIGTERM",
    "SIG_DFL",
    "SIG_IGN",
    "Signals",
    "default_int_handler",
    "getsignal",
    "raise_signal",
    "set_wakeup_fd",
    "signal",
    "strsignal",
    "valid_signals",
}
#: What makes a test a platform guard: ``hasattr``/``getattr`` (does this platform have
#: it?), ``sys.platform``, ``os.name``, ``platform.system()``, ``can_fork()``, or a name
#: saying so (``ON_WINDOWS``, ``posix_only``).
GUARD_CALLS = {"hasattr", "getattr", "can_fork"}
GUARD_ATTRIBUTES = {("sys", "platform"), ("os", "name"), ("platform", "system")}
GUARD_WORDS = re.compile(r"posix|windows|win32", re.IGNORECASE)
#: Folders whose code may use POSIX-only calls unguarded: the benchmarks report the load
#: average and the peak memory, figures taken on Linux (their text files need an encoding
#: all the same).
POSIX_ONLY_FOLDERS = {"benchmarks"}
#: The temporary-file constructors whose first argument is the mode.
TEMPFILES = {"NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"}


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}: {self.what}"


def tracked_files() -> list[str]:
    """The repository's file names as git stores them, '/'-separated."""
    done = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("not a git checkout (an installed copy): no tracked files to check")
    return [name for name in done.stdout.decode("utf-8").split("\0") if name]


def windows_name_problems(names: list[str]) -> list[str]:
    """Names Windows refuses, and names that differ only in case (one file there)."""
    problems = []
    seen: dict[str, str] = {}
    for name in names:
        parts = name.split("/")
        for index, part in enumerate(parts):
            if ILLEGAL_CHARACTERS.search(part):
                problems.append(f"{name}: {part!r} holds a character Windows refuses")
            elif part.endswith((".", " ")):
                problems.append(f"{name}: {part!r} ends with a dot or a space")
            elif part.split(".")[0].upper() in RESERVED_NAMES:
                problems.append(f"{name}: {part!r} is a device name on Windows")
            prefix = "/".join(parts[: index + 1])
            other = seen.setdefault(prefix.lower(), prefix)
            if other != prefix:
                problems.append(f"{name}: {prefix!r} and {other!r} differ only in case")
    return sorted(set(problems))


def python_sources() -> list[Path]:
    folders = [ROOT / "hemei", ROOT / "benchmarks", ROOT / "scripts"]
    return sorted(
        path
        for folder in folders
        if folder.is_dir()
        for path in folder.rglob("*.py")
        if "migrations" not in path.parts
    )


def _names(node: ast.AST) -> set[str]:
    found = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            found.add(inner.id)
        elif isinstance(inner, ast.Attribute):
            found.add(inner.attr)
    return found


def _is_guard(test: ast.AST) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Call) and _call_name(node)[1] in GUARD_CALLS:
            return True
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in GUARD_ATTRIBUTES
        ):
            return True
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if isinstance(name, str) and GUARD_WORDS.search(name):
            return True
    return False


def _guarding_decorator(decorator: ast.AST) -> bool:
    """``@pytest.mark.skipif(<platform test>, ...)`` or a decorator named ``*posix*``."""
    if isinstance(decorator, ast.Call):
        if "skipif" in _names(decorator.func) and decorator.args:
            return _is_guard(decorator.args[0])
        decorator = decorator.func
    return any("posix" in name.lower() for name in _names(decorator))


def _module_skipped(tree: ast.Module) -> bool:
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in statement.targets)
            and _guarding_decorator(statement.value)
        ):
            return True
    return False


def _catches_import_error(handlers: list[ast.ExceptHandler]) -> bool:
    return any(
        handler.type is None or {"ImportError", "ModuleNotFoundError"} & _names(handler.type)
        for handler in handlers
    )


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _text_mode(mode: ast.expr | None) -> bool:
    """A mode argument that opens text: absent, or a literal without ``b``. A computed
    mode counts as text: spell a binary mode out."""
    if mode is None:
        return True
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return "b" not in mode.value
    return True


def _call_name(call: ast.Call) -> tuple[str | None, str]:
    """(receiver name or None, called name) of ``name(...)`` or ``x.name(...)``."""
    func = call.func
    if isinstance(func, ast.Name):
        return None, func.id
    if isinstance(func, ast.Attribute):
        receiver = func.value
        if isinstance(receiver, ast.Name):
            return receiver.id, func.attr
        return "", func.attr
    return None, ""


#: Where the encoding stands when it is passed by position.
ENCODING_POSITION = {"open": 3, "read_text": 0, "write_text": 1, "TextIOWrapper": 1}


def _text_without_encoding(call: ast.Call) -> str | None:
    receiver, name = _call_name(call)
    if _keyword(call, "encoding") is not None:
        return None
    position = ENCODING_POSITION.get(name)
    if name == "open" and receiver not in (None, "io", "codecs", "gzip", "bz2", "lzma"):
        position = 2  # Path.open(mode, buffering, encoding)
    if position is not None and len(call.args) > position:
        return None
    if name == "open" and receiver in (None, "io", "codecs", "gzip", "bz2", "lzma"):
        mode = call.args[1] if len(call.args) > 1 else _keyword(call, "mode")
        if _text_mode(mode):
            return "open() of text without encoding="
    elif name == "open" and receiver is not None:
        # Path.open(mode): only a literal mode as the first argument marks it a Path's
        # (ZipFile.open, Image.open, storage.open take a name first).
        mode = call.args[0] if call.args else _keyword(call, "mode")
        if (
            isinstance(mode, ast.Constant)
            and isinstance(mode.value, str)
            and re.fullmatch(r"[rwax+t]+", mode.value)
        ):
            return f".open({mode.value!r}) of text without encoding="
    elif name == "TextIOWrapper":
        return "TextIOWrapper() without encoding="
    elif name in ("read_text", "write_text"):
        return f".{name}() without encoding="
    elif name in TEMPFILES:
        mode = call.args[0] if call.args else _keyword(call, "mode")
        if mode is not None and _text_mode(mode):
            return f"{name}() in text mode without encoding="
    elif name in ("run", "Popen", "check_output", "check_call", "call") and receiver == (
        "subprocess"
    ):
        for flag in ("text", "universal_newlines"):
            value = _keyword(call, flag)
            if isinstance(value, ast.Constant) and value.value:
                return f"subprocess.{name}({flag}=True) without encoding="
    return None


def _posix_only(node: ast.AST) -> str | None:
    if isinstance(node, ast.Import | ast.ImportFrom):
        modules = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
        )
        for module in modules:
            if module.split(".")[0] in POSIX_MODULES:
                return f"import of the POSIX-only module {module}"
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id == "os" and node.attr in POSIX_OS:
            return f"os.{node.attr} (POSIX only)"
        if node.value.id == "signal" and node.attr not in WINDOWS_SIGNAL:
            return f"signal.{node.attr} (not on Windows)"
    elif isinstance(node, ast.Call):
        name = _call_name(node)[1]
        if name == "get_context" and node.args:
            method = node.args[0]
            if isinstance(method, ast.Constant) and method.value in ("fork", "forkserver"):
                return f"multiprocessing start method {method.value!r} (no fork on Windows)"
        if _keyword(node, "preexec_fn") is not None:
            return "preexec_fn= (refused on Windows)"
    return None


def scan(path: Path) -> Iterator[Finding]:
    """The Windows problems in one Python file, with their lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    relative = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    guarded_module = _module_skipped(tree) or relative.parts[0] in POSIX_ONLY_FOLDERS

    def visit(node: ast.AST, guarded: bool) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            problem = _text_without_encoding(node)
            if problem:
                yield Finding(path, node.lineno, problem)
        if not guarded:
            problem = _posix_only(node)
            if problem:
                yield Finding(path, node.lineno, problem)
        if (isinstance(node, ast.If | ast.IfExp | ast.While) and _is_guard(node.test)) or (
            isinstance(node, ast.BoolOp) and any(_is_guard(v) for v in node.values)
        ):
            guarded = True
        elif isinstance(node, ast.Try) and _catches_import_error(node.handlers):
            for child in node.body:
                yield from visit(child, True)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                yield from visit(child, guarded)
            return
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and any(
            _guarding_decorator(d) for d in node.decorator_list
        ):
            guarded = True
        for child in ast.iter_child_nodes(node):
            yield from visit(child, guarded)

    yield from visit(tree, guarded_module)


def scan_source(source: str, tmp_path: Path) -> list[str]:
    """The findings in a snippet, as ``line: what``."""
    path = tmp_path / "snippet.py"
    path.write_text(source, encoding="utf-8")
    return [f"{finding.line}: {finding.what}" for finding in scan(path)]


# --- file names -------------------------------------------------------------------------


def test_it_has_no_file_name_windows_refuses_or_confuses():
    assert windows_name_problems(tracked_files()) == []


def test_it_finds_bad_file_names():
    problems = windows_name_problems(
        ["docs/a:b.md", "docs/notes.", "hemei/aux.py", "Docs/x.md", "docs/y.md", "ok/fine.txt"]
    )
    assert problems == [
        "Docs/x.md: 'Docs' and 'docs' differ only in case",
        "docs/a:b.md: 'a:b.md' holds a character Windows refuses",
        "docs/notes.: 'notes.' ends with a dot or a space",
        "hemei/aux.py: 'aux.py' is a device name on Windows",
    ]


# --- the source -------------------------------------------------------------------------


def test_the_source_opens_text_with_an_encoding_and_guards_posix_only_calls():
    findings = [str(f) for path in python_sources() for f in scan(path)]
    assert findings == [], "\n" + "\n".join(findings)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("open('a')", ["1: open() of text without encoding="]),
        ("open('a', 'w')", ["1: open() of text without encoding="]),
        ("open('a', 'rb')", []),
        ("gzip.open(p, 'rt')", ["1: open() of text without encoding="]),
        ("io.TextIOWrapper(raw)", ["1: TextIOWrapper() without encoding="]),
        ("open('a', encoding='utf-8')", []),
        ("p.read_text()", ["1: .read_text() without encoding="]),
        ("p.read_text('utf-8')", []),
        ("p.write_text(text)", ["1: .write_text() without encoding="]),
        ("p.write_text(text, 'utf-8')", []),
        ("open('a', 'w', -1, 'utf-8')", []),
        ("p.write_text('x', encoding='utf-8')", []),
        ("p.open('w')", ["1: .open('w') of text without encoding="]),
        ("zf.open('word/document.xml')", []),
        (
            "tempfile.NamedTemporaryFile('w')",
            ["1: NamedTemporaryFile() in text mode without encoding="],
        ),
        ("tempfile.NamedTemporaryFile()", []),
        ("subprocess.run(['x'], text=True)", ["1: subprocess.run(text=True) without encoding="]),
        ("os.fork()", ["1: os.fork (POSIX only)"]),
        ("import fcntl", ["1: import of the POSIX-only module fcntl"]),
        ("try:\n    import fcntl\nexcept ImportError:\n    fcntl = None", []),
        ("os.kill(1, signal.SIGKILL)", ["1: signal.SIGKILL (not on Windows)"]),
        ("signal.signal(signal.SIGTERM, f)", []),
        ("if hasattr(signal, 'SIGHUP'):\n    signal.signal(signal.SIGHUP, f)", []),
        ("x = os.getloadavg() if hasattr(os, 'getloadavg') else None", []),
        ("if sys.platform != 'win32':\n    import resource", []),
        ("if name == 'x':\n    os.fork()", ["2: os.fork (POSIX only)"]),
        ("if ON_POSIX:\n    os.fork()", []),
        (
            "multiprocessing.get_context('fork')",
            ["1: multiprocessing start method 'fork' (no fork on Windows)"],
        ),
        ("multiprocessing.get_context('spawn')", []),
        (
            "@pytest.mark.skipif(not hasattr(signal, 'SIGKILL'), reason='')\n"
            "def test_x():\n    os.kill(1, signal.SIGKILL)",
            [],
        ),
        (
            "pytestmark = pytest.mark.skipif(sys.platform == 'win32', reason='')\n"
            "os.kill(1, signal.SIGHUP)",
            [],
        ),
    ],
)
def test_the_scanner_finds_what_breaks_on_windows(source, expected, tmp_path):
    assert scan_source(source, tmp_path) == expected


# --- server and worker ------------------------------------------------------------------


@pytest.fixture
def on_windows(monkeypatch):
    """This process as Windows shows it to Python: ``win32`` and no fork. (``os.name``
    stays: pathlib would make Windows paths with it.)"""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delattr(os, "fork", raising=False)


def test_it_serves_with_waitress_on_windows(on_windows, monkeypatch, tmp_path):
    assert not server.can_fork()
    served = []
    monkeypatch.setattr(cli, "_serve", lambda host, port, threads: served.append((host, port)))
    monkeypatch.setattr(cli, "_setup", lambda data_dir: None)
    monkeypatch.setattr(
        server, "run_gunicorn", lambda options: pytest.fail("gunicorn started on Windows")
    )
    port = _free_port()
    assert cli.main(["serve", "--port", str(port), "--data-dir", str(tmp_path)]) == 0
    assert served == [("127.0.0.1", port)]


#: ``hemei serve`` in a process whose ``os`` has no ``fork``, as on Windows.
SERVE_WITHOUT_FORK = """
import os, sys
del os.fork
from hemei.cli import main
sys.exit(main(["serve", "--port", sys.argv[1], "--data-dir", sys.argv[2]]))
"""


def test_it_serves_pages_from_a_process_that_cannot_fork(tmp_path):
    """Not only the choice: the real server starts and answers where fork is missing."""
    import time
    import urllib.error
    import urllib.request

    port = _free_port()
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    environment.pop("HEMEI_DATABASE_URL", None)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    child = subprocess.Popen(
        [sys.executable, "-c", SERVE_WITHOUT_FORK, str(port), str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        encoding="utf-8",
        cwd=ROOT,
        env=environment,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == (
            f"Hemei is serving at http://127.0.0.1:{port}/ (waitress)"
        )
        deadline = time.monotonic() + 120
        while True:  # the socket is bound just after that line
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=10
                ) as page:
                    assert page.status == 200
                    break
            except urllib.error.URLError as exc:
                if not isinstance(exc.reason, ConnectionRefusedError):
                    raise
                assert child.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        child.kill()
        child.wait()
        child.stdout.close()


def test_the_demo_starts_its_worker_without_fork(on_windows, monkeypatch, tmp_path):
    """The worker is a new interpreter (``python -m hemei worker``), which Windows can start,
    not a forked copy of this process."""
    started = []

    class Popen:
        def __init__(self, args, **options):
            assert "preexec_fn" not in options and not options.get("start_new_session")
            started.append(args)

    monkeypatch.setattr(subprocess, "Popen", Popen)
    cli._start_worker(tmp_path)
    assert started == [[sys.executable, "-m", "hemei", "worker", "--data-dir", str(tmp_path)]]


def test_the_demo_on_windows_serves_with_waitress_and_a_worker_process(
    on_windows, monkeypatch, tmp_path
):
    """The first README command's path with the platform patched: load the demo, start the
    worker as its own process, serve with waitress, stop the worker when the server ends."""
    from hemei import demo
    from hemei.core import schema_template

    steps = []

    class Worker:
        def poll(self):
            return None

        def terminate(self):
            steps.append("worker stopped")

        def wait(self, timeout=None):
            return 0

    monkeypatch.delenv("HEMEI_DATABASE_URL", raising=False)
    monkeypatch.setattr(cli, "_setup", lambda data_dir: steps.append("django"))
    monkeypatch.setattr(schema_template, "migrate_new_database", lambda cache, m: None)
    monkeypatch.setattr(demo, "load_demo", lambda: steps.append("demo data") or True)
    monkeypatch.setattr(signal, "signal", lambda sig, handler: None)
    monkeypatch.setattr(cli, "_start_worker", lambda d: steps.append("worker") or Worker())
    monkeypatch.setattr(server, "run_gunicorn", lambda options: pytest.fail("gunicorn"))
    monkeypatch.setattr(
        server, "run_waitress", lambda host, port, threads: steps.append(f"waitress {host}")
    )
    port = str(_free_port())
    assert cli.main(["demo", "--port", port, "--data-dir", str(tmp_path)]) == 0
    assert steps == [
        "django",
        "demo data",
        "worker",
        "waitress 127.0.0.1",
        "worker stopped",
    ]


def test_output_to_a_file_is_utf8_on_windows(on_windows, monkeypatch):
    class Stream:
        def __init__(self, tty):
            self.tty, self.encoding = tty, "cp1252"

        def isatty(self):
            return self.tty

        def reconfigure(self, encoding):
            self.encoding = encoding

    redirected, console = Stream(tty=False), Stream(tty=True)
    monkeypatch.setattr(sys, "stdout", redirected)
    monkeypatch.setattr(sys, "stderr", console)
    cli._utf8_output()
    assert (redirected.encoding, console.encoding) == ("utf-8", "cp1252")


def test_the_demo_stops_on_the_signals_windows_has(on_windows, monkeypatch):
    installed = {}
    monkeypatch.setattr(signal, "signal", lambda sig, handler: installed.setdefault(sig, handler))
    for name in set(dir(signal)) - WINDOWS_SIGNAL:
        if name.startswith("SIG") and not name.startswith("SIG_"):
            monkeypatch.delattr(signal, name)
    cli._stop_on_signals()
    assert signal.SIGINT in installed and signal.SIGTERM in installed


def test_points_verify_starts_no_more_helpers_than_windows_allows(on_windows, monkeypatch):
    """A process pool on Windows refuses more than 61 processes; a big machine gets 61."""
    from hemei.points import ledger

    asked = []

    class Asked(Exception):
        pass

    def helper_pool(helpers):
        asked.append(helpers)
        raise Asked

    monkeypatch.setattr(ledger, "helper_pool", helper_pool)
    with pytest.raises(Asked):
        ledger._verify_in_parallel([["370282001001"]], workers=128)
    assert asked == [ledger.WINDOWS_MAX_HELPERS] == [61]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

"""Check that every pinned dependency installs on Windows without a compiler.

    python scripts/windows_wheels.py [--extra test] [--python 3.11 3.12 3.13]

For each Python version, pip resolves the pinned dependencies (and theirs) for 64-bit
Windows, binary wheels only, without installing or downloading them (``--dry-run``; the
index's metadata files are enough). A dependency with no Windows wheel for that version fails
the resolution, and the line pip prints names it.

pip evaluates environment markers for the machine it runs on, not for ``--platform``, so a
dependency only Windows needs (Django's ``tzdata; sys_platform == "win32"``) would be left
out. The resolved packages' own requirements are read back from pip's report with Windows'
markers, and any left out are added and the resolution repeated.

Exit code 0 when every version resolves, 1 otherwise. Needs the package index (CI has it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]

#: Published only as a source archive; installs on Windows because it is pure Python (its
#: setup.py builds no extension: checked by hand on jieba-0.42.1.tar.gz).
PURE_PYTHON_SOURCES = {"jieba"}


def windows_environment(python: str) -> dict[str, str]:
    environment = dict(default_environment())
    environment.update(
        sys_platform="win32",
        platform_system="Windows",
        os_name="nt",
        platform_machine="AMD64",
        python_version=python,
        python_full_version=f"{python}.0",
        implementation_name="cpython",
        platform_python_implementation="CPython",
    )
    return environment


def pinned(extras: list[str]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def applies(requirement: Requirement, environment: dict[str, str], extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(
        requirement.marker.evaluate({**environment, "extra": extra})
        for extra in sorted(extras) or [""]
    )


def resolve(python: str, requirements: list[Requirement]) -> tuple[int, str, dict]:
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "requirements.txt"
        report = Path(folder) / "report.json"
        listing.write_text(
            "".join(f"{requirement}\n" for requirement in requirements), encoding="utf-8"
        )
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--dry-run",
                "--ignore-installed",
                "--target",
                str(Path(folder) / "target"),
                "--platform",
                "win_amd64",
                "--only-binary=:all:",
                "--python-version",
                python,
                "--report",
                str(report),
                "-r",
                str(listing),
            ],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        )
        answer = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return done.returncode, done.stderr, answer


def check(python: str, extras: list[str]) -> bool:
    environment = windows_environment(python)
    wanted = {
        canonicalize_name(requirement.name): requirement
        for requirement in pinned(extras)
        if canonicalize_name(requirement.name) not in PURE_PYTHON_SOURCES
    }
    added: set[str] = set()
    while True:
        # Windows' markers are applied here; pip sees unmarked lines.
        lines = [
            Requirement(str(r).split(";")[0])
            for r in wanted.values()
            if applies(r, environment, set(r.extras))
        ]
        code, errors, report = resolve(python, lines)
        if code != 0:
            problem = [line for line in errors.splitlines() if "ERROR" in line]
            print(f"Python {python}: no Windows wheel: {' '.join(problem) or errors[-500:]}")
            return False
        missing = {}
        resolved = {canonicalize_name(item["metadata"]["name"]) for item in report["install"]}
        for item in report["install"]:
            metadata = item["metadata"]
            extras_asked = set(item.get("requested_extras") or [])
            for line in metadata.get("requires_dist", []):
                requirement = Requirement(line)
                name = canonicalize_name(requirement.name)
                if (
                    name not in wanted
                    and name not in PURE_PYTHON_SOURCES
                    and applies(requirement, environment, extras_asked)
                    and name not in resolved
                ):
                    missing[name] = requirement
        if not missing:
            break
        wanted.update(missing)
        added.update(missing)
    files = sorted(item["download_info"]["url"].rsplit("/", 1)[-1] for item in report["install"])
    built = [name for name in files if not name.endswith(("-none-any.whl", "win_amd64.whl"))]
    if built:
        print(f"Python {python}: not Windows wheels: {', '.join(built)}")
        return False
    binary = [name for name in files if name.endswith("win_amd64.whl")]
    print(
        f"Python {python}: {len(files)} wheels for Windows ({len(binary)} compiled:"
        f" {', '.join(name.split('-')[0] for name in binary)})"
        + f"; source only, pure Python: {', '.join(sorted(PURE_PYTHON_SOURCES))}"
        + (f"; needed only on Windows: {', '.join(sorted(added))}" if added else "")
    )
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra", action="append", default=[], help="an optional extra too")
    parser.add_argument("--python", nargs="+", default=["3.11", "3.12", "3.13"])
    options = parser.parse_args()
    results = [check(python, options.extra) for python in options.python]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Run the named benchmarks (default: all) and print one JSON object of their figures."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

#: Every module in this folder with a ``run() -> dict`` is a benchmark, named by its file
#: (found by reading, not importing: ``locustfile`` patches the standard library on import).
BENCHMARKS = sorted(
    path.stem
    for path in Path(__file__).parent.glob("*.py")
    if not path.stem.startswith("_") and "\ndef run(" in path.read_text(encoding="utf-8")
)
#: Options that set a benchmark's knob: ``--users 50`` sets ``HEMEI_BENCH_USERS=50``.
KNOBS = {"--users": "HEMEI_BENCH_USERS", "--seconds": "HEMEI_BENCH_SECONDS"}


def main(argv: list[str]) -> int:
    if "--small" in argv:  # a quick check at a fraction of the sizes (benchmarks that offer it)
        os.environ["HEMEI_BENCH_SMALL"] = "1"
        argv = [arg for arg in argv if arg != "--small"]
    for option, variable in KNOBS.items():
        if option in argv:
            at = argv.index(option)
            os.environ[variable] = argv[at + 1]
            argv = argv[:at] + argv[at + 2 :]
    names = argv or BENCHMARKS
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}",
            file=sys.stderr,
        )
        return 2
    results = {name: importlib.import_module(f"benchmarks.{name}").run() for name in names}
    print(json.dumps(results, ensure_ascii=False, indent=2))
    # A benchmark that saw the platform fail (the load test: a 5xx) says so with ``ok``.
    return 1 if any(result.get("ok") is False for result in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

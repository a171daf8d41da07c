"""``hemei points …``: operator commands for governance points.

``hemei points verify [--village CODE]`` walks the ledger hash chains and checks every
balance against its ledger sum; it exits 1 naming the first broken entry of each chain.
"""

from __future__ import annotations

import argparse

from hemei.core.commands import CommandFailed, setup_django


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hemei points", description="Governance points.")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="check the ledger hash chains and the balances")
    verify.add_argument("--village", metavar="CODE", help="only this village (12 digits)")
    verify.add_argument("--data-dir", metavar="DIR", help="where the SQLite database lives")
    verify.add_argument(
        "--workers",
        metavar="N",
        type=int,
        help="processes sharing the villages (default: one per core for a large ledger)",
    )
    publish = sub.add_parser("publish", help="let entries whose public notice ended take effect")
    publish.add_argument("--data-dir", metavar="DIR", help="where the SQLite database lives")
    return parser


def main(argv: list[str]) -> int:
    options = build_parser().parse_args(argv)
    setup_django(options.data_dir)
    if options.action == "publish":
        from .services import publish_due_entries

        print(f"{publish_due_entries()} entries took effect.")
        return 0
    from hemei.divisions.models import Division

    from .ledger import verify

    code = options.village
    if code is not None and not Division.objects.filter(code=code, level=5).exists():
        raise CommandFailed(f"no village with the code {code!r}")
    if options.workers is not None and options.workers < 1:
        raise CommandFailed("--workers must be at least 1")
    report = verify(code, workers=options.workers)
    for problem in report.problems or []:
        print(f"BROKEN {problem}")
    if not report.ok:
        return 1
    print(
        f"OK: {report.villages} ledger chain(s), {report.entries} entries,"
        f" {report.balances} balances agree."
    )
    return 0

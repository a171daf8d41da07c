"""``hemei workdays …``: the platform's working-day clock on the command line.

``hemei workdays add YYYY-MM-DD N`` prints the date N working days later (N may be
negative), ``hemei workdays between A B`` the number of working days after A up to and
including B. Both count with the same code and schedule as the platform: the library's
years, and the years administrators added when the database exists (``--data-dir``,
``HEMEI_DATA_DIR`` or ``HEMEI_DATABASE_URL``). Bad input and a date beyond every known year
are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from hemei.core.commands import CommandFailed, setup_django

from . import calendar


def _date(text: str) -> dt.date:
    try:
        return calendar.parse_date(text)
    except calendar.BadDate:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hemei workdays",
        description="Working days by China's official schedule (adjusted weekends included).",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="the date N working days after DATE")
    add.add_argument("date", type=_date, metavar="DATE", help="YYYY-MM-DD")
    add.add_argument("n", type=int, metavar="N", help="working days (negative: before)")
    between = sub.add_parser("between", help="the working days after A up to and including B")
    between.add_argument("first", type=_date, metavar="A", help="YYYY-MM-DD")
    between.add_argument("last", type=_date, metavar="B", help="YYYY-MM-DD")
    for command in (add, between):
        command.add_argument("--data-dir", metavar="DIR", help="where the SQLite database lives")
    return parser


def _has_database(data_dir: str | None) -> bool:
    """Whether there is a database to read added years from (without creating one)."""
    if os.environ.get("HEMEI_DATABASE_URL"):
        return True
    folder = Path(data_dir or os.environ.get("HEMEI_DATA_DIR") or "hemei-data")
    return (folder / "hemei.sqlite3").is_file()


def schedule(data_dir: str | None) -> calendar.Schedule:
    """The platform's schedule: with the added years when the database has them."""
    if not _has_database(data_dir):
        return calendar.LIBRARY
    setup_django(data_dir)
    from django.db import connection

    from . import selectors

    if "procedures_workdayyear" not in connection.introspection.table_names():
        return calendar.LIBRARY  # a database not migrated this far has added no year
    return selectors.schedule()


def main(argv: list[str]) -> int:
    options = build_parser().parse_args(argv)
    clock = schedule(options.data_dir)
    try:
        if options.action == "add":
            print(calendar.add_workdays(options.date, options.n, clock).isoformat())
        else:
            print(calendar.workdays_between(options.first, options.last, clock))
    except calendar.ScheduleUnknown as exc:
        raise CommandFailed(
            f"{exc}. Add the year's schedule on the platform's working-day page"
            " (/procedures/workdays/) from the State Council's notice."
        ) from None
    return 0

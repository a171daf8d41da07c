"""A load test anyone can run: a mix of realistic users against ``hemei serve``.

On the synthetic province of ``benchmarks/province.py`` (PostgreSQL, built once), the
production server (gunicorn, ``hemei serve``'s default processes and threads) is started on
a free loopback port, and locust (``pip install -e .[bench]``) drives ``HEMEI_BENCH_USERS``
(20) users with about 2 s of thinking between actions for ``HEMEI_BENCH_SECONDS`` (60) after
the ramp: county and province officials browse and filter the task list, open tasks, their
work, the overview and the ranking; town officials report progress with a photo through the
report form; reviewers approve from their queue; villagers read their household's points,
the village notice and ranking; scripts read tasks and reports through the API with a
personal token. The server is stopped at the end, also on failure.

Prints p50/p95/p99 per page (timed after the ramp, once every server process has warmed up)
against its written p95 budget, throughput, errors by status and the machine's load average
at start and end (on a shared machine the figures move with it). Exits non-zero if the server
answered any 5xx. ``--small`` (``HEMEI_BENCH_SMALL=1``): a short run, one user of each kind.

The accounts the mix needs (a town official, villagers with households) are added to the
province if missing; each run makes a new API token and revokes the previous runs'.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path

from benchmarks import pages, province

SMALL = os.environ.get("HEMEI_BENCH_SMALL") == "1"
USERS = int(os.environ.get("HEMEI_BENCH_USERS") or (6 if SMALL else 20))
SECONDS = int(os.environ.get("HEMEI_BENCH_SECONDS") or (20 if SMALL else 60))
#: Users start at this many a second; pages are timed after this ramp (logins whenever).
SPAWN_RATE = 2.0
#: A bound on the requests of one run, whatever the users and seconds.
MAX_REQUESTS = int(os.environ.get("HEMEI_BENCH_MAX_REQUESTS") or 20000)
#: Seconds a user thinks between two actions (uniform), about 2 s on average.
THINK = (1.0, 3.0)

#: The town whose official reports and whose villagers read their points.
TOWN = f"{province.FIRST_COUNTY}100"
VILLAGERS = 10
TOKEN_NAME = "load test"

#: The kinds of user and how many of every 20 are of each kind (locust's weights).
MIX = {
    "county": 5,  # bench-county browsing its county's tasks
    "province": 2,  # bench-province browsing the whole province's
    "town": 5,  # bench-town reporting progress with a photo
    "reviewer": 2,  # bench-county approving the town's reports
    "villager": 4,  # bench-villager-N reading their points
    "api": 2,  # a script with bench-town's personal token
}

#: Written p95 budgets in ms by page (the part of a sample's name after ``kind:``). The reads
#: have the pages benchmark's budget (issue 13's 100 ms). Writes cost more by design:
#: a report with a photo is read whole, hashed, checked and thumbnailed by Pillow, stored
#: twice, audited and its reviewers notified in one transaction; an approval moves the task's
#: progress and light and tells the author; a login hashes the password with Django's
#: PBKDF2, meant to take a good part of a second of one core.
WRITE_BUDGET_MS = {"report_with_photo": 500, "approve": 300, "login": 2000}


def budget_ms(name: str) -> int:
    page = name.split(":", 1)[-1]
    return WRITE_BUDGET_MS.get(page, pages.BUDGET_MS)


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of an ascending list (``share`` in 0–100)."""
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]


def summarise(
    samples: Mapping[str, Iterable[float]],
    statuses: Mapping[str, Mapping[str, int]],
    failures: Mapping[str, Mapping[str, int]],
    seconds: float,
    steady_requests: int,
) -> dict[str, object]:
    """The figures of a run: ``samples`` are the ms of the timed requests by page name (after
    the ramp, the logins whenever they came), ``statuses`` the status codes answered by page
    in the whole run (``"0"``: no answer), ``failures`` the failures by page and reason;
    ``steady_requests`` were answered in the ``seconds`` after the ramp (the throughput)."""
    by_page: dict[str, dict[str, object]] = {}
    for name in sorted(samples):
        ordered = sorted(samples[name])
        if not ordered:
            continue
        p95, budget = percentile(ordered, 95), budget_ms(name)
        by_page[name] = {
            "requests": len(ordered),
            "p50_ms": round(percentile(ordered, 50), 1),
            "p95_ms": round(p95, 1),
            "p99_ms": round(percentile(ordered, 99), 1),
            "budget_ms_p95": budget,
            "within_budget": p95 <= budget,
        }
    counts: dict[str, int] = {}
    for by_status in statuses.values():
        for status, count in by_status.items():
            counts[status] = counts.get(status, 0) + count
    return {
        "requests": sum(counts.values()),
        "requests_after_ramp": steady_requests,
        "throughput_rps": round(steady_requests / seconds, 2) if seconds > 0 else 0.0,
        "statuses": dict(sorted(counts.items())),
        "server_errors": sum(n for status, n in counts.items() if status.startswith("5")),
        "errors": {
            "count": sum(sum(reasons.values()) for reasons in failures.values()),
            "by_page": {name: dict(reasons) for name, reasons in sorted(failures.items())},
        },
        "over_budget": [name for name, page in by_page.items() if not page["within_budget"]],
        "pages": by_page,
    }


def run() -> dict[str, object]:
    """Build or find the province, serve it, load it, stop the server; the figures."""
    # Found, not imported: importing locust patches this process's standard library for gevent.
    if importlib.util.find_spec("locust") is None:
        return {"skipped": "locust is not installed: pip install -e '.[bench]'"}
    province.ensure()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as data:
        env = province.child_env(data)
        plan = _child("from benchmarks.load import prepare; prepare()", env)
        port = _free_port()
        log = Path(data, "server.log")
        with log.open(
            "w", encoding="utf-8"
        ) as output:  # a file, not a pipe nobody reads while it runs
            server = subprocess.Popen(
                [sys.executable, "-m", "hemei", "serve", "--port", str(port), "--access-log", ""],
                cwd=province.ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_answering(server, base, log)
            plan.update(host=base, users=USERS, seconds=SECONDS, max_requests=MAX_REQUESTS)
            raw = _child(
                "from benchmarks.locustfile import main; main()",
                {**env, "HEMEI_LOAD_PLAN": json.dumps(plan)},
                timeout=SECONDS + USERS / SPAWN_RATE + 300,
            )
        finally:
            _stop(server)
        errors = [line for line in log.read_text(encoding="utf-8").splitlines() if _is_error(line)]
    figures = {
        "users": USERS,
        "seconds": SECONDS,
        "ramp_seconds": round(USERS / SPAWN_RATE, 1),
        "think_seconds": list(THINK),
        "mix": {kind: raw["spawned"].get(kind, 0) for kind in MIX},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        **summarise(
            raw["samples"],
            raw["statuses"],
            raw["failures"],
            raw["steady_seconds"],
            raw["steady_requests"],
        ),
    }
    figures["server_log_errors"] = errors[-10:]  # the last few, to start looking from
    figures["ok"] = figures["server_errors"] == 0
    return figures


def _is_error(line: str) -> bool:
    """A line of gunicorn's (a worker timed out or died) or Django's (an unhandled error)."""
    return "[ERROR]" in line or "[CRITICAL]" in line or line.startswith("Internal Server Error")


def _child(code: str, env: Mapping[str, str], timeout: float = 600) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=province.ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    if done.returncode != 0:
        raise SystemExit(f"the load benchmark failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_answering(server: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 180  # collecting the static files comes first
    while True:
        if server.poll() is not None:
            tail = log.read_text(encoding="utf-8")[-4000:]
            raise SystemExit(f"hemei serve exited {server.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=10) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("hemei serve did not answer within 3 minutes")
        time.sleep(0.5)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM (gunicorn drains and exits), then SIGKILL if it does not within 60 s."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def prepare() -> None:
    """In a Django child on the province: the accounts, tasks and token the users need."""
    import django

    django.setup()
    from django.db import transaction

    from hemei.accounts.models import RoleAssignment, User
    from hemei.api.models import Token
    from hemei.api.services import create_token, revoke_token
    from hemei.divisions.models import Division
    from hemei.households import services as households
    from hemei.households.models import Resident
    from hemei.points.models import LedgerEntry
    from hemei.tasks.models import Task

    county = User.objects.get(username="bench-county")
    with transaction.atomic():
        town, made = User.objects.get_or_create(
            username="bench-town", defaults={"full_name": "镇干部", "division_id": TOWN}
        )
        if made:
            town.set_password("x")
            town.save()
            RoleAssignment.objects.create(user=town, role="town_official", division_id=TOWN)
        villages = list(
            Division.objects.filter(parent_id=TOWN).order_by("code").values_list("code", flat=True)
        )
        for number in range(1, VILLAGERS + 1):
            village = villages[number % len(villages)]
            user, made = User.objects.get_or_create(
                username=f"bench-villager-{number}",
                defaults={"full_name": f"村民{number}", "division_id": village},
            )
            if made:
                user.set_password("x")
                user.save()
                RoleAssignment.objects.create(user=user, role="villager", division_id=village)
            resident = Resident.objects.filter(user=user).select_related("household").first()
            if resident is None:
                resident = households.create_household(
                    actor=county,
                    village=Division.objects.get(code=village),
                    number=f"B{number:03d}",
                    head={"name": f"村民{number}"},
                ).head
                households.link_account(actor=county, resident=resident, user=user)
            if not LedgerEntry.objects.filter(household_id=resident.household_id).exists():
                _award(resident.household, number)
        for old in Token.objects.active().filter(user=town, name=TOKEN_NAME):
            revoke_token(actor=town, token=old)
        _token, key = create_token(actor=town, name=TOKEN_NAME)
    # The town's own tasks are split among its villages: the town reports on the village
    # tasks that are not split further (the county reviews them).
    reportable = (
        Task.objects.filter(
            division__parent_id=TOWN, completed_on__isnull=True, children__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    plan = {
        "pages": pages.page_urls("bench-county"),
        "report_tasks": list(reportable[:40]),
        "villagers": [
            (f"bench-villager-{number}", villages[number % len(villages)])
            for number in range(1, VILLAGERS + 1)
        ],
        "token": key,
    }
    if not plan["report_tasks"]:
        raise SystemExit(f"no open task without subtasks under {TOWN} to report on")
    print(json.dumps(plan, ensure_ascii=False))


def _award(household: object, number: int) -> None:
    """A year of points for a new household, so its page and the ranking have rows."""
    import datetime as dt

    from hemei.core import clock
    from hemei.points import ledger
    from hemei.points.choices import LedgerKind

    today = clock.today()
    reasons = [(5, "A1 门前三包，庭院整洁: 入户检查"), (2, "D1 参加村民会议: 参加村民代表会议")]
    rows = [
        ledger.Row(
            household_id=household.pk,  # type: ignore[attr-defined]
            kind=LedgerKind.AWARD,
            points=reasons[(day + number) % 2][0],
            occurred_on=today - dt.timedelta(days=day * 9),
            reason=reasons[(day + number) % 2][1],
        )
        for day in range(20 + number)
    ]
    ledger.append(village_code=household.village_id, rows=rows)  # type: ignore[attr-defined]


if __name__ == "__main__":
    from benchmarks.__main__ import main

    sys.exit(main(["load", *sys.argv[1:]]))

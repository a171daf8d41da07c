"""The escalation ladder's sweep on a county-sized load.

A throwaway SQLite database (or the PostgreSQL database named by HEMEI_BENCH_DATABASE_URL)
gets the real 即墨区 divisions, a town official per town, and HEMEI_BENCH_LADDER_TASKS tasks
(default 20,000) spread over its towns and villages with deadlines from 30 days ago to 30 days
ahead, as the worker would find them after a long outage. Then it times:

- ``refresh_lights`` over every open task (what every sweep does first);
- the first ``climb_ladder`` (catching up: reminders, cards and orders for every late task);
- a second sweep the same day, which finds nothing to do (the worker's usual case).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TASKS = int(os.environ.get("HEMEI_BENCH_LADDER_TASKS", "20000"))


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as temp:
        env = {
            **os.environ,
            "HEMEI_DATA_DIR": temp,
            "DJANGO_SETTINGS_MODULE": "hemei.settings",
            "HEMEI_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("HEMEI_DATABASE_URL", None)
        if os.environ.get("HEMEI_BENCH_DATABASE_URL"):
            env["HEMEI_DATABASE_URL"] = os.environ["HEMEI_BENCH_DATABASE_URL"]
        done = subprocess.run(
            [sys.executable, "-c", "from benchmarks.ladder import child; child()"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            encoding="utf-8",
        )
        if done.returncode != 0:
            raise SystemExit(f"the ladder benchmark failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def child() -> None:
    import datetime as dt
    import random
    import time

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from hemei.accounts.models import RoleAssignment, User
    from hemei.core import clock
    from hemei.divisions.models import Division
    from hemei.divisions.services import import_builtin
    from hemei.supervision.models import Card, SupervisionOrder
    from hemei.supervision.services import climb_ladder
    from hemei.tasks.models import Task
    from hemei.tasks.services import refresh_lights

    call_command("migrate", verbosity=0)
    import_builtin(under="370215")
    towns = list(Division.objects.filter(level=4).within("370215").values_list("code", flat=True))
    villages = list(
        Division.objects.filter(level=5).within("370215").values_list("code", flat=True)
    )
    randomness = random.Random(2026)
    today = clock.today()
    started = time.perf_counter()
    with transaction.atomic():
        for code in towns:
            user = User.objects.create_user(
                username=f"town-{code}", password="x", email=f"{code}@example.org"
            )
            RoleAssignment.objects.create(user=user, role="town_official", division_id=code)
        Task.objects.bulk_create(
            [
                Task(
                    division_id=randomness.choice(villages if n % 3 else towns),
                    title=f"任务{n}",
                    start_on=today - dt.timedelta(days=60),
                    due_on=today + dt.timedelta(days=randomness.randint(-30, 30)),
                    progress=randomness.choice([0, 20, 50, 80]),
                )
                for n in range(TASKS)
            ],
            batch_size=5000,
        )
    build = time.perf_counter() - started

    def timed(action):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        result = action()
        return result, round(time.perf_counter() - began, 2)

    changed, lights_seconds = timed(lambda: refresh_lights(today=today))
    first, first_seconds = timed(lambda: climb_ladder(today=today))
    second, second_seconds = timed(lambda: climb_ladder(today=today))
    steps = sum(v for k, v in first.items() if k != "overdue_replies")
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "tasks": TASKS,
                "build_seconds": round(build, 1),
                "refresh_lights_seconds": lights_seconds,
                "lights_changed": changed,
                "first_sweep_seconds": first_seconds,
                "first_sweep_steps": first,
                "ms_per_step": round(first_seconds * 1000 / max(steps, 1), 1),
                "cards": Card.objects.count(),
                "orders": SupervisionOrder.objects.count(),
                "idle_sweep_seconds": second_seconds,
                "idle_sweep_steps": sum(v for k, v in second.items() if k != "overdue_replies"),
            },
            ensure_ascii=False,
        )
    )

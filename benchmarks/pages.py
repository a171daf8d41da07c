"""Single-request latency of the province-scale pages, as a county and a province-wide user.

On the synthetic province of ``benchmarks/province.py`` (200,000 tasks, PostgreSQL, kept
between runs), each page is requested through Django's test client ``HEMEI_BENCH_REPEAT``
times (default 30) after a warm-up; the figures are p50/p95 in milliseconds and the number of
SQL queries, which must not grow with the province. ``--explain`` (``python -m
benchmarks.pages --explain DIR``) also writes ``EXPLAIN (ANALYZE, BUFFERS)`` of the task list's
queries to DIR, one short text file per user and query.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from benchmarks import province

REPEAT = int(os.environ.get("HEMEI_BENCH_REPEAT", "30"))

#: Single-request budget of each page, in milliseconds (p95); the load test shares them.
BUDGET_MS = 100


def run(explain_dir: str = "") -> dict[str, object]:
    province.ensure()
    with tempfile.TemporaryDirectory() as temp:
        env = province.child_env(temp)
        env["HEMEI_BENCH_EXPLAIN"] = explain_dir
        done = subprocess.run(
            [sys.executable, "-c", "from benchmarks.pages import child; child()"],
            cwd=province.ROOT,
            env=env,
            capture_output=True,
            encoding="utf-8",
        )
    if done.returncode != 0:
        raise SystemExit(f"the pages benchmark failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def page_urls(who: str) -> dict[str, str]:
    """The pages measured, by name, for one of the benchmark's users."""
    from hemei.divisions.models import Division
    from hemei.tasks.models import Task

    town = Division.objects.filter(parent_id=province.FIRST_COUNTY).order_by("code").first()
    task = Task.objects.filter(division__code=province.FIRST_COUNTY, parent__isnull=True)
    detail = task.order_by("id").values_list("pk", flat=True).first()
    return {
        "task_list": "/tasks/",
        "task_list_page10": "/tasks/?page=10",
        "task_list_filtered": f"/tasks/?state=overdue&division={province.FIRST_COUNTY}101",
        "task_list_search": "/tasks/?q=厕所",  # 户厕改造 too: 厕 tells 厕所
        "task_list_search_words": "/tasks/?q=污水 治理",
        "task_list_search_place": f"/tasks/?q={town.name if town else ''}",
        "task_detail": f"/tasks/{detail}/",
        "my_work": "/tasks/mine/",
        "home": "/",
        "overview": "/tasks/overview/",
        "ranking": "/rankings/",
    }


def child() -> None:
    import time

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hemei.accounts.models import User

    figures: dict[str, object] = {"repeat": REPEAT, "budget_ms_p95": BUDGET_MS}
    explain_dir = os.environ.get("HEMEI_BENCH_EXPLAIN", "")
    for who in ("bench-county", "bench-province"):
        client = Client()
        client.force_login(User.objects.get(username=who))
        label = who.removeprefix("bench-")
        for name, url in page_urls(who).items():
            response = client.get(url)  # warm up templates, caches and the session
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code} for {who}")
            seconds, cpu = [], []
            for _attempt in range(REPEAT):
                began, began_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                seconds.append(time.perf_counter() - began)
                cpu.append(time.process_time() - began_cpu)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            seconds.sort()
            p50 = 1000 * seconds[len(seconds) // 2]
            p95 = 1000 * seconds[min(len(seconds) - 1, round(0.95 * len(seconds)))]
            figures[f"{label}:{name}"] = {
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                # this process's CPU (Python) per request, median: what other load on the
                # machine does not inflate (the database's time is not in it)
                "cpu_ms": round(1000 * sorted(cpu)[len(cpu) // 2], 1),
                "sql_ms": round(1000 * sum(float(q["time"]) for q in queries.captured_queries), 1),
                "queries": len(queries),
                "kb": round(len(response.content) / 1024, 1),
                "within_budget": p95 < BUDGET_MS,
            }
            if explain_dir and name.startswith("task_list"):
                _explain(explain_dir, f"{label}-{name}", queries.captured_queries)
    print(json.dumps(figures, ensure_ascii=False))


def _explain(directory: str, stem: str, captured: list[dict[str, str]]) -> None:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of the queries on the tasks table slower than 2 ms
    (the list's page, its count), one file each."""
    from pathlib import Path

    from django.db import connection

    Path(directory).mkdir(parents=True, exist_ok=True)
    number = 0
    for query in captured:
        sql = query["sql"]
        if 'FROM "tasks_task"' not in sql or float(query["time"]) < 0.002:
            continue
        number += 1
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        Path(directory, f"{stem}-{number}.txt").write_text(
            f"-- {stem}: {float(query['time']) * 1000:.1f} ms in the request\n{sql}\n\n{plan}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    arguments = sys.argv[1:]
    target = arguments[arguments.index("--explain") + 1] if "--explain" in arguments else ""
    print(json.dumps(run(target), ensure_ascii=False, indent=2))

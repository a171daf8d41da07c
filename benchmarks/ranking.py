"""Rankings and the task list on a synthetic province (the size of Guangdong).

A throwaway SQLite database in a temporary directory (or the PostgreSQL database named by
HEMEI_BENCH_DATABASE_URL) is migrated and filled with bulk inserts: a fake province "99" with
20 cities, 120 counties, 1,600 towns and 26,000 villages; 200,000 tasks (ten county tasks per county,
each fanned out to every town, the rest village tasks, half of them parts of a town task) with
dates spread over the year, an approved progress report for every task that has progress,
and supervision orders on part of the overdue ones. Then it times:

- ranking all 1,600 towns for last month (``compute_ranking`` once per county, since towns are
  ranked within their county) and the current month (which also reads last month's ranks);
- the task list page ``/tasks/`` through Django's test client, as a county administrator and
  as a province-level administrator, with the query counts at two page sizes and at a deep
  page, to show they do not grow with the rows shown.

Django runs in a child process, so its settings (HEMEI_DATA_DIR) are set before
``django.setup()`` whatever else ran before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TOWNS = int(os.environ.get("HEMEI_BENCH_TOWNS", "1600"))
VILLAGES = int(os.environ.get("HEMEI_BENCH_VILLAGES", "26000"))
TASKS = int(os.environ.get("HEMEI_BENCH_TASKS", "200000"))
CITIES, COUNTIES_PER_CITY = 20, 6
TOWN_PARTS = 10  # fanned-out parts per town
ORDERS_SHARE = 8  # one overdue task in this many gets a supervision order

#: What the synthetic tasks are about, written for this benchmark (title, description), so a
#: search of the province finds what a real one would: a few per cent of the tasks per word.
WORK = [
    ("户厕改造", "完成农户卫生厕所改造，逐户验收并建立管护台账"),
    ("农村生活污水治理", "建设村级污水处理设施，实现生活污水有效管控"),
    ("生活垃圾分类收运", "落实垃圾分类投放、收集和转运，保洁员按片区包干"),
    ("村庄清洁行动", "清理房前屋后杂物和积存垃圾，整治乱堆乱放"),
    ("村内道路硬化", "对通组道路实施水泥硬化，完善排水边沟和错车道"),
    ("高标准农田建设", "平整土地、配套灌排设施，项目区全部完成验收"),
    ("防止返贫动态监测", "对脱贫户和监测户逐户走访，落实帮扶措施"),
    ("村级集体经济增收", "盘活闲置资产，发展物业租赁和社会化服务"),
    ("农房风貌管控", "新建农房按图审批、按图施工，统一外立面风貌"),
    ("饮水安全巩固提升", "更换老旧供水管网，开展水质定期检测"),
    ("乡村公益性岗位", "开发护林、保洁等公益性岗位，优先安置脱贫劳动力"),
    ("庭院经济发展", "引导农户利用房前屋后种植养殖，增加家庭收入"),
    ("积分制管理推广", "制定村规民约积分细则，定期公示积分和兑换情况"),
    ("小微权力清单落实", "公开村级事务流程，规范村干部用权行为"),
    ("林长制巡护", "落实护林员日常巡护，开展森林防火宣传"),
    ("秸秆禁烧", "设立禁烧责任区，推广秸秆还田和离田利用"),
    ("河道清淤整治", "清理河道淤泥和漂浮物，落实河长日常巡河"),
    ("农村电商服务站", "建设村级电商服务点，帮助农户销售土特产品"),
    ("特色产业基地建设", "扩大茶叶、中药材等特色种植基地，带动农户增收"),
    ("移风易俗", "推动红白喜事简办，遏制高价彩礼和大操大办"),
    ("农村危房改造", "对鉴定为危房的农户实施加固或重建"),
    ("小型水利设施维修", "维修山塘、水渠和提灌站，保障春耕用水"),
    ("村级公共服务中心提升", "完善便民服务窗口，推行代办服务"),
    ("农村供水管网改造", "延伸城乡供水管网，提高自来水普及率"),
    ("土地流转规范管理", "签订规范流转合同，建立流转台账"),
    ("农村公路养护", "落实路长制，及时修补坑槽、清理边沟"),
    ("乡村医生队伍建设", "配齐村卫生室医生，开展慢性病随访"),
    ("文明实践站活动", "每月开展志愿服务和政策宣讲活动"),
    ("光伏帮扶电站运维", "定期巡检光伏电站，收益用于公益岗位和小型公益事业"),
    ("农业社会化服务", "组织机耕、机收和统防统治服务"),
]
#: What a village does of a work item.
VILLAGE_STEP = ["", "（村级）", "摸底排查", "进度推进", "验收整改", "资料归档"]
#: Place names of the synthetic province: two characters from these, then the level's word.
NAME_FIRST = "东西南北上下前后大小新老马杨李王张刘陈石柳桃杏梨枣松柏竹梅兰青红白黄金银龙凤鹤"
NAME_SECOND = "家庄营屯堡湾河沟坡岭山岗店集桥塘坪坝园林口峪寨田溪坑铺岩"


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as temp:
        env = {
            **os.environ,
            "HEMEI_DATA_DIR": temp,
            "DJANGO_SETTINGS_MODULE": "hemei.settings",
            "HEMEI_ALLOWED_HOSTS": "testserver,localhost",
            "HEMEI_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("HEMEI_DATABASE_URL", None)
        if os.environ.get("HEMEI_BENCH_DATABASE_URL"):
            env["HEMEI_DATABASE_URL"] = os.environ["HEMEI_BENCH_DATABASE_URL"]
        done = subprocess.run(
            [sys.executable, "-c", "from benchmarks.ranking import child; child()"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            encoding="utf-8",
        )
        if done.returncode != 0:
            raise SystemExit(f"the ranking benchmark failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def child() -> None:
    import time

    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    counts = _build()
    build_seconds = time.perf_counter() - started
    figures: dict[str, object] = {
        "database": _vendor(),
        **counts,
        "migrate_seconds": round(migrate_seconds, 1),
        "build_seconds": round(build_seconds, 1),
    }
    figures.update(_time_rankings())
    figures.update(_time_task_list())
    print(json.dumps(figures, ensure_ascii=False))


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _codes() -> tuple[list[str], list[str], list[str], list[str]]:
    cities = [f"99{number:02d}" for number in range(1, CITIES + 1)]
    counties = [
        f"{city}{number:02d}" for city in cities for number in range(1, COUNTIES_PER_CITY + 1)
    ]
    towns = [f"{counties[i % len(counties)]}{100 + i // len(counties):03d}" for i in range(TOWNS)]
    towns.sort()
    villages = [f"{towns[i % len(towns)]}{1 + i // len(towns):03d}" for i in range(VILLAGES)]
    villages.sort()
    return cities, counties, towns, villages


def _build() -> dict[str, int]:
    import datetime as dt
    import random
    from decimal import Decimal

    from django.db import transaction

    from hemei.accounts.models import RoleAssignment, User
    from hemei.core import clock
    from hemei.divisions.models import Division
    from hemei.tasks.models import Task

    randomness = random.Random(2026)
    cities, counties, towns, villages = _codes()

    def name(word: str) -> str:
        return randomness.choice(NAME_FIRST) + randomness.choice(NAME_SECOND) + word

    with transaction.atomic():
        Division.objects.bulk_create(
            [Division(code="99", name="合成省", level=1)]
            + [Division(code=c, name=name("市"), level=2, parent_id="99") for c in cities]
            + [Division(code=c, name=name("县"), level=3, parent_id=c[:4]) for c in counties]
            + [Division(code=c, name=name("镇"), level=4, parent_id=c[:6]) for c in towns]
            + [Division(code=c, name=name("村"), level=5, parent_id=c[:9]) for c in villages],
            batch_size=5000,
        )
        admin = User.objects.create_user(
            username="bench-county", password="x", full_name="县管理员", division_id=counties[0]
        )
        province = User.objects.create_user(
            username="bench-province", password="x", full_name="省管理员", division_id="99"
        )
        RoleAssignment.objects.create(user=admin, role="county_admin", division_id=counties[0])
        RoleAssignment.objects.create(user=province, role="county_admin", division_id="99")

    today = clock.today()
    first_day = today - dt.timedelta(days=300)

    def dates() -> tuple[dt.date, dt.date | None, Decimal]:
        due = first_day + dt.timedelta(days=randomness.randrange(360))
        roll = randomness.random()
        if roll < 0.55 and due - dt.timedelta(days=10) <= today:
            done = due - dt.timedelta(days=randomness.randrange(10))
        elif roll < 0.7:
            done = due + dt.timedelta(days=1 + randomness.randrange(20))
            if done > today:
                done = None
        else:
            done = None
        if done is not None and done > today:
            done = None
        progress = Decimal(100) if done else Decimal(randomness.randrange(0, 96, 5))
        return due, done, progress

    def task(
        division: str, parent_id: int | None, title: str, source: str = "manual", number: int = -1
    ) -> Task:
        work, description = WORK[number] if number >= 0 else randomness.choice(WORK)
        due, done, progress = dates()
        state = "done" if done else ("overdue" if due < today else "in_progress")
        light = "green" if done else ("red" if due < today else "green")
        if light == "green" and not done and (due - today).days < 7 and progress < 80:
            light = "yellow"
        return Task(
            division_id=division,
            parent_id=parent_id,
            title=title.format(work=work),
            description=description,
            due_on=due,
            start_on=min(due, first_day),
            completed_on=done,
            progress=progress,
            state=state,
            light=light,
            source=source,
            theme="industry",
        )

    with transaction.atomic():
        roots = Task.objects.bulk_create(
            [
                Task(
                    division_id=c,
                    title=f"{today.year}年{WORK[number][0]}",
                    description=WORK[number][1],
                    due_on=today + dt.timedelta(days=30),
                    start_on=first_day,
                )
                for c in counties
                for number in range(TOWN_PARTS)
            ],
            batch_size=2000,
        )
        roots_of: dict[str, list[int]] = {}
        for root in roots:
            roots_of.setdefault(root.division_id, []).append(root.pk)
        # Each county task fanned out to every town of the county: one part per town.
        town_parts = Task.objects.bulk_create(
            [
                task(town, root, "{work}（镇级分解）", source="fan_out", number=number)
                for town in towns
                for number, root in enumerate(roots_of[town[:6]])
            ],
            batch_size=5000,
        )
    parts_of: dict[str, list[int]] = {}
    for part in town_parts:
        parts_of.setdefault(part.division_id, []).append(part.pk)
    remaining = TASKS - len(roots) - len(town_parts)
    batch: list[Task] = []
    made = 0
    for index in range(remaining):
        village = villages[index % len(villages)]
        parent = randomness.choice(parts_of[village[:9]]) if index % 2 == 0 else None
        batch.append(task(village, parent, "{work}" + VILLAGE_STEP[index % len(VILLAGE_STEP)]))
        if len(batch) == 10000:
            with transaction.atomic():
                Task.objects.bulk_create(batch, batch_size=5000)
            made += len(batch)
            batch = []
    with transaction.atomic():
        Task.objects.bulk_create(batch, batch_size=5000)
    made += len(batch)
    reports = _reports(admin)
    orders = _orders(admin, counties, today)
    _analyze()
    return {
        "towns": len(towns),
        "villages": len(villages),
        "counties": len(counties),
        "tasks": len(roots) + len(town_parts) + made,
        "approved_reports": reports,
        "supervision_orders": orders,
    }


def _analyze() -> None:
    """Refresh the planner's statistics after the bulk load, as autovacuum (PostgreSQL) or
    ``PRAGMA optimize`` (SQLite) would in a database that grew over time."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _reports(author: object) -> int:
    """One approved report per task with progress (the report that set it)."""
    from django.db import transaction

    from hemei.core import clock
    from hemei.progress.models import ProgressReport
    from hemei.tasks.models import Task

    now = clock.now()
    made = 0
    rows = Task.objects.filter(progress__gt=0).values_list("pk", "progress").order_by("pk")
    batch: list[ProgressReport] = []
    for pk, progress in rows.iterator(chunk_size=10000):
        batch.append(
            ProgressReport(
                task_id=pk,
                author=author,
                state="approved",
                percent=progress,
                text="按计划推进",
                submitted_at=now,
                decided_at=now,
                decided_by=author,
            )
        )
        if len(batch) == 10000:
            with transaction.atomic():
                ProgressReport.objects.bulk_create(batch, batch_size=5000)
            made += len(batch)
            batch = []
    with transaction.atomic():
        ProgressReport.objects.bulk_create(batch, batch_size=5000)
    return made + len(batch)


def _orders(actor: object, counties: list[str], today: object) -> int:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from hemei.supervision.models import SupervisionOrder
    from hemei.tasks.models import Task

    overdue = Task.objects.filter(state="overdue").values_list("pk", "division_id", "due_on")
    serials: dict[tuple[str, int], int] = {}
    orders = []
    zone = timezone.get_current_timezone()
    for index, (pk, division, due_on) in enumerate(
        overdue.order_by("pk").iterator(chunk_size=10000)
    ):
        if index % ORDERS_SHARE:
            continue
        county = division[:6]
        issued = dt.datetime.combine(due_on + dt.timedelta(days=5), dt.time(9), tzinfo=zone)
        key = (county, issued.year)
        serials[key] = serials.get(key, 0) + 1
        orders.append(
            SupervisionOrder(
                task_id=pk,
                county_id=county,
                year=issued.year,
                serial=serials[key],
                number=f"督办〔{issued.year}〕{serials[key]}号",
                issued_at=issued,
                reply_due=due_on + dt.timedelta(days=15),
                text="请抓紧推进",
            )
        )
    with transaction.atomic():
        SupervisionOrder.objects.bulk_create(orders, batch_size=5000)
    return len(orders)


def _time_rankings() -> dict[str, object]:
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hemei.core import clock
    from hemei.divisions.models import Division
    from hemei.rankings.models import RankingRow
    from hemei.rankings.periods import period_bounds, previous_start
    from hemei.rankings.services import compute_ranking

    counties = list(Division.objects.filter(level=3, code__startswith="99"))
    this_month = period_bounds("month", clock.today())[0]
    last_month = previous_start("month", this_month)
    figures: dict[str, object] = {}
    for name, start in (("last_month", last_month), ("this_month", this_month)):
        seconds: list[float] = []
        queries: list[int] = []
        for county in counties:
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                compute_ranking(
                    county_or_town=county, period_kind="month", period_start=start, actor=None
                )
            seconds.append(time.perf_counter() - began)
            queries.append(len(captured))
        figures[f"ranking_{name}_all_towns_seconds"] = round(sum(seconds), 2)
        figures[f"ranking_{name}_per_county_ms_mean"] = round(1000 * sum(seconds) / len(seconds), 1)
        figures[f"ranking_{name}_per_county_ms_max"] = round(1000 * max(seconds), 1)
        figures[f"ranking_{name}_queries_per_county"] = sorted(set(queries))
    figures["ranked_rows"] = RankingRow.objects.filter(run__period_start=this_month).count()
    figures["ranked_with_tasks_due"] = RankingRow.objects.filter(
        run__period_start=last_month, rank__isnull=False
    ).count()
    return figures


def _time_task_list() -> dict[str, object]:
    import time

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from hemei.accounts.models import User

    figures: dict[str, object] = {}
    for who in ("bench-county", "bench-province"):
        client = Client()
        client.force_login(User.objects.get(username=who))
        label = who.removeprefix("bench-")
        client.get("/tasks/")  # warm up templates and the session
        for size, page in ((20, 1), (100, 1), (100, 10)):
            with override_settings(PAGE_SIZE=size):
                best = float("inf")
                for _attempt in range(3):
                    began = time.perf_counter()
                    response = client.get(f"/tasks/?page={page}")
                    best = min(best, time.perf_counter() - began)
                if response.status_code != 200:
                    raise SystemExit(f"/tasks/ answered {response.status_code} for {who}")
                with CaptureQueriesContext(connection) as queries:
                    client.get(f"/tasks/?page={page}")
            key = f"task_list_{label}_size{size}_page{page}"
            figures[f"{key}_ms"] = round(1000 * best, 1)
            figures[f"{key}_queries"] = len(queries)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=2))

"""Cases (办件) of a whole county: the case list and the overdue sweep at 200,000 cases.

In a child process on a throwaway database (a new SQLite file; or the empty PostgreSQL
database named by ``HEMEI_BENCH_DATABASE_URL``): the real 即墨区 divisions and the test cast
(alice county administrator, tom official of 田横镇, victor official of 红花山村, vera villager
of 红花山村); ``HEMEI_BENCH_CASES_TOWNS`` towns (10, 田横镇 first) with up to
``HEMEI_BENCH_CASES_VILLAGES`` villages each (20, 红花山村 among them), an official per town and
per village; the sample catalogue (``hemei.catalogue.samples``) published by the county and
adopted by every village through the services, in force from 2024-01-01; 50 households per
village with their heads.

Then ``HEMEI_BENCH_CASES`` cases (200,000) spread over 2024-01-01 .. today across the
villages and the two items with a flow (临时救助 by a household, 小型工程 by the village, under
¥50,000 so no 四议两公开 step), bulk-inserted as the services leave them: the case, one step
record per step entered, the case's timeline, and for each office step its duty (a task of
the office, source ``case``); about 93% closed (done, refused at a step in writing, withdrawn)
with every duty done, the rest open on a step whose clock is running, about a quarter of them
past their deadline. Simplification: the done duties carry no timeline of their own (the
``created``/``progress`` task events a real close leaves); the open duties do (``created``,
and the light change ``refresh_task`` records when a short step opens yellow).

The cases go in two stages, a random tenth first, so every list figure is taken at both sizes
(the numbers stay the ones the services would have given in date order). Figures:

- the case list ``/cases/`` as the county administrator, the town official and the village
  official: page 1, page 50, a search ``q``, ``state=open&light=overdue``: median wall time of
  ``HEMEI_BENCH_CASES_RUNS`` (5) requests and the SQL queries of one (the same on page 1 and
  page 50, and at both sizes, when the page is flat);
- the villager's own cases ``/cases/mine/``;
- the overdue sweep ``climb_ladder(today)`` on the day (the worker was off since the open steps
  opened, so it catches up), again the same day (nothing to do), and the next working day;
- consistency: a generated open case's step passed by its office through
  ``services.pass_step``, a new case started through ``services.start_case`` (its number follows
  the generated ones), and the selectors' counts against plain counts.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = "from benchmarks.cases import child; child()"

CASES = int(os.environ.get("HEMEI_BENCH_CASES", "200000"))
TOWNS = int(os.environ.get("HEMEI_BENCH_CASES_TOWNS", "10"))
VILLAGES_PER_TOWN = int(os.environ.get("HEMEI_BENCH_CASES_VILLAGES", "20"))
HOUSEHOLDS = 50
RUNS = int(os.environ.get("HEMEI_BENCH_CASES_RUNS", "5"))
OPEN_SHARE = 0.07
OVERDUE_SHARE = 0.25  # of the open
FIRST_STAGE = 0.1

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "秀英",
    "桂兰",
    "建国",
    "海涛",
    "玉梅",
    "志强",
    "淑芬",
    "立新",
    "春华",
    "德胜",
    "凤英",
    "明",
]
RELIEF = ["因病临时救助", "因灾临时救助", "突发意外临时救助", "子女就学困难救助", "火灾后生活救助"]
WORKS = [
    "村内道路硬化",
    "排水沟清淤修缮",
    "路灯维修更换",
    "健身器材安装",
    "村委会屋顶防水",
    "机井维修",
]
REFUSALS = ["经入户核实，家庭收入超过救助标准", "申请材料与实际情况不符，不符合救助条件"]
WITHDRAWALS = ["家庭困难已缓解，申请人撤回申请", "已通过其他渠道解决"]


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as temp:
        env = {
            **os.environ,
            "HEMEI_DATA_DIR": temp,
            "DJANGO_SETTINGS_MODULE": "hemei.settings",
            "HEMEI_ALLOWED_HOSTS": "testserver,localhost",
            "HEMEI_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "HEMEI_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("HEMEI_DATABASE_URL", None)
        if os.environ.get("HEMEI_BENCH_DATABASE_URL"):
            env["HEMEI_DATABASE_URL"] = os.environ["HEMEI_BENCH_DATABASE_URL"]
        done = subprocess.run(
            [sys.executable, "-c", CHILD], capture_output=True, encoding="utf-8", cwd=ROOT, env=env
        )
    if done.returncode != 0:
        raise SystemExit(f"the cases benchmark failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child() -> None:
    import datetime as dt
    import resource
    import time

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    figures: dict[str, object] = {"database": connection.vendor, "load_average_before": _load()}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    world = _world()
    figures.update(world.counts)
    figures["setup_s"] = round(time.perf_counter() - started, 1)

    plan = _plan(world)
    first = [spec for spec in plan if spec.stage == 1]
    second = [spec for spec in plan if spec.stage == 2]
    for stage, specs in ((1, first), (2, second)):
        started = time.perf_counter()
        _insert(world, specs)
        _analyze()
        total = len(first) + (len(second) if stage == 2 else 0)
        figures[f"insert_{total}_s"] = round(time.perf_counter() - started, 1)
        figures.update(_time_lists(world, total))
    figures.update(_counts(world))
    figures.update(_time_sweeps(world))
    figures.update(_check(world, swept=world.today + dt.timedelta(days=1)))
    figures["load_average_after"] = _load()
    figures["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures, ensure_ascii=False))


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _analyze() -> None:
    """Refresh the planner's statistics after the bulk load, as autovacuum (PostgreSQL) or
    ``PRAGMA optimize`` (SQLite) would in a database that grew over time."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --------------------------------------------------------------------------- the county


class World:
    def __init__(self) -> None:
        self.counts: dict[str, object] = {}
        self.cast: object = None
        self.towns: list[str] = []
        self.villages: list[object] = []  # Division rows
        self.flows: dict[str, dict[str, tuple[object, list[object]]]] = {}  # village → code → …
        self.households: dict[str, list[tuple[int, str]]] = {}  # village → (pk, head name)
        self.officials: dict[str, tuple[int, str]] = {}  # division → (user pk, name)
        self.vera_household = 0
        self.today = None
        self.village_names: dict[str, str] = {}
        self._deadlines: dict[tuple[object, ...], object] = {}

    def deadline(self, step: object, village: str, start: object) -> object:
        """The services' deadline, remembered per step kind, county and day."""
        from hemei.cases.services import deadline

        key = (step.days, step.unit, step.limit_key, village[:6], start)
        if key not in self._deadlines:
            self._deadlines[key] = deadline(step, village, start)
        return self._deadlines[key]


def _world() -> World:
    import datetime as dt

    from django.db import transaction
    from django.db.models import Count

    from hemei.accounts.models import RoleAssignment, User
    from hemei.catalogue import services as catalogue
    from hemei.catalogue.samples import sample_rows
    from hemei.core import clock
    from hemei.core.testing import COUNTY, TOWN_A, VILLAGE_A, build_cast
    from hemei.divisions.models import Division
    from hemei.households.models import Household, Resident
    from hemei.procedures.adoption import MeetingKind

    world = World()
    world.today = clock.today()
    cast = world.cast = build_cast()  # imports 即墨区's divisions
    # the towns with the most villages (the rural towns rather than the city's 街道)
    towns = list(
        Division.objects.filter(level=4)
        .within(COUNTY)
        .annotate(villages=Count("children"))
        .order_by("-villages", "code")
        .values_list("code", flat=True)
    )
    towns.remove(TOWN_A)
    world.towns = [TOWN_A, *towns[: TOWNS - 1]]
    for town in world.towns:
        rows = list(Division.objects.filter(level=5, parent_id=town).order_by("code"))
        chosen = rows[:VILLAGES_PER_TOWN]
        if town == TOWN_A and VILLAGE_A not in [v.code for v in chosen]:
            chosen[-1] = next(v for v in rows if v.code == VILLAGE_A)
        world.villages.extend(chosen)
    world.village_names = {v.code: v.name for v in world.villages}

    # An official per town and per village (cast's tom and victor where they serve).
    with transaction.atomic():
        names = iter(_names(len(world.towns) + len(world.villages)))
        codes = [t for t in world.towns if t != TOWN_A] + [
            v.code for v in world.villages if v.code != VILLAGE_A
        ]
        users = User.objects.bulk_create(
            [
                User(
                    username=f"official-{code}",
                    password="!",
                    full_name=next(names),
                    division_id=code,
                )
                for code in codes
            ]
        )
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    user=user,
                    role="town_official" if len(code) == 9 else "village_official",
                    division_id=code,
                )
                for user, code in zip(users, codes, strict=True)
            ]
        )
        world.officials = {
            code: (user.pk, user.full_name) for user, code in zip(users, codes, strict=True)
        }
        world.officials[TOWN_A] = (cast.tom.pk, cast.tom.full_name)
        world.officials[VILLAGE_A] = (cast.victor.pk, cast.victor.full_name)

    # The sample catalogue, published by the county and adopted by every village, in force
    # over the whole period of the cases.
    with clock.frozen_at(dt.datetime(2023, 12, 20, 2, tzinfo=dt.UTC)):
        county = Division.objects.get(code=COUNTY)
        template = catalogue.create_template(
            actor=cast.alice, division=county, name="县级村级事项清单范本"
        )
        catalogue.replace_items(actor=cast.alice, version=template, rows=sample_rows())
        catalogue.publish_template(actor=cast.alice, version=template)
        for village in world.villages:
            draft = catalogue.draft_version(actor=cast.alice, village=village, based_on=template)
            version = catalogue.adopt_version(
                actor=cast.alice,
                version=draft,
                meeting_kind=MeetingKind.REPRESENTATIVES,
                meeting_date=dt.date(2023, 12, 20),
                in_force_from=dt.date(2024, 1, 1),
            )
            world.flows[village.code] = {
                item.code: (item, list(item.steps.order_by("position")))
                for item in version.items.all()
                if item.has_flow
            }

    # Households with their heads; vera heads the first one of 红花山村.
    with transaction.atomic():
        homes = Household.objects.bulk_create(
            [
                Household(village_id=village.code, number=f"H{number:04d}")
                for village in world.villages
                for number in range(1, HOUSEHOLDS + 1)
            ],
            batch_size=5000,
        )
        names = iter(_names(len(homes)))
        heads = Resident.objects.bulk_create(
            [
                Resident(
                    household=home,
                    village_id=home.village_id,
                    name=next(names),
                    relation="head",
                    user=cast.vera
                    if (home.village_id, home.number) == (VILLAGE_A, "H0001")
                    else None,
                )
                for home in homes
            ],
            batch_size=5000,
        )
        for home, head in zip(homes, heads, strict=True):
            home.head = head
            world.households.setdefault(home.village_id, []).append((home.pk, head.name))
            if head.user_id:
                world.vera_household = home.pk
        Household.objects.bulk_update(homes, ["head"], batch_size=5000)
    world.counts = {
        "towns": len(world.towns),
        "villages": len(world.villages),
        "households": len(homes),
    }
    return world


def _names(count: int) -> list[str]:
    import random

    chooser = random.Random(7)
    return [chooser.choice(SURNAMES) + chooser.choice(GIVEN) for _ in range(count)]


# --------------------------------------------------------------------------- the plan


class Spec:
    """One case to generate: what it is, where and how its walk goes."""

    __slots__ = ("amount", "fate", "home", "item", "number", "on", "stage", "title", "village")

    def __init__(self, **fields: object) -> None:
        for name, value in fields.items():
            setattr(self, name, value)


def _plan(world: World) -> list[Spec]:
    """Every case in date order with its number (per village and year, as the services
    number them), then split into the two stages."""
    import datetime as dt
    import random
    from decimal import Decimal

    chooser = random.Random(2026)
    today = world.today
    first = dt.date(2024, 1, 1)
    closed_days = (today - dt.timedelta(days=60) - first).days
    specs = []
    for _n in range(CASES):
        village = world.villages[chooser.randrange(len(world.villages))].code
        relief = chooser.random() < 0.8
        roll = chooser.random()
        if roll < OPEN_SHARE:
            fate = "open_overdue" if chooser.random() < OVERDUE_SHARE else "open"
            back = chooser.randint(14, 45) if fate == "open_overdue" else chooser.randint(0, 3)
            on = today - dt.timedelta(days=back)
        else:
            fate = "done" if roll < 0.90 else ("refused" if roll < 0.96 else "withdrawn")
            on = first + dt.timedelta(days=chooser.randrange(closed_days))
        home = chooser.choice(world.households[village]) if relief else None
        specs.append(
            Spec(
                village=village,
                item="F01" if relief else "G01",
                title=chooser.choice(RELIEF if relief else WORKS),
                home=home,
                amount=None if relief else Decimal(chooser.randrange(2000, 49000, 500)),
                on=on,
                fate=fate,
                stage=1 if chooser.random() < FIRST_STAGE else 2,
                number="",
            )
        )
    specs.sort(key=lambda spec: spec.on)
    serials: dict[tuple[str, int], int] = {}
    for spec in specs:
        key = (spec.village, spec.on.year)
        serials[key] = serials.get(key, 0) + 1
        spec.number = f"{spec.village}-{spec.on.year}-{serials[key]:04d}"
    return specs


# --------------------------------------------------------------------------- the rows


def _insert(world: World, specs: list[Spec]) -> None:
    """The rows the services would have left for ``specs``, in chunks."""
    import random

    chooser = random.Random(len(specs))
    chunk = 5000
    for begin in range(0, len(specs), chunk):
        _insert_chunk(world, specs[begin : begin + chunk], chooser)


def _insert_chunk(world: World, specs: list[Spec], chooser: object) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from hemei.cases.choices import CaseState, EventKind, Outcome
    from hemei.cases.models import Case, CaseEvent, StepRecord
    from hemei.cases.services import office_of
    from hemei.catalogue.choices import Level
    from hemei.tasks import rules
    from hemei.tasks.choices import EventKind as TaskEventKind
    from hemei.tasks.choices import Light, Source, State
    from hemei.tasks.models import Task, TaskEvent
    from hemei.tasks.services import policy_for

    zone = timezone.get_current_timezone()
    policy = policy_for(world.villages[0].code[:6])

    def at(day: dt.date, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, chooser.randrange(60)), tzinfo=zone)

    tasks: list[Task] = []
    task_events: list[tuple[int, TaskEvent]] = []  # (index of the task, event)
    cases: list[tuple[Case, list[int]]] = []  # the case and the indexes of its duties
    records: list[tuple[int, StepRecord]] = []  # (index of the case, record)
    events: list[tuple[int, CaseEvent]] = []
    for spec in specs:
        item, steps = world.flows[spec.village][spec.item]
        walk = [s for s in steps if s.applies_to(spec.amount)]
        village_name = world.village_names[spec.village]
        official, _name = world.officials[spec.village]
        home_pk, head = spec.home if spec.home else (None, village_name)
        case = Case(
            number=spec.number,
            village_id=spec.village,
            item=item,
            title=spec.title,
            household_id=home_pk,
            applicant_name=head,
            amount=spec.amount,
            created_by_id=official,
            created_at=at(spec.on),
        )
        index = len(cases)
        duties: list[int] = []
        cases.append((case, duties))
        events.append(
            (
                index,
                CaseEvent(
                    kind=EventKind.STARTED, at=case.created_at, text=spec.title, actor_id=official
                ),
            )
        )
        day = spec.on
        if walk[0].level == Level.APPLICANT:
            records.append(
                (
                    index,
                    StepRecord(
                        step=walk[0],
                        entered_on=day,
                        due_on=day,
                        left_on=day,
                        outcome=Outcome.PASSED,
                        opinion=_("Applied."),
                        signer=head,
                        signed_on=day,
                        actor_id=official,
                    ),
                )
            )
            walk = walk[1:]
        running = spec.fate.startswith("open")
        if running:
            # the steps before the one in hand were passed on the day it was applied for
            stop = chooser.randrange(len(walk))
        elif spec.fate == "done":
            stop = len(walk)
        else:
            stop = chooser.randrange(len(walk))  # refused or withdrawn at this step
        for position, step in enumerate(walk):
            entered = day
            due = world.deadline(step, spec.village, entered)
            office = office_of(spec.village, step.level)
            signer_pk, signer = world.officials[office]
            duty = Task(
                division_id=office,
                title=_("Case %(number)s %(item)s: %(step)s")
                % {"number": spec.number, "item": item.name, "step": step.name},
                description=_("Case %(number)s, village %(village)s.")
                % {"number": spec.number, "village": village_name},
                due_on=due,
                start_on=entered,
                source=Source.CASE,
                created_by_id=official,
            )
            duties.append(len(tasks))
            tasks.append(duty)
            if running and position == stop:
                # open_duty: the light of the day it opened (refresh_task), its timeline
                duty.progress = Decimal(0)
                duty.state = rules.state_of(duty.progress, due, entered)
                duty.light = rules.light_of(duty.progress, entered, due, entered, policy)
                task_events.append(
                    (
                        duties[-1],
                        TaskEvent(
                            at=at(entered),
                            kind=TaskEventKind.CREATED,
                            actor_id=official,
                            data={"source": Source.CASE},
                        ),
                    )
                )
                if duty.light != Light.GREEN:
                    task_events.append(
                        (
                            duties[-1],
                            TaskEvent(
                                at=at(entered),
                                kind=TaskEventKind.LIGHT_CHANGED,
                                data={"before": Light.GREEN, "after": duty.light},
                            ),
                        )
                    )
                records.append((index, StepRecord(step=step, entered_on=entered, due_on=due)))
                case.step, case.step_due_on, case.state = step, due, CaseState.OPEN
                break
            late = chooser.random() < 0.08
            left = (
                due + dt.timedelta(days=chooser.randint(1, 6))
                if late
                else entered + dt.timedelta(days=chooser.randint(0, max((due - entered).days, 0)))
            )
            if running:
                left = entered  # passed on the day
            duty.progress, duty.completed_on = Decimal(100), left
            duty.state, duty.light = State.DONE, Light.GREEN
            if not running and position == stop and spec.fate != "done":
                refused = spec.fate == "refused"
                reason = chooser.choice(REFUSALS if refused else WITHDRAWALS)
                records.append(
                    (
                        index,
                        StepRecord(
                            step=step,
                            entered_on=entered,
                            due_on=due,
                            left_on=left,
                            outcome=Outcome.REFUSED if refused else Outcome.WITHDRAWN,
                            opinion=reason,
                            signer=signer if refused else "",
                            signed_on=left if refused else None,
                            sealed=refused,
                            actor_id=signer_pk if refused else official,
                            late=left > due,
                        ),
                    )
                )
                kind = EventKind.REFUSED if refused else EventKind.WITHDRAWN
                events.append(
                    (index, CaseEvent(kind=kind, at=at(left, 15), text=reason, actor_id=signer_pk))
                )
                case.state = CaseState.REFUSED if refused else CaseState.WITHDRAWN
                case.reason, case.closed_on = reason, left
                break
            opinion = "情况属实，同意" if step.level != Level.TOWN else "同意"
            records.append(
                (
                    index,
                    StepRecord(
                        step=step,
                        entered_on=entered,
                        due_on=due,
                        left_on=left,
                        outcome=Outcome.PASSED,
                        opinion=opinion,
                        signer=signer,
                        sealed=step.level == Level.TOWN,
                        signed_on=left,
                        actor_id=signer_pk,
                        late=left > due,
                    ),
                )
            )
            events.append(
                (
                    index,
                    CaseEvent(
                        kind=EventKind.PASSED,
                        at=at(left, 14),
                        text=f"{step.name}：{opinion}",
                        actor_id=signer_pk,
                    ),
                )
            )
            day = left
        else:
            case.state, case.closed_on = CaseState.DONE, day
            events.append(
                (
                    index,
                    CaseEvent(
                        kind=EventKind.DONE, at=at(day, 16), actor_id=world.officials[office][0]
                    ),
                )
            )
    with transaction.atomic():
        Task.objects.bulk_create(tasks, batch_size=2000)
        for task_index, event in task_events:
            event.task_id = tasks[task_index].pk
        TaskEvent.objects.bulk_create([event for _i, event in task_events], batch_size=2000)
        for case, duties in cases:
            case.duty_id = tasks[duties[-1]].pk  # the step in hand's, or the last one closed
        Case.objects.bulk_create([case for case, _d in cases], batch_size=2000)
        for case_index, record in records:
            record.case_id = cases[case_index][0].pk
        StepRecord.objects.bulk_create([record for _i, record in records], batch_size=2000)
        for case_index, event in events:
            event.case_id = cases[case_index][0].pk
        CaseEvent.objects.bulk_create([event for _i, event in events], batch_size=2000)


# --------------------------------------------------------------------------- the figures


def _time_lists(world: World, total: int) -> dict[str, object]:
    """The list pages, each: median milliseconds, queries of one request, rows it lists."""
    import statistics
    import time

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    if not getattr(_time_lists, "instrumented", False):
        setup_test_environment()  # response.context, to read the paginator's count
        _time_lists.instrumented = True  # type: ignore[attr-defined]
    cast = world.cast
    pages = {
        "page1": "/cases/",
        "page50": "/cases/?page=50",
        "search": "/cases/?q=%E6%95%91%E5%8A%A9",  # 救助
        "search_name": "/cases/?q=%E7%8E%8B%E7%A7%80%E8%8B%B1",  # 王秀英
        "overdue": "/cases/?state=open&light=overdue",
    }
    figures: dict[str, object] = {}
    people = [
        ("county", cast.alice, pages),
        ("town", cast.tom, pages),
        ("village", cast.victor, pages),
        ("villager", cast.vera, {"mine": "/cases/mine/", "mine_page2": "/cases/mine/?page=2"}),
    ]
    for label, user, urls in people:
        client = Client()
        client.force_login(user)
        for name, url in urls.items():
            response = client.get(url)  # warm up templates, caches and the session
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code} for {label}")
            spent = []
            for _attempt in range(RUNS):
                began = time.perf_counter()
                client.get(url)
                spent.append(time.perf_counter() - began)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            page = response.context["page"]
            figures[f"{label}_{name}"] = {
                "ms": round(1000 * statistics.median(spent), 1),
                "queries": len(queries),
                "rows": page.paginator.count,
                "page": page.number,
            }
    return {f"list_at_{total}": figures}


def _counts(world: World) -> dict[str, object]:
    from django.db.models import Count

    from hemei.cases.models import Case, CaseEvent, StepRecord
    from hemei.tasks.models import Task

    states = dict(Case.objects.values_list("state").annotate(n=Count("id")).order_by())
    return {
        "cases": sum(states.values()),
        "cases_by_state": states,
        "open_steps_overdue": Case.objects.filter(
            state="open", step_due_on__lt=world.today
        ).count(),
        "step_records": StepRecord.objects.count(),
        "case_events": CaseEvent.objects.count(),
        "duties": Task.objects.filter(source="case").count(),
    }


def _time_sweeps(world: World) -> dict[str, object]:
    import datetime as dt
    import time

    from django.db import connection

    from hemei.supervision.models import Card, SupervisionOrder
    from hemei.supervision.services import climb_ladder

    figures: dict[str, object] = {}
    days = (
        ("catch_up", world.today),
        ("same_day", world.today),
        ("next_day", world.today + dt.timedelta(days=1)),
    )
    for name, day in days:
        counter = [0]

        def count(execute, sql, params, many, context, counter=counter):  # type: ignore[no-untyped-def]
            counter[0] += 1
            return execute(sql, params, many, context)

        began = time.perf_counter()
        with connection.execute_wrapper(count):
            taken = climb_ladder(today=day)
        spent = time.perf_counter() - began
        steps = sum(v for k, v in taken.items() if k != "overdue_replies")
        figures[f"sweep_{name}"] = {
            "s": round(spent, 2),
            "steps": taken,
            "ms_per_step": round(1000 * spent / steps, 1) if steps else None,
            "queries": counter[0],
        }
    figures["cards"] = Card.objects.count()
    figures["supervision_orders"] = SupervisionOrder.objects.count()
    return figures


def _check(world: World, swept: object) -> dict[str, object]:
    """The generated rows are what the services make and read (``swept``: the day of the
    last sweep, which refreshed the duties' states)."""
    from hemei.cases import selectors, services
    from hemei.cases.choices import CaseState, Outcome
    from hemei.cases.models import Case, StepRecord
    from hemei.core.testing import VILLAGE_A
    from hemei.divisions.models import Division
    from hemei.tasks.choices import State
    from hemei.tasks.models import Task

    cast, today = world.cast, world.today
    problems: list[str] = []
    running = Case.objects.filter(state__in=CaseState.running())
    if StepRecord.objects.filter(outcome=Outcome.OPEN).count() != running.count():
        problems.append("one open step record per running case")
    overdue_cases = selectors.overdue(Case.objects.all(), swept).count()
    overdue_duties = Task.objects.filter(source="case", state=State.OVERDUE).count()
    if overdue_cases != overdue_duties:
        problems.append(f"overdue cases {overdue_cases} != overdue duties {overdue_duties}")
    if Task.objects.filter(source="case").exclude(state=State.DONE).count() != running.count():
        problems.append("one running duty per running case")
    sample = Case.objects.filter(village_id=VILLAGE_A).select_related("item")[:200]
    for case in sample:
        walked = list(case.records.values_list("step_id", flat=True))
        if not set(walked) <= {s.pk for s in services.path(case.item, case.amount)}:
            problems.append(f"{case.number} walked off its path")
            break
    if selectors.cases(cast.victor).count() != Case.objects.filter(village_id=VILLAGE_A).count():
        problems.append("the village official's list")

    # A generated open case at the village's step, passed by the village through the service.
    case = (
        Case.objects.filter(
            village_id=VILLAGE_A, state=CaseState.OPEN, step__level="village", item__code="F01"
        )
        .order_by("-id")
        .first()
    )
    duty = case.duty_id
    passed = services.pass_step(actor=cast.victor, case=case, opinion="情况属实", signer="魏村")
    if Task.objects.get(pk=duty).state != State.DONE or passed.duty_id == duty:
        problems.append("pass_step on a generated case did not move its duty")
    # the village's step publishes: the case waits for its notice, then reaches the town
    from hemei.core import clock as platform_clock
    from hemei.notices.models import Notice
    from hemei.notices.services import end_due_notices

    if passed.state != CaseState.NOTICE:
        problems.append("pass_step on a generated case posted no notice")
    else:
        ends = Notice.objects.of(passed).get().ends_at
        with platform_clock.frozen_at(ends + datetime.timedelta(minutes=1)):
            end_due_notices()
        passed.refresh_from_db()
    if passed.step is None or passed.step.level != "town" or passed.records.count() != 3:
        problems.append("pass_step on a generated case did not reach the town's step")
    # A new case numbered after the generated ones, by the villager.
    last = (
        Case.objects.filter(number__startswith=f"{VILLAGE_A}-{today.year}-")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    new = services.start_case(
        actor=cast.vera,
        village=Division.objects.get(code=VILLAGE_A),
        item_code="F01",
        title="因病临时救助",
    )
    expected = f"{VILLAGE_A}-{today.year}-{int(last.rsplit('-', 1)[1]) + 1:04d}"
    if new.number != expected:
        problems.append(f"start_case numbered {new.number}, expected {expected}")
    return {"consistent": not problems, "problems": problems}

"""Demo progress reports on the demo tasks: approved, waiting and returned ones, with photos
made by Pillow at load time (EXIF time and GPS near the village), and one photo used twice
so the reviewer sees the duplicate warning.

Runs after the tasks demo; with no tasks there it adds nothing. Authors are the people who
report on each task's division (the town or village official), reviewers the county's
administrator, through the same services the pages use. Each report is dated after its
task was created and after the task's last decided report.

The tasks demo records its history of approved progress through :func:`history_reports`,
so every progress step on a task's timeline has its report in the task's list.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.utils import timezone

from hemei.accounts.policy import allows
from hemei.accounts.roles import TASK_REPORT_ROLES
from hemei.core import clock
from hemei.divisions.models import subtree_q

from .models import ReportState

#: Roughly 田横镇 and 金口镇 (for the demo photos' GPS tags).
PLACES = {"370215100": (36.4321, 120.8873), "370215101": (36.5502, 120.6404)}
COLORS = [(76, 140, 74), (196, 120, 60), (70, 110, 170), (150, 90, 140), (200, 170, 60)]


def photo(index: int, *, taken: dt.datetime, near: tuple[float, float]) -> bytes:
    """A 640×480 JPEG of coloured shapes, with DateTimeOriginal and GPS tags."""
    from PIL import ExifTags, Image, ImageDraw

    color = COLORS[index % len(COLORS)]
    image = Image.new("RGB", (640, 480), (235, 240, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 480), fill=color)
    draw.polygon([(120, 300), (260, 170), (400, 300)], fill=(160, 60, 50))
    draw.rectangle((150, 300, 370, 420), fill=(245, 235, 210), outline=(90, 90, 90), width=3)
    draw.ellipse((500, 40, 580, 120), fill=(250, 210, 80))
    draw.text(
        (20, 20),
        f"Hemei demo #{index + 1} {timezone.localtime(taken):%Y-%m-%d %H:%M}",
        fill=(40, 40, 40),
    )
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "HemeiDemo"
    local = timezone.localtime(taken)  # EXIF keeps the camera's local time
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = f"{local:%Y:%m:%d %H:%M:%S}"
    lat, lon = near[0] + index * 0.0007, near[1] + index * 0.0009
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = _dms(lat)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = _dms(lon)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 3))


def _reporter(task: Any) -> Any:
    """Someone whose grant sits on the task's own division and who may report on it."""
    from hemei.accounts.models import RoleAssignment

    grants = RoleAssignment.objects.filter(
        division_id=task.division_id, role__in=TASK_REPORT_ROLES, user__is_active=True
    ).select_related("user")
    for grant in grants.order_by("id"):
        if allows(grant.user, "report", task):
            return grant.user
    return None


def _reviewer(task: Any, author: Any) -> Any:
    from hemei.accounts.models import RoleAssignment

    above = [task.division_id[:n] for n in (6, 9) if n < len(task.division_id)]
    grants = RoleAssignment.objects.filter(
        division_id__in=above, user__is_active=True, role__in=["county_admin", "town_official"]
    ).select_related("user")
    for grant in grants.order_by("-division_id", "id"):
        if grant.user_id != author.pk and allows(grant.user, "review", task):
            return grant.user
    return None


def _at(day: dt.date, hour: int) -> dt.datetime:
    """``hour`` o'clock on ``day`` in the platform's time zone."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _nearest_grants(task: Any) -> Any:
    """Grants on the task's division and the divisions above it, the nearest first."""
    from hemei.accounts.models import RoleAssignment

    code = task.division_id
    prefixes = [code[:n] for n in (6, 9, 12) if n <= len(code)]
    return (
        RoleAssignment.objects.filter(division_id__in=prefixes, user__is_active=True)
        .select_related("user")
        .order_by("-division_id", "id")
    )


def _history_author(task: Any) -> Any:
    """Who reports on ``task``: its responsible person, else the nearest official who may."""

    if task.responsible is not None and allows(task.responsible, "report", task):
        return task.responsible
    for grant in _nearest_grants(task):
        if allows(grant.user, "report", task):
            return grant.user
    return None


def _history_reviewer(task: Any, author: Any) -> Any:
    """Who approves ``author``'s report: the nearest official above who may review."""

    for grant in _nearest_grants(task):
        if grant.user_id != author.pk and allows(grant.user, "review", task):
            return grant.user
    leader = task.lead_leader
    if leader is not None and leader.pk != author.pk and allows(leader, "review", task):
        return leader
    return None


def history_reports(steps: Iterable[Any]) -> int:
    """The demo's past progress, written in bulk (the tasks demo has hundreds of steps).

    Each step is an approved report on a leaf task, submitted at 10:00 by the person who
    reports on the task and approved at 16:00 by a reviewer above them, with the three
    timeline lines the services write (submitted, approved, progress changed); the task
    moves to the report's percent (100% completes it that day). Then every parent rolls up,
    completed, if it is, on its last part's day. States and lights are left to
    ``refresh_lights``. One step per task; answers how many reports were written.
    """
    from hemei.tasks import rules
    from hemei.tasks.choices import EventKind
    from hemei.tasks.models import Task, TaskEvent

    from .models import ProgressReport
    from .services import approved_line, submitted_line

    people: dict[tuple[Any, ...], tuple[Any, Any]] = {}
    planned: list[tuple[Any, ProgressReport]] = []
    for step in steps:
        task = step.task
        key = (task.division_id, task.responsible_id, task.lead_leader_id)
        if key not in people:
            author = _history_author(task)
            people[key] = (author, _history_reviewer(task, author) if author else None)
        author, reviewer = people[key]
        if reviewer is None:
            continue
        report = ProgressReport(
            task=task,
            author=author,
            percent=rules.clamp_percent(step.percent),
            text=step.text,
            state=ReportState.APPROVED,
            submitted_at=_at(step.on, 10),
            decided_at=_at(step.on, 16),
            decided_by=reviewer,
        )
        planned.append((step, report))
    reports = ProgressReport.objects.bulk_create([report for _step, report in planned])
    # created_at is set on insert: the report was written when it was submitted
    ProgressReport.objects.filter(pk__in=[r.pk for r in reports]).update(
        created_at=F("submitted_at")
    )

    events: list[TaskEvent] = []
    tasks: list[Any] = []
    last_day: dict[int, dt.date] = {}
    for step, report in planned:
        task = step.task
        before, task.progress = task.progress, report.percent
        if task.progress >= rules.HUNDRED and task.completed_on is None:
            task.completed_on = step.on
        tasks.append(task)
        data = {"report": report.pk, "percent": str(report.percent)}
        events += [
            TaskEvent(
                task=task,
                at=report.submitted_at,
                kind=EventKind.REPORT_SUBMITTED,
                actor=report.author,
                text=submitted_line(report),
                data={**data, "evidence": 0, "resubmitted": False},
            ),
            TaskEvent(
                task=task,
                at=report.decided_at,
                kind=EventKind.REPORT_APPROVED,
                actor=report.decided_by,
                text=approved_line(report),
                data=data,
            ),
        ]
        if task.progress != before:
            events.append(
                TaskEvent(
                    task=task,
                    at=report.decided_at,
                    kind=EventKind.PROGRESS,
                    actor=report.decided_by,
                    text=report.text[:500],
                    data={"before": str(before), "after": str(task.progress)},
                )
            )
        if task.parent_id:
            last_day[task.parent_id] = max(step.on, last_day.get(task.parent_id, step.on))
    Task.objects.bulk_update(tasks, ["progress", "completed_on"], batch_size=500)
    TaskEvent.objects.bulk_create(events, batch_size=1000)
    _roll_up(last_day)
    return len(reports)


def _roll_up(last_day: dict[int, dt.date]) -> None:
    """Roll the parts' progress into their parents, the deepest first, each parent
    completed (if it is) on the day its last part moved."""
    from django.db.models.functions import Length

    from hemei.tasks import rules
    from hemei.tasks.models import Task

    pending = dict(last_day)
    while pending:
        parents = Task.objects.filter(pk__in=list(pending)).order_by(
            Length("division_id").desc(), "pk"
        )
        deepest = len(parents[0].division_id)
        for parent in parents:
            if len(parent.division_id) != deepest:
                continue
            on = pending.pop(parent.pk)
            progress = rules.rolled_up(parent.children.values_list("weight", "progress"))
            if progress != parent.progress:
                parent.progress = progress
                if progress >= rules.HUNDRED and parent.completed_on is None:
                    parent.completed_on = on
                parent.save(update_fields=["progress", "completed_on"])
            if parent.parent_id:
                pending[parent.parent_id] = max(on, pending.get(parent.parent_id, on))


def _earliest(task: Any) -> dt.datetime:
    """A new report on ``task`` comes after its creation and its last decided report."""
    from django.db.models import Max

    from .models import ProgressReport

    decided = ProgressReport.objects.filter(task=task).aggregate(last=Max("decided_at"))["last"]
    return max(filter(None, [task.created_at, decided]))


def load_history() -> None:
    """The past progress the tasks demo planned, each step an approved report."""
    from hemei.tasks.demo import take_planned_steps
    from hemei.tasks.services import refresh_lights

    if history_reports(take_planned_steps()):
        refresh_lights()


def load() -> None:
    from hemei.tasks.choices import State
    from hemei.tasks.models import Task

    from . import services

    load_history()
    from .evidence import check_file
    from .models import Evidence, ProgressReport

    # Loaded already: its reports carry photos, or wait for review, or went back.
    if Evidence.objects.exists() or ProgressReport.objects.exclude(state="approved").exists():
        return
    leaves = (
        Task.objects.filter(children__isnull=True)
        .exclude(state=State.DONE)
        .filter(subtree_q(list(PLACES), "division"))
        .select_related("division")
        .order_by("division_id", "id")
    )
    plan: list[tuple[Any, Any, Any]] = []
    for task in leaves[:200]:
        author = _reporter(task)
        reviewer = _reviewer(task, author) if author else None
        if author and reviewer:
            plan.append((task, author, reviewer))
        if len(plan) >= 6:
            break
    if not plan:
        return
    now = clock.now()
    shared: bytes | None = None
    texts = [
        "完成入户摸底，已改造{n}户，现场照片见附件。",
        "施工队已进场，完成主体工程约{n}%。",
        "召开村民代表会议，确定实施方案，已完成{n}户签字。",
    ]
    for index, (task, author, reviewer) in enumerate(plan):
        near = PLACES.get(task.division_id[:9], (36.39, 120.45))
        # Some days ago, but never before the task was created or its last report decided.
        taken, earliest = now - dt.timedelta(days=6 - index, hours=index), _earliest(task)
        if taken <= earliest:
            taken = earliest + (now - earliest) / 4
        pictures = [photo(index * 2 + k, taken=taken, near=near) for k in range(2)]
        files = [check_file(f"IMG_{20260 + index * 2 + k}.jpg", p) for k, p in enumerate(pictures)]
        if shared is None:
            shared = pictures[0]
        elif index == len(plan) - 1:
            files.append(check_file("现场照片.jpg", shared))  # the same photo, elsewhere
        # ahead of what the task already has (the tasks demo may have moved it)
        percent = min(95, max(int(task.progress) + 10, 20 + 15 * index))
        written = taken + min(dt.timedelta(hours=2), (now - taken) / 4)
        with clock.frozen_at(written):
            report = services.create_report(
                actor=author,
                task=task,
                percent=percent,
                text=texts[index % len(texts)].format(n=percent),
                files=files,
                submit=True,
            )
        ProgressReport.objects.filter(pk=report.pk).update(created_at=written)
        with clock.frozen_at(taken + min(dt.timedelta(days=1), (now - taken) / 2)):
            if index % 3 == 0:
                services.approve_report(actor=reviewer, report=report)
            elif index % 3 == 2:
                services.return_report(
                    actor=reviewer, report=report, reason="照片未体现完成情况，请补充验收资料。"
                )

"""Demo progress reports on the demo tasks: approved, waiting and returned ones, with photos
made by Pillow at load time (EXIF time and GPS near the village), and one photo used twice
so the reviewer sees the duplicate warning.

Runs after the tasks demo; with no tasks there it adds nothing. Authors are the people who
report on each task's division (the town or village official), reviewers the county's
administrator, through the same services the pages use.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

from hemei.accounts.policy import allows
from hemei.accounts.roles import TASK_REPORT_ROLES
from hemei.core import clock
from hemei.divisions.models import subtree_q

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


def load() -> None:
    from hemei.tasks.choices import State
    from hemei.tasks.models import Task

    from . import services
    from .evidence import check_file
    from .models import ProgressReport

    if ProgressReport.objects.exists():
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
        taken = now - dt.timedelta(days=6 - index, hours=index)
        pictures = [photo(index * 2 + k, taken=taken, near=near) for k in range(2)]
        files = [check_file(f"IMG_{20260 + index * 2 + k}.jpg", p) for k, p in enumerate(pictures)]
        if shared is None:
            shared = pictures[0]
        elif index == len(plan) - 1:
            files.append(check_file("现场照片.jpg", shared))  # the same photo, elsewhere
        # ahead of what the task already has (the tasks demo may have moved it)
        percent = min(95, max(int(task.progress) + 10, 20 + 15 * index))
        with clock.frozen_at(taken + dt.timedelta(hours=2)):
            report = services.create_report(
                actor=author,
                task=task,
                percent=percent,
                text=texts[index % len(texts)].format(n=percent),
                files=files,
                submit=True,
            )
        with clock.frozen_at(taken + dt.timedelta(days=1)):
            if index % 3 == 0:
                services.approve_report(actor=reviewer, report=report)
            elif index % 3 == 2:
                services.return_report(
                    actor=reviewer, report=report, reason="照片未体现完成情况，请补充验收资料。"
                )

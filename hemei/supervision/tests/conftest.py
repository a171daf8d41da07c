"""A town task of town A with a lead leader, a lead unit and a responsible person."""

from __future__ import annotations

import datetime as dt

import pytest

from hemei.core import clock
from hemei.core.testing import TOWN_A, Cast
from hemei.divisions.models import Division
from hemei.tasks import services as task_services
from hemei.tasks.models import Task

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
DUE = dt.date(2026, 12, 10)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """A moment on ``day`` (Shanghai time is UTC+8, so 01:00 UTC is the same date)."""
    return dt.datetime(day.year, day.month, day.day, hour - 8 if hour >= 8 else 1, tzinfo=dt.UTC)


def make_task(cast: Cast, *, division: str = TOWN_A, **fields) -> Task:
    values = {
        "title": "田横镇人居环境整治",
        "due_on": DUE,
        "start_on": dt.date(2026, 11, 1),
        "lead_leader": cast.lily,
        "lead_unit": cast.unit,
        "responsible": cast.victor,
    }
    values.update(fields)
    with clock.frozen_at(START):
        return task_services.create_task(
            actor=cast.alice, division=Division.objects.get(code=division), **values
        )


@pytest.fixture
def task(cast: Cast) -> Task:
    for person, address in [
        (cast.tom, "tom@example.cn"),
        (cast.dan, "dan@example.cn"),
        (cast.lily, "lily@example.cn"),
    ]:
        person.email = address
        person.save(update_fields=["email"])
    return make_task(cast)

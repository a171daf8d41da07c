"""Small builders for ranking tests: tasks with exactly the dates a case needs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hemei.core.testing import run_worker  # noqa: F401  (the rankings tests import it from here)
from hemei.tasks.models import Task

TOWN_C = "370215103"  # 段泊岚镇

OCT = dt.date(2026, 10, 1)
SEP = dt.date(2026, 9, 1)
NOV_23 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def day(month: int, number: int) -> dt.date:
    return dt.date(2026, month, number)


def make_task(
    division: str,
    due_on: dt.date,
    completed_on: dt.date | None = None,
    parent: Task | None = None,
    **fields: Any,
) -> Task:
    """A task with its dates set directly (the services would move them with the clock)."""
    return Task.objects.create(
        division_id=division,
        title=fields.pop("title", f"任务 {division} {due_on}"),
        due_on=due_on,
        completed_on=completed_on,
        progress=Decimal(100) if completed_on else Decimal(fields.pop("progress", 40)),
        state="done" if completed_on else "in_progress",
        parent=parent,
        **fields,
    )

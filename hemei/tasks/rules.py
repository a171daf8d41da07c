"""The arithmetic of tasks, free of the database: roll-up, state and light.

Kept pure so the property tests can drive it with any tree and any clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .choices import Light, State

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def clamp_percent(value: Decimal | float | int) -> Decimal:
    """A percent in [0, 100] with two decimals."""
    number = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(max(number, Decimal(0)), HUNDRED)


def rolled_up(children: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ wᵢ·pᵢ / Σ wᵢ over (weight, progress) pairs; all-zero weights count equally.

    Each pᵢ is clamped to [0, 100] first, so the mean is too; an empty list is 0.
    """
    pairs = [(max(Decimal(w), Decimal(0)), clamp_percent(p)) for w, p in children]
    if not pairs:
        return Decimal(0)
    total = sum((w for w, _ in pairs), Decimal(0))
    if total == 0:
        pairs = [(Decimal(1), p) for _, p in pairs]
        total = Decimal(len(pairs))
    return clamp_percent(sum((w * p for w, p in pairs), Decimal(0)) / total)


@dataclass(frozen=True)
class Policy:
    """When a task turns yellow: inside ``yellow_days`` of its deadline and behind time."""

    yellow_days: int = 7
    lag_points: int = 0


def elapsed_percent(start: dt.date, due: dt.date, today: dt.date) -> Decimal:
    """The share of the task's time already gone, 0–100."""
    if today <= start:
        return Decimal(0)
    if due <= start or today >= due:
        return HUNDRED
    return clamp_percent(Decimal((today - start).days) * HUNDRED / Decimal((due - start).days))


def state_of(progress: Decimal, due: dt.date, today: dt.date) -> State:
    if progress >= HUNDRED:
        return State.DONE
    if today > due:
        return State.OVERDUE
    if progress > 0:
        return State.IN_PROGRESS
    return State.NOT_STARTED


def light_of(
    progress: Decimal, start: dt.date, due: dt.date, today: dt.date, policy: Policy
) -> Light:
    """Red when overdue; yellow when the deadline is near and progress trails the time
    elapsed by more than the allowed lag; green otherwise (and once done)."""
    state = state_of(progress, due, today)
    if state == State.DONE:
        return Light.GREEN
    if state == State.OVERDUE:
        return Light.RED
    near = (due - today).days <= policy.yellow_days
    if near and progress + policy.lag_points < elapsed_percent(start, due, today):
        return Light.YELLOW
    return Light.GREEN

"""The arithmetic of a ranking, free of the database.

Each unit (a town, or a village) brings four figures for the period: its on-time completion
rate R (completed on time / tasks due, in percent), its overdue count O, its average delay D
(days past the deadline, averaged over its late tasks) and the supervision orders S it
received. Only units with at least one task due are ranked; the others are listed unranked.

Each figure becomes a part score from 0 to 100 across the ranked units:

    on time   = R                          (already a percentage)
    overdue   = 100 × (1 − O / max O)      (100 for everyone when no one has any)
    delay     = 100 × (1 − D / max D)
    orders    = 100 × (1 − S / max S)

and the score is their weighted mean, Σ wᵢ·partᵢ / Σ wᵢ, rounded to two decimals (so it stays
within 0–100). Units with equal scores share a rank and the next rank skips (1, 1, 3), and
ties are listed by division code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass
class Figures:
    """What one unit did in the period (counts from the database) and what it scored."""

    code: str
    due: int = 0
    on_time: int = 0
    overdue: int = 0
    late: int = 0
    delay_days: int = 0
    orders: int = 0
    score: Decimal | None = None
    rank: int | None = None

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.due:
            return None
        return (Decimal(self.on_time) * HUNDRED / Decimal(self.due)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )

    @property
    def average_delay(self) -> Decimal:
        if not self.late:
            return Decimal(0)
        return (Decimal(self.delay_days) / Decimal(self.late)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )


def _part(value: Decimal, worst: Decimal) -> Decimal:
    if worst <= 0:
        return HUNDRED
    return HUNDRED * (1 - value / worst)


def score_and_rank(units: Iterable[Figures], weights: Mapping[str, int]) -> list[Figures]:
    """Fill in ``score`` and ``rank``; answer the units in ranking order, unranked last."""
    units = list(units)
    ranked = [unit for unit in units if unit.due > 0]
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("at least one weight must be above zero")
    worst_overdue = max((Decimal(u.overdue) for u in ranked), default=Decimal(0))
    worst_delay = max((u.average_delay for u in ranked), default=Decimal(0))
    worst_orders = max((Decimal(u.orders) for u in ranked), default=Decimal(0))
    for unit in ranked:
        parts = {
            "on_time": unit.on_time_rate or Decimal(0),
            "overdue": _part(Decimal(unit.overdue), worst_overdue),
            "delay": _part(unit.average_delay, worst_delay),
            "orders": _part(Decimal(unit.orders), worst_orders),
        }
        weighted = sum((Decimal(weights[name]) * parts[name] for name in parts), Decimal(0))
        unit.score = (weighted / Decimal(total)).quantize(CENT, rounding=ROUND_HALF_UP)
    ranked.sort(key=lambda unit: (-(unit.score or 0), unit.code))
    for position, unit in enumerate(ranked, start=1):
        tied = position > 1 and unit.score == ranked[position - 2].score
        unit.rank = ranked[position - 2].rank if tied else position
    unranked = sorted((unit for unit in units if unit.due == 0), key=lambda unit: unit.code)
    for unit in unranked:
        unit.score = unit.rank = None
    return ranked + unranked

"""Procedures that extend the case engine (宅基地审批 and those to come).

A module whose item needs more than the engine's steps — parallel opinions, site visits,
checks to answer before a step may pass — registers a :class:`Procedure` for the prefix of
its steps' keys (``Step.limit_key``, e.g. ``homestead.``). The engine calls it when a case
enters a step of that prefix, before such a step passes, and when the case closes. The engine
imports no module; modules import the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Procedure:
    prefix: str
    #: ``(case, step, today, actor)`` after the case entered ``step``
    entered: Callable[[Any, Any, dt.date, Any], None] | None = None
    #: ``(case, step, actor)`` before ``step`` passes: raise ValidationError to refuse
    before_pass: Callable[[Any, Any, Any], None] | None = None
    #: ``(case, step, outcome, today, actor)`` after the case left ``step`` (passed,
    #: returned, refused or withdrawn), inside the same transaction
    left: Callable[[Any, Any, str, dt.date, Any], None] | None = None
    #: ``(case, today, actor)`` when the case is refused, withdrawn or done
    closed: Callable[[Any, dt.date, Any], None] | None = None
    #: ``(case) -> url or ""``: the module's page of the case
    detail_url: Callable[[Any], str] | None = None


_procedures: dict[str, Procedure] = {}


def register(procedure: Procedure) -> None:
    _procedures[procedure.prefix] = procedure


def for_key(key: str) -> Procedure | None:
    for prefix, procedure in _procedures.items():
        if key.startswith(prefix):
            return procedure
    return None


def of_case(case: Any) -> Procedure | None:
    """The procedure of a case's item (by the keys of its steps)."""
    keys = [key for key in case.item.steps.values_list("limit_key", flat=True) if key]
    for key in keys:
        found = for_key(key)
        if found is not None:
            return found
    return None


def entered(case: Any, step: Any, today: dt.date, actor: Any) -> None:
    found = for_key(step.limit_key) if step.limit_key else None
    if found and found.entered:
        found.entered(case, step, today, actor)


def before_pass(case: Any, step: Any, actor: Any) -> None:
    found = for_key(step.limit_key) if step.limit_key else None
    if found and found.before_pass:
        found.before_pass(case, step, actor)


def left(case: Any, step: Any, outcome: str, today: dt.date, actor: Any) -> None:
    found = for_key(step.limit_key) if step.limit_key else None
    if found and found.left:
        found.left(case, step, outcome, today, actor)


def closed(case: Any, today: dt.date, actor: Any) -> None:
    found = of_case(case)
    if found and found.closed:
        found.closed(case, today, actor)


def detail_url(case: Any) -> str:
    found = of_case(case)
    return found.detail_url(case) if found and found.detail_url else ""

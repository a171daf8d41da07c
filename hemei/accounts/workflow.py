"""One shape for every state change: lock → guard → save → audit → timeline → notify.

A module names its moves as :class:`Transition` s (from these states to that one) and makes
each with :func:`change_state`, which

1. locks the row (``select_for_update``) and reads it afresh, so two clicks or two officials
   cannot both move it;
2. runs the module's guard (the access policy first, then business rules: 403 or 400), then
   refuses a row that is not in one of the transition's source states (a clear message, 400);
3. saves the new state and the fields that go with it;
4. writes the audit trail (who, when, the state from and to, the other changes);
5. runs the module's effects in the same transaction, in order: its timeline (a task's
   events, a points entry's transitions) and then its notifications.

So a transition is recorded the same way everywhere, and nothing half-happens: any failure
rolls the whole change back. (Wagtail's ``actions/`` — ``check()`` then ``execute()`` — is
the model; ``django-fsm-2`` was considered and not taken: it checks the source state on a
model method and leaves locking, the audit trail and the effects to each caller, which is the
part we needed to write once.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from . import audit
from .choices import AuditAction

M = TypeVar("M", bound=models.Model)

#: An effect after the save: given the row (in its new state) and the state it left.
Effect = Callable[[Any, str], None]


@dataclass(frozen=True)
class Transition:
    """A named move of a state field: from any of ``source`` to ``target``."""

    name: str
    source: frozenset[str]
    target: str
    field: str = "state"
    #: what the user reads when the row is not in a source state
    refused: Any = None

    def allowed_from(self, state: str) -> bool:
        return state in self.source


def change_state(
    instance: M,
    transition: Transition,
    *,
    actor: Any,
    division_code: str | Callable[[M], str],
    guard: Callable[[M], None] | None = None,
    values: Mapping[str, Any] | Callable[[M], Mapping[str, Any]] | None = None,
    audit_notes: Mapping[str, Any] | None = None,
    effects: Sequence[Effect] = (),
    queryset: models.QuerySet[M] | None = None,
) -> M:
    """Make ``transition`` on ``instance``: see the module docstring for the steps."""
    rows = queryset if queryset is not None else type(instance)._default_manager.all()
    with transaction.atomic():
        row = rows.select_for_update(of=("self",)).get(pk=instance.pk)
        if guard is not None:
            guard(row)
        before = getattr(row, transition.field)
        if not transition.allowed_from(before):
            raise ValidationError(
                transition.refused or _("This can no longer be done: it has changed meanwhile.")
            )
        fields = dict(values(row) if callable(values) else (values or {}))
        setattr(row, transition.field, transition.target)
        for name, value in fields.items():
            setattr(row, name, value)
        update = [transition.field, *fields]
        if any(f.name == "updated_at" for f in row._meta.concrete_fields):
            update.append("updated_at")
        row.save(update_fields=update)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=row,
            changes={transition.field: [before, transition.target], **(audit_notes or {})},
            division_code=division_code(row) if callable(division_code) else division_code,
        )
        for effect in effects:
            effect(row, before)
    return row

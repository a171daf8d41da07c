"""Writing units: every change is attributed and kept in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hemei.accounts.audit import diff, record, snapshot
from hemei.accounts.policy import check_administers
from hemei.divisions.models import Division

from .models import Unit


@transaction.atomic
def create_unit(
    *,
    actor: Any,
    name: str,
    kind: str,
    division: Division,
    short_name: str = "",
    note: str = "",
    is_active: bool = True,
) -> Unit:
    check_administers(actor, division)
    unit = Unit(
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        division=division,
        note=note,
        is_active=is_active,
    )
    unit.full_clean()
    unit.save()
    record(
        actor=actor,
        action="create",
        instance=unit,
        changes=diff({}, snapshot(unit)),
        division_code=division.code,
    )
    return unit


@transaction.atomic
def update_unit(*, actor: Any, unit: Unit, **fields: Any) -> Unit:
    check_administers(actor, unit.division)
    if "division" in fields:
        check_administers(actor, fields["division"])
    before = snapshot(unit)
    for name, value in fields.items():
        setattr(unit, name, value.strip() if isinstance(value, str) else value)
    unit.full_clean()
    changes = diff(before, snapshot(unit))
    if not changes:
        return unit
    unit.save()
    record(
        actor=actor,
        action="update",
        instance=unit,
        changes=changes,
        division_code=unit.division_id,
    )
    return unit


__all__ = ["ValidationError", "create_unit", "update_unit"]

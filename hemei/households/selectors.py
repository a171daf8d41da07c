"""Reads shared by views, other apps (points) and the API."""

from __future__ import annotations

from typing import Any

from .models import Household, Resident


def resident_of(user: Any) -> Resident | None:
    """The active resident linked to a villager's account, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Resident.objects.filter(user=user, is_active=True, household__is_active=True)
        .select_related("household")
        .first()
    )


def household_of(user: Any) -> Household | None:
    """The active household of the resident linked to ``user``, if any."""
    resident = resident_of(user)
    return resident.household if resident else None

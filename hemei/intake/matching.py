"""Finding the platform's units and people behind the names a table or report writes.

Candidates are read once per import (one query each); matching is then plain Python.
The units considered for work at a division are those of the division itself, of the
divisions above it (the county's departments serve its towns) and of those below it.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from hemei.accounts.choices import Role
from hemei.accounts.models import RoleAssignment, User
from hemei.divisions.models import Division, subtree_q
from hemei.units.models import Unit

#: What separates several units or programs in one cell.
SEPARATORS = re.compile(r"[、，,;；/\n\r]+|\s{2,}")


def split_names(value: Any) -> list[str]:
    """``"区财政局、区农业农村局；区住建局"`` → the three names, in order, without repeats."""
    if value is None:
        return []
    names: list[str] = []
    for part in SEPARATORS.split(str(value)):
        part = part.strip(" \t。.")
        if part and part not in names:
            names.append(part)
    return names


def related_codes(division: Division) -> tuple[list[str], Q]:
    """The division's ancestors-or-self, and a filter for its subtree (on ``division_id``)."""
    return [*division.ancestor_codes(), division.code], subtree_q([division.code], "division_id")


def units_for(division: Division) -> list[Unit]:
    """Active units that may take work at ``division``, nearest first."""
    above, below = related_codes(division)
    units = list(
        Unit.objects.active().filter(Q(division_id__in=above) | below).select_related("division")
    )
    units.sort(key=lambda unit: (_distance(division.code, unit.division_id), unit.name))
    return units


def _distance(code: str, other: str) -> int:
    """0 for the division itself, then the nearest ancestors, then anything below."""
    if other == code:
        return 0
    if code.startswith(other):
        return len(code) - len(other)
    return 100 + len(other)


@dataclass
class Found:
    """The outcome of a look-up: the match, or several equally good ones, or a suggestion."""

    match: Any = None
    ambiguous: list[Any] = field(default_factory=list)
    suggestion: str | None = None


class UnitIndex:
    """Units by full and short name, preferring the nearest division on a tie."""

    def __init__(self, division: Division, units: Iterable[Unit]) -> None:
        self.division = division
        self.units = list(units)
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        self.by_short: dict[str, list[Unit]] = defaultdict(list)
        for unit in self.units:
            self.by_name[unit.name].append(unit)
            if unit.short_name:
                self.by_short[unit.short_name].append(unit)

    def _nearest(self, units: list[Unit]) -> Found:
        distances = [_distance(self.division.code, unit.division_id) for unit in units]
        best = min(distances)
        nearest = [unit for unit, d in zip(units, distances, strict=True) if d == best]
        if len(nearest) == 1:
            return Found(match=nearest[0])
        return Found(ambiguous=nearest)

    def exact(self, text: str) -> Found:
        """By full name, else by short name; otherwise the closest name as a suggestion."""
        for table in (self.by_name, self.by_short):
            if text in table:
                return self._nearest(table[text])
        names = list(self.by_name) + list(self.by_short)
        close = difflib.get_close_matches(text, names, n=1, cutoff=0.5)
        if not close:
            close = [name for name in self.by_name if text in name or name in text][:1]
        return Found(suggestion=close[0] if close else None)

    def loose(self, text: str) -> Unit | None:
        """For text read in a report: exact, short name, or a name one contains the other
        (the longest such unit name wins; nothing when it is not unique)."""
        found = self.exact(text)
        if found.match is not None:
            return found.match
        if len(text) < 3:
            return None
        contained = [
            unit
            for unit in self.units
            if unit.name in text
            or text in unit.name
            or (len(unit.short_name) >= 3 and unit.short_name in text)
        ]
        if not contained:
            return None
        longest = max(len(unit.name) for unit in contained)
        best = [unit for unit in contained if len(unit.name) == longest]
        return self._nearest(best).match


class PeopleIndex:
    """People by full name: leaders (the leader role over the division) and anyone holding a
    role at, above or below it (responsible persons)."""

    def __init__(self, division: Division) -> None:
        above, below = related_codes(division)
        assignments = (
            RoleAssignment.objects.filter(Q(division_id__in=above) | below)
            .select_related("user")
            .only("role", "division_id", "user__id", "user__full_name", "user__username")
        )
        self.leaders: dict[str, dict[int, User]] = defaultdict(dict)
        self.people: dict[str, dict[int, User]] = defaultdict(dict)
        for assignment in assignments:
            user = assignment.user
            if not user.full_name:
                continue
            self.people[user.full_name][user.pk] = user
            if assignment.role == Role.LEADER and assignment.division_id in above:
                self.leaders[user.full_name][user.pk] = user

    @staticmethod
    def _find(table: dict[str, dict[int, User]], name: str) -> Found:
        users = list(table.get(name, {}).values())
        if len(users) == 1:
            return Found(match=users[0])
        if users:
            return Found(ambiguous=sorted(users, key=lambda user: user.username))
        close = difflib.get_close_matches(name, list(table), n=1, cutoff=0.6)
        return Found(suggestion=close[0] if close else None)

    def leader(self, name: str) -> Found:
        return self._find(self.leaders, name)

    def person(self, name: str) -> Found:
        return self._find(self.people, name)

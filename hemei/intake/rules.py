"""Where a user may bring tasks in, and the theme vocabulary tables and reports use."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hemei.accounts.policy import allows_at, places
from hemei.core.choices import Theme
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

#: Levels at which tasks are imported and meetings organized.
INTAKE_LEVELS = (Level.COUNTY, Level.TOWN)

_THEME_WORDS: dict[str, str] = {
    "产业振兴": Theme.INDUSTRY,
    "产业": Theme.INDUSTRY,
    "人才振兴": Theme.TALENT,
    "人才": Theme.TALENT,
    "文化振兴": Theme.CULTURE,
    "文化": Theme.CULTURE,
    "生态振兴": Theme.ECOLOGY,
    "生态": Theme.ECOLOGY,
    "组织振兴": Theme.ORGANIZATION,
    "组织": Theme.ORGANIZATION,
    "其他": Theme.OTHER,
    "其它": Theme.OTHER,
}


def theme_of(text: Any) -> str | None:
    """A theme value from 产业振兴/产业/industry (or a label), ``None`` when unknown."""
    plain = re.sub(r"\s+", "", str(text or ""))
    if not plain:
        return Theme.OTHER
    if plain in _THEME_WORDS:
        return _THEME_WORDS[plain]
    for value, label in Theme.choices:
        if plain.lower() in (value, str(label).lower()):
            return value
    return None


def manageable_divisions(user: Any) -> list[Division]:
    """The counties and towns where the user may create tasks, county first."""
    found = places(user, "manage_tasks").current().filter(level__in=INTAKE_LEVELS)
    return list(found.order_by("code"))


def check_manage(actor: Any, division: Division) -> None:
    if not allows_at(actor, "manage_tasks", division.code) or division.level not in INTAKE_LEVELS:
        raise PermissionDenied(
            _("You may not create tasks in %(division)s.") % {"division": division}
        )

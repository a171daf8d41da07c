"""Reads of the public board: the village a public page names, what its sections show
(every item through the personal-data guard), and the officials' list of their villages.

The public pages read for no one in particular (the board is public, and a village that has
not turned it on is simply not there); what officials *list* goes through the access policy.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import pgettext

from hemei.accounts.policy import places
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.documents.rendering import check_no_personal_data

from .models import BoardSettings
from .sections import BoardItem, Section, sections

logger = logging.getLogger(__name__)

#: Villages the officials' list shows, by the board's state.
ON, OFF = "on", "off"


@dataclass(frozen=True)
class ShownSection:
    key: str
    title: str
    items: list[BoardItem]


@dataclass
class Board:
    """Everything a village's public page shows: nothing else reaches the template."""

    village: Division
    town: Division | None
    county: Division | None
    welcome: str = ""
    contact: str = ""
    sections: list[ShownSection] = field(default_factory=list)


def enabled_board(code: str) -> BoardSettings | None:
    """The settings of the village ``code`` if it is a village in force whose board is on;
    else None (the public pages answer 404 alike for a wrong code and a board that is off)."""
    if not (isinstance(code, str) and code.isascii() and code.isdigit() and len(code) == 12):
        return None
    return (
        BoardSettings.objects.enabled()
        .filter(village__level=Level.VILLAGE, village__valid_to__isnull=True)
        .select_related("village")
        .filter(village_id=code)
        .first()
    )


def _clean(value: str, *, where: str) -> str:
    """``value`` unless it holds an ID-card or mobile number (then empty, and logged)."""
    try:
        check_no_personal_data({"text": value})
    except ValidationError:
        logger.warning("public board: personal data in %s, left out", where)
        return ""
    return value


def _safe_url(url: str) -> bool:
    """A link the board may print: a path of the site or an http(s) address."""
    return (url.startswith("/") and not url.startswith("//")) or url.startswith(
        ("https://", "http://")
    )


def shown_items(section: Section, village: Division, today: dt.date) -> list[BoardItem]:
    """The section's items for the village, each passed through the personal-data guard:
    an item carrying an unmasked ID-card or mobile number anywhere (title, body, period,
    status, attachments) is dropped and logged (the section, the village and the field,
    never the value), and attachments that are no plain link are left off."""
    shown = []
    for item in section.items(village, today):
        try:
            check_no_personal_data(item)
        except ValidationError as error:
            logger.warning(
                "public board %s, section %s: an item was dropped (%s)",
                village.code,
                section.key,
                "; ".join(error.messages),
            )
            continue
        links = tuple((name, url) for name, url in item.attachments if _safe_url(str(url)))
        if links != item.attachments:
            item = BoardItem(**{**item.__dict__, "attachments": links})
        shown.append(item)
    return shown


def board_for(settings_row: BoardSettings, today: dt.date) -> Board:
    """The village's page: its place, its two lines, and every registered section."""
    village = settings_row.village
    above = Division.objects.in_bulk(village.ancestor_codes())
    town = above.get(village.code[:9])
    county = above.get(village.code[:6])
    where = f"the settings of board {village.code}"
    return Board(
        village=village,
        town=town,
        county=county,
        welcome=_clean(settings_row.welcome, where=where),
        contact=_clean(settings_row.contact, where=where),
        sections=[
            ShownSection(
                key=section.key,
                title=str(section.title),
                items=shown_items(section, village, today),
            )
            for section in sections()
        ],
    )


# --------------------------------------------------------------------------- officials


def villages_with_boards(user: Any, *, q: str = "", state: str = "") -> QuerySet[Division]:
    """The villages in force of the user's area, each with ``board_on`` (whether its
    board is on), filtered by words (name or code prefix) and by state."""
    rows = (
        places(user, "read_village")
        .current()
        .filter(level=Level.VILLAGE)
        .annotate(
            board_on=Exists(BoardSettings.objects.filter(village_id=OuterRef("code"), enabled=True))
        )
        .select_related("parent")
        .order_by("code")
    )
    if q:
        rows = rows.search(q)
    if state == ON:
        rows = rows.filter(board_on=True)
    elif state == OFF:
        rows = rows.filter(board_on=False)
    return rows


def boards_of(villages: list[Division]) -> list[tuple[Division, bool]]:
    """Each of the villages (a village official's own) and whether its board is on."""
    on = set(
        BoardSettings.objects.enabled()
        .filter(village_id__in=[village.code for village in villages])
        .values_list("village_id", flat=True)
    )
    return [(village, village.code in on) for village in villages if village.level == Level.VILLAGE]


def state_choices() -> list[tuple[str, str]]:
    return [(ON, pgettext("board", "on")), (OFF, pgettext("board", "off"))]


def settings_for(code: str) -> BoardSettings:
    """The village's board settings (off, empty, until someone changes them)."""
    found = BoardSettings.objects.filter(village_id=code).first()
    return found or BoardSettings(village_id=code)

"""The sections of a village's public board (村务公开栏), and the registry apps fill.

Every app that puts something on the board offers one plain function,
``board_items(village, today) -> list[BoardItem]``, and registers a :class:`Section`
naming it (in its ``AppConfig.ready``). The board asks every registered section, in
``order``, when it shows a village's page: it knows nothing of notices, catalogues or
decisions, so this module sits low in the layers and imports no domain app.

The orders in use: notices 10, the catalogue of powers and services 20, 四议两公开 decisions
30, the disclosure catalogue 40.

An item is plain text: the board escapes it, and drops (and logs) any item that carries an
unmasked ID-card or mobile number before it reaches the page. A provider still must not
put names, phones, ID numbers, bank or health data on the board: the guard is the last
line, not the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from hemei.divisions.models import Division


@dataclass(frozen=True)
class BoardItem:
    """One thing posted on the board: a notice, a catalogue item, a published resolution."""

    title: str
    date: dt.date | None
    #: plain text; never personal data
    body: str = ""
    #: e.g. "2026年第三季度", "2026-11-20 至 2026-11-27"
    period: str = ""
    #: a short label, e.g. "公示中", "已公开"
    status: str = ""
    #: (name, public url): a relative URL of the site or an http(s) address
    attachments: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Section:
    """A part of every village's board: its heading, its place, and where its items come
    from (``items(village, today)``, newest first as the provider sees fit)."""

    key: str
    title: str
    order: int
    items: Callable[[Division, dt.date], list[BoardItem]]


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add a section to every board. Registering the same section again (an app loaded
    twice) changes nothing; another section under a key already taken is an error."""
    found = _SECTIONS.get(section.key)
    if found is not None and found != section:
        raise ValueError(f"the board already has a section {section.key!r}")
    _SECTIONS[section.key] = section


def unregister(key: str) -> None:
    """Take a section off the boards (tests that register one of their own)."""
    _SECTIONS.pop(key, None)


def sections() -> list[Section]:
    """The registered sections in the order the board shows them (by order, then key)."""
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))

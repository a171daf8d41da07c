"""Plain dataclasses produced by the ingest pipeline (no Django)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["speaker", "host", "attendee", "reporter", "journalist", "editor"]

ROLES: tuple[str, ...] = ("speaker", "host", "attendee", "reporter", "journalist", "editor")

#: Which role is a person's main one when the text gives them several.
ROLE_RANK: dict[str, int] = {
    "speaker": 4,
    "host": 3,
    "reporter": 2,
    "journalist": 1,
    "editor": 1,
    "attendee": 0,
}


@dataclass
class Meeting:
    """The meeting a report is about, as far as the text tells it."""

    name: str | None = None
    date_text: str | None = None
    date: dt.date | None = None
    place: str | None = None
    #: Where the date's year came from when the text gave none beside the date: the page's
    #: dateline as written ("08.03.2016 09:15"), a year written elsewhere in the text
    #: ("2016年"), or "given" when the caller passed it. ``None`` when the date carries its year.
    year_from: str | None = None
    #: For each field found ("name", "date", "place"), the sentence of the normalized text it
    #: was read from, so a reviewer can see why.
    sources: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready shape (date as ``YYYY-MM-DD`` or ``None``)."""
        return {
            "name": self.name,
            "date_text": self.date_text,
            "date": self.date.isoformat() if self.date else None,
            "place": self.place,
            "year_from": self.year_from,
            "sources": dict(self.sources),
        }


@dataclass
class Person:
    """A named person in the report, with their titles as written and their meeting roles.

    ``role`` is the person's main role (the highest of ``roles`` by ``ROLE_RANK``); ``roles``
    lists every role the text gives them (a host who also speaks is ``["host", "speaker"]``).
    ``source`` is the sentence their main role was read from.
    """

    name: str
    titles: list[str] = field(default_factory=list)
    role: Role = "attendee"
    roles: list[Role] = field(default_factory=list)
    source: str | None = None

    def __post_init__(self) -> None:
        if not self.roles:
            self.roles = [self.role]
        elif self.role not in self.roles:
            self.roles.insert(0, self.role)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready shape."""
        return {
            "name": self.name,
            "titles": list(self.titles),
            "role": self.role,
            "roles": list(self.roles),
            "source": self.source,
        }


@dataclass
class Program:
    """A named program or slogan (“五大工程”, 15件实事, “三包三联”) and what the text says it is."""

    name: str
    description: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready shape."""
        return {"name": self.name, "description": self.description, "source": self.source}


@dataclass
class Directive:
    """One concrete demand made at the meeting.

    ``start``/``end`` are character offsets into the normalized text; they are not part of the
    JSON shape but let callers (and the evaluation) locate the demand. ``source`` is the whole
    sentence the demand was read from (one sentence may carry several demands).
    """

    text: str
    speaker: str | None = None
    theme: str | None = None
    responsible: list[str] = field(default_factory=list)
    deadline_text: str | None = None
    start: int = 0
    end: int = 0
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready shape."""
        return {
            "speaker": self.speaker,
            "text": self.text,
            "theme": self.theme,
            "responsible": list(self.responsible),
            "deadline_text": self.deadline_text,
            "source": self.source,
        }


@dataclass
class IngestResult:
    """Everything ingest learned from one report."""

    text: str
    removed: list[str] = field(default_factory=list)
    meeting: Meeting = field(default_factory=Meeting)
    people: list[Person] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return exactly the documented JSON shape."""
        return {
            "text": self.text,
            "removed": list(self.removed),
            "meeting": self.meeting.to_dict(),
            "people": [person.to_dict() for person in self.people],
            "programs": [program.to_dict() for program in self.programs],
            "directives": [directive.to_dict() for directive in self.directives],
        }

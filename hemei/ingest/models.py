"""Plain dataclasses produced by the ingest pipeline (no Django)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["speaker", "host", "attendee", "reporter", "journalist", "editor"]

ROLES: tuple[str, ...] = ("speaker", "host", "attendee", "reporter", "journalist", "editor")


@dataclass
class Meeting:
    """The meeting a report is about, as far as the text tells it."""

    name: str | None = None
    date_text: str | None = None
    date: dt.date | None = None
    place: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready shape (date as ``YYYY-MM-DD`` or ``None``)."""
        return {
            "name": self.name,
            "date_text": self.date_text,
            "date": self.date.isoformat() if self.date else None,
            "place": self.place,
        }


@dataclass
class Person:
    """A named person in the report, with their titles as written and their meeting role."""

    name: str
    titles: list[str] = field(default_factory=list)
    role: Role = "attendee"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready shape."""
        return {"name": self.name, "titles": list(self.titles), "role": self.role}


@dataclass
class Program:
    """A named program or slogan (“五大工程”, 15件实事, “三包三联”) and what the text says it is."""

    name: str
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready shape."""
        return {"name": self.name, "description": self.description}


@dataclass
class Directive:
    """One concrete demand made at the meeting.

    ``start``/``end`` are character offsets into the normalized text; they are not part of the
    JSON shape but let callers (and the evaluation) locate the demand.
    """

    text: str
    speaker: str | None = None
    theme: str | None = None
    responsible: list[str] = field(default_factory=list)
    deadline_text: str | None = None
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready shape."""
        return {
            "speaker": self.speaker,
            "text": self.text,
            "theme": self.theme,
            "responsible": list(self.responsible),
            "deadline_text": self.deadline_text,
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

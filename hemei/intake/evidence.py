"""Why the reader believes what it read: each field's source sentence, with the value marked.

The review page shows these beside the meeting's name, date and place, each person, each
program and each directive, so the official can check a field against the words it came from.
Everything here reads the draft's stored JSON; drafts read before the reader kept its sources
have none of the keys (``sources``, ``year_from``, ``roles``, ``source``), and a missing key
simply means nothing to show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ROLE_LABELS: dict[str, Promise] = {
    "speaker": gettext_lazy("speaker"),
    "host": gettext_lazy("host"),
    "attendee": gettext_lazy("attendee"),
    "reporter": gettext_lazy("reporter"),
    "journalist": gettext_lazy("journalist"),
    "editor": gettext_lazy("editor"),
}

#: The order a person's roles are listed in: as a meeting runs (主持, then 讲话, …).
ROLE_ORDER = ("host", "speaker", "reporter", "attendee", "journalist", "editor")

#: A year written in the text on its own (“2016年”, “二〇一六年”), not a page's dateline.
_YEAR_PHRASE = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年")

#: What ends a directive or a sentence, left out when comparing or marking the two.
_END = "。；;，,！!？? \n"


@dataclass(frozen=True)
class Piece:
    """A run of a source sentence; ``marked`` when it is the value read from it."""

    text: str
    marked: bool = False


def marked(sentence: str, values: Iterable[str | None]) -> list[Piece]:
    """``sentence`` cut into pieces, every occurrence of each of ``values`` marked.

    Overlapping or touching occurrences are marked as one run; values that do not occur in
    the sentence (a meeting name the reader completed with the town's name) mark nothing.
    """
    spans: list[tuple[int, int]] = []
    for value in values:
        value = (value or "").strip()
        if not value:
            continue
        start = sentence.find(value)
        while start != -1:
            spans.append((start, start + len(value)))
            start = sentence.find(value, start + len(value))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[Piece] = []
    at = 0
    for start, end in merged:
        if start > at:
            pieces.append(Piece(sentence[at:start]))
        pieces.append(Piece(sentence[start:end], marked=True))
        at = end
    if at < len(sentence) or not pieces:
        pieces.append(Piece(sentence[at:]))
    return pieces


@dataclass(frozen=True)
class SourceLine:
    """One sentence the meeting's fields were read from, and which fields (会议、日期)."""

    fields: str
    pieces: list[Piece]


@dataclass(frozen=True)
class MeetingEvidence:
    """Where the meeting's name, date and place came from, and the date's year."""

    year_from: str = ""
    sources: list[SourceLine] = field(default_factory=list)


def year_origin(year_from: str | None, year: int) -> str:
    """Where the date's year came from, in words; empty when the date carried its own year.

    The reader gives the page's dateline as written (“08.03.2016 09:15”), a year phrase of
    the text (“2016年”), or ``"given"`` when it used the year entered with the report.
    """
    year_from = (year_from or "").strip()
    if not year_from:
        return ""
    if year_from == "given":
        return _("the year entered when the report was read (%(year)s)") % {"year": year}
    if _YEAR_PHRASE.fullmatch(year_from):
        return _("“%(phrase)s” in the text") % {"phrase": year_from}
    return _("the page's date %(dateline)s") % {"dateline": year_from}


def meeting_evidence(result: Mapping[str, Any], year: int) -> MeetingEvidence:
    """The meeting's source sentences (one line per sentence, naming the fields it gave)."""
    meeting = result.get("meeting") or {}
    sources = meeting.get("sources") or {}
    fields = (
        ("name", _("Meeting"), meeting.get("name")),
        ("date", _("Date"), meeting.get("date_text")),
        ("place", _("Place"), meeting.get("place")),
    )
    by_sentence: dict[str, tuple[list[str], list[str | None]]] = {}
    for key, label, value in fields:
        sentence = (sources.get(key) or "").strip()
        if sentence:
            labels, values = by_sentence.setdefault(sentence, ([], []))
            labels.append(label)
            values.append(value)
    return MeetingEvidence(
        year_from=year_origin(meeting.get("year_from"), year),
        sources=[
            SourceLine(fields="、".join(labels), pieces=marked(sentence, values))
            for sentence, (labels, values) in by_sentence.items()
        ],
    )


def roles_of(person: Mapping[str, Any]) -> list[str]:
    """A person's roles: ``roles`` when the draft has them, else the one ``role`` (old drafts)."""
    main = person.get("role") or "attendee"
    roles = [role for role in person.get("roles") or [] if role]
    if main not in roles:
        roles.insert(0, main)
    return list(dict.fromkeys(roles))


@dataclass(frozen=True)
class PersonRow:
    """A person as the review page lists them."""

    name: str
    titles: list[str]
    roles: list[str]
    source: list[Piece]


def people_rows(result: Mapping[str, Any]) -> list[PersonRow]:
    """The people the report names, each with every role and the sentence it was read from."""
    rows = []
    for person in result.get("people") or []:
        name = person.get("name") or ""
        roles = sorted(
            roles_of(person),
            key=lambda role: ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER),
        )
        source = (person.get("source") or "").strip()
        rows.append(
            PersonRow(
                name=name,
                titles=list(person.get("titles") or []),
                roles=[str(ROLE_LABELS.get(role, role)) for role in roles],
                source=marked(source, [name]) if source else [],
            )
        )
    return rows


@dataclass(frozen=True)
class ProgramRow:
    """A named program and the sentence it was read from."""

    name: str
    description: str
    source: list[Piece]


def program_rows(result: Mapping[str, Any]) -> list[ProgramRow]:
    """The programs the report names, with their source sentence when the draft has it."""
    rows = []
    for program in result.get("programs") or []:
        name = program.get("name") or ""
        source = (program.get("source") or "").strip()
        rows.append(
            ProgramRow(
                name=name,
                description=program.get("description") or "",
                source=marked(source, [name]) if source else [],
            )
        )
    return rows


def directive_source(directive: Mapping[str, Any]) -> list[Piece]:
    """The sentence a directive was cut from, the directive marked in it.

    Empty when the draft has no source or the directive is the whole sentence (nothing more
    to see), its speaker's cue before it included ("他要求，…": the reader drops the cue).
    """
    source = (directive.get("source") or "").strip()
    text = (directive.get("text") or "").strip().rstrip(_END)
    if not source or not text:
        return []
    whole = source.rstrip(_END)
    if whole.endswith(text) and _is_cue(whole[: len(whole) - len(text)]):
        return []
    return marked(source, [text])


#: The longest speaker's cue a directive's sentence may start with and still be "the same".
_CUE_LENGTH = 40
_CUE_WORDS = ("指出", "强调", "要求", "表示", "提出", "认为", "希望", "号召")


def _is_cue(prefix: str) -> bool:
    """Whether ``prefix`` is nothing, or a lead such as "他要求，", "会议强调：" or
    "刘晓东就贯彻落实会议精神提出要求，"."""
    prefix = prefix.strip()
    if not prefix:
        return True
    return (
        len(prefix) <= _CUE_LENGTH
        and prefix[-1] in "，：,:"
        and any(word in prefix for word in _CUE_WORDS)
    )

"""Reading a meeting report into a meeting, its decisions and draft tasks.

:func:`start_draft` reads an uploaded or pasted report with the ingest package and keeps what
it found in an :class:`IngestDraft` of its owner (the browser is never trusted with it);
:func:`accept_draft` turns the reviewed draft into the meeting, one decision per kept
directive and one draft task per decision, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.core import clock
from hemei.core.choices import Theme
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.meetings.models import Decision, Meeting, MeetingLevel
from hemei.tasks.choices import EventKind, Source
from hemei.tasks.services import add_event, create_task
from hemei.units.models import Unit

from .dates import parse_deadline
from .evidence import Piece, directive_source, roles_of
from .matching import UnitIndex, units_for
from .models import IngestDraft
from .rules import check_manage, theme_of

DRAFT_TITLE_LENGTH = 80


#: The ingest package's messages, for the catalogue (it speaks English and never imports Django).
INGEST_MESSAGES = (
    gettext_noop("The input is empty."),
    gettext_noop("The input looks like a binary file, not text."),
    gettext_noop("The input holds no text."),
    gettext_noop("The input could not be decoded as text in a known encoding."),
    gettext_noop("The input is too large (more than 50 million characters)."),
    gettext_noop("The input could not be analysed."),
    gettext_noop("The file is not a valid .docx document."),
    gettext_noop("The file is empty."),
    gettext_noop("The file holds no text."),
)


class ReportError(ValueError):
    """A report that cannot be read; the message is for the person who supplied it."""


def start_draft(
    *,
    actor: Any,
    division: Division,
    year: int,
    text: str = "",
    data: bytes | None = None,
    filename: str = "",
) -> IngestDraft:
    """Read a pasted (``text``) or uploaded (``data`` + ``filename``) report into a draft."""
    from hemei.ingest import IngestError, ingest
    from hemei.ingest.readers import read_document

    check_manage(actor, division)
    try:
        source = read_document(data, filename) if data is not None else text
        result = ingest(source, year=year)
    except IngestError as error:
        raise ReportError(_(error.message)) from None
    if not result.text.strip():
        raise ReportError(_("The input holds no text."))
    with transaction.atomic():
        IngestDraft.objects.stale().delete()
        return IngestDraft.objects.create(
            owner=actor,
            division=division,
            year=year,
            filename=filename[:200],
            result=result.to_dict(),
        )


@dataclass
class DirectiveInitial:
    """What the review form starts from for one directive."""

    index: int
    text: str
    speaker: str
    theme: str
    theme_text: str
    responsible: list[str]
    matched: list[Unit]
    deadline_text: str
    due_on: dt.date | None
    #: The sentence the directive was cut from, the directive marked in it; empty when the
    #: directive is the whole sentence or the draft has no source.
    source: list[Piece] = field(default_factory=list)


def draft_directives(
    draft: IngestDraft, candidates: list[Unit] | None = None
) -> list[DirectiveInitial]:
    """The draft's directives with units matched to the platform's and deadlines as dates.

    ``candidates`` are the units to match against (by default :func:`units_for` the division).
    """
    if candidates is None:
        candidates = units_for(draft.division)
    units = UnitIndex(draft.division, candidates)
    initials = []
    for index, directive in enumerate(draft.result.get("directives", [])):
        matched: list[Unit] = []
        for name in directive.get("responsible") or []:
            unit = units.loose(name)
            if unit is not None and unit not in matched:
                matched.append(unit)
        deadline_text = directive.get("deadline_text") or ""
        initials.append(
            DirectiveInitial(
                index=index,
                text=directive.get("text") or "",
                speaker=directive.get("speaker") or "",
                theme=theme_of(directive.get("theme")) or Theme.OTHER,
                theme_text=directive.get("theme") or "",
                responsible=list(directive.get("responsible") or []),
                matched=matched,
                deadline_text=deadline_text,
                due_on=parse_deadline(deadline_text, year=draft.year) if deadline_text else None,
                source=directive_source(directive),
            )
        )
    return initials


def draft_people(draft: IngestDraft) -> dict[str, str]:
    """Host, speakers and attendees as the meeting stores them (one per line).

    A person is listed under each of their roles (a host who also speaks is the host and
    among the speakers); an attendee line is for those with no other part in the meeting.
    Drafts read before people had several roles give each person one ``role``.
    """

    def line(person: dict[str, Any]) -> str:
        titles = "、".join(person.get("titles") or [])
        return f"{titles} {person['name']}".strip()

    host: list[str] = []
    speakers: list[str] = []
    reporters: list[str] = []  # listed after those who gave the speeches
    attendees: list[str] = []
    for person in draft.result.get("people") or []:
        roles = set(roles_of(person))
        if "host" in roles:
            host.append(line(person))
        if "speaker" in roles:
            speakers.append(line(person))
        elif "reporter" in roles:
            reporters.append(line(person))
        if "attendee" in roles and not roles & {"host", "speaker", "reporter"}:
            attendees.append(line(person))
    return {
        "host": "、".join(host),
        "speakers": "\n".join(speakers + reporters),
        "attendees": "\n".join(attendees),
    }


@dataclass
class Review:
    """What the review form of a draft starts from."""

    directives: list[DirectiveInitial]
    units: list[Unit]
    meeting_initial: dict[str, Any]
    directive_initial: list[dict[str, Any]]


def review_of(draft: IngestDraft) -> Review:
    """The draft's meeting and directives as initial form values, and the units to offer.

    The units offered are those at the division and above (a county meeting's departments),
    plus any unit below that the report itself names: not every village's office.
    """
    candidates = units_for(draft.division)
    directives = draft_directives(draft, candidates)
    matched = {unit.pk for item in directives for unit in item.matched}
    offered = [
        unit
        for unit in candidates
        if draft.division.code.startswith(unit.division_id) or unit.pk in matched
    ]
    meeting = draft.result.get("meeting", {})
    return Review(
        directives=directives,
        units=offered,
        meeting_initial={
            "name": meeting.get("name") or "",
            "held_on": meeting.get("date"),
            "place": meeting.get("place") or "",
            **draft_people(draft),
        },
        directive_initial=[
            {
                "keep": True,
                "text": item.text,
                "theme": item.theme,
                "lead_unit": item.matched[0].pk if item.matched else "",
                "co_units": [unit.pk for unit in item.matched[1:]],
                "due_on": item.due_on,
            }
            for item in directives
        ],
    )


@dataclass
class AcceptedDirective:
    """One directive as the reviewer kept it."""

    index: int
    text: str
    theme: str
    due_on: dt.date
    lead_unit: Unit | None = None
    co_units: list[Unit] = field(default_factory=list)


#: How a demand opens in a speech, which a task title does without: 一是要…, （二）…, 要求，…
_OPENING = re.compile(
    r"^(?:(?:第?[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])"
    r"\s*|要求[，,：:]\s*)+(?:要|必须|务必)?"
)


def title_of(text: str) -> str:
    """A task title from a directive: its opening words dropped, at most 80 characters."""
    text = re.sub(r"\s+", " ", text).strip()
    text = _OPENING.sub("", text).strip() or text
    text = text.rstrip("。；;")
    if len(text) <= DRAFT_TITLE_LENGTH:
        return text
    return text[: DRAFT_TITLE_LENGTH - 1] + "…"


@transaction.atomic
def accept_draft(
    *,
    actor: Any,
    draft: IngestDraft,
    name: str,
    held_on: dt.date,
    place: str = "",
    host: str = "",
    speakers: str = "",
    attendees: str = "",
    directives: Sequence[AcceptedDirective] = (),
) -> Meeting:
    """The meeting, a decision per kept directive and a draft task per decision."""
    draft = IngestDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.meeting_id is not None or draft.accepted_at is not None:
        raise ValidationError(_("This report has already been accepted."))
    division = draft.division
    check_manage(actor, division)
    level = MeetingLevel.TOWN if division.level == Level.TOWN else MeetingLevel.COUNTY
    meeting = Meeting(
        name=name.strip(),
        held_on=held_on,
        level=level,
        division=division,
        place=place.strip(),
        host=host.strip(),
        speakers=speakers.strip(),
        attendees=attendees.strip(),
        full_text=draft.result.get("text", ""),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=meeting,
        changes={"source": "ingest", "decisions": len(directives)},
        division_code=division.code,
    )
    written = draft.result.get("directives", [])
    for number, accepted in enumerate(directives, start=1):
        original = written[accepted.index] if 0 <= accepted.index < len(written) else {}
        decision = Decision.objects.create(
            meeting=meeting,
            number=number,
            text=accepted.text.strip(),
            speaker=(original.get("speaker") or "")[:100],
            theme=accepted.theme,
            responsible="、".join(original.get("responsible") or [])[:300],
            deadline_text=(original.get("deadline_text") or "")[:100],
        )
        title = title_of(accepted.text)
        task = create_task(
            actor=actor,
            division=division,
            title=title,
            due_on=accepted.due_on,
            co_units=[unit for unit in accepted.co_units if unit != accepted.lead_unit],
            source=Source.INGEST,
            meeting=meeting,
            decision=decision,
            theme=accepted.theme,
            lead_unit=accepted.lead_unit,
            description=accepted.text.strip(),
        )
        add_event(
            task,
            EventKind.NOTE,
            actor=actor,
            text=_("Drafted from decision %(number)s of the meeting report %(meeting)s.")
            % {"number": number, "meeting": meeting.name},
            decision=number,
        )
    draft.meeting = meeting
    draft.accepted_at = clock.now()
    draft.save(update_fields=["meeting", "accepted_at", "updated_at"])
    return meeting

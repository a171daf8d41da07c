"""Meeting-report ingestion: scraped text in, dataclasses out. Never imports Django.

>>> result = ingest("4月17日,我市召开乡村振兴工作会议。市委书记李猛讲话。", year=2026)
>>> result.meeting.date
datetime.date(2026, 4, 17)
"""

from __future__ import annotations

from hemei.ingest.errors import IngestError
from hemei.ingest.extract import (
    extract_directives,
    extract_meeting,
    extract_people,
    extract_programs,
    split_sentences,
)
from hemei.ingest.models import Directive, IngestResult, Meeting, Person, Program
from hemei.ingest.normalize import NormalizedText, normalize

__all__ = [
    "Directive",
    "IngestError",
    "IngestResult",
    "Meeting",
    "NormalizedText",
    "Person",
    "Program",
    "extract",
    "ingest",
    "normalize",
]


def extract(normalized: NormalizedText, *, year: int | None = None) -> IngestResult:
    """Run extraction on already normalized text."""
    text = normalized.text
    people, mentions = extract_people(text, normalized.credits)
    sentences = split_sentences(text)
    return IngestResult(
        text=text,
        removed=list(normalized.removed),
        meeting=extract_meeting(text, year=year, dateline=normalized.dateline),
        people=people,
        programs=extract_programs(text),
        directives=extract_directives(text, mentions, sentences),
    )


def ingest(data: bytes | str, *, year: int | None = None) -> IngestResult:
    """Normalize a scraped meeting report and extract meeting, people, programs, directives.

    ``year`` resolves dates written without a year (``4月17日``) when the page itself does
    not tell: the page's date stamp and a year written near the meeting come first (see
    :func:`hemei.ingest.extract.extract_meeting`). Raises :class:`IngestError`
    for input that is empty, binary or otherwise unusable; never anything else.
    """
    if year is not None and not (1900 <= year <= 2200):
        raise IngestError(f"The year {year} is out of range.")
    normalized = normalize(data)
    try:
        return extract(normalized, year=year)
    except RecursionError as error:  # pragma: no cover - defensive
        raise IngestError("The input could not be analysed.") from error

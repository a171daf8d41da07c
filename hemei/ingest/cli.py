"""``hemei ingest FILE [--json] [--year YYYY]``: print what ingest finds in a report."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from hemei.ingest import ingest
from hemei.ingest.errors import IngestError
from hemei.ingest.models import IngestResult
from hemei.ingest.readers import SUPPORTED_EXTENSIONS, read_document

__all__ = ["main"]

ROLE_LABELS = {
    "speaker": "讲话",
    "host": "主持",
    "attendee": "出席",
    "reporter": "传达/发言",
    "journalist": "记者",
    "editor": "编辑",
}


def _parser() -> argparse.ArgumentParser:
    """Build the argument parser."""
    parser = argparse.ArgumentParser(
        prog="hemei ingest",
        description="Read a meeting report (.txt, .docx, .html) and print what it says.",
    )
    parser.add_argument("file", help="the report file")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument(
        "--year",
        type=int,
        help="year for dates written without one, when the page has no date stamp and the text"
        " names no year (YYYY)",
    )
    return parser


def _read(path: Path) -> str | bytes:
    """Return the report's text (documents) or raw bytes (anything else)."""
    if not path.exists():
        raise IngestError(f"{path}: no such file.")
    if path.is_dir():
        raise IngestError(f"{path}: is a directory, not a file.")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(f"{path}: cannot be read ({error.strerror or error}).") from error
    if not data:
        raise IngestError(f"{path}: the file is empty.")
    if path.suffix.lower() in SUPPORTED_EXTENSIONS:
        return read_document(data, path.name)
    return data


def summary(result: IngestResult) -> str:
    """Return a readable multi-line summary of an ingest result."""
    meeting = result.meeting
    lines = [
        f"会议 Meeting: {meeting.name or '—'}",
        f"  日期 Date: {meeting.date_text or '—'}"
        + (f" ({meeting.date.isoformat()})" if meeting.date else ""),
        f"  地点 Place: {meeting.place or '—'}",
        f"人员 People ({len(result.people)}):",
    ]
    for person in result.people:
        titles = "、".join(person.titles)
        # The main role first, then the others in the order the text gives them.
        roles = [person.role] + [role for role in person.roles if role != person.role]
        labels = " + ".join(f"{role} {ROLE_LABELS.get(role, role)}" for role in roles)
        lines.append(f"  - {person.name}  {titles}  [{labels}]".rstrip())
    lines.append(f"工作品牌 Programs ({len(result.programs)}):")
    for program in result.programs:
        suffix = f"：{program.description}" if program.description else ""
        lines.append(f"  - {program.name}{suffix}")
    lines.append(f"工作要求 Directives ({len(result.directives)}):")
    shared_sources = Counter(
        directive.source for directive in result.directives if directive.source
    )
    for number, directive in enumerate(result.directives, start=1):
        lines.append(f"  {number}. {directive.text}")
        details = [
            f"speaker: {directive.speaker or '—'}",
            f"theme: {directive.theme or '—'}",
            f"units: {'、'.join(directive.responsible) or '—'}",
            f"deadline: {directive.deadline_text or '—'}",
        ]
        lines.append("     " + " | ".join(details))
        if shared_sources[directive.source] > 1:
            # One of several demands in one sentence: show the sentence they were split from.
            lines.append(f"     sentence: {directive.source}")
    if result.removed:
        lines.append(f"已删除页面杂项 Removed page chrome: {len(result.removed)} line(s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command; return 0 on success, 2 on unusable input or arguments."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    path = Path(args.file)
    try:
        result = ingest(_read(path), year=args.year)
    except IngestError as error:
        message = error.message
        if not message.startswith(f"{path}:"):
            message = f"{path}: {message}"
        print(f"hemei ingest: error: {message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(summary(result))
    return 0

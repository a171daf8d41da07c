"""Score the reader against hand-annotated reports: a development set and a held-out set.

Gold files live under ``hemei/ingest/tests/fixtures/``:

- the **development set** — the rules are written and tuned on it: ``report-a/b/c.json``
  (annotations of the seed reports, which are kept outside the repository, see
  :func:`seeds_dir`), ``synthetic-*.json`` and ``dev/dev-*.json``;
- the **held-out set** — ``heldout/*.json``: reports written the way a county office receives
  them, never used to write or tune a rule. Its scores say how the reader does on reports it
  has not seen; a rule must not be changed to move them.

A gold directive is two short anchors (``start`` and ``end``) resolved against the normalized
text at scoring time; a predicted directive matches it when it covers at least half of the
gold span's characters (``directive_recall_one_to_one``, in the JSON, also requires a
different prediction for each gold directive). People match on (name, role) pairs over all
of a person's roles (``"roles": [...]``, or the older single ``"role"``). Meeting fields (name, date, place) count
when annotated (not ``null``) and right when exactly equal. Noise left is the share of the
gold ``"noise"`` strings (page chrome, datelines, credits; ``"chrome_absent"`` in older files)
still present in the normalized text: lower is better (of ``"chrome_absent"`` only the
strings the report holds count).

``python -m hemei.ingest.evaluate [--json]`` prints per-report and total scores for both sets.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from hemei.ingest import ingest
from hemei.ingest.errors import IngestError
from hemei.ingest.models import IngestResult
from hemei.ingest.normalize import (
    clean_whitespace,
    decode_bytes,
    remove_pinyin,
    repair_punctuation,
    to_simplified,
)
from hemei.ingest.readers import read_document

__all__ = [
    "FIXTURES_DIR",
    "HELDOUT_DIR",
    "SEED_REPORTS",
    "SYNTHETIC_REPORTS",
    "Counts",
    "count_report",
    "development_reports",
    "evaluate",
    "evaluate_sets",
    "format_sets",
    "gold_noise",
    "gold_roles",
    "heldout_reports",
    "ingest_gold",
    "load_gold",
    "main",
    "read_source",
    "reference_text",
    "resolve_span",
    "seeds_dir",
    "source_path",
    "source_texts",
]

FIXTURES_DIR = Path(__file__).resolve().parent / "tests" / "fixtures"
HELDOUT_DIR = FIXTURES_DIR / "heldout"
DEV_DIR = FIXTURES_DIR / "dev"
SEED_REPORTS = ("report-a", "report-b", "report-c")
SYNTHETIC_REPORTS = ("synthetic-trad", "synthetic-gbk", "synthetic-big5")
MATCH_SHARE = 0.5
MEETING_FIELDS = ("name", "date", "place")
#: File types read through :func:`hemei.ingest.readers.read_document` (text files go to
#: ingest as raw bytes, so that its own decoding is what is scored).
_DOCUMENT_EXTENSIONS = (".docx", ".html", ".htm")


def seeds_dir() -> Path:
    """Return the seed report directory: ``$HEMEI_SEEDS_DIR``, else the first
    ``shared/seeds`` beside the repository or beside one of its parent folders."""
    configured = os.environ.get("HEMEI_SEEDS_DIR")
    if configured:
        return Path(configured)
    repo = Path(__file__).resolve().parents[2]
    for folder in repo.parents:
        candidate = folder / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return repo.parent / "shared" / "seeds"


def _names(folder: Path, pattern: str) -> tuple[str, ...]:
    """Return the gold names (paths below the fixtures, without ``.json``) matching a glob."""
    return tuple(
        path.relative_to(FIXTURES_DIR).with_suffix("").as_posix()
        for path in sorted(folder.glob(pattern))
    )


def development_reports(*, with_seeds: bool | None = None) -> tuple[str, ...]:
    """Return the development set's gold names.

    The seed reports' annotations come first when the seeds can be read (``with_seeds=None``
    asks :func:`seeds_dir`), then the synthetic reports and ``dev/dev-*.json``.
    """
    if with_seeds is None:
        with_seeds = seeds_dir().is_dir()
    seeds = SEED_REPORTS if with_seeds else ()
    return seeds + _names(FIXTURES_DIR, "synthetic-*.json") + _names(DEV_DIR, "dev-*.json")


def heldout_reports() -> tuple[str, ...]:
    """Return the held-out set's gold names (``heldout/*.json``)."""
    return _names(HELDOUT_DIR, "*.json")


def load_gold(name: str) -> dict[str, Any]:
    """Return the gold annotation called ``name`` (below the fixtures, without ``.json``)."""
    with open(FIXTURES_DIR / f"{name}.json", encoding="utf-8") as handle:
        gold: dict[str, Any] = json.load(handle)
    return gold


def source_path(gold: dict[str, Any], folder: Path | None = None) -> Path:
    """Return where the report of a gold annotation is.

    ``source`` is looked up beside the gold file (``folder``), then in the fixtures, then among
    the seed reports.
    """
    candidates = [FIXTURES_DIR / gold["source"]]
    if folder is not None:
        candidates.insert(0, folder / gold["source"])
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return seeds_dir() / gold["source"]


def read_source(path: Path) -> bytes | str:
    """Return what the reader gets from a report file: the text of a document, else its bytes."""
    data = path.read_bytes()
    if path.suffix.lower() in _DOCUMENT_EXTENSIONS:
        return read_document(data, path.name)
    return data


def ingest_gold(name: str) -> tuple[dict[str, Any], IngestResult]:
    """Return the gold annotation called ``name`` and the reader's result on its report."""
    gold = load_gold(name)
    path = source_path(gold, (FIXTURES_DIR / name).parent)
    return gold, ingest(read_source(path), year=gold.get("year"))


def source_texts(name: str) -> tuple[str, str]:
    """Return the report of gold file ``name`` as decoded, and as the reader sees it before
    removing chrome.

    The second is the decoded text in Simplified characters, without pinyin, with repaired
    punctuation: what gold anchors and noise strings are written against. The reader's own
    text (after chrome removal) may have lost some of it; that is a miss, not a gold error.
    """
    gold = load_gold(name)
    data = read_source(source_path(gold, (FIXTURES_DIR / name).parent))
    raw = clean_whitespace(decode_bytes(data) if isinstance(data, bytes) else data)
    return raw, repair_punctuation(to_simplified(remove_pinyin(raw)))


def reference_text(name: str) -> str:
    """Return the text gold anchors of ``name`` are written against (see :func:`source_texts`)."""
    return source_texts(name)[1]


def resolve_span(text: str, start_anchor: str, end_anchor: str) -> tuple[int, int]:
    """Return the (start, end) character span between two anchors of the normalized text."""
    start = text.find(start_anchor)
    if start == -1:
        raise ValueError(f"start anchor not found: {start_anchor!r}")
    end = text.find(end_anchor, start)
    if end == -1:
        raise ValueError(f"end anchor not found after start: {end_anchor!r}")
    return start, end + len(end_anchor)


def gold_roles(person: dict[str, Any]) -> list[str]:
    """Return a gold person's roles: ``"roles"``, else the single older ``"role"``."""
    roles = person.get("roles") or [person["role"]]
    return list(roles)


def gold_noise(gold: dict[str, Any]) -> list[str]:
    """Return the noise strings of a gold annotation (``"noise"``, else ``"chrome_absent"``)."""
    noise = gold.get("noise")
    if noise is None:
        noise = gold.get("chrome_absent", [])
    return list(noise)


def _ratio(part: int, whole: int, empty: float = 1.0) -> float:
    """Return ``part / whole`` to three places, ``empty`` when there is nothing to count."""
    return round(part / whole, 3) if whole else empty


def _f1(precision: float, recall: float) -> float:
    """Return the harmonic mean of two ratios (0 when both are 0)."""
    return round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0


@dataclass
class Counts:
    """True positives and totals, summed over reports for the overall figures."""

    people_tp: int = 0
    people_gold: int = 0
    people_pred: int = 0
    found_gold: int = 0
    found_one_to_one: int = 0
    directive_gold: int = 0
    correct_pred: int = 0
    directive_pred: int = 0
    unresolved: int = 0
    speaker_right: int = 0
    theme_right: int = 0
    programs_tp: int = 0
    programs_gold: int = 0
    programs_pred: int = 0
    meeting_right: int = 0
    meeting_annotated: int = 0
    noise_left: int = 0
    noise_gold: int = 0

    def add(self, other: Counts) -> None:
        """Add another report's counts to these."""
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def scores(self) -> dict[str, float]:
        """Return the ratios (1.0 when there is nothing to find and nothing predicted; noise
        left 0.0 when there is no noise to remove) and the counts they come from."""
        precision = _ratio(self.people_tp, self.people_pred)
        recall = _ratio(self.people_tp, self.people_gold)
        p_precision = _ratio(self.programs_tp, self.programs_pred)
        p_recall = _ratio(self.programs_tp, self.programs_gold)
        return {
            "people_precision": precision,
            "people_recall": recall,
            "people_f1": _f1(precision, recall),
            "directive_recall": _ratio(self.found_gold, self.directive_gold),
            "directive_precision": _ratio(self.correct_pred, self.directive_pred),
            "directive_recall_one_to_one": _ratio(self.found_one_to_one, self.directive_gold),
            "speaker_accuracy": _ratio(self.speaker_right, self.found_gold),
            "theme_accuracy": _ratio(self.theme_right, self.found_gold),
            "programs_f1": _f1(p_precision, p_recall),
            "meeting_fields": _ratio(self.meeting_right, self.meeting_annotated),
            "noise_left": _ratio(self.noise_left, self.noise_gold, empty=0.0),
            "directives_gold": self.directive_gold,
            "directives_predicted": self.directive_pred,
            "directives_unresolved": self.unresolved,
            "meeting_right": self.meeting_right,
            "meeting_annotated": self.meeting_annotated,
            "noise_strings_left": self.noise_left,
            "noise_strings": self.noise_gold,
        }


def _predicted_roles(person: Any) -> Iterable[str]:
    """Return a predicted person's roles (all of them; the main one if none are listed)."""
    return getattr(person, "roles", None) or [person.role]


def _meeting_value(result: IngestResult, key: str) -> str | None:
    """Return a predicted meeting field as the gold file writes it (dates ``YYYY-MM-DD``)."""
    value = getattr(result.meeting, key)
    if value is None:
        return None
    return value.isoformat() if key == "date" else str(value)


def count_report(result: IngestResult, gold: dict[str, Any]) -> Counts:
    """Compare one ingest result with its gold annotation.

    A gold directive whose anchors do not resolve in the normalized text (the text it marks
    was lost or changed) counts as not found, and in ``unresolved``.
    """
    counts = Counts()
    gold_people = {
        (person["name"], role) for person in gold["people"] for role in gold_roles(person)
    }
    pred_people = {
        (person.name, role) for person in result.people for role in _predicted_roles(person)
    }
    counts.people_tp = len(gold_people & pred_people)
    counts.people_gold = len(gold_people)
    counts.people_pred = len(pred_people)

    gold_programs = {program["name"] for program in gold.get("programs", [])}
    pred_programs = {program.name for program in result.programs}
    counts.programs_tp = len(gold_programs & pred_programs)
    counts.programs_gold = len(gold_programs)
    counts.programs_pred = len(pred_programs)

    meeting = gold.get("meeting") or {}
    for key in MEETING_FIELDS:
        if meeting.get(key) is None:
            continue
        counts.meeting_annotated += 1
        if _meeting_value(result, key) == meeting[key]:
            counts.meeting_right += 1

    noise = gold_noise(gold)
    counts.noise_gold = len(noise)
    counts.noise_left = sum(1 for item in noise if item in result.text)

    spans: list[tuple[tuple[int, int], dict[str, Any]]] = []
    for item in gold["directives"]:
        try:
            spans.append((resolve_span(result.text, item["start"], item["end"]), item))
        except ValueError:
            counts.unresolved += 1
    counts.directive_gold = len(gold["directives"])
    counts.directive_pred = len(result.directives)
    matched_predictions: set[int] = set()
    for (start, end), item in spans:
        length = end - start
        best: int | None = None
        best_overlap = 0
        for index, directive in enumerate(result.directives):
            overlap = min(end, directive.end) - max(start, directive.start)
            if overlap >= MATCH_SHARE * length and overlap > best_overlap:
                best, best_overlap = index, overlap
        if best is None:
            continue
        counts.found_gold += 1
        matched_predictions.add(best)
        if result.directives[best].speaker == item.get("speaker"):
            counts.speaker_right += 1
        if result.directives[best].theme == item.get("theme"):
            counts.theme_right += 1
    for index, directive in enumerate(result.directives):
        if index in matched_predictions:
            continue
        for (start, end), _item in spans:
            overlap = min(end, directive.end) - max(start, directive.start)
            if overlap >= MATCH_SHARE * (end - start):
                matched_predictions.add(index)
                break
    counts.correct_pred = len(matched_predictions)
    counts.found_one_to_one = _one_to_one(spans, result)
    return counts


def _one_to_one(spans: list[tuple[tuple[int, int], dict[str, Any]]], result: IngestResult) -> int:
    """Return how many gold directives are found when a prediction may stand for only one.

    The span-overlap rule lets one long prediction cover several short gold demands (a
    sentence with "一要…二要…" left whole); this stricter count shows whether they were split.
    Pairs are taken greedily, largest overlap first.
    """
    pairs = []
    for gold_index, ((start, end), _item) in enumerate(spans):
        for pred_index, directive in enumerate(result.directives):
            overlap = min(end, directive.end) - max(start, directive.start)
            if overlap >= MATCH_SHARE * (end - start) and overlap > 0:
                pairs.append((overlap, gold_index, pred_index))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _overlap, gold_index, pred_index in sorted(pairs, key=lambda pair: -pair[0]):
        if gold_index in used_gold or pred_index in used_pred:
            continue
        used_gold.add(gold_index)
        used_pred.add(pred_index)
    return len(used_gold)


def _evaluate_counts(names: Iterable[str]) -> tuple[dict[str, dict[str, float]], Counts]:
    """Return the scores of each named report and the summed counts."""
    scores: dict[str, dict[str, float]] = {}
    total = Counts()
    for name in names:
        gold, result = ingest_gold(name)
        if "noise" not in gold:
            # Older files list what must be absent, some of it in several spellings: count
            # only the strings the report really holds.
            raw, reference = source_texts(name)
            present = [item for item in gold_noise(gold) if item in raw or item in reference]
            gold = {**gold, "noise": present}
        counts = count_report(result, gold)
        total.add(counts)
        scores[name] = counts.scores()
    return scores, total


def evaluate(names: Iterable[str] = SEED_REPORTS) -> dict[str, dict[str, float]]:
    """Return scores per report and ``overall`` (micro-averaged) for the named gold files."""
    scores, total = _evaluate_counts(names)
    scores["overall"] = total.scores()
    return scores


def evaluate_sets(*, with_seeds: bool | None = None) -> dict[str, dict[str, Any]]:
    """Return both sets' scores: ``{"development"|"heldout": {"reports": {...}, "total": {...}}}``.

    Totals are micro-averaged: summed counts over the set's reports, then the ratios.
    """
    sets: dict[str, dict[str, Any]] = {}
    for label, names in (
        ("development", development_reports(with_seeds=with_seeds)),
        ("heldout", heldout_reports()),
    ):
        reports, total = _evaluate_counts(names)
        sets[label] = {"reports": reports, "total": total.scores()}
    return sets


SET_TITLES = {"development": "Development set", "heldout": "Held-out set"}
_COLUMNS = (
    ("people F1", "people_f1"),
    ("dir. recall", "directive_recall"),
    ("dir. precision", "directive_precision"),
    ("meeting", "meeting_fields"),
    ("noise left", "noise_left"),
)


def _row(label: str, scores: dict[str, Any], width: int) -> str:
    """Return one table line: the label, the five figures and the counts behind them."""
    figures = "".join(f"{scores[key]:>{len(title) + 2}.3f}" for title, key in _COLUMNS)
    detail = (
        f"  directives {scores['directives_gold']}/{scores['directives_predicted']}"
        f"  meeting {scores['meeting_right']}/{scores['meeting_annotated']}"
        f"  noise {scores['noise_strings_left']}/{scores['noise_strings']}"
    )
    return f"{label:<{width}}{figures}{detail}"


def format_sets(sets: dict[str, dict[str, Any]]) -> str:
    """Return the scores of both sets as a plain-text table."""
    names = [name for data in sets.values() for name in data["reports"]]
    width = max([len("report"), *map(len, names)]) + 2
    header = f"{'report':<{width}}" + "".join(f"{title:>{len(title) + 2}}" for title, _ in _COLUMNS)
    lines: list[str] = []
    for label, data in sets.items():
        reports = data["reports"]
        lines.append(f"{SET_TITLES.get(label, label)} ({len(reports)} reports)")
        lines.append(header)
        lines.extend(_row(name, scores, width) for name, scores in reports.items())
        lines.append(_row("total", data["total"], width))
        lines.append("")
    lines.append(
        "directives: gold/predicted; meeting: fields right/annotated; "
        "noise: strings left/annotated (lower is better)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print both sets' per-report and total scores (a table, or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(
        prog="python -m hemei.ingest.evaluate",
        description="Score the meeting-report reader on the development and held-out sets.",
    )
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    with_seeds = seeds_dir().is_dir()
    if not with_seeds:
        message = (
            f"seed reports not found at {seeds_dir()}; set HEMEI_SEEDS_DIR "
            "(report-a/b/c are left out of the development set)"
        )
        print(message, file=sys.stderr)
        if os.environ.get("HEMEI_REQUIRE_SEEDS"):
            return 2
    try:
        sets = evaluate_sets(with_seeds=with_seeds)
    except (OSError, IngestError, KeyError, json.JSONDecodeError) as error:
        print(f"cannot score the reports: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(sets, ensure_ascii=False, indent=2))
    else:
        print(format_sets(sets))
    return 0


if __name__ == "__main__":
    sys.exit(main())

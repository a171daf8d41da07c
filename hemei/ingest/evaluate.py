"""Score ingest against hand-annotated reports (people F1, directive recall/precision).

Gold files live in ``hemei/ingest/tests/fixtures/*.json``. A gold directive is two short
anchors (``start`` and ``end``) resolved against the normalized text at scoring time; a
predicted directive matches it when it covers at least half of the gold span's characters.
People match on name and role. Run ``python -m hemei.ingest.evaluate`` to print the figures.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hemei.ingest import ingest
from hemei.ingest.models import IngestResult

FIXTURES_DIR = Path(__file__).resolve().parent / "tests" / "fixtures"
SEED_REPORTS = ("report-a", "report-b", "report-c")
SYNTHETIC_REPORTS = ("synthetic-trad", "synthetic-gbk", "synthetic-big5")
MATCH_SHARE = 0.5


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


def load_gold(name: str) -> dict[str, Any]:
    """Return the gold annotation called ``name`` (without ``.json``)."""
    with open(FIXTURES_DIR / f"{name}.json", encoding="utf-8") as handle:
        gold: dict[str, Any] = json.load(handle)
    return gold


def source_path(gold: dict[str, Any]) -> Path:
    """Return where the report text of a gold annotation is: fixtures first, then the seeds."""
    local = FIXTURES_DIR / gold["source"]
    return local if local.exists() else seeds_dir() / gold["source"]


def resolve_span(text: str, start_anchor: str, end_anchor: str) -> tuple[int, int]:
    """Return the (start, end) character span between two anchors of the normalized text."""
    start = text.find(start_anchor)
    if start == -1:
        raise ValueError(f"start anchor not found: {start_anchor!r}")
    end = text.find(end_anchor, start)
    if end == -1:
        raise ValueError(f"end anchor not found after start: {end_anchor!r}")
    return start, end + len(end_anchor)


@dataclass
class Counts:
    """True positives and totals, summed over reports for the overall figures."""

    people_tp: int = 0
    people_gold: int = 0
    people_pred: int = 0
    found_gold: int = 0
    directive_gold: int = 0
    correct_pred: int = 0
    directive_pred: int = 0
    speaker_right: int = 0
    theme_right: int = 0
    programs_tp: int = 0
    programs_gold: int = 0
    programs_pred: int = 0

    def add(self, other: Counts) -> None:
        """Add another report's counts to these."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float]:
        """Return the ratios (1.0 when there is nothing to find and nothing predicted)."""

        def ratio(part: int, whole: int) -> float:
            return round(part / whole, 3) if whole else 1.0

        precision = ratio(self.people_tp, self.people_pred)
        recall = ratio(self.people_tp, self.people_gold)
        f1 = round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0
        p_precision = ratio(self.programs_tp, self.programs_pred)
        p_recall = ratio(self.programs_tp, self.programs_gold)
        p_f1 = (
            round(2 * p_precision * p_recall / (p_precision + p_recall), 3)
            if p_precision + p_recall
            else 0.0
        )
        return {
            "people_precision": precision,
            "people_recall": recall,
            "people_f1": f1,
            "directive_recall": ratio(self.found_gold, self.directive_gold),
            "directive_precision": ratio(self.correct_pred, self.directive_pred),
            "speaker_accuracy": ratio(self.speaker_right, self.found_gold),
            "theme_accuracy": ratio(self.theme_right, self.found_gold),
            "programs_f1": p_f1,
            "directives_gold": self.directive_gold,
            "directives_predicted": self.directive_pred,
        }


def count_report(result: IngestResult, gold: dict[str, Any]) -> Counts:
    """Compare one ingest result with its gold annotation."""
    counts = Counts()
    gold_people = {(person["name"], person["role"]) for person in gold["people"]}
    pred_people = {(person.name, person.role) for person in result.people}
    counts.people_tp = len(gold_people & pred_people)
    counts.people_gold = len(gold_people)
    counts.people_pred = len(pred_people)

    gold_programs = {program["name"] for program in gold["programs"]}
    pred_programs = {program.name for program in result.programs}
    counts.programs_tp = len(gold_programs & pred_programs)
    counts.programs_gold = len(gold_programs)
    counts.programs_pred = len(pred_programs)

    spans = [
        (resolve_span(result.text, item["start"], item["end"]), item) for item in gold["directives"]
    ]
    counts.directive_gold = len(spans)
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
        if result.directives[best].speaker == item["speaker"]:
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
    return counts


def evaluate(names: tuple[str, ...] = SEED_REPORTS) -> dict[str, dict[str, float]]:
    """Return scores per report and ``overall`` (micro-averaged) for the named gold files."""
    scores: dict[str, dict[str, float]] = {}
    total = Counts()
    for name in names:
        gold = load_gold(name)
        data = source_path(gold).read_bytes()
        result = ingest(data, year=gold.get("year"))
        counts = count_report(result, gold)
        total.add(counts)
        scores[name] = counts.scores()
    scores["overall"] = total.scores()
    return scores


def main() -> int:
    """Print the scores of the seed and synthetic reports as JSON."""
    names = SYNTHETIC_REPORTS
    if seeds_dir().is_dir():
        names = SEED_REPORTS + SYNTHETIC_REPORTS
    print(json.dumps(evaluate(names), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

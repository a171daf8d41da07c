"""Ingest throughput on a large corpus of meeting-report paragraphs, beside OpenCC alone.

Run from the repository root: ``python -m benchmarks.ingest`` prints one JSON object.
The corpus (>= 20 MB of UTF-8) repeats and shuffles the paragraphs of the seed reports
(``$HEMEI_SEEDS_DIR``, default ``<repo>/../shared/seeds``) and of the synthetic fixtures.
MB here is 10**6 bytes of UTF-8 input.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

CORPUS_BYTES = 20_000_000
SEED = 20260


def _paragraphs() -> list[str]:
    """Return the non-empty lines of every seed and synthetic report, decoded."""
    from hemei.ingest.evaluate import FIXTURES_DIR, seeds_dir
    from hemei.ingest.normalize import decode_bytes

    paths = sorted(FIXTURES_DIR.glob("synthetic-*.txt"))
    seeds = seeds_dir()
    if seeds.is_dir():
        paths = sorted(Path(seeds).glob("report-*.txt")) + paths
    paragraphs: list[str] = []
    for path in paths:
        text = decode_bytes(path.read_bytes())
        paragraphs.extend(line for line in text.split("\n") if line.strip())
    return paragraphs


def build_corpus(size: int = CORPUS_BYTES) -> bytes:
    """Return at least ``size`` bytes of shuffled report paragraphs (UTF-8)."""
    paragraphs = _paragraphs()
    generator = random.Random(SEED)
    chunks: list[bytes] = []
    total = 0
    while total < size:
        generator.shuffle(paragraphs)
        chunk = ("\n".join(paragraphs) + "\n").encode("utf-8")
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def run() -> dict[str, float]:
    """Measure normalize+extract and OpenCC t2s alone on the same corpus, in MB/s."""
    import opencc

    from hemei.ingest import ingest

    corpus = build_corpus()
    megabytes = len(corpus) / 1_000_000
    # jieba's and OpenCC's dictionaries load once per process; not part of the throughput.
    # The warm-up needs a name the reader must check, or jieba would load inside the timing.
    ingest("4月17日，县委书记李大海在县行政中心主持召开会议并讲话。")

    started = time.perf_counter()
    ingest(corpus)
    ingest_seconds = time.perf_counter() - started

    text = corpus.decode("utf-8")
    converter = opencc.OpenCC("t2s")
    started = time.perf_counter()
    converter.convert(text)
    opencc_seconds = time.perf_counter() - started

    return {
        "ingest_mb_per_s": round(megabytes / ingest_seconds, 3),
        "opencc_only_mb_per_s": round(megabytes / opencc_seconds, 3),
        "corpus_mb": round(megabytes, 3),
    }


if __name__ == "__main__":
    print(json.dumps(run()))

"""Any input is safe: a result or an IngestError, never another exception, never minutes."""

from __future__ import annotations

import random
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hemei.ingest import IngestError, IngestResult, ingest
from hemei.ingest.evaluate import FIXTURES_DIR

ENCODINGS = ("utf-8", "gbk", "gb18030", "big5", "utf-16")
CHINESE = st.text(
    alphabet=st.sampled_from(
        list("乡村振兴农业要必须各镇街区委书记张王李讲话主持出席会议召开年月日，。、；：“”（）")
        + list("(),;:?! \nāónǎ0123456789")
    ),
    max_size=300,
)


def _ingest_or_refuse(data: bytes | str) -> None:
    """Assert ingest returns a result or raises IngestError, and nothing else."""
    try:
        result = ingest(data)
    except IngestError as error:
        assert error.message
        return
    assert isinstance(result, IngestResult)
    result.to_dict()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_it_survives_any_bytes(data: bytes) -> None:
    _ingest_or_refuse(data)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_it_survives_any_text(text: str) -> None:
    _ingest_or_refuse(text)


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=500))
def test_it_survives_text_with_lone_surrogates(text: str) -> None:
    _ingest_or_refuse(text)


@settings(max_examples=150, deadline=None)
@given(CHINESE)
def test_it_survives_report_like_text(text: str) -> None:
    _ingest_or_refuse(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(CHINESE, st.sampled_from(ENCODINGS)), max_size=5))
def test_it_survives_mixed_encoding_concatenations(parts: list[tuple[str, str]]) -> None:
    data = b"\n".join(text.encode(encoding, errors="ignore") for text, encoding in parts)
    _ingest_or_refuse(data)


def test_it_ingests_10_megabytes_quickly() -> None:
    paragraphs: list[str] = []
    for path in sorted(Path(FIXTURES_DIR).glob("synthetic-*.txt")):
        paragraphs += ingest(path.read_bytes()).text.split("\n")
    generator = random.Random(4)
    chunks: list[str] = []
    size = 0
    while size < 10_000_000:
        generator.shuffle(paragraphs)
        chunk = "\n".join(paragraphs) + "\n"
        chunks.append(chunk)
        size += len(chunk.encode("utf-8"))
    data = "".join(chunks).encode("utf-8")
    started = time.perf_counter()
    result = ingest(data)
    elapsed = time.perf_counter() - started
    assert elapsed < 45, elapsed  # typically ~8 s; the guard is against minutes
    assert result.directives and result.people


def test_it_ingests_10_megabytes_of_one_unbroken_line() -> None:
    started = time.perf_counter()
    result = ingest("乡村振兴要加快推进“" * 350_000)
    assert time.perf_counter() - started < 45
    assert result.directives

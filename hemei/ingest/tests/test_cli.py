"""The ``hemei ingest`` command through its ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hemei.ingest.cli import main

REPORT = (
    "3月2日，全区乡村振兴推进会在区委党校召开。区委书记王大山出席会议并讲话，"
    "区长李小河主持会议。\n"
    "王大山强调，要深入实施“五大工程”，各镇街要在4月底前完成春播任务。\n"
)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """Write the sample report to a GBK-encoded file."""
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode("gbk"))
    return path


def test_it_prints_a_readable_summary(report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(report)]) == 0
    out = capsys.readouterr().out
    assert "全区乡村振兴推进会" in out
    assert "王大山" in out and "speaker" in out
    assert "李小河" in out and "host" in out
    assert "五大工程" in out
    assert "speaker: 王大山" in out and "units: 各镇街" in out and "deadline: 4月底前" in out


def test_it_prints_json_in_the_documented_shape(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(report), "--json", "--year", "2026"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["text", "removed", "meeting", "people", "programs", "directives"]
    assert isinstance(data["text"], str)
    assert data["removed"] == []
    meeting = data["meeting"]
    assert list(meeting) == ["name", "date_text", "date", "place", "year_from", "sources"]
    assert {key: meeting[key] for key in ("name", "date_text", "date", "place")} == {
        "name": "全区乡村振兴推进会",
        "date_text": "3月2日",
        "date": "2026-03-02",
        "place": "区委党校",
    }
    assert isinstance(meeting["sources"], dict)
    for person in data["people"]:
        assert list(person) == ["name", "titles", "role", "roles", "source"]
        assert person["role"] in person["roles"]
        assert isinstance(person["titles"], list)
    assert {(p["name"], p["role"]) for p in data["people"]} == {
        ("王大山", "speaker"),
        ("李小河", "host"),
    }
    for program in data["programs"]:
        assert list(program) == ["name", "description", "source"]
    assert data["programs"][0]["name"] == "五大工程"
    assert len(data["directives"]) == 1
    directive = data["directives"][0]
    assert list(directive) == [
        "speaker",
        "text",
        "theme",
        "responsible",
        "deadline_text",
        "source",
    ]
    assert directive["speaker"] == "王大山"
    assert directive["responsible"] == ["各镇街"]
    assert directive["deadline_text"] == "4月底前"


def test_it_keeps_chinese_characters_unescaped_in_json(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main([str(report), "--json"])
    out = capsys.readouterr().out
    assert "王大山" in out and "\\u" not in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "empty"),
        ("binary.bin", bytes(range(256)) * 64, "binary"),
        ("broken.docx", b"not a zip", "not a valid .docx"),
    ],
)
def test_it_exits_2_with_one_line_on_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err
    assert "Traceback" not in captured.err


def test_it_exits_2_on_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_it_exits_2_on_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["x.txt", "--year", "soon"]) == 2
    assert "usage: hemei ingest" in capsys.readouterr().err

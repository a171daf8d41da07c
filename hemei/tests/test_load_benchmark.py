"""The load test's figures and user mix, without a server (a run needs PostgreSQL with the
province built and takes minutes: ``python -m benchmarks load``; no timing is checked)."""

from __future__ import annotations

import math
import os
import sys
import types
from pathlib import Path

import pytest

from benchmarks import load, pages
from benchmarks.__main__ import BENCHMARKS


def test_percentiles_are_nearest_rank() -> None:
    ordered = [float(n) for n in range(1, 101)]
    assert load.percentile(ordered, 50) == 50
    assert load.percentile(ordered, 95) == 95
    assert load.percentile(ordered, 99) == 99
    assert load.percentile([7.0], 99) == 7
    assert math.isnan(load.percentile([], 50))


def test_the_summary_judges_each_page_by_its_budget_and_counts_errors() -> None:
    figures = load.summarise(
        samples={
            "county:login": [400.0],
            "county:task_list": [20.0] * 95 + [150.0] * 5,  # p95 20 ms: within
            "county:overview": [20.0] * 90 + [150.0] * 10,  # p95 150 ms: over
            "town:report_with_photo": [300.0] * 10,  # a write: a bigger budget
        },
        statuses={
            "county:task_list": {"200": 100},
            "county:overview": {"200": 98, "500": 1, "0": 1},
            "town:report_with_photo": {"302": 9, "400": 1},
        },
        failures={"county:overview": {"500 Server Error": 1, "ConnectionError": 1}},
        seconds=50,
        steady_requests=200,
    )
    pages_ = figures["pages"]
    assert pages_["county:task_list"] == {
        "requests": 100,
        "p50_ms": 20.0,
        "p95_ms": 20.0,
        "p99_ms": 150.0,
        "budget_ms_p95": pages.BUDGET_MS,
        "within_budget": True,
    }
    assert pages_["county:overview"]["within_budget"] is False
    assert pages_["town:report_with_photo"]["budget_ms_p95"] == 500
    assert pages_["town:report_with_photo"]["within_budget"] is True
    assert pages_["county:login"]["budget_ms_p95"] == 2000
    assert figures["over_budget"] == ["county:overview"]
    assert figures["requests"] == 210
    assert figures["requests_after_ramp"] == 200
    assert figures["throughput_rps"] == 4.0
    assert figures["statuses"] == {"0": 1, "200": 198, "302": 9, "400": 1, "500": 1}
    assert figures["server_errors"] == 1
    assert figures["errors"]["count"] == 2


def test_the_mix_fills_the_default_users_and_every_budget_is_of_a_page_asked() -> None:
    assert sum(load.MIX.values()) == 20
    assert all(weight > 0 for weight in load.MIX.values())
    assert load.budget_ms("province:task_list_search") == pages.BUDGET_MS
    assert load.budget_ms("reviewer:approve") > pages.BUDGET_MS
    locustfile = Path(load.__file__).with_name("locustfile.py").read_text(encoding="utf-8")
    for write in load.WRITE_BUDGET_MS:
        assert f'"{write}"' in locustfile or write == "login"  # named by Official.on_start
    for kind in load.MIX:
        assert f'MIX["{kind}"]' in locustfile


def test_the_benchmark_runner_lists_the_load_test_but_not_the_locustfile() -> None:
    # the locustfile has no run() and patches the standard library when imported
    assert "load" in BENCHMARKS
    assert "locustfile" not in BENCHMARKS


def test_the_runner_exits_non_zero_when_a_benchmark_saw_the_server_fail(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks import __main__ as runner

    failed = types.ModuleType("benchmarks.failed")
    failed.run = lambda: {"server_errors": 1, "ok": False}  # type: ignore[attr-defined]
    passed = types.ModuleType("benchmarks.passed")
    passed.run = lambda: {"figure": 1}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "benchmarks.failed", failed)
    monkeypatch.setitem(sys.modules, "benchmarks.passed", passed)
    monkeypatch.setattr(runner, "BENCHMARKS", ["failed", "passed"])
    monkeypatch.setenv("HEMEI_BENCH_USERS", "1")  # put back after the test
    assert runner.main(["passed", "--users", "5"]) == 0
    assert os.environ["HEMEI_BENCH_USERS"] == "5"  # the option became the knob
    assert runner.main(["passed", "failed"]) == 1
    assert '"server_errors": 1' in capsys.readouterr().out

"""Province-wide figures kept a minute (hemei.core.lists.cached_rows): answered from the
cache while fresh; once old, still answered while one recount runs in the background, and
counted by the request itself when they are older than the stale limit or not kept at all."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db.models import Count

from hemei.core import lists
from hemei.core.testing import TOWN_A, Cast
from hemei.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[Callable[[], Any]]:
    """The recounts started in the background, held here until the test runs them."""
    settings.HEMEI_FIGURES_REFRESH_IN_BACKGROUND = True
    started: list[Callable[[], Any]] = []
    monkeypatch.setattr(lists, "in_background", started.append)
    cache.clear()
    return started


def _rows() -> Any:
    return Task.objects.values("division_id").annotate(total=Count("id")).order_by("division_id")


def _age(seconds: float) -> None:
    """Make every kept figure ``seconds`` older (no waiting: the kept time is moved)."""
    for key in list(cache._cache):  # type: ignore[attr-defined]  (the local-memory cache)
        name = key.split(":", 2)[-1]
        if name.startswith("rows:") and not name.endswith(":counting"):
            kept, fresh_until = cache.get(name)
            cache.set(name, (kept, fresh_until - seconds), 3600)


def _add(title: str) -> None:
    Task.objects.create(title=title, division_id=TOWN_A, due_on="2026-06-30")


def test_old_figures_are_answered_while_one_recount_runs(
    cast: Cast, runs: list[Callable[[], Any]]
) -> None:
    _add("一")
    first = lists.cached_rows(_rows())
    _add("二")
    assert lists.cached_rows(_rows()) == first and runs == []  # fresh: kept as they are

    _age(lists.AREA_FIGURES_SECONDS + 1)
    assert lists.cached_rows(_rows()) == first  # old: still answered at once ...
    assert lists.cached_rows(_rows()) == first
    assert len(runs) == 1  # ... and counted again once, however many asked
    runs.pop()()
    counted = lists.cached_rows(_rows())
    assert counted != first and sum(row["total"] for row in counted) == 2
    assert runs == []  # the recount left fresh figures


def test_figures_past_the_stale_limit_are_counted_by_the_request(
    cast: Cast, runs: list[Callable[[], Any]]
) -> None:
    _add("一")
    lists.cached_rows(_rows())
    _add("二")
    cache.clear()  # what the cache does once the stale limit is over: the entry is gone
    assert sum(row["total"] for row in lists.cached_rows(_rows())) == 2
    assert runs == []


def test_without_the_background_the_old_figures_are_counted_in_the_request(
    cast: Cast, settings: Any
) -> None:
    cache.clear()
    _add("一")
    lists.cached_rows(_rows())
    _add("二")
    _age(lists.AREA_FIGURES_SECONDS + 1)
    assert sum(row["total"] for row in lists.cached_rows(_rows())) == 2


def test_the_entry_lives_as_long_as_it_may_be_shown(
    cast: Cast, runs: list[Callable[[], Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: dict[str, Any] = {}
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: kept.update({key: timeout}))
    lists.cached_rows(_rows())
    (timeout,) = kept.values()
    assert timeout == lists.AREA_FIGURES_SECONDS + lists.AREA_FIGURES_STALE_SECONDS


def test_a_recount_in_a_thread_closes_its_connection_and_logs_a_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    done: list[str] = []

    def broken() -> None:
        done.append("ran")
        raise RuntimeError("the database went away")

    lists.in_background(broken)
    for thread in threading.enumerate():
        if thread.name == "hemei-figures":
            thread.join()
    assert done == ["ran"]
    assert "counting the figures again failed" in caplog.text

"""A server process warms up before its first request (hemei.core.warmup): templates parsed
and kept, URL patterns loaded, the search dictionary read; a step that fails is logged and
never keeps the server from starting."""

from __future__ import annotations

import logging

import pytest
from django.template import engines

from hemei.core import search, warmup


def _cached(name: str) -> bool:
    loader = engines["django"].engine.template_loaders[0]
    return any(key.startswith(name) for key in loader.get_template_cache)


def test_it_parses_every_template_once_so_the_first_page_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = warmup.template_names()
    assert "tasks/task_list.html" in names and "base.html" in names
    assert "includes/pagination.html" in names and len(names) > 100
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    monkeypatch.setattr(search, "_READY", False)
    assert not _cached("tasks/task_list.html")

    spent = warmup.warm_up()

    assert set(spent) == {"urls", "templates", "translations", "search"}
    assert _cached("tasks/task_list.html") and _cached("base.html")
    assert search._READY


def test_a_failing_step_is_logged_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("no dictionary")

    monkeypatch.setattr(warmup, "_search", broken)
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    with caplog.at_level(logging.INFO, logger="hemei.core.warmup"):
        spent = warmup.warm_up()
    assert "search" in spent and _cached("tasks/task_list.html")
    assert "warm-up step search failed" in caplog.text

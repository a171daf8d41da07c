"""A refused request is one line in the log, not a traceback; a server error keeps its."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from hemei.core.testing import Cast

pytestmark = pytest.mark.django_db


def _console() -> logging.Handler:
    """The console handler that settings.LOGGING puts on the root logger."""
    handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert handlers, "settings.LOGGING configures a console handler"
    return handlers[0]


def test_a_403_is_logged_in_one_line_without_a_traceback(
    cast: Cast, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(cast.nora)  # an account with no role
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("tasks:task_list"))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.WARNING and record.status_code == 403
    assert record.exc_info is None
    line = _console().format(record)
    assert line == "Forbidden (Permission denied): /tasks/"
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        record = logging.getLogger("django.request").makeRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/x/",),
            (type(exc), exc, exc.__traceback__),
            extra={"status_code": 500},
        )
    filters = logging.getLogger("django.request").filters
    assert filters
    for installed in filters:
        assert installed.filter(record)
    assert record.exc_info is not None
    assert "Traceback" in _console().format(record)

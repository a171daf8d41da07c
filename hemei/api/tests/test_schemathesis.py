"""Schemathesis against the OpenAPI document: every operation, called as each role with
data drawn from its schema (valid and invalid), answers no 5xx, and every answer matches
what the document promises (status code, content type, body schema).

The calls go through the real WSGI application into the test database; each role holds a
personal token. Writes that the drawn data gets through really happen, so later cases meet
a world that changes, as a real API does."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hemei.api import services as api_services
from hemei.api.openapi import document
from hemei.api.v1.urls import v1
from hemei.core.testing import Cast

from .conftest import World

schema = schemathesis.openapi.from_dict(document(v1))
#: The roles that call every operation: county administrator, leader, department, town and
#: village officials, a villager.
ROLES = ("alice", "lily", "dan", "tom", "victor", "vera")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi() -> Any:
    """The site's WSGI application, its requests inside the test's transaction (the
    connection is not closed after each request, as Django's test client arranges)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(cast: Cast, world: World) -> dict[str, str]:
    return {
        role: api_services.create_token(actor=getattr(cast, role), name="schemathesis")[1]
        for role in ROLES
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_as_every_role(case: Any, wsgi: Any, tokens: dict[str, str]) -> None:
    for key in tokens.values():
        case.call_and_validate(app=wsgi, headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)

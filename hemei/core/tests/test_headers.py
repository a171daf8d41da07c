"""Every response forbids inline scripts (Content-Security-Policy); pages and files with
households' personal data are never cached."""

import re
from pathlib import Path

import pytest
from django.test import Client

from hemei.core.testing import VILLAGE_A, Cast

pytestmark = pytest.mark.django_db
HEMEI = Path(__file__).resolve().parents[2]


def test_every_response_carries_the_content_security_policy(cast: Cast, client: Client) -> None:
    login = client.get("/accounts/login/")
    policy = login["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    client.force_login(cast.alice)
    for url in ("/", "/tasks/", "/rankings/", "/api/v1/openapi.json", "/no-such-page/"):
        assert "Content-Security-Policy" in client.get(url), url


def test_pages_with_household_data_are_not_stored(cast: Cast, client: Client) -> None:
    client.force_login(cast.victor)
    for url in (
        "/households/",
        "/households/?export=xlsx",
        "/households/import/template/",
        f"/points/v/{VILLAGE_A}/",
        f"/points/v/{VILLAGE_A}/entries/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    assert "no-store" not in client.get("/tasks/").get("Cache-Control", "")


def test_no_template_holds_an_inline_script_style_or_event_handler() -> None:
    found = [
        f"{path.relative_to(HEMEI)}: {match.group(0)}"
        for path in HEMEI.rglob("*.html")
        # Web pages kept as test input for the meeting-report reader are not templates.
        if "fixtures" not in path.relative_to(HEMEI).parts
        for match in re.finditer(
            r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style\b|\son[a-z]+=\"",
            path.read_text("utf-8"),
        )
    ]
    assert found == []

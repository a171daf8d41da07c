"""The site has an icon: the pages name it, and /favicon.ico (which browsers ask for on
their own) leads to it, so no page asks for a missing file."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_favicon_ico_leads_to_the_shipped_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/hemei/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert _body(icon).startswith(b"\x00\x00\x01\x00")  # an ICO file


def test_every_page_names_its_icon(client: Client) -> None:
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    links = re.findall(r'<link rel="icon" href="([^"]+)"', page.content.decode())
    assert links == ["/static/hemei/favicon.svg", "/static/hemei/favicon.ico"]
    svg = client.get(links[0])
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert _body(svg).startswith(b"<svg")
    assert client.get(links[1]).status_code == 200


def test_the_icons_are_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["hemei"]
    for name in ("static/hemei/favicon.svg", "static/hemei/favicon.ico"):
        assert (ROOT / "hemei" / name).is_file()
        assert any(fnmatch(name, pattern) for pattern in patterns), name

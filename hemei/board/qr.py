"""The board's QR code (segno: pure Python, no dependencies) and the address it encodes."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def public_url(request: HttpRequest, code: str) -> str:
    """The board's absolute address: ``HEMEI_SITE_URL`` (the address people reach the
    platform at) when it is set, else the address this request came to."""
    path = reverse("board:board", kwargs={"code": code})
    base = settings.HEMEI_SITE_URL
    return f"{base.rstrip('/')}{path}" if base else request.build_absolute_uri(path)


def _symbol(url: str) -> segno.QRCode:
    # error level M: a printed board gets dirty, but the code must stay small enough to scan
    # from a phone held at arm's length
    return segno.make_qr(url, error="m")


def qr_svg(url: str, *, title: str = "") -> bytes:
    """A standalone SVG file of the code, dark on white, with the quiet zone of four
    modules, its size in the viewBox (it scales to any print size)."""
    out = io.BytesIO()
    _symbol(url).save(
        out, kind="svg", scale=10, border=4, dark="#000", light="#fff", title=title or None
    )
    return out.getvalue()


def qr_svg_inline(url: str) -> str:
    """The same code as an ``<svg>`` element for a page (sized by the page's CSS)."""
    return _symbol(url).svg_inline(
        scale=10, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr"
    )

"""The public board's rate limit: so many requests per minute from one address.

The count lives in Django's cache, in a window named by the platform clock's minute
(``hemei.core.clock``), so a test freezes the clock and never waits: the next minute is a
new window with a fresh count. A window's key expires by itself two minutes on.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from hemei.core import clock

WINDOW_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, when ``HEMEI_TRUST_X_FORWARDED_FOR`` says a
    proxy of ours stands in front, the last address of X-Forwarded-For (the one our proxy
    appended; those before it are whatever the client sent)."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.HEMEI_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            address = last
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "unknown"


def window() -> int:
    """The number of the current minute on the platform's clock."""
    return int(clock.now().timestamp()) // WINDOW_SECONDS


def seconds_left() -> int:
    return WINDOW_SECONDS - int(clock.now().timestamp()) % WINDOW_SECONDS


def take(address: str, limit: int) -> bool:
    """Count one request from ``address``; whether it is within ``limit`` this minute."""
    key = f"board:rate:{window()}:{address}"
    cache.add(key, 0, timeout=2 * WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * WINDOW_SECONDS)
        count = 1
    return count <= limit


def too_many() -> HttpResponse:
    response = HttpResponse(
        _("Too many requests from your address. Please wait a minute and try again."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds_left())
    add_never_cache_headers(response)
    return response


def rate_limited(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer 429 once the address has made ``HEMEI_BOARD_RATE_LIMIT`` requests this
    minute (0: no limit). Every request counts, a 404 or a 304 as much as a page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        limit = settings.HEMEI_BOARD_RATE_LIMIT
        if limit > 0 and not take(client_address(request), limit):
            return too_many()
        return view(request, *args, **kwargs)

    return wrapped

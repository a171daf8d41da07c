"""Headers every response gets: the Content-Security-Policy, and no caching of pages
that show people's personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers

#: Scripts and styles come from the site itself (htmx and ECharts are served from
#: static/vendor): no inline script, no event-handler attribute, no eval, no <style> element.
#: Style attributes stay allowed (progress bars are sized by them and ECharts sets them);
#: browsers that do not know style-src-elem/-attr fall back to style-src.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "style-src-elem 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy to every response, and ``Cache-Control: no-store``
    to every page and file of the apps in ``settings.NO_STORE_APPS`` (households, points:
    names, ID numbers, phones and points of households must not stay in a browser's or a
    proxy's cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        match = getattr(request, "resolver_match", None)
        if match is not None and set(match.namespaces) & set(settings.NO_STORE_APPS):
            add_never_cache_headers(response)
        return response

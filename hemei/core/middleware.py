"""Headers every response gets: the Content-Security-Policy, and no caching of pages
that show people's personal data."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers

#: Scripts and styles come from the site itself (htmx and ECharts are served from
#: static/vendor): no inline script, no event-handler attribute, no eval, no <style> element.
#: Style attributes stay allowed (progress bars are sized by them and ECharts sets them);
#: browsers that do not know style-src-elem/-attr fall back to style-src.
#: A view may add image hosts for its own response (a county's map tiles: 天地图 or an
#: intranet server) by setting ``response.csp_img_hosts`` to their origins
#: (``["https://t0.tianditu.gov.cn", …]``); every other response gets the policy as it is.
IMG_SRC = "img-src 'self' data: blob:"
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "style-src-elem 'self'",
        "style-src-attr 'unsafe-inline'",
        IMG_SRC,
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
#: An origin a view may add: scheme, host (letters, digits, dots, dashes), optional port.
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


def content_security_policy(img_hosts: Iterable[str] = ()) -> str:
    """The policy, with ``img_hosts`` (origins) also allowed for images; anything that is
    not a plain origin is left out, so a stored URL can never widen the policy otherwise."""
    extra = [host for host in dict.fromkeys(img_hosts) if _ORIGIN.match(host)]
    if not extra:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(IMG_SRC, " ".join((IMG_SRC, *extra)))


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy to every response (with the image hosts a view
    set on ``response.csp_img_hosts``), and ``Cache-Control: no-store``
    to every page and file of the apps in ``settings.NO_STORE_APPS`` (households, points:
    names, ID numbers, phones and points of households must not stay in a browser's or a
    proxy's cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(
                getattr(response, "csp_img_hosts", ())
            )
        match = getattr(request, "resolver_match", None)
        if match is not None and set(match.namespaces) & set(settings.NO_STORE_APPS):
            add_never_cache_headers(response)
        return response

"""The public board's pages: the village's board, its QR code and its poster (no login,
rate-limited, cacheable), and the officials' settings and list of their villages."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from hemei.accounts.policy import allowed, allows
from hemei.core import clock
from hemei.core.forms import apply_errors
from hemei.core.htmx import template_for
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from . import qr, selectors, services
from .forms import BoardSettingsForm
from .models import BoardSettings
from .ratelimit import rate_limited

# --------------------------------------------------------------------------- public pages


def _enabled_or_404(code: str) -> BoardSettings:
    found = selectors.enabled_board(code)
    if found is None:
        raise Http404(_("This village has no public board."))
    return found


def _cacheable(request: HttpRequest, response: HttpResponse) -> HttpResponseBase:
    """Public and kept for ``HEMEI_BOARD_MAX_AGE`` seconds, with an ETag of the content:
    a browser or proxy asking again with If-None-Match gets 304 while nothing changed.

    The board is the deliberate exception to the no-store of personal pages (the security
    middleware adds it only for ``settings.NO_STORE_APPS``): it is the same for everyone
    and shows nothing personal. Its pages are rendered without the request, so they read
    no session or cookie and vary only by language."""
    response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    patch_cache_control(response, public=True, max_age=settings.HEMEI_BOARD_MAX_AGE)
    return get_conditional_response(request, etag=response["ETag"], response=response)


@rate_limited
@require_safe
def board(request: HttpRequest, code: str) -> HttpResponseBase:
    """The village's public board: its place, its welcome and office phone, and every
    registered section with its items (none carrying personal data)."""
    found = _enabled_or_404(code)
    shown = selectors.board_for(found, clock.today())
    html = render_to_string("board/board.html", {"board": shown})
    return _cacheable(request, HttpResponse(html))


@rate_limited
@require_safe
def board_qr(request: HttpRequest, code: str) -> HttpResponseBase:
    """The QR code of the board's address, as an SVG file to print at any size."""
    found = _enabled_or_404(code)
    url = qr.public_url(request, code)
    svg = qr.qr_svg(url, title=found.village.name)
    # shown in place by the poster's <img>; no file name, no attachment
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    return _cacheable(request, response)


@rate_limited
@require_safe
def board_poster(request: HttpRequest, code: str) -> HttpResponseBase:
    """A printable A4 poster for the physical board: the QR code, the village's name and
    one line telling people to scan it."""
    found = _enabled_or_404(code)
    village = found.village
    url = qr.public_url(request, code)
    town = Division.objects.filter(code=code[:9]).first()
    html = render_to_string(
        "board/poster.html",
        {"village": village, "town": town, "url": url, "svg": qr.qr_svg_inline(url)},
    )
    return _cacheable(request, HttpResponse(html))


# --------------------------------------------------------------------------- officials


@allowed(BoardSettings)
def board_list(request: HttpRequest) -> HttpResponse:
    """The villages of the user's area and whether each shows its board."""
    q, state = request.GET.get("q", "").strip(), request.GET.get("state", "")
    rows = selectors.villages_with_boards(request.user, q=q, state=state)
    if wants_export(request):
        return xlsx_response(
            filename="public-boards",
            title=_("Public boards"),
            columns=[
                (_("Code"), lambda v: v.code),
                (_("Village"), lambda v: v.name),
                (_("Town"), lambda v: v.parent.name if v.parent else ""),
                (
                    _("Public board"),
                    lambda v: pgettext("board", "on") if v.board_on else pgettext("board", "off"),
                ),
                (_("Address"), lambda v: qr.public_url(request, v.code) if v.board_on else ""),
            ],
            queryset=rows,
        )
    return render(
        request,
        template_for(request, "board/board_list.html", "board/partials/rows.html"),
        {
            "page": paginate(request, rows),
            "q": q,
            "state": state,
            "states": selectors.state_choices(),
        },
    )


@allowed(BoardSettings)
def board_settings(request: HttpRequest, code: str) -> HttpResponse:
    """A village's board: on or off, its welcome text and office contact; the links to
    the public page, the QR code and the poster. Read by village affairs; changed by the
    village's officials and the town and county above (else 403)."""
    village = get_object_or_404(Division.objects.current().filter(level=Level.VILLAGE), code=code)
    current = selectors.settings_for(village.code)
    if not allows(request.user, "view", current):
        raise Http404
    runs = allows(request.user, "change", current)
    form = BoardSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "enabled": current.enabled,
            "welcome": current.welcome,
            "contact": current.contact,
        },
    )
    if request.method == "POST":
        if not runs:
            raise PermissionDenied(_("You do not run the public board of this village."))
        if form.is_valid():
            try:
                services.update_board(actor=request.user, village=village, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("board:settings", code=village.code)
    return render(
        request,
        "board/settings.html",
        {
            "village": village,
            "board": current,
            "form": form,
            "runs": runs,
            "public_url": qr.public_url(request, village.code),
        },
        status=400 if request.method == "POST" else 200,
    )

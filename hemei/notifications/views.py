"""The notification centre: a person's own messages, unread first. Nothing here is scoped
by division: a notification belongs to its recipient and nobody else sees it (404)."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hemei.accounts.policy import allowed, may
from hemei.core.htmx import template_for
from hemei.core.lists import paginate

from . import services
from .models import Notification


@allowed(Notification)
def inbox(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.for_user(request.user).select_related("task")
    if request.GET.get("show") == "unread":
        rows = rows.unread()
    # Unread first, then newest first (not by when each was read).
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    rows = rows.alias(is_unread=unread).order_by("-is_unread", "-created_at", "-id")
    return render(
        request,
        template_for(request, "notifications/inbox.html", "notifications/partials/rows.html"),
        {"page": paginate(request, rows), "unread": services.unread_count(request.user)},
    )


@allowed(Notification)
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points (only inside this site)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(user=request.user, pks=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
@allowed(Notification)
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(user=request.user, pks=[notification.pk])
    return redirect("notifications:inbox")


@require_POST
@allowed(Notification)
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    return redirect("notifications:inbox")


def unread_count(request: HttpRequest) -> HttpResponse:
    """The top bar's link with the unread count (an HTMX fragment that polls itself).

    Anonymous visitors (and accounts without a role, which have no top bar to put it in) get
    an empty answer rather than the login page or a 403 inside the top bar.
    """
    if not (request.user.is_authenticated and may(request.user, "view", Notification)):
        return HttpResponse("")
    return render(
        request,
        "notifications/partials/unread_count.html",
        {"unread": services.unread_count(request.user)},
    )

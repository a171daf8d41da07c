from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from hemei.accounts.choices import Role
from hemei.accounts.permissions import role_required
from hemei.accounts.scope import grants

from .selectors import home_summary


@role_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page: what the user's roles put in front of them.

    A villager's home is their household's points page (balance, history, notices).
    """
    roles = {grant.role for grant in grants(request.user)}
    if roles == {Role.VILLAGER} and not request.user.is_superuser:
        return redirect("points:my_household")
    return render(request, "core/home.html", {"summary": home_summary(request.user)})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on their own: the icon the pages name."""
    return redirect(static("hemei/favicon.ico"), permanent=True)

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hemei.accounts.permissions import role_required

from .selectors import home_summary


@role_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page: what the user's roles put in front of them."""
    return render(request, "core/home.html", {"summary": home_summary(request.user)})

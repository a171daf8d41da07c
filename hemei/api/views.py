"""The API tokens page: a person creates (the key shown once) and revokes their tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemei.accounts.policy import allowed

from . import services
from .models import Token


@allowed(Token)
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens; a POST creates one and shows its key on this answer only."""
    new_key = ""
    error = ""
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            token, new_key = services.create_token(actor=request.user, name=name)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            name = ""
            messages.success(request, _("Token %(name)s created.") % {"name": token.name})
    tokens = Token.objects.filter(user=request.user)
    response = render(
        request,
        "api/tokens.html",
        {"tokens": tokens, "new_key": new_key, "error": error, "name": name},
        status=400 if error else 200,
    )
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@allowed(Token)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(Token, pk=pk, user=request.user)
    services.revoke_token(actor=request.user, token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("api:tokens")

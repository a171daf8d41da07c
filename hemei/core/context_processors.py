from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the site chrome needs: whether to show the administration menu."""
    from hemei.accounts.permissions import is_admin

    user = getattr(request, "user", None)
    return {"nav_is_admin": bool(user and user.is_authenticated and is_admin(user))}

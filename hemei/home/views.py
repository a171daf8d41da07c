"""The home page and the pages of the user's area (the division tree): what every role
opens first. The division tree itself is data of ``hemei.divisions``; its pages live here so
that the tree stays at the bottom of the layers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hemei.accounts.choices import Role
from hemei.accounts.policy import allowed, grants, places, role_required
from hemei.core.htmx import template_for
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.divisions.selectors import filter_divisions

from .selectors import home_summary, roots_for, visible_ancestors


@role_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page: what the user's roles put in front of them.

    A villager's home is their household's points page (balance, history, notices).
    """
    roles = {grant.role for grant in grants(request.user)}
    if roles == {Role.VILLAGER} and not request.user.is_superuser:
        return redirect("points:my_household")
    return render(request, "home/home.html", {"summary": home_summary(request.user)})


def _export(queryset, name: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    return xlsx_response(
        filename=f"divisions-{name}",
        title=_("Divisions"),
        columns=[
            (_("Code"), lambda d: d.code),
            (_("Name"), lambda d: d.name),
            (_("Level"), lambda d: d.get_level_display()),
            (_("Parent code"), lambda d: d.parent_id),
            (_("Closed on"), lambda d: d.valid_to),
        ],
        queryset=queryset,
    )


@allowed(Division)
def division_list(request: HttpRequest) -> HttpResponse:
    """The top of the user's area; with a filter, a search across all of it."""
    q, level, state = (request.GET.get(key, "") for key in ("q", "level", "state"))
    roots = roots_for(request.user)
    if not (q or level or state) and not wants_export(request) and roots.count() == 1:
        return redirect("divisions:division_detail", code=roots.get().code)
    if q or level or state or wants_export(request):
        queryset = filter_divisions(places(request.user, "view"), q=q, level=level, state=state)
    else:
        queryset = roots
    if wants_export(request):
        return _export(queryset, "search")
    page = paginate(request, queryset)
    return render(
        request,
        template_for(request, "divisions/division_list.html", "divisions/partials/rows.html"),
        {"page": page, "levels": Level.choices, "division": None},
    )


@allowed(Division)
def division_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A division with its children (or, with a filter, its whole subtree) paged."""
    division = get_object_or_404(places(request.user, "view"), code=code)
    q, level, state = (request.GET.get(key, "") for key in ("q", "level", "state"))
    if q or level:
        queryset = Division.objects.below(division.code)
    else:
        queryset = Division.objects.filter(parent=division)
    queryset = filter_divisions(queryset, q=q, level=level, state=state)
    if wants_export(request):
        return _export(queryset, division.code)
    page = paginate(request, queryset)
    context = {
        "division": division,
        "ancestors": visible_ancestors(request.user, division),
        "page": page,
        "levels": [choice for choice in Level.choices if choice[0] > division.level],
        "changes": division.changes.all()[:20],
    }
    return render(
        request,
        template_for(request, "divisions/division_detail.html", "divisions/partials/rows.html"),
        context,
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on their own: the icon the pages name."""
    return redirect(static("hemei/favicon.ico"), permanent=True)

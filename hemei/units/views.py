from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hemei.accounts.policy import admin_required, allowed
from hemei.core.htmx import template_for
from hemei.core.lists import paginate, wants_export, xlsx_response

from . import services
from .choices import UnitKind
from .forms import UnitForm
from .models import Unit


@allowed(Unit)
def unit_list(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.visible_to(request.user).select_related("division")
    units = units.search(request.GET.get("q", ""))
    kind = request.GET.get("kind", "")
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    if request.GET.get("active") != "all":
        units = units.active()
    if wants_export(request):
        return xlsx_response(
            filename="units",
            title=_("Units"),
            columns=[
                (_("Name"), lambda u: u.name),
                (_("Short name"), lambda u: u.short_name),
                (_("Kind"), lambda u: u.get_kind_display()),
                (_("Division"), lambda u: u.division.name),
                (_("Active"), lambda u: _("yes") if u.is_active else _("no")),
            ],
            queryset=units,
        )
    return render(
        request,
        template_for(request, "units/unit_list.html", "units/partials/rows.html"),
        {"page": paginate(request, units), "kinds": UnitKind.choices},
    )


def _save(request: HttpRequest, form: UnitForm, unit: Unit | None) -> Unit | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if unit is None:
            return services.create_unit(actor=request.user, **data)
        return services.update_unit(actor=request.user, unit=unit, **data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@admin_required
def unit_create(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None, user=request.user)
    if request.method == "POST":
        unit = _save(request, form, None)
        if unit is not None:
            messages.success(request, _("Unit %(name)s created.") % {"name": unit.name})
            return redirect("units:unit_list")
    return render(request, "units/unit_form.html", {"form": form, "unit": None})


@admin_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.restrict(request.user, "change"), pk=pk)
    # The form validates a copy; the service changes `unit` and records what changed.
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk), user=request.user)
    if request.method == "POST":
        saved = _save(request, form, unit)
        if saved is not None:
            messages.success(request, _("Unit %(name)s saved.") % {"name": saved.name})
            return redirect("units:unit_list")
    return render(request, "units/unit_form.html", {"form": form, "unit": unit})

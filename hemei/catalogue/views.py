from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hemei.accounts.policy import allowed, allows_at, get_or_404, grants, places
from hemei.core import clock
from hemei.core.downloads import download
from hemei.core.evidence import MAX_FILE_BYTES, too_big
from hemei.core.forms import apply_errors
from hemei.core.lists import paginate, wants_export
from hemei.divisions.choices import Level as DivisionLevel
from hemei.divisions.models import Division
from hemei.procedures.adoption import MeetingKind

from . import excel, selectors, services
from .install import install_default
from .models import Catalogue, CatalogueVersion, Item

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AdoptForm(forms.Form):
    meeting_kind = forms.ChoiceField(label=gettext_lazy("adopted by"), choices=MeetingKind.choices)
    meeting_date = forms.DateField(
        label=gettext_lazy("meeting date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    in_force_from = forms.DateField(
        label=gettext_lazy("in force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=gettext_lazy("note"), max_length=500, required=False)


def _version(request: HttpRequest, pk: int) -> CatalogueVersion:
    return get_or_404(
        request.user,
        "view",
        CatalogueVersion.objects.select_related("catalogue", "catalogue__division"),
        pk=pk,
    )


def _may_change(user, version: CatalogueVersion) -> bool:
    action = "publish_templates" if version.catalogue.is_template else "keep_catalogue"
    return allows_at(user, action, version.catalogue.division_id)


def _check_change(user, version: CatalogueVersion) -> None:
    if not _may_change(user, version):
        raise PermissionDenied(_("You do not keep this catalogue."))


@allowed(Catalogue)
def catalogue_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.catalogues(request.user).order_by("-is_template", "division_id")
    villages = places(request.user, "keep_catalogue").filter(level=DivisionLevel.VILLAGE)[:50]
    counties = places(request.user, "publish_templates").filter(level=DivisionLevel.COUNTY)[:5]
    return render(
        request,
        "catalogue/catalogue_list.html",
        {"page": paginate(request, rows), "villages": villages, "counties": counties},
    )


@allowed(Catalogue)
def catalogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = get_or_404(
        request.user, "view", Catalogue.objects.select_related("division"), pk=pk
    )
    rows = selectors.versions(request.user, catalogue)
    templates = []
    if not catalogue.is_template:
        templates = selectors.templates_above(request.user, catalogue.division_id)
    may = allows_at(
        request.user,
        "publish_templates" if catalogue.is_template else "keep_catalogue",
        catalogue.division_id,
    )
    return render(
        request,
        "catalogue/catalogue_detail.html",
        {"catalogue": catalogue, "versions": rows, "templates": templates, "may_change": may},
    )


@allowed(Catalogue)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if wants_export(request):
        return download(
            io.BytesIO(excel.export_version(version)),
            filename=f"{version.catalogue.name}-v{version.number}.xlsx",
            content_type=XLSX,
        )
    return _version_page(request, version)


def _version_page(
    request: HttpRequest,
    version: CatalogueVersion,
    *,
    adopt_form: AdoptForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """A version with its items by area; a refused publish or adoption shows here, why."""
    items = selectors.items(version)
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        items = items.filter(name__icontains=q)
    areas: dict[str, list[Item]] = {}
    for item in items:
        areas.setdefault(item.area, []).append(item)
    may = _may_change(request.user, version) and version.is_draft
    if adopt_form is None and may and not version.catalogue.is_template:
        adopt_form = AdoptForm(
            initial={"meeting_date": clock.today(), "in_force_from": clock.today()}
        )
    return render(
        request,
        "catalogue/version_detail.html",
        {
            "version": version,
            "areas": areas,
            "q": q,
            "may_change": may,
            "adopt_form": adopt_form,
            "errors": errors or [],
        },
        status=status,
    )


@allowed(Catalogue)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_or_404(
        request.user, "view", Item.objects.select_related("version", "version__catalogue"), pk=pk
    )
    return render(
        request,
        "catalogue/item_detail.html",
        {"item": item, "steps": item.steps.order_by("position")},
    )


@allowed(Catalogue)
def negative_list(request: HttpRequest) -> HttpResponse:
    """负面清单: what the villages of the area may not be made to do."""
    code = (request.GET.get("village") or "").strip()
    own = [g.division_id for g in grants(request.user)]
    if not code:
        code = next((c for c in own if len(c) == 12), own[0] if own else "")
    if not (code.isascii() and code.isdigit()) or not (
        allows_at(request.user, "view_with_ancestors", code)
        or allows_at(request.user, "live_in", code)
    ):
        raise Http404
    return render(
        request,
        "catalogue/negative_list.html",
        {
            "items": selectors.negative_list(
                code.ljust(12, "0")[:12] if len(code) < 12 else code, clock.today()
            ),
            "code": code,
        },
    )


@require_POST
@allowed(Catalogue)
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """A village starts a draft from a template published above it (or its own version)."""
    catalogue = get_or_404(
        request.user, "view", Catalogue.objects.select_related("division"), pk=pk
    )
    base_pk = request.POST.get("based_on") or ""
    based_on = None
    if base_pk:
        if not base_pk.isdigit():
            raise Http404
        based_on = get_or_404(request.user, "view", CatalogueVersion.objects.all(), pk=int(base_pk))
    try:
        if catalogue.is_template:
            version = services.draft_template_version(actor=request.user, template=catalogue)
        else:
            version = services.draft_version(
                actor=request.user, village=catalogue.division, based_on=based_on
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("catalogue:catalogue", pk=catalogue.pk)
    return redirect("catalogue:version", pk=version.pk)


@require_POST
@allowed(Catalogue)
def village_draft(request: HttpRequest, code: str) -> HttpResponse:
    """A village's catalogue, created by its keepers the first time they open it (a POST:
    opening a page never writes)."""
    if not allows_at(request.user, "keep_catalogue", code) or len(code) != 12:
        raise Http404
    from hemei.divisions.models import Division

    village = get_or_404(
        request.user, "view", Division.objects.filter(level=DivisionLevel.VILLAGE), code=code
    )
    return redirect("catalogue:catalogue", pk=services.catalogue_of(village).pk)


@require_POST
@allowed(Catalogue)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    _check_change(request.user, version)
    try:
        services.publish_template(actor=request.user, version=version)
    except ValidationError as exc:
        return _version_page(request, version, errors=exc.messages, status=400)
    messages.success(request, _("Published."))
    return redirect("catalogue:version", pk=version.pk)


@require_POST
@allowed(Catalogue)
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    _check_change(request.user, version)
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.adopt_version(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Adopted."))
            return redirect("catalogue:version", pk=version.pk)
    return _version_page(request, version, adopt_form=form, status=400)


@require_POST
@allowed(Catalogue)
def import_items(request: HttpRequest, pk: int) -> HttpResponse:
    """A workbook (事项清单 + 运行流程) replaces the draft's items: all or nothing."""
    version = _version(request, pk)
    _check_change(request.user, version)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose the workbook to import."))
        if upload.size > MAX_FILE_BYTES:
            raise too_big(upload.name, upload.size)
        items = excel.import_workbook(actor=request.user, version=version, data=upload.read())
    except ValidationError as exc:
        return render(
            request,
            "catalogue/import_errors.html",
            {"version": version, "errors": exc.messages},
            status=400,
        )
    messages.success(request, _("%(n)d items imported.") % {"n": len(items)})
    return redirect("catalogue:version", pk=version.pk)


@require_POST
@allowed(Catalogue)
def install(request: HttpRequest) -> HttpResponse:
    """The county office installs the default county catalogue as a published template."""
    code = (request.POST.get("county") or "").strip()
    county = Division.objects.filter(code=code, level=DivisionLevel.COUNTY).first()
    if county is None or not allows_at(request.user, "publish_templates", code):
        raise Http404
    try:
        version = install_default(actor=request.user, county=county)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("catalogue:list")
    return redirect("catalogue:version", pk=version.pk)

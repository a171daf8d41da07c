"""Pages of a county's document templates: which template is in force for each kind of
document, the default and the county's own to download, a new one to upload, a preview.

Opened by the policy of :class:`DocumentTemplate` (the county office of the county): a role
that does not open it gets 403, a county outside its reach 404, as a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemei.accounts.policy import allowed, get_or_404, places
from hemei.core.downloads import download
from hemei.core.forms import apply_errors
from hemei.core.lists import paginate
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from . import services
from .forms import TemplateUploadForm
from .models import DocumentTemplate
from .registry import DocumentKind, kind_or_404, kinds
from .rendering import CONTENT_TYPE, TemplateFailed


def _county(request: HttpRequest, code: str, action: str = "view") -> Division:
    allowed_here = (
        services.may_change(request.user, code)
        if action == "change"
        else services.may_view(request.user, code)
    )
    county = Division.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not allowed_here:
        raise Http404
    return county


@allowed(DocumentTemplate)
def kind_list(request: HttpRequest) -> HttpResponse:
    """The counties whose templates the user administers: straight to the one, if one."""
    counties = places(request.user, "administer").filter(level=Level.COUNTY).order_by("code")
    query = request.GET.get("q", "").strip()
    if query:
        counties = counties.search(query)
    elif len(first := list(counties[:2])) == 1:
        return redirect("documents:county_kinds", code=first[0].code)
    return render(request, "documents/county_list.html", {"page": paginate(request, counties)})


@allowed(DocumentTemplate)
def county_kinds(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(request, code)
    in_force = {
        template.kind: template
        for template in DocumentTemplate.objects.active().filter(county_id=county.code)
    }
    rows = [(kind, in_force.get(kind.key)) for kind in kinds()]
    return render(request, "documents/county_kinds.html", {"county": county, "rows": rows})


def _detail(
    request: HttpRequest,
    county: Division,
    kind: DocumentKind,
    form: TemplateUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    history = DocumentTemplate.objects.of(county.code, kind.key).select_related("uploaded_by")
    return render(
        request,
        "documents/kind_detail.html",
        {
            "county": county,
            "kind": kind,
            "in_force": services.template_in_force(kind.key, county.code),
            "history": history[:50],
            "form": form or TemplateUploadForm(),
            "may_change": services.may_change(request.user, county.code),
            "fields_help": _(
                "Write a field into the Word file as {{ name }}. A table's rows go between "
                "{%tr for row in rows %} and {%tr endfor %}, each in a row of its own, and a "
                "row's values are {{ row.no }} and so on: download the default template to see how."
            ),
        },
        status=status,
    )


@allowed(DocumentTemplate)
def kind_detail(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    county = _county(request, code)
    return _detail(request, county, kind_or_404(kind))


@allowed(DocumentTemplate, "change")
@require_POST
def template_upload(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    county = _county(request, code, "change")
    found = kind_or_404(kind)
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.upload_template(
                request.user, county, found.key, upload.read(), name=upload.name or ""
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The template of “%(kind)s” was tried with the sample values and is now in force."
                )
                % {"kind": found.title},
            )
            return redirect("documents:kind_detail", code=county.code, kind=found.key)
    return _detail(request, county, found, form, status=400)


@allowed(DocumentTemplate, "change")
@require_POST
def template_reset(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    county = _county(request, code, "change")
    found = kind_or_404(kind)
    if services.use_default_template(request.user, county, found.key) is None:
        messages.info(request, _("The default template was already in force."))
    else:
        messages.success(request, _("The default template is in force again."))
    return redirect("documents:kind_detail", code=county.code, kind=found.key)


@allowed(DocumentTemplate)
def default_download(request: HttpRequest, code: str, kind: str) -> HttpResponseBase:
    _county(request, code)
    found = kind_or_404(kind)
    return download(
        found.default_bytes(),
        filename=_("%(name)s (default template).docx") % {"name": found.filename or found.key},
        content_type=CONTENT_TYPE,
    )


@allowed(DocumentTemplate)
def preview(request: HttpRequest, code: str, kind: str) -> HttpResponseBase:
    """The template in force, filled with the sample values."""
    county = _county(request, code)
    found = kind_or_404(kind)
    try:
        data = services.render_sample(found.key, county.code)
    except TemplateFailed as error:
        return render(
            request,
            "documents/preview_failed.html",
            {"county": county, "kind": found, "errors": error.messages},
            status=400,
        )
    return download(
        data,
        filename=_("%(name)s (sample).docx") % {"name": found.filename or found.key},
        content_type=CONTENT_TYPE,
    )


@allowed(DocumentTemplate)
def template_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One uploaded template (the one in force or an earlier one), as it was uploaded."""
    template = get_or_404(request.user, "view", DocumentTemplate, pk=pk)
    try:
        handle = template.file.open("rb")
    except OSError:
        raise Http404(_("The file is missing from storage.")) from None
    return download(handle, filename=template.name, content_type=CONTENT_TYPE)

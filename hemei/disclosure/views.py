from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemei.accounts.policy import Who, allowed, allows, get_or_404, may
from hemei.core import clock
from hemei.core.downloads import download, stamped
from hemei.core.forms import apply_errors, pk_or_none
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from hemei.core.xlsx import render_xlsx
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from . import selectors, services, sheets
from .choices import DisclosureState, Timing
from .defaults import default_items
from .forms import AdoptForm, EventForm, ImportForm, ItemForm, PublishForm
from .models import CATALOGUE_EDITORS, Adoption, CatalogueItem, Disclosure, DisclosureFile

#: the most bytes of an uploaded catalogue sheet
MAX_SHEET_BYTES = 2 * 1024 * 1024


def _area(request: HttpRequest) -> str:
    area = (request.GET.get("area") or "").strip()
    return area if area.isascii() and area.isdigit() and len(area) <= 12 else ""


def _year(request: HttpRequest, default: int | None = None) -> int | None:
    text = (request.GET.get("year") or "").strip()
    if text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return default


def _editable_divisions(user: Any) -> list[Division]:
    """The catalogues the user edits: those of the divisions their editing grants are on."""
    who = Who(user)
    if who.everything:
        return list(Division.objects.current().filter(level=Level.COUNTY))
    codes = who.prefixes(CATALOGUE_EDITORS)
    return list(Division.objects.filter(code__in=codes).exclude(level__lt=Level.COUNTY))


def _publishing_villages(user: Any) -> list[Division]:
    """Villages following the catalogue whose disclosures the user publishes (at most 200)."""
    adopted = Adoption.objects.select_related("village").order_by("village_id")
    return [
        a.village for a in adopted[:2000] if allows(user, "publish", Disclosure(village=a.village))
    ][:200]


# --------------------------------------------------------------------------- the catalogue


@allowed(CatalogueItem)
def catalogue(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    area = _area(request)
    timing = request.GET.get("timing") or ""
    if timing not in Timing.values:
        timing = ""
    today = clock.today()
    in_force = request.GET.get("all") != "1"
    rows = selectors.catalogue_items(
        request.user, q=q, area=area, timing=timing, day=today if in_force else None
    )
    if wants_export(request):
        data = sheets.export_catalogue(rows[: sheets.MAX_ROWS * 20])
        return download(data, filename=stamped("disclosure-catalogue.xlsx"), content_type=XLSX_TYPE)
    page = paginate(request, rows)
    clock_ = selectors.schedule()
    for item in page:
        item.next = selectors.next_due(item, today, clock_)
        item.may_edit = allows(request.user, "change", item)
    return render(
        request,
        "disclosure/catalogue.html",
        {
            "page": page,
            "q": q,
            "area": area,
            "timing": timing,
            "timings": Timing.choices,
            "in_force": in_force,
            "may_edit": may(request.user, "change", CatalogueItem),
        },
    )


@allowed(CatalogueItem, "change")
def default_sheet(request: HttpRequest) -> HttpResponseBase:
    """The platform's default county catalogue as a sheet, to edit and import."""
    items = default_items(dt.date(clock.today().year, 1, 1))
    data = sheets.export_catalogue(items)
    return download(data, filename="default-disclosure-catalogue.xlsx", content_type=XLSX_TYPE)


def _item_form_response(
    request: HttpRequest, form: ItemForm, item: CatalogueItem | None
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        division = data.pop("division")
        rule = data.pop("timing_text")
        try:
            saved = services.save_item(
                actor=request.user, division=division, rule=rule, item=item, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Catalogue item %(name)s saved.") % {"name": saved.name})
            return redirect(f"{reverse('disclosure:catalogue')}?area={division.code}")
    return render(
        request,
        "disclosure/item_form.html",
        {"form": form, "item": item},
        status=400 if request.method == "POST" else 200,
    )


@allowed(CatalogueItem, "change")
def item_create(request: HttpRequest) -> HttpResponse:
    divisions = _editable_divisions(request.user)
    if not divisions:
        raise PermissionDenied(_("You publish no catalogue."))
    form = ItemForm(
        request.POST or None,
        divisions=divisions,
        initial={"valid_from": clock.today(), "timing_text": "每季度首月20日前公开上季度情况"},
    )
    return _item_form_response(request, form, None)


@allowed(CatalogueItem, "change")
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_or_404(
        request.user, "change", CatalogueItem.objects.select_related("division"), pk=pk
    )
    initial = {
        name: getattr(item, name)
        for name in ("number", "key", "level1", "level2", "content", "basis", "publisher")
    } | {
        "division": item.division_id,
        "channel": item.channel,
        "level": item.level,
        "audience": item.audience,
        "timing_text": item.timing_text,
        "mask_fields": "、".join(item.mask_fields),
        "valid_from": item.valid_from,
        "valid_to": item.valid_to,
    }
    form = ItemForm(request.POST or None, divisions=[item.division], initial=initial)
    return _item_form_response(request, form, item)


@allowed(CatalogueItem, "change")
def catalogue_import(request: HttpRequest) -> HttpResponse:
    divisions = _editable_divisions(request.user)
    if not divisions:
        raise PermissionDenied(_("You publish no catalogue."))
    form = ImportForm(request.POST or None, request.FILES or None, divisions=divisions)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        division = form.cleaned_data["division"]
        try:
            if upload.size > MAX_SHEET_BYTES:
                raise ValidationError(
                    _("The file is larger than %(mb)s MB.")
                    % {"mb": MAX_SHEET_BYTES // 1024 // 1024}
                )
            rows = sheets.read_catalogue(upload.read())
            result = services.import_catalogue(actor=request.user, division=division, rows=rows)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Imported into the catalogue of %(division)s: %(created)s added, "
                    "%(updated)s changed, %(unchanged)s unchanged."
                )
                % {"division": division.name, **vars(result)},
            )
            if result.untouched:
                messages.info(
                    request,
                    _("Not in the sheet and left as they are: %(items)s.")
                    % {"items": "、".join(result.untouched)},
                )
            return redirect(f"{reverse('disclosure:catalogue')}?area={division.code}")
    return render(
        request,
        "disclosure/import.html",
        {"form": form, "columns": sheets.REQUIRED, "optional": sheets.OPTIONAL},
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- disclosures


STATES = [
    (DisclosureState.DUE, DisclosureState.DUE.label),
    (DisclosureState.LATE, DisclosureState.LATE.label),
    (DisclosureState.PUBLISHED, DisclosureState.PUBLISHED.label),
]


@allowed(Disclosure)
def disclosure_list(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    state = request.GET.get("state") or ""
    if state not in (*DisclosureState.values, "published_late"):
        state = ""
    area = _area(request)
    year = _year(request)
    item = pk_or_none(request.GET.get("item"))
    today = clock.today()
    rows = selectors.disclosures(
        request.user, q=q, state=state, area=area, year=year, item=item, today=today
    )
    if wants_export(request):
        return xlsx_response(
            filename="disclosures",
            title=_("Village disclosures"),
            columns=selectors.export_columns(),
            queryset=rows,
        )
    page = paginate(request, rows)
    for row in page:
        row.light_now = row.light(today)
    return render(
        request,
        "disclosure/disclosure_list.html",
        {
            "page": page,
            "q": q,
            "state": state,
            "area": area,
            "year": year or "",
            "states": STATES,
            "today": today,
            "may_record": may(request.user, "publish", Disclosure),
            "may_town": selectors.towns_for(request.user).exists(),
            "may_catalogue": may(request.user, "view", CatalogueItem),
        },
    )


def _disclosure(request: HttpRequest, pk: int, action: str = "view") -> Disclosure:
    return get_or_404(
        request.user,
        action,
        Disclosure.objects.select_related("village", "item", "duty", "published_by"),
        pk=pk,
    )


@allowed(Disclosure)
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _disclosure(request, pk)
    return render(
        request,
        "disclosure/disclosure_detail.html",
        {
            "d": disclosure,
            "light": disclosure.light(clock.today()),
            "files": disclosure.files.all(),
            "may_publish": disclosure.state != DisclosureState.PUBLISHED
            and allows(request.user, "publish", disclosure),
        },
    )


@allowed(Disclosure, "publish")
def disclosure_publish(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _disclosure(request, pk, "publish")
    if disclosure.state == DisclosureState.PUBLISHED:
        messages.error(request, _("This disclosure is already published."))
        return redirect("disclosure:disclosure_detail", pk=disclosure.pk)
    form = PublishForm(
        request.POST or None, request.FILES or None, initial={"published_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publish(actor=request.user, disclosure=disclosure, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Published: %(title)s.") % {"title": disclosure.title})
            return redirect("disclosure:disclosure_detail", pk=disclosure.pk)
    return render(
        request,
        "disclosure/disclosure_publish.html",
        {"d": disclosure, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@allowed(Disclosure)
def disclosure_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    disclosure = _disclosure(request, pk)
    item = get_or_404(
        request.user, "view", DisclosureFile.objects.filter(disclosure=disclosure), pk=file_pk
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download(handle, filename=item.name, content_type=item.content_type, inline=True)


@allowed(Disclosure, "publish")
def event_create(request: HttpRequest) -> HttpResponse:
    """A matter of an event item arose (an approval, a lease): its disclosure becomes due."""
    today = clock.today()
    villages = _publishing_villages(request.user)
    code = (request.POST.get("village") or (villages[0].code if villages else "")).strip()
    items = (
        [i for i in selectors.village_items(code, today) if not i.periodic]
        if code in {v.code for v in villages}
        else []
    )
    form = EventForm(
        request.POST or None,
        villages=villages,
        items=items,
        initial={"happened_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.record_event(
                actor=request.user,
                village=data["village"],
                item_key=data["item"],
                happened_on=data["happened_on"],
                title=data["title"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if made is None:
                form.add_error(None, _("The village did not follow the catalogue on that day."))
            else:
                messages.success(
                    request,
                    _("Due on %(day)s: %(title)s.") % {"day": made.due_on, "title": made.title},
                )
                return redirect("disclosure:disclosure_detail", pk=made.pk)
    return render(
        request,
        "disclosure/event_form.html",
        {"form": form, "villages": villages},
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- the town


def _town(request: HttpRequest) -> Division:
    towns = selectors.towns_for(request.user)
    code = (request.GET.get("town") or "").strip()
    if code:
        town = towns.filter(code=code).first() if code.isascii() and code.isdigit() else None
        if town is None:
            raise Http404
        return town
    town = towns.order_by("code").first()
    if town is None:
        raise PermissionDenied(_("This page is for towns and the county office."))
    return town


@allowed(Disclosure)
def town(request: HttpRequest) -> HttpResponseBase:
    """The town's villages × items: who is late, counts, each village's start."""
    place = _town(request)
    today = clock.today()
    year = _year(request, today.year) or today.year
    q = (request.GET.get("q") or "").strip()[:50]
    only_late = request.GET.get("late") == "1"
    columns, rows = selectors.town_overview(place, year, today)
    if q:
        rows = [r for r in rows if q in r.village.name or r.village.code.startswith(q)]
    if only_late:
        rows = [r for r in rows if r.late]
    for row in rows:
        row.cell_list = [row.cells.get(item.pk, "") for item in columns]
    if wants_export(request):
        town_columns = selectors.town_columns(columns)
        data = render_xlsx(
            title=f"{place.name}{year}",
            headers=[header for header, _value in town_columns],
            rows=([value(r) for _header, value in town_columns] for r in rows),
        )
        return download(
            data, filename=stamped(f"disclosure-{place.code}-{year}.xlsx"), content_type=XLSX_TYPE
        )
    followed = [r for r in rows if r.since is not None]
    totals = {
        "villages": len(followed),
        "late_villages": sum(1 for r in rows if r.late),
        "late": sum(r.counts["late"] for r in rows),
        "published": sum(r.counts["published"] for r in rows),
    }
    page = paginate(request, rows)  # type: ignore[arg-type]
    return render(
        request,
        "disclosure/town.html",
        {
            "town": place,
            "towns": selectors.towns_for(request.user).order_by("code")[:100],
            "year": year,
            "q": q,
            "only_late": only_late,
            "columns": columns,
            "page": page,
            "totals": totals,
            "may_adopt": may(request.user, "change", Adoption)
            and allows(request.user, "change", Adoption(village=Division(code=place.code + "000"))),
            "today": today,
        },
    )


@allowed(Adoption, "change")
@require_POST
def village_start(request: HttpRequest) -> HttpResponse:
    form = AdoptForm(request.POST)
    if form.is_valid():
        village = form.cleaned_data["village"]
        if not allows(request.user, "change", Adoption(village=village)):
            raise Http404
        try:
            services.adopt(actor=request.user, village=village, since=form.cleaned_data["since"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(village)s follows the catalogue from %(day)s.")
                % {"village": village.name, "day": form.cleaned_data["since"]},
            )
            return redirect(f"{reverse('disclosure:town')}?town={village.code[:9]}")
    return render(request, "disclosure/adopt_refused.html", {"form": form}, status=400)

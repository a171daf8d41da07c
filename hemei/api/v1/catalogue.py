"""Procedure catalogues (清单制): catalogues, their versions with items and steps, one item,
and the negative list in force for a place. Read-only: catalogues are drafted, imported and
adopted on the pages (a villagers' meeting adopts them). Scoped by the catalogue's policy:
templates published at or above the caller's area and the villages' catalogues inside it."""

from __future__ import annotations

import io
from typing import Any

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.policy import allows_at
from hemei.accounts.roles import API_ROLES
from hemei.catalogue import excel, selectors
from hemei.catalogue.choices import Disclosure, Level, ListKind, Starter
from hemei.catalogue.models import Catalogue, CatalogueVersion, Item, Step
from hemei.core import clock
from hemei.core.downloads import download
from hemei.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from hemei.procedures.adoption import MeetingKind, VersionState
from hemei.procedures.choices import TimeUnit

from .. import schema as s
from ..framework import Call, not_found
from .common import DIVISION, DIVISION_CODE, api, date, division_ref, number

TAG = "catalogues"
api.gate(TAG, Catalogue, roles=API_ROLES)

# Shapes -----------------------------------------------------------------------------------

CATALOGUE_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "name": s.Str(),
    "division": DIVISION,
    "is_template": s.Bool(
        description=gettext_lazy("A template published by a town or county (else a village's).")
    ),
    "version_count": s.Int(minimum=0),
}
CATALOGUE = s.response("Catalogue", CATALOGUE_FIELDS)
VERSION_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "number": s.Int(minimum=1),
    "state": s.Choice(VersionState.choices),
    "based_on": s.Int(
        minimum=1, nullable=True, description=gettext_lazy("The version it was drafted from.")
    ),
    "meeting_kind": s.Choice(MeetingKind.choices, nullable=True),
    "meeting_date": s.Date(nullable=True),
    "in_force_from": s.Date(nullable=True),
    "note": s.Str(),
    "item_count": s.Int(minimum=0),
}
VERSION = s.response("CatalogueVersion", VERSION_FIELDS)
CATALOGUE_DETAIL = s.response(
    "CatalogueDetail", {**CATALOGUE_FIELDS, "versions": s.List(VERSION, max_items=10_000)}
)
AMOUNT = {"minimum": 0, "nullable": True}
STEP = s.response(
    "CatalogueStep",
    {
        "position": s.Int(minimum=0),
        "name": s.Str(),
        "level": s.Choice(Level.choices),
        "days": s.Int(minimum=0, description=gettext_lazy("The time limit.")),
        "unit": s.Choice(TimeUnit.choices),
        "extension_days": s.Int(minimum=0, description=gettext_lazy("Extension allowed.")),
        "limit_key": s.Str(
            description=gettext_lazy("A county time limit that replaces the days when in force.")
        ),
        "materials": s.Str(),
        "notice_days": s.Int(minimum=0, description=gettext_lazy("Public notice (0: none).")),
        "notice_unit": s.Choice(TimeUnit.choices),
        "needs_decision": s.Bool(description=gettext_lazy("Needs a 四议两公开 resolution.")),
        "min_amount": s.Number(
            **AMOUNT, description=gettext_lazy("On the path from this amount (inclusive).")
        ),
        "below_amount": s.Number(
            **AMOUNT, description=gettext_lazy("On the path below this amount.")
        ),
    },
)
ITEM_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "version_id": s.Int(minimum=1),
    "code": s.Str(),
    "list_kind": s.Choice(ListKind.choices),
    "area": s.Str(),
    "name": s.Str(),
    "basis": s.Str(description=gettext_lazy("Legal basis.")),
    "starter": s.Choice(Starter.choices),
    "amount_label": s.Str(
        description=gettext_lazy("The amount a case gives when thresholds change its path.")
    ),
    "disclosures": s.List(s.Choice(Disclosure.choices), max_items=5),
    "result_document": s.Str(),
    "note": s.Str(),
    "steps": s.List(STEP, max_items=1000),
}
ITEM = s.response("CatalogueItem", ITEM_FIELDS)
VERSION_DETAIL = s.response(
    "CatalogueVersionDetail",
    {
        **VERSION_FIELDS,
        "catalogue": CATALOGUE,
        "items": s.List(ITEM, max_items=100_000),
    },
)
NEGATIVE_LIST = s.response(
    "NegativeList",
    {
        "code": s.Str(description=gettext_lazy("The division asked about.")),
        "items": s.List(ITEM, max_items=100_000),
    },
)


def catalogue_summary(catalogue: Catalogue) -> dict[str, Any]:
    """A list row (from ``selectors.catalogues``: division selected, versions counted)."""
    return {
        "id": catalogue.pk,
        "name": catalogue.name,
        "division": division_ref(catalogue.division),
        "is_template": catalogue.is_template,
        "version_count": catalogue.version_count,
    }


def version_summary(version: CatalogueVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "state": version.state,
        "based_on": version.based_on_id,
        "meeting_kind": version.meeting_kind or None,
        "meeting_date": date(version.meeting_date),
        "in_force_from": date(version.in_force_from),
        "note": version.note,
        "item_count": version.item_count,
    }


def step_item(step: Step) -> dict[str, Any]:
    return {
        "position": step.position,
        "name": step.name,
        "level": step.level,
        "days": step.days,
        "unit": step.unit,
        "extension_days": step.extension_days,
        "limit_key": step.limit_key,
        "materials": step.materials,
        "notice_days": step.notice_days,
        "notice_unit": step.notice_unit,
        "needs_decision": step.needs_decision,
        "min_amount": number(step.min_amount),
        "below_amount": number(step.below_amount),
    }


def item_detail(item: Item) -> dict[str, Any]:
    """An item with its steps in order (prefetched by ``selectors.items``)."""
    return {
        "id": item.pk,
        "version_id": item.version_id,
        "code": item.code,
        "list_kind": item.list_kind,
        "area": item.area,
        "name": item.name,
        "basis": item.basis,
        "starter": item.starter,
        "amount_label": item.amount_label,
        "disclosures": list(item.disclosures),
        "result_document": item.result_document,
        "note": item.note,
        "steps": [step_item(step) for step in item.steps.all()],
    }


# Loading ------------------------------------------------------------------------------------


def ordered_steps() -> Prefetch:
    """The items' steps in order, in one query for all the items read."""
    return Prefetch("steps", queryset=Step.objects.order_by("position"))


def load_catalogue(user: Any, pk: int) -> Catalogue:
    catalogue = selectors.catalogues(user).filter(pk=pk).first()
    if catalogue is None:
        raise not_found()
    return catalogue


def load_version(user: Any, pk: int) -> CatalogueVersion:
    version = (
        CatalogueVersion.objects.restrict(user, "view")
        .select_related("catalogue", "catalogue__division")
        .annotate(item_count=Count("items"))
        .filter(pk=pk)
        .first()
    )
    if version is None:
        raise not_found()
    return version


FILTERS = (
    s.Param("q", s.Str(max_length=100), gettext_lazy("Words in the name.")),
    s.Param(
        "template",
        s.Bool(),
        gettext_lazy("Templates only (true) or villages' catalogues only (false)."),
    ),
    s.Param("division", DIVISION_CODE, gettext_lazy("Catalogues of this division or below it.")),
)


def filtered(call: Call) -> Any:
    rows = selectors.catalogues(call.user)
    query = call.query
    if query.get("q"):
        rows = rows.filter(name__icontains=query["q"])
    if "template" in query:
        rows = rows.filter(is_template=query["template"])
    if query.get("division"):
        rows = rows.filter(division__code__startswith=query["division"])
    return rows.order_by("-is_template", "division_id", "name", "id")


# Endpoints ---------------------------------------------------------------------------------

catalogue_list = api.route("catalogues/", "catalogue_list")
catalogue_item = api.route("catalogues/<int:pk>/", "catalogue_detail")
version_item = api.route("catalogue-versions/<int:pk>/", "catalogue_version_detail")
version_workbook = api.route("catalogue-versions/<int:pk>/workbook/", "catalogue_version_workbook")
item_route = api.route("catalogue-items/<int:pk>/", "catalogue_item_detail")
negative_route = api.route("negative-list/<str:code>/", "negative_list")


@catalogue_list.operation(
    "GET",
    summary=gettext_lazy("List catalogues"),
    description=gettext_lazy(
        "Templates published at or above your area, then the villages' catalogues inside it."
    ),
    tag=TAG,
    query=FILTERS,
    response=CATALOGUE,
    paged=True,
    exports=True,
)
def list_catalogues(call: Call) -> Any:
    rows = filtered(call)
    if call.wants_export:
        return call.export(
            rows,
            filename="catalogues",
            title=_("Catalogues"),
            columns=[
                (_("Name"), lambda c: c.name),
                (_("Division"), lambda c: c.division.name),
                (_("Template"), lambda c: _("yes") if c.is_template else _("no")),
                (_("Versions"), lambda c: c.version_count),
            ],
        )
    return call.page(rows, catalogue_summary)


@catalogue_item.operation(
    "GET",
    summary=gettext_lazy("Show a catalogue"),
    description=gettext_lazy("The catalogue with its versions you may see, newest first."),
    tag=TAG,
    response=CATALOGUE_DETAIL,
)
def show_catalogue(call: Call, pk: int) -> Any:
    catalogue = load_catalogue(call.user, pk)
    return {
        **catalogue_summary(catalogue),
        "versions": [version_summary(v) for v in selectors.versions(call.user, catalogue)],
    }


@version_item.operation(
    "GET",
    summary=gettext_lazy("Show a catalogue version"),
    description=gettext_lazy(
        "The version with every item and each item's steps in order (the flow)."
    ),
    tag=TAG,
    response=VERSION_DETAIL,
)
def show_version(call: Call, pk: int) -> Any:
    version = load_version(call.user, pk)
    catalogue = version.catalogue
    catalogue.version_count = catalogue.versions.count()
    return {
        **version_summary(version),
        "catalogue": catalogue_summary(catalogue),
        "items": [item_detail(item) for item in selectors.items(version)],
    }


@version_workbook.operation(
    "GET",
    summary=gettext_lazy("Download a catalogue version as a workbook"),
    description=gettext_lazy(
        "The version in the county offices' workbook (事项清单 and 运行流程 sheets), the "
        "same file the catalogue page exports and imports."
    ),
    tag=TAG,
    media_type=XLSX_TYPE,
)
def download_version(call: Call, pk: int) -> Any:
    version = load_version(call.user, pk)
    reply = download(
        io.BytesIO(excel.export_version(version)),
        filename=f"{version.catalogue.name}-v{version.number}.xlsx",
        content_type=XLSX_TYPE,
    )
    reply["Cache-Control"] = "private, no-store"
    return reply


@item_route.operation(
    "GET",
    summary=gettext_lazy("Show a catalogue item"),
    description=gettext_lazy("One item (事项) with its steps in order."),
    tag=TAG,
    response=ITEM,
)
def show_item(call: Call, pk: int) -> Any:
    item = (
        Item.objects.restrict(call.user, "view")
        .prefetch_related(ordered_steps())
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise not_found()
    return item_detail(item)


@negative_route.operation(
    "GET",
    summary=gettext_lazy("Show the negative list"),
    description=gettext_lazy(
        "负面清单 in force for a village (its adopted version, else the newest template "
        "published above it); for a town or county code, the newest template. The code must "
        "lie inside your area or above it."
    ),
    tag=TAG,
    response=NEGATIVE_LIST,
    exports=True,
)
def show_negative_list(call: Call, code: str) -> Any:
    if not (code.isascii() and code.isdigit() and 2 <= len(code) <= 12):
        raise Http404
    if not allows_at(call.user, "view_with_ancestors", code):
        raise Http404
    rows = selectors.negative_list(code, clock.today())
    prefetch_related_objects(rows, ordered_steps())
    if call.wants_export:
        return call.export(
            rows,
            filename="negative-list",
            title=_("Negative list"),
            columns=[
                (_("Number"), lambda i: i.code),
                (_("Area"), lambda i: i.area),
                (_("Item"), lambda i: i.name),
                (_("Legal basis"), lambda i: i.basis),
                (_("Note"), lambda i: i.note),
            ],
        )
    return {"code": code, "items": [item_detail(item) for item in rows]}

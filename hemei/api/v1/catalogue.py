"""Procedure catalogues (清单制): catalogues, their versions with items and steps, one item,
and the negative list in force for a place. Read-only: catalogues are drafted, imported and
adopted on the pages (a villagers' meeting adopts them). Scoped by the catalogue's policy:
templates published at or above the caller's area and the villages' catalogues inside it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from pydantic import Field

from hemei.accounts.policy import allows_at
from hemei.accounts.roles import API_ROLES
from hemei.catalogue import excel, models, selectors
from hemei.catalogue.choices import Disclosure, Level, ListKind, Starter
from hemei.core import clock
from hemei.core.downloads import download
from hemei.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from hemei.procedures.adoption import MeetingKind, VersionState
from hemei.procedures.choices import TimeUnit

from .. import engine
from ..engine import Export, Paging, not_found, page_of, paginate
from .common import DivisionCode, DivisionRef, Filters, Text, choice, division_ref, number, v1

TAG = "catalogues"
v1.gate(TAG, models.Catalogue, API_ROLES)

router = Router(tags=[TAG])

# The choices as pydantic types (values listed with their labels in the document).
VersionStateValue = choice(VersionState.choices)
MeetingKindValue = choice(MeetingKind.choices, nullable=True)
LevelValue = choice(Level.choices)
TimeUnitValue = choice(TimeUnit.choices)
ListKindValue = choice(ListKind.choices)
StarterValue = choice(Starter.choices)
DisclosureValue = choice(Disclosure.choices)

# Shapes -----------------------------------------------------------------------------------


class Catalogue(Schema):
    id: int = Field(ge=1)
    name: str
    division: DivisionRef
    is_template: bool = Field(
        description=gettext_lazy("A template published by a town or county (else a village's).")
    )
    version_count: int = Field(ge=0)


class CatalogueVersion(Schema):
    id: int = Field(ge=1)
    number: int = Field(ge=1)
    state: VersionStateValue
    based_on: int | None = Field(ge=1, description=gettext_lazy("The version it was drafted from."))
    meeting_kind: MeetingKindValue
    meeting_date: dt.date | None
    in_force_from: dt.date | None
    note: str
    item_count: int = Field(ge=0)


class CatalogueDetail(Catalogue):
    versions: list[CatalogueVersion] = Field(max_length=10_000)


class CatalogueStep(Schema):
    position: int = Field(ge=0)
    name: str
    level: LevelValue
    days: int = Field(ge=0, description=gettext_lazy("The time limit."))
    unit: TimeUnitValue
    extension_days: int = Field(ge=0, description=gettext_lazy("Extension allowed."))
    limit_key: str = Field(
        description=gettext_lazy("A county time limit that replaces the days when in force.")
    )
    materials: str
    notice_days: int = Field(ge=0, description=gettext_lazy("Public notice (0: none)."))
    notice_unit: TimeUnitValue
    needs_decision: bool = Field(description=gettext_lazy("Needs a 四议两公开 resolution."))
    min_amount: float | None = Field(
        ge=0, description=gettext_lazy("On the path from this amount (inclusive).")
    )
    below_amount: float | None = Field(
        ge=0, description=gettext_lazy("On the path below this amount.")
    )


class CatalogueItem(Schema):
    id: int = Field(ge=1)
    version_id: int = Field(ge=1)
    code: str
    list_kind: ListKindValue
    area: str
    name: str
    basis: str = Field(description=gettext_lazy("Legal basis."))
    starter: StarterValue
    amount_label: str = Field(
        description=gettext_lazy("The amount a case gives when thresholds change its path.")
    )
    disclosures: list[DisclosureValue] = Field(max_length=5)
    result_document: str
    note: str
    steps: list[CatalogueStep] = Field(max_length=1000)


class CatalogueVersionDetail(CatalogueVersion):
    catalogue: Catalogue
    items: list[CatalogueItem] = Field(max_length=100_000)


class NegativeList(Schema):
    code: str = Field(description=gettext_lazy("The division asked about."))
    items: list[CatalogueItem] = Field(max_length=100_000)


def catalogue_summary(catalogue: models.Catalogue) -> dict[str, Any]:
    """A list row (from ``selectors.catalogues``: division selected, versions counted)."""
    return {
        "id": catalogue.pk,
        "name": catalogue.name,
        "division": division_ref(catalogue.division),
        "is_template": catalogue.is_template,
        "version_count": catalogue.version_count,
    }


def version_summary(version: models.CatalogueVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "state": version.state,
        "based_on": version.based_on_id,
        "meeting_kind": version.meeting_kind or None,
        "meeting_date": version.meeting_date,
        "in_force_from": version.in_force_from,
        "note": version.note,
        "item_count": version.item_count,
    }


def step_item(step: models.Step) -> dict[str, Any]:
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


def item_detail(item: models.Item) -> dict[str, Any]:
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
    return Prefetch("steps", queryset=models.Step.objects.order_by("position"))


def load_catalogue(user: Any, pk: int) -> models.Catalogue:
    catalogue = selectors.catalogues(user).filter(pk=pk).first()
    if catalogue is None:
        raise not_found()
    return catalogue


def load_version(user: Any, pk: int) -> models.CatalogueVersion:
    version = (
        models.CatalogueVersion.objects.restrict(user, "view")
        .select_related("catalogue", "catalogue__division")
        .annotate(item_count=Count("items"))
        .filter(pk=pk)
        .first()
    )
    if version is None:
        raise not_found()
    return version


class CatalogueFilters(Filters):
    q: Text | None = Field(None, max_length=100, description=gettext_lazy("Words in the name."))
    template: bool | None = Field(
        None,
        description=gettext_lazy("Templates only (true) or villages' catalogues only (false)."),
    )
    division: DivisionCode | None = Field(
        None, description=gettext_lazy("Catalogues of this division or below it.")
    )


def filtered(user: Any, filters: CatalogueFilters) -> Any:
    rows = selectors.catalogues(user)
    if filters.q:
        rows = rows.filter(name__icontains=filters.q)
    if filters.template is not None:
        rows = rows.filter(is_template=filters.template)
    if filters.division:
        rows = rows.filter(division__code__startswith=filters.division)
    return rows.order_by("-is_template", "division_id", "name", "id")


# Endpoints ---------------------------------------------------------------------------------


@router.get(
    "catalogues/",
    url_name="catalogue_list",
    response=page_of(Catalogue),
    summary=gettext_lazy("List catalogues"),
    description=gettext_lazy(
        "Templates published at or above your area, then the villages' catalogues inside it."
    ),
)
def list_catalogues(
    request: HttpRequest,
    filters: Query[CatalogueFilters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    rows = filtered(request.user, filters)
    if exporting.format == "xlsx":
        return engine.export(
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
    return paginate(request, paging, rows, catalogue_summary)


@router.get(
    "catalogues/{int:pk}/",
    url_name="catalogue_detail",
    response=CatalogueDetail,
    summary=gettext_lazy("Show a catalogue"),
    description=gettext_lazy("The catalogue with its versions you may see, newest first."),
)
def show_catalogue(request: HttpRequest, pk: int) -> dict[str, Any]:
    catalogue = load_catalogue(request.user, pk)
    return {
        **catalogue_summary(catalogue),
        "versions": [version_summary(v) for v in selectors.versions(request.user, catalogue)],
    }


@router.get(
    "catalogue-versions/{int:pk}/",
    url_name="catalogue_version_detail",
    response=CatalogueVersionDetail,
    summary=gettext_lazy("Show a catalogue version"),
    description=gettext_lazy(
        "The version with every item and each item's steps in order (the flow)."
    ),
)
def show_version(request: HttpRequest, pk: int) -> dict[str, Any]:
    version = load_version(request.user, pk)
    catalogue = version.catalogue
    catalogue.version_count = catalogue.versions.count()
    return {
        **version_summary(version),
        "catalogue": catalogue_summary(catalogue),
        "items": [item_detail(item) for item in selectors.items(version)],
    }


@router.get(
    "catalogue-versions/{int:pk}/workbook/",
    url_name="catalogue_version_workbook",
    summary=gettext_lazy("Download a catalogue version as a workbook"),
    description=gettext_lazy(
        "The version in the county offices' workbook (事项清单 and 运行流程 sheets), the "
        "same file the catalogue page exports and imports."
    ),
    openapi_extra={
        "responses": {
            200: {"description": "OK", "content": {XLSX_TYPE: {"schema": {"type": "string"}}}}
        }
    },
)
def download_version(request: HttpRequest, pk: int) -> HttpResponseBase:
    version = load_version(request.user, pk)
    reply = download(
        io.BytesIO(excel.export_version(version)),
        filename=f"{version.catalogue.name}-v{version.number}.xlsx",
        content_type=XLSX_TYPE,
    )
    reply["Cache-Control"] = "private, no-store"
    return reply


@router.get(
    "catalogue-items/{int:pk}/",
    url_name="catalogue_item_detail",
    response=CatalogueItem,
    summary=gettext_lazy("Show a catalogue item"),
    description=gettext_lazy("One item (事项) with its steps in order."),
)
def show_item(request: HttpRequest, pk: int) -> dict[str, Any]:
    item = (
        models.Item.objects.restrict(request.user, "view")
        .prefetch_related(ordered_steps())
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise not_found()
    return item_detail(item)


@router.get(
    "negative-list/{str:code}/",
    url_name="negative_list",
    response=NegativeList,
    summary=gettext_lazy("Show the negative list"),
    description=gettext_lazy(
        "负面清单 in force for a village (its adopted version, else the newest template "
        "published above it); for a town or county code, the newest template. The code must "
        "lie inside your area or above it."
    ),
)
def show_negative_list(request: HttpRequest, code: str, exporting: Query[Export]) -> Any:
    if not (code.isascii() and code.isdigit() and 2 <= len(code) <= 12):
        raise Http404
    if not allows_at(request.user, "view_with_ancestors", code):
        raise Http404
    rows = selectors.negative_list(code, clock.today())
    prefetch_related_objects(rows, ordered_steps())
    if exporting.format == "xlsx":
        return engine.export(
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

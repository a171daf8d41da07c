"""Village-affairs disclosure (村务公开): the catalogue items of an area with each item's next
due date, the disclosures villages owe with their lights, one disclosure, publishing one
(its text and day; attachments are added on the page), recording the event that makes an
event item's disclosure due, and a town's overview (its villages × the items, late counts).
Every change goes through :mod:`hemei.disclosure.services`, which refuses personal data on
a disclosure and closes or opens its duty on the supervision ladder."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from hemei.accounts.policy import allows, restrict
from hemei.accounts.roles import API_ROLES
from hemei.core import clock
from hemei.core.downloads import download, stamped
from hemei.core.forms import MAX_PK
from hemei.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from hemei.disclosure import models, selectors, services, sheets
from hemei.disclosure.choices import Audience, DisclosureState, PublishLevel, Timing

from .. import engine
from ..engine import ApiError, Export, Input, Paging, page_of, paginate
from .common import (
    Date,
    DivisionCodeText,
    DivisionRef,
    Moment,
    PersonRef,
    Text,
    division_ref,
    labelled,
    one_of,
    person_ref,
    require_role,
    v1,
    visible_divisions,
)

TAG = "disclosure"
v1.gate(TAG, models.Disclosure, roles=API_ROLES)

router = Router(tags=[TAG])

# Shapes -----------------------------------------------------------------------------------

LIGHTS = [
    ("green", gettext_lazy("green: published on time")),
    ("yellow", gettext_lazy("yellow: due")),
    ("red", gettext_lazy("red: late, or published late")),
]
STATES = [*DisclosureState.choices, ("published_late", gettext_lazy("published late"))]
Light = Literal[tuple(value for value, _label in LIGHTS)]  # type: ignore[valid-type]
StateValue = Literal[tuple(DisclosureState.values)]  # type: ignore[valid-type]
Year = Field(ge=2000, le=2100)


class DisclosureItemRef(Schema):
    id: int = Field(ge=1)
    key: str
    name: str


class DisclosureItem(Schema):
    id: int = Field(ge=1)
    division: DivisionRef | None = Field(
        description=gettext_lazy("Whose catalogue: a county, a town or one village.")
    )
    number: int = Field(ge=1)
    key: str = Field(description=gettext_lazy("What other modules name the item by."))
    name: str
    level1: str
    level2: str
    content: str = Field(description=gettext_lazy("Content and elements."))
    basis: str
    timing: Literal[tuple(Timing.values)] = Field(  # type: ignore[valid-type]
        description=labelled(Timing.choices)
    )
    timing_text: str = Field(description=gettext_lazy("The timing rule, as the catalogue says."))
    publisher: str
    channel: str
    level: Literal[tuple(PublishLevel.values)] = Field(  # type: ignore[valid-type]
        description=labelled(PublishLevel.choices)
    )
    audience: Literal[tuple(Audience.values)] = Field(  # type: ignore[valid-type]
        description=labelled(Audience.choices)
    )
    mask_fields: list[str] = Field(
        max_length=100, description=gettext_lazy("Fields shown only masked.")
    )
    valid_from: dt.date
    valid_to: dt.date | None
    next_period: str = Field(description=gettext_lazy("The next period owed (periodic items)."))
    next_due_on: dt.date | None
    schedule_error: str = Field(
        description=gettext_lazy("Why the next due date cannot be counted yet.")
    )


class Disclosure(Schema):
    id: int = Field(ge=1)
    village: DivisionRef
    item: DisclosureItemRef
    title: str
    period_label: str
    period_start: dt.date
    period_end: dt.date
    happened_on: dt.date | None = Field(description=gettext_lazy("The event's day (event items)."))
    due_on: dt.date
    state: StateValue = Field(description=labelled(DisclosureState.choices))
    light: Light = Field(description=labelled(LIGHTS))
    published_on: dt.date | None
    published_late: bool
    published_by: PersonRef | None
    duty: int | None = Field(
        ge=1,
        description=gettext_lazy("The task that climbs the supervision ladder while it is owed."),
    )


class DisclosureAttachment(Schema):
    id: int = Field(ge=1)
    name: str
    content_type: str
    size: int = Field(ge=0)


class DisclosureDetail(Disclosure):
    item_timing: str = Field(description=gettext_lazy("The item's timing rule."))
    text: str = Field(description=gettext_lazy("What was published."))
    published_at: Moment | None
    attachments: list[DisclosureAttachment] = Field(
        max_length=100,
        description=gettext_lazy("Their names; the files are read on the disclosure page."),
    )
    may_publish: bool = Field(description=gettext_lazy("You may publish it now."))


class DisclosureCounts(Schema):
    late: int = Field(ge=0)
    due: int = Field(ge=0)
    published: int = Field(ge=0)
    published_late: int = Field(ge=0)


#: A cell of the town's table: the worst light, or empty when nothing was due.
Cell = Annotated[
    Literal[("", *(value for value, _label in LIGHTS))],  # type: ignore[valid-type]
    Field(description=labelled([("", "—"), *LIGHTS])),
]


class DisclosureTownVillage(Schema):
    village: DivisionRef
    since: dt.date | None = Field(
        description=gettext_lazy("Follows the catalogue from (empty: not yet).")
    )
    counts: DisclosureCounts
    late_titles: list[str] = Field(max_length=10_000)
    cells: list[Cell] = Field(
        max_length=10_000,
        description=gettext_lazy("The worst light of the year per item, in the items' order."),
    )


class DisclosureTownTotals(Schema):
    villages: int = Field(ge=0, description=gettext_lazy("Following the catalogue."))
    late_villages: int = Field(ge=0)
    late: int = Field(ge=0)
    published: int = Field(ge=0)


class DisclosureTown(Schema):
    town: DivisionRef
    year: int = Year
    items: list[DisclosureItemRef] = Field(max_length=10_000)
    villages: list[DisclosureTownVillage] = Field(
        max_length=100_000,
        description=gettext_lazy("Most late first, then those not following yet."),
    )
    totals: DisclosureTownTotals


def item_row(item: models.CatalogueItem, due: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item.pk,
        "division": division_ref(item.division),
        "number": item.number,
        "key": item.key,
        "name": item.name,
        "level1": item.level1,
        "level2": item.level2,
        "content": item.content,
        "basis": item.basis,
        "timing": item.timing,
        "timing_text": item.timing_text,
        "publisher": item.publisher,
        "channel": item.channel,
        "level": item.level,
        "audience": item.audience,
        "mask_fields": list(item.mask_fields),
        "valid_from": item.valid_from,
        "valid_to": item.valid_to,
        "next_period": due["period"],
        "next_due_on": due["due_on"],
        "schedule_error": due["error"],
    }


def _item_ref(item: models.CatalogueItem) -> dict[str, Any]:
    return {"id": item.pk, "key": item.key, "name": item.name}


def disclosure_summary(row: models.Disclosure) -> dict[str, Any]:
    """A list row (from ``selectors.disclosures``: village, item, publisher selected)."""
    return {
        "id": row.pk,
        "village": division_ref(row.village),
        "item": _item_ref(row.item),
        "title": row.title,
        "period_label": row.period_label,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "happened_on": row.happened_on,
        "due_on": row.due_on,
        "state": row.state,
        "light": row.light(clock.today()),
        "published_on": row.published_on,
        "published_late": row.published_late,
        "published_by": person_ref(row.published_by),
        "duty": row.duty_id,
    }


def disclosure_detail(row: models.Disclosure, user: Any) -> dict[str, Any]:
    files = restrict(user, "view", models.DisclosureFile.objects.filter(disclosure=row))
    return {
        **disclosure_summary(row),
        "item_timing": row.item.timing_text,
        "text": row.text,
        "published_at": row.published_at,
        "attachments": [
            {"id": f.pk, "name": f.name, "content_type": f.content_type, "size": f.size}
            for f in files
        ],
        "may_publish": row.state != DisclosureState.PUBLISHED and allows(user, "publish", row),
    }


def load_disclosure(user: Any, pk: int) -> models.Disclosure:
    row = selectors.disclosures(user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def answer(user: Any, pk: int) -> dict[str, Any]:
    return disclosure_detail(load_disclosure(user, pk), user)


# Inputs -------------------------------------------------------------------------------------


class DisclosurePublish(Input):
    published_on: Date = Field(description=gettext_lazy("The day it was posted."))
    text: Text = Field(
        min_length=1,
        max_length=50_000,
        description=gettext_lazy(
            "What was published. No ID-card, phone or bank numbers and no health "
            "details; mask them with asterisks."
        ),
    )


class DisclosureEvent(Input):
    # a code, not a reference: the role is checked before the village is looked up
    village: DivisionCodeText = Field(
        description=gettext_lazy("The code of the village where the matter arose.")
    )
    item_key: Text = Field(
        min_length=1,
        max_length=60,
        description=gettext_lazy("The key of an event item the village follows."),
    )
    happened_on: Date = Field(description=gettext_lazy("The day it arose; not in the future."))
    title: Text = Field(min_length=1, max_length=150, description=gettext_lazy("The matter."))


class ItemFilters(Schema):
    model_config = ConfigDict(str_strip_whitespace=True)

    q: Text | None = Field(
        None, max_length=100, description=gettext_lazy("Words in the item, its content or basis.")
    )
    division: DivisionCodeText | None = Field(
        None,
        description=gettext_lazy(
            "This division's own items and those of the divisions above it (for a village: "
            "its whole catalogue)."
        ),
    )
    timing: one_of(Timing.values) | None = Field(  # type: ignore[valid-type]
        None, description=labelled(Timing.choices)
    )
    all: bool | None = Field(
        None,
        description=gettext_lazy(
            "true: also the items no longer or not yet in force (default: in force)."
        ),
    )


class Filters(Schema):
    model_config = ConfigDict(str_strip_whitespace=True)

    q: Text | None = Field(
        None,
        max_length=100,
        description=gettext_lazy("Words in the title, period, village or text."),
    )
    village: DivisionCodeText | None = Field(
        None, description=gettext_lazy("Disclosures of this division or below it.")
    )
    state: one_of(value for value, _label in STATES) | None = Field(  # type: ignore[valid-type]
        None, description=labelled(STATES)
    )
    light: one_of(value for value, _label in LIGHTS) | None = Field(  # type: ignore[valid-type]
        None, description=labelled(LIGHTS, gettext_lazy("The light today."))
    )
    item: int | None = Field(
        None, ge=1, le=MAX_PK, description=gettext_lazy("A catalogue item's id.")
    )
    year: int | None = Field(None, ge=2000, le=2100, description=gettext_lazy("Due in this year."))
    period: Text | None = Field(
        None, max_length=60, description=gettext_lazy("Words of the period, e.g. 2026年3月.")
    )


class TownYear(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description=gettext_lazy("Default: this year.")
    )


# Operations -------------------------------------------------------------------------------


@router.get(
    "disclosure-items/",
    url_name="disclosure_item_list",
    response=page_of(DisclosureItem),
    summary=gettext_lazy("List disclosure catalogue items"),
    description=gettext_lazy(
        "村务公开目录: the items you read (your county's, your town's, your villages' own), "
        "in force today unless ``all`` is given, with each periodic item's next due date; "
        "``format=xlsx`` exports them in the office's sheet, the one the catalogue page "
        "imports."
    ),
)
def list_items(
    request: HttpRequest,
    filters: Query[ItemFilters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    today = clock.today()
    rows = selectors.catalogue_items(
        request.user,
        q=filters.q or "",
        area=filters.division or "",
        timing=filters.timing or "",
        day=None if filters.all else today,
    )
    if exporting.format == "xlsx":
        return _catalogue_sheet(rows)
    schedule = selectors.schedule()
    return paginate(
        request,
        paging,
        rows,
        lambda item: item_row(item, selectors.next_due(item, today, schedule)),
    )


def _catalogue_sheet(rows: Any) -> HttpResponseBase:
    """The items in the office's sheet (the one the catalogue page imports), not in the
    list page's columns; the same row limit as every export."""
    limit = settings.EXPORT_MAX_ROWS
    if rows.count() > limit:
        raise ApiError(
            400,
            "too_many_rows",
            _("The list has more than %(limit)s rows; narrow it with the filters first.")
            % {"limit": limit},
        )
    reply = download(
        sheets.export_catalogue(rows),
        filename=stamped("disclosure-catalogue.xlsx"),
        content_type=XLSX_TYPE,
    )
    reply["Cache-Control"] = "private, no-store"
    return reply


@router.get(
    "disclosures/",
    url_name="disclosure_list",
    response=page_of(Disclosure),
    summary=gettext_lazy("List disclosures"),
    description=gettext_lazy(
        "What the villages of your area owe and have published, latest due first, with "
        "the filters of the disclosure list page and the lights; ``format=xlsx`` exports "
        "them."
    ),
)
def list_disclosures(
    request: HttpRequest,
    filters: Query[Filters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    rows = selectors.disclosures(
        request.user,
        q=filters.q or "",
        state=filters.state or "",
        area=filters.village or "",
        year=filters.year,
        item=filters.item,
        light=filters.light or "",
        period=filters.period or "",
        today=clock.today(),
    )
    if exporting.format == "xlsx":
        return engine.export(
            rows,
            filename="disclosures",
            title=_("Village disclosures"),
            columns=selectors.export_columns(),
        )
    return paginate(request, paging, rows, disclosure_summary)


@router.get(
    "disclosures/{int:pk}/",
    url_name="disclosure_detail",
    response=DisclosureDetail,
    summary=gettext_lazy("Show a disclosure"),
    description=gettext_lazy(
        "The disclosure with its item's rule, its light, what was published and the names "
        "of its attachments."
    ),
)
def show_disclosure(request: HttpRequest, pk: int) -> dict[str, Any]:
    return answer(request.user, pk)


@router.post(
    "disclosures/{int:pk}/publish/",
    url_name="disclosure_publish",
    response=DisclosureDetail,
    summary=gettext_lazy("Publish a disclosure"),
    description=gettext_lazy(
        "The village's officials (or the county office) record what was posted and when; "
        "the duty on the supervision ladder closes. Refused when the text shows personal "
        "data or a field the item masks. Attachments are added on the disclosure page, not "
        "through the API."
    ),
)
def publish_disclosure(request: HttpRequest, pk: int, payload: DisclosurePublish) -> dict[str, Any]:
    user = request.user
    require_role(user, "publish", models.Disclosure)
    services.publish(
        actor=user,
        disclosure=load_disclosure(user, pk),
        published_on=payload.published_on,
        text=payload.text,
    )
    return answer(user, pk)


@router.post(
    "disclosure-events/",
    url_name="disclosure_event",
    response={201: DisclosureDetail},
    summary=gettext_lazy("Record an event to disclose"),
    description=gettext_lazy(
        "A matter of an event item arose in a village (a resolution passed, a lease signed): "
        "its disclosure falls due within the item's working days and opens a duty. The same "
        "event recorded again answers the same disclosure."
    ),
)
def record_event(request: HttpRequest, payload: DisclosureEvent) -> Status[dict[str, Any]]:
    user = request.user
    require_role(user, "publish", models.Disclosure)  # before the village is looked up
    village = visible_divisions(user).filter(code=payload.village).first()
    if village is None:
        raise ValidationError(
            {"village": _("Nothing with the id %(id)s is open to you.") % {"id": payload.village}}
        )
    try:
        made = services.record_event(
            actor=user,
            village=village,
            item_key=payload.item_key,
            happened_on=payload.happened_on,
            title=payload.title,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "item" in exc.error_dict:
            raise ValidationError({"item_key": exc.error_dict["item"]}) from exc
        raise
    if made is None:
        since = selectors.adopted_villages([village.code]).get(village.code)
        if since is None or payload.happened_on < since:
            raise ValidationError(
                {"happened_on": _("The village did not follow the catalogue on that day.")}
            )
        raise ValidationError(
            {"item_key": _("The village follows no item with this key on that day.")}
        )
    return Status(201, answer(user, made.pk))


@router.get(
    "disclosure-towns/{code}/",
    url_name="disclosure_town",
    response=DisclosureTown,
    summary=gettext_lazy("Show a town's disclosure overview"),
    description=gettext_lazy(
        "The town's villages × the items they follow, for the disclosures due in the year: "
        "counts (late, due, published, published late) and the worst light per item; "
        "``format=xlsx`` exports the table. For towns and the county office."
    ),
)
def show_town(
    request: HttpRequest, code: str, when: Query[TownYear], exporting: Query[Export]
) -> Any:
    towns = selectors.towns_for(request.user)
    if not towns.exists():
        raise PermissionDenied(_("This page is for towns and the county office."))
    town = towns.filter(code=code).first() if code.isascii() and code.isdigit() else None
    if town is None:
        raise Http404
    today = clock.today()
    year = when.year or today.year
    items, rows = selectors.town_overview(town, year, today)
    if exporting.format == "xlsx":
        return engine.export(
            rows,
            filename=f"disclosure-{town.code}-{year}",
            title=f"{town.name}{year}",
            columns=selectors.town_columns(items),
        )
    followed = [r for r in rows if r.since is not None]
    return {
        "town": division_ref(town),
        "year": year,
        "items": [_item_ref(item) for item in items],
        "villages": [
            {
                "village": division_ref(r.village),
                "since": r.since,
                "counts": {
                    name: r.counts[name] for name in ("late", "due", "published", "published_late")
                },
                "late_titles": r.late_titles,
                "cells": [r.cells.get(item.pk, "") for item in items],
            }
            for r in rows
        ],
        "totals": {
            "villages": len(followed),
            "late_villages": sum(1 for r in rows if r.late),
            "late": sum(r.counts["late"] for r in rows),
            "published": sum(r.counts["published"] for r in rows),
        },
    }

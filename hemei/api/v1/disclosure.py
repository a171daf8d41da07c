"""Village-affairs disclosure (村务公开): the catalogue items of an area with each item's next
due date, the disclosures villages owe with their lights, one disclosure, publishing one
(its text and day; attachments are added on the page), recording the event that makes an
event item's disclosure due, and a town's overview (its villages × the items, late counts).
Every change goes through :mod:`hemei.disclosure.services`, which refuses personal data on
a disclosure and closes or opens its duty on the supervision ladder."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.policy import allows, restrict
from hemei.accounts.roles import API_ROLES
from hemei.core import clock
from hemei.core.downloads import download, stamped
from hemei.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from hemei.disclosure import selectors, services, sheets
from hemei.disclosure.choices import Audience, DisclosureState, PublishLevel, Timing
from hemei.disclosure.models import CatalogueItem, Disclosure, DisclosureFile

from .. import schema as s
from ..framework import ApiError, Call, not_found
from .common import (
    DIVISION,
    DIVISION_CODE,
    PERSON,
    api,
    date,
    division_ref,
    moment,
    person_ref,
    require_role,
    visible_divisions,
)

TAG = "disclosure"
api.gate(TAG, Disclosure, roles=API_ROLES)

# Shapes -----------------------------------------------------------------------------------

LIGHTS = [
    ("green", gettext_lazy("green: published on time")),
    ("yellow", gettext_lazy("yellow: due")),
    ("red", gettext_lazy("red: late, or published late")),
]
STATES = [*DisclosureState.choices, ("published_late", gettext_lazy("published late"))]
ITEM = s.response(
    "DisclosureItem",
    {
        "id": s.Int(minimum=1),
        "division": s.Nullable(
            DIVISION, description=gettext_lazy("Whose catalogue: a county, a town or one village.")
        ),
        "number": s.Int(minimum=1),
        "key": s.Str(description=gettext_lazy("What other modules name the item by.")),
        "name": s.Str(),
        "level1": s.Str(),
        "level2": s.Str(),
        "content": s.Str(description=gettext_lazy("Content and elements.")),
        "basis": s.Str(),
        "timing": s.Choice(Timing.choices),
        "timing_text": s.Str(description=gettext_lazy("The timing rule, as the catalogue says.")),
        "publisher": s.Str(),
        "channel": s.Str(),
        "level": s.Choice(PublishLevel.choices),
        "audience": s.Choice(Audience.choices),
        "mask_fields": s.List(
            s.Str(), max_items=100, description=gettext_lazy("Fields shown only masked.")
        ),
        "valid_from": s.Date(),
        "valid_to": s.Date(nullable=True),
        "next_period": s.Str(description=gettext_lazy("The next period owed (periodic items).")),
        "next_due_on": s.Date(nullable=True),
        "schedule_error": s.Str(
            description=gettext_lazy("Why the next due date cannot be counted yet.")
        ),
    },
)
ITEM_REF = s.response(
    "DisclosureItemRef", {"id": s.Int(minimum=1), "key": s.Str(), "name": s.Str()}
)
DISCLOSURE_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "village": DIVISION,
    "item": ITEM_REF,
    "title": s.Str(),
    "period_label": s.Str(),
    "period_start": s.Date(),
    "period_end": s.Date(),
    "happened_on": s.Date(
        nullable=True, description=gettext_lazy("The event's day (event items).")
    ),
    "due_on": s.Date(),
    "state": s.Choice(DisclosureState.choices),
    "light": s.Choice(LIGHTS),
    "published_on": s.Date(nullable=True),
    "published_late": s.Bool(),
    "published_by": s.Nullable(PERSON),
    "duty": s.Int(
        minimum=1,
        nullable=True,
        description=gettext_lazy("The task that climbs the supervision ladder while it is owed."),
    ),
}
DISCLOSURE = s.response("Disclosure", DISCLOSURE_FIELDS)
FILE = s.response(
    "DisclosureAttachment",
    {"id": s.Int(minimum=1), "name": s.Str(), "content_type": s.Str(), "size": s.Int(minimum=0)},
)
DISCLOSURE_DETAIL = s.response(
    "DisclosureDetail",
    {
        **DISCLOSURE_FIELDS,
        "item_timing": s.Str(description=gettext_lazy("The item's timing rule.")),
        "text": s.Str(description=gettext_lazy("What was published.")),
        "published_at": s.DateTime(nullable=True),
        "attachments": s.List(
            FILE,
            max_items=100,
            description=gettext_lazy("Their names; the files are read on the disclosure page."),
        ),
        "may_publish": s.Bool(description=gettext_lazy("You may publish it now.")),
    },
)
COUNTS = s.response(
    "DisclosureCounts",
    {
        "late": s.Int(minimum=0),
        "due": s.Int(minimum=0),
        "published": s.Int(minimum=0),
        "published_late": s.Int(minimum=0),
    },
)
TOWN_VILLAGE = s.response(
    "DisclosureTownVillage",
    {
        "village": DIVISION,
        "since": s.Date(
            nullable=True,
            description=gettext_lazy("Follows the catalogue from (empty: not yet)."),
        ),
        "counts": COUNTS,
        "late_titles": s.List(s.Str(), max_items=10_000),
        "cells": s.List(
            s.Choice([("", "—"), *LIGHTS]),
            max_items=10_000,
            description=gettext_lazy("The worst light of the year per item, in the items' order."),
        ),
    },
)
TOWN = s.response(
    "DisclosureTown",
    {
        "town": DIVISION,
        "year": s.Int(minimum=2000, maximum=2100),
        "items": s.List(ITEM_REF, max_items=10_000),
        "villages": s.List(
            TOWN_VILLAGE,
            max_items=100_000,
            description=gettext_lazy("Most late first, then those not following yet."),
        ),
        "totals": s.response(
            "DisclosureTownTotals",
            {
                "villages": s.Int(minimum=0, description=gettext_lazy("Following the catalogue.")),
                "late_villages": s.Int(minimum=0),
                "late": s.Int(minimum=0),
                "published": s.Int(minimum=0),
            },
        ),
    },
)


def item_row(item: CatalogueItem, due: dict[str, Any]) -> dict[str, Any]:
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
        "valid_from": date(item.valid_from),
        "valid_to": date(item.valid_to),
        "next_period": due["period"],
        "next_due_on": date(due["due_on"]),
        "schedule_error": due["error"],
    }


def _item_ref(item: CatalogueItem) -> dict[str, Any]:
    return {"id": item.pk, "key": item.key, "name": item.name}


def disclosure_summary(row: Disclosure) -> dict[str, Any]:
    """A list row (from ``selectors.disclosures``: village, item, publisher selected)."""
    return {
        "id": row.pk,
        "village": division_ref(row.village),
        "item": _item_ref(row.item),
        "title": row.title,
        "period_label": row.period_label,
        "period_start": date(row.period_start),
        "period_end": date(row.period_end),
        "happened_on": date(row.happened_on),
        "due_on": date(row.due_on),
        "state": row.state,
        "light": row.light(clock.today()),
        "published_on": date(row.published_on),
        "published_late": row.published_late,
        "published_by": person_ref(row.published_by),
        "duty": row.duty_id,
    }


def disclosure_detail(row: Disclosure, user: Any) -> dict[str, Any]:
    files = restrict(user, "view", DisclosureFile.objects.filter(disclosure=row))
    return {
        **disclosure_summary(row),
        "item_timing": row.item.timing_text,
        "text": row.text,
        "published_at": moment(row.published_at),
        "attachments": [
            {"id": f.pk, "name": f.name, "content_type": f.content_type, "size": f.size}
            for f in files
        ],
        "may_publish": row.state != DisclosureState.PUBLISHED and allows(user, "publish", row),
    }


def load_disclosure(user: Any, pk: int) -> Disclosure:
    row = selectors.disclosures(user).filter(pk=pk).first()
    if row is None:
        raise not_found()
    return row


def answer(call: Call, pk: int) -> dict[str, Any]:
    return disclosure_detail(load_disclosure(call.user, pk), call.user)


# Inputs -------------------------------------------------------------------------------------

PUBLISH = s.Obj(
    "DisclosurePublish",
    {
        "published_on": s.Date(description=gettext_lazy("The day it was posted.")),
        "text": s.Str(
            min_length=1,
            max_length=50_000,
            description=gettext_lazy(
                "What was published. No ID-card, phone or bank numbers and no health "
                "details; mask them with asterisks."
            ),
        ),
    },
    required=["published_on", "text"],
)
EVENT = s.Obj(
    "DisclosureEvent",
    {
        "village": s.Str(
            min_length=2,
            max_length=12,
            pattern="[0-9]+",
            description=gettext_lazy("The code of the village where the matter arose."),
        ),
        "item_key": s.Str(
            min_length=1,
            max_length=60,
            description=gettext_lazy("The key of an event item the village follows."),
        ),
        "happened_on": s.Date(description=gettext_lazy("The day it arose; not in the future.")),
        "title": s.Str(min_length=1, max_length=150, description=gettext_lazy("The matter.")),
    },
    required=["village", "item_key", "happened_on", "title"],
)
YEAR = s.Int(minimum=2000, maximum=2100)

ITEM_FILTERS = (
    s.Param("q", s.Str(max_length=100), gettext_lazy("Words in the item, its content or basis.")),
    s.Param(
        "division",
        DIVISION_CODE,
        gettext_lazy(
            "This division's own items and those of the divisions above it (for a village: "
            "its whole catalogue)."
        ),
    ),
    s.Param("timing", s.Choice(Timing.choices)),
    s.Param(
        "all",
        s.Bool(),
        gettext_lazy("true: also the items no longer or not yet in force (default: in force)."),
    ),
)
FILTERS = (
    s.Param(
        "q", s.Str(max_length=100), gettext_lazy("Words in the title, period, village or text.")
    ),
    s.Param("village", DIVISION_CODE, gettext_lazy("Disclosures of this division or below it.")),
    s.Param("state", s.Choice(STATES)),
    s.Param("light", s.Choice(LIGHTS), gettext_lazy("The light today.")),
    s.Param("item", s.Int(minimum=1), gettext_lazy("A catalogue item's id.")),
    s.Param("year", YEAR, gettext_lazy("Due in this year.")),
    s.Param("period", s.Str(max_length=60), gettext_lazy("Words of the period, e.g. 2026年3月.")),
)

# Endpoints ---------------------------------------------------------------------------------

item_list = api.route("disclosure-items/", "disclosure_item_list")
disclosure_list = api.route("disclosures/", "disclosure_list")
disclosure_item = api.route("disclosures/<int:pk>/", "disclosure_detail")
disclosure_publish = api.route("disclosures/<int:pk>/publish/", "disclosure_publish")
event_route = api.route("disclosure-events/", "disclosure_event")
town_route = api.route("disclosure-towns/<str:code>/", "disclosure_town")


@item_list.operation(
    "GET",
    summary=gettext_lazy("List disclosure catalogue items"),
    description=gettext_lazy(
        "村务公开目录: the items you read (your county's, your town's, your villages' own), "
        "in force today unless ``all`` is given, with each periodic item's next due date; "
        "``format=xlsx`` exports them in the office's sheet, the one the catalogue page "
        "imports."
    ),
    tag=TAG,
    query=ITEM_FILTERS,
    response=ITEM,
    paged=True,
    exports=True,
)
def list_items(call: Call) -> Any:
    query = call.query
    today = clock.today()
    rows = selectors.catalogue_items(
        call.user,
        q=query.get("q", ""),
        area=query.get("division", ""),
        timing=query.get("timing", ""),
        day=None if query.get("all") else today,
    )
    if call.wants_export:
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
    schedule = selectors.schedule()
    return call.page(rows, lambda item: item_row(item, selectors.next_due(item, today, schedule)))


@disclosure_list.operation(
    "GET",
    summary=gettext_lazy("List disclosures"),
    description=gettext_lazy(
        "What the villages of your area owe and have published, latest due first, with "
        "the filters of the disclosure list page and the lights; ``format=xlsx`` exports "
        "them."
    ),
    tag=TAG,
    query=FILTERS,
    response=DISCLOSURE,
    paged=True,
    exports=True,
)
def list_disclosures(call: Call) -> Any:
    query = call.query
    rows = selectors.disclosures(
        call.user,
        q=query.get("q", ""),
        state=query.get("state", ""),
        area=query.get("village", ""),
        year=query.get("year"),
        item=query.get("item"),
        light=query.get("light", ""),
        period=query.get("period", ""),
        today=clock.today(),
    )
    if call.wants_export:
        return call.export(
            rows,
            filename="disclosures",
            title=_("Village disclosures"),
            columns=selectors.export_columns(),
        )
    return call.page(rows, disclosure_summary)


@disclosure_item.operation(
    "GET",
    summary=gettext_lazy("Show a disclosure"),
    description=gettext_lazy(
        "The disclosure with its item's rule, its light, what was published and the names "
        "of its attachments."
    ),
    tag=TAG,
    response=DISCLOSURE_DETAIL,
)
def show_disclosure(call: Call, pk: int) -> Any:
    return answer(call, pk)


@disclosure_publish.operation(
    "POST",
    summary=gettext_lazy("Publish a disclosure"),
    description=gettext_lazy(
        "The village's officials (or the county office) record what was posted and when; "
        "the duty on the supervision ladder closes. Refused when the text shows personal "
        "data or a field the item masks. Attachments are added on the disclosure page, not "
        "through the API."
    ),
    tag=TAG,
    body=PUBLISH,
    response=DISCLOSURE_DETAIL,
)
def publish_disclosure(call: Call, pk: int) -> Any:
    require_role(call.user, "publish", Disclosure)
    services.publish(
        actor=call.user,
        disclosure=load_disclosure(call.user, pk),
        published_on=call.body["published_on"],
        text=call.body["text"],
    )
    return answer(call, pk)


@event_route.operation(
    "POST",
    summary=gettext_lazy("Record an event to disclose"),
    description=gettext_lazy(
        "A matter of an event item arose in a village (a resolution passed, a lease signed): "
        "its disclosure falls due within the item's working days and opens a duty. The same "
        "event recorded again answers the same disclosure."
    ),
    tag=TAG,
    body=EVENT,
    response=DISCLOSURE_DETAIL,
    status=201,
)
def record_event(call: Call) -> Any:
    require_role(call.user, "publish", Disclosure)  # before the village is looked up
    data = call.body
    village = visible_divisions(call.user).filter(code=data["village"]).first()
    if village is None:
        raise ValidationError(
            {"village": _("Nothing with the id %(id)s is open to you.") % {"id": data["village"]}}
        )
    key = data["item_key"].strip()
    try:
        made = services.record_event(
            actor=call.user,
            village=village,
            item_key=key,
            happened_on=data["happened_on"],
            title=data["title"],
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "item" in exc.error_dict:
            raise ValidationError({"item_key": exc.error_dict["item"]}) from exc
        raise
    if made is None:
        since = selectors.adopted_villages([village.code]).get(village.code)
        if since is None or data["happened_on"] < since:
            raise ValidationError(
                {"happened_on": _("The village did not follow the catalogue on that day.")}
            )
        raise ValidationError(
            {"item_key": _("The village follows no item with this key on that day.")}
        )
    return answer(call, made.pk)


@town_route.operation(
    "GET",
    summary=gettext_lazy("Show a town's disclosure overview"),
    description=gettext_lazy(
        "The town's villages × the items they follow, for the disclosures due in the year: "
        "counts (late, due, published, published late) and the worst light per item; "
        "``format=xlsx`` exports the table. For towns and the county office."
    ),
    tag=TAG,
    query=(s.Param("year", YEAR, gettext_lazy("Default: this year.")),),
    response=TOWN,
    exports=True,
)
def show_town(call: Call, code: str) -> Any:
    towns = selectors.towns_for(call.user)
    if not towns.exists():
        raise PermissionDenied(_("This page is for towns and the county office."))
    town = towns.filter(code=code).first() if code.isascii() and code.isdigit() else None
    if town is None:
        raise not_found()
    today = clock.today()
    year = call.query.get("year", today.year)
    items, rows = selectors.town_overview(town, year, today)
    if call.wants_export:
        return call.export(
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
                "since": date(r.since),
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

"""What several endpoints share: the API object, small output shapes, reference lookups."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StrictStr,
    WithJsonSchema,
)

from hemei.accounts.models import User
from hemei.accounts.policy import may, places
from hemei.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from hemei.divisions.models import Division
from hemei.units.models import Unit

from .. import schema as s
from ..engine import HemeiNinja
from ..framework import Api

TITLE = gettext_lazy("Hemei API")
DESCRIPTION = gettext_lazy(
    "The JSON API of Hemei: meetings and their decisions, tasks, progress reports, "
    "rankings, supervision (orders, cards, extensions, the ladder), notifications, "
    "leaders' contact points, and village procedures: catalogues (清单), cases (办件), "
    "decision records (四议两公开), public notices (公示) and village-affairs disclosure "
    "(村务公开). Lists marked so answer ``format=xlsx`` with the whole "
    "filtered list as an Excel workbook. Every answer is limited to the caller's area (division "
    "subtree): an object outside it is answered 404, exactly like a missing one. Authenticate with a "
    "personal token (`Authorization: Bearer hm_…`, created on the API tokens page) or, "
    "from the browser, with the session and its CSRF token on writes. Errors are JSON: "
    '`{"error": {"code": …, "message": …, "fields": {path: [messages]}}}`.'
)
#: The API on django-ninja; the modules not yet moved onto it stay on ``api`` below, and
#: the two share the URLs under /api/v1/ and one OpenAPI document.
v1 = HemeiNinja(title=TITLE, version="1.0.0", description=DESCRIPTION)
api = Api(title=TITLE, version="1.0.0", prefix="/api/v1/", description=DESCRIPTION, ninja=v1)

# Output shapes ---------------------------------------------------------------------------

DIVISION = s.response(
    "DivisionRef",
    {"code": s.Str(description=gettext_lazy("Official division code.")), "name": s.Str()},
)
PERSON = s.response(
    "PersonRef",
    {
        "id": s.Int(minimum=1),
        "name": s.Str(description=gettext_lazy("Full name (phones are never sent).")),
    },
)
UNIT = s.response("UnitRef", {"id": s.Int(minimum=1), "name": s.Str()})


def division_ref(division: Division | None) -> dict[str, Any] | None:
    return None if division is None else {"code": division.code, "name": division.name}


def person_ref(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


def unit_ref(unit: Unit | None) -> dict[str, Any] | None:
    return None if unit is None else {"id": unit.pk, "name": unit.name}


def date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def moment(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


#: The body of an action that takes no input (an empty object, or no body at all).
EMPTY = s.Obj("NoInput", {})

# Reference lookups -------------------------------------------------------------------------


def require_role(user: Any, action: str, model: Any) -> None:
    """403 before any lookup when none of the user's roles opens ``action`` on ``model``
    anywhere (the policy's ``may``): the place's 404 is for roles that could act."""
    if not may(user, action, model):
        raise PermissionDenied(_("Your role does not open this part of the API."))


def reachable_people(user: Any) -> QuerySet[User]:
    """People the user may name: of their area or above it (the policy's ``name``)."""
    return User.objects.filter(is_active=True).restrict(user, "name")


def reachable_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.active().restrict(user, "name")


def visible_divisions(user: Any) -> QuerySet[Division]:
    return places(user, "view").current()


DIVISION_CODE = s.Str(min_length=2, max_length=12, pattern="[0-9]+")


def person_id(**kwargs: Any) -> s.Ref:
    return s.Ref(
        s.Int(minimum=1), reachable_people, description=gettext_lazy("A person's id."), **kwargs
    )


def unit_id(**kwargs: Any) -> s.Ref:
    return s.Ref(
        s.Int(minimum=1), reachable_units, description=gettext_lazy("A unit's id."), **kwargs
    )


def division_code(**kwargs: Any) -> s.Ref:
    kwargs.setdefault("description", gettext_lazy("A division code inside your area."))
    return s.Ref(DIVISION_CODE, visible_divisions, **kwargs)


# The same for the modules on django-ninja (pydantic) -----------------------------------------
# Not named DivisionRef/PersonRef while modules on ``api`` still put those in the document.


class DivisionBrief(Schema):
    code: str = Field(description=gettext_lazy("Official division code."))
    name: str


class PersonBrief(Schema):
    id: int = Field(ge=1)
    name: str = Field(description=gettext_lazy("Full name (phones are never sent)."))


def _storable(value: str) -> str:
    try:
        value.encode("utf-8")  # lone surrogates: JSON allows them, databases do not
    except UnicodeEncodeError:
        raise ValueError(_("The text holds characters that cannot be stored.")) from None
    if "\x00" in value:
        raise ValueError(_("The text holds characters that cannot be stored."))
    return value


def _date_text(value: Any) -> dt.date:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError(_("Enter a date as YYYY-MM-DD."))
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("%(value)s is not a date.") % {"value": value}) from None


#: Text a database can store (no NUL, no lone surrogate), as ``s.Str`` checked it.
Text = Annotated[StrictStr, AfterValidator(_storable)]
#: A day written YYYY-MM-DD and nothing else (no timestamps, no date-times), as ``s.Date``.
DateText = Annotated[dt.date, BeforeValidator(_date_text)]
#: A moment in an answer, written as before the move (``datetime.isoformat()``: the offset
#: as ``+00:00`` and every microsecond, where ninja's encoder would write ``Z`` and cut to
#: milliseconds).
Moment = Annotated[
    dt.datetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def one_of(values: Iterable[Any]) -> Any:
    """One of ``values`` in a query or a body, refused with the values listed as ``s.Choice``
    listed them (pydantic's message would quote each one)."""
    allowed = list(values)

    def check(value: Any) -> Any:
        if isinstance(value, bool) or value not in allowed:
            raise ValueError(
                _("Choose one of: %(values)s.") % {"values": ", ".join(map(str, allowed))}
            )
        return value

    return Annotated[Literal[tuple(allowed)], BeforeValidator(check)]  # type: ignore[valid-type]


#: A division code as a query filter or body field (``DIVISION_CODE``; digits only, so
#: nothing a database cannot store).
DivisionCodeText = Annotated[StrictStr, Field(min_length=2, max_length=12, pattern="^[0-9]+$")]


def _labelled(description: Any, choices: list[tuple[Any, Any]]) -> str:
    labels = _("; ").join(f"{value} = {label}" for value, label in choices)
    if description:
        return _("%(description)s (%(choices)s)") % {"description": description, "choices": labels}
    return _("(%(choices)s)") % {"choices": labels}


def labelled(choices: Iterable[tuple[Any, Any]], description: Any = "") -> Any:
    """A choice field's description listing each value's label in the reader's language,
    as ``s.Choice`` documented it: ``Field(description=labelled(Unit.choices))``."""
    return lazy(_labelled, str)(description, list(choices))


#: ``openapi_extra=`` of a list that answers ``format=xlsx``: its 200 may be a workbook.
EXPORTS: dict[str, Any] = {
    "responses": {
        200: {"content": {XLSX_TYPE: {"schema": {"type": "string", "contentMediaType": XLSX_TYPE}}}}
    }
}

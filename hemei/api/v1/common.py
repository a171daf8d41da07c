"""What several endpoints share: the API object, small output shapes, reference lookups."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Annotated, Any, Literal, Optional

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.params import ParamShortcut
from ninja.params.models import Form, FormModel
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PlainSerializer,
    StrictStr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from hemei.accounts.models import User
from hemei.accounts.policy import may, places
from hemei.divisions.models import Division
from hemei.units.models import Unit

from ..engine import MAX_SAFE_INTEGER, HemeiNinja, Id, Input, visible

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
#: The API of version 1, on django-ninja: every module adds its router (``urls.py``).
v1 = HemeiNinja(title=TITLE, version="1.0.0", description=DESCRIPTION)

# Output helpers ----------------------------------------------------------------------------


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


# Shapes and checks -------------------------------------------------------------------------


class DivisionRef(Schema):
    code: str = Field(description=gettext_lazy("Official division code."))
    name: str


class PersonRef(Schema):
    id: int = Field(ge=1)
    name: str = Field(description=gettext_lazy("Full name (phones are never sent)."))


class UnitRef(Schema):
    id: int = Field(ge=1)
    name: str


class NoBody(Input):
    """The body of an action that takes no input: an empty object, or no body at all
    (give the parameter a default: ``payload: NoBody = NoBody()``)."""


class Filters(Schema):
    """Query filters as the old framework read them: text stripped, an empty value the
    same as no value (a form sends its empty fields)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    @model_validator(mode="wrap")
    @classmethod
    def _empty_is_absent(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        if isinstance(data, dict):
            data = {key: value for key, value in data.items() if value != ""}
        return handler(data)


def refuse_null(value: Any) -> Any:
    if value is None:  # a nullable field takes null before it comes here
        raise ValueError(_("This field may not be null."))
    return value


#: ``Annotated[X, NonNull]``: null refused as "may not be null" (as before the move), not as a
#: value of the wrong type; an absent field keeps its default.
NonNull = BeforeValidator(refuse_null)


def _storable(value: Any) -> Any:
    refuse_null(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")  # lone surrogates: JSON allows them, databases do not
        except UnicodeEncodeError:
            raise ValueError(_("The text holds characters that cannot be stored.")) from None
        if "\x00" in value:
            raise ValueError(_("The text holds characters that cannot be stored."))
    return value


def _whole(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(r"-?[0-9]{1,16}", value.strip()):
        raise ValueError(_("Expected a whole number."))
    return value


def text(**limits: Any) -> Any:
    """Text a database can store (no NUL, no lone surrogate), with ``Field`` limits
    (``max_length``, ``pattern``…) checked after it is stripped, as before."""
    return Annotated[StrictStr, Field(**limits), BeforeValidator(_storable)]


#: Text a database can store (no NUL, no lone surrogate); limits go in ``Field``.
Text = Annotated[str, BeforeValidator(_storable)]
#: What was typed in a list's search box (``?q=``).
SearchText = text(max_length=100)
#: A row's id in a query string: digits only (not "1.0"), in the old parameters' range.
QueryId = Annotated[int, BeforeValidator(_whole), Field(ge=1, le=MAX_SAFE_INTEGER)]
#: An official division code (not yet looked up).
DivisionCode = text(min_length=2, max_length=12, pattern="^[0-9]+$")


def _read_day(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    refuse_null(value)
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError(_("Enter a date as YYYY-MM-DD."))
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("%(value)s is not a date.") % {"value": value}) from None


#: A calendar date in a body or a query string: ``YYYY-MM-DD`` exactly (pydantic alone
#: would read a number as a Unix time).
Date = Annotated[dt.date, BeforeValidator(_read_day)]
#: A moment in an answer, written as before (``isoformat()``: the offset, every microsecond).
Moment = Annotated[
    dt.datetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def choice(
    choices: Iterable[tuple[Any, Any]], description: Any = "", *, nullable: bool = False
) -> Any:
    """One of a Django ``choices`` list: its values listed in the schema with their labels
    (in the language the document is written in), anything else refused naming them."""
    pairs = list(choices)
    values = tuple(value for value, _label in pairs)

    def check(value: Any) -> Any:
        if value is None and nullable:
            return value
        refuse_null(value)
        if isinstance(value, bool) or value not in values:
            raise ValueError(
                _("Choose one of: %(values)s.") % {"values": ", ".join(map(str, values))}
            )
        return value

    def describe() -> str:
        labels = _("; ").join(f"{value} = {label}" for value, label in pairs)
        if description:
            return _("%(description)s (%(choices)s)") % {
                "description": description,
                "choices": labels,
            }
        return _("(%(choices)s)") % {"choices": labels}

    kind: Any = Literal[values]  # type: ignore[valid-type]
    if nullable:
        kind = Optional[kind]  # noqa: UP045  (a type built at run time)
    return Annotated[kind, BeforeValidator(check), Field(description=lazy(describe, str)())]


def person_ref_to(queryset: Callable[[Any], Any] = reachable_people, **kwargs: Any) -> Any:
    """A person's id, read as a person the caller may name (or one of ``queryset``)."""
    kwargs.setdefault("description", gettext_lazy("A person's id."))
    return visible(Id, queryset, **kwargs)


def unit_ref_to(**kwargs: Any) -> Any:
    """A unit's id, read as a unit the caller may name."""
    kwargs.setdefault("description", gettext_lazy("A unit's id."))
    return visible(Id, reachable_units, **kwargs)


def division_ref_to(queryset: Callable[[Any], Any] = visible_divisions, **kwargs: Any) -> Any:
    """A division code, read as a division inside the caller's area (or ``queryset``)."""
    kwargs.setdefault("description", gettext_lazy("A division code inside your area."))
    return visible(DivisionCode, queryset, **kwargs)


def division(description: Any = None) -> Any:
    """A division inside the caller's area, by code (read as the division)."""
    if description:
        return division_ref_to(lookup="code", description=description)
    return division_ref_to(lookup="code")


#: A person the caller may name, by id (read as the user).
PersonId = person_ref_to()
#: A unit the caller may name, by id (read as the unit).
UnitId = unit_ref_to()


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


#: A division code as a query filter or body field, not looked up.
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


class _JsonOrFormModel(FormModel):
    """A body read from JSON or, sent as a multipart form, from the form's fields (its
    files come apart, as ``File`` parameters)."""

    @classmethod
    def resolve(cls, request: HttpRequest, api: Any, path_params: dict[str, Any]) -> Any:
        (name,) = cls.model_fields  # the one payload parameter
        if request.content_type == "multipart/form-data":
            # not flattened: an unknown field reaches the model's extra="forbid"
            data = api.parser.parse_querydict(request.POST, [], request)
        else:  # the engine has checked that the body is JSON
            data = api.parser.parse_body(request) if request.body else {}
        return cls.model_validate({name: data}, context={"request": request})


class _JsonOrFormParam(Form):  # type: ignore[misc]
    _model = _JsonOrFormModel

    @classmethod
    def _param_source(cls) -> str:
        return "form"


#: ``payload: JsonOrForm[Input]``: the body as JSON, or as the fields of a multipart form
#: that also carries files (declared as ``File`` parameters). Form fields are text: declare
#: numbers with :data:`FormInt`. The operation documents the form; add the JSON with
#: ``openapi_extra=json_too(Input)``.
JsonOrForm = ParamShortcut(lambda default=..., **kwargs: _JsonOrFormParam(default, **kwargs))


def json_too(model: type[Schema]) -> dict[str, Any]:
    """The ``openapi_extra`` of a :data:`JsonOrForm` operation: its body as JSON too."""
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"content": {"application/json": {"schema": schema}}}}


def _form_int(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, bool):
        raise ValueError(_("Expected a whole number."))
    request = (info.context or {}).get("request")
    if isinstance(value, str):
        from_form = request is not None and request.content_type == "multipart/form-data"
        if not from_form or not re.fullmatch(r"-?[0-9]{1,16}", value.strip()):
            raise ValueError(_("Expected a whole number."))
        return int(value)
    return value


#: A whole number in a body that may come as JSON (a number, never text) or as a multipart
#: form (digits); limits go in ``Field``.
FormInt = Annotated[int, BeforeValidator(_form_int)]


#: The ``openapi_extra`` of an operation that answers a file download.
DOWNLOAD = {
    "responses": {
        "200": {
            "description": "OK",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


class NotNull(Input):
    """A body none of whose fields takes null: null is refused as “may not be null”, as
    before the move (not as a value of the wrong type)."""

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any) -> Any:
        return refuse_null(value)

"""A tiny declarative schema: one declaration checks the input and writes the OpenAPI text.

Each field knows three things: how to read a JSON value (:meth:`Field.parse`), how to read a
query-string value (:meth:`Field.parse_text`), and how to describe itself as JSON Schema
(:meth:`Field.json_schema`, the dialect of OpenAPI 3.1). Because the request bodies, query
parameters and responses of every endpoint are declared with these classes, and the
OpenAPI document is produced from the same declarations, the document cannot drift from
what the code accepts.

A reference field (:class:`Ref`) turns an id into a model instance from a queryset that the
requesting user may see, so "no such unit" and "a unit outside your area" read the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

#: JSON's integers are exact up to here in every client.
MAX_SAFE_INTEGER = 2**53 - 1


class Invalid(Exception):
    """Bad input, with messages per field path (``"milestones.0.due_on"``)."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(fields)
        self.fields = fields

    @classmethod
    def at(cls, path: str, message: str) -> Invalid:
        return cls({path or "body": [message]})


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, which JSON allows and databases refuse
        return False
    return True


def _join(path: str, name: str | int) -> str:
    return f"{path}.{name}" if path else str(name)


@dataclass
class Context:
    """What reading a value may need besides the value: the user (for references)."""

    user: Any = None


class Field:
    """The base of every field. ``nullable`` fields accept ``null`` (read as ``None``)."""

    type_name = "value"

    def __init__(self, *, description: str | Promise = "", nullable: bool = False) -> None:
        self.description = description
        self.nullable = nullable

    # Reading -----------------------------------------------------------------------------
    def parse(self, value: Any, path: str = "", context: Context | None = None) -> Any:
        if value is None:
            if self.nullable:
                return None
            raise Invalid.at(path, _("This field may not be null."))
        return self.convert(value, path, context or Context())

    def convert(self, value: Any, path: str, context: Context) -> Any:
        raise NotImplementedError

    def parse_text(self, text: str, path: str, context: Context | None = None) -> Any:
        """A query-string value; by default the text itself is the JSON value."""
        return self.parse(text, path, context)

    def parse_form(self, values: list[str], path: str, context: Context | None = None) -> Any:
        """The values of one multipart form field (a list field takes them all)."""
        return self.parse_text(values[-1], path, context)

    # Describing --------------------------------------------------------------------------
    def base_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        schema = self.base_schema()
        if self.nullable:
            if "type" in schema:
                schema["type"] = [schema["type"], "null"]
            else:
                schema = {"anyOf": [schema, {"type": "null"}]}
        if self.description:
            schema["description"] = str(self.description)
        return schema


class Str(Field):
    type_name = "string"

    def __init__(
        self,
        *,
        max_length: int | None = None,
        min_length: int = 0,
        strip: bool = True,
        pattern: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.min_length = min_length
        self.strip = strip
        self.pattern = pattern

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if not isinstance(value, str):
            raise Invalid.at(path, _("Expected a string."))
        if "\x00" in value or not _encodable(value):
            raise Invalid.at(path, _("The text holds characters that cannot be stored."))
        if self.strip:
            value = value.strip()
        if len(value) < self.min_length:
            if self.min_length == 1:
                raise Invalid.at(path, _("This field may not be blank."))
            raise Invalid.at(
                path, _("Use at least %(count)d characters.") % {"count": self.min_length}
            )
        if self.max_length is not None and len(value) > self.max_length:
            raise Invalid.at(
                path, _("Use at most %(count)d characters.") % {"count": self.max_length}
            )
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise Invalid.at(path, _("The value is not in the expected form."))
        return value

    def base_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if self.min_length:
            schema["minLength"] = self.min_length
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.pattern:
            schema["pattern"] = f"^{self.pattern}$"
        return schema


class Choice(Field):
    """One of a fixed set of values (a Django ``TextChoices``/``IntegerChoices``)."""

    def __init__(self, choices: Iterable[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = list(choices)
        self.values = [value for value, _label in self.choices]
        self.is_int = all(isinstance(value, int) for value in self.values)

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if isinstance(value, bool) or value not in self.values:
            raise Invalid.at(
                path,
                _("Choose one of: %(values)s.") % {"values": ", ".join(map(str, self.values))},
            )
        return value

    def parse_text(self, text: str, path: str, context: Context | None = None) -> Any:
        if self.is_int:
            try:
                return self.parse(int(text), path, context)
            except ValueError:
                pass
        return self.parse(text, path, context)

    def base_schema(self) -> dict[str, Any]:
        return {"type": "integer" if self.is_int else "string", "enum": list(self.values)}

    def json_schema(self) -> dict[str, Any]:
        schema = super().json_schema()
        labels = _("; ").join(f"{value} = {label}" for value, label in self.choices)
        if schema.get("description"):
            schema["description"] = _("%(description)s (%(choices)s)") % {
                "description": schema["description"],
                "choices": labels,
            }
        else:
            schema["description"] = _("(%(choices)s)") % {"choices": labels}
        if self.nullable:
            schema["enum"] = [*schema["enum"], None]
        return schema


class Int(Field):
    type_name = "integer"

    def __init__(
        self, *, minimum: int | None = None, maximum: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.minimum = minimum
        self.maximum = MAX_SAFE_INTEGER if maximum is None else maximum

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid.at(path, _("Expected a whole number."))
        if isinstance(value, float):
            if not value.is_integer():
                raise Invalid.at(path, _("Expected a whole number."))
            value = int(value)
        if self.minimum is not None and value < self.minimum:
            raise Invalid.at(path, _("Use a number of at least %(min)s.") % {"min": self.minimum})
        if value > self.maximum:
            raise Invalid.at(path, _("Use a number of at most %(max)s.") % {"max": self.maximum})
        return value

    def parse_text(self, text: str, path: str, context: Context | None = None) -> Any:
        if not re.fullmatch(r"-?[0-9]{1,16}", text.strip()):
            raise Invalid.at(path, _("Expected a whole number."))
        return self.parse(int(text), path, context)

    def base_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        schema["maximum"] = self.maximum
        return schema


class Number(Field):
    """A decimal number (read as :class:`~decimal.Decimal`, written as a JSON number)."""

    type_name = "number"

    def __init__(
        self,
        *,
        minimum: Decimal | int | None = None,
        maximum: Decimal | int | None = None,
        places: int = 2,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.minimum = minimum
        self.maximum = maximum
        self.places = places

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise Invalid.at(path, _("Expected a number."))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise Invalid.at(path, _("Expected a number.")) from None
        if not number.is_finite():
            raise Invalid.at(path, _("Expected a number."))
        if self.minimum is not None and number < self.minimum:
            raise Invalid.at(path, _("Use a number of at least %(min)s.") % {"min": self.minimum})
        if self.maximum is not None and number > self.maximum:
            raise Invalid.at(path, _("Use a number of at most %(max)s.") % {"max": self.maximum})
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            raise Invalid.at(
                path, _("Use at most %(places)d decimal places.") % {"places": self.places}
            )
        return number

    def base_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "number"}
        if self.minimum is not None:
            schema["minimum"] = float(self.minimum)
        if self.maximum is not None:
            schema["maximum"] = float(self.maximum)
        return schema


class Bool(Field):
    type_name = "boolean"
    TEXT = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if not isinstance(value, bool):
            raise Invalid.at(path, _("Expected true or false."))
        return value

    def parse_text(self, text: str, path: str, context: Context | None = None) -> Any:
        if text.strip().lower() not in self.TEXT:
            raise Invalid.at(path, _("Expected true or false."))
        return self.TEXT[text.strip().lower()]

    def base_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Date(Field):
    """A calendar date written ``YYYY-MM-DD``."""

    type_name = "date"

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise Invalid.at(path, _("Enter a date as YYYY-MM-DD."))
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise Invalid.at(path, _("%(value)s is not a date.") % {"value": value}) from None

    def base_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


class DateTime(Field):
    """An ISO 8601 moment with its offset (responses only)."""

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if not isinstance(value, str):
            raise Invalid.at(path, _("Enter a date and time in ISO 8601."))
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise Invalid.at(path, _("Enter a date and time in ISO 8601.")) from None

    def base_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date-time"}


class Map(Field):
    """A JSON object with free keys whose values share one field type (responses only)."""

    def __init__(self, value: Field, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.value = value

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if not isinstance(value, dict):
            raise Invalid.at(path, _("Expected a JSON object."))
        return {
            key: self.value.parse(item, _join(path, key), context) for key, item in value.items()
        }

    def base_schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": self.value.json_schema()}


class Free(Field):
    """Any JSON object (a timeline event's data, for instance; responses only)."""

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if not isinstance(value, dict):
            raise Invalid.at(path, _("Expected a JSON object."))
        return value

    def base_schema(self) -> dict[str, Any]:
        return {"type": "object"}


class List(Field):
    def __init__(self, item: Field, *, max_items: int = 1000, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.max_items = max_items

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if not isinstance(value, list):
            raise Invalid.at(path, _("Expected a list."))
        if len(value) > self.max_items:
            raise Invalid.at(path, _("At most %(count)d items.") % {"count": self.max_items})
        items, errors = [], {}
        for index, item in enumerate(value):
            try:
                items.append(self.item.parse(item, _join(path, index), context))
            except Invalid as exc:
                errors.update(exc.fields)
        if errors:
            raise Invalid(errors)
        return items

    def parse_form(self, values: list[str], path: str, context: Context | None = None) -> Any:
        if len(values) > self.max_items:
            raise Invalid.at(path, _("At most %(count)d items.") % {"count": self.max_items})
        items, errors = [], {}
        for index, text in enumerate(values):
            try:
                items.append(self.item.parse_text(text, _join(path, index), context))
            except Invalid as exc:
                errors.update(exc.fields)
        if errors:
            raise Invalid(errors)
        return items

    def base_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.json_schema(), "maxItems": self.max_items}


class Obj(Field):
    """A JSON object with declared properties; named objects become OpenAPI components.

    Unknown properties are refused (a misspelt field must not be silently ignored).
    ``required`` names the properties a request must carry; in a response every property
    is always present (``null`` where there is no value).
    """

    def __init__(
        self,
        name: str | None,
        properties: Mapping[str, Field],
        *,
        required: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.properties = dict(properties)
        self.required = list(required)
        assert set(self.required) <= set(self.properties), self.required

    def convert(self, value: Any, path: str, context: Context) -> Any:
        if not isinstance(value, dict):
            raise Invalid.at(path, _("Expected a JSON object."))
        errors: dict[str, list[str]] = {}
        for name in value:
            if name not in self.properties:
                errors[_join(path, name)] = [_("Unknown field.")]
        for name in self.required:
            if name not in value:
                errors[_join(path, name)] = [_("This field is required.")]
        data: dict[str, Any] = {}
        for name, field in self.properties.items():
            if name in value and _join(path, name) not in errors:
                try:
                    data[name] = field.parse(value[name], _join(path, name), context)
                except Invalid as exc:
                    errors.update(exc.fields)
        if errors:
            raise Invalid(errors)
        return data

    def parse_form_data(self, data: Any, context: Context) -> dict[str, Any]:
        """The object from a multipart form's fields (a ``QueryDict``; files come apart)."""
        errors: dict[str, list[str]] = {}
        for name in data:
            if name not in self.properties:
                errors[name] = [_("Unknown field.")]
        for name in self.required:
            if name not in data:
                errors[name] = [_("This field is required.")]
        values: dict[str, Any] = {}
        for name, field in self.properties.items():
            if name in data and name not in errors:
                try:
                    values[name] = field.parse_form(data.getlist(name), name, context)
                except Invalid as exc:
                    errors.update(exc.fields)
        if errors:
            raise Invalid(errors)
        return values

    def inline_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {name: field.json_schema() for name, field in self.properties.items()},
            "additionalProperties": False,
        }
        if self.required:
            schema["required"] = list(self.required)
        return schema

    def base_schema(self) -> dict[str, Any]:
        if self.name:
            return {"$ref": f"#/components/schemas/{self.name}"}
        return self.inline_schema()

    def components(self) -> dict[str, Obj]:
        """This object and every named object inside it, by name."""
        found: dict[str, Obj] = {}
        collect(self, found)
        return found


class Nullable(Field):
    """Another field (typically a named object) or ``null``."""

    def __init__(self, inner: Field, **kwargs: Any) -> None:
        super().__init__(nullable=True, **kwargs)
        self.inner = inner

    def convert(self, value: Any, path: str, context: Context) -> Any:
        return self.inner.parse(value, path, context)

    def base_schema(self) -> dict[str, Any]:
        return self.inner.json_schema()


def response(name: str, properties: Mapping[str, Field], **kwargs: Any) -> Obj:
    """A response object: every property is always there, so all are listed as required."""
    return Obj(name, properties, required=list(properties), **kwargs)


def collect(field: Field, found: dict[str, Obj]) -> None:
    if isinstance(field, Obj):
        if field.name:
            if field.name in found:
                if found[field.name] is not field:
                    raise ValueError(f"two schema objects named {field.name}")
                return
            found[field.name] = field
        for child in field.properties.values():
            collect(child, found)
    elif isinstance(field, List):
        collect(field.item, found)
    elif isinstance(field, Map):
        collect(field.value, found)
    elif isinstance(field, Nullable):
        collect(field.inner, found)


class Ref(Field):
    """An id (or code) of a model instance the user may see, read as the instance.

    ``queryset`` gets the requesting user and answers the rows the reference may point to;
    a missing row and a row outside that set read the same.
    """

    def __init__(
        self,
        key: Field,
        queryset: Callable[[Any], Any],
        *,
        lookup: str = "pk",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.key = key
        self.queryset = queryset
        self.lookup = lookup

    def convert(self, value: Any, path: str, context: Context) -> Any:
        key = self.key.parse(value, path, context)
        found = self.queryset(context.user).filter(**{self.lookup: key}).first()
        if found is None:
            raise Invalid.at(path, _("Nothing with the id %(id)s is open to you.") % {"id": key})
        return found

    def parse_text(self, text: str, path: str, context: Context | None = None) -> Any:
        key = self.key.parse_text(text, path, context)
        return self.parse(key, path, context)

    def base_schema(self) -> dict[str, Any]:
        return self.key.base_schema()


@dataclass(frozen=True)
class Param:
    """A query-string parameter."""

    name: str
    field: Field
    description: str | Promise = ""

    def openapi(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": str(self.description or self.field.description),
            "schema": self.field.json_schema(),
        }


def parse_query(
    params: Iterable[Param], data: Mapping[str, str], context: Context
) -> dict[str, Any]:
    """Read the declared parameters from a query string; empty values count as absent."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for param in params:
        text = data.get(param.name, "")
        if text == "":
            continue
        try:
            values[param.name] = param.field.parse_text(text, param.name, context)
        except Invalid as exc:
            errors.update(exc.fields)
    if errors:
        raise Invalid(errors)
    return values

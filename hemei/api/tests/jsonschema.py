"""A small JSON Schema checker for the subset the OpenAPI document uses (no network, no
third-party validator): $ref, anyOf, type, enum, properties, required,
additionalProperties, items, maxItems, minimum, maximum, minLength, maxLength, pattern,
format date and date-time."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
KNOWN = {
    "$ref", "anyOf", "type", "enum", "properties", "required", "additionalProperties",
    "items", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "format",
    "description", "contentMediaType",
}  # fmt: skip


def resolve(ref: str, document: dict[str, Any]) -> dict[str, Any]:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def validate(
    value: Any, schema: dict[str, Any], document: dict[str, Any], at: str = "$"
) -> list[str]:
    """The problems of ``value`` against ``schema`` (empty when it conforms)."""
    unknown = set(schema) - KNOWN
    if unknown:
        return [f"{at}: schema uses unsupported keywords {sorted(unknown)}"]
    if "$ref" in schema:
        return validate(value, resolve(schema["$ref"], document), document, at)
    if "anyOf" in schema:
        if any(not validate(value, part, document, at) for part in schema["anyOf"]):
            return []
        return [f"{at}: matches none of anyOf"]
    problems: list[str] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[k](value) for k in kinds):
            return [f"{at}: {value!r:.60} is not {kinds}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{at}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{at}: missing {name}")
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                problems += validate(item, properties[name], document, f"{at}.{name}")
            elif extra is False:
                problems.append(f"{at}: unexpected {name}")
            elif isinstance(extra, dict):
                problems += validate(item, extra, document, f"{at}.{name}")
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            problems.append(f"{at}: more than {schema['maxItems']} items")
        for index, item in enumerate(value):
            problems += validate(item, schema.get("items", {}), document, f"{at}[{index}]")
    if TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{at}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{at}: {value} > {schema['maximum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            problems.append(f"{at}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            problems.append(f"{at}: longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{at}: {value!r} does not match {schema['pattern']}")
        if schema.get("format") == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                problems.append(f"{at}: {value!r} is not a date")
        if schema.get("format") == "date-time":
            try:
                dt.datetime.fromisoformat(value)
            except ValueError:
                problems.append(f"{at}: {value!r} is not a date-time")
    return problems

"""Answers and schemas checked with jsonschema_rs, the validator schemathesis uses (JSON
Schema 2020-12, the dialect of OpenAPI 3.1), with date and date-time formats asserted."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def resolve(ref: str, document: dict[str, Any]) -> dict[str, Any]:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def validate(value: Any, schema: dict[str, Any], document: dict[str, Any]) -> list[str]:
    """The problems of ``value`` against ``schema`` (empty when it conforms); the schema's
    ``$ref``s point into the document's components."""
    root = {"$schema": DIALECT, "components": document.get("components", {}), **schema}
    checker = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
    return [f"{error.instance_path}: {error.message}" for error in checker.iter_errors(value)]


def well_formed(schema: dict[str, Any], at: str) -> list[str]:
    """The problems of a schema itself: against the 2020-12 meta-schema, and a required
    name that is not a property (which the meta-schema allows)."""
    if not jsonschema_rs.meta.is_valid({"$schema": DIALECT, **schema}):
        return [f"{at}: not a valid JSON Schema"]
    problems = []
    for name in schema.get("required", []):
        if "properties" in schema and name not in schema["properties"]:
            problems.append(f"{at}: required {name} is not a property")
    for key in ("properties", "$defs"):
        for name, sub in schema.get(key, {}).items():
            problems += well_formed(sub, f"{at}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            problems += well_formed(schema[key], f"{at}.{key}")
    for index, part in enumerate(schema.get("anyOf", [])):
        problems += well_formed(part, f"{at}|{index}")
    return problems

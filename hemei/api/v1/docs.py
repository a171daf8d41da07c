"""The API describing itself: the OpenAPI document and a page for people."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

from ..framework import Call
from ..openapi import document
from .common import api

TAG = "documentation"

openapi_json = api.route("openapi.json", "openapi")
docs_page = api.route("docs/", "docs")


@openapi_json.operation("GET", summary="The OpenAPI 3.1 document", tag=TAG, public=True)
def show_openapi(call: Call) -> Any:
    """This API's description, written from the same declarations that check the input."""
    return document(api)


@docs_page.operation(
    "GET", summary="The API documentation page", tag=TAG, public=True, media_type="text/html"
)
def show_docs(call: Call) -> Any:
    """The OpenAPI document as a page for people."""
    doc = document(api)
    html = render_to_string("api/docs.html", {"doc": doc, **docs_context(doc)}, call.request)
    return HttpResponse(html)


def docs_context(doc: dict[str, Any]) -> dict[str, Any]:
    """The document arranged for the template: operations by tag, schemas as field lists."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ok = next(iter(op["responses"].items()))
            ok_schema = ok[1].get("content", {}).get("application/json", {}).get("schema")
            groups.setdefault(op["tags"][0], []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": op["operationId"],
                    "summary": op["summary"],
                    "description": op["description"],
                    "parameters": [
                        {**p, "type": type_label(p["schema"])} for p in op["parameters"]
                    ],
                    "body": type_label(body["schema"]) if body else "",
                    "multipart": "multipart/form-data"
                    in op.get("requestBody", {}).get("content", {}),
                    "status": ok[0],
                    "response": type_label(ok_schema) if ok_schema else "",
                    "errors": [code for code in op["responses"] if code != ok[0]],
                    "public": not op["security"],
                }
            )
    schemas = [
        {
            "name": name,
            "fields": [
                {
                    "name": field,
                    "type": type_label(spec),
                    "required": field in schema.get("required", []),
                    "description": spec.get("description", ""),
                }
                for field, spec in schema.get("properties", {}).items()
            ],
        }
        for name, schema in doc["components"]["schemas"].items()
    ]
    return {"groups": sorted(groups.items()), "schemas": schemas}


def type_label(schema: dict[str, Any]) -> str:
    """A short human label for a JSON schema: ``Task``, ``array of Milestone``, ``date``."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_label(part) for part in schema["anyOf"])
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        return " | ".join(type_label({**schema, "type": k}) for k in kind)
    if kind == "array":
        return f"array of {type_label(schema.get('items', {}))}"
    if kind == "string" and "format" in schema:
        return schema["format"]
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"] if v is not None)
    return str(kind)

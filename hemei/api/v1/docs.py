"""The API describing itself: the OpenAPI document and a page for people."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy
from ninja import Router

from ..engine import public
from ..openapi import document
from .common import v1

TAG = "documentation"
router = Router(tags=[TAG])


@router.get(
    "openapi.json",
    url_name="openapi",
    summary=gettext_lazy("The OpenAPI 3.1 document"),
    description=gettext_lazy(
        "This API's description, written from the same declarations that check the input."
    ),
)
@public
def show_openapi(request: HttpRequest) -> Any:
    return document(v1)


@router.get(
    "docs/",
    url_name="docs",
    summary=gettext_lazy("The API documentation page"),
    description=gettext_lazy(
        "The OpenAPI document as a page for people, in the interface language."
    ),
    openapi_extra={
        "responses": {
            200: {"description": "OK", "content": {"text/html": {"schema": {"type": "string"}}}}
        }
    },
)
@public
def show_docs(request: HttpRequest) -> Any:
    doc = document(v1, language=get_language())
    info = {
        "title": doc["info"]["title"],
        "version": doc["info"]["version"],
        "description": rich_text(doc["info"]["description"]),
    }
    html = render_to_string(
        "api/docs.html", {"doc": doc, "info": info, **docs_context(doc)}, request
    )
    return HttpResponse(html)


#: the operation groups as the page names them (the tags stay English in the document)
TAG_NAMES = {
    "cases": gettext_lazy("Cases"),
    "catalogues": gettext_lazy("Procedure catalogues"),
    "decisions": gettext_lazy("Decision records (四议两公开)"),
    "disclosure": gettext_lazy("Village-affairs disclosure (村务公开)"),
    "documentation": gettext_lazy("Documentation"),
    "households": gettext_lazy("Household register (户籍)"),
    "leaders": gettext_lazy("Leaders' contact points"),
    "meetings": gettext_lazy("Meetings"),
    "notices": gettext_lazy("Public notices (公示)"),
    "notifications": gettext_lazy("Notifications"),
    "points": gettext_lazy("Governance points (积分制)"),
    "progress": gettext_lazy("Progress reports"),
    "rankings": gettext_lazy("Rankings"),
    "supervision": gettext_lazy("Supervision"),
    "tasks": gettext_lazy("Tasks"),
}
PLACES = {"query": gettext_lazy("query"), "path": gettext_lazy("path")}
_CODE = re.compile(r"``(.+?)``|`([^`]+)`")
_STRONG = re.compile(r"\*\*(.+?)\*\*")


def rich_text(text: str) -> SafeString:
    """A description's light markup as HTML: ``code`` and `code` in <code>, **bold** in
    <strong>, blank lines between paragraphs; everything else escaped, no markup left raw."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        html = str(escape(" ".join(block.split())))
        html = _CODE.sub(lambda m: f"<code>{m.group(1) or m.group(2)}</code>", html)
        html = _STRONG.sub(r"<strong>\1</strong>", html)
        html = re.sub(r"^#+\s*", "", html)
        paragraphs.append(html)
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs if p))


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
                    "description": rich_text(op["description"] or ""),
                    "parameters": [
                        {
                            **p,
                            "type": type_label(p["schema"]),
                            "place": PLACES.get(p["in"], p["in"]),
                            "description": rich_text(p.get("description", "")),
                        }
                        for p in op["parameters"]
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
                    "description": rich_text(spec.get("description", "")),
                }
                for field, spec in schema.get("properties", {}).items()
            ],
        }
        for name, schema in doc["components"]["schemas"].items()
    ]
    return {
        "groups": [(tag, TAG_NAMES.get(tag, tag), ops) for tag, ops in sorted(groups.items())],
        "schemas": schemas,
    }


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
        return gettext("array of %(type)s") % {"type": type_label(schema.get("items", {}))}
    if kind == "string" and "format" in schema:
        return schema["format"]
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"] if v is not None)
    return str(kind)

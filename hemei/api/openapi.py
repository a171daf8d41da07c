"""The OpenAPI 3.1 document of the API: django-ninja writes it from the operations' pydantic
schemas; this module adds what every operation here shares (its errors, its security, an
id named after its URL, the Excel answer of a list that exports) and the texts' language.

The document is English (the message ids): that is what ``/api/v1/openapi.json`` serves to
every caller. The documentation page asks for it in the interface language, and the same
declarations are then written in that language."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI

from hemei.core.xlsx import CONTENT_TYPE as XLSX_TYPE

from .engine import operations

ERROR_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "properties": {"error": {"$ref": "#/components/schemas/ErrorBody"}},
        "required": ["error"],
        "additionalProperties": False,
    },
    "ErrorBody": {
        "type": "object",
        "properties": {
            "code": {
                "type": "string",
                "description": gettext_lazy("A stable code: invalid, bad_json, not_found, …"),
            },
            "message": {
                "type": "string",
                "description": gettext_lazy("What went wrong, for people (Chinese by default)."),
            },
            "fields": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": gettext_lazy("Messages per field path (e.g. milestones.0.due_on)."),
            },
        },
        "required": ["code", "message"],
        "additionalProperties": False,
    },
}
ERRORS = {
    400: (
        "BadRequest",
        gettext_lazy("The input is not valid: bad JSON, a wrong type, an unknown field."),
    ),
    401: ("Unauthorized", gettext_lazy("No credentials, or a token that is unknown or revoked.")),
    403: ("Forbidden", gettext_lazy("No role, no right to this action, or a failed CSRF check.")),
    404: ("NotFound", gettext_lazy("Missing, or outside your area (the same answer).")),
    413: ("PayloadTooLarge", gettext_lazy("The request body is too large.")),
    415: ("UnsupportedMediaType", gettext_lazy("The body is not sent as JSON.")),
}
SECURITY_SCHEMES = {
    "token": {
        "type": "http",
        "scheme": "bearer",
        "description": gettext_lazy("A personal API token (hm_…), created on the API tokens page."),
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": gettext_lazy(
            "The browser session; writes also need the X-CSRFToken header."
        ),
    },
}


def document(api: NinjaAPI, language: str = "en") -> dict[str, Any]:
    """The whole OpenAPI 3.1 document of ``api``, its texts for people in ``language``
    (English unless the documentation page asks for the interface language)."""
    with translation.override(language):
        return _plain(_document(api))


def _document(api: NinjaAPI) -> dict[str, Any]:
    prefix = reverse("api:v1:openapi").removesuffix("openapi.json")
    doc = _plain(api.get_openapi_schema(path_prefix=prefix))
    by_id = {api.get_openapi_operation_id(op): (name, op) for name, _method, op in operations(api)}
    for item in doc["paths"].values():
        for method, op in item.items():
            url_name, operation = by_id[op["operationId"]]
            _complete(op, method, url_name, operation)
    offered = doc.get("components", {}).get("schemas", {})
    wanted, schemas = _refs(doc["paths"]), {}
    while wanted:  # the schemas the operations use (ninja also lists its query models)
        name = wanted.pop()
        if name not in schemas:
            schemas[name] = offered[name]
            wanted |= _refs(offered[name])
    schemas.update(ERROR_SCHEMAS)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": str(api.title),
            "version": api.version,
            "description": str(api.description),
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "tags": [
            {"name": tag}
            for tag in sorted(
                {op["tags"][0] for item in doc["paths"].values() for op in item.values()}
            )
        ],
        "paths": doc["paths"],
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "responses": {
                name: {
                    "description": text,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
                for name, text in ERRORS.values()
            },
            "securitySchemes": SECURITY_SCHEMES,
        },
    }


def _complete(op: dict[str, Any], method: str, url_name: str, operation: Any) -> None:
    """What every operation here says besides what ninja writes."""
    is_public = getattr(operation.view_func, "hemei_public", False)
    sources = {model.__ninja_param_source__ for model in operation.models}
    codes = []
    if sources - {"path"}:
        codes.append(400)
    if not is_public:
        codes += [401, 403, 404]  # 404: a row not found, or not the caller's (the same answer)
    elif "path" in sources:
        codes.append(404)
    if sources & {"body", "form", "file"}:
        codes += [413, 415]
    for code in codes:
        op["responses"][str(code)] = {"$ref": f"#/components/responses/{ERRORS[code][0]}"}
    if any(p["name"] == "format" for p in op.get("parameters", [])):
        success = op["responses"]["200"]
        success.setdefault("content", {})[XLSX_TYPE] = {
            "schema": {"type": "string", "contentMediaType": XLSX_TYPE}
        }
    op["operationId"] = f"{url_name}_{method}"
    op["security"] = [] if is_public else [{"token": []}, {"session": []}]
    op.setdefault("parameters", [])
    op["description"] = str(op.get("description") or "")


def _refs(node: Any) -> set[str]:
    """The names of the component schemas ``node`` refers to."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        own = {ref.rsplit("/", 1)[-1]} if ref.startswith("#/components/schemas/") else set()
        return own.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node))
    return set()


def _plain(value: Any) -> Any:
    """The document with its lazy texts written out in the active language (pydantic keeps
    a field's ``gettext_lazy`` description as it is given)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    return value

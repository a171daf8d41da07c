"""The OpenAPI 3.1 document, written from the routes' declarations (never by hand).

The document is English (the declarations' message ids): that is what
``/api/v1/openapi.json`` serves to every caller. The documentation page asks for it in the
interface language, and the same declarations are then written in that language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from . import schema as s
from .framework import XLSX_TYPE, Api, Operation, Route

ERROR = s.response(
    "Error",
    {
        "error": s.Obj(
            "ErrorBody",
            {
                "code": s.Str(
                    description=gettext_lazy("A stable code: invalid, bad_json, not_found, …")
                ),
                "message": s.Str(
                    description=gettext_lazy("What went wrong, for people (Chinese by default).")
                ),
                "fields": s.Map(
                    s.List(s.Str()),
                    description=gettext_lazy("Messages per field path (e.g. milestones.0.due_on)."),
                ),
            },
            required=["code", "message"],
        )
    },
)
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
PATH_SCHEMAS = {
    "int": {"type": "integer", "minimum": 0},
    "str": {"type": "string"},
    "slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
}


def _errors_of(route: Route, operation: Operation) -> list[int]:
    codes = []
    if operation.params or operation.body is not None:
        codes.append(400)
    if not operation.public:
        codes += [401, 403]
    if route.path_params():
        codes.append(404)
    if operation.body is not None:
        codes += [413, 415]
    return codes


def _operation(route: Route, operation: Operation) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": dict(PATH_SCHEMAS.get(converter, PATH_SCHEMAS["str"])),
        }
        for name, converter in route.path_params()
    ]
    parameters += [param.openapi() for param in operation.params]
    success: dict[str, Any] = {"description": str(operation.summary)}
    if operation.response is not None:
        success["content"] = {"application/json": {"schema": operation.response.json_schema()}}
        if operation.exports:
            success["content"][XLSX_TYPE] = {
                "schema": {"type": "string", "contentMediaType": XLSX_TYPE}
            }
    elif operation.media_type != "application/json":
        success["content"] = {operation.media_type: {"schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(operation.status): success}
    for code in _errors_of(route, operation):
        responses[str(code)] = {"$ref": f"#/components/responses/{ERRORS[code][0]}"}
    item: dict[str, Any] = {
        "operationId": f"{route.name}_{operation.method.lower()}",
        "summary": str(operation.summary),
        "description": str(operation.description),
        "tags": [operation.tag],
        "parameters": parameters,
        "responses": responses,
        "security": [] if operation.public else [{"token": []}, {"session": []}],
    }
    if operation.body is not None:
        content = {"application/json": {"schema": operation.body.json_schema()}}
        if operation.multipart:
            content["multipart/form-data"] = {
                "schema": multipart_schema(operation.body, operation.files)
            }
        item["requestBody"] = {"required": True, "content": content}
    return item


def multipart_schema(body: s.Obj, files: tuple[str, ...] = ("files",)) -> dict[str, Any]:
    """The form version of a body: its fields, plus the file fields."""
    schema = body.inline_schema()
    for name in files:
        schema["properties"][name] = {
            "type": "array",
            "items": {"type": "string", "contentMediaType": "application/octet-stream"},
            "description": gettext(
                "The files sent with the form (the operation says which are accepted)."
            ),
        }
    schema["additionalProperties"] = False
    return schema


def document(api: Api, language: str = "en") -> dict[str, Any]:
    """The whole OpenAPI 3.1 document of ``api``, its texts for people in ``language``
    (English unless the documentation page asks for the interface language)."""
    with translation.override(language):
        return _document(api)


def _document(api: Api) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    named: dict[str, s.Obj] = {}
    for route in api.routes:
        item = paths.setdefault(route.openapi_path(), {})
        for method, operation in route.operations.items():
            item[method.lower()] = _operation(route, operation)
            for field in (operation.body, operation.response):
                if field is not None:
                    s.collect(field, named)
            for param in operation.params:
                s.collect(param.field, named)
    s.collect(ERROR, named)
    tags = sorted({op.tag for route in api.routes for op in route.operations.values()})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": str(api.title),
            "version": api.version,
            "description": str(api.description),
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "tags": [{"name": tag} for tag in tags],
        "paths": paths,
        "components": {
            "schemas": {name: named[name].inline_schema() for name in sorted(named)},
            "responses": {
                name: {
                    "description": str(text),
                    "content": {"application/json": {"schema": ERROR.json_schema()}},
                }
                for name, text in ERRORS.values()
            },
            "securitySchemes": {
                name: {**scheme, "description": str(scheme["description"])}
                for name, scheme in SECURITY_SCHEMES.items()
            },
        },
    }

"""The OpenAPI 3.1 document, written from the routes' declarations (never by hand).

The document is English (the declarations' message ids): that is what
``/api/v1/openapi.json`` serves to every caller. The documentation page asks for it in the
interface language, and the same declarations are then written in that language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from hemei.core.xlsx import CONTENT_TYPE as XLSX_TYPE

from . import schema as s
from .framework import Api, Operation, Route

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
    doc = _declared(api)
    if api.ninja is not None:
        _join_ninja(doc, api.ninja, api.prefix)
    doc["tags"] = [
        {"name": tag}
        for tag in sorted({op["tags"][0] for item in doc["paths"].values() for op in item.values()})
    ]
    return doc


def _join_ninja(doc: dict[str, Any], ninja: Any, prefix: str) -> None:
    """Add the operations of the django-ninja API, with what every operation here says:
    its errors, its security and an id named after its URL."""
    theirs = _plain(ninja.get_openapi_schema(path_prefix=prefix))
    schemas = doc["components"]["schemas"]
    offered = theirs.get("components", {}).get("schemas", {})
    wanted = _refs(theirs["paths"])
    while wanted:  # the schemas the operations use (ninja also lists its query models)
        name = wanted.pop()
        if name in schemas:
            if schemas[name] is not offered[name] and not _same_shape(schemas[name], offered[name]):
                raise ValueError(f"two schemas are named {name}")
            continue
        schemas[name] = offered[name]
        wanted |= _refs(offered[name])
    names = {}
    for path_view in _path_views(ninja):
        for operation in path_view.operations:
            names[id(operation.view_func)] = (path_view.url_name, operation)
    for url, item in theirs["paths"].items():
        for method, op in item.items():
            url_name, operation = _by_operation_id(ninja, op["operationId"], names)
            is_public = getattr(operation.view_func, "hemei_public", False)
            sources = {model.__ninja_param_source__ for model in operation.models}
            codes = []
            if sources - {"path"}:
                codes.append(400)
            if not is_public:
                codes += [401, 403]
            if "path" in sources or not is_public:
                codes.append(404)  # a row not found, or not the caller's (the same answer)
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
        doc["paths"][url] = item


def _same_shape(declared: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Whether a shape both frameworks declare (``DivisionRef`` while the modules move one
    by one) has the same fields, all required, on both sides: the declared one is kept."""
    return (
        set(declared.get("properties", {})) == set(theirs.get("properties", {}))
        and set(declared.get("required", [])) == set(theirs.get("required", []))
        and not any("$ref" in str(field) for field in declared.get("properties", {}).values())
    )


def _refs(node: Any) -> set[str]:
    """The names of the component schemas ``node`` refers to."""
    if isinstance(node, dict):
        own = {node["$ref"].rsplit("/", 1)[-1]} if "$ref" in node else set()
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


def _path_views(ninja: Any) -> list[Any]:
    return [view for bound in ninja._get_bound_routers() for view in bound.path_operations.values()]


def _by_operation_id(ninja: Any, operation_id: str, names: dict[int, Any]) -> tuple[str, Any]:
    for url_name, operation in names.values():
        if ninja.get_openapi_operation_id(operation) == operation_id:
            return url_name, operation
    raise LookupError(operation_id)


def _declared(api: Api) -> dict[str, Any]:
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

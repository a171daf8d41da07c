"""The small layer every endpoint stands on: routes, authentication, input, errors, paging.

An endpoint is a plain function declared on a :class:`Route` with what it reads and
answers::

    tasks = api.route("tasks/", "task_list")

    @tasks.operation("GET", summary=gettext_lazy("List tasks"),
                     description=gettext_lazy("Tasks in your area, soonest deadline first."),
                     tag="tasks", query=FILTERS, response=TASK, paged=True)
    def list_tasks(call: Call) -> Any:
        return call.page(Task.objects.visible_to(call.user).for_list(), task_summary)

Every text for people in a declaration (summary, description, a field's or a parameter's
description) is a ``gettext_lazy`` message: the OpenAPI document is written in English, the
documentation page in the interface language (:func:`hemei.api.openapi.document`).

The route's view answers 405 for an undeclared method, authenticates the caller (a
personal token in ``Authorization: Bearer …``, or the browser session with its CSRF
token on writes), refuses accounts without a role (403), reads and checks the query string
and the JSON body against the declarations (400 with a message per field), and maps the
services' exceptions to JSON errors: ``ValidationError`` 400, ``PermissionDenied`` 403,
``Http404`` 404, anything unexpected a logged JSON 500. The OpenAPI document
(:mod:`hemei.api.openapi`) is written from the same declarations.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.core.signals import got_request_exception
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import URLPattern, path, re_path
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from hemei.accounts.policy import holds_any, holds_role, may
from hemei.core.forms import MAX_PK

from . import schema as s
from .services import authenticate_key

logger = logging.getLogger("django.request")

#: The largest JSON body an endpoint reads.
MAX_JSON_BYTES = 1024 * 1024
#: The largest multipart body (evidence uploads).
MAX_UPLOAD_BYTES = 30 * 1024 * 1024
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

PAGING = (
    s.Param("page", s.Int(minimum=1), gettext_lazy("Page number, from 1.")),
    s.Param(
        "page_size",
        s.Int(minimum=1),
        format_lazy(
            gettext_lazy("Rows per page (default {default}; larger than {largest} is capped)."),
            default=DEFAULT_PAGE_SIZE,
            largest=MAX_PAGE_SIZE,
        ),
    ),
)

#: ``?format=xlsx`` on a list that exports: the whole filtered list as a workbook.
EXPORT = s.Param(
    "format",
    s.Choice([("json", "JSON"), ("xlsx", "Excel")]),
    gettext_lazy(
        "xlsx: the whole filtered list (every page, the list page's columns) as an Excel "
        "workbook instead of one page of JSON."
    ),
)

#: One column of an export: its header and how a row gives its value (as on the pages).
Column = tuple[str, Callable[[Any], Any]]


class ApiError(Exception):
    """An answer other than success: status, a stable code, a message for people."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        reply = _json({"error": body}, self.status)
        for name, value in self.headers.items():
            reply[name] = value
        return reply


def _json(data: Any, status: int = 200) -> JsonResponse:
    reply = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    reply["Cache-Control"] = "private, no-store"
    return reply


def invalid(fields: dict[str, list[str]]) -> ApiError:
    return ApiError(400, "invalid", _("The data sent is not valid."), fields)


def from_validation_error(exc: ValidationError) -> ApiError:
    """A service's ``ValidationError`` as a 400: per-field messages where it names fields."""
    if hasattr(exc, "error_dict"):
        fields = {
            ("body" if name == NON_FIELD_ERRORS else name): [str(m) for m in messages]
            for name, messages in exc.message_dict.items()
        }
        general = fields.get("body")
        message = general[0] if general else _("The data sent is not valid.")
        return ApiError(400, "invalid", message, fields)
    messages = [str(m) for m in exc.messages]
    return ApiError(400, "invalid", " ".join(messages) or _("The data sent is not valid."))


class Reply:
    """A result with a status other than the operation's default (e.g. 200 on a no-op)."""

    def __init__(self, data: Any, status: int) -> None:
        self.data = data
        self.status = status


@dataclass
class Call:
    """One request as an endpoint sees it: who asks, and the checked query and body."""

    request: HttpRequest
    user: Any
    query: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def files(self) -> Any:
        return self.request.FILES

    def page(
        self,
        queryset: Any,
        serialize: Callable[[Any], Any],
        prepare: Callable[[list[Any]], None] | None = None,
    ) -> dict[str, Any]:
        """One page of ``queryset``: a count query and one query (plus its prefetches);
        ``prepare`` may read what the page's rows need in a fixed number of queries."""
        number = self.query.get("page", 1)
        size = min(self.query.get("page_size", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
        count = queryset.count()
        pages = max(1, -(-count // size))
        start = (number - 1) * size
        rows = list(queryset[start : start + size]) if start < count else []
        if prepare is not None:
            prepare(rows)

        def link(to: int) -> str | None:
            if to < 1 or to > pages:
                return None
            params = self.request.GET.copy()
            params["page"] = str(to)
            params["page_size"] = str(size)
            return f"{self.request.path}?{urlencode(sorted(params.items()))}"

        return {
            "count": count,
            "page": number,
            "page_size": size,
            "pages": pages,
            "next": link(number + 1),
            "previous": link(number - 1) if number - 1 <= pages else link(pages),
            "results": [serialize(row) for row in rows],
        }

    @property
    def wants_export(self) -> bool:
        return self.query.get("format") == "xlsx"

    def export(
        self, rows: Any, *, filename: str, title: str, columns: Sequence[Column]
    ) -> HttpResponseBase:
        """The filtered ``rows`` as an .xlsx download (:func:`hemei.api.engine.export`)."""
        from .engine import export

        return export(rows, filename=filename, title=title, columns=columns)


_PAGES: dict[str, s.Obj] = {}


def page_schema(item: s.Obj) -> s.Obj:
    """The page object of ``item`` rows (one per item type, shared by its lists)."""
    name = f"{item.name}Page"
    if name not in _PAGES:
        _PAGES[name] = _page_schema(item)
    return _PAGES[name]


def _page_schema(item: s.Obj) -> s.Obj:
    return s.response(
        f"{item.name}Page",
        {
            "count": s.Int(minimum=0, description=gettext_lazy("Rows matching the filters.")),
            "page": s.Int(minimum=1),
            "page_size": s.Int(minimum=1, maximum=MAX_PAGE_SIZE),
            "pages": s.Int(minimum=1),
            "next": s.Str(nullable=True, description=gettext_lazy("URL of the next page.")),
            "previous": s.Str(nullable=True, description=gettext_lazy("URL of the previous page.")),
            "results": s.List(item, max_items=MAX_PAGE_SIZE),
        },
    )


@dataclass
class Operation:
    method: str
    handler: Callable[..., Any]
    summary: str | Promise
    description: str | Promise
    tag: str
    query: Sequence[s.Param]
    body: s.Obj | None
    response: s.Field | None
    status: int
    public: bool
    paged: bool
    multipart: bool
    media_type: str
    exports: bool = False
    #: the multipart form's file fields
    files: tuple[str, ...] = ("files",)

    @property
    def params(self) -> list[s.Param]:
        return [*self.query, *(PAGING if self.paged else ()), *((EXPORT,) if self.exports else ())]


class Route:
    """One URL with the operations (methods) it answers."""

    def __init__(self, api: Api, pattern: str, name: str) -> None:
        self.api = api
        self.pattern = pattern
        self.name = name
        self.operations: dict[str, Operation] = {}

    def operation(
        self,
        method: str,
        *,
        summary: str | Promise,
        description: str | Promise,
        tag: str,
        query: Iterable[s.Param] = (),
        body: s.Obj | None = None,
        response: s.Field | None = None,
        status: int = 200,
        public: bool = False,
        paged: bool = False,
        multipart: bool = False,
        media_type: str = "application/json",
        exports: bool = False,
        files: Sequence[str] = ("files",),
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        method = method.upper()
        if paged and not isinstance(response, s.Obj):
            raise TypeError("a paged operation answers a list of one object type")

        def register(handler: Callable[..., Any]) -> Callable[..., Any]:
            if method in self.operations:
                raise ValueError(f"{method} {self.pattern} declared twice")
            self.operations[method] = Operation(
                method=method,
                handler=handler,
                summary=summary,
                description=description,
                tag=tag,
                query=tuple(query),
                body=body,
                response=page_schema(response) if paged else response,  # type: ignore[arg-type]
                status=status,
                public=public,
                paged=paged,
                multipart=multipart,
                media_type=media_type,
                exports=exports,
                files=tuple(files),
            )
            return handler

        return register

    # The view ------------------------------------------------------------------------------
    def view(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        method = request.method or ""
        if method == "HEAD":  # a GET whose body the server leaves out
            method = "GET"
        operation = self.operations.get(method)
        if operation is None:
            allowed = ", ".join(sorted(self.operations))
            return ApiError(
                405,
                "method_not_allowed",
                _("%(method)s is not allowed here; use %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
                headers={"Allow": allowed},
            ).response()
        # an id above MAX_PK cannot exist (and some databases refuse to compare with it)
        if any(isinstance(v, int) and v > MAX_PK for v in kwargs.values()):
            return not_found().response()
        try:
            return self._run(operation, request, kwargs)
        except ApiError as exc:
            return exc.response()
        except s.Invalid as exc:
            return invalid(exc.fields).response()
        except ValidationError as exc:
            return from_validation_error(exc).response()
        except PermissionDenied as exc:
            message = str(exc) or _("You may not do this.")
            return ApiError(403, "forbidden", message).response()
        except (Http404, ObjectDoesNotExist):
            return not_found().response()
        except RequestDataTooBig:
            return too_large().response()
        except (MultiPartParserError, SuspiciousOperation, UnicodeDecodeError):
            return ApiError(400, "bad_request", _("The request cannot be read.")).response()
        except Exception:
            # A fault of ours: logged and signalled as Django does for a 500 (so the admins
            # hear of it), answered in JSON like every other error of the API.
            logger.error(
                "Internal Server Error: %s",
                request.path,
                exc_info=True,
                extra={"status_code": 500, "request": request},
            )
            got_request_exception.send(sender=None, request=request)
            return ApiError(
                500,
                "server_error",
                _("Something went wrong on the server; it has been logged. Try again later."),
            ).response()

    def _run(self, operation: Operation, request: HttpRequest, kwargs: dict[str, Any]) -> Any:
        user = request.user if operation.public else authenticate(request)
        if not operation.public and not holds_role(user):
            raise ApiError(
                403, "no_role", _("Your account holds no role yet; ask your administrator.")
            )
        roles = self.api.gate_roles.get(operation.tag)
        if not operation.public and not (
            may(user, "view", self.api.gates[operation.tag])
            and (roles is None or holds_any(user, roles))
        ):
            raise ApiError(403, "forbidden", _("Your role does not open this part of the API."))
        context = s.Context(user=user)
        call = Call(request=request, user=user)
        call.query = s.parse_query(operation.params, request.GET, context)
        if operation.body is not None:
            if operation.multipart and request.content_type == "multipart/form-data":
                check_length(request, MAX_UPLOAD_BYTES)
                call.body = operation.body.parse_form_data(request.POST, context)
            else:
                call.body = operation.body.parse(read_body(request, operation), "", context)
        if operation.method == "GET":
            result = operation.handler(call, **kwargs)
        else:
            with transaction.atomic():
                result = operation.handler(call, **kwargs)
        if isinstance(result, HttpResponseBase):
            return result
        if isinstance(result, Reply):
            return _json(result.data, result.status)
        return _json(result, operation.status)

    def openapi_path(self) -> str:
        return self.api.prefix + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.pattern)

    def path_params(self) -> list[tuple[str, str]]:
        """``(name, converter)`` of each path parameter."""
        return [
            (name, converter or "str")
            for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", self.pattern)
        ]


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Not found, or not open to you."))


def too_large() -> ApiError:
    return ApiError(413, "too_large", _("The request body is too large."))


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request: HttpRequest, reason: str) -> Any:
        return reason


def authenticate(request: HttpRequest) -> Any:
    """The caller: a token's owner, or the signed-in session user (CSRF-checked on writes)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, key = header.strip().partition(" ")
        token = authenticate_key(key.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise ApiError(
                401,
                "invalid_token",
                _("The token is unknown or revoked."),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        if getattr(token, "locked", False):
            raise ApiError(
                401,
                "account_locked",
                _("The account is locked after too many failed logins; try again later."),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        request.user = token.user
        return token.user
    user = request.user
    if not user.is_authenticated:
        raise ApiError(
            401,
            "not_authenticated",
            _("Sign in, or send a personal token in the Authorization header."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
        check = _CsrfCheck(lambda request: HttpResponse())
        check.process_request(request)
        reason = check.process_view(request, None, (), {})  # type: ignore[arg-type]
        if reason:
            raise ApiError(
                403,
                "csrf_failed",
                _("The CSRF check failed (%(reason)s); send the X-CSRFToken header.")
                % {"reason": reason},
            )
    return user


def check_length(request: HttpRequest, limit: int) -> int:
    """The declared body length; 413 above ``limit``."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(400, "bad_request", _("The request cannot be read.")) from None
    if length > limit:
        raise too_large()
    return length


def read_body(request: HttpRequest, operation: Operation) -> Any:
    """The request body as JSON."""
    content_type = request.content_type or ""
    limit = MAX_JSON_BYTES
    length = check_length(request, limit)
    if length == 0:
        if operation.body is not None and not operation.body.required:
            return {}  # no body for an operation whose fields are all optional
        raise ApiError(400, "bad_json", _("The body is empty; send a JSON object."))
    if content_type != "application/json":
        accepted = "application/json" + (", multipart/form-data" if operation.multipart else "")
        raise ApiError(
            415,
            "unsupported_media_type",
            _("Send the body as %(types)s.") % {"types": accepted},
        )
    raw = request.body
    if len(raw) > limit:
        raise too_large()
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "bad_json", _("The body is not valid JSON (UTF-8 encoded).")) from None


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other URL under the API: a JSON 404, not the site's HTML page."""
    return not_found().response()


class Api:
    """A versioned API: its routes, their URL patterns and its OpenAPI description."""

    def __init__(
        self,
        *,
        title: str | Promise,
        version: str,
        prefix: str,
        description: str | Promise = "",
        ninja: Any = None,
    ) -> None:
        self.title = title
        #: the django-ninja API the moved modules are on (its operations join the document)
        self.ninja = ninja
        self.version = version
        self.prefix = prefix
        self.description = description
        self.routes: list[Route] = []
        #: per tag, the model whose ``view`` the policy must open before any operation runs
        self.gates: dict[str, type[Any]] = {}
        #: per tag, the roles one of which the caller must hold besides (default: any role)
        self.gate_roles: dict[str, frozenset[str]] = {}

    def gate(self, tag: str, model: type[Any], roles: frozenset[str] | None = None) -> None:
        """Operations of ``tag`` answer 403 unless the policy opens ``model`` to the caller
        and, with ``roles``, the caller holds one of them (a villager reads their own
        household's cases on the pages, but the API is the work loop's)."""
        self.gates[tag] = model
        if roles is not None:
            self.gate_roles[tag] = roles

    def route(self, pattern: str, name: str) -> Route:
        route = Route(self, pattern, name)
        self.routes.append(route)
        return route

    def urls(self) -> list[URLPattern]:
        """The routes' patterns, then a JSON 404 for every other path below them."""
        patterns = [path(r.pattern, csrf_exempt(r.view), name=r.name) for r in self.routes]
        return [*patterns, re_path(r"^(?P<rest>.*)$", csrf_exempt(unknown_path))]

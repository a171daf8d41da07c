"""The API on django-ninja: routing, input checking and the OpenAPI text are ninja's and
pydantic's; this module adds what Hemei asks of every operation.

An endpoint module declares pydantic schemas and ninja operations on a router of its own::

    router = Router(tags=["notifications"])
    v1.gate("notifications", Notification)

    @router.get("notifications/", response=page_of(NotificationOut), url_name="notification_list",
                summary=gettext_lazy("List your notifications"), description=...)
    def list_notifications(request, filters: Query[Filters], paging: Query[Paging]):
        return paginate(request, paging, Notification.objects.for_user(request.user), item)

Before ninja reads any input, :meth:`HemeiNinja.guard` authenticates the caller (a personal
token in ``Authorization: Bearer …``, or the browser session with its CSRF token on writes),
refuses accounts without a role (403) and roles the tag's gate does not open (403), and
refuses bodies that are too large (413) or not JSON (415). A write runs in one transaction
that is rolled back when it answers an error. Every error is the same JSON as before the
move: ``{"error": {"code", "message", "fields"}}``, its messages in the interface language
(pydantic's English messages are replaced by ours, per error type). :func:`urls` wraps the
views so that HEAD answers like GET, an undeclared method is a JSON 405 and an id no row can
have is a 404.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ImproperlyConfigured,
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
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    create_model,
)

from hemei.accounts.policy import holds_any, holds_role, may
from hemei.core.downloads import download, stamped
from hemei.core.forms import MAX_PK
from hemei.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from hemei.core.xlsx import render_xlsx

from .services import authenticate_key

logger = logging.getLogger("django.request")

#: JSON's integers are exact up to here in every client.
MAX_SAFE_INTEGER = 2**53 - 1

# Errors, authentication, limits -----------------------------------------------------------

#: The largest JSON body an endpoint reads.
MAX_JSON_BYTES = 1024 * 1024
#: The largest multipart body (evidence uploads).
MAX_UPLOAD_BYTES = 30 * 1024 * 1024
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

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
        reply = _json_reply({"error": body}, self.status)
        for name, value in self.headers.items():
            reply[name] = value
        return reply


def _json_reply(data: Any, status: int = 200) -> JsonResponse:
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


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other URL under the API: a JSON 404, not the site's HTML page."""
    return not_found().response()


#: A row's id in a body: a JSON integer (never the text "1"), from 1 to the largest integer
#: every JSON client reads exactly.
Id = Annotated[StrictInt, Field(ge=1, le=MAX_SAFE_INTEGER)]
#: true or false in a body (never "yes").
Flag = StrictBool


def visible(
    key: Any, queryset: Callable[[Any], Any], *, lookup: str = "pk", description: Any = ""
) -> Any:
    """A field holding an id (or code) of a row the caller may see, read as the row.

    ``queryset`` gets the caller and answers the rows the reference may point to; a missing
    row and a row outside that set read the same (400, naming the field)::

        unit: visible(Id, reachable_units, description=gettext_lazy("A unit's id."))
    """

    def find(value: Any, info: ValidationInfo) -> Any:
        user = info.context["request"].user
        found = queryset(user).filter(**{lookup: value}).first()
        if found is None:
            raise ValueError(_("Nothing with the id %(id)s is open to you.") % {"id": value})
        return found

    return Annotated[key, AfterValidator(find), Field(description=description)]


class Input(Schema):
    """A request body: unknown fields are refused (a misspelt field must not be silently
    ignored) and text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Paging(Schema):
    page: int = Field(1, ge=1, description=gettext_lazy("Page number, from 1."))
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        description=format_lazy(
            gettext_lazy("Rows per page (default {default}; larger than {largest} is capped)."),
            default=DEFAULT_PAGE_SIZE,
            largest=MAX_PAGE_SIZE,
        ),
    )


@cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The page object of ``item`` rows (one per item type, named ``<Item>Page``)."""
    return create_model(  # type: ignore[call-overload,no-any-return]
        f"{item.__name__}Page",
        __base__=Schema,
        count=(int, Field(ge=0, description=gettext_lazy("Rows matching the filters."))),
        page=(int, Field(ge=1)),
        page_size=(int, Field(ge=1, le=MAX_PAGE_SIZE)),
        pages=(int, Field(ge=1)),
        next=(str | None, Field(description=gettext_lazy("URL of the next page."))),
        previous=(str | None, Field(description=gettext_lazy("URL of the previous page."))),
        results=(list[item], Field(max_length=MAX_PAGE_SIZE)),  # type: ignore[valid-type]
    )


def paginate(
    request: HttpRequest,
    paging: Paging,
    queryset: Any,
    serialize: Callable[[Any], Any],
    prepare: Callable[[list[Any]], None] | None = None,
) -> dict[str, Any]:
    """One page of ``queryset``: a count query and one query (plus its prefetches);
    ``prepare`` may read what the page's rows need in a fixed number of queries."""
    size = min(paging.page_size, MAX_PAGE_SIZE)
    count = queryset.count()
    pages = max(1, -(-count // size))
    start = (paging.page - 1) * size
    rows = list(queryset[start : start + size]) if start < count else []
    if prepare is not None:
        prepare(rows)

    def link(to: int) -> str | None:
        if to < 1 or to > pages:
            return None
        params = request.GET.copy()
        params["page"] = str(to)
        params["page_size"] = str(size)
        return f"{request.path}?{urlencode(sorted(params.items()))}"

    return {
        "count": count,
        "page": paging.page,
        "page_size": size,
        "pages": pages,
        "next": link(paging.page + 1),
        "previous": link(paging.page - 1) if paging.page - 1 <= pages else link(pages),
        "results": [serialize(row) for row in rows],
    }


class Export(Schema):
    format: Literal["json", "xlsx"] | None = Field(
        None,
        description=gettext_lazy(
            "xlsx: the whole filtered list (every page, the list page's columns) as an Excel "
            "workbook instead of one page of JSON."
        ),
    )


def export(rows: Any, *, filename: str, title: str, columns: Sequence[Column]) -> HttpResponseBase:
    """The filtered ``rows`` (a queryset or a list) as an .xlsx download with the list
    page's columns; a 400 above ``EXPORT_MAX_ROWS`` rows (narrow the filters first)."""
    limit = settings.EXPORT_MAX_ROWS
    count = len(rows) if isinstance(rows, list) else rows.count()
    if count > limit:
        raise ApiError(
            400,
            "too_many_rows",
            _("The list has more than %(limit)s rows; narrow it with the filters first.")
            % {"limit": limit},
        )
    items = rows if isinstance(rows, list) else rows.iterator(chunk_size=2000)
    data = render_xlsx(
        title=title,
        headers=[header for header, _value in columns],
        rows=([value(item) for _header, value in columns] for item in items),
    )
    reply = download(data, filename=stamped(f"{filename}.xlsx"), content_type=XLSX_TYPE)
    reply["Cache-Control"] = "private, no-store"
    return reply


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """An operation anyone may call, signed in or not (the API's own description)."""
    view.hemei_public = True  # type: ignore[attr-defined]
    return view


class QueryParser(Parser):
    """Reads a query string as the forms do: an empty value counts as absent
    (``?village=&q=田`` filters by ``q`` alone)."""

    def parse_querydict(
        self, data: MultiValueDict[str, str], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key in data:
            if key in list_fields:
                items = [item for item in data.getlist(key) if item != ""]
                if items:
                    values[key] = items
            elif data[key] != "":
                values[key] = data[key]
        return values


class JsonRenderer(BaseRenderer):
    """JSON with Chinese as Chinese, never cached by a shared cache."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


# Messages per pydantic error type ----------------------------------------------------------


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Expected a whole number.")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"):
        return _("Expected a number.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Expected true or false.")
    if kind in ("string_type", "string_unicode"):
        return _("Expected a string.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Expected a list.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Expected a JSON object.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Use a number of at least %(min)s.") % {"min": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Use a number of at most %(max)s.") % {"max": ctx.get("le", ctx.get("lt"))}
    if kind == "string_too_long":
        return _("Use at most %(count)d characters.") % {"count": ctx["max_length"]}
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("This field may not be blank.")
        return _("Use at least %(count)d characters.") % {"count": ctx["min_length"]}
    if kind == "too_long":
        return _("At most %(count)d items.") % {"count": ctx["max_length"]}
    if kind in ("literal_error", "enum"):
        values = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return _("Choose one of: %(values)s.") % {"values": ", ".join(values)}
    if kind.startswith("date") and "time" not in kind:
        return _("Enter a date as YYYY-MM-DD.")
    if kind.startswith("datetime"):
        return _("Enter a date and time in ISO 8601.")
    if kind == "decimal_max_places":
        return _("Use at most %(places)d decimal places.") % {"places": ctx["decimal_places"]}
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return _("The value is not in the expected form.")


def _field_path(location: Sequence[Any]) -> str:
    """``("body", "payload", "ids", 0)`` → ``ids.0``; ``("query", "unread")`` → ``unread``."""
    source, *rest = location
    if source in ("body", "form", "file") and rest:
        rest = rest[1:] if len(rest) > 1 or source == "body" else rest
    return ".".join(str(part) for part in rest) or "body"


def from_ninja_errors(errors: list[dict[str, Any]]) -> ApiError:
    if any(e["type"] == "missing" and len(e["loc"]) == 2 and e["loc"][0] == "body" for e in errors):
        return ApiError(400, "bad_json", _("The body is empty; send a JSON object."))
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_path(error["loc"]), []).append(_message(error))
    return invalid(fields)


# The API -------------------------------------------------------------------------------------


class HemeiNinja(NinjaAPI):
    """The ninja API of one version, with Hemei's checks, errors and OpenAPI additions."""

    def __init__(self, *, title: str | Promise, version: str, description: str | Promise) -> None:
        super().__init__(
            title=title,  # type: ignore[arg-type]
            version=version,
            description=description,  # type: ignore[arg-type]
            docs_url=None,
            openapi_url=None,
            renderer=JsonRenderer(),
            parser=QueryParser(),
            urls_namespace="v1",
        )
        #: per tag, the model whose ``view`` the policy must open before any operation runs
        self.gates: dict[str, type[Any]] = {}
        #: per tag, the roles one of which the caller must hold besides (default: any role)
        self.gate_roles: dict[str, frozenset[str]] = {}
        self.add_decorator(self.guard, mode="view")
        for kind, handler in _HANDLERS.items():
            self.add_exception_handler(kind, handler)  # type: ignore[arg-type]

    def gate(self, tag: str, model: type[Any], roles: frozenset[str] | None = None) -> None:
        """Operations of ``tag`` answer 403 unless the policy opens ``model`` to the caller
        and, with ``roles``, the caller holds one of them."""
        self.gates[tag] = model
        if roles is not None:
            self.gate_roles[tag] = roles

    def guard(self, run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        """Wraps one operation: who may call it, what body it takes, its transaction."""
        operation = run.__self__  # type: ignore[attr-defined]
        is_public = getattr(operation.view_func, "hemei_public", False)
        tag = (operation.tags or [""])[0]
        sources = {model.__ninja_param_source__ for model in operation.models}
        takes_json = "body" in sources
        takes_form = bool(sources & {"form", "file"})
        if not is_public and tag not in self.gates:
            raise ImproperlyConfigured(f"{operation.path}: the tag {tag!r} has no gate")

        def checked(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            try:
                if not is_public:
                    self._admit(request, tag)
                if request.method not in ("GET", "HEAD"):
                    _check_body(request, takes_json, takes_form)
            except ApiError as exc:
                return exc.response()
            if request.method in ("GET", "HEAD"):
                return run(request, **kwargs)
            with transaction.atomic():
                response = run(request, **kwargs)
                if response.status_code >= 400:
                    transaction.set_rollback(True)
            return response

        return checked

    def _admit(self, request: HttpRequest, tag: str) -> None:
        user = authenticate(request)
        if not holds_role(user):
            raise ApiError(
                403, "no_role", _("Your account holds no role yet; ask your administrator.")
            )
        roles = self.gate_roles.get(tag)
        opened = may(user, "view", self.gates[tag])
        if not opened or (roles is not None and not holds_any(user, roles)):
            raise ApiError(403, "forbidden", _("Your role does not open this part of the API."))

    def get_content_type(self) -> str:
        # JSON is UTF-8 by definition (RFC 8259): no charset parameter, as the errors and
        # the answers of the first framework
        return JsonRenderer.media_type

    def create_response(self, request: HttpRequest, data: Any, **kwargs: Any) -> Any:
        response = super().create_response(request, data, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


def _check_body(request: HttpRequest, takes_json: bool, takes_form: bool) -> None:
    content_type = request.content_type or ""
    if takes_form and content_type == "multipart/form-data":
        check_length(request, MAX_UPLOAD_BYTES)
        return
    length = check_length(request, MAX_JSON_BYTES)
    if length == 0 or not (takes_json or takes_form):
        return
    if content_type != "application/json":
        accepted = "application/json" + (", multipart/form-data" if takes_form else "")
        raise ApiError(
            415, "unsupported_media_type", _("Send the body as %(types)s.") % {"types": accepted}
        )
    try:
        json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "bad_json", _("The body is not valid JSON (UTF-8 encoded).")) from None


# Errors as JSON -------------------------------------------------------------------------------


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponseBase:
    return exc.response()


def _ninja_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponseBase:
    return from_ninja_errors(exc.errors).response()


def _django_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponseBase:
    return from_validation_error(exc).response()


def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponseBase:
    return ApiError(403, "forbidden", str(exc) or _("You may not do this.")).response()


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponseBase:
    return not_found().response()


def _too_large(request: HttpRequest, exc: Exception) -> HttpResponseBase:
    return too_large().response()


def _unreadable(request: HttpRequest, exc: Exception) -> HttpResponseBase:
    return ApiError(400, "bad_request", _("The request cannot be read.")).response()


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponseBase:
    if exc.status_code == 400:  # ninja could not parse the body
        return ApiError(
            400, "bad_json", _("The body is not valid JSON (UTF-8 encoded).")
        ).response()
    return ApiError(exc.status_code, "error", str(exc)).response()


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponseBase:
    # A fault of ours: logged and signalled as Django does for a 500 (so the admins hear of
    # it), answered in JSON like every other error of the API.
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    got_request_exception.send(sender=None, request=request)
    return ApiError(
        500,
        "server_error",
        _("Something went wrong on the server; it has been logged. Try again later."),
    ).response()


_HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponseBase]] = {
    ApiError: _api_error,
    NinjaValidationError: _ninja_invalid,
    ValidationError: _django_invalid,
    PermissionDenied: _forbidden,
    Http404: _not_found,
    ObjectDoesNotExist: _not_found,
    RequestDataTooBig: _too_large,
    MultiPartParserError: _unreadable,
    SuspiciousOperation: _unreadable,
    UnicodeDecodeError: _unreadable,
    HttpError: _http_error,
    Exception: _server_error,
}

# URLs ------------------------------------------------------------------------------------------


def operations(api: NinjaAPI) -> list[tuple[str, str, Any]]:
    """``(url name, method, operation)`` of every operation of ``api``."""
    return [
        (path_view.url_name, method, operation)
        for bound in api._get_bound_routers()
        for path_view in bound.path_operations.values()
        for operation in path_view.operations
        for method in operation.methods
    ]


def urls(api: HemeiNinja) -> list[URLPattern]:
    """The API's URL patterns, each view wrapped for HEAD, 405 and impossible ids, then a
    JSON 404 for every other path below them."""
    patterns: list[URLPattern | URLResolver] = api.urls[0]
    wrapped = []
    for pattern in patterns:
        assert isinstance(pattern, URLPattern), pattern
        if pattern.name == "api-root":  # ninja's page of nothing: the JSON 404 answers there
            continue
        wrapped.append(path(str(pattern.pattern), _wrap(pattern.callback), name=pattern.name))
    return [*wrapped, re_path(r"^(?P<rest>.*)$", csrf_exempt(unknown_path))]


def _wrap(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    def answer(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        # an id above MAX_PK cannot exist (and some databases refuse to compare with it)
        if any(isinstance(v, int) and v > MAX_PK for v in kwargs.values()):
            return not_found().response()
        head = request.method == "HEAD"
        if head:  # a GET whose body the server leaves out
            request.method = "GET"
        response = view(request, **kwargs)
        if head:
            request.method = "HEAD"
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = ", ".join(sorted(m.strip() for m in response["Allow"].split(",")))
            return ApiError(
                405,
                "method_not_allowed",
                _("%(method)s is not allowed here; use %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
                headers={"Allow": allowed},
            ).response()
        return response

    answer.csrf_exempt = True  # type: ignore[attr-defined]
    return answer

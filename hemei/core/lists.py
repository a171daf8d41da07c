"""What every list page shares: paging, and the Excel export of the same filtered rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .downloads import download, stamped
from .xlsx import CONTENT_TYPE as XLSX_TYPE
from .xlsx import render_xlsx


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int | None = None) -> Page:
    """The requested page; a page number out of range or not a number gives the nearest."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


#: One column of an export: its header and how a row gives its value, declared together.
Column = tuple[str, Callable[[Any], Any]]


def xlsx_response(
    *,
    filename: str,
    title: str,
    columns: Sequence[Column],
    queryset: QuerySet[Any],
) -> HttpResponse:
    """The filtered list as an .xlsx download (at most EXPORT_MAX_ROWS rows)."""
    limit = settings.EXPORT_MAX_ROWS
    if queryset.count() > limit:
        return HttpResponse(
            _("The list has more than %(limit)s rows; narrow it with the filters first.")
            % {"limit": limit},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = render_xlsx(
        title=title,
        headers=[header for header, _value in columns],
        rows=(
            [value(item) for _header, value in columns]
            for item in queryset.iterator(chunk_size=2000)
        ),
    )
    return download(data, filename=stamped(f"{filename}.xlsx"), content_type=XLSX_TYPE)

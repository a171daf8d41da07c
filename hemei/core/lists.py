"""What every list page shares: paging, and the Excel export of the same filtered rows."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .downloads import download, stamped
from .xlsx import CONTENT_TYPE as XLSX_TYPE
from .xlsx import render_xlsx

#: How long the figures of an area wider than a county are kept (seconds): counting a
#: province's 200,000 tasks by light takes a tenth of a second, on every dashboard opened.
AREA_FIGURES_SECONDS = 60
#: How long after that they may still be shown while one request has them counted again in
#: the background: nobody waits for the count, except the first visitor after a quiet spell.
AREA_FIGURES_STALE_SECONDS = 600

logger = logging.getLogger(__name__)


def cached_rows(rows: QuerySet[Any], seconds: int = AREA_FIGURES_SECONDS) -> list[Any]:
    """The rows of an aggregate query, kept ``seconds`` in the cache under its own SQL and
    parameters: the same question (the same visibility conditions included) gets the same
    answer for that long, and no user ever reads another scope's figures.

    Past ``seconds`` the kept rows are still answered, for up to
    ``AREA_FIGURES_STALE_SECONDS`` more, while the first request to see them old starts one
    recount in a background thread (``HEMEI_FIGURES_REFRESH_IN_BACKGROUND``; off, it counts
    them itself): the figures are at most a minute or so old, and no request waits."""
    sql, params = rows.query.sql_with_params()
    key = "rows:" + hashlib.sha256(repr((rows.db, sql, params)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        return _count(rows, key, seconds)
    kept, fresh_until = found
    if time.time() < fresh_until:
        return kept
    if not settings.HEMEI_FIGURES_REFRESH_IN_BACKGROUND:
        return _count(rows, key, seconds)
    if cache.add(f"{key}:counting", True, seconds):  # one recount, however many ask
        in_background(lambda: _count(rows.all(), key, seconds))
    return kept


def _count(rows: QuerySet[Any], key: str, seconds: int) -> list[Any]:
    found = list(rows)
    cache.set(key, (found, time.time() + seconds), seconds + AREA_FIGURES_STALE_SECONDS)
    cache.delete(f"{key}:counting")
    return found


def in_background(work: Callable[[], Any]) -> None:
    """Run ``work`` in a thread of this process, with its own database connection, closed at
    the end; a failure is logged (the kept figures stay until the next try)."""

    def run() -> None:
        try:
            work()
        except Exception:
            logger.exception("counting the figures again failed")
        finally:
            connections.close_all()

    threading.Thread(target=run, name="hemei-figures", daemon=True).start()


#: How far a capped list counts: past it the list says "more than 10,000 rows" (a province's
#: task list would otherwise count 200,000 rows on every page it shows).
COUNT_CAP = 10_000
#: How far a capped list counts the results of a search: a search is read from its first
#: pages, and counting every row of a common word across a province reads thousands of table
#: pages (GitHub's search stops at 1,000 results for the same reason).
SEARCH_COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """Counts at most ``cap + 1`` rows (``SELECT COUNT(*) FROM (… LIMIT 10001)``): a few
    milliseconds whatever the table. Past the cap, ``capped`` is true, the count is ``cap``
    and the pages end there: a list that long is narrowed with its filters."""

    cap = COUNT_CAP

    def __init__(
        self, *args: Any, cap: int | None = None, late: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap or self.cap
        self.late = late

    def page(self, number: Any) -> Page:
        """With ``late``, the page's rows are found by their ids first: ``WHERE id IN (SELECT
        id … ORDER BY … LIMIT 50)``. The inner query sorts bare ids; the joins of the list row
        are made for those 50 rows only, instead of for every match before the sort (what
        PostgreSQL does when it underestimates the matches of a search of several words)."""
        if not self.late or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list.filter(pk__in=self.object_list.values("pk")[bottom:top])
        return self._get_page(rows, number, self)

    @cached_property
    def counted(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return self.object_list.order_by()[: self.cap + 1].count()
        return len(self.object_list)

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self.counted, self.cap)

    @property
    def capped(self) -> bool:
        return self.counted > self.cap


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    per_page: int | None = None,
    *,
    capped: bool = False,
    searched: bool = False,
) -> Page:
    """The requested page; a page number out of range or not a number gives the nearest.
    ``capped``: count no further than ``COUNT_CAP`` rows (lists that reach a province), or
    ``SEARCH_COUNT_CAP`` when ``searched``, whose page is then found by its ids first
    (``CappedPaginator.page``)."""
    size = per_page or settings.PAGE_SIZE
    if not capped:
        return Paginator(queryset, size).get_page(request.GET.get("page"))
    cap = SEARCH_COUNT_CAP if searched else None  # None: the class's ``cap``
    paginator = CappedPaginator(queryset, size, cap=cap, late=searched)
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

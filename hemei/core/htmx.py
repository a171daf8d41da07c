from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether HTMX asked for a fragment (and not a history restore, which wants a page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def template_for(request: HttpRequest, page: str, partial: str) -> str:
    """One view serves both the full page and its HTMX fragment."""
    return partial if is_htmx(request) else page

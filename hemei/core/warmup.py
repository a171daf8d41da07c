"""What a server process does once, before its first request, instead of during it.

A fresh process pays for a few things the first time a page needs them: the URL patterns
(which import every view), the templates (parsed once, then kept by the cached loader), the
translation catalogues, and jieba's dictionary for the search box (half a second). Without a
warm-up the first visitors of every new process wait for them: about a second per process,
after every start and every graceful restart. ``warm_up()`` runs them in the process before
it takes connections (gunicorn's ``post_worker_init``; before waitress starts).

Nothing here touches the database: connections belong to the threads that serve requests.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

logger = logging.getLogger(__name__)

#: The files under template directories that are templates (the rest are data).
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def warm_up() -> dict[str, float]:
    """Load what the first requests would load; returns the seconds of each step."""
    steps = {
        "urls": _urls,
        "templates": _templates,
        "translations": _translations,
        "search": _search,
    }
    spent: dict[str, float] = {}
    for name, step in steps.items():
        started = time.perf_counter()
        try:
            step()
        except Exception:  # a warm-up never keeps a server from starting
            logger.exception("warm-up step %s failed; the first request will do it", name)
        spent[name] = round(time.perf_counter() - started, 3)
    logger.info("warmed up in %.2f s: %s", sum(spent.values()), spent)
    return spent


def _urls() -> None:
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URL modules and every view)
    resolver.reverse_dict  # noqa: B018 (what reverse() and {% url %} read)


def template_names() -> list[str]:
    """Every template the Django engines can load, by the name they load it under."""
    from django.template import engines
    from django.template.backends.django import DjangoTemplates

    names: set[str] = set()
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        for loader in engine.engine.template_loaders:
            for directory in _loader_dirs(loader):
                root = Path(directory)
                if root.is_dir():
                    names.update(
                        path.relative_to(root).as_posix()
                        for path in root.rglob("*")
                        if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
                    )
    return sorted(names)


def _loader_dirs(loader: object) -> list[str]:
    loaders = getattr(loader, "loaders", None)  # the cached loader wraps the others
    if loaders:
        return [directory for inner in loaders for directory in _loader_dirs(inner)]
    get_dirs = getattr(loader, "get_dirs", None)
    return [str(directory) for directory in get_dirs()] if get_dirs else []


def _templates() -> None:
    from django.template import TemplateSyntaxError, engines
    from django.template.exceptions import TemplateDoesNotExist

    for name in template_names():
        for engine in engines.all():
            try:
                engine.get_template(name)
                break
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue


def _translations() -> None:
    from django.conf import settings
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Tasks")


def _search() -> None:
    from hemei.core.search import words

    words("农村厕所改造")

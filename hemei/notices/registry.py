"""What a notice's subject does when people object, when objections are answered, and when
the notice ends: registered by the app that owns the subject, in its ``AppConfig.ready``::

    from hemei.notices.registry import Handlers, register

    register(Entry, Handlers(kind="points", label=_("points"), on_objection=..., on_end=...))

The notices app calls these hooks inside its own transaction, after it changed the notice and
the objection, so a hook that raises (``ValidationError``, ``PermissionDenied``) undoes the
whole step. Every hook is optional:

``on_objection(notice, objection, actor)``
    an objection was raised. With ``objection_reopens`` (the default) the notice has been
    closed already: the matter goes back to the step that posted it, which posts a new
    notice once it has dealt with the objection.
``on_answer(notice, objection, actor)``
    a village official answered an objection on the notices' page (upheld or dismissed).
``on_withdraw(notice, actor)``
    the notice was withdrawn (the matter goes back to the step that posted it).
``on_end(notice, now) -> bool``
    the notice's period passed without open objection; answer whether the subject moved on
    (the sweep counts those).
``schedule_end(at)``
    enqueue the work that ends the notice at ``at`` (default: the notices' own sweep task).
``url(notice)``
    the subject's page, linked from the notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import GENERAL


@dataclass(frozen=True)
class Handlers:
    kind: str
    label: Any
    on_objection: Callable[[Any, Any, Any], None] | None = None
    on_answer: Callable[[Any, Any, Any], None] | None = None
    on_withdraw: Callable[[Any, Any], None] | None = None
    on_end: Callable[[Any, dt.datetime], bool] | None = None
    schedule_end: Callable[[dt.datetime], None] | None = None
    url: Callable[[Any], str | None] | None = None
    #: an objection sends the matter back at once (the notice closes); else the notice runs
    #: its period and the objection waits for its answer
    objection_reopens: bool = True


#: A notice without a subject: a village's own announcement; objections wait for an answer.
GENERAL_HANDLERS = Handlers(kind=GENERAL, label=_("announcement"), objection_reopens=False)

_BY_MODEL: dict[str, Handlers] = {}
_BY_KIND: dict[str, Handlers] = {GENERAL: GENERAL_HANDLERS}


def _label(model: type[models.Model]) -> str:
    return model._meta.concrete_model._meta.label_lower  # type: ignore[union-attr]


def register(model: type[models.Model], handlers: Handlers) -> None:
    """The hooks of notices about ``model`` (one registration per model and per kind)."""
    key = _label(model)
    known = _BY_KIND.get(handlers.kind)
    if (key in _BY_MODEL and _BY_MODEL[key] != handlers) or (
        known is not None and known != handlers
    ):
        raise ValueError(f"notice handlers registered twice: {key} / {handlers.kind}")
    _BY_MODEL[key] = handlers
    _BY_KIND[handlers.kind] = handlers


def for_model(model: type[models.Model]) -> Handlers:
    try:
        return _BY_MODEL[_label(model)]
    except KeyError:
        raise LookupError(f"no notice handlers for {_label(model)}") from None


def for_notice(notice: Any) -> Handlers:
    """The hooks of the notice's subject (the general ones for a notice without subject)."""
    if notice.content_type_id is None:
        return _BY_KIND.get(notice.kind, GENERAL_HANDLERS)
    model = ContentType.objects.get_for_id(notice.content_type_id).model_class()
    if model is None:
        return GENERAL_HANDLERS
    return _BY_MODEL.get(_label(model), _BY_KIND.get(notice.kind, GENERAL_HANDLERS))


def kinds() -> list[tuple[str, Any]]:
    """(kind, label) of every registered kind, for the list's filter."""
    return sorted(((h.kind, h.label) for h in _BY_KIND.values()), key=lambda pair: pair[0])


def label_of(kind: str) -> Any:
    found = _BY_KIND.get(kind)
    return found.label if found else kind

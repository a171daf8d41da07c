"""What a case's public notice does to the case (registered in ``CasesConfig.ready`` with
:mod:`hemei.notices.registry`):

* an objection, from a villager of the village or an official, sends the case back to the
  step that posted the notice (the notice closes; that office looks into it and decides
  again, which posts a new notice);
* a withdrawn notice does the same;
* the notice ending without open objection moves the case on to its next step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.notices.registry import Handlers, register

from . import services
from .models import Case


def _on_objection(notice: Any, objection: Any, actor: Any) -> None:
    services.notice_objected(
        int(notice.object_id),
        actor=actor,
        reason=_("Objection: %(reason)s") % {"reason": objection.reason},
    )


def _on_withdraw(notice: Any, actor: Any) -> None:
    services.notice_objected(
        int(notice.object_id),
        actor=actor,
        reason=_("Notice withdrawn: %(reason)s") % {"reason": notice.outcome},
    )


def _on_end(notice: Any, now: dt.datetime) -> bool:
    return services.notice_ended(int(notice.object_id))


def _url(notice: Any) -> str:
    return reverse("cases:detail", args=[notice.object_id])


HANDLERS = Handlers(
    kind="case",
    label=gettext_lazy("case (办件)"),
    on_objection=_on_objection,
    on_withdraw=_on_withdraw,
    on_end=_on_end,
    url=_url,
)


def register_handlers() -> None:
    register(Case, HANDLERS)

"""What the points' public notices do to their entries (registered in ``PointsConfig.ready``
with :mod:`hemei.notices.registry`), exactly as the points' own notice did:

* an objection (only from villagers of the village) sends the entry back to committee
  review; the notice closes, and the review's next approval posts a new, full notice;
* an objection answered on the notices' page is the review's decision: dismissed approves
  the entry again (a new notice), upheld rejects it, the answer being the review's note;
* a withdrawn notice sends the entry back to committee review;
* the notice ending without open objection appends the entry to the village's ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.policy import allows_at
from hemei.notices.choices import ObjectionState
from hemei.notices.registry import Handlers, register

from . import services
from .choices import EntryState
from .models import Entry


def _on_objection(notice: Any, objection: Any, actor: Any) -> None:
    if not allows_at(actor, "live_in", notice.village_id):
        raise PermissionDenied(_("Only villagers of the village may object."))
    services.reopen_on_objection(notice.object_id, actor=actor, reason=objection.reason)


def _on_answer(notice: Any, objection: Any, actor: Any) -> None:
    entry = Entry.objects.filter(pk=notice.object_id, state=EntryState.ASSESSED).first()
    if entry is None:  # decided meanwhile
        return
    services.review_entry(
        actor=actor,
        entry=entry,
        approve=objection.state == ObjectionState.DISMISSED,
        note=objection.answer,
    )


def _on_withdraw(notice: Any, actor: Any) -> None:
    services.reopen_on_withdrawal(notice.object_id, actor=actor, reason=notice.outcome)


def _on_end(notice: Any, now: dt.datetime) -> bool:
    return services.take_effect(notice.object_id, now)


def _url(notice: Any) -> str:
    return reverse("points:entry_detail", args=[notice.object_id])


HANDLERS = Handlers(
    kind=services.NOTICE_KIND,
    label=gettext_lazy("governance points"),
    on_objection=_on_objection,
    on_answer=_on_answer,
    on_withdraw=_on_withdraw,
    on_end=_on_end,
    schedule_end=services.enqueue_publishing,
    url=_url,
)


def register_handlers() -> None:
    register(Entry, HANDLERS)

"""四议两公开 (hemei.procedures) feeds the disclosure catalogue, without procedures knowing it.

procedures lies below this app, so it cannot call :func:`services.record_event`; this app
listens to its rows instead:

* a villagers' (representatives') meeting that passes a resolution makes the item
  ``decision.resolution`` due (within its working days of the meeting);
* the record's 决议公开 publishes that disclosure with the publication's text and date (by
  the person who recorded it: a village official or the county office);
* its 实施结果公开 is the item ``decision.result``, due and published at once.

Nothing happens for a village that does not follow the catalogue, or whose catalogue has no
such item. A refusal here (a year without a known schedule, personal data in the text) is
logged and never stops the decision record: the disclosure then stays due and climbs the
ladder like any other.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from hemei.procedures.choices import StepKind
from hemei.procedures.models import DecisionMeeting, DecisionPublication

from . import services
from .choices import DisclosureState

log = logging.getLogger(__name__)

RESOLUTION_KEY = "decision.resolution"
RESULT_KEY = "decision.result"


def _resolution_meeting(record: Any) -> DecisionMeeting | None:
    return (
        record.meetings.filter(step__kind=StepKind.RESOLUTION, passed=True)
        .order_by("-held_on", "-id")
        .first()
    )


@receiver(post_save, sender=DecisionMeeting, dispatch_uid="disclosure_resolution_due")
def resolution_passed(sender: Any, instance: DecisionMeeting, created: bool, **kwargs: Any) -> None:
    if not created or not instance.passed or instance.step.kind != StepKind.RESOLUTION:
        return
    record = instance.record
    try:
        with transaction.atomic():
            services.record_event(
                village=record.village_id,
                item_key=RESOLUTION_KEY,
                happened_on=instance.held_on,
                title=record.title,
            )
    except ValidationError as exc:
        log.warning("resolution of record %s not due as a disclosure: %s", record.pk, exc)


@receiver(post_save, sender=DecisionPublication, dispatch_uid="disclosure_decision_published")
def decision_published(
    sender: Any, instance: DecisionPublication, created: bool, **kwargs: Any
) -> None:
    if not created or instance.kind not in (StepKind.PUBLISH_RESOLUTION, StepKind.PUBLISH_RESULT):
        return
    record = instance.record
    if instance.kind == StepKind.PUBLISH_RESOLUTION:
        meeting = _resolution_meeting(record)
        key, happened_on = RESOLUTION_KEY, meeting.held_on if meeting else instance.published_on
    else:
        key, happened_on = RESULT_KEY, instance.published_on
    try:
        with transaction.atomic():
            disclosure = services.record_event(
                village=record.village_id, item_key=key, happened_on=happened_on, title=record.title
            )
            if (
                disclosure is not None
                and disclosure.state != DisclosureState.PUBLISHED
                and instance.published_by is not None
            ):
                services.publish(
                    actor=instance.published_by,
                    disclosure=disclosure,
                    published_on=instance.published_on,
                    text=instance.text,
                )
    except (ValidationError, PermissionDenied) as exc:
        log.warning("publication %s not published as a disclosure: %s", instance.pk, exc)

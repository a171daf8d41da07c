"""Meetings and their decisions: list, detail, create (county and town managers)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy

from hemei.core.choices import Theme
from hemei.divisions.models import subtree_q
from hemei.meetings import services
from hemei.meetings.models import Meeting, MeetingLevel

from .. import schema as s
from ..framework import Call, not_found
from .common import DIVISION, DIVISION_CODE, api, date, division_code, division_ref, moment

TAG = "meetings"
api.gate(TAG, Meeting)

MEETING_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "name": s.Str(),
    "held_on": s.Date(),
    "level": s.Choice(MeetingLevel.choices),
    "division": DIVISION,
    "place": s.Str(),
    "host": s.Str(),
    "decision_count": s.Int(minimum=0),
}
MEETING = s.response("Meeting", MEETING_FIELDS)
DECISION = s.response(
    "Decision",
    {
        "id": s.Int(minimum=1),
        "number": s.Int(minimum=0),
        "text": s.Str(),
        "speaker": s.Str(),
        "theme": s.Str(description=gettext_lazy("A theme value, or empty.")),
        "responsible": s.Str(
            description=gettext_lazy("Responsible units as written in the meeting.")
        ),
        "deadline_text": s.Str(description=gettext_lazy("The deadline as written.")),
        "task_count": s.Int(
            minimum=0, description=gettext_lazy("Tasks made from it (in your area).")
        ),
    },
)
ATTACHMENT = s.response(
    "MeetingAttachment",
    {
        "id": s.Int(minimum=1),
        "name": s.Str(),
        "size": s.Int(minimum=0),
        "url": s.Str(description=gettext_lazy("Download (signed-in browser session).")),
    },
)
MEETING_DETAIL = s.response(
    "MeetingDetail",
    {
        **MEETING_FIELDS,
        "speakers": s.List(s.Str()),
        "attendees": s.List(s.Str(), max_items=100_000),
        "full_text": s.Str(),
        "decisions": s.List(DECISION, max_items=100_000),
        "attachments": s.List(ATTACHMENT),
        "created_at": s.DateTime(),
    },
)

DECISION_IN = s.Obj(
    "DecisionInput",
    {
        "text": s.Str(min_length=1, max_length=5000),
        "speaker": s.Str(max_length=100),
        "theme": s.Choice(Theme.choices),
        "responsible": s.Str(max_length=300),
        "deadline_text": s.Str(max_length=100),
    },
    required=["text"],
)
MEETING_CREATE = s.Obj(
    "MeetingCreate",
    {
        "name": s.Str(min_length=1, max_length=200),
        "held_on": s.Date(),
        "level": s.Choice(MeetingLevel.choices),
        "division": division_code(
            description=gettext_lazy("The organizing division (its level = level).")
        ),
        "place": s.Str(max_length=200),
        "host": s.Str(max_length=200),
        "speakers": s.List(s.Str(max_length=100), max_items=200),
        "attendees": s.List(s.Str(max_length=100), max_items=2000),
        "full_text": s.Str(max_length=500_000),
        "decisions": s.List(DECISION_IN, max_items=500),
    },
    required=["name", "held_on", "level", "division"],
)
MEETING_UPDATE = s.Obj(
    "MeetingUpdate",
    {
        name: field
        for name, field in MEETING_CREATE.properties.items()
        if name not in ("division", "decisions")
    },
)
FILTERS = (
    s.Param("q", s.Str(max_length=100), gettext_lazy("Words in the name or place.")),
    s.Param("level", s.Choice(MeetingLevel.choices)),
    s.Param("division", DIVISION_CODE, gettext_lazy("Meetings held by this division or below it.")),
    s.Param("held_from", s.Date(), gettext_lazy("Held on or after this date.")),
    s.Param("held_to", s.Date(), gettext_lazy("Held on or before this date.")),
)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def meeting_summary(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "name": meeting.name,
        "held_on": date(meeting.held_on),
        "level": meeting.level,
        "division": division_ref(meeting.division),
        "place": meeting.place,
        "host": meeting.host,
        "decision_count": meeting.decision_count,  # type: ignore[attr-defined]
    }


def meeting_detail(meeting: Meeting, user: Any) -> dict[str, Any]:
    from hemei.tasks.models import Task

    decisions = list(meeting.decisions.all())
    counts = dict(
        Task.objects.visible_to(user)
        .filter(decision__in=decisions)
        .values_list("decision_id")
        .annotate(n=Count("id"))
    )
    return {
        **meeting_summary(meeting),
        "speakers": lines(meeting.speakers),
        "attendees": lines(meeting.attendees),
        "full_text": meeting.full_text,
        "decisions": [
            {
                "id": d.pk,
                "number": d.number,
                "text": d.text,
                "speaker": d.speaker,
                "theme": d.theme,
                "responsible": d.responsible,
                "deadline_text": d.deadline_text,
                "task_count": counts.get(d.pk, 0),
            }
            for d in decisions
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "url": reverse("meetings:attachment_download", args=[a.pk]),
            }
            for a in meeting.attachments.all()
        ],
        "created_at": moment(meeting.created_at),
    }


def visible_meetings(user: Any) -> Any:
    return (
        Meeting.objects.visible_to(user)
        .select_related("division")
        .annotate(decision_count=Count("decisions"))
        .order_by("-held_on", "-id")  # an aggregate drops Meta.ordering
    )


def load_meeting(user: Any, pk: int) -> Meeting:
    meeting = visible_meetings(user).filter(pk=pk).first()
    if meeting is None:
        raise not_found()
    return meeting


meeting_list = api.route("meetings/", "meeting_list")
meeting_item = api.route("meetings/<int:pk>/", "meeting_detail")
meeting_decisions = api.route("meetings/<int:pk>/decisions/", "meeting_decisions")


def as_lines(data: dict[str, Any]) -> dict[str, Any]:
    """Speakers and attendees are sent as lists and kept one per line."""
    for name in ("speakers", "attendees"):
        if name in data:
            data[name] = "\n".join(item for item in data[name] if item)
    return data


@meeting_list.operation(
    "GET",
    summary=gettext_lazy("List meetings"),
    description=gettext_lazy(
        "Meetings of your area and those held above it (they deploy its work), newest first."
    ),
    tag=TAG,
    query=FILTERS,
    response=MEETING,
    paged=True,
)
def list_meetings(call: Call) -> Any:
    query = call.query
    meetings = visible_meetings(call.user).search(query.get("q", ""))
    if "level" in query:
        meetings = meetings.filter(level=query["level"])
    if "division" in query:
        meetings = meetings.filter(subtree_q([query["division"]], "division"))
    if "held_from" in query:
        meetings = meetings.filter(held_on__gte=query["held_from"])
    if "held_to" in query:
        meetings = meetings.filter(held_on__lte=query["held_to"])
    return call.page(meetings, meeting_summary)


@meeting_list.operation(
    "POST",
    summary=gettext_lazy("Record a meeting"),
    description=gettext_lazy(
        "A meeting with its decisions (numbered in the order sent), at a division you manage."
    ),
    tag=TAG,
    body=MEETING_CREATE,
    response=MEETING_DETAIL,
    status=201,
)
def create_meeting(call: Call) -> Any:
    data = dict(call.body)
    decisions = [
        services.DecisionRow(number=number, **row)
        for number, row in enumerate(data.pop("decisions", []), start=1)
    ]
    meeting = services.create_meeting(actor=call.user, decisions=decisions, **as_lines(data))
    return meeting_detail(load_meeting(call.user, meeting.pk), call.user)


@meeting_item.operation(
    "GET",
    summary=gettext_lazy("Show a meeting"),
    description=gettext_lazy("The meeting with its decisions and how many tasks each became."),
    tag=TAG,
    response=MEETING_DETAIL,
)
def show_meeting(call: Call, pk: int) -> Any:
    return meeting_detail(load_meeting(call.user, pk), call.user)


@meeting_item.operation(
    "PATCH",
    summary=gettext_lazy("Change a meeting"),
    description=gettext_lazy("Change the fields sent (managers of the meeting's division)."),
    tag=TAG,
    body=MEETING_UPDATE,
    response=MEETING_DETAIL,
)
def update_meeting(call: Call, pk: int) -> Any:
    meeting = load_meeting(call.user, pk)
    services.update_meeting(actor=call.user, meeting=meeting, **as_lines(dict(call.body)))
    return meeting_detail(load_meeting(call.user, pk), call.user)


@meeting_decisions.operation(
    "POST",
    summary=gettext_lazy("Add a decision"),
    description=gettext_lazy("Append a decision to the meeting (numbered after the last one)."),
    tag=TAG,
    body=DECISION_IN,
    response=MEETING_DETAIL,
    status=201,
)
def add_decision(call: Call, pk: int) -> Any:
    meeting = load_meeting(call.user, pk)
    services.add_decision(actor=call.user, meeting=meeting, **call.body)
    return meeting_detail(load_meeting(call.user, pk), call.user)

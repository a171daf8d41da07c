"""Meetings and their decisions: list, detail, create (county and town managers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from hemei.core.choices import Theme
from hemei.divisions.models import subtree_q
from hemei.meetings import models, services
from hemei.tasks.models import Task

from ..engine import Input, Paging, not_found, page_of, paginate
from .common import (
    Date,
    DivisionCode,
    DivisionRef,
    Filters,
    Moment,
    SearchText,
    Text,
    choice,
    division,
    division_ref,
    v1,
)

TAG = "meetings"
v1.gate(TAG, models.Meeting)

router = Router(tags=[TAG])

Level = choice(models.MeetingLevel.choices)
LevelFilter = choice(models.MeetingLevel.choices, nullable=True)
ThemeValue = choice(Theme.choices)
Organizer = division(gettext_lazy("The organizing division (its level = level)."))
Name = Annotated[Text, Field(max_length=100)]

# Shapes -----------------------------------------------------------------------------------


class Meeting(Schema):
    id: int = Field(ge=1)
    name: str
    held_on: dt.date
    level: Level
    division: DivisionRef
    place: str
    host: str
    decision_count: int = Field(ge=0)


class Decision(Schema):
    id: int = Field(ge=1)
    number: int = Field(ge=0)
    text: str
    speaker: str
    theme: str = Field(description=gettext_lazy("A theme value, or empty."))
    responsible: str = Field(
        description=gettext_lazy("Responsible units as written in the meeting.")
    )
    deadline_text: str = Field(description=gettext_lazy("The deadline as written."))
    task_count: int = Field(ge=0, description=gettext_lazy("Tasks made from it (in your area)."))


class MeetingAttachment(Schema):
    id: int = Field(ge=1)
    name: str
    size: int = Field(ge=0)
    url: str = Field(description=gettext_lazy("Download (signed-in browser session)."))


class MeetingDetail(Meeting):
    speakers: list[str]
    attendees: list[str] = Field(max_length=100_000)
    full_text: str
    decisions: list[Decision] = Field(max_length=100_000)
    attachments: list[MeetingAttachment]
    created_at: Moment


class DecisionInput(Input):
    text: Text = Field(min_length=1, max_length=5000)
    speaker: Text = Field("", max_length=100)
    theme: ThemeValue = ""
    responsible: Text = Field("", max_length=300)
    deadline_text: Text = Field("", max_length=100)


# The fields sent are changed (none may be null); the others keep their values.
class MeetingUpdate(Input):
    name: Text = Field(None, min_length=1, max_length=200)
    held_on: Date = None
    level: Level = None
    place: Text = Field(None, max_length=200)
    host: Text = Field(None, max_length=200)
    speakers: list[Name] = Field(None, max_length=200)
    attendees: list[Name] = Field(None, max_length=2000)
    full_text: Text = Field(None, max_length=500_000)


class MeetingCreate(Input):
    name: Text = Field(min_length=1, max_length=200)
    held_on: Date
    level: Level
    division: Organizer
    place: Text = Field("", max_length=200)
    host: Text = Field("", max_length=200)
    speakers: list[Name] = Field([], max_length=200)
    attendees: list[Name] = Field([], max_length=2000)
    full_text: Text = Field("", max_length=500_000)
    decisions: list[DecisionInput] = Field([], max_length=500)


class MeetingFilters(Filters):
    q: SearchText | None = Field(None, description=gettext_lazy("Words in the name or place."))
    level: LevelFilter = None
    division: DivisionCode | None = Field(
        None, description=gettext_lazy("Meetings held by this division or below it.")
    )
    held_from: Date | None = Field(None, description=gettext_lazy("Held on or after this date."))
    held_to: Date | None = Field(None, description=gettext_lazy("Held on or before this date."))


# Reading ----------------------------------------------------------------------------------


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def meeting_summary(meeting: models.Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "name": meeting.name,
        "held_on": meeting.held_on,
        "level": meeting.level,
        "division": division_ref(meeting.division),
        "place": meeting.place,
        "host": meeting.host,
        "decision_count": meeting.decision_count,  # type: ignore[attr-defined]
    }


def meeting_detail(meeting: models.Meeting, user: Any) -> dict[str, Any]:
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
        "created_at": meeting.created_at,
    }


def visible_meetings(user: Any) -> Any:
    return (
        models.Meeting.objects.visible_to(user)
        .select_related("division")
        .annotate(decision_count=Count("decisions"))
        .order_by("-held_on", "-id")  # an aggregate drops Meta.ordering
    )


def load_meeting(user: Any, pk: int) -> models.Meeting:
    meeting = visible_meetings(user).filter(pk=pk).first()
    if meeting is None:
        raise not_found()
    return meeting


def sent(payload: Input) -> dict[str, Any]:
    """The fields the caller sent (the others keep their values, or the service's defaults)."""
    return {name: getattr(payload, name) for name in payload.model_fields_set}


def as_lines(data: dict[str, Any]) -> dict[str, Any]:
    """Speakers and attendees are sent as lists and kept one per line."""
    for name in ("speakers", "attendees"):
        if name in data:
            data[name] = "\n".join(item for item in data[name] if item)
    return data


# Endpoints ---------------------------------------------------------------------------------


@router.get(
    "meetings/",
    url_name="meeting_list",
    response=page_of(Meeting),
    summary=gettext_lazy("List meetings"),
    description=gettext_lazy(
        "Meetings of your area and those held above it (they deploy its work), newest first."
    ),
)
def list_meetings(
    request: HttpRequest, filters: Query[MeetingFilters], paging: Query[Paging]
) -> dict[str, Any]:
    meetings = visible_meetings(request.user).search(filters.q or "")
    if filters.level is not None:
        meetings = meetings.filter(level=filters.level)
    if filters.division is not None:
        meetings = meetings.filter(subtree_q([filters.division], "division"))
    if filters.held_from is not None:
        meetings = meetings.filter(held_on__gte=filters.held_from)
    if filters.held_to is not None:
        meetings = meetings.filter(held_on__lte=filters.held_to)
    return paginate(request, paging, meetings, meeting_summary)


@router.post(
    "meetings/",
    url_name="meeting_list",
    response={201: MeetingDetail},
    summary=gettext_lazy("Record a meeting"),
    description=gettext_lazy(
        "A meeting with its decisions (numbered in the order sent), at a division you manage."
    ),
)
def create_meeting(request: HttpRequest, payload: MeetingCreate) -> Status[dict[str, Any]]:
    data = sent(payload)
    decisions = [
        services.DecisionRow(number=number, **sent(row))
        for number, row in enumerate(data.pop("decisions", []), start=1)
    ]
    meeting = services.create_meeting(actor=request.user, decisions=decisions, **as_lines(data))
    return Status(201, meeting_detail(load_meeting(request.user, meeting.pk), request.user))


@router.get(
    "meetings/{int:pk}/",
    url_name="meeting_detail",
    response=MeetingDetail,
    summary=gettext_lazy("Show a meeting"),
    description=gettext_lazy("The meeting with its decisions and how many tasks each became."),
)
def show_meeting(request: HttpRequest, pk: int) -> dict[str, Any]:
    return meeting_detail(load_meeting(request.user, pk), request.user)


#: an empty body (or none at all) changes nothing
NO_CHANGES = MeetingUpdate()


@router.patch(
    "meetings/{int:pk}/",
    url_name="meeting_detail",
    response=MeetingDetail,
    summary=gettext_lazy("Change a meeting"),
    description=gettext_lazy("Change the fields sent (managers of the meeting's division)."),
)
def update_meeting(
    request: HttpRequest, pk: int, payload: MeetingUpdate = NO_CHANGES
) -> dict[str, Any]:
    meeting = load_meeting(request.user, pk)
    services.update_meeting(actor=request.user, meeting=meeting, **as_lines(sent(payload)))
    return meeting_detail(load_meeting(request.user, pk), request.user)


@router.post(
    "meetings/{int:pk}/decisions/",
    url_name="meeting_decisions",
    response={201: MeetingDetail},
    summary=gettext_lazy("Add a decision"),
    description=gettext_lazy("Append a decision to the meeting (numbered after the last one)."),
)
def add_decision(request: HttpRequest, pk: int, payload: DecisionInput) -> Status[dict[str, Any]]:
    meeting = load_meeting(request.user, pk)
    services.add_decision(actor=request.user, meeting=meeting, **sent(payload))
    return Status(201, meeting_detail(load_meeting(request.user, pk), request.user))

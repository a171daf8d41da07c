"""Decision records (四议两公开): the processes in use, records with the list page's filters,
a record with its steps, meetings (attendance, votes, the quorum rule applied) and
publications; create a record, record the meeting of its current step (the minutes are
required: send the meeting as a multipart form with the ``minutes`` file and any
``photos``), publish the resolution or the result. Every change goes through
:mod:`hemei.procedures.services`, which enforces the quorums."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.responses import Status
from pydantic import Field

from hemei.accounts.policy import allows, restrict
from hemei.accounts.roles import API_ROLES
from hemei.core.downloads import download
from hemei.procedures import models, selectors, services
from hemei.procedures.choices import DecisionState, FileRole, StepKind

from .. import engine
from ..engine import Export, Flag, Id, Input, Paging, not_found, page_of, paginate, visible
from .common import (
    DOWNLOAD,
    Date,
    DivisionCode,
    DivisionRef,
    FormInt,
    JsonOrForm,
    Moment,
    NotNull,
    PersonRef,
    SearchText,
    choice,
    division_ref,
    json_too,
    person_ref,
    require_role,
    v1,
    visible_divisions,
)
from .common import text as limited_text

TAG = "decisions"
v1.gate(TAG, models.DecisionRecord, roles=API_ROLES)

router = Router(tags=[TAG])

# Types --------------------------------------------------------------------------------------

StepKindChoice = choice(StepKind.choices)
StateChoice = choice(DecisionState.choices)
StateFilter = choice(DecisionState.choices, nullable=True)
FileRoleChoice = choice(FileRole.choices)

# Shapes -----------------------------------------------------------------------------------


class DecisionProcessRef(Schema):
    id: int = Field(ge=1)
    name: str


class DecisionStepRef(Schema):
    id: int = Field(ge=1)
    position: int = Field(ge=0)
    kind: StepKindChoice
    name: str


class DecisionStep(DecisionStepRef):
    body: str = Field(description=gettext_lazy("The meeting body."))
    publishes: bool = Field(description=gettext_lazy("A publication, not a meeting."))
    rule: str = Field(description=gettext_lazy("The quorum and majority rule, in words."))


class DecisionProcess(Schema):
    id: int = Field(ge=1)
    name: str
    county: DivisionRef | None = Field(description=gettext_lazy("Empty: the national process."))
    description: str
    may_merge_first_steps: bool = Field(
        description=gettext_lazy("Steps 1 and 2 may be one meeting (一肩挑).")
    )
    steps: list[DecisionStep] = Field(max_length=100)


class DecisionProcessList(Schema):
    processes: list[DecisionProcess] = Field(max_length=1000)


class DecisionRecord(Schema):
    id: int = Field(ge=1)
    village: DivisionRef
    title: str = Field(description=gettext_lazy("The matter."))
    process: DecisionProcessRef
    merged_first_steps: bool
    step: DecisionStepRef | None = Field(description=gettext_lazy("The current step."))
    state: StateChoice
    stopped_reason: str = Field(description=gettext_lazy("Why it was not passed."))
    created_at: Moment


class DecisionFile(Schema):
    id: int = Field(ge=1)
    role: FileRoleChoice
    name: str
    content_type: str
    size: int = Field(ge=0)
    url: str = Field(description=gettext_lazy("Where to download it (same authentication)."))


class DecisionMeeting(Schema):
    id: int = Field(ge=1)
    step: DecisionStepRef
    covers_next: bool = Field(description=gettext_lazy("It also stood for the next step."))
    held_on: dt.date
    entitled: int = Field(ge=0)
    present: int = Field(ge=0)
    votes_for: int = Field(ge=0)
    against: int = Field(ge=0)
    abstain: int = Field(ge=0)
    quorum_met: bool
    passed: bool
    reason: str = Field(description=gettext_lazy("The outcome, in words."))
    rule_text: str = Field(description=gettext_lazy("The rule it was judged by."))
    notes: str
    recorded_by: PersonRef | None
    files: list[DecisionFile] = Field(max_length=100)


class DecisionPublication(Schema):
    id: int = Field(ge=1)
    step: DecisionStepRef
    kind: StepKindChoice
    published_on: dt.date
    text: str
    published_by: PersonRef | None


class DecisionLink(Schema):
    type: str = Field(description=gettext_lazy("What was approved (e.g. cases.case)."))
    object_id: str
    note: str


class DecisionRecordDetail(DecisionRecord):
    description: str
    steps: list[DecisionStep] = Field(max_length=100)
    meetings: list[DecisionMeeting] = Field(max_length=100)
    publications: list[DecisionPublication] = Field(max_length=100)
    links: list[DecisionLink] = Field(max_length=100_000)
    may_act: bool = Field(description=gettext_lazy("You may record its next step now."))


def _step_ref(step: models.DecisionStep | None) -> dict[str, Any] | None:
    if step is None:
        return None
    return {"id": step.pk, "position": step.position, "kind": step.kind, "name": step.name}


def _step(step: models.DecisionStep) -> dict[str, Any]:
    return {
        **_step_ref(step),  # type: ignore[dict-item]
        "body": step.body,
        "publishes": step.publishes,
        "rule": "" if step.publishes else step.rule().describe(),
    }


def record_summary(record: models.DecisionRecord) -> dict[str, Any]:
    """A list row (from ``selectors.decision_records``: village, process, step selected)."""
    return {
        "id": record.pk,
        "village": division_ref(record.village),
        "title": record.title,
        "process": {"id": record.process.pk, "name": record.process.name},
        "merged_first_steps": record.merged_first_steps,
        "step": _step_ref(record.step),
        "state": record.state,
        "stopped_reason": record.stopped_reason,
        "created_at": record.created_at,
    }


def _file(item: models.DecisionFile) -> dict[str, Any]:
    return {
        "id": item.pk,
        "role": item.role,
        "name": item.name,
        "content_type": item.content_type,
        "size": item.size,
        "url": reverse("api:v1:decision_file", args=[item.pk]),
    }


def record_detail(record: models.DecisionRecord, user: Any) -> dict[str, Any]:
    meetings = record.meetings.select_related("step", "recorded_by").prefetch_related(
        Prefetch("files", queryset=models.DecisionFile.objects.order_by("role", "id"))
    )
    return {
        **record_summary(record),
        "description": record.description,
        "steps": [_step(step) for step in record.process.steps.order_by("position")],
        "meetings": [
            {
                "id": m.pk,
                "step": _step_ref(m.step),
                "covers_next": m.covers_next,
                "held_on": m.held_on,
                "entitled": m.entitled,
                "present": m.present,
                "votes_for": m.votes_for,
                "against": m.against,
                "abstain": m.abstain,
                "quorum_met": m.quorum_met,
                "passed": m.passed,
                "reason": m.reason,
                "rule_text": m.rule_text,
                "notes": m.notes,
                "recorded_by": person_ref(m.recorded_by),
                "files": [_file(f) for f in m.files.all()],
            }
            for m in meetings
        ],
        "publications": [
            {
                "id": p.pk,
                "step": _step_ref(p.step),
                "kind": p.kind,
                "published_on": p.published_on,
                "text": p.text,
                "published_by": person_ref(p.published_by),
            }
            for p in record.publications.select_related("step", "published_by")
        ],
        "links": [
            {
                "type": f"{link.content_type.app_label}.{link.content_type.model}",
                "object_id": link.object_id,
                "note": link.note,
            }
            for link in record.links.select_related("content_type")
        ],
        "may_act": record.state == DecisionState.IN_PROGRESS and allows(user, "change", record),
    }


def load_record(user: Any, pk: int) -> models.DecisionRecord:
    record = (
        models.DecisionRecord.objects.restrict(user, "view")
        .select_related("village", "process", "step")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise not_found()
    return record


def answer(user: Any, pk: int) -> dict[str, Any]:
    return record_detail(load_record(user, pk), user)


# Inputs -------------------------------------------------------------------------------------


def sent(payload: Input) -> dict[str, Any]:
    """The fields the caller sent, as read (a reference as its row): the services' own
    defaults stand for the others, as before the move."""
    return {name: getattr(payload, name) for name in payload.model_fields_set}


def _processes(user: Any) -> Any:
    return selectors.decision_processes(user)


class DecisionRecordCreate(NotNull):
    village: DivisionCode = Field(
        description=gettext_lazy("The code of the village whose matter it is.")
    )
    title: limited_text(min_length=1, max_length=200) = Field(  # type: ignore[valid-type]
        description=gettext_lazy("The matter.")
    )
    description: limited_text(max_length=20_000) = ""  # type: ignore[valid-type]
    process: visible(  # type: ignore[valid-type]
        Id,
        _processes,
        description=gettext_lazy("A decision process's id (see decision-processes)."),
    )
    merged_first_steps: Flag = Field(
        False,
        description=gettext_lazy(
            "The branch secretary is also the committee director: one meeting proposes and confers."
        ),
    )


class DecisionMeetingCreate(NotNull):
    held_on: Date
    entitled: FormInt = Field(ge=1, le=100_000)
    present: FormInt = Field(ge=0, le=100_000)
    votes_for: FormInt = Field(ge=0, le=100_000)
    against: FormInt = Field(ge=0, le=100_000)
    abstain: FormInt = Field(ge=0, le=100_000)
    notes: limited_text(max_length=20_000) = ""  # type: ignore[valid-type]


class DecisionPublish(NotNull):
    published_on: Date
    text: limited_text(min_length=1, max_length=20_000) = Field(  # type: ignore[valid-type]
        description=gettext_lazy("What was published.")
    )


class ProcessFilters(Schema):
    village: DivisionCode | None = Field(
        None, description=gettext_lazy("Only those a record of this village may use.")
    )


class RecordFilters(Schema):
    q: SearchText | None = Field(
        None, description=gettext_lazy("Words in the matter or description.")
    )
    state: StateFilter = None
    village: DivisionCode | None = Field(
        None, description=gettext_lazy("Records of this division or below it.")
    )


# Operations -------------------------------------------------------------------------------


@router.get(
    "decision-processes/",
    url_name="decision_process_list",
    response=DecisionProcessList,
    summary=gettext_lazy("List decision processes"),
    description=gettext_lazy(
        "The processes in use: the national 四议两公开 and your county's variants, with "
        "their steps and rules."
    ),
)
def list_processes(request: HttpRequest, filters: Query[ProcessFilters]) -> Any:
    rows = selectors.decision_processes(request.user, filters.village or "")
    rows = rows.select_related("division").prefetch_related(
        Prefetch("steps", queryset=models.DecisionStep.objects.order_by("position"))
    )
    return {
        "processes": [
            {
                "id": p.pk,
                "name": p.name,
                "county": division_ref(p.division),
                "description": p.description,
                "may_merge_first_steps": p.may_merge_first_steps(),
                "steps": [_step(step) for step in p.steps.all()],
            }
            for p in rows
        ]
    }


@router.get(
    "decision-records/",
    url_name="decision_record_list",
    response=page_of(DecisionRecord),
    summary=gettext_lazy("List decision records"),
    description=gettext_lazy(
        "四议两公开 records of your area, newest first, with the filters of the list page; "
        "``format=xlsx`` exports them."
    ),
)
def list_records(
    request: HttpRequest,
    filters: Query[RecordFilters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    rows = selectors.decision_records(
        request.user,
        q=filters.q or "",
        state=filters.state or "",
        area=filters.village or "",
    )
    if exporting.format == "xlsx":
        return engine.export(
            rows,
            filename="decision-records",
            title=_("Decision records"),
            columns=selectors.decision_columns(),
        )
    return paginate(request, paging, rows, record_summary)


@router.post(
    "decision-records/",
    url_name="decision_record_list",
    response={201: DecisionRecordDetail},
    summary=gettext_lazy("Create a decision record"),
    description=gettext_lazy(
        "A village's major matter, on the first step of the chosen process (the village's "
        "officials and the county office)."
    ),
)
def create_record(request: HttpRequest, payload: DecisionRecordCreate) -> Any:
    user = request.user
    require_role(user, "change", models.DecisionRecord)  # before the village is looked up
    data = sent(payload)
    village = visible_divisions(user).filter(code=payload.village).first()
    if village is None:
        raise ValidationError(
            {"village": _("Nothing with the id %(id)s is open to you.") % {"id": payload.village}}
        )
    data["village"] = village
    record = services.create_record(actor=user, **data)
    return Status(201, answer(user, record.pk))


@router.get(
    "decision-records/{int:pk}/",
    url_name="decision_record_detail",
    response=DecisionRecordDetail,
    summary=gettext_lazy("Show a decision record"),
    description=gettext_lazy(
        "The record with its process's steps, each meeting (attendance, votes, quorum and "
        "outcome, files), the publications and what it approved."
    ),
)
def show_record(request: HttpRequest, pk: int) -> Any:
    return answer(request.user, pk)


def _changing(user: Any, pk: int) -> models.DecisionRecord:
    require_role(user, "change", models.DecisionRecord)
    return load_record(user, pk)


@router.post(
    "decision-records/{int:pk}/meetings/",
    url_name="decision_record_meeting",
    response=DecisionRecordDetail,
    summary=gettext_lazy("Record a meeting"),
    description=gettext_lazy(
        "The meeting of the record's current step, judged by its rule: passed, the record "
        "moves on; quorum or vote failed, it stops as not passed. The minutes are required: "
        "send a multipart form with the fields, the ``minutes`` file (PDF, .docx or a photo) "
        "and up to 9 ``photos``."
    ),
    openapi_extra=json_too(DecisionMeetingCreate),
)
def record_a_meeting(
    request: HttpRequest,
    pk: int,
    payload: JsonOrForm[DecisionMeetingCreate],
    minutes: File[UploadedFile] = None,  # type: ignore[assignment]
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    user = request.user
    record = _changing(user, pk)
    services.record_meeting(
        actor=user,
        record=record,
        minutes=minutes,
        photos=photos or [],
        **sent(payload),
    )
    return answer(user, pk)


@router.post(
    "decision-records/{int:pk}/publish/",
    url_name="decision_record_publish",
    response=DecisionRecordDetail,
    summary=gettext_lazy("Publish a decision"),
    description=gettext_lazy(
        "决议公开 or 实施结果公开 at the record's current step: when and what was published."
    ),
)
def publish_record(request: HttpRequest, pk: int, payload: DecisionPublish) -> Any:
    user = request.user
    services.publish(actor=user, record=_changing(user, pk), **sent(payload))
    return answer(user, pk)


@router.get(
    "decision-files/{int:pk}/",
    url_name="decision_file",
    summary=gettext_lazy("Download a meeting file"),
    description=gettext_lazy("The minutes or a photo of a meeting, to those who see its record."),
    openapi_extra=DOWNLOAD,
)
def download_file(request: HttpRequest, pk: int) -> Any:
    item = restrict(request.user, "view", models.DecisionFile).filter(pk=pk).first()
    if item is None:
        raise not_found()
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = download(handle, filename=item.name, content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    return response

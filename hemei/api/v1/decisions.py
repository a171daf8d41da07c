"""Decision records (四议两公开): the processes in use, records with the list page's filters,
a record with its steps, meetings (attendance, votes, the quorum rule applied) and
publications; create a record, record the meeting of its current step (the minutes are
required: send the meeting as a multipart form with the ``minutes`` file and any
``photos``), publish the resolution or the result. Every change goes through
:mod:`hemei.procedures.services`, which enforces the quorums."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.policy import allows, restrict
from hemei.accounts.roles import API_ROLES
from hemei.core.downloads import download
from hemei.procedures import selectors, services
from hemei.procedures.choices import DecisionState, FileRole, StepKind
from hemei.procedures.models import DecisionFile, DecisionRecord, DecisionStep

from .. import schema as s
from ..framework import Call, not_found
from .common import (
    DIVISION,
    DIVISION_CODE,
    PERSON,
    api,
    date,
    division_ref,
    moment,
    person_ref,
    require_role,
    visible_divisions,
)

TAG = "decisions"
api.gate(TAG, DecisionRecord, roles=API_ROLES)

# Shapes -----------------------------------------------------------------------------------

PROCESS_REF = s.response("DecisionProcessRef", {"id": s.Int(minimum=1), "name": s.Str()})
STEP_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "position": s.Int(minimum=0),
    "kind": s.Choice(StepKind.choices),
    "name": s.Str(),
}
STEP_REF = s.response("DecisionStepRef", STEP_FIELDS)
STEP = s.response(
    "DecisionStep",
    {
        **STEP_FIELDS,
        "body": s.Str(description=gettext_lazy("The meeting body.")),
        "publishes": s.Bool(description=gettext_lazy("A publication, not a meeting.")),
        "rule": s.Str(description=gettext_lazy("The quorum and majority rule, in words.")),
    },
)
PROCESS = s.response(
    "DecisionProcess",
    {
        "id": s.Int(minimum=1),
        "name": s.Str(),
        "county": s.Nullable(DIVISION, description=gettext_lazy("Empty: the national process.")),
        "description": s.Str(),
        "may_merge_first_steps": s.Bool(
            description=gettext_lazy("Steps 1 and 2 may be one meeting (一肩挑).")
        ),
        "steps": s.List(STEP, max_items=100),
    },
)
PROCESS_LIST = s.response("DecisionProcessList", {"processes": s.List(PROCESS, max_items=1000)})
RECORD_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "village": DIVISION,
    "title": s.Str(description=gettext_lazy("The matter.")),
    "process": PROCESS_REF,
    "merged_first_steps": s.Bool(),
    "step": s.Nullable(STEP_REF, description=gettext_lazy("The current step.")),
    "state": s.Choice(DecisionState.choices),
    "stopped_reason": s.Str(description=gettext_lazy("Why it was not passed.")),
    "created_at": s.DateTime(),
}
RECORD = s.response("DecisionRecord", RECORD_FIELDS)
FILE = s.response(
    "DecisionFile",
    {
        "id": s.Int(minimum=1),
        "role": s.Choice(FileRole.choices),
        "name": s.Str(),
        "content_type": s.Str(),
        "size": s.Int(minimum=0),
        "url": s.Str(description=gettext_lazy("Where to download it (same authentication).")),
    },
)
MEETING = s.response(
    "DecisionMeeting",
    {
        "id": s.Int(minimum=1),
        "step": STEP_REF,
        "covers_next": s.Bool(description=gettext_lazy("It also stood for the next step.")),
        "held_on": s.Date(),
        "entitled": s.Int(minimum=0),
        "present": s.Int(minimum=0),
        "votes_for": s.Int(minimum=0),
        "against": s.Int(minimum=0),
        "abstain": s.Int(minimum=0),
        "quorum_met": s.Bool(),
        "passed": s.Bool(),
        "reason": s.Str(description=gettext_lazy("The outcome, in words.")),
        "rule_text": s.Str(description=gettext_lazy("The rule it was judged by.")),
        "notes": s.Str(),
        "recorded_by": s.Nullable(PERSON),
        "files": s.List(FILE, max_items=100),
    },
)
PUBLICATION = s.response(
    "DecisionPublication",
    {
        "id": s.Int(minimum=1),
        "step": STEP_REF,
        "kind": s.Choice(StepKind.choices),
        "published_on": s.Date(),
        "text": s.Str(),
        "published_by": s.Nullable(PERSON),
    },
)
LINK = s.response(
    "DecisionLink",
    {
        "type": s.Str(description=gettext_lazy("What was approved (e.g. cases.case).")),
        "object_id": s.Str(),
        "note": s.Str(),
    },
)
RECORD_DETAIL = s.response(
    "DecisionRecordDetail",
    {
        **RECORD_FIELDS,
        "description": s.Str(),
        "steps": s.List(STEP, max_items=100),
        "meetings": s.List(MEETING, max_items=100),
        "publications": s.List(PUBLICATION, max_items=100),
        "links": s.List(LINK, max_items=100_000),
        "may_act": s.Bool(description=gettext_lazy("You may record its next step now.")),
    },
)


def _step_ref(step: DecisionStep | None) -> dict[str, Any] | None:
    if step is None:
        return None
    return {"id": step.pk, "position": step.position, "kind": step.kind, "name": step.name}


def _step(step: DecisionStep) -> dict[str, Any]:
    return {
        **_step_ref(step),  # type: ignore[dict-item]
        "body": step.body,
        "publishes": step.publishes,
        "rule": "" if step.publishes else step.rule().describe(),
    }


def record_summary(record: DecisionRecord) -> dict[str, Any]:
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
        "created_at": moment(record.created_at),
    }


def _file(item: DecisionFile) -> dict[str, Any]:
    return {
        "id": item.pk,
        "role": item.role,
        "name": item.name,
        "content_type": item.content_type,
        "size": item.size,
        "url": reverse("api:v1:decision_file", args=[item.pk]),
    }


def record_detail(record: DecisionRecord, user: Any) -> dict[str, Any]:
    meetings = record.meetings.select_related("step", "recorded_by").prefetch_related(
        Prefetch("files", queryset=DecisionFile.objects.order_by("role", "id"))
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
                "held_on": date(m.held_on),
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
                "published_on": date(p.published_on),
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


def load_record(user: Any, pk: int) -> DecisionRecord:
    record = (
        DecisionRecord.objects.restrict(user, "view")
        .select_related("village", "process", "step")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise not_found()
    return record


def answer(call: Call, pk: int) -> dict[str, Any]:
    return record_detail(load_record(call.user, pk), call.user)


# Inputs -------------------------------------------------------------------------------------


def _processes(user: Any) -> Any:
    return selectors.decision_processes(user)


COUNT = s.Int(minimum=0, maximum=100_000)
RECORD_CREATE = s.Obj(
    "DecisionRecordCreate",
    {
        "village": s.Str(
            min_length=2,
            max_length=12,
            pattern="[0-9]+",
            description=gettext_lazy("The code of the village whose matter it is."),
        ),
        "title": s.Str(min_length=1, max_length=200, description=gettext_lazy("The matter.")),
        "description": s.Str(max_length=20_000),
        "process": s.Ref(
            s.Int(minimum=1),
            _processes,
            description=gettext_lazy("A decision process's id (see decision-processes)."),
        ),
        "merged_first_steps": s.Bool(
            description=gettext_lazy(
                "The branch secretary is also the committee director: one meeting proposes "
                "and confers."
            )
        ),
    },
    required=["village", "title", "process"],
)
MEETING_RECORD = s.Obj(
    "DecisionMeetingCreate",
    {
        "held_on": s.Date(),
        "entitled": s.Int(minimum=1, maximum=100_000),
        "present": COUNT,
        "votes_for": COUNT,
        "against": COUNT,
        "abstain": COUNT,
        "notes": s.Str(max_length=20_000),
    },
    required=["held_on", "entitled", "present", "votes_for", "against", "abstain"],
)
PUBLISH = s.Obj(
    "DecisionPublish",
    {
        "published_on": s.Date(),
        "text": s.Str(
            min_length=1, max_length=20_000, description=gettext_lazy("What was published.")
        ),
    },
    required=["published_on", "text"],
)

FILTERS = (
    s.Param("q", s.Str(max_length=100), gettext_lazy("Words in the matter or description.")),
    s.Param("state", s.Choice(DecisionState.choices)),
    s.Param("village", DIVISION_CODE, gettext_lazy("Records of this division or below it.")),
)

# Endpoints ---------------------------------------------------------------------------------

process_list = api.route("decision-processes/", "decision_process_list")
record_list = api.route("decision-records/", "decision_record_list")
record_item = api.route("decision-records/<int:pk>/", "decision_record_detail")
record_meeting = api.route("decision-records/<int:pk>/meetings/", "decision_record_meeting")
record_publish = api.route("decision-records/<int:pk>/publish/", "decision_record_publish")
file_route = api.route("decision-files/<int:pk>/", "decision_file")


@process_list.operation(
    "GET",
    summary=gettext_lazy("List decision processes"),
    description=gettext_lazy(
        "The processes in use: the national 四议两公开 and your county's variants, with "
        "their steps and rules."
    ),
    tag=TAG,
    query=(
        s.Param(
            "village", DIVISION_CODE, gettext_lazy("Only those a record of this village may use.")
        ),
    ),
    response=PROCESS_LIST,
)
def list_processes(call: Call) -> Any:
    rows = selectors.decision_processes(call.user, call.query.get("village", ""))
    rows = rows.select_related("division").prefetch_related(
        Prefetch("steps", queryset=DecisionStep.objects.order_by("position"))
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


@record_list.operation(
    "GET",
    summary=gettext_lazy("List decision records"),
    description=gettext_lazy(
        "四议两公开 records of your area, newest first, with the filters of the list page; "
        "``format=xlsx`` exports them."
    ),
    tag=TAG,
    query=FILTERS,
    response=RECORD,
    paged=True,
    exports=True,
)
def list_records(call: Call) -> Any:
    query = call.query
    rows = selectors.decision_records(
        call.user,
        q=query.get("q", ""),
        state=query.get("state", ""),
        area=query.get("village", ""),
    )
    if call.wants_export:
        return call.export(
            rows,
            filename="decision-records",
            title=_("Decision records"),
            columns=selectors.decision_columns(),
        )
    return call.page(rows, record_summary)


@record_list.operation(
    "POST",
    summary=gettext_lazy("Create a decision record"),
    description=gettext_lazy(
        "A village's major matter, on the first step of the chosen process (the village's "
        "officials and the county office)."
    ),
    tag=TAG,
    body=RECORD_CREATE,
    response=RECORD_DETAIL,
    status=201,
)
def create_record(call: Call) -> Any:
    require_role(call.user, "change", DecisionRecord)  # before the village is looked up
    data = dict(call.body)
    village = visible_divisions(call.user).filter(code=data["village"]).first()
    if village is None:
        raise ValidationError(
            {"village": _("Nothing with the id %(id)s is open to you.") % {"id": data["village"]}}
        )
    data["village"] = village
    record = services.create_record(actor=call.user, **data)
    return answer(call, record.pk)


@record_item.operation(
    "GET",
    summary=gettext_lazy("Show a decision record"),
    description=gettext_lazy(
        "The record with its process's steps, each meeting (attendance, votes, quorum and "
        "outcome, files), the publications and what it approved."
    ),
    tag=TAG,
    response=RECORD_DETAIL,
)
def show_record(call: Call, pk: int) -> Any:
    return answer(call, pk)


def _changing(call: Call, pk: int) -> DecisionRecord:
    require_role(call.user, "change", DecisionRecord)
    return load_record(call.user, pk)


@record_meeting.operation(
    "POST",
    summary=gettext_lazy("Record a meeting"),
    description=gettext_lazy(
        "The meeting of the record's current step, judged by its rule: passed, the record "
        "moves on; quorum or vote failed, it stops as not passed. The minutes are required: "
        "send a multipart form with the fields, the ``minutes`` file (PDF, .docx or a photo) "
        "and up to 9 ``photos``."
    ),
    tag=TAG,
    body=MEETING_RECORD,
    response=RECORD_DETAIL,
    multipart=True,
    files=("minutes", "photos"),
)
def record_a_meeting(call: Call, pk: int) -> Any:
    record = _changing(call, pk)
    files = call.files if call.request.content_type == "multipart/form-data" else None
    services.record_meeting(
        actor=call.user,
        record=record,
        minutes=files.get("minutes") if files else None,
        photos=files.getlist("photos") if files else [],
        **call.body,
    )
    return answer(call, pk)


@record_publish.operation(
    "POST",
    summary=gettext_lazy("Publish a decision"),
    description=gettext_lazy(
        "决议公开 or 实施结果公开 at the record's current step: when and what was published."
    ),
    tag=TAG,
    body=PUBLISH,
    response=RECORD_DETAIL,
)
def publish_record(call: Call, pk: int) -> Any:
    services.publish(actor=call.user, record=_changing(call, pk), **call.body)
    return answer(call, pk)


@file_route.operation(
    "GET",
    summary=gettext_lazy("Download a meeting file"),
    description=gettext_lazy("The minutes or a photo of a meeting, to those who see its record."),
    tag=TAG,
    media_type="application/octet-stream",
)
def download_file(call: Call, pk: int) -> Any:
    item = restrict(call.user, "view", DecisionFile).filter(pk=pk).first()
    if item is None:
        raise not_found()
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = download(handle, filename=item.name, content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    return response

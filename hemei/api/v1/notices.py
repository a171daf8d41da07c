"""Public notices (公示): the list with the notice page's filters, a notice with its
objections (those the reader may see) and the names of its attachments; post a village's
own announcement (a notice without subject), raise an objection, answer one, withdraw a
notice. Every change goes through :mod:`hemei.notices.services`, which checks the policy and
refuses personal data on a notice. Attachments are added on the pages, not through the API;
a procedure's notices (a case's step, the points) are posted by the procedure itself."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field, StrictInt

from hemei.accounts.policy import allows, restrict
from hemei.accounts.roles import API_ROLES
from hemei.notices import models, registry, selectors, services
from hemei.notices.choices import NoticeState, ObjectionState
from hemei.notices.models import MAX_DAYS
from hemei.procedures.choices import TimeUnit

from .. import engine
from ..engine import Export, Flag, Input, Paging, page_of, paginate
from .common import (
    DivisionCodeText,
    DivisionRef,
    Moment,
    PersonRef,
    Text,
    division_ref,
    labelled,
    one_of,
    person_ref,
    require_role,
    v1,
    visible_divisions,
)

TAG = "notices"
v1.gate(TAG, models.Notice, roles=API_ROLES)

router = Router(tags=[TAG])

# Shapes -----------------------------------------------------------------------------------

STATES = [("running", gettext_lazy("running now")), *NoticeState.choices]
NoticeStateValue = Literal[tuple(NoticeState.values)]  # type: ignore[valid-type]
TimeUnitValue = Literal[tuple(TimeUnit.values)]  # type: ignore[valid-type]


class Notice(Schema):
    id: int = Field(ge=1)
    village: DivisionRef
    group: str = Field(
        description=gettext_lazy("The villagers' group, when only one is concerned.")
    )
    kind: str = Field(
        description=gettext_lazy(
            "What posted it: general (the village's own announcement) or the procedure."
        )
    )
    kind_label: str
    title: str
    body: str
    subject: str | None = Field(
        description=gettext_lazy("The record it is about (e.g. cases.case:12); empty: none.")
    )
    starts_at: Moment
    ends_at: Moment
    days: int = Field(ge=1)
    unit: TimeUnitValue = Field(description=labelled(TimeUnit.choices))
    state: NoticeStateValue = Field(description=labelled(NoticeState.choices))
    status: str = Field(description=gettext_lazy("The state in words, as the list page shows it."))
    running: bool = Field(description=gettext_lazy("Posted and its period not yet passed."))
    closed_at: Moment | None
    outcome: str
    open_objections: int = Field(ge=0)


class NoticeObjection(Schema):
    id: int = Field(ge=1)
    reason: str
    raised_by: PersonRef | None
    raised_at: Moment
    state: Literal[tuple(ObjectionState.values)] = Field(  # type: ignore[valid-type]
        description=labelled(ObjectionState.choices)
    )
    answer: str
    answered_by: PersonRef | None
    answered_at: Moment | None


class NoticeAttachment(Schema):
    id: int = Field(ge=1)
    name: str
    content_type: str
    size: int = Field(ge=0)


class NoticeDetail(Notice):
    posted_by: PersonRef | None
    created_at: Moment
    objections: list[NoticeObjection] = Field(
        max_length=100_000, description=gettext_lazy("Those you may see.")
    )
    attachments: list[NoticeAttachment] = Field(
        max_length=100,
        description=gettext_lazy("Their names; the files are read on the notice page."),
    )
    may_object: bool = Field(description=gettext_lazy("You may raise an objection now."))
    may_answer: bool = Field(description=gettext_lazy("You may answer its objections."))
    may_withdraw: bool = Field(description=gettext_lazy("You may withdraw it now."))


def _subject(notice: models.Notice) -> str | None:
    if notice.content_type_id is None:
        return None
    kind = notice.content_type
    return f"{kind.app_label}.{kind.model}:{notice.object_id}"


def notice_summary(notice: models.Notice) -> dict[str, Any]:
    """A list row (from ``selectors.notices``: village and content type selected, open
    objections counted)."""
    return {
        "id": notice.pk,
        "village": division_ref(notice.village),
        "group": notice.group,
        "kind": notice.kind,
        "kind_label": str(registry.label_of(notice.kind)),
        "title": notice.title,
        "body": notice.body,
        "subject": _subject(notice),
        "starts_at": notice.starts_at,
        "ends_at": notice.ends_at,
        "days": notice.days,
        "unit": notice.unit,
        "state": notice.state,
        "status": selectors.status_text(notice),
        "running": notice.is_running,
        "closed_at": notice.closed_at,
        "outcome": notice.outcome,
        "open_objections": notice.open_objections,
    }


def notice_detail(notice: models.Notice, user: Any) -> dict[str, Any]:
    objections = restrict(user, "view", notice.objections.all()).select_related(
        "raised_by", "answered_by"
    )
    may_run = allows(user, "change", notice)
    return {
        **notice_summary(notice),
        "posted_by": person_ref(notice.posted_by),
        "created_at": notice.created_at,
        "objections": [
            {
                "id": o.pk,
                "reason": o.reason,
                "raised_by": person_ref(o.raised_by),
                "raised_at": o.raised_at,
                "state": o.state,
                "answer": o.answer,
                "answered_by": person_ref(o.answered_by),
                "answered_at": o.answered_at,
            }
            for o in objections
        ],
        "attachments": [
            {"id": f.pk, "name": f.name, "content_type": f.content_type, "size": f.size}
            for f in restrict(user, "view", notice.files.all())
        ],
        "may_object": notice.is_running and allows(user, "object", notice),
        "may_answer": may_run,
        "may_withdraw": may_run and notice.state == NoticeState.POSTED,
    }


def _rows(user: Any) -> Any:
    return selectors.notices(user).select_related("content_type", "posted_by")


def load_notice(user: Any, pk: int) -> models.Notice:
    notice = _rows(user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def answer(user: Any, pk: int) -> dict[str, Any]:
    return notice_detail(load_notice(user, pk), user)


# Inputs -------------------------------------------------------------------------------------


class NoticeCreate(Input):
    # a code, not a reference: the role is checked before the village is looked up
    village: DivisionCodeText = Field(
        description=gettext_lazy("The code of the village where it is posted.")
    )
    group: Text = Field(
        "",
        max_length=60,
        description=gettext_lazy("Only when it is posted within one villagers' group."),
    )
    title: Text = Field(min_length=1, max_length=200)
    body: Text = Field(
        "",
        max_length=20_000,
        description=gettext_lazy("Plain text; never ID, phone, bank or health details."),
    )
    days: StrictInt = Field(ge=1, le=MAX_DAYS, description=gettext_lazy("How long it runs."))
    unit: one_of(TimeUnit.values) = Field(  # type: ignore[valid-type]
        TimeUnit.CALENDAR_DAY.value,
        description=labelled(TimeUnit.choices, gettext_lazy("Default: calendar days.")),
    )


class NoticeObjectionCreate(Input):
    reason: Text = Field(min_length=1, max_length=500, description=gettext_lazy("Why you object."))


class NoticeObjectionAnswer(Input):
    upheld: Flag = Field(
        description=gettext_lazy(
            "true: the objector is right; false: dismissed, the notice stands."
        )
    )
    answer: Text = Field(
        min_length=1, max_length=500, description=gettext_lazy("The reason, shown to the objector.")
    )


class NoticeWithdraw(Input):
    reason: Text = Field(
        min_length=1, max_length=500, description=gettext_lazy("Why it is withdrawn.")
    )


class Filters(Schema):
    model_config = ConfigDict(str_strip_whitespace=True)

    q: Text | None = Field(
        None, max_length=100, description=gettext_lazy("Words in the title, text or group.")
    )
    state: one_of(value for value, _label in STATES) | None = Field(  # type: ignore[valid-type]
        None, description=labelled(STATES)
    )
    kind: Text | None = Field(
        None,
        max_length=40,
        description=gettext_lazy("What posted it (general, or a procedure's kind, e.g. points)."),
    )
    village: DivisionCodeText | None = Field(
        None, description=gettext_lazy("Notices of this division or below it.")
    )


# Operations -------------------------------------------------------------------------------


@router.get(
    "notices/",
    url_name="notice_list",
    response=page_of(Notice),
    summary=gettext_lazy("List public notices"),
    description=gettext_lazy(
        "Public notices of your area, newest first, with the filters of the notice list "
        "page; ``format=xlsx`` exports them."
    ),
)
def list_notices(
    request: HttpRequest,
    filters: Query[Filters],
    paging: Query[Paging],
    exporting: Query[Export],
) -> Any:
    rows = selectors.notices(
        request.user,
        q=filters.q or "",
        state=filters.state or "",
        kind=filters.kind or "",
        area=filters.village or "",
    )
    if exporting.format == "xlsx":
        return engine.export(
            rows,
            filename="notices",
            title=_("Public notices"),
            columns=selectors.export_columns(),
        )
    return paginate(request, paging, rows.select_related("content_type"), notice_summary)


@router.post(
    "notices/",
    url_name="notice_list",
    response={201: NoticeDetail},
    summary=gettext_lazy("Post a public notice"),
    description=gettext_lazy(
        "The village's own announcement (a notice without subject) from now for the days "
        "given; objections wait for the village's answer. Refused when the title or text "
        "shows an ID, phone or bank number or health details. Attachments are added on the "
        "pages, not through the API; a procedure's notices are posted by its step."
    ),
)
def post_notice(request: HttpRequest, payload: NoticeCreate) -> Status[dict[str, Any]]:
    user = request.user
    require_role(user, "post", models.Notice)  # before the village is looked up
    village = visible_divisions(user).filter(code=payload.village).first()
    if village is None:
        raise ValidationError(
            {"village": _("Nothing with the id %(id)s is open to you.") % {"id": payload.village}}
        )
    notice = services.post_notice(
        actor=user,
        village=village,
        title=payload.title,
        body=payload.body,
        days=payload.days,
        unit=payload.unit,
        group=payload.group,
    )
    return Status(201, answer(user, notice.pk))


@router.get(
    "notices/{int:pk}/",
    url_name="notice_detail",
    response=NoticeDetail,
    summary=gettext_lazy("Show a public notice"),
    description=gettext_lazy(
        "The notice with its period and outcome, the objections you may see with their "
        "answers, and the names of its attachments."
    ),
)
def show_notice(request: HttpRequest, pk: int) -> dict[str, Any]:
    return answer(request.user, pk)


@router.post(
    "notices/{int:pk}/objections/",
    url_name="notice_objections",
    response={201: NoticeDetail},
    summary=gettext_lazy("Raise an objection"),
    description=gettext_lazy(
        "异议 while the notice runs. On a procedure's notice the matter goes back to the "
        "step that posted it; on an announcement the objection waits for the village's answer."
    ),
)
def raise_objection(
    request: HttpRequest, pk: int, payload: NoticeObjectionCreate
) -> Status[dict[str, Any]]:
    user = request.user
    require_role(user, "object", models.Notice)
    notice = load_notice(user, pk)
    services.raise_objection(actor=user, notice=notice, reason=payload.reason)
    return Status(201, answer(user, pk))


@router.post(
    "notice-objections/{int:pk}/answer/",
    url_name="notice_objection_answer",
    response=NoticeDetail,
    summary=gettext_lazy("Answer an objection"),
    description=gettext_lazy(
        "The village's officials (or the county office) uphold or dismiss an open objection, "
        "with the reason."
    ),
)
def answer_objection(
    request: HttpRequest, pk: int, payload: NoticeObjectionAnswer
) -> dict[str, Any]:
    user = request.user
    require_role(user, "change", models.NoticeObjection)
    objection = restrict(user, "view", models.NoticeObjection).filter(pk=pk).first()
    if objection is None:
        raise Http404
    services.answer_objection(
        actor=user, objection=objection, upheld=payload.upheld, answer=payload.answer
    )
    return answer(user, objection.notice_id)


@router.post(
    "notices/{int:pk}/withdraw/",
    url_name="notice_withdraw",
    response=NoticeDetail,
    summary=gettext_lazy("Withdraw a public notice"),
    description=gettext_lazy(
        "Take a running notice down, with the reason; a procedure's matter goes back to the "
        "step that posted it."
    ),
)
def withdraw_notice(request: HttpRequest, pk: int, payload: NoticeWithdraw) -> dict[str, Any]:
    user = request.user
    require_role(user, "change", models.Notice)
    services.withdraw_notice(actor=user, notice=load_notice(user, pk), reason=payload.reason)
    return answer(user, pk)

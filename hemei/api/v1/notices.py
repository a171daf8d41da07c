"""Public notices (公示): the list with the notice page's filters, a notice with its
objections (those the reader may see) and the names of its attachments; post a village's
own announcement (a notice without subject), raise an objection, answer one, withdraw a
notice. Every change goes through :mod:`hemei.notices.services`, which checks the policy and
refuses personal data on a notice. Attachments are added on the pages, not through the API;
a procedure's notices (a case's step, the points) are posted by the procedure itself."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.policy import allows, restrict
from hemei.accounts.roles import API_ROLES
from hemei.notices import registry, selectors, services
from hemei.notices.choices import NoticeState, ObjectionState
from hemei.notices.models import MAX_DAYS, Notice, NoticeObjection
from hemei.procedures.choices import TimeUnit

from .. import schema as s
from ..framework import Call, not_found
from .common import (
    DIVISION,
    DIVISION_CODE,
    PERSON,
    api,
    division_ref,
    moment,
    person_ref,
    require_role,
    visible_divisions,
)

TAG = "notices"
api.gate(TAG, Notice, roles=API_ROLES)

# Shapes -----------------------------------------------------------------------------------

STATES = [("running", gettext_lazy("running now")), *NoticeState.choices]
NOTICE_FIELDS: dict[str, s.Field] = {
    "id": s.Int(minimum=1),
    "village": DIVISION,
    "group": s.Str(description=gettext_lazy("The villagers' group, when only one is concerned.")),
    "kind": s.Str(
        description=gettext_lazy(
            "What posted it: general (the village's own announcement) or the procedure."
        )
    ),
    "kind_label": s.Str(),
    "title": s.Str(),
    "body": s.Str(),
    "subject": s.Str(
        nullable=True,
        description=gettext_lazy("The record it is about (e.g. cases.case:12); empty: none."),
    ),
    "starts_at": s.DateTime(),
    "ends_at": s.DateTime(),
    "days": s.Int(minimum=1),
    "unit": s.Choice(TimeUnit.choices),
    "state": s.Choice(NoticeState.choices),
    "status": s.Str(description=gettext_lazy("The state in words, as the list page shows it.")),
    "running": s.Bool(description=gettext_lazy("Posted and its period not yet passed.")),
    "closed_at": s.DateTime(nullable=True),
    "outcome": s.Str(),
    "open_objections": s.Int(minimum=0),
}
NOTICE = s.response("Notice", NOTICE_FIELDS)
OBJECTION = s.response(
    "NoticeObjection",
    {
        "id": s.Int(minimum=1),
        "reason": s.Str(),
        "raised_by": s.Nullable(PERSON),
        "raised_at": s.DateTime(),
        "state": s.Choice(ObjectionState.choices),
        "answer": s.Str(),
        "answered_by": s.Nullable(PERSON),
        "answered_at": s.DateTime(nullable=True),
    },
)
ATTACHMENT = s.response(
    "NoticeAttachment",
    {
        "id": s.Int(minimum=1),
        "name": s.Str(),
        "content_type": s.Str(),
        "size": s.Int(minimum=0),
    },
)
NOTICE_DETAIL = s.response(
    "NoticeDetail",
    {
        **NOTICE_FIELDS,
        "posted_by": s.Nullable(PERSON),
        "created_at": s.DateTime(),
        "objections": s.List(
            OBJECTION, max_items=100_000, description=gettext_lazy("Those you may see.")
        ),
        "attachments": s.List(
            ATTACHMENT,
            max_items=100,
            description=gettext_lazy("Their names; the files are read on the notice page."),
        ),
        "may_object": s.Bool(description=gettext_lazy("You may raise an objection now.")),
        "may_answer": s.Bool(description=gettext_lazy("You may answer its objections.")),
        "may_withdraw": s.Bool(description=gettext_lazy("You may withdraw it now.")),
    },
)


def _subject(notice: Notice) -> str | None:
    if notice.content_type_id is None:
        return None
    kind = notice.content_type
    return f"{kind.app_label}.{kind.model}:{notice.object_id}"


def notice_summary(notice: Notice) -> dict[str, Any]:
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
        "starts_at": moment(notice.starts_at),
        "ends_at": moment(notice.ends_at),
        "days": notice.days,
        "unit": notice.unit,
        "state": notice.state,
        "status": selectors.status_text(notice),
        "running": notice.is_running,
        "closed_at": moment(notice.closed_at),
        "outcome": notice.outcome,
        "open_objections": notice.open_objections,
    }


def notice_detail(notice: Notice, user: Any) -> dict[str, Any]:
    objections = restrict(user, "view", notice.objections.all()).select_related(
        "raised_by", "answered_by"
    )
    may_run = allows(user, "change", notice)
    return {
        **notice_summary(notice),
        "posted_by": person_ref(notice.posted_by),
        "created_at": moment(notice.created_at),
        "objections": [
            {
                "id": o.pk,
                "reason": o.reason,
                "raised_by": person_ref(o.raised_by),
                "raised_at": moment(o.raised_at),
                "state": o.state,
                "answer": o.answer,
                "answered_by": person_ref(o.answered_by),
                "answered_at": moment(o.answered_at),
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


def load_notice(user: Any, pk: int) -> Notice:
    notice = _rows(user).filter(pk=pk).first()
    if notice is None:
        raise not_found()
    return notice


def answer(call: Call, pk: int) -> dict[str, Any]:
    return notice_detail(load_notice(call.user, pk), call.user)


# Inputs -------------------------------------------------------------------------------------

NOTICE_CREATE = s.Obj(
    "NoticeCreate",
    {
        "village": s.Str(
            min_length=2,
            max_length=12,
            pattern="[0-9]+",
            description=gettext_lazy("The code of the village where it is posted."),
        ),
        "group": s.Str(
            max_length=60,
            description=gettext_lazy("Only when it is posted within one villagers' group."),
        ),
        "title": s.Str(min_length=1, max_length=200),
        "body": s.Str(
            max_length=20_000,
            description=gettext_lazy("Plain text; never ID, phone, bank or health details."),
        ),
        "days": s.Int(minimum=1, maximum=MAX_DAYS, description=gettext_lazy("How long it runs.")),
        "unit": s.Choice(TimeUnit.choices, description=gettext_lazy("Default: calendar days.")),
    },
    required=["village", "title", "days"],
)
OBJECTION_CREATE = s.Obj(
    "NoticeObjectionCreate",
    {"reason": s.Str(min_length=1, max_length=500, description=gettext_lazy("Why you object."))},
    required=["reason"],
)
OBJECTION_ANSWER = s.Obj(
    "NoticeObjectionAnswer",
    {
        "upheld": s.Bool(
            description=gettext_lazy(
                "true: the objector is right; false: dismissed, the notice stands."
            )
        ),
        "answer": s.Str(
            min_length=1,
            max_length=500,
            description=gettext_lazy("The reason, shown to the objector."),
        ),
    },
    required=["upheld", "answer"],
)
NOTICE_WITHDRAW = s.Obj(
    "NoticeWithdraw",
    {
        "reason": s.Str(
            min_length=1, max_length=500, description=gettext_lazy("Why it is withdrawn.")
        )
    },
    required=["reason"],
)

FILTERS = (
    s.Param("q", s.Str(max_length=100), gettext_lazy("Words in the title, text or group.")),
    s.Param("state", s.Choice(STATES)),
    s.Param(
        "kind",
        s.Str(max_length=40),
        gettext_lazy("What posted it (general, or a procedure's kind, e.g. points)."),
    ),
    s.Param("village", DIVISION_CODE, gettext_lazy("Notices of this division or below it.")),
)

# Endpoints ---------------------------------------------------------------------------------

notice_list = api.route("notices/", "notice_list")
notice_item = api.route("notices/<int:pk>/", "notice_detail")
notice_objections = api.route("notices/<int:pk>/objections/", "notice_objections")
notice_withdraw = api.route("notices/<int:pk>/withdraw/", "notice_withdraw")
objection_answer = api.route("notice-objections/<int:pk>/answer/", "notice_objection_answer")


@notice_list.operation(
    "GET",
    summary=gettext_lazy("List public notices"),
    description=gettext_lazy(
        "Public notices of your area, newest first, with the filters of the notice list "
        "page; ``format=xlsx`` exports them."
    ),
    tag=TAG,
    query=FILTERS,
    response=NOTICE,
    paged=True,
    exports=True,
)
def list_notices(call: Call) -> Any:
    query = call.query
    rows = selectors.notices(
        call.user,
        q=query.get("q", ""),
        state=query.get("state", ""),
        kind=query.get("kind", ""),
        area=query.get("village", ""),
    )
    if call.wants_export:
        return call.export(
            rows,
            filename="notices",
            title=_("Public notices"),
            columns=selectors.export_columns(),
        )
    return call.page(rows.select_related("content_type"), notice_summary)


@notice_list.operation(
    "POST",
    summary=gettext_lazy("Post a public notice"),
    description=gettext_lazy(
        "The village's own announcement (a notice without subject) from now for the days "
        "given; objections wait for the village's answer. Refused when the title or text "
        "shows an ID, phone or bank number or health details. Attachments are added on the "
        "pages, not through the API; a procedure's notices are posted by its step."
    ),
    tag=TAG,
    body=NOTICE_CREATE,
    response=NOTICE_DETAIL,
    status=201,
)
def post_notice(call: Call) -> Any:
    require_role(call.user, "post", Notice)  # before the village is looked up
    data = dict(call.body)
    village = visible_divisions(call.user).filter(code=data["village"]).first()
    if village is None:
        raise ValidationError(
            {"village": _("Nothing with the id %(id)s is open to you.") % {"id": data["village"]}}
        )
    notice = services.post_notice(
        actor=call.user,
        village=village,
        title=data["title"],
        body=data.get("body", ""),
        days=data["days"],
        unit=data.get("unit", TimeUnit.CALENDAR_DAY),
        group=data.get("group", ""),
    )
    return answer(call, notice.pk)


@notice_item.operation(
    "GET",
    summary=gettext_lazy("Show a public notice"),
    description=gettext_lazy(
        "The notice with its period and outcome, the objections you may see with their "
        "answers, and the names of its attachments."
    ),
    tag=TAG,
    response=NOTICE_DETAIL,
)
def show_notice(call: Call, pk: int) -> Any:
    return answer(call, pk)


@notice_objections.operation(
    "POST",
    summary=gettext_lazy("Raise an objection"),
    description=gettext_lazy(
        "异议 while the notice runs. On a procedure's notice the matter goes back to the "
        "step that posted it; on an announcement the objection waits for the village's answer."
    ),
    tag=TAG,
    body=OBJECTION_CREATE,
    response=NOTICE_DETAIL,
    status=201,
)
def raise_objection(call: Call, pk: int) -> Any:
    require_role(call.user, "object", Notice)
    notice = load_notice(call.user, pk)
    services.raise_objection(actor=call.user, notice=notice, reason=call.body["reason"])
    return answer(call, pk)


@objection_answer.operation(
    "POST",
    summary=gettext_lazy("Answer an objection"),
    description=gettext_lazy(
        "The village's officials (or the county office) uphold or dismiss an open objection, "
        "with the reason."
    ),
    tag=TAG,
    body=OBJECTION_ANSWER,
    response=NOTICE_DETAIL,
)
def answer_objection(call: Call, pk: int) -> Any:
    require_role(call.user, "change", NoticeObjection)
    objection = restrict(call.user, "view", NoticeObjection).filter(pk=pk).first()
    if objection is None:
        raise not_found()
    services.answer_objection(
        actor=call.user,
        objection=objection,
        upheld=call.body["upheld"],
        answer=call.body["answer"],
    )
    return answer(call, objection.notice_id)


@notice_withdraw.operation(
    "POST",
    summary=gettext_lazy("Withdraw a public notice"),
    description=gettext_lazy(
        "Take a running notice down, with the reason; a procedure's matter goes back to the "
        "step that posted it."
    ),
    tag=TAG,
    body=NOTICE_WITHDRAW,
    response=NOTICE_DETAIL,
)
def withdraw_notice(call: Call, pk: int) -> Any:
    require_role(call.user, "change", Notice)
    services.withdraw_notice(
        actor=call.user, notice=load_notice(call.user, pk), reason=call.body["reason"]
    )
    return answer(call, pk)

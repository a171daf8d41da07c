"""Leaders' contact points (三包三联): which leader answers for which town, village or key
task. Listed within your area; administrators add and remove them through
:mod:`hemei.tasks.links`, which checks that they administer the division."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.policy import is_admin
from hemei.divisions.choices import Level
from hemei.divisions.models import subtree_q
from hemei.tasks import links, selectors
from hemei.tasks.choices import LinkKind
from hemei.tasks.models import LeaderLink, Task

from .. import schema as s
from ..framework import Call, not_found
from .common import DIVISION, DIVISION_CODE, PERSON, api, division_code, division_ref, person_ref

TAG = "leaders"
api.gate(TAG, LeaderLink)

TASK_REF = s.response("TaskRef", {"id": s.Int(minimum=1), "title": s.Str()})
LINK = s.response(
    "LeaderLink",
    {
        "id": s.Int(minimum=1),
        "leader": PERSON,
        "kind": s.Choice(LinkKind.choices),
        "division": DIVISION,
        "task": s.Nullable(TASK_REF, description=gettext_lazy("The key task, for a task link.")),
    },
)


def link_item(link: LeaderLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "leader": person_ref(link.leader),
        "kind": link.kind,
        "division": division_ref(link.division),
        "task": {"id": link.task.pk, "title": link.task.title} if link.task else None,
    }


def _leaders(user: Any) -> Any:
    return selectors.leaders_for(user)


def _tasks(user: Any) -> Any:
    return Task.objects.visible_to(user)


LINK_CREATE = s.Obj(
    "LeaderLinkCreate",
    {
        "leader": s.Ref(s.Int(minimum=1), _leaders, description=gettext_lazy("A leader's id.")),
        "kind": s.Choice(LinkKind.choices),
        "division": division_code(
            nullable=True, description=gettext_lazy("The town or village (not for a task link).")
        ),
        "task": s.Ref(
            s.Int(minimum=1),
            _tasks,
            nullable=True,
            description=gettext_lazy("The key task (task links)."),
        ),
    },
    required=["leader", "kind"],
)
FILTERS = (
    s.Param("leader", s.Int(minimum=1), gettext_lazy("A leader's id.")),
    s.Param("kind", s.Choice(LinkKind.choices)),
    s.Param("division", DIVISION_CODE, gettext_lazy("Links at this division or below it.")),
    s.Param("task", s.Int(minimum=1), gettext_lazy("Links to this task.")),
)


def visible_links(user: Any) -> Any:
    return LeaderLink.objects.visible_to(user).select_related("leader", "division", "task")


link_list = api.route("leader-links/", "leader_link_list")
link_item_route = api.route("leader-links/<int:pk>/", "leader_link_detail")


@link_list.operation(
    "GET",
    summary=gettext_lazy("List leaders' contact points"),
    description=gettext_lazy("Contact points at divisions in your area, by leader."),
    tag=TAG,
    query=FILTERS,
    response=LINK,
    paged=True,
)
def list_links(call: Call) -> Any:
    rows = visible_links(call.user)
    query = call.query
    if "leader" in query:
        rows = rows.filter(leader_id=query["leader"])
    if "kind" in query:
        rows = rows.filter(kind=query["kind"])
    if "division" in query:
        rows = rows.filter(subtree_q([query["division"]], "division"))
    if "task" in query:
        rows = rows.filter(task_id=query["task"])
    return call.page(
        rows.order_by("leader__full_name", "leader_id", "kind", "division_id", "id"), link_item
    )


@link_list.operation(
    "POST",
    summary=gettext_lazy("Add a contact point"),
    description=gettext_lazy(
        "Link a leader to a town (包镇), a village (联村) or a key task (包项目; give ``task``, its "
        "division is taken). Administrators of the division only."
    ),
    tag=TAG,
    body=LINK_CREATE,
    response=LINK,
    status=201,
)
def create_link(call: Call) -> Any:
    if not is_admin(call.user):
        raise PermissionDenied(_("Only administrators may change contact points."))
    data = call.body
    kind, task, division = data["kind"], data.get("task"), data.get("division")
    if kind == LinkKind.TASK:
        if task is None:
            raise ValidationError({"task": _("Give the task of a task link.")})
        division = task.division
    else:
        if task is not None:
            raise ValidationError(_("A task link names a task; a town or village link does not."))
        expected = Level.TOWN if kind == LinkKind.TOWN else Level.VILLAGE
        if division is None:
            raise ValidationError({"division": _("Give the division's code.")})
        if division.level != expected:
            raise ValidationError(
                {"division": _("Choose a %(level)s.") % {"level": Level(expected).label}}
            )
    made = links.create_leader_link(
        actor=call.user, leader=data["leader"], kind=kind, division=division, task=task
    )
    return link_item(visible_links(call.user).get(pk=made.pk))


@link_item_route.operation(
    "GET",
    summary=gettext_lazy("Show a contact point"),
    description=gettext_lazy("One contact point."),
    tag=TAG,
    response=LINK,
)
def show_link(call: Call, pk: int) -> Any:
    link = visible_links(call.user).filter(pk=pk).first()
    if link is None:
        raise not_found()
    return link_item(link)


@link_item_route.operation(
    "DELETE",
    summary=gettext_lazy("Remove a contact point"),
    description=gettext_lazy(
        "Remove it (administrators of its division only). Answers 204 with no body."
    ),
    tag=TAG,
    status=204,
)
def delete_link(call: Call, pk: int) -> Any:
    if not is_admin(call.user):
        raise PermissionDenied(_("Only administrators may change contact points."))
    link = visible_links(call.user).filter(pk=pk).first()
    if link is None:
        raise not_found()
    links.delete_leader_link(actor=call.user, link=link)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "private, no-store"
    return response

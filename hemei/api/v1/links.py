"""Leaders' contact points (三包三联): which leader answers for which town, village or key
task. Listed within your area; administrators add and remove them through
:mod:`hemei.tasks.links`, which checks that they administer the division."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from pydantic import Field

from hemei.accounts.policy import is_admin
from hemei.divisions.choices import Level
from hemei.divisions.models import subtree_q
from hemei.tasks import links, models, selectors
from hemei.tasks.choices import LinkKind

from ..engine import Id, Input, Paging, not_found, page_of, paginate, visible
from .common import (
    DivisionCode,
    DivisionRef,
    Filters,
    PersonRef,
    QueryId,
    choice,
    division_ref,
    division_ref_to,
    person_ref,
    v1,
)

TAG = "leaders"
v1.gate(TAG, models.LeaderLink)

router = Router(tags=[TAG])

Kind = choice(LinkKind.choices)


class TaskRef(Schema):
    id: int = Field(ge=1)
    title: str


class LeaderLink(Schema):
    id: int = Field(ge=1)
    leader: PersonRef
    kind: Kind
    division: DivisionRef
    task: TaskRef | None = Field(description=gettext_lazy("The key task, for a task link."))


def link_item(link: models.LeaderLink) -> dict[str, Any]:
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
    return models.Task.objects.visible_to(user)


Leader = visible(Id, _leaders, description=gettext_lazy("A leader's id."))
Place = division_ref_to()
KeyTask = visible(Id, _tasks)


class LeaderLinkCreate(Input):
    leader: Leader
    kind: Kind
    division: Place | None = Field(
        None, description=gettext_lazy("The town or village (not for a task link).")
    )
    task: KeyTask | None = Field(None, description=gettext_lazy("The key task (task links)."))


class LinkFilters(Filters):
    leader: QueryId | None = Field(None, description=gettext_lazy("A leader's id."))
    kind: Kind | None = None
    division: DivisionCode | None = Field(
        None, description=gettext_lazy("Links at this division or below it.")
    )
    task: QueryId | None = Field(None, description=gettext_lazy("Links to this task."))


def visible_links(user: Any) -> Any:
    return models.LeaderLink.objects.visible_to(user).select_related("leader", "division", "task")


@router.get(
    "leader-links/",
    url_name="leader_link_list",
    response=page_of(LeaderLink),
    summary=gettext_lazy("List leaders' contact points"),
    description=gettext_lazy("Contact points at divisions in your area, by leader."),
)
def list_links(
    request: HttpRequest, filters: Query[LinkFilters], paging: Query[Paging]
) -> dict[str, Any]:
    rows = visible_links(request.user)
    if filters.leader is not None:
        rows = rows.filter(leader_id=filters.leader)
    if filters.kind is not None:
        rows = rows.filter(kind=filters.kind)
    if filters.division is not None:
        rows = rows.filter(subtree_q([filters.division], "division"))
    if filters.task is not None:
        rows = rows.filter(task_id=filters.task)
    rows = rows.order_by("leader__full_name", "leader_id", "kind", "division_id", "id")
    return paginate(request, paging, rows, link_item)


@router.post(
    "leader-links/",
    url_name="leader_link_list",
    response={201: LeaderLink},
    summary=gettext_lazy("Add a contact point"),
    description=gettext_lazy(
        "Link a leader to a town (包镇), a village (联村) or a key task (包项目; give ``task``, its "
        "division is taken). Administrators of the division only."
    ),
)
def create_link(request: HttpRequest, payload: LeaderLinkCreate) -> dict[str, Any]:
    if not is_admin(request.user):
        raise PermissionDenied(_("Only administrators may change contact points."))
    kind, task, division = payload.kind, payload.task, payload.division
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
        actor=request.user, leader=payload.leader, kind=kind, division=division, task=task
    )
    return link_item(visible_links(request.user).get(pk=made.pk))


@router.get(
    "leader-links/{int:pk}/",
    url_name="leader_link_detail",
    response=LeaderLink,
    summary=gettext_lazy("Show a contact point"),
    description=gettext_lazy("One contact point."),
)
def show_link(request: HttpRequest, pk: int) -> dict[str, Any]:
    link = visible_links(request.user).filter(pk=pk).first()
    if link is None:
        raise not_found()
    return link_item(link)


@router.delete(
    "leader-links/{int:pk}/",
    url_name="leader_link_detail",
    response={204: None},
    summary=gettext_lazy("Remove a contact point"),
    description=gettext_lazy(
        "Remove it (administrators of its division only). Answers 204 with no body."
    ),
)
def delete_link(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied(_("Only administrators may change contact points."))
    link = visible_links(request.user).filter(pk=pk).first()
    if link is None:
        raise not_found()
    links.delete_leader_link(actor=request.user, link=link)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "private, no-store"
    return response

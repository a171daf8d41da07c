"""Writing supervision: the escalation ladder, orders and their answers, extensions.

Every function takes keyword arguments, runs in a transaction, checks the actor's right,
leaves an audit entry and puts the step on the task's timeline
(``hemei.tasks.services.add_event``). Notifications go through
``hemei.notifications.services.notify`` (in-app and e-mail).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction, Role
from hemei.accounts.models import RoleAssignment, User
from hemei.accounts.policy import allows, allows_at
from hemei.accounts.workflow import Transition, change_state
from hemei.core import clock
from hemei.core.faults import fault_point
from hemei.divisions.models import Division
from hemei.notifications.services import notify
from hemei.tasks.choices import EventKind, State
from hemei.tasks.models import Task
from hemei.tasks.services import add_event, change_deadline, check_not_duty, refresh_lights

from .choices import CardKind, ExtensionState, OrderSource, OrderState, StepKind
from .models import (
    DEFAULT_LADDER,
    Card,
    ExtensionRequest,
    LadderStep,
    OrderReply,
    Step,
    StepTaken,
    SupervisionOrder,
)

log = logging.getLogger(__name__)

CHUNK = 1000


# --- who hears about a task ---------------------------------------------------------------


def responsible_side(tasks: Sequence[Task]) -> dict[int, list[User]]:
    """For each task, the people who do the work: its responsible person, the staff of its
    lead unit, and the officials of its town (and village, for a village's task).

    Read in a fixed number of queries for any number of tasks.
    """
    unit_ids = {t.lead_unit_id for t in tasks if t.lead_unit_id}
    codes: set[str] = set()
    for t in tasks:
        codes.update(_official_codes(t.division_id))
    grants = RoleAssignment.objects.filter(user__is_active=True).select_related("user")
    by_unit: dict[int, list[User]] = defaultdict(list)
    by_code: dict[str, list[User]] = defaultdict(list)
    if unit_ids:
        for grant in grants.filter(role=Role.DEPARTMENT, unit_id__in=unit_ids):
            by_unit[grant.unit_id].append(grant.user)
    if codes:
        roles = [Role.TOWN_OFFICIAL, Role.VILLAGE_OFFICIAL]
        for grant in grants.filter(role__in=roles, division_id__in=codes):
            by_code[grant.division_id].append(grant.user)
    responsible_ids = {t.responsible_id for t in tasks if t.responsible_id}
    people = {u.pk: u for u in User.objects.filter(pk__in=responsible_ids, is_active=True)}
    answer: dict[int, list[User]] = {}
    for t in tasks:
        found: dict[int, User] = {}
        if t.responsible_id in people:
            found[t.responsible_id] = people[t.responsible_id]
        for user in by_unit.get(t.lead_unit_id, []) if t.lead_unit_id else []:
            found.setdefault(user.pk, user)
        for code in _official_codes(t.division_id):
            for user in by_code.get(code, []):
                found.setdefault(user.pk, user)
        answer[t.pk] = list(found.values())
    return answer


def _official_codes(code: str) -> list[str]:
    """The town (and village) whose officials answer for a task at ``code``."""
    return [code[:n] for n in (9, 12) if len(code) >= n]


def _lead_leader(task: Task) -> list[User]:
    return [task.lead_leader] if task.lead_leader_id and task.lead_leader else []


def _task_url(task: Task) -> str:
    try:
        return reverse("tasks:task_detail", args=[task.pk])
    except NoReverseMatch:  # the task pages come from another app; fall back to our section
        return reverse("supervision:task_section", args=[task.pk])


def _county_code(code: str) -> str:
    return code[:6] if len(code) >= 6 else code


# --- the ladder ---------------------------------------------------------------------------


def ladder_for(code: str, configured: dict[str, list[Step]] | None = None) -> list[Step]:
    """The steps for a task at ``code``: the nearest division at or above it that has a
    configured ladder (usually the county), else :data:`DEFAULT_LADDER`."""
    if configured is None:
        configured = configured_ladders()
    for n in (12, 9, 6, 4, 2):
        if len(code) >= n and code[:n] in configured:
            return configured[code[:n]]
    return list(DEFAULT_LADDER)


def configured_ladders() -> dict[str, list[Step]]:
    found: dict[str, list[Step]] = defaultdict(list)
    for row in LadderStep.objects.order_by("division_id", "days", "order", "id"):
        found[row.division_id].append(row.step)
    return dict(found)


def due_steps(steps: Iterable[Step], due_on: dt.date, today: dt.date) -> list[Step]:
    """The steps whose day has come. A reminder is only sent up to the deadline: once a
    task is late the cards speak, and a reminder missed (the worker was down) is dropped."""
    answer = []
    for step in steps:
        if due_on + dt.timedelta(days=step.days) > today:
            continue
        if step.kind == StepKind.REMINDER and today > due_on:
            continue
        answer.append(step)
    return answer


def climb_ladder(today: dt.date | None = None) -> dict[str, int]:
    """Take every ladder step whose day has come, once per task and deadline.

    First refreshes every open task's state and light. Then, for every open task without
    subtasks (the parts that do the work; a parent is late only because a part is), each
    step of its county's ladder whose day has come and that was not yet taken for the
    task's current deadline is taken: reminders notify, cards are recorded and notified,
    supervision orders are issued with a reply deadline. Running it again the same day (or
    every minute) changes nothing; an approved extension gives a new deadline and so a
    fresh ladder; done tasks stop climbing. Answers how many of each step were taken.
    """
    today = today or clock.today()
    refresh_lights(today=today)
    configured = configured_ladders()
    all_steps = [s for steps in configured.values() for s in steps] + list(DEFAULT_LADDER)
    earliest = min(s.days for s in all_steps)
    has_children = Task.objects.filter(parent_id=OuterRef("pk"))
    # Read the candidates as plain tuples: most have nothing to do on a given day, and only
    # the tasks with a step to take are loaded as objects.
    candidates = (
        Task.objects.exclude(state=State.DONE)
        .filter(due_on__lte=today - dt.timedelta(days=earliest))
        .filter(~Exists(has_children))
        .order_by("pk")
        .values_list("pk", "division_id", "due_on")
    )
    counts = {kind: 0 for kind in StepKind.values}
    batch: list[tuple[int, str, dt.date]] = []
    for row in candidates.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            _climb_batch(batch, today, configured, counts)
            batch = []
    if batch:
        _climb_batch(batch, today, configured, counts)
    counts["overdue_replies"] = report_overdue_replies(today=today)
    return counts


def report_overdue_replies(today: dt.date | None = None) -> int:
    """Tell the responsible side and the issuer, once per order, that a reply is overdue."""
    today = today or clock.today()
    orders = list(
        SupervisionOrder.objects.filter(
            state=OrderState.OPEN, reply_due__lt=today, overdue_noticed_at__isnull=True
        ).select_related("task", "task__lead_leader", "issued_by")
    )
    if not orders:
        return 0
    people = responsible_side([order.task for order in orders])
    for order in orders:
        task = order.task
        with transaction.atomic():
            marked = SupervisionOrder.objects.filter(
                pk=order.pk, overdue_noticed_at__isnull=True
            ).update(overdue_noticed_at=clock.now())
            if not marked:  # another sweep reported it
                continue
            text = _("The reply to %(number)s was due on %(due)s and has not come.") % {
                "number": order.number,
                "due": order.reply_due.isoformat(),
            }
            add_event(task, EventKind.NOTE, text=text, order=order.pk, number=order.number)
            issuer = [order.issued_by] if order.issued_by_id else _lead_leader(task)
            notify(
                recipients=people.get(task.pk, []) + issuer,
                kind="order_overdue",
                title=_("Reply overdue: %(number)s %(title)s")
                % {"number": order.number, "title": task.title},
                body=text,
                url=reverse("supervision:order_detail", args=[order.pk]),
                task=task,
            )
    return len(orders)


def _climb_batch(
    rows: list[tuple[int, str, dt.date]],
    today: dt.date,
    configured: dict[str, list[Step]],
    counts: dict[str, int],
) -> None:
    taken = set(
        StepTaken.objects.filter(task_id__in=[pk for pk, _code, _due in rows]).values_list(
            "task_id", "due_on", "kind", "days"
        )
    )
    todo: dict[int, tuple[dt.date, list[Step]]] = {}
    for pk, code, due_on in rows:
        steps = [
            s
            for s in due_steps(ladder_for(code, configured), due_on, today)
            if (pk, due_on, s.kind, s.days) not in taken
        ]
        if steps:
            todo[pk] = (due_on, steps)
    if not todo:
        return
    tasks = [
        task
        for task in Task.objects.filter(pk__in=list(todo))
        .exclude(state=State.DONE)
        .select_related("lead_leader", "division")
        .order_by("pk")
        if task.due_on == todo[task.pk][0]  # the deadline moved meanwhile: next sweep
    ]
    people = responsible_side(tasks)
    for task in tasks:
        steps = todo[task.pk][1]
        try:
            with transaction.atomic():
                _take_steps(task, steps, people.get(task.pk, []), today)
        except IntegrityError:
            # Another sweep took these steps at the same moment: nothing left to do.
            log.info("ladder steps for task %s already taken", task.pk)
            continue
        for step in steps:
            counts[step.kind] += 1


def _take_steps(task: Task, steps: list[Step], people: list[User], today: dt.date) -> None:
    now = clock.now()
    StepTaken.objects.bulk_create(
        [StepTaken(task=task, due_on=task.due_on, kind=s.kind, days=s.days, at=now) for s in steps]
    )
    url = _task_url(task)
    reminders = [s for s in steps if s.kind == StepKind.REMINDER]
    if reminders:
        # Several reminders due at once (a missed run) make one message.
        days_left = (task.due_on - today).days
        if days_left > 0:
            text = _("%(title)s is due in %(days)d days, on %(due)s.") % {
                "title": task.title,
                "days": days_left,
                "due": task.due_on.isoformat(),
            }
        else:
            text = _("%(title)s is due today.") % {"title": task.title}
        notify(
            recipients=people,
            kind="reminder",
            title=_("Reminder: %(title)s") % {"title": task.title},
            body=text,
            url=url,
            task=task,
        )
        for step in reminders:
            add_event(task, EventKind.REMINDER, text=text, step=step.key, due_on=str(task.due_on))
    late = (today - task.due_on).days
    for step in steps:
        if step.kind in (StepKind.YELLOW_CARD, StepKind.RED_CARD):
            kind = CardKind.YELLOW if step.kind == StepKind.YELLOW_CARD else CardKind.RED
            Card.objects.create(
                task=task, kind=kind, issued_at=now, step=step.key, due_on=task.due_on
            )
            label = _("Yellow card") if kind == CardKind.YELLOW else _("Red card")
            text = _("%(card)s: %(title)s is %(days)d days past its deadline of %(due)s.") % {
                "card": label,
                "title": task.title,
                "days": late,
                "due": task.due_on.isoformat(),
            }
            event = EventKind.YELLOW_CARD if kind == CardKind.YELLOW else EventKind.RED_CARD
            add_event(task, event, text=text, step=step.key, due_on=str(task.due_on))
            recipients = people + (_lead_leader(task) if kind == CardKind.RED else [])
            notify(
                recipients=recipients,
                kind=f"{kind}_card",
                title=f"{label}: {task.title}",
                body=text,
                url=url,
                task=task,
            )
        elif step.kind == StepKind.SUPERVISION_ORDER:
            text = _(
                "%(title)s is %(days)d days past its deadline of %(due)s. Report what has been "
                "done, why it is late and when it will be finished."
            ) % {"title": task.title, "days": late, "due": task.due_on.isoformat()}
            _issue(
                task=task,
                actor=None,
                text=text,
                reply_due=today + dt.timedelta(days=step.reply_days or 5),
                source=OrderSource.LADDER,
                people=people,
                step=step.key,
                today=today,
            )
    fault_point("supervision.ladder.steps")  # all notified, the transaction not yet committed


# --- supervision orders -------------------------------------------------------------------


def order_number(county: str, year: int, serial: int) -> str:
    return f"督办〔{year}〕{serial}号"


def _issue(
    *,
    task: Task,
    actor: Any,
    text: str,
    reply_due: dt.date,
    source: str,
    people: list[User],
    step: str = "",
    today: dt.date | None = None,
) -> SupervisionOrder:
    now = clock.now()
    county_code = _county_code(task.division_id)
    # Lock the county row so two orders of one county never take the same serial.
    county = Division.objects.select_for_update().get(code=county_code)
    year = (today or clock.today()).year
    last = SupervisionOrder.objects.filter(county=county, year=year).aggregate(m=Max("serial"))
    serial = (last["m"] or 0) + 1
    order = SupervisionOrder.objects.create(
        task=task,
        county=county,
        year=year,
        serial=serial,
        number=order_number(county_code, year, serial),
        issued_at=now,
        issued_by=actor if getattr(actor, "pk", None) else None,
        reply_due=reply_due,
        text=text,
        source=source,
    )
    audit.record(
        actor=actor, action=AuditAction.CREATE, instance=order, division_code=task.division_id
    )
    add_event(
        task,
        EventKind.SUPERVISION_ORDER,
        actor=actor,
        text=text,
        order=order.pk,
        number=order.number,
        reply_due=reply_due.isoformat(),
        source=source,
        step=step,
    )
    notify(
        recipients=people + _lead_leader(task),
        kind="supervision_order",
        title=_("Supervision order %(number)s: %(title)s")
        % {
            "number": order.number,
            "title": task.title,
        },
        body=_("%(text)s\nReply by %(due)s.") % {"text": text, "due": reply_due.isoformat()},
        url=reverse("supervision:order_detail", args=[order.pk]),
        task=task,
    )
    return order


@transaction.atomic
def issue_order(*, task: Task, actor: Any, text: str, reply_due: dt.date) -> SupervisionOrder:
    """A supervision order issued by hand by a supervisor."""
    if not allows(actor, "supervise", task):
        raise PermissionDenied(_("You may not issue supervision orders for this task."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what the order demands.")})
    if reply_due < clock.today():
        raise ValidationError({"reply_due": _("The reply deadline must not be in the past.")})
    people = responsible_side([task])[task.pk]
    return _issue(
        task=task,
        actor=actor,
        text=text,
        reply_due=reply_due,
        source=OrderSource.MANUAL,
        people=people,
    )


ANSWER = Transition(
    "answer",
    frozenset({OrderState.OPEN, OrderState.ANSWERED}),
    OrderState.ANSWERED,
    refused=gettext_lazy("This supervision order is closed."),
)
CLOSE = Transition(
    "close",
    frozenset({OrderState.ANSWERED}),
    OrderState.CLOSED,
    refused=gettext_lazy("An order is closed once it has been answered."),
)
SEND_BACK = Transition(
    "send_back",
    frozenset({OrderState.ANSWERED}),
    OrderState.OPEN,
    refused=gettext_lazy("Only an answered order can be sent back."),
)
_ORDERS = SupervisionOrder.objects.select_related("task")


def _order_url(order: SupervisionOrder) -> str:
    return reverse("supervision:order_detail", args=[order.pk])


def _tell_responsible(order: SupervisionOrder, kind: str, title: str, *, body: str) -> None:
    """Tell the supervised side of an order's task (``title`` takes number and title)."""
    task = order.task
    notify(
        recipients=responsible_side([task])[task.pk],
        kind=kind,
        title=title % {"number": order.number, "title": task.title},
        body=body,
        url=_order_url(order),
        task=task,
    )


def reply_to_order(
    *, order: SupervisionOrder, actor: Any, text: str, attachment: Any = None
) -> OrderReply:
    """The responsible side answers (反馈) an order; it becomes answered."""
    text = (text or "").strip()
    now = clock.now()
    replies: list[OrderReply] = []

    def guard(row: SupervisionOrder) -> None:
        if not allows(actor, "answer", row.task):
            raise PermissionDenied(_("You may not answer this supervision order."))
        if row.state != OrderState.CLOSED and not text:
            raise ValidationError({"text": _("Write the answer.")})

    def keep_reply(row: SupervisionOrder, before: str) -> None:
        reply = OrderReply(order=row, author=actor, text=text, at=now)
        if attachment:
            reply.attachment = attachment
        reply.save()
        replies.append(reply)

    def timeline(row: SupervisionOrder, before: str) -> None:
        add_event(
            row.task,
            EventKind.ORDER_REPLIED,
            actor=actor,
            text=text,
            order=row.pk,
            number=row.number,
            late=now.date() > row.reply_due,
        )

    def tell_issuer(row: SupervisionOrder, before: str) -> None:
        notify(
            recipients=[row.issued_by] if row.issued_by_id else _lead_leader(row.task),
            kind="order_replied",
            title=_("Answer to %(number)s: %(title)s")
            % {"number": row.number, "title": row.task.title},
            body=text,
            url=_order_url(row),
            task=row.task,
        )

    change_state(
        order,
        ANSWER,
        actor=actor,
        division_code=lambda row: row.task.division_id,
        guard=guard,
        values={"answered_at": now},
        effects=[keep_reply, timeline, tell_issuer],
        queryset=_ORDERS,
    )
    return replies[0]


def close_order(*, order: SupervisionOrder, actor: Any, note: str = "") -> SupervisionOrder:
    """The supervisor accepts the answer and closes the order."""

    def guard(row: SupervisionOrder) -> None:
        if not allows(actor, "supervise", row.task):
            raise PermissionDenied(_("You may not close this supervision order."))
        if row.state == OrderState.CLOSED:
            raise ValidationError(_("This supervision order is already closed."))

    def timeline(row: SupervisionOrder, before: str) -> None:
        add_event(
            row.task,
            EventKind.ORDER_CLOSED,
            actor=actor,
            text=note,
            order=row.pk,
            number=row.number,
        )

    def tell_responsible(row: SupervisionOrder, before: str) -> None:
        _tell_responsible(row, "order_closed", _("%(number)s closed: %(title)s"), body=note)

    return change_state(
        order,
        CLOSE,
        actor=actor,
        division_code=lambda row: row.task.division_id,
        guard=guard,
        values={"closed_at": clock.now(), "closed_by": actor},
        effects=[timeline, tell_responsible],
        queryset=_ORDERS,
    )


def send_back_order(*, order: SupervisionOrder, actor: Any, note: str) -> SupervisionOrder:
    """The answer is not enough: the order is open again and the reason goes back."""
    note = (note or "").strip()

    def guard(row: SupervisionOrder) -> None:
        if not allows(actor, "supervise", row.task):
            raise PermissionDenied(_("You may not send this answer back."))
        if row.state == OrderState.ANSWERED and not note:
            raise ValidationError({"note": _("Say what the answer lacks.")})

    def timeline(row: SupervisionOrder, before: str) -> None:
        add_event(
            row.task,
            EventKind.NOTE,
            actor=actor,
            text=_("Answer to %(number)s sent back: %(note)s")
            % {"number": row.number, "note": note},
            order=row.pk,
        )

    def tell_responsible(row: SupervisionOrder, before: str) -> None:
        _tell_responsible(
            row, "order_sent_back", _("Answer to %(number)s sent back: %(title)s"), body=note
        )

    return change_state(
        order,
        SEND_BACK,
        actor=actor,
        division_code=lambda row: row.task.division_id,
        guard=guard,
        effects=[timeline, tell_responsible],
        queryset=_ORDERS,
    )


# --- extension requests -------------------------------------------------------------------


def _deciders(task: Task, requester: Any = None) -> list[User]:
    """Who decides an extension (the ExtensionRequest policy's ``decide``): the lead leader,
    or the county administrators when there is none or the lead leader asked."""
    if task.lead_leader_id and task.lead_leader_id != getattr(requester, "pk", None):
        return _lead_leader(task)
    county = _county_code(task.division_id)
    prefixes = [county[:n] for n in (2, 4, 6) if n <= len(county)]
    return [
        g.user
        for g in RoleAssignment.objects.filter(
            role=Role.COUNTY_ADMIN, division_id__in=prefixes, user__is_active=True
        ).select_related("user")
    ]


@transaction.atomic
def request_extension(
    *, task: Task, actor: Any, requested_due: dt.date, reason: str
) -> ExtensionRequest:
    """The responsible side asks the lead leader for a later deadline."""
    task = (
        Task.objects.select_for_update(of=("self",)).select_related("lead_leader").get(pk=task.pk)
    )
    if not allows(actor, "answer", task):
        raise PermissionDenied(_("You may not request an extension for this task."))
    check_not_duty(task)
    if task.state == State.DONE:
        raise ValidationError(_("The task is done; it needs no extension."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if requested_due <= task.due_on:
        raise ValidationError(
            {"requested_due": _("The new deadline must be later than the current one.")}
        )
    if ExtensionRequest.objects.filter(task=task, state=ExtensionState.PENDING).exists():
        raise ValidationError(_("This task already has a pending extension request."))
    request = ExtensionRequest.objects.create(
        task=task,
        requested_by=actor,
        requested_at=clock.now(),
        current_due=task.due_on,
        requested_due=requested_due,
        reason=reason,
    )
    audit.record(
        actor=actor, action=AuditAction.CREATE, instance=request, division_code=task.division_id
    )
    add_event(
        task,
        EventKind.EXTENSION_REQUESTED,
        actor=actor,
        text=reason,
        request=request.pk,
        before=task.due_on.isoformat(),
        after=requested_due.isoformat(),
    )
    notify(
        recipients=_deciders(task, actor),
        kind="extension_requested",
        title=_("Extension requested: %(title)s") % {"title": task.title},
        body=_("From %(before)s to %(after)s. %(reason)s")
        % {"before": task.due_on.isoformat(), "after": requested_due.isoformat(), "reason": reason},
        url=reverse("supervision:extension_detail", args=[request.pk]),
        task=task,
    )
    return request


APPROVE_EXTENSION = Transition(
    "approve",
    frozenset({ExtensionState.PENDING}),
    ExtensionState.APPROVED,
    refused=gettext_lazy("This request has already been decided."),
)
REFUSE_EXTENSION = Transition(
    "refuse",
    frozenset({ExtensionState.PENDING}),
    ExtensionState.REFUSED,
    refused=gettext_lazy("This request has already been decided."),
)


def decide_extension(
    *, request: ExtensionRequest, actor: Any, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The lead leader approves (the deadline moves, the ladder restarts) or refuses."""
    note = (note or "").strip()

    def guard(row: ExtensionRequest) -> None:
        if row.requested_by_id == getattr(actor, "pk", None):
            raise PermissionDenied(_("Nobody decides their own extension request."))
        if not allows(actor, "decide", row):
            raise PermissionDenied(_("Only the task's lead leader may decide on an extension."))
        if row.state == ExtensionState.PENDING and not approve and not note:
            raise ValidationError({"note": _("Say why the extension is refused.")})

    def timeline(row: ExtensionRequest, before: str) -> None:
        if approve:
            add_event(
                row.task,
                EventKind.EXTENSION_APPROVED,
                actor=actor,
                text=note,
                request=row.pk,
                after=row.requested_due.isoformat(),
            )
            change_deadline(
                task=row.task, due_on=row.requested_due, actor=actor, reason=note or row.reason
            )
        else:
            add_event(row.task, EventKind.EXTENSION_REFUSED, actor=actor, text=note, request=row.pk)

    def tell_requester(row: ExtensionRequest, before: str) -> None:
        task = row.task
        if approve:
            title = _("Extension approved: %(title)s") % {"title": task.title}
            body = _("The new deadline is %(due)s.") % {"due": row.requested_due.isoformat()}
        else:
            title = _("Extension refused: %(title)s") % {"title": task.title}
            body = note
        notify(
            recipients=[row.requested_by, *responsible_side([task])[task.pk]],
            kind="extension_decided",
            title=title,
            body=body,
            url=reverse("supervision:extension_detail", args=[row.pk]),
            task=task,
        )

    return change_state(
        request,
        APPROVE_EXTENSION if approve else REFUSE_EXTENSION,
        actor=actor,
        division_code=lambda row: row.task.division_id,
        guard=guard,
        values={"decided_by": actor, "decided_at": clock.now(), "decision_note": note},
        effects=[timeline, tell_requester],
        queryset=ExtensionRequest.objects.select_related(
            "task", "task__lead_leader", "requested_by"
        ),
    )


# --- ladder configuration -----------------------------------------------------------------


@transaction.atomic
def save_ladder(*, actor: Any, division: Division, steps: Sequence[Step]) -> list[LadderStep]:
    """Replace a county's ladder with ``steps`` (an empty list restores the default)."""
    if not allows_at(actor, "administer", division.code):
        raise PermissionDenied(_("You may not configure the ladder of %(d)s.") % {"d": division})
    seen: set[tuple[str, int]] = set()
    for step in steps:
        if step.kind not in StepKind.values:
            raise ValidationError(_("Unknown step: %(kind)s") % {"kind": step.kind})
        if step.kind != StepKind.REMINDER and step.days < 0:
            raise ValidationError(_("Cards and orders come on or after the deadline."))
        if not -365 <= step.days <= 365:
            raise ValidationError(_("A step lies within a year of the deadline."))
        if step.kind == StepKind.SUPERVISION_ORDER and not 1 <= step.reply_days <= 90:
            raise ValidationError(_("An order gives 1 to 90 days to reply."))
        if (step.kind, step.days) in seen:
            raise ValidationError(_("The same step appears twice."))
        seen.add((step.kind, step.days))
    before = [f"{s.kind}{s.days:+d}" for s in LadderStep.objects.filter(division=division)]
    LadderStep.objects.filter(division=division).delete()
    rows = LadderStep.objects.bulk_create(
        [
            LadderStep(
                division=division,
                order=index,
                kind=s.kind,
                days=s.days,
                reply_days=s.reply_days if s.kind == StepKind.SUPERVISION_ORDER else 0,
            )
            for index, s in enumerate(sorted(steps, key=lambda s: (s.days, s.kind)))
        ]
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=division,
        changes={"ladder": [before, [f"{s.kind}{s.days:+d}" for s in steps]]},
        division_code=division.code,
    )
    return rows

"""Supervision (督查督办): the escalation ladder, cards, supervision orders and extensions.

The ladder of a county is a list of steps counted in days from a task's deadline (negative
= before it). When no step is configured for a county, :data:`DEFAULT_LADDER` applies:
reminders 3 days before and on the deadline, a yellow card 1 day after it, a red card after
7 days, and a supervision order after 14 days with 5 days to reply.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts import policy as access
from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import ADMIN_ROLES, WORK_ROLES

from .choices import CardKind, ExtensionState, OrderSource, OrderState, StepKind


class Step(NamedTuple):
    """One rung of a ladder, saved or default."""

    kind: str
    days: int
    reply_days: int = 0

    @property
    def key(self) -> str:
        return f"{self.kind}{self.days:+d}"


DEFAULT_LADDER: tuple[Step, ...] = (
    Step(StepKind.REMINDER, -3),
    Step(StepKind.REMINDER, 0),
    Step(StepKind.YELLOW_CARD, 1),
    Step(StepKind.RED_CARD, 7),
    Step(StepKind.SUPERVISION_ORDER, 14, 5),
)


class LadderStep(models.Model):
    """A configured step of a county's ladder."""

    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("division"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    days = models.SmallIntegerField(
        _("days from the deadline"),
        help_text=_("Negative: before the deadline (reminders); positive: after it."),
    )
    reply_days = models.PositiveSmallIntegerField(
        _("days to reply"),
        default=5,
        help_text=_("For supervision orders: the reply is due this many days after issue."),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "days", "order", "id"]
        verbose_name = _("ladder step")
        verbose_name_plural = _("ladder steps")
        constraints = [
            models.UniqueConstraint(
                fields=["division", "kind", "days"],
                name="ladderstep_unique",
                violation_error_message=_("This step is already on the ladder."),
            ),
            models.CheckConstraint(
                condition=Q(kind=StepKind.REMINDER) | Q(days__gte=0),
                name="ladderstep_escalation_after_deadline",
                violation_error_message=_("Cards and orders come on or after the deadline."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.days:+d}"

    @property
    def step(self) -> Step:
        return Step(self.kind, self.days, self.reply_days)


class TaskScopedQuerySet(RestrictedQuerySet[Any]):
    """Rows of a task, seen by whoever sees the task (the work loop of its subtree)."""


class StepTaken(models.Model):
    """The ladder's log: a step taken for a task and the deadline it was counted from.

    The unique constraint makes each step happen once per deadline, however often the
    sweep runs; a new deadline (an approved extension) starts a fresh ladder.
    """

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("deadline"))
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    days = models.SmallIntegerField(_("days from the deadline"))
    at = models.DateTimeField(_("taken at"))

    objects = TaskScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "due_on", "kind", "days"], name="steptaken_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.kind}{self.days:+d} · {self.due_on}"


class Card(models.Model):
    """A yellow or red card (黄牌/红牌) shown to a task that is late."""

    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="cards"
    )
    kind = models.CharField(_("card"), max_length=6, choices=CardKind.choices)
    issued_at = models.DateTimeField(_("issued at"))
    step = models.CharField(_("ladder step"), max_length=30, blank=True)
    due_on = models.DateField(_("deadline then"))

    objects = TaskScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        indexes = [models.Index(fields=["task", "issued_at"], name="card_task_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task_id}"


class SupervisionOrderQuerySet(TaskScopedQuerySet):
    def open(self) -> SupervisionOrderQuerySet:
        return self.filter(state=OrderState.OPEN)

    def not_closed(self) -> SupervisionOrderQuerySet:
        return self.exclude(state=OrderState.CLOSED)


class SupervisionOrder(models.Model):
    """A supervision order (督办单): a written demand that the responsible side answers."""

    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="supervision_orders",
    )
    county = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("order number"), max_length=40)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the ladder issued it."),
    )
    reply_due = models.DateField(_("reply due"))
    state = models.CharField(
        _("state"), max_length=10, choices=OrderState.choices, default=OrderState.OPEN
    )
    text = models.TextField(_("demand"))
    source = models.CharField(
        _("source"), max_length=10, choices=OrderSource.choices, default=OrderSource.MANUAL
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    overdue_noticed_at = models.DateTimeField(
        _("overdue reply reported at"),
        null=True,
        blank=True,
        help_text=_("When the sweep reported the missing reply (once per order)."),
    )

    objects = SupervisionOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "serial"], name="supervisionorder_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["state", "reply_due"], name="order_state_reply_due"),
            models.Index(fields=["task", "state"], name="order_task_state"),
        ]

    def __str__(self) -> str:
        return self.number

    def is_reply_overdue(self, today: Any) -> bool:
        return self.state == OrderState.OPEN and self.reply_due < today


def reply_upload_to(instance: OrderReply, filename: str) -> str:
    return f"supervision/replies/{instance.order_id}/{filename}"


class OrderReply(models.Model):
    """An answer (反馈) to a supervision order from the responsible side."""

    order = models.ForeignKey(
        SupervisionOrder, verbose_name=_("order"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("reply"))
    at = models.DateTimeField(_("answered at"))
    attachment = models.FileField(
        _("attachment"), upload_to=reply_upload_to, blank=True, max_length=300
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.order} · {self.at:%Y-%m-%d}"


class ExtensionRequest(models.Model):
    """An extension request (延期申请): a new deadline asked of the task's lead leader."""

    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    current_due = models.DateField(_("current deadline"))
    requested_due = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason for the extension"))
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = TaskScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state="pending"),
                name="extension_one_pending_per_task",
                violation_error_message=_("This task already has a pending extension request."),
            ),
            models.CheckConstraint(
                condition=Q(requested_due__gt=models.F("current_due")),
                name="extension_later_deadline",
                violation_error_message=_("The new deadline must be later than the current one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.current_due} → {self.requested_due}"


# Supervision is the work loop's: its rows are seen where their task is; acting on them is the
# Task policy's (``supervise``, ``answer``); deciding an extension is the request's.
for _model in (StepTaken, Card, SupervisionOrder):
    register(_model, Policy(field="task__division", view=Rule(WORK_ROLES)))

# An extension is decided by the task's lead leader, never by its requester; when the task
# has no lead leader, or the lead leader asked, a county administrator over the task decides.
_requester = access.own_person("requested_by")
register(
    ExtensionRequest,
    Policy(
        field="task__division",
        view=Rule(WORK_ROLES),
        decide=(
            Rule(
                frozenset(),
                access.excluding(access.own_person("task__lead_leader"), _requester),
                any_user=True,
            ),
            Rule(
                ADMIN_ROLES,
                access.excluding(
                    access.both(
                        access.subtree(),
                        access.where(
                            lambda who: (
                                access.Is("task__lead_leader", None)
                                | access.Same("requested_by", "task__lead_leader")
                            )
                        ),
                    ),
                    _requester,
                ),
            ),
        ),
    ),
)
register(OrderReply, Policy(field="order__task__division", view=Rule(WORK_ROLES)))
register(LadderStep, Policy(view=Rule(WORK_ROLES), change=Rule(ADMIN_ROLES)))

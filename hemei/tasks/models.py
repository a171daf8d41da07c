"""Tasks (任务): decomposed work with an accountable leader, a unit doing it, milestones,
a subtask tree whose progress rolls up by weight, and a timeline of everything that happened.

Progress rule: a leaf's progress is the percent of its last approved report. A task with
subtasks has the weighted mean of its children's progress, Σ wᵢ·pᵢ / Σ wᵢ (weights ≥ 0;
all-zero weights count equally). A mean of values in [0, 100] stays in [0, 100], whatever the
tree, and does not depend on the children's order.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts import policy as access
from hemei.accounts.choices import Role
from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import (
    ADMIN_ROLES,
    SAME_LEVEL_REVIEW_ROLES,
    TASK_MANAGE_ROLES,
    TASK_REPORT_ROLES,
    WORK_ROLES,
)
from hemei.core.choices import Theme
from hemei.core.models import TimeStampedModel
from hemei.core.search import grams, in_rows, search
from hemei.divisions.models import Division
from hemei.units.models import Unit

from .choices import EventKind, Light, LinkKind, Priority, Source, State

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Program(models.Model):
    """A named program or slogan tasks are tagged with: 六大攻坚战, 15件实事 …"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name


def _divisions_named(needle: str) -> models.QuerySet[Division]:
    """The codes of the divisions whose name matches one needle of a search."""
    return Division.objects.filter(grams("name")(needle)).values("code")


class TaskQuerySet(RestrictedQuerySet["Task"]):
    def search(self, text: str) -> TaskQuerySet:
        """Tasks matching a query (hemei.core.search) in the title, description, the names of
        the division and its town or county, and the lead unit. The names are matched in
        their own tables first, so on PostgreSQL the whole search is index scans."""
        return search(
            self,
            text,
            [
                grams("title", "description"),
                lambda needle: in_rows("division_id", _divisions_named(needle)),
                lambda needle: in_rows(
                    "division_id",
                    Division.objects.filter(in_rows("parent_id", _divisions_named(needle))).values(
                        "code"
                    ),
                ),
                lambda needle: in_rows(
                    "lead_unit_id",
                    Unit.objects.filter(
                        Q(name__icontains=needle) | Q(short_name__icontains=needle)
                    ).values("id"),
                ),
            ],
        )

    def open(self) -> TaskQuerySet:
        return self.exclude(state=State.DONE)

    def roots(self) -> TaskQuerySet:
        return self.filter(parent__isnull=True)

    def for_list(self) -> TaskQuerySet:
        """Everything a row of an export or of the API says, in a fixed number of queries."""
        return self.select_related(
            "division", "lead_unit", "lead_leader", "responsible", "parent"
        ).prefetch_related("programs", "co_units")

    def for_rows(self) -> TaskQuerySet:
        """What a row of the task table shows (``tasks/partials/task_table.html``), in one
        query; its programs' names come after the page is cut (``with_program_names``). A
        third of the list's time went to the prefetches and the parent it never showed."""
        return self.select_related("division", "lead_unit", "responsible")

    def answered_by(self, user: Any) -> TaskQuerySet:
        """Tasks the user answers for: as lead leader, responsible person or unit staff."""
        units = [grant.unit_id for grant in access.grants(user) if grant.unit_id]
        condition = Q(lead_leader=user) | Q(responsible=user)
        if units:
            condition |= Q(lead_unit_id__in=units) | Q(co_units__in=units)
        return self.filter(condition).distinct()


class Task(TimeStampedModel):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the work is done: the county for a county task, a town for its part."),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, default=Theme.OTHER)
    programs = models.ManyToManyField(
        Program, verbose_name=_("programs"), blank=True, related_name="tasks"
    )
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead leader"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
    )
    lead_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
    )
    co_units = models.ManyToManyField(
        "units.Unit", verbose_name=_("co-operating units"), blank=True, related_name="co_tasks"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_tasks",
    )
    start_on = models.DateField(_("start"), null=True, blank=True)
    due_on = models.DateField(_("deadline"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    is_key = models.BooleanField(_("key task"), default=False)
    weight = models.DecimalField(
        _("weight"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Its share in the parent's progress, relative to its siblings."),
    )
    progress = models.DecimalField(
        _("progress (%)"), max_digits=5, decimal_places=2, default=Decimal(0), validators=PERCENT
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.NOT_STARTED
    )
    light = models.CharField(_("light"), max_length=6, choices=Light.choices, default=Light.GREEN)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["division", "due_on"], name="task_division_due"),
            # The lists' order (deadline, then number): a page of a province's list walks it
            # instead of sorting 200,000 rows; with the division in the key, a county's list
            # skips other counties' entries inside the index, without reading the table.
            models.Index(fields=["due_on", "id", "division"], name="task_due_id_division"),
            models.Index(fields=["state", "light"], name="task_state_light"),
            models.Index(fields=["parent", "division"], name="task_parent_division"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="task_progress_0_100"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="task_weight_nonnegative"),
            models.CheckConstraint(
                condition=Q(start_on__isnull=True) | Q(start_on__lte=models.F("due_on")),
                name="task_start_before_due",
                violation_error_message=_("The start must not be after the deadline."),
            ),
            models.UniqueConstraint(
                fields=["parent", "division"],
                condition=Q(source="fan_out"),
                name="task_one_fanned_part_per_division",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def program_names(self) -> list[str]:
        """The names of the task's programs: as read for a whole page at once
        (``selectors.with_program_names``), else from its (prefetched) programs."""
        names = getattr(self, "_program_names", None)
        return names if names is not None else [program.name for program in self.programs.all()]

    @property
    def is_done(self) -> bool:
        return self.state == State.DONE

    @property
    def is_duty(self) -> bool:
        """Opened by a procedure (a case step, a disclosure due): kept by it, not by hand."""
        return self.source in (Source.CASE, Source.DISCLOSURE)


class Milestone(models.Model):
    """A node (节点) of a task: reached when an approved report says so."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("name"), max_length=200)
    due_on = models.DateField(_("due"))
    weight = models.DecimalField(
        _("weight"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name


class TaskEvent(models.Model):
    """One line of a task's timeline; written by every app that acts on the task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "at"], name="taskevent_task_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task_id}"


class LightPolicy(models.Model):
    """When a task turns yellow, per county (or any division; the nearest one above applies)."""

    division = models.OneToOneField(
        "divisions.Division", on_delete=models.CASCADE, related_name="+"
    )
    yellow_days = models.PositiveSmallIntegerField(
        _("days before the deadline"),
        default=7,
        help_text=_("Inside this many days of its deadline, a task that lags turns yellow."),
    )
    lag_points = models.PositiveSmallIntegerField(
        _("allowed lag (percentage points)"),
        default=0,
        help_text=_("Yellow when progress trails the share of time elapsed by more than this."),
    )

    class Meta:
        verbose_name = _("light policy")
        verbose_name_plural = _("light policies")

    def __str__(self) -> str:
        return str(self.division_id)


class LeaderLink(models.Model):
    """A leader's contact point (三包三联): a town, a village or a key task they answer for."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_points"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LinkKind.choices)
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="leader_links",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["leader_id", "kind", "division_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "kind", "division", "task"],
                name="leaderlink_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {self.get_kind_display()}"


def _answer(who: access.Who, roles: frozenset[str], policy: Policy) -> access.Cond:
    """The supervised side: may report on the task and may not supervise it."""
    return access.All_(
        policy.condition(who, "report"), access.Not(policy.condition(who, "supervise"))
    )


_not_responsible = access.own_person("responsible")

# Tasks are the work loop's: seen in the subtree by everyone but villagers.
# - change (edit, fan out, add subtasks, issue orders by hand): the managers over it;
# - report: the officials over its division, and its responsible person;
# - review (approve or return reports): a manager above its division, a county administrator
#   or leader at its own level, and its lead leader;
# - supervise: the managers over it except the supervised: a town official not the town's own
#   tasks, department staff not their own unit's, nobody the task they are responsible for;
# - answer (orders) and request extensions: who reports on it and does not supervise it;
# (deciding an extension is the ExtensionRequest policy's, in hemei.supervision.models)
register(
    Task,
    Policy(
        view=Rule(WORK_ROLES),
        change=Rule(TASK_MANAGE_ROLES),
        report=(
            Rule(TASK_REPORT_ROLES),
            Rule(frozenset(), access.own_person("responsible"), any_user=True),
        ),
        review=(
            Rule(TASK_MANAGE_ROLES, access.below()),
            Rule(SAME_LEVEL_REVIEW_ROLES),
            Rule(frozenset(), access.own_person("lead_leader"), any_user=True),
        ),
        supervise=(
            Rule(SAME_LEVEL_REVIEW_ROLES, access.excluding(access.subtree(), _not_responsible)),
            Rule(
                frozenset({Role.TOWN_OFFICIAL}),
                access.excluding(access.below(), _not_responsible),
            ),
            Rule(
                frozenset({Role.DEPARTMENT}),
                access.excluding(
                    access.subtree(), access.units_lead("lead_unit"), _not_responsible
                ),
            ),
        ),
        answer=Rule(frozenset(), _answer, any_user=True),
    ),
)
register(LeaderLink, Policy(view=Rule(WORK_ROLES), change=Rule(ADMIN_ROLES)))

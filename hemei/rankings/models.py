"""Rankings (排名) of towns and villages on how their tasks went, and the circulars (通报)
published from them.

A run ranks the towns of a county (or the villages of a town) for one period. There is one
run per scope, period kind and period: recomputing a period replaces that run's rows in place
(the run keeps its id, its circular number and a new ``computed_at``; the audit trail keeps
who recomputed it), so the history shows one ranking per period and rank changes compare a
period with the one before it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register, subtree_and_ancestors
from hemei.accounts.roles import ADMIN_ROLES, WORK_ROLES
from hemei.core.models import TimeStampedModel

from .choices import JobFailure, JobState, PeriodKind
from .periods import period_label

#: The weights a county starts with: on-time rate, overdue count, average delay, orders.
DEFAULT_WEIGHTS = {"on_time": 50, "overdue": 20, "delay": 15, "orders": 15}


class RankingConfig(TimeStampedModel):
    """How a county scores its towns and villages, and how its circulars are headed."""

    county = models.OneToOneField(
        "divisions.Division",
        verbose_name=_("county"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    weight_on_time = models.PositiveSmallIntegerField(
        _("weight of the on-time completion rate"), default=DEFAULT_WEIGHTS["on_time"]
    )
    weight_overdue = models.PositiveSmallIntegerField(
        _("weight of the overdue count"), default=DEFAULT_WEIGHTS["overdue"]
    )
    weight_delay = models.PositiveSmallIntegerField(
        _("weight of the average delay"), default=DEFAULT_WEIGHTS["delay"]
    )
    weight_orders = models.PositiveSmallIntegerField(
        _("weight of the supervision orders received"), default=DEFAULT_WEIGHTS["orders"]
    )
    issuing_body = models.CharField(
        _("issuing body"),
        max_length=100,
        blank=True,
        help_text=_("Heads the circular, e.g. 即墨区乡村振兴工作领导小组办公室."),
    )
    number_prefix = models.CharField(
        _("document number prefix"),
        max_length=20,
        blank=True,
        help_text=_("Stands before the year in the document number, e.g. 即振办."),
    )

    class Meta:
        ordering = ["county_id"]
        verbose_name = _("ranking configuration")
        verbose_name_plural = _("ranking configurations")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_on_time__gt=0)
                | Q(weight_overdue__gt=0)
                | Q(weight_delay__gt=0)
                | Q(weight_orders__gt=0),
                name="rankingconfig_some_weight",
                violation_error_message=_("At least one weight must be above zero."),
            )
        ]

    def __str__(self) -> str:
        return str(self.county_id)

    @property
    def weights(self) -> dict[str, int]:
        return {
            "on_time": self.weight_on_time,
            "overdue": self.weight_overdue,
            "delay": self.weight_delay,
            "orders": self.weight_orders,
        }


class RankingRunQuerySet(RestrictedQuerySet["RankingRun"]):
    def with_document_number(self) -> RankingRunQuerySet:
        """Annotate ``document_number``: the full number of the run's circular as last issued
        (即振办〔2026〕3号, the body's abbreviation included), "" before any circular."""
        latest = (
            ExportJob.objects.filter(run=models.OuterRef("pk"))
            .order_by("-created_at", "-id")
            .values("document_number")[:1]
        )
        return self.annotate(document_number=Coalesce(models.Subquery(latest), models.Value("")))


class RankingRun(models.Model):
    """One period's ranking of the towns of a county or the villages of a town."""

    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("ranked within"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The county whose towns, or the town whose villages, are ranked."),
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    as_of = models.DateField(
        _("observed until"),
        help_text=_("The day after the period, or today while the period runs."),
    )
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("computed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    config = models.JSONField(_("weights used"), default=dict)
    circular_year = models.PositiveSmallIntegerField(null=True, blank=True)
    circular_number = models.PositiveIntegerField(null=True, blank=True)

    objects = RankingRunQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "scope_id", "period_kind"]
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period_kind", "period_start"], name="rankingrun_one_per_period"
            ),
            models.UniqueConstraint(
                fields=["county", "circular_year", "circular_number"],
                condition=Q(circular_number__isnull=False),
                name="rankingrun_unique_circular_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope_id} · {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.period_kind, self.period_start)

    @property
    def ranks_villages(self) -> bool:
        return len(self.scope_id) == 9


class RankingRow(models.Model):
    """One ranked town or village with the figures its score came from."""

    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="rows")
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveIntegerField(
        _("rank"), null=True, blank=True, help_text=_("Empty when no task fell due.")
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    on_time_rate = models.DecimalField(
        _("on-time rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    due_count = models.PositiveIntegerField(_("tasks due"), default=0)
    on_time_count = models.PositiveIntegerField(_("completed on time"), default=0)
    overdue_count = models.PositiveIntegerField(_("overdue"), default=0)
    late_count = models.PositiveIntegerField(_("late (done late or overdue)"), default=0)
    average_delay = models.DecimalField(
        _("average delay (days)"), max_digits=7, decimal_places=2, default=0
    )
    orders_count = models.PositiveIntegerField(_("supervision orders"), default=0)
    previous_rank = models.PositiveIntegerField(_("previous rank"), null=True, blank=True)
    rank_change = models.IntegerField(
        _("rank change"), null=True, blank=True, help_text=_("Places gained since last period.")
    )

    class Meta:
        ordering = ["run", models.F("rank").asc(nulls_last=True), "division_id"]
        verbose_name = _("ranking row")
        verbose_name_plural = _("ranking rows")
        constraints = [
            models.UniqueConstraint(fields=["run", "division"], name="rankingrow_one_per_division")
        ]

    def __str__(self) -> str:
        return f"{self.rank or '-'} · {self.division_id}"


def circular_path(instance: Any, filename: str) -> str:
    return f"rankings/circulars/{instance.run.county_id}/{instance.pk or 'new'}/{filename}"


class ExportJob(TimeStampedModel):
    """The circular and workbook of a ranking, rendered by the worker, downloaded when done.

    Files live under MEDIA_ROOT and are only served through the download view.
    """

    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(max_length=10, default="zh-hans")
    state = models.CharField(
        _("state"), max_length=8, choices=JobState.choices, default=JobState.QUEUED
    )
    task_result_id = models.CharField(max_length=64, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    docx = models.FileField(upload_to=circular_path, blank=True)
    xlsx = models.FileField(upload_to=circular_path, blank=True)
    error = models.TextField(blank=True)
    failure = models.CharField(
        _("failure"), max_length=12, choices=JobFailure.choices, blank=True, default=""
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How often a worker has started it.")
    )
    worker = models.CharField(
        _("worker"), max_length=200, blank=True, help_text=_("host:process id of its worker")
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("circular export")
        verbose_name_plural = _("circular exports")

    def __str__(self) -> str:
        return f"{self.run} · {self.get_state_display()}"

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


# Rankings are published to the whole area ranked, inside the work loop: the ranking of a
# county's towns is seen by every official of the county (its offices, every town, every
# village), the ranking of a town's villages by the town, its villages and the county above.
# Another town's villages ranking is outside (404); villagers do not see rankings.
_published = Rule(WORK_ROLES, subtree_and_ancestors())
register(RankingRun, Policy(field="scope", view=_published))
register(ExportJob, Policy(field="run__scope", view=_published))
register(RankingConfig, Policy(field="county", view=Rule(WORK_ROLES), change=Rule(ADMIN_ROLES)))

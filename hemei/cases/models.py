"""Cases (办件): every use of a power or a service of the village's catalogue.

A case cites the catalogue item of the version in force when it started and walks that
item's steps on the path its amount selects. Each step taken leaves a :class:`StepRecord`
(opinion, signer, seal, date: the boxes of the paper form) that is never edited; the step in
hand carries a working-day clock whose deadline is a *duty* (``hemei.tasks.duties``), so a
late step climbs the one supervision ladder like any task and shows the task's light.

**Who sees what.** A case names a household: the officials of village affairs read the cases
of their area (county office, leaders, towns, villages; department staff do not, as with the
register); a villager reads their own household's cases and those they applied for. Steps
are taken by the office of the step's level (the village committees, the town, the county
office), checked in the services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemei.accounts import policy as access
from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import CASE_ROLES, VILLAGE_READ_ROLES, VILLAGER_ROLES
from hemei.core import clock

from .choices import CaseState, EventKind, Outcome


class CaseQuerySet(RestrictedQuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(state__in=CaseState.running())


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=40, unique=True)
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalogue.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("matter"), max_length=200)
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    applicant_name = models.CharField(_("applicant"), max_length=60)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CaseState.choices, default=CaseState.OPEN
    )
    step = models.ForeignKey(
        "catalogue.Step",
        verbose_name=_("current step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    step_due_on = models.DateField(_("step due"), null=True, blank=True)
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    duty = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("clock"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.ForeignKey(
        "procedures.DecisionRecord",
        verbose_name=_("decision record (四议两公开)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reasons"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["village", "state", "-created_at"], name="case_village_state"),
            models.Index(fields=["state", "step_due_on"], name="case_state_due"),
            # the list's order: a page is read off the index instead of sorting every case
            models.Index(fields=["-created_at", "-id"], name="case_created"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_running(self) -> bool:
        return self.state in CaseState.running()

    @property
    def light(self) -> str:
        """The light of the step in hand (its duty's: one rule for every deadline)."""
        if self.state != CaseState.OPEN or self.duty is None:
            return ""
        return str(self.duty.light)


class StepRecord(models.Model):
    """One pass through one step: entered, due, and how it was left (append-only)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="records")
    step = models.ForeignKey(
        "catalogue.Step", verbose_name=_("step"), on_delete=models.PROTECT, related_name="+"
    )
    entered_on = models.DateField(_("entered on"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )
    opinion = models.TextField(_("opinion"), blank=True)
    signer = models.CharField(_("signed by"), max_length=60, blank=True)
    sealed = models.BooleanField(_("sealed"), default=False)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    late = models.BooleanField(_("late"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "entered_on", "id"]
        verbose_name = _("step record")
        verbose_name_plural = _("step records")

    def __str__(self) -> str:
        return f"{self.case_id} · {self.step_id} · {self.outcome}"


class CaseEvent(models.Model):
    """The case's timeline: what happened, when, by whom."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=clock.now)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id} · {self.kind}"


def case_file_path(instance: CaseFile, filename: str) -> str:
    return f"cases/{instance.case.village_id}/{instance.case_id}/{clock.now():%Y%m%d%H%M%S%f}"


class CaseFile(models.Model):
    """Material or a photo attached to a case (checked like progress evidence)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    record = models.ForeignKey(
        StepRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=case_file_path)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")

    def __str__(self) -> str:
        return self.name


# --- access --------------------------------------------------------------------------------


def _readers(prefix: str = "") -> tuple[Rule, ...]:
    return (
        Rule(VILLAGE_READ_ROLES),
        Rule(VILLAGER_ROLES, access.own_household(f"{prefix}household")),
        Rule(VILLAGER_ROLES, access.own_person(f"{prefix}applicant")),
    )


register(Case, Policy(field="village", view=_readers(), change=Rule(CASE_ROLES)))
for _model in (StepRecord, CaseEvent, CaseFile):
    register(_model, Policy(field="case__village", view=_readers("case__")))

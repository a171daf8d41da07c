"""Procedures: the working-day clock and the time limits of each step (办理时限).

This is the first part of the procedure engine: the clock (``calendar.py``, pure) with the
years administrators add to it (:class:`WorkdayYear`), and the time limits the later
procedures (homestead approval, notices …) will count with (:class:`TimeLimit`).

**Who may change what, and why.**

* The working-day schedule is national: one per platform, not per county. Every work role
  reads it (a due date must be explainable to whoever it binds). It is changed by the system
  administrators and by county administrators, wherever their grant lies: a platform
  normally serves one county, whose administrators are the highest office on it, and a new
  year's notice must not wait for a system administrator. An added year never edits another:
  it is a new row, the newest row of a year is the one in force, every addition is on the
  audit trail with the notice it comes from, and a year the clock already knows (from the
  library or an earlier addition) is only replaced when the form says so explicitly.
* A time limit belongs to a province or a county: its officials (and those below) read it,
  a county's rows override its province's, and the administrators of the division change
  it (a county administrator their county; a province's rows need a province-level
  administrator or a system administrator).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, everywhere, register
from hemei.accounts.policy import subtree_and_ancestors as with_ancestors
from hemei.accounts.roles import ADMIN_ROLES, WORK_ROLES

from .calendar import YearSchedule
from .choices import TimeUnit

#: The years an administrator may add a schedule for.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class WorkdayYearQuerySet(RestrictedQuerySet["WorkdayYear"]):
    def in_force(self) -> WorkdayYearQuerySet:
        """The newest row of each year (a later addition replaces an earlier one)."""
        newer = WorkdayYear.objects.filter(
            year=models.OuterRef("year"), pk__gt=models.OuterRef("pk")
        )
        return self.exclude(models.Exists(newer))


class WorkdayYear(models.Model):
    """One year's official schedule, added by an administrator: its holidays and its
    adjusted working days (调休), as the State Council's notice gives them.

    It replaces the library's year of the same number, and any earlier addition for it.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    #: ISO dates, sorted
    holidays = models.JSONField(_("holidays"), default=list, blank=True)
    #: ISO dates of the weekend days worked in exchange, sorted
    workdays = models.JSONField(_("adjusted working days"), default=list, blank=True)
    source = models.CharField(
        _("source document"),
        max_length=200,
        help_text=_("The notice the dates come from, e.g. 国办发明电〔2026〕7号."),
    )
    #: what the row replaced when it was added: the library's year or an earlier addition
    supersedes = models.BooleanField(_("replaces a known schedule"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = WorkdayYearQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("working-day schedule")
        verbose_name_plural = _("working-day schedules")

    def __str__(self) -> str:
        return f"{self.year} · {self.source}"

    def holiday_dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(day) for day in self.holidays]

    def workday_dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(day) for day in self.workdays]

    def schedule(self) -> YearSchedule:
        return YearSchedule(
            year=self.year,
            holidays=frozenset(self.holiday_dates()),
            workdays=frozenset(self.workday_dates()),
            source=self.source,
        )


class TimeLimitQuerySet(RestrictedQuerySet["TimeLimit"]):
    def in_force_on(self, day: dt.date) -> TimeLimitQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def overlapping(self, valid_from: dt.date, valid_to: dt.date | None) -> TimeLimitQuerySet:
        """Rows whose validity shares a day with [valid_from, valid_to] (None: open)."""
        rows = self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        return rows if valid_to is None else rows.filter(valid_from__lte=valid_to)


KEY_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"


class TimeLimit(models.Model):
    """How long one step may take, per province or county, with its unit and legal basis.

    A county's row overrides its province's for the same key; rows of one key and division
    never overlap in time (the service refuses it), so at most one is in force on a day.
    """

    key = models.CharField(
        _("key"),
        max_length=80,
        validators=[
            RegexValidator(
                KEY_PATTERN,
                _("Lower-case letters, digits and _ , parts joined by dots."),
            )
        ],
        help_text=_("What the procedures look the limit up by, e.g. homestead.village_review."),
    )
    name = models.CharField(_("name"), max_length=100)
    days = models.PositiveSmallIntegerField(_("days"), validators=[MaxValueValidator(3650)])
    unit = models.CharField(_("unit"), max_length=10, choices=TimeUnit.choices)
    extension_days = models.PositiveSmallIntegerField(
        _("extension (days)"),
        default=0,
        validators=[MaxValueValidator(3650)],
        help_text=_("How much longer it may take when extended, in the same unit."),
    )
    basis = models.TextField(
        _("legal basis"), help_text=_("The rule's source: document, number and article.")
    )
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TimeLimitQuerySet.as_manager()

    class Meta:
        ordering = ["key", "division_id", "valid_from", "id"]
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="timelimit_valid_range",
                violation_error_message=_("The end of validity is before its start."),
            )
        ]
        indexes = [models.Index(fields=["key", "division", "valid_from"], name="timelimit_key")]

    def __str__(self) -> str:
        return f"{self.name} · {self.days} {self.get_unit_display()}"

    @property
    def counts_workdays(self) -> bool:
        return self.unit == TimeUnit.WORKDAY

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


# The schedule is national: every work role reads it, administrators add to it (see above).
register(
    WorkdayYear,
    Policy(view=Rule(WORK_ROLES, everywhere()), change=Rule(ADMIN_ROLES, everywhere())),
)
# A county reads its own limits and its province's; those below it read them too.
register(TimeLimit, Policy(view=Rule(WORK_ROLES, with_ancestors()), change=Rule(ADMIN_ROLES)))

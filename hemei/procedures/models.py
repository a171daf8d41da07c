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
from fractions import Fraction

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts.choices import Role
from hemei.accounts.policy import (
    Is,
    Policy,
    RestrictedQuerySet,
    Rule,
    everywhere,
    own_grant_division,
    register,
    where,
)
from hemei.accounts.policy import subtree_and_ancestors as with_ancestors
from hemei.accounts.roles import ADMIN_ROLES, VILLAGE_READ_ROLES, VILLAGER_ROLES, WORK_ROLES

from . import quorum
from .calendar import YearSchedule
from .choices import DecisionState, FileRole, PassBase, StepKind, TimeUnit

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


# --------------------------------------------------------------------------- 四议两公开
#
# A village's major matter goes through a decision process (``DecisionProcess``): ordered
# steps, each a meeting with its quorum rule or a publication. The platform ships the
# national 四议两公开 (migration 0002); a county may define its own variant (五议两公开 …).
# A ``DecisionRecord`` walks the steps: a meeting whose quorum is not met or whose vote fails
# stops the record as "not passed"; the last publication completes it. Cases, contracts and
# projects link to the record that approved them through ``DecisionLink`` (any model).


class DecisionProcess(models.Model):
    """A template of steps: the national 四议两公开 (no division) or a county's variant."""

    name = models.CharField(_("name"), max_length=100)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty: the national process, offered everywhere."),
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "name", "id"]
        verbose_name = _("decision process")
        verbose_name_plural = _("decision processes")

    def __str__(self) -> str:
        return self.name

    def may_merge_first_steps(self) -> bool:
        kinds = [step.kind for step in self.steps.all()[:2]]
        return kinds == [StepKind.PROPOSAL, StepKind.CONSULTATION]


class DecisionStep(models.Model):
    """One step of a process: a meeting with its quorum rule, or a publication."""

    process = models.ForeignKey(
        DecisionProcess, on_delete=models.CASCADE, related_name="steps", verbose_name=_("process")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=30, choices=StepKind.choices)
    name = models.CharField(_("name"), max_length=100)
    body = models.CharField(_("meeting body"), max_length=100, blank=True)
    # the quorum rule, as exact fractions (numerator / denominator)
    present_num = models.PositiveSmallIntegerField(default=0)
    present_den = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    present_strict = models.BooleanField(default=False)
    pass_num = models.PositiveSmallIntegerField(default=1)
    pass_den = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    pass_base = models.CharField(max_length=10, choices=PassBase.choices, default=PassBase.PRESENT)
    pass_strict = models.BooleanField(default=True)
    configurable_note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["process_id", "position"]
        verbose_name = _("decision step")
        verbose_name_plural = _("decision steps")
        constraints = [
            models.UniqueConstraint(fields=["process", "position"], name="decisionstep_position"),
            models.CheckConstraint(
                condition=Q(present_num__lte=models.F("present_den"))
                & Q(pass_num__lte=models.F("pass_den")),
                name="decisionstep_shares",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def publishes(self) -> bool:
        return StepKind(self.kind).publishes

    def rule(self) -> quorum.QuorumRule:
        return quorum.QuorumRule(
            present_share=Fraction(self.present_num, self.present_den),
            present_strict=self.present_strict,
            pass_share=Fraction(self.pass_num, self.pass_den),
            pass_base=quorum.Base(self.pass_base),
            pass_strict=self.pass_strict,
        )


class DecisionRecordQuerySet(RestrictedQuerySet["DecisionRecord"]):
    def published(self) -> DecisionRecordQuerySet:
        """Records whose resolution is published: what the village's public board shows
        (with their publications only, never the meetings' counts or files)."""
        return self.filter(publications__kind=StepKind.PUBLISH_RESOLUTION).distinct()


class DecisionRecord(models.Model):
    """A village's major matter on its way through a decision process."""

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("matter"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    process = models.ForeignKey(
        DecisionProcess, verbose_name=_("process"), on_delete=models.PROTECT, related_name="+"
    )
    merged_first_steps = models.BooleanField(
        _("steps 1 and 2 merged"),
        default=False,
        help_text=_(
            "The branch secretary is also the committee director (一肩挑): one meeting "
            "proposes and confers."
        ),
    )
    step = models.ForeignKey(
        DecisionStep,
        verbose_name=_("current step"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    state = models.CharField(
        _("state"), max_length=20, choices=DecisionState.choices, default=DecisionState.IN_PROGRESS
    )
    stopped_reason = models.TextField(_("why not passed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DecisionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("decision record")
        verbose_name_plural = _("decision records")
        indexes = [models.Index(fields=["village", "state"], name="decisionrecord_village")]

    def __str__(self) -> str:
        return self.title


def decision_file_path(instance: DecisionFile, filename: str) -> str:
    return f"procedures/decisions/{instance.meeting.record_id}/{instance.sha256[:16]}-{filename}"


class DecisionMeeting(models.Model):
    """The meeting of one step: attendance, votes, and the rule it was judged by."""

    record = models.ForeignKey(
        DecisionRecord, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("record")
    )
    step = models.ForeignKey(
        DecisionStep, on_delete=models.PROTECT, related_name="+", verbose_name=_("step")
    )
    #: the meeting also stood for the next step (steps 1 and 2 merged)
    covers_next = models.BooleanField(default=False)
    held_on = models.DateField(_("date"))
    entitled = models.PositiveIntegerField(_("entitled to attend"))
    present = models.PositiveIntegerField(_("present"))
    votes_for = models.PositiveIntegerField(_("for"))
    against = models.PositiveIntegerField(_("against"))
    abstain = models.PositiveIntegerField(_("abstaining"))
    quorum_met = models.BooleanField(_("quorum met"))
    passed = models.BooleanField(_("passed"))
    reason = models.TextField(_("outcome"))
    rule_text = models.TextField(_("rule applied"))
    rule = models.JSONField(_("rule values"), default=dict)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record_id", "step__position", "id"]
        verbose_name = _("decision meeting")
        verbose_name_plural = _("decision meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=models.F("entitled")), name="decisionmeeting_present"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.step_id} {self.held_on}"


class DecisionFile(models.Model):
    """The minutes or a photo of a meeting, checked by the core evidence check."""

    meeting = models.ForeignKey(
        DecisionMeeting, on_delete=models.CASCADE, related_name="files", verbose_name=_("meeting")
    )
    role = models.CharField(_("kind"), max_length=10, choices=FileRole.choices)
    file = models.FileField(_("file"), upload_to=decision_file_path)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["meeting_id", "role", "id"]
        verbose_name = _("meeting file")
        verbose_name_plural = _("meeting files")

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class DecisionPublication(models.Model):
    """决议公开 or 实施结果公开: when and what was published."""

    record = models.ForeignKey(
        DecisionRecord,
        on_delete=models.CASCADE,
        related_name="publications",
        verbose_name=_("record"),
    )
    step = models.ForeignKey(DecisionStep, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=StepKind.choices)
    published_on = models.DateField(_("published on"))
    text = models.TextField(_("text"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record_id", "step__position", "id"]
        verbose_name = _("decision publication")
        verbose_name_plural = _("decision publications")

    def __str__(self) -> str:
        return f"{self.record_id} {self.kind} {self.published_on}"


class DecisionLink(models.Model):
    """The hook for later modules: a case, contract or project the record approved."""

    record = models.ForeignKey(
        DecisionRecord, on_delete=models.CASCADE, related_name="links", verbose_name=_("record")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record_id", "id"]
        verbose_name = _("approved object")
        verbose_name_plural = _("approved objects")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "content_type", "object_id"], name="decisionlink_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.content_type_id}:{self.object_id}"


# Decisions of village affairs: read by the village-affairs readers in their subtree, made by
# the village's officials and the county office; a villager reads only what is published
# (the public board's selector ``DecisionRecord.objects.published()``).
_decision_readers = Rule(VILLAGE_READ_ROLES)
_decision_makers = (Rule(frozenset({Role.VILLAGE_OFFICIAL})), Rule(ADMIN_ROLES))
register(
    DecisionProcess,
    Policy(
        # the national process (no division) everywhere; a county's in its subtree
        view=(
            Rule(VILLAGE_READ_ROLES, where(lambda who: Is("division", None))),
            Rule(VILLAGE_READ_ROLES, with_ancestors()),
        ),
        change=Rule(ADMIN_ROLES),
    ),
)
register(
    DecisionStep,
    Policy(
        field="process__division",
        view=(
            Rule(VILLAGE_READ_ROLES, where(lambda who: Is("process__division", None))),
            Rule(VILLAGE_READ_ROLES, with_ancestors()),
        ),
    ),
)
register(
    DecisionRecord,
    Policy(field="village", view=_decision_readers, change=_decision_makers),
)
for _model in (DecisionMeeting, DecisionLink):
    register(_model, Policy(field="record__village", view=_decision_readers))
register(DecisionFile, Policy(field="meeting__record__village", view=_decision_readers))
register(
    DecisionPublication,
    Policy(
        field="record__village",
        view=(_decision_readers, Rule(VILLAGER_ROLES, own_grant_division("record__village"))),
    ),
)

"""Homestead and house-building approval (宅基地和农房建设审批) on the case engine.

An :class:`Application` is the homestead part of a case of the catalogue item whose steps
carry the ``homestead.`` keys (the default catalogue's F01): the form's fields, the proposed
parcel's geometry, the household's members as they stood in the register when it was filed,
the numbers of the approval (批准书) and the permit (乡村建设规划许可证), and the figures
approved and built. The steps, their clocks, notices, refusals and the ladder are the case
engine's; this app adds what the national procedure needs on top (``procedure.py``):

* :class:`Flag` — a check that failed (一户一宅, split, hand-back, limits, overlaps), raised at
  application and again at approval; it never blocks silently: an official answers it, and
  the approval step does not pass while one is unanswered;
* :class:`JointOpinion` — the town offices' parallel opinions of the joint review, each on its
  own clock (a duty of the town, so a late office climbs the ladder);
* :class:`SiteVisit` and :class:`Deviation` — the site visits (三到场/四到场) with photos checked
  like progress evidence, and what they found (超红线, 移位, 超高) with a stop-work deadline;
* :class:`AreaLimit` — the province's or county's limits with their validity dates;
* :class:`Numbering` — the approval and permit numbers per town and year.

**Who sees what.** As the case: the officials of village affairs of the area and the
applicant's household. Changes go through the services, checked there.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts import policy as access
from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import (
    ADMIN_ROLES,
    CASE_ROLES,
    VILLAGE_READ_ROLES,
    VILLAGER_ROLES,
    WORK_ROLES,
)
from hemei.core import clock

from .choices import (
    BuildType,
    DeviationKind,
    Disposal,
    FlagKind,
    LandType,
    Office,
    Stage,
    Terrain,
    VisitStage,
)

AREA = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}
METRES = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class ApplicationQuerySet(RestrictedQuerySet["Application"]):
    def with_case(self) -> ApplicationQuerySet:
        """With the case and what a row or a page of it shows (no query per row)."""
        return self.select_related(
            "case", "case__village", "case__step", "case__duty", "case__item", "case__household"
        )


class Application(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="homestead"
    )
    build_type = models.CharField(_("building type"), max_length=10, choices=BuildType.choices)
    reason = models.TextField(_("reason for applying"))
    terrain = models.CharField(
        _("terrain"), max_length=10, choices=Terrain.choices, default=Terrain.PLAIN
    )
    # the current homestead and house
    current_parcel = models.ForeignKey(
        "places.Parcel",
        verbose_name=_("current homestead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    current_site_area = models.DecimalField(
        _("current homestead area (m²)"), null=True, blank=True, **AREA
    )
    current_floor_area = models.DecimalField(
        _("current floor area (m²)"), null=True, blank=True, **AREA
    )
    current_certificate = models.CharField(_("title certificate number"), max_length=60, blank=True)
    disposal = models.CharField(
        _("current homestead"), max_length=8, choices=Disposal.choices, default=Disposal.NONE
    )
    disposal_note = models.CharField(_("disposal note"), max_length=200, blank=True)
    # the proposed homestead and house
    address = models.CharField(_("address"), max_length=200)
    east = models.CharField(_("east of it"), max_length=60, blank=True)
    south = models.CharField(_("south of it"), max_length=60, blank=True)
    west = models.CharField(_("west of it"), max_length=60, blank=True)
    north = models.CharField(_("north of it"), max_length=60, blank=True)
    land_type = models.CharField(_("land type"), max_length=12, choices=LandType.choices)
    fits_plan = models.BooleanField(_("fits the village plan"), default=True)
    site_area = models.DecimalField(_("homestead area (m²)"), **AREA)
    footprint = models.DecimalField(_("footprint (m²)"), **AREA)
    floor_area = models.DecimalField(_("floor area (m²)"), **AREA)
    floors = models.PositiveSmallIntegerField(
        _("floors"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    height = models.DecimalField(_("height (m)"), **METRES)
    base_height = models.DecimalField(_("base height (m)"), default=Decimal(0), **METRES)
    design = models.CharField(
        _("standard design number"),
        max_length=60,
        blank=True,
        help_text=_("Empty: own design (in the local style)."),
    )
    geometry = models.JSONField(_("proposed parcel (GeoJSON)"), null=True, blank=True)
    measured_area = models.DecimalField(_("measured area (m²)"), null=True, blank=True, **AREA)
    neighbours = models.JSONField(_("the four neighbours' opinions"), default=list, blank=True)
    members = models.JSONField(_("household members when applying"), default=list, blank=True)
    # moving site: the old homestead is handed back (建新拆旧)
    handback_promised = models.BooleanField(
        _("promises to hand back the old homestead"), default=False
    )
    handback_due = models.DateField(_("hand back by"), null=True, blank=True)
    handback_done_on = models.DateField(_("handed back on"), null=True, blank=True)
    handback_duty = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: the offices asked in the joint review besides 农业农村 and 自然资源
    offices = models.JSONField(_("offices also consulted"), default=list, blank=True)
    # the decision
    approval_number = models.CharField(_("approval number (批准书)"), max_length=60, blank=True)
    permit_number = models.CharField(_("permit number (规划许可证)"), max_length=60, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # building and acceptance
    builder = models.CharField(_("site manager"), max_length=60, blank=True)
    started_on = models.DateField(_("work started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    actual_site_area = models.DecimalField(
        _("actual homestead area (m²)"), null=True, blank=True, **AREA
    )
    actual_footprint = models.DecimalField(
        _("actual footprint (m²)"), null=True, blank=True, **AREA
    )
    actual_floors = models.PositiveSmallIntegerField(_("floors built"), null=True, blank=True)
    actual_height = models.DecimalField(_("height built (m)"), null=True, blank=True, **METRES)
    parcel = models.ForeignKey(
        "places.Parcel",
        verbose_name=_("registered parcel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-case_id"]
        verbose_name = _("homestead application")
        verbose_name_plural = _("homestead applications")
        constraints = [
            models.UniqueConstraint(
                fields=["approval_number"],
                condition=~Q(approval_number=""),
                name="homestead_approval_number",
            ),
            models.UniqueConstraint(
                fields=["permit_number"],
                condition=~Q(permit_number=""),
                name="homestead_permit_number",
            ),
        ]

    def __str__(self) -> str:
        return str(self.case)

    def neighbour_rows(self) -> list[dict[str, object]]:
        """The four neighbours' opinions with their sides named (东、南、西、北)."""
        from .choices import Side

        labels = dict(Side.choices)
        return [{**row, "side_label": labels.get(row.get("side"), "")} for row in self.neighbours]

    @property
    def boundaries(self) -> str:
        return "；".join(
            f"{label}：{value}"
            for label, value in (
                ("东", self.east),
                ("南", self.south),
                ("西", self.west),
                ("北", self.north),
            )
            if value
        )


class Flag(models.Model):
    """A check that failed. Append-only apart from its answer, which is given once."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("kind"), max_length=12, choices=FlagKind.choices)
    stage = models.CharField(_("raised"), max_length=12, choices=Stage.choices)
    text = models.TextField(_("what was found"))
    raised_on = models.DateField(_("raised on"), default=clock.today)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answerer_name = models.CharField(_("answered by"), max_length=60, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["application_id", "id"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "stage"], name="homestead_flag_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return not self.answered_on


class JointOpinion(models.Model):
    """One office's opinion in the joint review, on its own clock."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="opinions")
    office = models.CharField(_("office"), max_length=12, choices=Office.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    asked_on = models.DateField(_("asked on"))
    due_on = models.DateField(_("due"))
    duty = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("clock"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agrees = models.BooleanField(_("agrees"), null=True)
    opinion = models.TextField(_("opinion"), blank=True)
    signer = models.CharField(_("signed by"), max_length=60, blank=True)
    sealed = models.BooleanField(_("sealed"), default=False)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["application_id", "round", "id"]
        verbose_name = _("joint-review opinion")
        verbose_name_plural = _("joint-review opinions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "office", "round"], name="homestead_opinion_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_office_display()

    @property
    def is_given(self) -> bool:
        return self.signed_on is not None

    @property
    def light(self) -> str:
        if self.is_given or self.duty is None:
            return ""
        return str(self.duty.light)


class SiteVisit(models.Model):
    """到场: a visit to the site at one stage, with who was there and what was measured."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="visits")
    stage = models.CharField(_("stage"), max_length=12, choices=VisitStage.choices)
    visited_on = models.DateField(_("date"))
    officials = models.CharField(_("officials present"), max_length=200)
    neighbours = models.JSONField(_("neighbours present and signing"), default=list, blank=True)
    site_area = models.DecimalField(
        _("measured homestead area (m²)"), null=True, blank=True, **AREA
    )
    footprint = models.DecimalField(_("measured footprint (m²)"), null=True, blank=True, **AREA)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    height = models.DecimalField(_("height (m)"), null=True, blank=True, **METRES)
    note = models.TextField(_("what was found"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["application_id", "visited_on", "id"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.visited_on}"


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    return (
        f"homestead/{instance.visit.application_id}/{clock.now():%Y%m%d%H%M%S%f}{instance.suffix}"
    )


class VisitPhoto(models.Model):
    """A photo of a visit, checked like progress evidence (type, EXIF time, GPS)."""

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=visit_photo_path)
    name = models.CharField(_("file name"), max_length=255)
    suffix = models.CharField(max_length=8)
    content_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(max_length=64)
    taken_at = models.DateTimeField(_("taken at (EXIF)"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    warnings = models.JSONField(_("checks"), default=list, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["visit_id", "id"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return self.name


class Deviation(models.Model):
    """What a visit found against the approval; a stop-work order until it is corrected."""

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="deviations")
    kind = models.CharField(_("deviation"), max_length=10, choices=DeviationKind.choices)
    text = models.TextField(_("details"))
    stop_work = models.BooleanField(_("stop-work order (责令停工整改)"), default=True)
    correct_by = models.DateField(_("correct by"))
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True)
    answer = models.TextField(_("how it was corrected"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["visit_id", "id"]
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.corrected_on is None


class AreaLimit(models.Model):
    """The area and building limits in force for a province or a county (a county's row
    overrides its province's), on one terrain, between two dates."""

    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("province or county"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    terrain = models.CharField(_("terrain"), max_length=10, choices=Terrain.choices)
    max_site_area = models.DecimalField(_("homestead area at most (m²)"), **AREA)
    max_floor_area = models.DecimalField(
        _("floor area at most (m²)"), null=True, blank=True, **AREA
    )
    max_floors = models.PositiveSmallIntegerField(_("floors at most"), null=True, blank=True)
    max_height = models.DecimalField(_("height at most (m)"), null=True, blank=True, **METRES)
    basis = models.TextField(_("legal basis"))
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "terrain", "valid_from", "id"]
        verbose_name = _("area limit")
        verbose_name_plural = _("area limits")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="arealimit_valid_range",
                violation_error_message=_("The end of validity is before its start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.division_id} {self.get_terrain_display()} ≤ {self.max_site_area} m²"


class Numbering(models.Model):
    """The last number given per town, year and kind (approval, permit)."""

    town = models.ForeignKey("divisions.Division", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["town", "year", "kind"], name="homestead_numbering_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.town_id} {self.year} {self.kind} {self.last}"


# --- access --------------------------------------------------------------------------------


def _readers(prefix: str) -> tuple[Rule, ...]:
    return (
        Rule(VILLAGE_READ_ROLES),
        Rule(VILLAGER_ROLES, access.own_household(f"{prefix}case__household")),
        Rule(VILLAGER_ROLES, access.own_person(f"{prefix}case__applicant")),
    )


register(
    Application,
    Policy(field="case__village", view=_readers(""), change=Rule(CASE_ROLES)),
)
for _model, _prefix in (
    (Flag, "application__"),
    (JointOpinion, "application__"),
    (SiteVisit, "application__"),
    (VisitPhoto, "visit__application__"),
    (Deviation, "visit__application__"),
):
    register(_model, Policy(field=f"{_prefix}case__village", view=_readers(_prefix)))
# Limits are rules, not personal data: every work role reads those of its county and province.
register(
    AreaLimit,
    Policy(view=Rule(WORK_ROLES, access.subtree_and_ancestors()), change=Rule(ADMIN_ROLES)),
)

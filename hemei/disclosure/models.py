"""Village-affairs disclosure (村务公开): the catalogue of what a village must publish and
when, and the disclosures each village owes.

* :class:`CatalogueItem` — one line of a disclosure catalogue (公开目录), published by a county
  as the template of all its villages, by a town for its villages, or by a village for itself.
  A village follows every item in force of its county, town and its own; an item of a lower
  level with the same key replaces the higher one for the villages below it (a town's
  stricter monthly finance rule replaces the county's quarterly one).
* :class:`Adoption` — the day a village began to follow the catalogue: periods before it
  are not owed (a county rolls the catalogue out village by village).
* :class:`Disclosure` — what one village owes for one item and one period (or one event):
  due, late, or published. Each open one is a *duty* (``hemei.tasks.duties``) of the village,
  so a late disclosure turns red and climbs the one supervision ladder; publishing closes it.
* :class:`DisclosureFile` — an attachment of a published disclosure, checked like evidence.

**Who may do what.** The catalogue is read by village-affairs readers in their subtree and
above it (a village reads its county's and town's items); the county office and towns edit
theirs, a village its own items. Disclosures are read in the subtree; a villager reads the
published disclosures of their own village only; a village's officials (and the county
office) publish them and record the events that make them due.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
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
    both,
    own_grant_division,
    register,
    subtree,
    where,
)
from hemei.accounts.policy import subtree_and_ancestors as with_ancestors
from hemei.accounts.roles import ADMIN_ROLES, TEMPLATE_ROLES, VILLAGE_READ_ROLES, VILLAGER_ROLES

from . import timing
from .choices import Audience, DisclosureState, PublishLevel, Timing

KEY_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"


class CatalogueItemQuerySet(RestrictedQuerySet["CatalogueItem"]):
    def in_force_on(self, day: dt.date) -> CatalogueItemQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def above(self, village_code: str) -> CatalogueItemQuerySet:
        """Items of the village, its town and its county (what the village follows)."""
        return self.filter(division_id__in=[village_code[:6], village_code[:9], village_code])


class CatalogueItem(models.Model):
    """One line of a disclosure catalogue: what is published, on what basis, when, by whom,
    where, to whom, and which fields are masked."""

    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A county (template of all its villages), a town, or one village."),
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(9999)]
    )
    key = models.CharField(
        _("key"),
        max_length=60,
        validators=[
            RegexValidator(
                KEY_PATTERN, _("Lower-case letters, digits and _ , parts joined by dots.")
            )
        ],
        help_text=_(
            "What other modules name the item by, e.g. finance.monthly; a town's or village's "
            "item with the key of a county item replaces it below."
        ),
    )
    level1 = models.CharField(_("level-1 item"), max_length=60)
    level2 = models.CharField(_("level-2 item"), max_length=100, blank=True)
    content = models.TextField(_("content and elements"))
    basis = models.TextField(_("basis"), blank=True)
    timing = models.CharField(_("timing"), max_length=20, choices=Timing.choices)
    timing_day = models.PositiveSmallIntegerField(_("due day"), default=0)
    timing_month = models.PositiveSmallIntegerField(_("due month"), default=0)
    timing_workdays = models.PositiveSmallIntegerField(_("working days"), default=0)
    roll_to_workday = models.BooleanField(
        _("moves to the next working day"),
        default=True,
        help_text=_("A due date on a rest day moves to the next working day."),
    )
    publisher = models.CharField(_("who publishes"), max_length=100)
    channel = models.CharField(_("channel and medium"), max_length=200)
    level = models.CharField(
        _("level"), max_length=10, choices=PublishLevel.choices, default=PublishLevel.VILLAGE
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    #: labels of fields a disclosure of this item may not show unmasked
    mask_fields = models.JSONField(_("fields to mask"), default=list, blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogueItemQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "number", "id"]
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")
        constraints = [
            models.UniqueConstraint(
                fields=["division", "number"],
                name="catalogueitem_number",
                violation_error_message=_("This catalogue already has an item with this number."),
            ),
            models.UniqueConstraint(
                fields=["division", "key"],
                name="catalogueitem_key",
                violation_error_message=_("This catalogue already has an item with this key."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="catalogueitem_valid_range",
                violation_error_message=_("The end of validity is before its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.level1} · {self.level2}" if self.level2 else self.level1

    def rule(self) -> timing.TimingRule:
        return timing.TimingRule(
            self.timing,
            day=self.timing_day,
            month=self.timing_month,
            workdays=self.timing_workdays,
            roll=self.roll_to_workday,
        )

    def set_rule(self, rule: timing.TimingRule) -> None:
        self.timing, self.timing_day, self.timing_month = rule.kind, rule.day, rule.month
        self.timing_workdays, self.roll_to_workday = rule.workdays, rule.roll

    @property
    def timing_text(self) -> str:
        return self.rule().text()

    @property
    def periodic(self) -> bool:
        return self.timing in timing.PERIODIC

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Adoption(models.Model):
    """The day a village began to follow the disclosure catalogue."""

    village = models.OneToOneField(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField(_("follows the catalogue from"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("catalogue adoption")
        verbose_name_plural = _("catalogue adoptions")

    def __str__(self) -> str:
        return f"{self.village_id} · {self.since}"


class DisclosureQuerySet(RestrictedQuerySet["Disclosure"]):
    def published(self) -> DisclosureQuerySet:
        return self.filter(state=DisclosureState.PUBLISHED)

    def open(self) -> DisclosureQuerySet:
        return self.exclude(state=DisclosureState.PUBLISHED)


class Disclosure(models.Model):
    """What a village owes for one item and one period (or one event)."""

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        CatalogueItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="disclosures"
    )
    #: the period's code ("2026Q3") or the event's ("event:2026-09-30:<digest>"): one row each
    slot = models.CharField(max_length=80)
    title = models.CharField(_("title"), max_length=200)
    period_label = models.CharField(_("period"), max_length=60)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    happened_on = models.DateField(_("happened on"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=10, choices=DisclosureState.choices, default=DisclosureState.DUE
    )
    text = models.TextField(_("text"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: the duty that makes a late disclosure climb the supervision ladder
    duty = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "village_id", "id"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        constraints = [
            models.UniqueConstraint(fields=["village", "item", "slot"], name="disclosure_once"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="disclosure_period",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "state", "due_on"], name="disclosure_village"),
            models.Index(fields=["state", "due_on"], name="disclosure_state_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def published_late(self) -> bool:
        return self.published_on is not None and self.published_on > self.due_on

    def light(self, today: dt.date) -> str:
        """green: published; red: late (or published after its due date); yellow: due."""
        if self.state == DisclosureState.PUBLISHED:
            return "red" if self.published_late else "green"
        return "red" if self.due_on < today else "yellow"


def disclosure_file_path(instance: DisclosureFile, filename: str) -> str:
    return f"disclosure/{instance.disclosure_id}/{instance.sha256[:16]}-{filename}"


class DisclosureFile(models.Model):
    """An attachment of a published disclosure (a list, a photo of the board)."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="files", verbose_name=_("disclosure")
    )
    file = models.FileField(_("file"), upload_to=disclosure_file_path)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["disclosure_id", "id"]
        verbose_name = _("disclosure file")
        verbose_name_plural = _("disclosure files")

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


#: the village's own people: officials publish, the county office may too
_PUBLISHERS = (Rule(frozenset({Role.VILLAGE_OFFICIAL})), Rule(ADMIN_ROLES))
#: the county office and towns publish catalogues for the villages below; a village its own
CATALOGUE_EDITORS = TEMPLATE_ROLES | {Role.VILLAGE_OFFICIAL}


def _villagers_published(village: str, state: str) -> Rule:
    return Rule(
        VILLAGER_ROLES,
        both(
            own_grant_division(village),
            where(lambda who: Is(state, DisclosureState.PUBLISHED)),
        ),
    )


register(
    CatalogueItem,
    Policy(
        view=Rule(VILLAGE_READ_ROLES, with_ancestors()),
        change=Rule(CATALOGUE_EDITORS, subtree()),
    ),
)
register(
    Adoption,
    Policy(field="village", view=Rule(VILLAGE_READ_ROLES), change=Rule(TEMPLATE_ROLES)),
)
register(
    Disclosure,
    Policy(
        field="village",
        view=(Rule(VILLAGE_READ_ROLES), _villagers_published("village", "state")),
        publish=_PUBLISHERS,
    ),
)
register(
    DisclosureFile,
    Policy(
        field="disclosure__village",
        view=(
            Rule(VILLAGE_READ_ROLES),
            _villagers_published("disclosure__village", "disclosure__state"),
        ),
    ),
)

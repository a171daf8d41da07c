"""Procedure catalogues (清单制): the village's list of powers, services, certificates and the
negative list, each item with its ordered steps.

A county or town publishes a catalogue as a *template*; a village adopts its own version at a
villagers' or representatives' meeting — the life of ``hemei.procedures.adoption``, shared
with the points rules. An adopted version is frozen: cases cite the item of the version they
started under, so a later version never changes a running case.

**Who may see and change what.** A catalogue is not personal data: every work role reads the
templates published at or above its area and the villages' catalogues in its subtree; a
villager reads the adopted catalogue of their own village (the items they may apply for; the
public board shows the same to anyone). Towns and the county office publish templates; a
village's officials and the county office draft and adopt the village's own.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts import policy as access
from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import CATALOGUE_ROLES, TEMPLATE_ROLES, VILLAGER_ROLES, WORK_ROLES
from hemei.core.models import TimeStampedModel
from hemei.procedures.adoption import AdoptedVersion, VersionState
from hemei.procedures.choices import TimeUnit

from .choices import Disclosure, Level, ListKind, Starter


class CatalogueQuerySet(RestrictedQuerySet["Catalogue"]):
    def templates(self) -> CatalogueQuerySet:
        return self.filter(is_template=True)


class Catalogue(TimeStampedModel):
    """A village's catalogue, or a template published by a town or county."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    is_template = models.BooleanField(_("template"), default=False)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "name", "id"]
        verbose_name = _("catalogue")
        verbose_name_plural = _("catalogues")
        constraints = [
            models.UniqueConstraint(
                fields=["division"],
                condition=Q(is_template=False),
                name="catalogue_one_per_village",
                violation_error_message=_("The village already has its catalogue."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CatalogueVersionQuerySet(RestrictedQuerySet["CatalogueVersion"]):
    def adopted(self) -> CatalogueVersionQuerySet:
        return self.filter(state=VersionState.ADOPTED)


class CatalogueVersion(AdoptedVersion):
    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.PROTECT, related_name="versions"
    )

    objects = CatalogueVersionQuerySet.as_manager()

    class Meta(AdoptedVersion.Meta):
        ordering = ["catalogue_id", "number"]
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "number"],
                name="catalogue_version_number",
                violation_error_message=_("The catalogue already has this version number."),
            ),
            *AdoptedVersion.Meta.constraints,
        ]

    def __str__(self) -> str:
        return f"{self.catalogue} v{self.number}"


class Item(models.Model):
    """One item (事项) of a catalogue version."""

    version = models.ForeignKey(
        CatalogueVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("number"), max_length=12)
    list_kind = models.CharField(_("list"), max_length=12, choices=ListKind.choices)
    area = models.CharField(_("area"), max_length=40)
    name = models.CharField(_("item"), max_length=100)
    basis = models.TextField(_("legal basis"), blank=True)
    starter = models.CharField(
        _("who may start it"), max_length=10, choices=Starter.choices, default=Starter.EITHER
    )
    amount_label = models.CharField(
        _("amount asked for"),
        max_length=40,
        blank=True,
        help_text=_("Name the amount (e.g. the works' budget) when thresholds change the path."),
    )
    disclosures = models.JSONField(
        _("made public"), default=list, blank=True, help_text=_("Of the five disclosures.")
    )
    result_document = models.CharField(_("document produced"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["version_id", "code", "id"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="catalogue_item_code",
                violation_error_message=_("The version already has an item with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def has_flow(self) -> bool:
        return ListKind(self.list_kind).has_flow

    def disclosure_labels(self) -> list[str]:
        return [str(Disclosure(value).label) for value in self.disclosures]


class Step(models.Model):
    """One step of an item's flow: who acts, in how long, with what, and on which path."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("step"), max_length=60)
    level = models.CharField(_("who acts"), max_length=10, choices=Level.choices)
    days = models.PositiveSmallIntegerField(
        _("time limit"), default=0, validators=[MaxValueValidator(365)]
    )
    unit = models.CharField(
        _("unit"), max_length=10, choices=TimeUnit.choices, default=TimeUnit.WORKDAY
    )
    extension_days = models.PositiveSmallIntegerField(
        _("extension allowed"), default=0, validators=[MaxValueValidator(365)]
    )
    limit_key = models.CharField(
        _("time limit set by the county"),
        max_length=60,
        blank=True,
        help_text=_("A time-limit key: when the county has one in force, it replaces the days."),
    )
    materials = models.TextField(_("materials"), blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("public notice (days)"), default=0, validators=[MaxValueValidator(60)]
    )
    notice_unit = models.CharField(
        _("notice unit"), max_length=10, choices=TimeUnit.choices, default=TimeUnit.CALENDAR_DAY
    )
    needs_decision = models.BooleanField(_("needs 四议两公开"), default=False)
    min_amount = models.DecimalField(
        _("from amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("The step applies from this amount (inclusive)."),
    )
    below_amount = models.DecimalField(
        _("below amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("The step applies below this amount."),
    )

    class Meta:
        ordering = ["item_id", "position"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="catalogue_step_position"),
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True)
                | Q(below_amount__isnull=True)
                | Q(min_amount__lt=models.F("below_amount")),
                name="catalogue_step_amounts",
                violation_error_message=_("The lower amount must be below the upper one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    @property
    def counts_workdays(self) -> bool:
        return self.unit == TimeUnit.WORKDAY

    def applies_to(self, amount: Decimal | None) -> bool:
        """Whether the step is on the path of a case asking for ``amount``."""
        if self.min_amount is None and self.below_amount is None:
            return True
        if amount is None:
            # no amount given: only the unconditional steps and the lowest band
            return self.min_amount is None
        if self.min_amount is not None and amount < self.min_amount:
            return False
        return self.below_amount is None or amount < self.below_amount


# --- access --------------------------------------------------------------------------------

_readers = Rule(WORK_ROLES, access.subtree_and_ancestors())
_villagers = Rule(VILLAGER_ROLES, access.own_grant_division())
_makers = (Rule(CATALOGUE_ROLES), Rule(TEMPLATE_ROLES))


def _versions_seen(state: str) -> tuple[Rule, ...]:
    """Drafts only where the reader works; published templates and adopted versions above; a
    villager the adopted versions of their village. ``state`` is the version's state field."""
    settled = access.where(
        lambda who: access.In(state, (VersionState.PUBLISHED, VersionState.ADOPTED))
    )
    return (
        Rule(WORK_ROLES),
        Rule(WORK_ROLES, access.both(access.subtree_and_ancestors(), settled)),
        Rule(
            VILLAGER_ROLES,
            access.both(
                access.own_grant_division(),
                access.where(lambda who: access.Is(state, VersionState.ADOPTED)),
            ),
        ),
    )


register(Catalogue, Policy(view=(_readers, _villagers), change=_makers))
register(
    CatalogueVersion,
    Policy(field="catalogue__division", view=_versions_seen("state"), change=_makers),
)
register(Item, Policy(field="version__catalogue__division", view=_versions_seen("version__state")))
register(
    Step,
    Policy(field="item__version__catalogue__division", view=_versions_seen("item__version__state")),
)

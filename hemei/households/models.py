"""The household register (户籍台账): village groups, households, their members and events.

Identity numbers and phones are encrypted at rest (see :mod:`.crypto`); the ID number also
has a blind index so that one person is registered once per village. A household's history
is kept as :class:`HouseholdEvent` rows that are only ever added: a split, merge, change of
head or move-out changes the current rows *and* records what happened, when and by whom.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts import policy as access
from hemei.accounts.models import mask_phone
from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import (
    ADMIN_ROLES,
    REGISTER_WRITE_ROLES,
    VILLAGE_READ_ROLES,
    VILLAGER_ROLES,
)
from hemei.core import clock
from hemei.core.models import TimeStampedModel
from hemei.core.search import search

from . import crypto
from .choices import EventKind, Gender, Relation, SensitiveField
from .fields import EncryptedTextField
from .validators import mask_id_number


class VillageGroup(TimeStampedModel):
    """A villagers' group (村民小组) inside one village."""

    village = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="village_groups",
    )
    name = models.CharField(_("name"), max_length=50)
    number = models.PositiveSmallIntegerField(_("number"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["village_id", "number", "name", "id"]
        verbose_name = _("village group")
        verbose_name_plural = _("village groups")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"],
                name="village_group_unique_name",
                violation_error_message=_("The village already has a group of this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HouseholdQuerySet(RestrictedQuerySet["Household"]):
    def active(self) -> HouseholdQuerySet:
        return self.filter(is_active=True)

    def search(self, text: str) -> HouseholdQuerySet:
        """Match (hemei.core.search) the household number, its group or village, or the name
        of a member (current or former)."""
        return search(
            self,
            text,
            [
                "number",
                "group__name",
                "village__name",
                lambda needle: Q(
                    pk__in=Resident.objects.filter(name__icontains=needle).values("household_id")
                ),
            ],
        )


class Household(TimeStampedModel):
    """A registered household (户) of a village, with its number (户号) and head (户主)."""

    village = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    group = models.ForeignKey(
        VillageGroup,
        verbose_name=_("village group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
    )
    number = models.CharField(_("household number"), max_length=30)
    head = models.ForeignKey(
        "Resident",
        verbose_name=_("head of household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Off once the household moved out or was merged into another."),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["village_id", "number", "id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "number"],
                name="household_unique_number",
                violation_error_message=_("The village already has a household with this number."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def head_name(self) -> str:
        return self.head.name if self.head_id and self.head else ""


class ResidentQuerySet(RestrictedQuerySet["Resident"]):
    def active(self) -> ResidentQuerySet:
        return self.filter(is_active=True)

    def with_id_number(self, id_number: str) -> ResidentQuerySet:
        """Exact match on the ID number, through its blind index."""
        digest = crypto.blind_index(id_number)
        if not digest:
            return self.none()
        # The redundant exclusion lets SQLite use the partial unique index (village, index).
        return self.filter(id_number_index=digest).exclude(id_number_index="")


class Resident(TimeStampedModel):
    """A member (成员) of a household. ``village`` copies the household's for scope and for
    the rule that one ID number is registered once per village."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    village = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(
        _("relation to head"), max_length=12, choices=Relation.choices, default=Relation.OTHER
    )
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    id_number_index = models.CharField(
        _("ID number index"), max_length=64, blank=True, default="", editable=False
    )
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
    )
    is_active = models.BooleanField(_("active"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["household_id", "id"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "id_number_index"],
                condition=~Q(id_number_index=""),
                name="resident_unique_id_number_in_village",
                violation_error_message=_("This ID number is already registered in the village."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.village_id = self.household.village_id
        self.id_number_index = crypto.blind_index(self.id_number or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "id_number_index"}
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_head(self) -> bool:
        return self.relation == Relation.HEAD


class HouseholdEvent(models.Model):
    """A dated change to a household, recorded once and never edited.

    ``details`` names the residents concerned (ids and names), the previous head, the new
    household's number and so on, so the history stays readable after later changes.
    """

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("date"), default=clock.today)
    note = models.CharField(_("note"), max_length=500, blank=True)
    related_household = models.ForeignKey(
        Household,
        verbose_name=_("related household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["household_id", "date", "id"]
        verbose_name = _("household event")
        verbose_name_plural = _("household events")
        indexes = [models.Index(fields=["household", "date"], name="household_event_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are only ever added, never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{type(self).__name__} rows are only ever added, never deleted.")


class SensitiveView(models.Model):
    """One showing of a protected value in full (or one full export): who, when, what."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=clock.now, db_index=True)
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.CharField(_("field"), max_length=12, choices=SensitiveField.choices)
    rows = models.PositiveIntegerField(_("rows"), default=1)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sensitive view")
        verbose_name_plural = _("sensitive views")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.viewer} {self.field}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are only ever added, never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{type(self).__name__} rows are only ever added, never deleted.")


# The register is personal data. Officials of the county office, leaders, towns and villages
# browse it masked in their subtree (department staff do not); the village, its town and the
# county office change it and may show a protected value in full (each showing logged); a
# villager sees only their own household. The log of full showings is the administrators'.
def _register(field: str, household: str | None) -> Policy:
    view = [Rule(VILLAGE_READ_ROLES)]
    if household:
        view.append(Rule(VILLAGER_ROLES, access.own_household(household)))
    return Policy(
        field=field,
        view=view,
        browse=Rule(VILLAGE_READ_ROLES),
        change=Rule(REGISTER_WRITE_ROLES),
    )


register(VillageGroup, _register("village", None))
register(Household, _register("village", "id"))
register(Resident, _register("village", "household"))
register(HouseholdEvent, _register("household__village", "household"))
register(SensitiveView, Policy(field="village", view=Rule(ADMIN_ROLES)))

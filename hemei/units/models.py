"""Units (单位): departments, party organs and task forces attached to a division."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register, subtree_and_ancestors
from hemei.accounts.roles import ADMIN_ROLES, WORK_ROLES
from hemei.core.models import TimeStampedModel
from hemei.core.search import search

from .choices import UnitKind


class UnitQuerySet(RestrictedQuerySet["Unit"]):
    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def search(self, text: str) -> UnitQuerySet:
        """Units matching a query (hemei.core.search) in the name, short name or division."""
        return search(self, text, ["name", "short_name", "division__name"])


class Unit(TimeStampedModel):
    """A body that can be responsible for work: 区农业农村局, 区委组织部, 产业振兴专班."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "kind", "name", "id"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["division", "name"],
                name="unit_name_unique_per_division",
                violation_error_message=_("A unit with this name already exists here."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# Units of the area are browsed by the work loop; a unit of the area or above it (the county's
# departments on a town's task) may be named on a task; administrators change them.
register(
    Unit,
    Policy(
        view=Rule(WORK_ROLES),
        name=Rule(WORK_ROLES, subtree_and_ancestors()),
        change=Rule(ADMIN_ROLES),
    ),
)

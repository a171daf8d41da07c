"""Parcels (地块): a village's homesteads and fields as polygons, shared by every module that
works on land (homestead approval, land contracts, projects, campaigns).

A parcel keeps its GeoJSON geometry in CGCS2000 longitude and latitude, its area measured in
its Gauss–Krüger zone (``geometry.py``) and its bounding box, so a database of any kind finds
the candidates for an overlap check by an indexed range before shapely looks closer.

**Who sees what.** A parcel names its household: the officials of village affairs read the
parcels of their area (as the register); the village, the town and the county office keep
them (as the register).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import REGISTER_WRITE_ROLES, VILLAGE_READ_ROLES
from hemei.core.models import TimeStampedModel

from .choices import ParcelKind


class Parcel(TimeStampedModel):
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ParcelKind.choices)
    code = models.CharField(_("parcel number"), max_length=40)
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    geometry = models.JSONField(_("geometry (GeoJSON, CGCS2000)"))
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=2)
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    source = models.CharField(_("source"), max_length=100, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["village_id", "kind", "code"]
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "kind", "code"],
                name="parcel_number_in_village",
                violation_error_message=_("The village already has a parcel with this number."),
            )
        ]
        indexes = [
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="parcel_bbox")
        ]

    def __str__(self) -> str:
        return f"{self.code}"

    @property
    def area_mu(self) -> float:
        return float(self.area_m2) * 15 / 10000


register(
    Parcel,
    Policy(field="village", view=Rule(VILLAGE_READ_ROLES), change=Rule(REGISTER_WRITE_ROLES)),
)

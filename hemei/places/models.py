"""Parcels (地块): a village's homesteads and fields as polygons, shared by every module that
works on land (homestead approval, land contracts, projects, campaigns).

A parcel keeps its GeoJSON geometry in CGCS2000 longitude and latitude, its area measured in
its Gauss–Krüger zone (``geometry.py``) and its bounding box, so a database of any kind finds
the candidates for an overlap check by an indexed range before shapely looks closer.

**Who sees what.** A parcel names its household: the officials of village affairs read the
parcels of their area (as the register); the village, the town and the county office keep
them (as the register).

**The register (宅基地台账).** A homestead parcel carries what the county's register records
(address, recorded area, floor area, floors, title certificate, when it was acquired, how it
is used); a parcel imported from the register before it was surveyed has no geometry yet
(``geometry`` and its bounding box are empty), so code drawing parcels filters
``geometry__isnull=False``. What happens to a parcel later (idle, exit, lease) is appended
to its record (:class:`ParcelEvent`), never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import REGISTER_WRITE_ROLES, VILLAGE_READ_ROLES
from hemei.core import clock
from hemei.core.models import TimeStampedModel

from .choices import EventKind, LeaseKind, ParcelKind, UseState


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
    geometry = models.JSONField(_("geometry (GeoJSON, CGCS2000)"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    # the register's columns (宅基地台账)
    address = models.CharField(_("address"), max_length=200, blank=True)
    recorded_area_m2 = models.DecimalField(
        _("recorded area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    certificate = models.CharField(_("title certificate number"), max_length=60, blank=True)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    use_state = models.CharField(
        _("use"), max_length=10, choices=UseState.choices, default=UseState.IN_USE
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

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
    def area_mu(self) -> float | None:
        return None if self.area_m2 is None else float(self.area_m2) * 15 / 10000


def agreement_path(instance: ParcelEvent, filename: str) -> str:
    parcel = instance.parcel
    return f"places/{parcel.village_id}/{parcel.pk}/{clock.now():%Y%m%d%H%M%S%f}"


class ParcelEvent(models.Model):
    """One entry of a parcel's record: appended by the services, never changed."""

    parcel = models.ForeignKey(
        Parcel, verbose_name=_("parcel"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=EventKind.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    # a voluntary paid exit (自愿有偿退出)
    compensation = models.DecimalField(
        _("compensation (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    agreement = models.FileField(_("agreement"), upload_to=agreement_path, blank=True)
    agreement_name = models.CharField(_("file name"), max_length=255, blank=True)
    agreement_type = models.CharField(max_length=100, blank=True)
    # a lease, equity stake or cooperation (出租、入股、合作)
    lease_kind = models.CharField(_("way"), max_length=12, choices=LeaseKind.choices, blank=True)
    lessee = models.CharField(_("lessee"), max_length=100, blank=True)
    lessee_outsider = models.BooleanField(
        _("lessee from outside the collective (城镇居民/企业)"), default=False
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), default=clock.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("parcel event")
        verbose_name_plural = _("parcel events")

    def __str__(self) -> str:
        return f"{self.parcel_id} {self.kind} {self.on}"


register(
    Parcel,
    Policy(field="village", view=Rule(VILLAGE_READ_ROLES), change=Rule(REGISTER_WRITE_ROLES)),
)
register(ParcelEvent, Policy(field="parcel__village", view=Rule(VILLAGE_READ_ROLES)))

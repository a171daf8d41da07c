"""Parcels (地块): a village's homesteads and fields as polygons, shared by every module that
works on land (homestead approval, land contracts, projects, campaigns).

A parcel keeps its GeoJSON geometry in CGCS2000 longitude and latitude, its area measured in
its Gauss–Krüger zone (``geometry.py``) and its bounding box, so a database of any kind finds
the candidates for an overlap check by an indexed range before shapely looks closer.

**Who sees what.** A parcel names its household: the officials of village affairs read the
parcels of their area (as the register); the village, the town and the county office keep
them (as the register). The county's reference layers (永久基本农田, 村庄规划建设用地范围)
and its map settings carry nothing personal: every official of the county's area reads
them; the county office uploads and sets them.
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

from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register, subtree_and_ancestors
from hemei.accounts.roles import (
    ADMIN_ROLES,
    REGISTER_WRITE_ROLES,
    VILLAGE_READ_ROLES,
    WORK_ROLES,
)
from hemei.core import clock
from hemei.core.models import TimeStampedModel

from .choices import EventKind, LayerKind, LeaseKind, ParcelKind, UseState


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
            # the overlap check's band: south-west corners near the geometry's
            models.Index(fields=["min_lat", "min_lon"], name="parcel_south_west")
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


# --------------------------------------------------------------------------- the map: the
# county's reference layers and its tile service


class ReferenceLayerQuerySet(RestrictedQuerySet["ReferenceLayer"]):
    def current(self) -> ReferenceLayerQuerySet:
        """The layers in force: not replaced by a later upload of the same kind and name."""
        return self.filter(superseded_at__isnull=True)


class ReferenceLayer(models.Model):
    """A layer the county's natural-resources office publishes (永久基本农田, the village plans'
    construction areas …), uploaded as GeoJSON. A new upload of the same kind and name
    supersedes the old one, which stays (with its features) for the record.

    Layers carry no personal data: the officials of the county's area read them (the
    county, its leaders and departments, its towns and villages); the county office
    uploads them."""

    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LayerKind.choices)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the data comes from, e.g. 区自然资源局 2025年度变更调查."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    feature_count = models.PositiveIntegerField(_("features"), default=0)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=16, decimal_places=2, default=0)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)

    objects = ReferenceLayerQuerySet.as_manager()

    class Meta:
        ordering = ["county_id", "kind", "name", "-uploaded_at", "-id"]
        verbose_name = _("reference layer")
        verbose_name_plural = _("reference layers")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "kind", "name"],
                condition=models.Q(superseded_at__isnull=True),
                name="reference_layer_current_once",
                violation_error_message=_("The county already has a current layer of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        if self.min_lon is None:
            return None
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)  # type: ignore[return-value]


class ReferenceFeature(models.Model):
    """One polygon of a reference layer, with its bounding box for an indexed prefilter."""

    layer = models.ForeignKey(
        ReferenceLayer, verbose_name=_("layer"), on_delete=models.CASCADE, related_name="features"
    )
    geometry = models.JSONField(_("geometry (GeoJSON, CGCS2000)"))
    properties = models.JSONField(_("attributes"), default=dict, blank=True)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=16, decimal_places=2)
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["layer_id", "id"]
        verbose_name = _("layer feature")
        verbose_name_plural = _("layer features")
        indexes = [
            models.Index(
                fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="reference_feature_bbox"
            )
        ]

    def __str__(self) -> str:
        return f"{self.layer_id}/{self.pk}"


class MapSettings(models.Model):
    """A county's map background: by default none (vector layers on a plain background, no
    internet needed); or a tile service — 天地图 with the county's key, or an intranet tile
    server — whose host the map pages' Content-Security-Policy then allows for images."""

    county = models.OneToOneField(
        "divisions.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="+",
    )
    tile_url = models.CharField(
        _("tile URL template"),
        max_length=500,
        blank=True,
        help_text=_(
            "With {x}, {y} and {z} (and {s} for a subdomain), e.g. "
            "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
            "&TILECOL={x}&tk=KEY. Empty: no background, the map works without internet."
        ),
    )
    subdomains = models.CharField(
        _("subdomains"),
        max_length=40,
        blank=True,
        help_text=_("The values of {s}, e.g. 01234567 for 天地图."),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=200,
        blank=True,
        help_text=_("Shown in the map's corner, e.g. 天地图·审图号 GS(2024)0568号."),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["county_id"]
        verbose_name = _("map settings")
        verbose_name_plural = _("map settings")

    def __str__(self) -> str:
        return f"{self.county_id}"


_LAYER_READERS = Rule(WORK_ROLES, subtree_and_ancestors())
register(
    ReferenceLayer,
    Policy(field="county", view=_LAYER_READERS, change=Rule(ADMIN_ROLES)),
)
register(
    ReferenceFeature,
    Policy(field="layer__county", view=_LAYER_READERS, change=Rule(ADMIN_ROLES)),
)
register(
    MapSettings,
    Policy(field="county", view=_LAYER_READERS, change=Rule(ADMIN_ROLES)),
)
register(ParcelEvent, Policy(field="parcel__village", view=Rule(VILLAGE_READ_ROLES)))

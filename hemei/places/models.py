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

from .choices import LayerKind, ParcelKind


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

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParcelKind(models.TextChoices):
    HOMESTEAD = "homestead", _("homestead (宅基地)")
    CONTRACT = "contract", _("contracted land (承包地)")
    COLLECTIVE = "collective", _("collective construction land (集体建设用地)")


class LayerKind(models.TextChoices):
    """The county's reference layers a parcel is checked against."""

    BASIC_FARMLAND = "basic_farmland", _("permanent basic farmland (永久基本农田)")
    PLAN_CONSTRUCTION = (
        "plan_construction",
        _("village plan construction area (村庄规划建设用地范围)"),
    )
    OTHER = "other", _("other layer")

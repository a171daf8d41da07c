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


class UseState(models.TextChoices):
    """How a homestead is used (the register's 使用状态)."""

    IN_USE = "in_use", _("in use (在用)")
    IDLE = "idle", _("idle (闲置)")
    EXITED = "exited", _("exited (已退出)")


class EventKind(models.TextChoices):
    """What happened to a parcel, in its append-only record."""

    IMPORTED = "imported", _("register imported")
    IDLE_MARKED = "idle_marked", _("marked idle")
    IDLE_CLEARED = "idle_cleared", _("back in use")
    EXITED = "exited", _("voluntary paid exit")
    LEASED = "leased", _("lease, equity stake or cooperation")


class LeaseKind(models.TextChoices):
    """The ways an idle homestead and house are reused (DOMAIN.md §1.6)."""

    LEASE = "lease", _("lease (出租)")
    EQUITY = "equity", _("equity stake (入股)")
    COOPERATION = "cooperation", _("cooperation (合作)")

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildType(models.TextChoices):
    """建房类型 of the application form (DOMAIN §1.3 A)."""

    REBUILD = "rebuild", _("rebuild on the same site (原址翻建)")
    EXTEND = "extend", _("rebuild with a changed boundary (改扩建)")
    MOVE = "move", _("new house on a new site (易址新建)")
    SPLIT = "split", _("new house for a split household (分户新建)")
    OTHER = "other", _("other")

    @classmethod
    def keeps_site(cls) -> tuple[str, ...]:
        return (cls.REBUILD, cls.EXTEND)


class LandType(models.TextChoices):
    CONSTRUCTION = "construction", _("construction land (建设用地)")
    UNUSED = "unused", _("unused land (未利用地)")
    CULTIVATED = "cultivated", _("farmland: cultivated (耕地)")
    FOREST = "forest", _("farmland: forest (林地)")
    GRASS = "grass", _("farmland: grassland (草地)")
    FARM_OTHER = "farm_other", _("farmland: other (其他农用地)")

    @classmethod
    def farmland(cls) -> tuple[str, ...]:
        return (cls.CULTIVATED, cls.FOREST, cls.GRASS, cls.FARM_OTHER)


class Terrain(models.TextChoices):
    PLAIN = "plain", _("plains and city outskirts")
    HILL = "hill", _("hills")
    MOUNTAIN = "mountain", _("mountains")


class Disposal(models.TextChoices):
    """现宅基地处置."""

    NONE = "none", _("no current homestead")
    KEEP = "keep", _("kept")
    RETURN = "return", _("returned to the collective")
    OTHER = "other", _("other")


class Side(models.TextChoices):
    EAST = "east", _("east")
    SOUTH = "south", _("south")
    WEST = "west", _("west")
    NORTH = "north", _("north")


class FlagKind(models.TextChoices):
    HOLDS_HOMESTEAD = "holds", _("the household already holds a homestead (一户一宅)")
    SPLIT_MISSING = "split", _("split household without a split in the register")
    DISPOSED = "disposed", _("gave up or leased out a homestead before")
    NO_HANDBACK = "handback", _("new site without a promise to hand back the old homestead")
    SITE_AREA = "site_area", _("homestead area over the limit")
    FLOOR_AREA = "floor_area", _("floor area over the limit")
    FLOORS = "floors", _("floors over the limit")
    HEIGHT = "height", _("height over the limit")
    NO_LIMIT = "no_limit", _("no area limit in force for the village")
    OVERLAP = "overlap", _("overlaps another homestead")
    FARMLAND = "farmland", _("on permanent basic farmland or farmland")
    PLAN = "plan", _("outside the village plan's construction land")
    NO_GEOMETRY = "no_geometry", _("no parcel drawn")


class Stage(models.TextChoices):
    APPLICATION = "application", _("at application")
    APPROVAL = "approval", _("at approval")


class Office(models.TextChoices):
    """The town offices of the joint review (联审)."""

    AGRICULTURE = "agriculture", _("agriculture and rural affairs (农业农村)")
    RESOURCES = "resources", _("natural resources and planning (自然资源/规划)")
    FORESTRY = "forestry", _("forestry (林业)")
    WATER = "water", _("water (水利)")
    POWER = "power", _("power (电力)")
    ENFORCEMENT = "enforcement", _("enforcement (执法)")

    @classmethod
    def always(cls) -> tuple[str, ...]:
        return (cls.AGRICULTURE, cls.RESOURCES)


class VisitStage(models.TextChoices):
    """The site visits (三到场 / 四到场)."""

    SELECTION = "selection", _("site selection (选址到场)")
    STAKING = "staking", _("staking out (定点放样到场)")
    CONSTRUCTION = "construction", _("construction (施工巡查到场)")
    COMPLETION = "completion", _("completion (竣工验收到场)")


class DeviationKind(models.TextChoices):
    OVER_LINE = "over_line", _("over the red line (超红线)")
    MOVED = "moved", _("moved site (移位)")
    TOO_HIGH = "too_high", _("too high or too many floors (超高)")
    TOO_LARGE = "too_large", _("footprint over the approval (超面积)")
    OTHER = "other", _("other")

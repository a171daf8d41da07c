from django.db import models
from django.utils.translation import gettext_lazy as _

from hemei.divisions.choices import Level


class Role(models.TextChoices):
    """What a person does on the platform; held on a division (and for staff, a unit)."""

    COUNTY_ADMIN = "county_admin", _("county administrator")
    LEADER = "leader", _("leader")
    DEPARTMENT = "department", _("department staff")
    TOWN_OFFICIAL = "town_official", _("town official")
    VILLAGE_OFFICIAL = "village_official", _("village official")
    VILLAGER = "villager", _("villager")


#: The division levels each role may be granted on.
ROLE_LEVELS: dict[str, frozenset[int]] = {
    Role.COUNTY_ADMIN: frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}),
    Role.LEADER: frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}),
    Role.DEPARTMENT: frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}),
    Role.TOWN_OFFICIAL: frozenset({Level.TOWN}),
    Role.VILLAGE_OFFICIAL: frozenset({Level.VILLAGE}),
    Role.VILLAGER: frozenset({Level.VILLAGE}),
}
#: Roles that act for a unit and so must name one.
ROLES_WITH_UNIT = frozenset({Role.DEPARTMENT})


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    IMPORT = "import", _("imported")
    GRANT = "grant", _("role granted")
    REVOKE = "revoke", _("role revoked")

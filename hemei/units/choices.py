from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """What kind of body a unit is; all of them can be responsible for work."""

    DEPARTMENT = "department", _("government department")
    PARTY_ORGAN = "party_organ", _("party organ")
    TASK_FORCE = "task_force", _("task force")
    OTHER = "other", _("other")

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParcelKind(models.TextChoices):
    HOMESTEAD = "homestead", _("homestead (宅基地)")
    CONTRACT = "contract", _("contracted land (承包地)")
    COLLECTIVE = "collective", _("collective construction land (集体建设用地)")

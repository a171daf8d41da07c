"""Choices shared by several domains."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    """The five revitalizations (五大振兴), shared by decisions and tasks."""

    INDUSTRY = "industry", _("industry revitalization")
    TALENT = "talent", _("talent revitalization")
    CULTURE = "culture", _("culture revitalization")
    ECOLOGY = "ecology", _("ecological revitalization")
    ORGANIZATION = "organization", _("organizational revitalization")
    OTHER = "other", _("other")

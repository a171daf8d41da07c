"""Installing the default county catalogue (:mod:`hemei.catalogue.defaults`) as a published
template, once: the template is found again by its name."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemei.divisions.choices import Level as DivisionLevel
from hemei.divisions.models import Division
from hemei.procedures.adoption import VersionState

from . import services
from .defaults import NAME, default_rows
from .models import Catalogue, CatalogueVersion


@transaction.atomic
def install_default(*, actor: Any, county: Division) -> CatalogueVersion:
    """The county's published default template, made and published on the first call; later
    calls return the newest published version of it and change nothing."""
    if county.level != DivisionLevel.COUNTY:
        raise ValidationError(_("The default catalogue is installed for a county."))
    existing = (
        Catalogue.objects.select_for_update()
        .filter(division=county, is_template=True, name=NAME)
        .first()
    )
    if existing is None:
        version = services.create_template(actor=actor, division=county, name=NAME)
    else:
        services._check_change(actor, existing)
        published = (
            existing.versions.filter(state=VersionState.PUBLISHED).order_by("-number").first()
        )
        if published is not None:
            return published
        version = existing.versions.get(state=VersionState.DRAFT)
    services.replace_items(actor=actor, version=version, rows=default_rows())
    return services.publish_template(actor=actor, version=version)

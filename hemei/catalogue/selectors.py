"""Reads of procedure catalogues."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from hemei.procedures import adoption
from hemei.procedures.adoption import VersionState

from .choices import ListKind
from .models import Catalogue, CatalogueVersion, Item, Step


def version_in_force(village_code: str, on: dt.date) -> CatalogueVersion | None:
    """The village's adopted catalogue version in force on ``on``."""
    return adoption.in_force(
        CatalogueVersion.objects.filter(
            catalogue__division_id=village_code, catalogue__is_template=False
        ),
        on,
    )


def catalogues(user: Any) -> QuerySet[Catalogue]:
    return (
        Catalogue.objects.restrict(user, "view")
        .select_related("division")
        .annotate(version_count=Count("versions"))
    )


def versions(user: Any, catalogue: Catalogue) -> QuerySet[CatalogueVersion]:
    return (
        CatalogueVersion.objects.restrict(user, "view")
        .filter(catalogue=catalogue)
        .annotate(item_count=Count("items"))
        .order_by("-number")
    )


def items(version: CatalogueVersion) -> QuerySet[Item]:
    """The items of a version the caller may see, with their steps in order."""
    return version.items.prefetch_related(
        Prefetch("steps", queryset=Step.objects.order_by("position"))
    ).order_by("code")


def templates_above(user: Any, village_code: str) -> QuerySet[CatalogueVersion]:
    """Published templates a village may start a draft from."""
    prefixes = [village_code[:n] for n in (2, 4, 6, 9)]
    return (
        CatalogueVersion.objects.restrict(user, "view")
        .filter(
            catalogue__is_template=True,
            catalogue__division_id__in=prefixes,
            state=VersionState.PUBLISHED,
        )
        .select_related("catalogue", "catalogue__division")
        .order_by("catalogue__division_id", "-number")
    )


def negative_list(code: str, on: dt.date) -> list[Item]:
    """The negative list in force for a village (its adopted version, else the newest
    template published at or above it); for a town or county, the newest template."""
    version = version_in_force(code, on) if len(code) == 12 else None
    if version is None:
        prefixes = [code[:n] for n in (2, 4, 6, 9) if n <= len(code)]
        version = (
            CatalogueVersion.objects.filter(
                catalogue__is_template=True,
                catalogue__division_id__in=prefixes,
                state=VersionState.PUBLISHED,
            )
            .order_by("-catalogue__division_id", "-number")
            .first()
        )
    if version is None:
        return []
    return list(version.items.filter(list_kind=ListKind.NEGATIVE).order_by("code"))

"""Reads of procedure catalogues."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from hemei.board.sections import BoardItem
from hemei.divisions.models import Division
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


def _flow(item: Item) -> str:
    parts = []
    for step in item.steps.all():
        text = f"{step.name}（{step.get_level_display()}"
        if step.days:
            text += f"，{step.days}{step.get_unit_display()}"
        if step.notice_days:
            text += f"，公示{step.notice_days}{step.get_notice_unit_display()}"
        parts.append(text + "）")
    return " → ".join(parts)


def board_items(village: Division, today: dt.date) -> list[BoardItem]:
    """The public board's catalogue: the powers, services and certificates the village
    adopted, each with its basis and its flow (who acts, in how long), and the negative list.
    Only what the catalogue says: nothing of any case."""
    version = version_in_force(village.code, today)
    if version is None:
        return []
    found = []
    for item in items(version):
        body = item.basis
        if item.has_flow:
            body = f"{item.basis}\n{_flow(item)}" if item.basis else _flow(item)
        found.append(
            BoardItem(
                title=f"{item.code} {item.name}",
                date=version.in_force_from,
                body=body,
                status=f"{item.area} · {item.get_list_kind_display()}",
            )
        )
    return found

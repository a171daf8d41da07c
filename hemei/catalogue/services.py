"""Changes to procedure catalogues: templates, drafts, items and their steps, adoption.

Every function takes keyword arguments, runs in one transaction and checks the actor through
the access policy. The version life (draft → published template / adopted by a meeting,
frozen) is ``hemei.procedures.adoption``, shared with the points rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemei.accounts.audit import record
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import check_at
from hemei.divisions.choices import Level as DivisionLevel
from hemei.divisions.models import Division
from hemei.procedures import adoption
from hemei.procedures.adoption import VersionState
from hemei.procedures.choices import TimeUnit

from .choices import Disclosure, Level, ListKind, Starter
from .models import Catalogue, CatalogueVersion, Item, Step


@dataclass
class StepRow:
    name: str
    level: str
    days: int = 0
    unit: str = TimeUnit.WORKDAY
    extension_days: int = 0
    limit_key: str = ""
    materials: str = ""
    notice_days: int = 0
    notice_unit: str = TimeUnit.CALENDAR_DAY
    needs_decision: bool = False
    min_amount: Decimal | None = None
    below_amount: Decimal | None = None


@dataclass
class ItemRow:
    code: str
    list_kind: str
    area: str
    name: str
    basis: str = ""
    starter: str = Starter.EITHER
    amount_label: str = ""
    disclosures: list[str] = field(default_factory=list)
    result_document: str = ""
    note: str = ""
    steps: list[StepRow] = field(default_factory=list)


def _check_change(actor: Any, catalogue: Catalogue) -> None:
    if catalogue.is_template:
        check_at(
            actor,
            "publish_templates",
            catalogue.division_id,
            _("Only a town or county may publish catalogue templates here."),
        )
    else:
        check_at(
            actor,
            "keep_catalogue",
            catalogue.division_id,
            _("You do not keep the catalogue of this village."),
        )


def catalogue_of(village: Division) -> Catalogue:
    """The village's own catalogue, created on first use."""
    catalogue, _created = Catalogue.objects.get_or_create(
        division=village,
        is_template=False,
        defaults={"name": _("Catalogue of %(village)s") % {"village": village.name}},
    )
    return catalogue


@transaction.atomic
def create_template(*, actor: Any, division: Division, name: str) -> CatalogueVersion:
    """A town's or county's template catalogue, with its first (draft) version."""
    if division.level not in (DivisionLevel.COUNTY, DivisionLevel.TOWN):
        raise ValidationError(_("Templates are published by a town or a county."))
    catalogue = Catalogue(division=division, name=name.strip(), is_template=True)
    _check_change(actor, catalogue)
    catalogue.full_clean()
    catalogue.save()
    version = CatalogueVersion.objects.create(catalogue=catalogue, number=1)
    record(actor=actor, action=AuditAction.CREATE, instance=catalogue, division_code=division.code)
    return version


@transaction.atomic
def draft_version(
    *, actor: Any, village: Division, based_on: CatalogueVersion | None = None
) -> CatalogueVersion:
    """A new draft of the village's catalogue: a copy of ``based_on`` (a template published
    above or one of the village's own versions), else empty."""
    if village.level != DivisionLevel.VILLAGE:
        raise ValidationError(_("A village adopts its catalogue; choose a village."))
    catalogue = catalogue_of(village)
    _check_change(actor, catalogue)
    if based_on is not None:
        adoption.check_base(
            village_code=village.code,
            own=based_on.catalogue_id == catalogue.pk,
            template=based_on.catalogue.is_template,
            state=based_on.state,
            above=based_on.catalogue.division_id,
        )
    if catalogue.versions.filter(state=VersionState.DRAFT).exists():
        raise ValidationError(_("The village has a draft already: finish or adopt it first."))
    version = CatalogueVersion.objects.create(
        catalogue=catalogue, number=adoption.next_number(catalogue.versions), based_on=based_on
    )
    if based_on is not None:
        copy_items(based_on, version)
    record(actor=actor, action=AuditAction.CREATE, instance=version, division_code=village.code)
    return version


@transaction.atomic
def draft_template_version(*, actor: Any, template: Catalogue) -> CatalogueVersion:
    """The next draft of a template, copied from its newest version."""
    _check_change(actor, template)
    if not template.is_template:
        raise ValidationError(_("Only a template is published; a village adopts its catalogue."))
    if template.versions.filter(state=VersionState.DRAFT).exists():
        raise ValidationError(_("The template has a draft already: publish it first."))
    newest = template.versions.order_by("-number").first()
    version = CatalogueVersion.objects.create(
        catalogue=template, number=adoption.next_number(template.versions), based_on=newest
    )
    if newest is not None:
        copy_items(newest, version)
    return version


def copy_items(source: CatalogueVersion, target: CatalogueVersion) -> None:
    for item in source.items.prefetch_related("steps"):
        steps = list(item.steps.all())
        item.pk = None
        item.version = target
        item.save()
        for step in steps:
            step.pk = None
            step.item = item
        Step.objects.bulk_create(steps)


def _check_editable(actor: Any, version: CatalogueVersion) -> None:
    _check_change(actor, version.catalogue)
    adoption.check_draft(version)


def _clean_item(row: ItemRow) -> list[str]:
    """The item's problems, in the interface's language (empty when it is sound)."""
    problems = []
    if row.list_kind not in ListKind.values:
        problems.append(_("Unknown list: %(value)s.") % {"value": row.list_kind})
    if row.starter not in Starter.values:
        problems.append(_("Unknown starter: %(value)s.") % {"value": row.starter})
    unknown = [d for d in row.disclosures if d not in Disclosure.values]
    if unknown:
        problems.append(_("Unknown disclosure: %(value)s.") % {"value": "、".join(unknown)})
    if not row.code.strip() or not row.name.strip() or not row.area.strip():
        problems.append(_("Each item needs a number, an area and a name."))
    flows = row.list_kind in ListKind.values and ListKind(row.list_kind).has_flow
    if flows and not row.steps:
        problems.append(_("An item of this list needs at least one step."))
    if not flows and row.steps:
        problems.append(_("A negative-list item has no steps."))
    for n, step in enumerate(row.steps, start=1):
        if step.level not in Level.values:
            problems.append(
                _("Step %(n)d: unknown actor %(value)s.") % {"n": n, "value": step.level}
            )
        if step.unit not in TimeUnit.values or step.notice_unit not in TimeUnit.values:
            problems.append(_("Step %(n)d: unknown unit.") % {"n": n})
        low, high = step.min_amount, step.below_amount
        if (low is not None and low < 0) or (high is not None and high <= 0):
            problems.append(_("Step %(n)d: amounts cannot be negative.") % {"n": n})
        if low is not None and high is not None and low >= high:
            problems.append(
                _("Step %(n)d: the lower amount must be below the upper one.") % {"n": n}
            )
    if row.steps and row.steps[0].level == Level.APPLICANT and row.starter == Starter.OFFICIAL:
        problems.append(_("An item the village starts does not begin with the applicant."))
    return problems


def _save_item(version: CatalogueVersion, row: ItemRow) -> Item:
    item = Item(
        version=version,
        code=row.code.strip(),
        list_kind=row.list_kind,
        area=row.area.strip(),
        name=row.name.strip(),
        basis=row.basis.strip(),
        starter=row.starter,
        amount_label=row.amount_label.strip(),
        disclosures=list(dict.fromkeys(row.disclosures)),
        result_document=row.result_document.strip(),
        note=row.note.strip(),
    )
    item.full_clean(exclude=["version"])
    item.save()
    steps = []
    for position, s in enumerate(row.steps, start=1):
        step = Step(
            item=item,
            position=position,
            name=s.name.strip(),
            level=s.level,
            days=s.days,
            unit=s.unit,
            extension_days=s.extension_days,
            limit_key=s.limit_key.strip(),
            materials=s.materials.strip(),
            notice_days=s.notice_days,
            notice_unit=s.notice_unit,
            needs_decision=s.needs_decision,
            min_amount=s.min_amount,
            below_amount=s.below_amount,
        )
        step.full_clean(exclude=["item"])
        steps.append(step)
    Step.objects.bulk_create(steps)
    return item


@transaction.atomic
def add_item(*, actor: Any, version: CatalogueVersion, row: ItemRow) -> Item:
    _check_editable(actor, version)
    problems = _clean_item(row)
    if problems:
        raise ValidationError(problems)
    if version.items.filter(code=row.code.strip()).exists():
        raise ValidationError(_("The version already has an item with this number."))
    item = _save_item(version, row)
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=item,
        division_code=version.catalogue.division_id,
    )
    return item


@transaction.atomic
def remove_item(*, actor: Any, item: Item) -> None:
    _check_editable(actor, item.version)
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=item,
        division_code=item.version.catalogue.division_id,
    )
    item.delete()


@transaction.atomic
def replace_items(*, actor: Any, version: CatalogueVersion, rows: Sequence[ItemRow]) -> list[Item]:
    """The draft's items become ``rows`` (an import): all or nothing, safe to run again."""
    _check_editable(actor, version)
    problems = []
    seen: set[str] = set()
    for row in rows:
        for problem in _clean_item(row):
            problems.append(f"{row.code} {row.name}: {problem}")
        if row.code.strip() in seen:
            problems.append(_("Number %(code)s appears twice.") % {"code": row.code})
        seen.add(row.code.strip())
    if not rows:
        problems.append(_("The table has no items."))
    if problems:
        raise ValidationError(problems)
    version.items.all().delete()
    items = [_save_item(version, row) for row in rows]
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=version,
        changes={"item_count": [None, len(items)]},
        division_code=version.catalogue.division_id,
    )
    return items


def _check_has_items(version: CatalogueVersion) -> None:
    if not version.items.exists():
        raise ValidationError(_("Add at least one item first."))


@transaction.atomic
def publish_template(*, actor: Any, version: CatalogueVersion) -> CatalogueVersion:
    if not version.catalogue.is_template:
        raise ValidationError(_("Only a template is published; a village adopts its catalogue."))
    _check_editable(actor, version)
    _check_has_items(version)
    return adoption.publish(
        version=version, actor=actor, division_code=version.catalogue.division_id
    )


@transaction.atomic
def adopt_version(
    *,
    actor: Any,
    version: CatalogueVersion,
    meeting_kind: str,
    meeting_date: dt.date,
    in_force_from: dt.date,
    note: str = "",
) -> CatalogueVersion:
    """Record the villagers' (representatives') meeting that adopted the village's draft."""
    if version.catalogue.is_template:
        raise ValidationError(_("A template is published, not adopted."))
    _check_editable(actor, version)
    _check_has_items(version)
    return adoption.adopt(
        version=version,
        versions=version.catalogue.versions,
        actor=actor,
        meeting_kind=meeting_kind,
        meeting_date=meeting_date,
        in_force_from=in_force_from,
        note=note,
        division_code=version.catalogue.division_id,
    )

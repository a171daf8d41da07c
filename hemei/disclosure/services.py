"""Writes of disclosure: catalogue items (one at a time or a whole sheet), a village's start,
the due disclosures (the daily generator and the events other modules record), publishing.

Every due disclosure opens a duty of its village (:mod:`hemei.tasks.duties`): a late one is
a red task that climbs the one supervision ladder; publishing closes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import allows
from hemei.accounts.workflow import Transition, change_state
from hemei.core import clock
from hemei.core.evidence import CheckedFile, check_upload
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.procedures import calendar
from hemei.procedures.selectors import unknown_year_message
from hemei.tasks import duties
from hemei.tasks.choices import Source

from . import selectors, timing
from .choices import DisclosureState
from .guard import check_public_text, readable_text
from .models import Adoption, CatalogueItem, Disclosure, DisclosureFile

log = logging.getLogger(__name__)

#: the levels that publish a catalogue: a county for all its villages, a town, a village
CATALOGUE_LEVELS = (Level.COUNTY, Level.TOWN, Level.VILLAGE)
#: at most this many attachments per disclosure
MAX_FILES = 9

PUBLISH = Transition(
    "publish",
    frozenset({DisclosureState.DUE, DisclosureState.LATE}),
    DisclosureState.PUBLISHED,
    refused=_lazy("This disclosure is already published."),
)

#: the catalogue item's fields a form or a sheet sets (the timing comes as a rule)
ITEM_FIELDS = (
    "number",
    "key",
    "level1",
    "level2",
    "content",
    "basis",
    "publisher",
    "channel",
    "level",
    "audience",
    "mask_fields",
    "valid_from",
    "valid_to",
)


# --------------------------------------------------------------------------- the catalogue


def check_catalogue_division(actor: Any, division: Division) -> None:
    if division.level not in CATALOGUE_LEVELS:
        raise ValidationError(
            {"division": [_("A catalogue is published by a county, a town or a village.")]}
        )
    if not allows(actor, "change", CatalogueItem(division=division)):
        raise PermissionDenied(
            _("You do not publish the catalogue of %(division)s.") % {"division": division.name}
        )


def _check_item(item: CatalogueItem) -> None:
    """The single-row rules: the fields, the rule, the uniqueness, nothing personal."""
    try:
        item.rule()
    except timing.BadTiming as exc:
        raise ValidationError(
            {"timing": [_("The timing rule is incomplete: check its day, month or working days.")]}
        ) from exc
    item.full_clean(exclude=["division", "created_by"])
    for name in ("content", "basis", "level2", "level1"):
        check_public_text(getattr(item, name), where=str(item._meta.get_field(name).verbose_name))


@transaction.atomic
def save_item(
    *,
    actor: Any,
    division: Division,
    rule: timing.TimingRule,
    item: CatalogueItem | None = None,
    **values: Any,
) -> CatalogueItem:
    """Add an item to ``division``'s catalogue, or change ``item`` (of the same division)."""
    check_catalogue_division(actor, division)
    if item is not None and item.division_id != division.code:
        raise ValidationError(_("The item belongs to another catalogue."))
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    before = audit.snapshot(item) if item is not None else {}
    row = item or CatalogueItem(division=division, created_by=_person(actor))
    for name, value in values.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    row.mask_fields = _labels(row.mask_fields)
    row.set_rule(rule)
    _check_item(row)
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if item is not None else AuditAction.CREATE,
        instance=row,
        changes=audit.diff(before, audit.snapshot(row)),
        division_code=division.code,
    )
    return row


def _labels(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: items of the catalogue the sheet does not name: left as they are
    untouched: list[str] = field(default_factory=list)


@transaction.atomic
def import_catalogue(
    *, actor: Any, division: Division, rows: Sequence[dict[str, Any]]
) -> ImportResult:
    """Apply a read sheet (:func:`hemei.disclosure.sheets.read_catalogue`) to ``division``'s
    catalogue, all or nothing: an item of the same number is updated, a new number added;
    items the sheet does not name are left as they are (and reported). Running it again
    with the same sheet changes nothing."""
    check_catalogue_division(actor, division)
    existing = {
        i.number: i for i in CatalogueItem.objects.select_for_update().filter(division=division)
    }
    today = clock.today()
    result = ImportResult()
    errors: list[str] = []
    seen: set[int] = set()
    for values in rows:
        values = dict(values)
        line = values.pop("line")
        rule = values.pop("rule")
        number = values["number"]
        seen.add(number)
        item = existing.get(number)
        if not values.get("key"):
            values["key"] = item.key if item is not None else f"item{number}"
        if values.get("valid_from") is None:
            values["valid_from"] = item.valid_from if item is not None else today
        if item is not None and _same(item, values, rule):
            result.unchanged += 1
            continue
        try:
            with transaction.atomic():
                save_item(actor=actor, division=division, rule=rule, item=item, **values)
        except ValidationError as exc:
            errors.append(
                _("Row %(row)s: %(message)s") % {"row": line, "message": "；".join(exc.messages)}
            )
            continue
        if item is None:
            result.created += 1
        else:
            result.updated += 1
    if errors:
        raise ValidationError(errors)
    result.untouched = [i.name for n, i in sorted(existing.items()) if n not in seen]
    return result


def _same(item: CatalogueItem, values: dict[str, Any], rule: timing.TimingRule) -> bool:
    if item.rule() != rule:
        return False
    return all(getattr(item, name) == value for name, value in values.items())


@transaction.atomic
def adopt(*, actor: Any, village: Division, since: dt.date) -> Adoption:
    """``village`` follows its catalogue from ``since`` (the start can be moved later, never
    before disclosures it already owes)."""
    if village.level != Level.VILLAGE:
        raise ValidationError(_("Only a village follows a disclosure catalogue."))
    if not allows(actor, "change", Adoption(village=village)):
        raise PermissionDenied(_("The town or the county office starts a village's catalogue."))
    row = Adoption.objects.select_for_update().filter(village=village).first()
    before = audit.snapshot(row) if row is not None else {}
    if row is None:
        row = Adoption(village=village, since=since, adopted_by=_person(actor))
    else:
        row.since = since
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=row,
        changes=audit.diff(before, audit.snapshot(row)),
        division_code=village.code,
    )
    return row


# --------------------------------------------------------------------------- due disclosures


@dataclass
class Generated:
    created: int = 0
    marked_late: int = 0
    #: (village, item, period, message): due dates the clock cannot count yet
    unknown: list[tuple[str, str, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "late": self.marked_late, "unknown": len(self.unknown)}


def _winner(items: list[CatalogueItem], key: str, day: dt.date) -> CatalogueItem | None:
    """The item of ``key`` a village follows on ``day``: the lowest level's in force."""
    found = [i for i in items if i.key == key and i.in_force_on(day)]
    return max(found, key=lambda i: len(i.division_id)) if found else None


def generate_due(
    *, today: dt.date | None = None, villages: Iterable[str] | None = None
) -> Generated:
    """Create the disclosures the periodic items make due by ``today`` for every village that
    follows the catalogue, each with its duty; mark the unpublished ones past their date as
    late. Idempotent: a period already there is left alone. A due date the clock cannot count
    (a year without a known schedule) is reported, not guessed, and tried again next run."""
    today = today or clock.today()
    clock_ = selectors.schedule()
    result = Generated()
    adoptions = Adoption.objects.select_related("village").order_by("village_id")
    if villages is not None:
        adoptions = adoptions.filter(village_id__in=list(villages))
    for adoption in adoptions:
        with transaction.atomic():
            _generate_village(adoption, today, clock_, result)
    result.marked_late = Disclosure.objects.filter(
        state=DisclosureState.DUE, due_on__lt=today
    ).update(state=DisclosureState.LATE)
    for village, item, period, message in result.unknown:
        log.warning("disclosure %s %s %s: %s", village, item, period, message)
    return result


def _generate_village(
    adoption: Adoption, today: dt.date, clock_: calendar.Schedule, result: Generated
) -> None:
    village = adoption.village
    items = list(
        CatalogueItem.objects.above(village.code)
        .filter(valid_from__lte=today)
        .exclude(valid_to__lt=adoption.since)
        .select_related("division")
    )
    have = set(Disclosure.objects.filter(village=village).values_list("item_id", "slot"))
    for item in items:
        if not item.periodic:
            continue
        rule = item.rule()
        for period in rule.periods_between(max(adoption.since, item.valid_from), today):
            if (item.pk, period.code) in have or _winner(items, item.key, period.start) != item:
                continue
            try:
                due_on = rule.due_on(period, clock_)
            except calendar.ScheduleUnknown as exc:
                message = unknown_year_message(exc)
                result.unknown.append((village.code, item.key, period.code, message))
                continue
            _create(
                village=village,
                item=item,
                slot=period.code,
                title=f"{item.name}（{period.label}）",
                period_label=period.label,
                period_start=period.start,
                period_end=period.end,
                opens_on=period.opens_on,
                due_on=due_on,
            )
            result.created += 1


def _create(
    *,
    village: Division,
    item: CatalogueItem,
    slot: str,
    title: str,
    period_label: str,
    period_start: dt.date,
    period_end: dt.date,
    opens_on: dt.date,
    due_on: dt.date,
    happened_on: dt.date | None = None,
    actor: Any = None,
) -> Disclosure:
    today = clock.today()
    row = Disclosure.objects.create(
        village=village,
        item=item,
        slot=slot,
        title=title[:200],
        period_label=period_label,
        period_start=period_start,
        period_end=period_end,
        happened_on=happened_on,
        due_on=due_on,
        state=DisclosureState.LATE if due_on < today else DisclosureState.DUE,
    )
    with translation.override(settings.LANGUAGE_CODE):
        duty_title = _("Village disclosure: %(title)s") % {"title": row.title}
        description = _("%(item)s. When: %(rule)s. Basis: %(basis)s") % {
            "item": item.content,
            "rule": item.timing_text,
            "basis": item.basis or "—",
        }
    row.duty = duties.open_duty(
        division=village,
        title=duty_title,
        due_on=due_on,
        source=Source.DISCLOSURE,
        description=description,
        start_on=min(opens_on, due_on),
        actor=actor,
    )
    row.save(update_fields=["duty", "updated_at"])
    return row


def event_slot(happened_on: dt.date, title: str) -> str:
    digest = hashlib.sha256(title.strip().encode()).hexdigest()[:16]
    return f"event:{happened_on.isoformat()}:{digest}"


@transaction.atomic
def record_event(
    *,
    village: Division | str,
    item_key: str,
    happened_on: dt.date,
    title: str,
    actor: Any = None,
) -> Disclosure | None:
    """A matter of an event item arose in ``village`` (a resolution passed, a homestead
    approved): its disclosure is due within the item's working days. Other modules call it
    as the platform (``actor=None``, having checked their own actor); a person recording it
    must be one who publishes the village's disclosures.

    Answers the disclosure (the same one when called again with the same event), or None
    when the village does not follow the catalogue (yet, or on that day) or follows no item
    of that key. Refused: a periodic item, a day in the future, an empty title, a due date
    the clock cannot count (a year without a known schedule).
    """
    village = village if isinstance(village, Division) else Division.objects.get(code=village)
    if actor is not None and not allows(actor, "publish", Disclosure(village=village)):
        raise PermissionDenied(_("Only the village's officials record its disclosures."))
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Name the matter.")]})
    if happened_on > clock.today():
        raise ValidationError({"happened_on": [_("The date is in the future.")]})
    adoption = Adoption.objects.filter(village=village).first()
    if adoption is None or happened_on < adoption.since:
        return None
    item = selectors.village_item(village.code, item_key, happened_on)
    if item is None:
        return None
    if item.periodic:
        raise ValidationError(
            {"item": [_("%(item)s is disclosed by period, not by event.") % {"item": item.name}]}
        )
    slot = event_slot(happened_on, title)
    found = Disclosure.objects.filter(village=village, item=item, slot=slot).first()
    if found is not None:
        return found
    try:
        due_on = item.rule().due_after(happened_on, selectors.schedule())
    except calendar.ScheduleUnknown as exc:
        raise ValidationError(unknown_year_message(exc)) from exc
    try:
        with transaction.atomic():
            return _create(
                village=village,
                item=item,
                slot=slot,
                title=f"{item.level2 or item.level1}：{title}",
                period_label=happened_on.isoformat(),
                period_start=happened_on,
                period_end=happened_on,
                opens_on=happened_on,
                due_on=due_on,
                happened_on=happened_on,
                actor=actor,
            )
    except IntegrityError:  # recorded at the same moment by another request
        return Disclosure.objects.get(village=village, item=item, slot=slot)


# --------------------------------------------------------------------------- publishing


def _checked(upload: Any, masked: Sequence[str]) -> CheckedFile:
    checked = check_upload(upload)
    words = readable_text(checked.name, checked.data, checked.content_type)
    if words:
        check_public_text(words, masked=masked, where=checked.name)
    return checked


def publish(
    *,
    actor: Any,
    disclosure: Disclosure,
    published_on: dt.date,
    text: str,
    files: Sequence[Any] = (),
) -> Disclosure:
    """Publish what the village posted (text and attachments, checked like evidence and
    refused when they show personal data); closes the duty."""
    if not allows(actor, "publish", disclosure):
        raise PermissionDenied(_("Only the village's officials publish its disclosures."))
    if disclosure.state == DisclosureState.PUBLISHED:
        raise ValidationError(PUBLISH.refused)
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Enter what was published.")]})
    if published_on > clock.today():
        raise ValidationError({"published_on": [_("The date is in the future.")]})
    earliest = disclosure.happened_on or disclosure.period_start
    if published_on < earliest:
        raise ValidationError(
            {
                "published_on": [
                    _("It is before the matter it discloses (%(day)s).") % {"day": earliest}
                ]
            }
        )
    masked = disclosure.item.mask_fields
    try:
        check_public_text(text, masked=masked, where=_("the text"))
    except ValidationError as exc:
        raise ValidationError({"text": exc.messages}) from exc
    if len(files) > MAX_FILES:
        raise ValidationError({"files": [_("At most %(n)s files.") % {"n": MAX_FILES}]})
    try:
        checked = [_checked(upload, masked) for upload in files]
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from exc

    def guard(row: Disclosure) -> None:
        if not allows(actor, "publish", row):
            raise PermissionDenied(_("Only the village's officials publish its disclosures."))

    def save_files(row: Disclosure, before: str) -> None:
        for item in checked:
            stored = DisclosureFile(
                disclosure=row,
                name=item.name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
            )
            stored.file.save(item.name, ContentFile(item.data), save=False)
            stored.save()

    def close(row: Disclosure, before: str) -> None:
        if row.duty_id:
            duties.close_duty(
                task_id=row.duty_id,
                actor=actor,
                on=published_on,
                text=_("Published on %(day)s.") % {"day": published_on.isoformat()},
            )

    return change_state(
        disclosure,
        PUBLISH,
        actor=actor,
        division_code=disclosure.village_id,
        guard=guard,
        values={
            "text": text,
            "published_on": published_on,
            "published_at": clock.now(),
            "published_by": _person(actor),
        },
        audit_notes={"published_on": published_on.isoformat()},
        effects=[save_files, close],
    )

"""Writing the household register.

Every function checks that the actor may write in the household's village (else
PermissionDenied), validates (else ValidationError with a message per field), runs in one
transaction and leaves an audit entry. Changes to a household's make-up (split, merge,
change of head, move in/out, members added or removed) also add a dated
:class:`~.models.HouseholdEvent`: the current rows change, the events keep the history.
Protected values never reach the audit trail or the events in plain text: only masked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import EllipsisType
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemei.accounts.audit import diff, record, snapshot
from hemei.accounts.choices import AuditAction
from hemei.accounts.models import mask_phone
from hemei.accounts.policy import allows_at, check_at
from hemei.core import clock
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from .choices import EventKind, Gender, Relation, SensitiveField
from .models import Household, HouseholdEvent, Resident, SensitiveView, VillageGroup
from .validators import (
    birth_date_from_id,
    gender_from_id,
    mask_id_number,
    normalize_id_number,
    validate_id_number,
    validate_phone,
)

PERSON_FIELDS = ("name", "relation", "gender", "birth_date", "id_number", "phone")


# --- helpers -----------------------------------------------------------------------------


def _check_village(village: Division) -> None:
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": _("Households belong to a village.")})


def resident_snapshot(resident: Resident) -> dict[str, Any]:
    """The audit view of a resident: protected values masked, the index left out."""
    values = snapshot(resident)
    values.pop("id_number_index", None)
    values["id_number"] = mask_id_number(resident.id_number)
    values["phone"] = mask_phone(resident.phone)
    return values


def _member_summary(residents: Iterable[Resident]) -> list[dict[str, Any]]:
    return [{"id": r.pk, "name": r.name, "relation": r.relation} for r in residents]


def _paired_events(actor: Any, kind: str, one: Household, other: Household, **fields: Any) -> None:
    """The same event on both households, each pointing at the other (a split or a merge)."""
    _event(actor=actor, household=one, kind=kind, related=other, **fields)
    _event(actor=actor, household=other, kind=kind, related=one, **fields)


def _event(
    *,
    actor: Any,
    household: Household,
    kind: str,
    date: dt.date | None,
    note: str = "",
    related: Household | None = None,
    details: dict[str, Any] | None = None,
) -> HouseholdEvent:
    event = HouseholdEvent.objects.create(
        household=household,
        kind=kind,
        date=date or clock.today(),
        note=note.strip()[:500],
        related_household=related,
        actor=actor if getattr(actor, "pk", None) else None,
        details=details or {},
        recorded_at=clock.now(),
    )
    return event


def _check_date(date: dt.date | None) -> dt.date:
    date = date or clock.today()
    if date > clock.today():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    return date


def clean_person(
    *,
    village_code: str,
    name: str,
    relation: str = Relation.OTHER,
    gender: str = "",
    birth_date: dt.date | None = None,
    id_number: str = "",
    phone: str = "",
    exclude_pk: int | None = None,
) -> dict[str, Any]:
    """Validated person fields; birth date and gender filled from the ID number when empty.

    Raises ValidationError keyed by field, with every problem found.
    """
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("Enter the name."))
    elif len(name) > 50:
        errors.setdefault("name", []).append(_("The name is longer than 50 characters."))
    if relation not in Relation.values:
        errors.setdefault("relation", []).append(_("Unknown relation to the head."))
    if gender and gender not in Gender.values:
        errors.setdefault("gender", []).append(_("Gender is male or female."))
    id_number = (id_number or "").strip()
    if id_number:
        try:
            id_number = validate_id_number(id_number)
        except ValidationError as exc:
            errors.setdefault("id_number", []).extend(exc.messages)
        else:
            id_birth, id_gender = birth_date_from_id(id_number), gender_from_id(id_number)
            if birth_date and birth_date != id_birth:
                errors.setdefault("birth_date", []).append(
                    _("The birth date does not match the ID number (%(date)s).")
                    % {"date": id_birth}
                )
            if gender and gender != id_gender:
                errors.setdefault("gender", []).append(
                    _("The gender does not match the ID number.")
                )
            birth_date, gender = birth_date or id_birth, gender or id_gender
            clash = Resident.objects.filter(village_id=village_code).with_id_number(id_number)
            if exclude_pk is not None:
                clash = clash.exclude(pk=exclude_pk)
            other = clash.select_related("household").first()
            if other is not None:
                errors.setdefault("id_number", []).append(
                    _("This ID number is already registered in the village (%(name)s, %(hh)s).")
                    % {"name": other.name, "hh": other.household.number}
                )
    if birth_date and birth_date > clock.today():
        errors.setdefault("birth_date", []).append(_("The birth date cannot be in the future."))
    phone = (phone or "").strip()
    if phone:
        try:
            phone = validate_phone(phone)
        except ValidationError as exc:
            errors.setdefault("phone", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "relation": relation,
        "gender": gender,
        "birth_date": birth_date,
        "id_number": id_number,
        "phone": phone,
    }


def _new_resident(*, actor: Any, household: Household, person: Mapping[str, Any]) -> Resident:
    resident = Resident(household=household, **person)
    resident.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=resident,
        changes=diff({}, resident_snapshot(resident)),
        division_code=household.village_id,
    )
    return resident


def _set_head(household: Household, head: Resident | None) -> None:
    household.head = head
    household.save(update_fields=["head", "updated_at"])


def _audit_update(actor: Any, instance: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
    changes = diff(before, after)
    if changes:
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=instance,
            changes=changes,
            division_code=getattr(instance, "village_id", ""),
        )


# --- village groups ----------------------------------------------------------------------


@transaction.atomic
def create_village_group(
    *, actor: Any, village: Division, name: str, number: int | None = None
) -> VillageGroup:
    check_at(
        actor,
        "write_register",
        village.code,
        _("You may not change the household register of this village."),
    )
    _check_village(village)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the name of the group.")})
    if VillageGroup.objects.filter(village=village, name=name).exists():
        raise ValidationError({"name": _("The village already has a group of this name.")})
    if number is None:
        number = VillageGroup.objects.filter(village=village).count() + 1
    group = VillageGroup.objects.create(village=village, name=name, number=number)
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=group,
        changes=diff({}, snapshot(group)),
        division_code=village.code,
    )
    return group


@transaction.atomic
def update_village_group(
    *, actor: Any, group: VillageGroup, name: str, number: int
) -> VillageGroup:
    check_at(
        actor,
        "write_register",
        group.village_id,
        _("You may not change the household register of this village."),
    )
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the name of the group.")})
    if VillageGroup.objects.filter(village_id=group.village_id, name=name).exclude(pk=group.pk):
        raise ValidationError({"name": _("The village already has a group of this name.")})
    before = snapshot(group)
    group.name, group.number = name, number
    group.save()
    _audit_update(actor, group, before, snapshot(group))
    return group


# --- households and members --------------------------------------------------------------


def _check_group(group: VillageGroup | None, village_code: str) -> None:
    if group is not None and group.village_id != village_code:
        raise ValidationError({"group": _("The group belongs to another village.")})


def _check_number(village_code: str, number: str, exclude_pk: int | None = None) -> str:
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": _("Enter the household number.")})
    if len(number) > 30:
        raise ValidationError({"number": _("The household number is longer than 30 characters.")})
    clash = Household.objects.filter(village_id=village_code, number=number)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"number": _("The village already has household number %(n)s.") % {"n": number}}
        )
    return number


@transaction.atomic
def create_household(
    *,
    actor: Any,
    village: Division,
    number: str,
    head: Mapping[str, Any],
    group: VillageGroup | None = None,
    address: str = "",
    date: dt.date | None = None,
    moved_in: bool = False,
    note: str = "",
) -> Household:
    """Register a household with its head (``head``: the person fields, relation ignored).

    ``moved_in`` records the household as having moved into the village (迁入) rather than
    registered (e.g. at the first import).
    """
    check_at(
        actor,
        "write_register",
        village.code,
        _("You may not change the household register of this village."),
    )
    _check_village(village)
    _check_group(group, village.code)
    number = _check_number(village.code, number)
    date = _check_date(date)
    person = clean_person(village_code=village.code, **{**head, "relation": Relation.HEAD})
    household = Household.objects.create(
        village=village, group=group, number=number, address=address.strip()[:200]
    )
    resident = _new_resident(actor=actor, household=household, person=person)
    _set_head(household, resident)
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=household,
        changes=diff({}, snapshot(household)),
        division_code=village.code,
    )
    _event(
        actor=actor,
        household=household,
        kind=EventKind.MOVE_IN if moved_in else EventKind.CREATE,
        date=date,
        note=note,
        details={"head": {"id": resident.pk, "name": resident.name}},
    )
    return household


@transaction.atomic
def update_household(
    *,
    actor: Any,
    household: Household,
    number: str | None = None,
    group: VillageGroup | EllipsisType | None = ...,
    address: str | None = None,
) -> Household:
    """Correct the number, group or address (plain corrections: audited, no event)."""
    check_at(
        actor,
        "write_register",
        household.village_id,
        _("You may not change the household register of this village."),
    )
    before = snapshot(household)
    if number is not None:
        household.number = _check_number(household.village_id, number, household.pk)
    if group is not ...:
        _check_group(group, household.village_id)
        household.group = group
    if address is not None:
        household.address = address.strip()[:200]
    household.save()
    _audit_update(actor, household, before, snapshot(household))
    return household


def _check_active(household: Household) -> None:
    if not household.is_active:
        raise ValidationError(_("Household %(n)s is no longer active.") % {"n": household.number})


@transaction.atomic
def add_member(
    *,
    actor: Any,
    household: Household,
    date: dt.date | None = None,
    note: str = "",
    moved_in: bool = False,
    **person: Any,
) -> Resident:
    """Add a member (birth, marriage, …; ``moved_in`` for one coming from elsewhere).

    A person registered in the village before (moved out, now back) is matched by ID number
    and made active again in this household rather than duplicated.
    """
    check_at(
        actor,
        "write_register",
        household.village_id,
        _("You may not change the household register of this village."),
    )
    _check_active(household)
    date = _check_date(date)
    if person.get("relation") == Relation.HEAD:
        raise ValidationError({"relation": _("Change the head with “change of head”.")})
    returning = None
    if person.get("id_number"):
        returning = (
            Resident.objects.filter(village_id=household.village_id, is_active=False)
            .with_id_number(person["id_number"])
            .first()
        )
    cleaned = clean_person(
        village_code=household.village_id,
        exclude_pk=returning.pk if returning else None,
        **{key: person.get(key) for key in PERSON_FIELDS if person.get(key) is not None},
    )
    if returning is not None:
        before = resident_snapshot(returning)
        for key, value in cleaned.items():
            setattr(returning, key, value)
        returning.household, returning.is_active, returning.left_on = household, True, None
        returning.save()
        _audit_update(actor, returning, before, resident_snapshot(returning))
        resident = returning
    else:
        resident = _new_resident(actor=actor, household=household, person=cleaned)
    _event(
        actor=actor,
        household=household,
        kind=EventKind.MOVE_IN if moved_in else EventKind.MEMBER_ADD,
        date=date,
        note=note,
        details={"members": _member_summary([resident])},
    )
    return resident


@transaction.atomic
def update_resident(*, actor: Any, resident: Resident, **fields: Any) -> Resident:
    """Correct a member's details (name, gender, birth date, ID number, phone, relation).

    The head's relation is changed only by :func:`change_head`.
    """
    check_at(
        actor,
        "write_register",
        resident.village_id,
        _("You may not change the household register of this village."),
    )
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if "relation" in fields and (fields["relation"] == Relation.HEAD) != resident.is_head:
        raise ValidationError({"relation": _("Change the head with “change of head”.")})
    current = {key: getattr(resident, key) for key in PERSON_FIELDS}
    if fields.get("id_number") and normalize_id_number(fields["id_number"]) != resident.id_number:
        # A corrected ID number brings its own birth date and gender unless others are given.
        for key, empty in (("birth_date", None), ("gender", "")):
            if fields.get(key, current[key]) == current[key]:
                fields[key] = empty
    cleaned = clean_person(
        village_code=resident.village_id, exclude_pk=resident.pk, **{**current, **fields}
    )
    before = resident_snapshot(resident)
    for key, value in cleaned.items():
        setattr(resident, key, value)
    resident.save()
    _audit_update(actor, resident, before, resident_snapshot(resident))
    return resident


@transaction.atomic
def remove_member(
    *,
    actor: Any,
    resident: Resident,
    date: dt.date | None = None,
    note: str = "",
    moved_out: bool = False,
) -> Resident:
    """A member leaves (death, marriage away; ``moved_out`` for 迁出): the row stays, inactive.

    The head cannot leave while others remain: change the head first, or move the whole
    household out.
    """
    household = resident.household
    check_at(
        actor,
        "write_register",
        household.village_id,
        _("You may not change the household register of this village."),
    )
    date = _check_date(date)
    if not resident.is_active:
        raise ValidationError(_("%(name)s is no longer a member.") % {"name": resident.name})
    if household.head_id == resident.pk:
        raise ValidationError(
            _("%(name)s is the head: change the head first, or move the whole household out.")
            % {"name": resident.name}
        )
    before = resident_snapshot(resident)
    resident.is_active, resident.left_on = False, date
    resident.save()
    _audit_update(actor, resident, before, resident_snapshot(resident))
    _event(
        actor=actor,
        household=household,
        kind=EventKind.MOVE_OUT if moved_out else EventKind.MEMBER_REMOVE,
        date=date,
        note=note,
        details={"members": _member_summary([resident])},
    )
    return resident


@transaction.atomic
def change_head(
    *,
    actor: Any,
    household: Household,
    new_head: Resident,
    former_head_relation: str = Relation.OTHER,
    relations: Mapping[int, str] | None = None,
    date: dt.date | None = None,
    note: str = "",
) -> HouseholdEvent:
    """Make ``new_head`` the head (变更户主); the former head (if still a member) takes
    ``former_head_relation``; ``relations`` re-states others' relation to the new head."""
    check_at(
        actor,
        "write_register",
        household.village_id,
        _("You may not change the household register of this village."),
    )
    _check_active(household)
    date = _check_date(date)
    if new_head.household_id != household.pk or not new_head.is_active:
        raise ValidationError({"new_head": _("The new head must be a member of the household.")})
    if new_head.pk == household.head_id:
        raise ValidationError({"new_head": _("This member is already the head.")})
    if former_head_relation == Relation.HEAD or former_head_relation not in Relation.values:
        raise ValidationError({"former_head_relation": _("Choose the former head's relation.")})
    old = household.head
    relations = dict(relations or {})
    if old is not None and old.is_active and old.household_id == household.pk:
        relations[old.pk] = former_head_relation
    relations[new_head.pk] = Relation.HEAD
    _apply_relations(actor, household, relations)
    _set_head(household, new_head)
    return _event(
        actor=actor,
        household=household,
        kind=EventKind.HEAD_CHANGE,
        date=date,
        note=note,
        details={
            "from": {"id": old.pk, "name": old.name} if old else None,
            "to": {"id": new_head.pk, "name": new_head.name},
        },
    )


def _apply_relations(actor: Any, household: Household, relations: Mapping[int, str]) -> None:
    for resident in Resident.objects.filter(household=household, pk__in=list(relations)):
        relation = relations[resident.pk]
        if relation not in Relation.values:
            raise ValidationError({"relation": _("Unknown relation to the head.")})
        if resident.relation != relation:
            before = resident_snapshot(resident)
            resident.relation = relation
            resident.save(update_fields=["relation", "updated_at"])
            _audit_update(actor, resident, before, resident_snapshot(resident))


def _move_members(
    actor: Any, members: Iterable[Resident], target: Household, relations: Mapping[int, str]
) -> None:
    for resident in members:
        before = resident_snapshot(resident)
        resident.household = target
        resident.relation = relations.get(resident.pk, resident.relation)
        if resident.relation == Relation.HEAD and target.head_id not in (None, resident.pk):
            resident.relation = Relation.OTHER
        resident.save()
        _audit_update(actor, resident, before, resident_snapshot(resident))


@transaction.atomic
def split_household(
    *,
    actor: Any,
    household: Household,
    members: list[Resident],
    new_head: Resident,
    new_number: str,
    relations: Mapping[int, str] | None = None,
    group: VillageGroup | EllipsisType | None = ...,
    address: str | None = None,
    date: dt.date | None = None,
    note: str = "",
) -> Household:
    """分户: ``members`` leave to a new household numbered ``new_number``, headed by
    ``new_head`` (one of them). ``relations`` gives the others' relation to the new head."""
    check_at(
        actor,
        "write_register",
        household.village_id,
        _("You may not change the household register of this village."),
    )
    _check_active(household)
    date = _check_date(date)
    ids = {m.pk for m in members}
    members = list(Resident.objects.filter(pk__in=ids, household=household, is_active=True))
    if not members or len(members) != len(ids):
        raise ValidationError({"members": _("Choose members of this household.")})
    if household.head_id in ids:
        raise ValidationError(
            {"members": _("The head stays: change the head first if the head leaves.")}
        )
    if household.members.filter(is_active=True).exclude(pk__in=ids).count() == 0:
        raise ValidationError({"members": _("At least one member must stay.")})
    if new_head.pk not in ids:
        raise ValidationError({"new_head": _("The new head must be one of the leaving members.")})
    number = _check_number(household.village_id, new_number)
    new = Household.objects.create(
        village_id=household.village_id,
        group=household.group if group is ... else group,
        number=number,
        address=household.address if address is None else address.strip()[:200],
    )
    _check_group(new.group, household.village_id)
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=new,
        changes=diff({}, snapshot(new)),
        division_code=new.village_id,
    )
    relations = {**dict(relations or {}), new_head.pk: Relation.HEAD}
    for member in members:
        relations.setdefault(member.pk, Relation.OTHER)
    _move_members(actor, members, new, relations)
    head = next(m for m in members if m.pk == new_head.pk)
    _set_head(new, head)
    details = {"members": _member_summary(members), "new_number": number, "from": household.number}
    _paired_events(actor, EventKind.SPLIT, household, new, date=date, note=note, details=details)
    return new


@transaction.atomic
def merge_households(
    *,
    actor: Any,
    source: Household,
    target: Household,
    relations: Mapping[int, str] | None = None,
    date: dt.date | None = None,
    note: str = "",
) -> Household:
    """合户: every member of ``source`` joins ``target`` (relations to ``target``'s head, by
    default “other”); ``source`` becomes inactive, its number kept for the record."""
    check_at(
        actor,
        "write_register",
        source.village_id,
        _("You may not change the household register of this village."),
    )
    check_at(
        actor,
        "write_register",
        target.village_id,
        _("You may not change the household register of this village."),
    )
    _check_active(source)
    _check_active(target)
    date = _check_date(date)
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose another household to merge into.")})
    if source.village_id != target.village_id:
        raise ValidationError({"target": _("Households merge only within one village.")})
    members = list(source.members.filter(is_active=True))
    relations = {m.pk: Relation.OTHER for m in members} | dict(relations or {})
    if Relation.HEAD in {relations[m.pk] for m in members}:
        raise ValidationError({"relation": _("The merged household keeps its head.")})
    _move_members(actor, members, target, relations)
    before = snapshot(source)
    source.is_active, source.ended_on = False, date
    source.save()
    _audit_update(actor, source, before, snapshot(source))
    details = {"members": _member_summary(members), "from": source.number, "into": target.number}
    _paired_events(actor, EventKind.MERGE, source, target, date=date, note=note, details=details)
    return target


@transaction.atomic
def move_out_household(
    *, actor: Any, household: Household, date: dt.date | None = None, note: str = ""
) -> Household:
    """迁出: the whole household leaves the village; it and its members become inactive."""
    check_at(
        actor,
        "write_register",
        household.village_id,
        _("You may not change the household register of this village."),
    )
    _check_active(household)
    date = _check_date(date)
    members = list(household.members.filter(is_active=True))
    for resident in members:
        before = resident_snapshot(resident)
        resident.is_active, resident.left_on = False, date
        resident.save()
        _audit_update(actor, resident, before, resident_snapshot(resident))
    before = snapshot(household)
    household.is_active, household.ended_on = False, date
    household.save()
    _audit_update(actor, household, before, snapshot(household))
    _event(
        actor=actor,
        household=household,
        kind=EventKind.MOVE_OUT,
        date=date,
        note=note,
        details={"members": _member_summary(members)},
    )
    return household


@transaction.atomic
def link_account(*, actor: Any, resident: Resident, user: Any | None) -> Resident:
    """Link a villager's account to the person (or unlink with ``None``)."""
    check_at(
        actor,
        "write_register",
        resident.village_id,
        _("You may not change the household register of this village."),
    )
    if user is not None and Resident.objects.filter(user=user).exclude(pk=resident.pk).exists():
        raise ValidationError({"user": _("The account is already linked to another person.")})
    before = resident_snapshot(resident)
    resident.user = user
    resident.save(update_fields=["user", "updated_at"])
    _audit_update(actor, resident, before, resident_snapshot(resident))
    return resident


# --- protected values --------------------------------------------------------------------


@transaction.atomic
def reveal(*, actor: Any, resident: Resident, field: str) -> str:
    """The full ID number or phone, for a role that may see it; every call is logged."""
    if field not in (SensitiveField.ID_NUMBER, SensitiveField.PHONE):
        raise ValidationError(_("Only the ID number or the phone can be shown in full."))
    if not allows_at(actor, "write_register", resident.village_id):
        raise PermissionDenied(_("Your role may not see this in full."))
    SensitiveView.objects.create(
        viewer=actor, at=clock.now(), village_id=resident.village_id, resident=resident, field=field
    )
    return getattr(resident, field)


def log_full_export(*, actor: Any, village: Division, rows: int) -> SensitiveView:
    """Record a full (unmasked) export of a village's register."""
    if not allows_at(actor, "write_register", village.code):
        raise PermissionDenied(_("Your role may not export the register in full."))
    return SensitiveView.objects.create(
        viewer=actor,
        at=clock.now(),
        village=village,
        field=SensitiveField.FULL_EXPORT,
        rows=rows,
    )

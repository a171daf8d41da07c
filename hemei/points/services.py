"""Writing governance points. Every write checks the actor, runs in one transaction and is
audited; the ledger is only ever appended to, through :mod:`.ledger`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemei.accounts.audit import diff, record, snapshot
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import allows_at, check_at
from hemei.accounts.workflow import Transition, change_state
from hemei.core import clock
from hemei.core.evidence import check_file, too_big
from hemei.core.jobs import enqueue_at
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.documents.rendering import mask_numbers
from hemei.households.models import Household
from hemei.households.selectors import household_of
from hemei.notices import services as notices
from hemei.notices.models import Notice, NoticeObjection
from hemei.procedures import adoption
from hemei.procedures.adoption import VersionState
from hemei.procedures.choices import TimeUnit

from . import ledger
from .choices import (
    OPEN_STATES,
    CapPeriod,
    EntrySource,
    EntryState,
    LedgerKind,
    ObjectionState,
    SettlementMode,
)
from .models import (
    Entry,
    EntryTransition,
    Evidence,
    Goods,
    LedgerEntry,
    Redemption,
    RuleItem,
    RuleSet,
    RuleVersion,
    Settlement,
    VillageSettings,
)

MAX_EVIDENCE_BYTES = 8 * 1024 * 1024
#: Photos and PDFs: what a household's good deed is shown with.
EVIDENCE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})


# --- settings -----------------------------------------------------------------------------


def settings_for(village_code: str) -> VillageSettings:
    """The village's settings (the defaults until someone changes them)."""
    found = VillageSettings.objects.filter(village_id=village_code).first()
    return found or VillageSettings(village_id=village_code)


@transaction.atomic
def update_settings(*, actor: Any, village: Division, **fields: Any) -> VillageSettings:
    check_at(actor, "run_points", village.code, _("You do not run the points of this village."))
    current = settings_for(village.code)
    before = snapshot(current) if current.pk and not current._state.adding else {}
    for name, value in fields.items():
        setattr(current, name, value)
    bands = current.star_bands
    if not isinstance(bands, list) or not all(isinstance(b, int) and b > 0 for b in bands):
        raise ValidationError({"star_bands": _("Give whole numbers above zero.")})
    if bands != sorted(set(bands)):
        raise ValidationError({"star_bands": _("The bands must rise from one star to the next.")})
    current.full_clean()
    current.save()
    record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=current,
        changes=diff(before, snapshot(current)),
        division_code=village.code,
    )
    return current


# --- rules --------------------------------------------------------------------------------


def rule_set_of(village: Division) -> RuleSet:
    """The village's own rule set, created on first use."""
    rule_set, _created = RuleSet.objects.get_or_create(
        division=village,
        is_template=False,
        defaults={"name": _("Points rules of %(village)s") % {"village": village.name}},
    )
    return rule_set


def version_in_force(village_code: str, on: dt.date) -> RuleVersion | None:
    return adoption.in_force(
        RuleVersion.objects.filter(rule_set__division_id=village_code, rule_set__is_template=False),
        on,
    )


def _copy_items(source: RuleVersion, target: RuleVersion) -> None:
    RuleItem.objects.bulk_create(
        RuleItem(
            version=target,
            code=item.code,
            category=item.category,
            title=item.title,
            points=item.points,
            evidence=item.evidence,
            evidence_required=item.evidence_required,
            cap=item.cap,
            cap_period=item.cap_period,
        )
        for item in source.items.all()
    )


@transaction.atomic
def create_template(*, actor: Any, division: Division, name: str) -> RuleVersion:
    """A town's or county's template rule set, with its first (draft) version."""
    if division.level not in (Level.COUNTY, Level.TOWN):
        raise ValidationError(_("Templates are published by a town or a county."))
    check_at(
        actor,
        "publish_templates",
        division.code,
        _("Only a town or county may publish rule templates here."),
    )
    rule_set = RuleSet.objects.create(division=division, name=name.strip(), is_template=True)
    version = RuleVersion.objects.create(rule_set=rule_set, number=1)
    record(actor=actor, action=AuditAction.CREATE, instance=rule_set, division_code=division.code)
    return version


@transaction.atomic
def draft_version(
    *, actor: Any, village: Division, based_on: RuleVersion | None = None
) -> RuleVersion:
    """A new draft of the village's rules: a copy of ``based_on`` (a published template of a
    town or county above, or one of the village's own versions), else empty."""
    check_at(actor, "run_points", village.code, _("You do not run the points of this village."))
    rule_set = rule_set_of(village)
    if based_on is not None:
        adoption.check_base(
            village_code=village.code,
            own=based_on.rule_set_id == rule_set.pk,
            template=based_on.rule_set.is_template,
            state=based_on.state,
            above=based_on.rule_set.division_id,
        )
    if rule_set.versions.filter(state=VersionState.DRAFT).exists():
        raise ValidationError(_("The village has a draft already: finish or adopt it first."))
    version = RuleVersion.objects.create(
        rule_set=rule_set, number=adoption.next_number(rule_set.versions), based_on=based_on
    )
    if based_on is not None:
        _copy_items(based_on, version)
    record(actor=actor, action=AuditAction.CREATE, instance=version, division_code=village.code)
    return version


def _check_editable(actor: Any, version: RuleVersion) -> None:
    rule_set = version.rule_set
    if rule_set.is_template:
        check_at(
            actor,
            "publish_templates",
            rule_set.division_id,
            _("Only a town or county may publish rule templates here."),
        )
    else:
        check_at(
            actor,
            "run_points",
            rule_set.division_id,
            _("You do not run the points of this village."),
        )
    adoption.check_draft(version)


@transaction.atomic
def add_item(
    *,
    actor: Any,
    version: RuleVersion,
    code: str,
    category: str,
    title: str,
    points: int,
    evidence: str = "",
    evidence_required: bool = False,
    cap: int | None = None,
    cap_period: str = CapPeriod.YEAR,
) -> RuleItem:
    _check_editable(actor, version)
    item = RuleItem(
        version=version,
        code=code.strip(),
        category=category,
        title=title.strip(),
        points=points,
        evidence=evidence.strip(),
        evidence_required=evidence_required,
        cap=cap,
        cap_period=cap_period,
    )
    if cap is not None and cap < abs(points):
        raise ValidationError({"cap": _("The cap is below the points of one entry.")})
    item.full_clean()
    item.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=item,
        changes=diff({}, snapshot(item)),
        division_code=version.rule_set.division_id,
    )
    return item


@transaction.atomic
def remove_item(*, actor: Any, item: RuleItem) -> None:
    _check_editable(actor, item.version)
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=item,
        division_code=item.version.rule_set.division_id,
    )
    item.delete()


@transaction.atomic
def publish_template(*, actor: Any, version: RuleVersion) -> RuleVersion:
    if not version.rule_set.is_template:
        raise ValidationError(_("Only a template is published; a village adopts its rules."))
    _check_editable(actor, version)
    if not version.items.exists():
        raise ValidationError(_("Add at least one rule first."))
    return adoption.publish(
        version=version, actor=actor, division_code=version.rule_set.division_id
    )


@transaction.atomic
def adopt_version(
    *,
    actor: Any,
    version: RuleVersion,
    meeting_kind: str,
    meeting_date: dt.date,
    in_force_from: dt.date,
    note: str = "",
) -> RuleVersion:
    """Record the villagers' meeting that adopted ``version``; it is in force from the date."""
    if version.rule_set.is_template:
        raise ValidationError(_("A template is published, not adopted."))
    _check_editable(actor, version)
    if not version.items.exists():
        raise ValidationError(_("Add at least one rule first."))
    if Entry.objects.filter(
        village_id=version.rule_set.division_id, occurred_on__gte=in_force_from
    ).exists():
        raise ValidationError(
            {"in_force_from": _("Entries dated on or after this day cite the rules in force.")}
        )
    return adoption.adopt(
        version=version,
        versions=version.rule_set.versions,
        actor=actor,
        meeting_kind=meeting_kind,
        meeting_date=meeting_date,
        in_force_from=in_force_from,
        note=note,
        division_code=version.rule_set.division_id,
    )


# --- entries ------------------------------------------------------------------------------


def check_evidence(upload: UploadedFile) -> str:
    """The checked content type of an evidence file (the platform's one evidence check,
    taking photos and PDFs here); a clear error for anything else."""
    name = upload.name or ""
    if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"evidence": too_big(name, upload.size, MAX_EVIDENCE_BYTES)})
    upload.seek(0)
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    upload.seek(0)
    try:
        checked = check_file(name, data, max_bytes=MAX_EVIDENCE_BYTES)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from None
    if checked.content_type not in EVIDENCE_TYPES:
        raise ValidationError(
            {"evidence": _("%(name)s: upload a photo (JPEG, PNG, WebP) or a PDF.") % {"name": name}}
        )
    return checked.content_type


def _period(on: dt.date, period: str) -> tuple[dt.date, dt.date]:
    if period == CapPeriod.MONTH:
        start = on.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1)
    elif period == CapPeriod.QUARTER:
        start = on.replace(month=(on.month - 1) // 3 * 3 + 1, day=1)
        end = (start + dt.timedelta(days=95)).replace(day=1)
    else:
        start = on.replace(month=1, day=1)
        end = start.replace(year=start.year + 1)
    return start, end - dt.timedelta(days=1)


def _check_cap(household: Household, item: RuleItem, occurred_on: dt.date, adding: int) -> None:
    if item.cap is None:
        return
    start, end = _period(occurred_on, item.cap_period)
    taken = (
        Entry.objects.filter(
            household=household,
            village_id=household.village_id,
            item__code=item.code,
            occurred_on__range=(start, end),
            state__in=[*OPEN_STATES, EntryState.EFFECTIVE],
        ).aggregate(total=Sum("points"))["total"]
        or 0
    )
    if abs(taken + adding) > item.cap:
        raise ValidationError(
            _(
                "Household %(household)s would pass the cap of %(cap)s points %(period)s for "
                "rule %(code)s (%(taken)s already)."
            )
            % {
                "household": household.number,
                "cap": item.cap,
                "period": item.get_cap_period_display(),
                "code": item.code,
                "taken": abs(taken),
            }
        )


def _item_in_force(village_code: str, item: RuleItem, occurred_on: dt.date) -> RuleItem:
    """The rule of the same code in the version in force on the entry's date."""
    version = version_in_force(village_code, occurred_on)
    if version is None:
        raise ValidationError(
            {
                "occurred_on": _("No rules of the village were in force on %(date)s.")
                % {"date": occurred_on}
            }
        )
    if item.version_id == version.pk:
        return item
    same = version.items.filter(code=item.code).first()
    if same is None:
        raise ValidationError(
            {
                "item": _("Rule %(code)s was not in the rules in force on %(date)s.")
                % {"code": item.code, "date": occurred_on}
            }
        )
    return same


def _created(entry: Entry) -> dict[str, Any]:
    values = {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in snapshot(entry).items()}
    return diff({}, values)


def _create_entry(
    *,
    actor: Any,
    household: Household,
    item: RuleItem,
    occurred_on: dt.date,
    description: str,
    source: str,
    files: Sequence[UploadedFile],
    batch: uuid.UUID | None = None,
) -> Entry:
    if not household.is_active:
        raise ValidationError(
            {
                "household": _("Household %(number)s is no longer active.")
                % {"number": household.number}
            }
        )
    if occurred_on > clock.today():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("Say what happened.")})
    item = _item_in_force(household.village_id, item, occurred_on)
    if item.evidence_required and not files:
        raise ValidationError(
            {
                "evidence": _("Rule %(code)s needs evidence: %(what)s")
                % {"code": item.code, "what": item.evidence or _("a photo or document")}
            }
        )
    ledger.lock_balances(household.village_id, [household.pk])
    _check_cap(household, item, occurred_on, item.points)
    entry = Entry(
        village_id=household.village_id,
        household=household,
        item=item,
        version_id=item.version_id,
        points=item.points,
        occurred_on=occurred_on,
        description=description[:500],
        source=source,
        state=EntryState.SUBMITTED,
        created_by=actor,
        batch=batch,
    )
    entry.save()
    EntryTransition.objects.create(
        entry=entry, from_state="", to_state=EntryState.SUBMITTED, actor=actor, note=description
    )
    for upload in files:
        content_type = check_evidence(upload)
        Evidence.objects.create(
            entry=entry,
            file=upload,
            name=(upload.name or "")[:200],
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=actor,
        )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=entry,
        changes=_created(entry),
        division_code=household.village_id,
    )
    return entry


@transaction.atomic
def record_entry(
    *,
    actor: Any,
    household: Household,
    item: RuleItem,
    occurred_on: dt.date,
    description: str,
    files: Sequence[UploadedFile] = (),
) -> Entry:
    """A village official records points for a household (it then goes to 初评)."""
    check_at(
        actor, "run_points", household.village_id, _("You do not run the points of this village.")
    )
    return _create_entry(
        actor=actor,
        household=household,
        item=item,
        occurred_on=occurred_on,
        description=description,
        source=EntrySource.RECORDED,
        files=files,
    )


@transaction.atomic
def request_entry(
    *,
    actor: Any,
    item: RuleItem,
    occurred_on: dt.date,
    description: str,
    files: Sequence[UploadedFile] = (),
) -> Entry:
    """A villager asks for points for their own household (申报), with evidence."""
    household = household_of(actor)
    if household is None or not allows_at(actor, "live_in", household.village_id):
        raise PermissionDenied(_("Your account is not linked to a household of the village."))
    if item.points <= 0:
        raise ValidationError({"item": _("A household requests only rules that give points.")})
    return _create_entry(
        actor=actor,
        household=household,
        item=item,
        occurred_on=occurred_on,
        description=description,
        source=EntrySource.REQUESTED,
        files=files,
    )


@transaction.atomic
def record_bulk(
    *,
    actor: Any,
    village: Division,
    households: Sequence[Household],
    item: RuleItem,
    occurred_on: dt.date,
    description: str,
) -> list[Entry]:
    """One rule for many households in one action (e.g. a cleanup day): all or nothing."""
    check_at(actor, "run_points", village.code, _("You do not run the points of this village."))
    if not households:
        raise ValidationError({"households": _("Choose at least one household.")})
    strangers = [h.number for h in households if h.village_id != village.code]
    if strangers:
        raise ValidationError(
            {
                "households": _("Not households of this village: %(numbers)s")
                % {"numbers": ", ".join(strangers)}
            }
        )
    batch = uuid.uuid4()
    problems: list[str] = []
    entries: list[Entry] = []
    for household in households:
        try:
            with transaction.atomic():
                entries.append(
                    _create_entry(
                        actor=actor,
                        household=household,
                        item=item,
                        occurred_on=occurred_on,
                        description=description,
                        source=EntrySource.RECORDED,
                        files=(),
                        batch=batch,
                    )
                )
        except ValidationError as exc:
            problems.append(f"{household.number}: {' '.join(exc.messages)}")
    if problems:
        raise ValidationError(
            _("Nothing was recorded. %(problems)s") % {"problems": "；".join(problems)}
        )
    return entries


def _locked(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().select_related("item").get(pk=entry.pk)


def _expect(entry: Entry, *states: str) -> None:
    if entry.state not in states:
        raise ValidationError(
            _("The entry is %(state)s; this step is not open to it.")
            % {"state": entry.get_state_display()}
        )


ASSESS = Transition("assess", frozenset({EntryState.SUBMITTED}), EntryState.ASSESSED)
REJECT_AT_ASSESSMENT = Transition("reject", frozenset({EntryState.SUBMITTED}), EntryState.REJECTED)
POST_NOTICE = Transition("post_notice", frozenset({EntryState.ASSESSED}), EntryState.IN_NOTICE)
REJECT_AT_REVIEW = Transition("reject", frozenset({EntryState.ASSESSED}), EntryState.REJECTED)
REOPEN_ON_OBJECTION = Transition(
    "object",
    frozenset({EntryState.IN_NOTICE}),
    EntryState.ASSESSED,
    refused=gettext_lazy("The entry is not in public notice (any more)."),
)
REOPEN_ON_WITHDRAWAL = Transition(
    "withdraw_notice",
    frozenset({EntryState.IN_NOTICE}),
    EntryState.ASSESSED,
    refused=gettext_lazy("The entry is not in public notice (any more)."),
)
_ENTRIES = Entry.objects.select_related("item", "household")


def _entry_timeline(actor: Any, note: str) -> Any:
    """The points entry's timeline: one EntryTransition row a move (who, from, to, why)."""

    def effect(entry: Entry, before: str) -> None:
        EntryTransition.objects.create(
            entry=entry, from_state=before, to_state=entry.state, actor=actor, note=note[:500]
        )

    return effect


def _state_refused(entry: Entry) -> str:
    return _("The entry is %(state)s; this step is not open to it.") % {
        "state": entry.get_state_display()
    }


def assess_entry(*, actor: Any, entry: Entry, approve: bool, note: str = "") -> Entry:
    """初评: the first look (e.g. by the group leader): on to the committee, or rejected."""
    check_at(actor, "run_points", entry.village_id, _("You do not run the points of this village."))

    def guard(row: Entry) -> None:
        if row.state != EntryState.SUBMITTED:
            raise ValidationError(_state_refused(row))
        if not approve and not note.strip():
            raise ValidationError({"note": _("Say why the entry is rejected.")})

    return change_state(
        entry,
        ASSESS if approve else REJECT_AT_ASSESSMENT,
        actor=actor,
        division_code=entry.village_id,
        guard=guard,
        effects=[_entry_timeline(actor, note)],
        queryset=_ENTRIES,
    )


def review_entry(*, actor: Any, entry: Entry, approve: bool, note: str = "") -> Entry:
    """审核 by the village committee: approved entries go on public notice (a notice of the
    platform's, :mod:`hemei.notices`); open objections are answered by the decision
    (dismissed on approval, upheld on rejection)."""
    check_at(actor, "run_points", entry.village_id, _("You do not run the points of this village."))
    now = clock.now()

    def guard(row: Entry) -> None:
        if row.state != EntryState.ASSESSED:
            raise ValidationError(_state_refused(row))
        if (row.objections.filter(state=ObjectionState.OPEN).exists() or not approve) and (
            not note.strip()
        ):
            raise ValidationError({"note": _("Give the reason for the decision.")})
        if approve and not row.corrects_id:
            _check_cap(row.household, row.item, row.occurred_on, 0)

    def answer_objections(row: Entry, before: str) -> None:
        notices.settle_objections(
            subject=row, upheld=not approve, answer=note.strip(), actor=actor, at=now
        )
        if approve:
            post_entry_notice(row, actor=actor, at=now)

    return change_state(
        entry,
        POST_NOTICE if approve else REJECT_AT_REVIEW,
        actor=actor,
        division_code=entry.village_id,
        guard=guard,
        effects=[_entry_timeline(actor, note), answer_objections],
        queryset=_ENTRIES,
    )


#: The kind of the points' notices (:mod:`hemei.notices`).
NOTICE_KIND = "points"


def notice_text(entry: Entry) -> tuple[str, str]:
    """The title and text of an entry's public notice: household number and head, rule,
    points and reason (numbers that identify a person masked; never the files)."""
    household = entry.household
    title = _("Points notice: household %(number)s %(head)s, %(points)s") % {
        "number": household.number,
        "head": household.head_name,
        "points": f"{entry.points:+d}",
    }
    body = _(
        "Household %(number)s (head %(head)s): rule %(code)s %(rule)s, %(points)s points. "
        "Reason: %(reason)s"
    ) % {
        "number": household.number,
        "head": household.head_name,
        "code": entry.item.code,
        "rule": entry.item.title,
        "points": f"{entry.points:+d}",
        "reason": entry.description,
    }
    if entry.corrects_id:
        body += " " + _("(Correction of entry #%(entry)s.)") % {"entry": entry.corrects_id}
    return mask_numbers(title)[:200], mask_numbers(body)


def post_entry_notice(entry: Entry, *, actor: Any, at: dt.datetime) -> Notice:
    """Post the entry's public notice for the village's notice period (calendar days)."""
    title, body = notice_text(entry)
    return notices.post_notice(
        subject=entry,
        village=Division.objects.get(code=entry.village_id),
        title=title,
        body=body,
        days=settings_for(entry.village_id).notice_days,
        unit=TimeUnit.CALENDAR_DAY,
        actor=actor,
        starts_at=at,
    )


def enqueue_publishing(at: dt.datetime) -> None:
    """Let the entries take effect when the notice ends (the points' worker task)."""
    from .jobs import publish_due_entries_task

    enqueue_at(publish_due_entries_task, at)


def object_to_entry(*, actor: Any, entry: Entry, reason: str) -> NoticeObjection:
    """异议: a villager of the village objects during the notice; the entry goes back to
    the committee with the reason on record (the notice's handler, :mod:`.notice_handlers`)."""
    if not allows_at(actor, "live_in", entry.village_id):
        raise PermissionDenied(_("Only villagers of the village may object."))
    notice = Notice.objects.of(entry).running().first()
    if notice is None or Entry.objects.filter(pk=entry.pk, state=EntryState.IN_NOTICE).count() == 0:
        raise ValidationError(_("The entry is not in public notice (any more)."))
    return notices.raise_objection(actor=actor, notice=notice, reason=reason)


def reopen_on_objection(entry_id: int, *, actor: Any, reason: str) -> Entry:
    """The objection's effect on the entry: back to committee review, the reason on record."""
    return change_state(
        Entry(pk=entry_id),
        REOPEN_ON_OBJECTION,
        actor=actor,
        division_code=lambda row: row.village_id,
        audit_notes={"objection": [None, reason]},
        effects=[_entry_timeline(actor, _("Objection: %(reason)s") % {"reason": reason})],
        queryset=_ENTRIES,
    )


def reopen_on_withdrawal(entry_id: int, *, actor: Any, reason: str) -> Entry:
    """The notice was withdrawn: the entry goes back to committee review."""
    return change_state(
        Entry(pk=entry_id),
        REOPEN_ON_WITHDRAWAL,
        actor=actor,
        division_code=lambda row: row.village_id,
        audit_notes={"notice_withdrawn": [None, reason]},
        effects=[
            _entry_timeline(actor, _("Public notice withdrawn: %(reason)s") % {"reason": reason})
        ],
        queryset=_ENTRIES,
    )


def publish_due_entries(now: dt.datetime | None = None) -> int:
    """Entries whose notice passed without an open objection take effect: each is appended
    to its village's ledger. Run by the worker; safe to run any time, any number of times."""
    return notices.end_due_notices(now or clock.now(), model=Entry)


@transaction.atomic
def take_effect(entry_id: int, now: dt.datetime) -> bool:
    """The entry's notice ended without objection: append it to the village's ledger."""
    village_code = Entry.objects.filter(pk=entry_id).values_list("village_id", flat=True).first()
    if village_code is None:
        return False
    ledger.lock_head(village_code)
    entry = (
        Entry.objects.select_for_update()
        .filter(pk=entry_id, state=EntryState.IN_NOTICE)
        .select_related("item")
        .first()
    )
    if entry is None:
        return False
    before, entry.state = entry.state, EntryState.EFFECTIVE
    _entry_timeline(None, _("Public notice ended without objection."))(entry, before)
    entry.effective_at = now
    entry.save(update_fields=["state", "effective_at", "updated_at"])
    if entry.corrects_id:
        kind = LedgerKind.REVERSAL
        reason = _("Reversal of entry #%(entry)s: %(reason)s") % {
            "entry": entry.corrects_id,
            "reason": entry.description,
        }
    else:
        kind = LedgerKind.AWARD
        reason = f"{entry.item.code} {entry.item.title}: {entry.description}"
    ledger.append(
        village_code=village_code,
        rows=[
            ledger.Row(
                household_id=entry.household_id,
                kind=kind,
                points=entry.points,
                occurred_on=entry.occurred_on,
                reason=reason,
                entry_id=entry.pk,
            )
        ],
    )
    record(
        actor=None,
        action=AuditAction.UPDATE,
        instance=entry,
        changes={"state": [EntryState.IN_NOTICE, EntryState.EFFECTIVE]},
        division_code=village_code,
    )
    return True


@transaction.atomic
def reverse_entry(*, actor: Any, entry: Entry, reason: str) -> Entry:
    """A correction: a new entry of the opposite points that cites the original. It goes
    through committee review and public notice like any entry; the original stays."""
    check_at(actor, "run_points", entry.village_id, _("You do not run the points of this village."))
    entry = _locked(entry)
    _expect(entry, EntryState.EFFECTIVE)
    if entry.corrects_id:
        raise ValidationError(_("A correction is not itself corrected; record a new entry."))
    if entry.corrections.exclude(state=EntryState.REJECTED).exists():
        raise ValidationError(_("This entry is corrected already."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the entry is corrected.")})
    correction = Entry.objects.create(
        village_id=entry.village_id,
        household_id=entry.household_id,
        item=entry.item,
        version_id=entry.version_id,
        points=-entry.points,
        occurred_on=clock.today(),
        description=reason[:500],
        source=EntrySource.CORRECTION,
        state=EntryState.ASSESSED,
        created_by=actor,
        corrects=entry,
    )
    EntryTransition.objects.create(
        entry=correction, from_state="", to_state=EntryState.ASSESSED, actor=actor, note=reason
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=correction,
        changes=_created(correction),
        division_code=entry.village_id,
    )
    return correction


# --- shop ---------------------------------------------------------------------------------


@transaction.atomic
def add_goods(*, actor: Any, village: Division, name: str, price: int, stock: int) -> Goods:
    check_at(actor, "run_points", village.code, _("You do not run the points of this village."))
    goods = Goods(village=village, name=name.strip(), price=price, stock=stock)
    goods.full_clean()
    goods.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=goods,
        changes=diff({}, snapshot(goods)),
        division_code=village.code,
    )
    return goods


@transaction.atomic
def restock(*, actor: Any, goods: Goods, added: int) -> Goods:
    check_at(actor, "run_points", goods.village_id, _("You do not run the points of this village."))
    if added <= 0:
        raise ValidationError({"added": _("Add at least one.")})
    Goods.objects.filter(pk=goods.pk).update(stock=F("stock") + added)
    goods.refresh_from_db()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=goods,
        changes={"stock": [goods.stock - added, goods.stock]},
        division_code=goods.village_id,
    )
    return goods


@transaction.atomic
def set_on_sale(*, actor: Any, goods: Goods, on_sale: bool) -> Goods:
    """Take goods off the shelf (or back on); their redemptions stay as they were."""
    check_at(actor, "run_points", goods.village_id, _("You do not run the points of this village."))
    if goods.is_active != on_sale:
        goods.is_active = on_sale
        goods.save(update_fields=["is_active", "updated_at"])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=goods,
            changes={"is_active": [not on_sale, on_sale]},
            division_code=goods.village_id,
        )
    return goods


@transaction.atomic
def redeem(
    *, actor: Any, household: Household, goods: Goods, quantity: int = 1, key: str = ""
) -> Redemption:
    """Hand goods to a household for points: balance and stock fall in one transaction,
    under row locks (chain head, goods, balance), and neither can go below zero.

    ``key`` is the one-time key of the form (or the API call) that asks: the same key again
    answers the redemption it made, with nothing charged a second time.
    """
    if household.village_id != goods.village_id:
        raise ValidationError(_("The goods are from another village's shop."))
    own = household_of(actor)
    if not (
        own is not None
        and own.pk == household.pk
        and allows_at(actor, "live_in", household.village_id)
    ):
        check_at(
            actor,
            "run_points",
            household.village_id,
            _("You do not run the points of this village."),
        )
    if quantity < 1:
        raise ValidationError({"quantity": _("Take at least one.")})
    if len(key) > 64:
        raise ValidationError(_("This form is out of date; reload the page and try again."))
    ledger.lock_head(household.village_id)  # also makes a second post of the key wait
    if key:
        done = Redemption.objects.filter(key=key).first()
        if done is not None:
            asked = (actor.pk, household.pk, goods.pk, quantity)
            if (done.by_id, done.household_id, done.goods_id, done.quantity) != asked:
                raise ValidationError(
                    _("This form has been sent already; reload the page to redeem again.")
                )
            return done
    goods = Goods.objects.select_for_update().get(pk=goods.pk)
    balance = ledger.lock_balances(household.village_id, [household.pk])[household.pk]
    if not goods.is_active:
        raise ValidationError(_("%(goods)s is not on sale.") % {"goods": goods.name})
    if goods.stock < quantity:
        raise ValidationError(
            _("Only %(stock)s of %(goods)s left.") % {"stock": goods.stock, "goods": goods.name}
        )
    cost = goods.price * quantity
    if balance.points < cost:
        raise ValidationError(
            _("The household has %(balance)s points; %(goods)s costs %(cost)s.")
            % {"balance": balance.points, "goods": goods.name, "cost": cost}
        )
    Goods.objects.filter(pk=goods.pk).update(stock=F("stock") - quantity)
    try:
        with transaction.atomic():
            redemption = Redemption.objects.create(
                village_id=household.village_id,
                household=household,
                goods=goods,
                quantity=quantity,
                points=cost,
                by=actor,
                key=key,
            )
    except IntegrityError:  # the same key in another village's shop at the same moment
        raise ValidationError(
            _("This form has been sent already; reload the page to redeem again.")
        ) from None
    ledger.append(
        village_code=household.village_id,
        rows=[
            ledger.Row(
                household_id=household.pk,
                kind=LedgerKind.REDEMPTION,
                points=-cost,
                occurred_on=clock.today(),
                reason=_("Redeemed %(goods)s × %(quantity)s")
                % {"goods": goods.name, "quantity": quantity},
                redemption_id=redemption.pk,
            )
        ],
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=redemption,
        changes={"goods": [None, goods.name], "points": [None, cost]},
        division_code=household.village_id,
    )
    return redemption


# --- settlement ---------------------------------------------------------------------------


@transaction.atomic
def settle_year(*, actor: Any, village: Division, year: int) -> Settlement:
    """Close a year as the village's settings say: reset every balance to zero, or carry it
    over. Either way each household with a balance gets a settlement row in the ledger."""
    check_at(actor, "run_points", village.code, _("You do not run the points of this village."))
    if clock.today() <= dt.date(year, 12, 31):
        raise ValidationError(_("The year %(year)s has not ended yet.") % {"year": year})
    if Settlement.objects.filter(village=village, year=year).exists():
        raise ValidationError(_("The year %(year)s is settled already.") % {"year": year})
    later = Settlement.objects.filter(village=village, year__gt=year).order_by("-year").first()
    if later is not None:
        # a reset dated before a later one would take the same points away twice
        raise ValidationError(
            _("The year %(later)s is settled already; an earlier year cannot be settled after it.")
            % {"later": later.year}
        )
    if Entry.objects.filter(
        village=village, state__in=OPEN_STATES, occurred_on__year=year
    ).exists():
        raise ValidationError(_("Finish the open entries of the year first."))
    mode = settings_for(village.code).settlement_mode
    ledger.lock_head(village.code)
    closing = dt.date(year, 12, 31)
    balances: dict[int, int] = defaultdict(int)
    for household_id, points in (
        LedgerEntry.objects.filter(village=village, occurred_on__lte=closing)
        .values_list("household_id")
        .annotate(total=Sum("points"))
        .values_list("household_id", "total")
    ):
        balances[household_id] = points or 0
    rows = []
    for household_id, points in sorted(balances.items()):
        if not points:
            continue
        if mode == SettlementMode.RESET:
            rows.append(
                ledger.Row(
                    household_id=household_id,
                    kind=LedgerKind.SETTLEMENT,
                    points=-points,
                    occurred_on=closing,
                    reason=_("Settlement of %(year)s: %(points)s points reset to zero")
                    % {"year": year, "points": points},
                )
            )
        else:
            rows.append(
                ledger.Row(
                    household_id=household_id,
                    kind=LedgerKind.SETTLEMENT,
                    points=0,
                    occurred_on=closing,
                    reason=_("Settlement of %(year)s: %(points)s points carried over into %(next)s")
                    % {"year": year, "points": points, "next": year + 1},
                )
            )
    ledger.append(village_code=village.code, rows=rows)
    settlement = Settlement.objects.create(
        village=village, year=year, mode=mode, households=len(rows), by=actor
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=settlement,
        changes={"mode": [None, mode], "households": [None, len(rows)]},
        division_code=village.code,
    )
    return settlement

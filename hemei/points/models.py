"""Village governance points (乡村治理积分制).

Rules: a :class:`RuleSet` per village (or a template of a town or county) holds dated
:class:`RuleVersion` rows; a village version is adopted by a villagers' meeting and is in
force from a date; its :class:`RuleItem` rows are frozen once adopted.

Entries: an :class:`Entry` walks submitted → assessed → in notice → effective (or rejected);
every step is an :class:`EntryTransition`. The public notice is the platform's one notice
(:mod:`hemei.notices`, one notice per entry): an objection to it sends the entry back to
review (the handlers in :mod:`.notice_handlers`).

Ledger: an effective entry, a redemption or a settlement appends one :class:`LedgerEntry`
to its village's hash chain. Ledger rows are never updated or deleted (the queryset and the
model refuse it); a correction is a reversing entry that cites the original.

Balances: :class:`Balance` holds one row per household, changed in the same transaction as
each ledger append, under the lock of the village's :class:`ChainHead`. The ledger is the
truth: ``hemei points verify`` checks that every balance equals its ledger sum.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts import policy as access
from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import (
    POINTS_RUN_ROLES,
    TEMPLATE_ROLES,
    VILLAGE_READ_ROLES,
    VILLAGER_ROLES,
)
from hemei.core import clock
from hemei.core.models import TimeStampedModel
from hemei.notices.choices import NoticeState
from hemei.notices.models import Notice, NoticeObjection
from hemei.procedures.adoption import AdoptedVersion, VersionState

from .choices import (
    CapPeriod,
    Category,
    EntrySource,
    EntryState,
    LedgerKind,
    SettlementMode,
)

DEFAULT_STAR_BANDS = [20, 50, 80, 120, 160]


def default_star_bands() -> list[int]:
    return list(DEFAULT_STAR_BANDS)


class VillageSettings(models.Model):
    """How one village runs its points: notice period, black list, settlement, star bands."""

    village = models.OneToOneField(
        "divisions.Division",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="+",
    )
    notice_days = models.PositiveSmallIntegerField(_("public notice (days)"), default=7)
    publish_black_list = models.BooleanField(_("publish the black list"), default=False)
    settlement_mode = models.CharField(
        _("yearly settlement"),
        max_length=12,
        choices=SettlementMode.choices,
        default=SettlementMode.CARRY_OVER,
    )
    star_bands = models.JSONField(
        _("star bands"),
        default=default_star_bands,
        help_text=_("Points of the year needed for one, two, … stars, ascending."),
    )
    red_list_size = models.PositiveSmallIntegerField(_("red list size"), default=10)

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("village points settings")
        verbose_name_plural = _("village points settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_days__gte=1) & Q(notice_days__lte=60),
                name="points_settings_notice_days",
                violation_error_message=_("The notice lasts 1 to 60 days."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.village_id)


class RuleSetQuerySet(RestrictedQuerySet["RuleSet"]):
    def templates(self) -> RuleSetQuerySet:
        return self.filter(is_template=True)


class RuleSet(TimeStampedModel):
    """A village's points rules, or a template published by a town or county."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    is_template = models.BooleanField(_("template"), default=False)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "name", "id"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["division"],
                condition=Q(is_template=False),
                name="points_one_rule_set_per_village",
                violation_error_message=_("The village already has its rules."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RuleVersionQuerySet(RestrictedQuerySet["RuleVersion"]):
    def adopted(self) -> RuleVersionQuerySet:
        return self.filter(state=VersionState.ADOPTED)


class RuleVersion(AdoptedVersion):
    """One version of a rule set. A village version is adopted by a meeting and in force from
    a date until the next adopted version; a template version is published (the life in
    ``hemei.procedures.adoption``, shared with the procedure catalogue)."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="versions"
    )

    objects = RuleVersionQuerySet.as_manager()

    class Meta(AdoptedVersion.Meta):
        ordering = ["rule_set_id", "number"]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "number"],
                name="points_rule_version_number",
                violation_error_message=_("The rule set already has this version number."),
            ),
            *AdoptedVersion.Meta.constraints,
        ]

    def __str__(self) -> str:
        return f"{self.rule_set} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT


class RuleItem(models.Model):
    """One rule: what earns or costs points, the evidence it needs, and its cap."""

    version = models.ForeignKey(
        RuleVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("code"), max_length=12)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    title = models.CharField(_("rule"), max_length=200)
    points = models.IntegerField(_("points"))
    evidence = models.CharField(_("evidence needed"), max_length=200, blank=True)
    evidence_required = models.BooleanField(_("evidence file required"), default=False)
    cap = models.PositiveIntegerField(
        _("cap"),
        null=True,
        blank=True,
        help_text=_("The most points a household may get from this rule in one period."),
    )
    cap_period = models.CharField(
        _("cap period"), max_length=8, choices=CapPeriod.choices, default=CapPeriod.YEAR
    )

    class Meta:
        ordering = ["version_id", "code", "id"]
        verbose_name = _("rule item")
        verbose_name_plural = _("rule items")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="points_rule_item_code",
                violation_error_message=_("The version already has a rule with this code."),
            ),
            models.CheckConstraint(
                condition=~Q(points=0),
                name="points_rule_item_points_nonzero",
                violation_error_message=_("A rule gives or takes at least one point."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title} ({self.points:+d})"


class EntryQuerySet(RestrictedQuerySet["Entry"]):
    def in_notice(self) -> EntryQuerySet:
        return self.filter(state=EntryState.IN_NOTICE)

    def awaiting_review(self) -> EntryQuerySet:
        return self.filter(state__in=[EntryState.SUBMITTED, EntryState.ASSESSED])

    def for_list(self) -> EntryQuerySet:
        return self.select_related("household", "household__head", "item", "version")


class Entry(TimeStampedModel):
    """Points proposed for one household under one rule, on its way to the ledger."""

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="points_entries",
    )
    item = models.ForeignKey(
        RuleItem, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="entries"
    )
    version = models.ForeignKey(
        RuleVersion,
        verbose_name=_("rule version"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    points = models.IntegerField(_("points"))
    occurred_on = models.DateField(_("date"))
    description = models.CharField(_("reason"), max_length=500)
    source = models.CharField(_("source"), max_length=12, choices=EntrySource.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=EntryState.choices, default=EntryState.SUBMITTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_at = models.DateTimeField(_("effective at"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    batch = models.UUIDField(_("batch"), null=True, blank=True, db_index=True)
    #: its public notices (one per posting; an objection closes one, the review posts anew)
    notices = GenericRelation(Notice, related_query_name="points_entry")

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        indexes = [
            models.Index(fields=["village", "state", "occurred_on"], name="points_entry_state"),
            models.Index(fields=["household", "item", "occurred_on"], name="points_entry_cap"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.household} {self.points:+d}"

    @property
    def notice(self) -> Notice | None:
        """The public notice it is in, or the one after which it took effect."""
        if self.pk is None or self.state not in (EntryState.IN_NOTICE, EntryState.EFFECTIVE):
            return None
        return (
            self.notices.exclude(state=NoticeState.WITHDRAWN).order_by("-starts_at", "-id").first()
        )

    def _notice_time(self, annotated: str, field: str) -> dt.datetime | None:
        # lists annotate the times (selectors.with_notice_times) instead of a query a row
        if annotated in self.__dict__:
            if self.state not in (EntryState.IN_NOTICE, EntryState.EFFECTIVE):
                return None
            return self.__dict__[annotated]
        notice = self.notice
        return getattr(notice, field) if notice is not None else None

    @property
    def notice_starts_at(self) -> dt.datetime | None:
        return self._notice_time("notice_from", "starts_at")

    @property
    def notice_ends_at(self) -> dt.datetime | None:
        return self._notice_time("notice_until", "ends_at")

    @property
    def objections(self) -> models.QuerySet[NoticeObjection]:
        """The objections raised against its notices."""
        return NoticeObjection.objects.filter(notice__in=self.notices.all())


class EntryTransition(models.Model):
    """One step of an entry's path: who, when, from, to, why."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(_("from"), max_length=10, choices=EntryState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=10, choices=EntryState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=clock.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["entry_id", "at", "id"]
        verbose_name = _("entry step")
        verbose_name_plural = _("entry steps")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


def evidence_path(instance: Evidence, filename: str) -> str:
    moment = clock.now()
    return f"points/evidence/{moment:%Y/%m}/{instance.entry_id}-{filename}"


class Evidence(models.Model):
    """A photo or document supporting an entry."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ChainHead(models.Model):
    """The end of a village's ledger chain; locked (SELECT … FOR UPDATE) by every append so
    two appends can never both extend the same link."""

    village = models.OneToOneField(
        "divisions.Division",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="+",
    )
    sequence = models.PositiveBigIntegerField(_("last sequence"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default="0" * 64)

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("ledger chain head")
        verbose_name_plural = _("ledger chain heads")

    def __str__(self) -> str:
        return f"{self.village_id} #{self.sequence}"


class AppendOnlyError(Exception):
    """Ledger rows are never changed or removed."""


class LedgerQuerySet(RestrictedQuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("ledger entries are never updated; append a reversing entry")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("ledger entries are never deleted; append a reversing entry")

    def in_year(self, year: int) -> LedgerQuerySet:
        """Rows dated in ``year`` (a date range, so the (village, date) index serves it)."""
        return self.filter(occurred_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))

    def earning(self) -> LedgerQuerySet:
        """Rows that count for honours and rankings: entries and their reversals."""
        return self.filter(kind__in=[LedgerKind.AWARD, LedgerKind.REVERSAL])


GENESIS = "0" * 64


class LedgerEntry(models.Model):
    """One row of a village's points ledger, chained to the row before it by its hash."""

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveBigIntegerField(_("number"))
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LedgerKind.choices)
    points = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance after"))
    occurred_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded at"))
    reason = models.CharField(_("reason"), max_length=500)
    entry = models.OneToOneField(
        Entry,
        verbose_name=_("entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entry",
    )
    redemption = models.OneToOneField(
        "Redemption",
        verbose_name=_("redemption"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entry",
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["village_id", "sequence"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "sequence"],
                name="points_ledger_sequence",
                violation_error_message=_("The ledger already has this number."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=LedgerKind.REDEMPTION) | Q(balance_after__gte=0, points__lt=0),
                name="points_ledger_redemption_not_overdrawn",
                violation_error_message=_("A redemption cannot overdraw the balance."),
            ),
        ]
        indexes = [
            models.Index(fields=["household", "sequence"], name="points_ledger_household"),
            models.Index(fields=["village", "occurred_on"], name="points_ledger_date"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} #{self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("ledger entries are never updated; append a reversing entry")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("ledger entries are never deleted; append a reversing entry")

    def canonical(self) -> bytes:
        """The row as canonical JSON: the bytes its hash is computed over."""
        return canonical_row(
            village=self.village_id,
            sequence=self.sequence,
            household=self.household_id,
            kind=self.kind,
            points=self.points,
            balance_after=self.balance_after,
            occurred_on=self.occurred_on,
            recorded_at=self.recorded_at,
            reason=self.reason,
            entry=self.entry_id,
            redemption=self.redemption_id,
            previous_hash=self.previous_hash,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


#: The fields a ledger row's hash covers, in the order :func:`canonical_row` takes them.
HASHED_FIELDS = (
    "village_id",
    "sequence",
    "household_id",
    "kind",
    "points",
    "balance_after",
    "occurred_on",
    "recorded_at",
    "reason",
    "entry_id",
    "redemption_id",
    "previous_hash",
)


def canonical_row(
    *,
    village: str,
    sequence: int,
    household: int,
    kind: str,
    points: int,
    balance_after: int,
    occurred_on: dt.date,
    recorded_at: dt.datetime,
    reason: str,
    entry: int | None,
    redemption: int | None,
    previous_hash: str,
) -> bytes:
    """Canonical JSON of a ledger row (sorted keys, no spaces, UTF-8, times in UTC to the
    microsecond): the bytes its SHA-256 is computed over."""
    data = {
        "balance_after": balance_after,
        "entry": entry,
        "household": household,
        "kind": kind,
        "occurred_on": occurred_on.isoformat(),
        "points": points,
        "previous_hash": previous_hash,
        "reason": reason,
        "recorded_at": recorded_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "redemption": redemption,
        "sequence": sequence,
        "village": village,
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical_row(**fields)).hexdigest()


#: :func:`canonical_row`'s bytes as one format: its keys in sorted order, each value already
#: JSON (the strings quoted by the encoder ``json.dumps`` uses).
CANONICAL_FORMAT = (
    '{"balance_after":%s,"entry":%s,"household":%s,"kind":%s,"occurred_on":%s,"points":%s,'
    '"previous_hash":%s,"reason":%s,"recorded_at":%s,"redemption":%s,"sequence":%s,"village":%s}'
)
_ZERO = dt.timedelta(0)


def _identity(value: Any) -> Any:
    return value


class RowEncoder:
    """:func:`canonical_row` at speed: the same bytes, built with the keys in a fixed order and
    the formatting of dates, times, kinds and villages cached (a chain repeats them: rows
    appended together share their time). Values of any other type than the database gives
    (a bool, a float, a naive time…) go through :func:`canonical_row` itself.

    ``to_date`` and ``to_datetime`` turn a raw database value into a date and an aware time
    when the caller reads with a plain cursor (SQLite answers text); they run once per
    distinct value."""

    #: cache sizes past which a cache starts afresh (a chain of single appends has a new
    #: time on every row)
    LIMIT = 50_000

    def __init__(
        self,
        to_date: Any = _identity,
        to_datetime: Any = _identity,
    ) -> None:
        self.to_date = to_date
        self.to_datetime = to_datetime
        self._dates: dict[Any, str] = {}
        self._times: dict[Any, str] = {}
        self._texts: dict[str, str] = {}

    def date_text(self, raw: Any) -> str:
        text = self._dates.get(raw)
        if text is None:
            if len(self._dates) >= self.LIMIT:
                self._dates.clear()
            text = self._dates[raw] = encode_basestring(self.to_date(raw).isoformat())
        return text

    def time_text(self, raw: Any) -> str:
        text = self._times.get(raw)
        if text is None:
            if len(self._times) >= self.LIMIT:
                self._times.clear()
            moment = self.to_datetime(raw)
            if moment.utcoffset() == _ZERO and moment.year >= 1000:
                # what strftime gives below, in a third of the time
                text = f'"{moment.isoformat(timespec="microseconds")[:-6]}Z"'
            else:
                text = encode_basestring(
                    moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                )
            self._times[raw] = text
        return text

    def text(self, value: str) -> str:
        """A short repeated string (a kind, a village code) as JSON."""
        text = self._texts.get(value)
        if text is None:
            if len(self._texts) >= self.LIMIT:
                self._texts.clear()
            text = self._texts[value] = encode_basestring(value)
        return text

    def canonical(
        self,
        village: Any,
        sequence: Any,
        household: Any,
        kind: Any,
        points: Any,
        balance_after: Any,
        occurred_on: Any,
        recorded_at: Any,
        reason: Any,
        entry: Any,
        redemption: Any,
        previous_hash: Any,
    ) -> bytes:
        """The bytes :func:`canonical_row` gives for these values (positional, in the order
        of :data:`HASHED_FIELDS`)."""
        if (
            type(sequence) is int
            and type(household) is int
            and type(points) is int
            and type(balance_after) is int
            and (entry is None or type(entry) is int)
            and (redemption is None or type(redemption) is int)
            and isinstance(village, str)
            and isinstance(kind, str)
            and isinstance(reason, str)
            and isinstance(previous_hash, str)
        ):
            return (
                CANONICAL_FORMAT
                % (
                    balance_after,
                    "null" if entry is None else entry,
                    household,
                    self.text(kind),
                    self.date_text(occurred_on),
                    points,
                    encode_basestring(previous_hash),
                    encode_basestring(reason),
                    self.time_text(recorded_at),
                    "null" if redemption is None else redemption,
                    sequence,
                    self.text(village),
                )
            ).encode()
        return canonical_row(
            village=village,
            sequence=sequence,
            household=household,
            kind=kind,
            points=points,
            balance_after=balance_after,
            occurred_on=self.to_date(occurred_on),
            recorded_at=self.to_datetime(recorded_at),
            reason=reason,
            entry=entry,
            redemption=redemption,
            previous_hash=previous_hash,
        )

    def hash(self, *fields: Any) -> str:
        return hashlib.sha256(self.canonical(*fields)).hexdigest()

    def digests(self, rows: Iterable[Sequence[Any]]) -> list[str | None]:
        """The hash of each row as a database cursor gives it (the :data:`HASHED_FIELDS`
        first, in order; more columns may follow), or None where a value cannot be hashed
        (text in a date column…). The same bytes as :meth:`canonical`, unrolled for the
        verifier's millions of rows: a database gives ints, text, dates and times, never
        bools or other subclasses, so a format that refuses anything but an int (``:d``)
        stands in for the type checks; any row it refuses goes the long way."""
        sha256, quote = hashlib.sha256, encode_basestring
        texts, dates, times = self._texts, self._dates, self._times
        digests: list[str | None] = []
        append = digests.append
        for row in rows:
            (
                village,
                sequence,
                household,
                kind,
                points,
                balance_after,
                occurred_on,
                recorded_at,
                reason,
                entry,
                redemption,
                previous_hash,
            ) = row[:12]
            try:
                village_text = texts.get(village) or self.text(village)
                kind_text = texts.get(kind) or self.text(kind)
                date_text = dates.get(occurred_on) or self.date_text(occurred_on)
                time_text = times.get(recorded_at) or self.time_text(recorded_at)
                data = (
                    f'{{"balance_after":{balance_after:d},'
                    f'"entry":{"null" if entry is None else f"{entry:d}"},'
                    f'"household":{household:d},"kind":{kind_text},'
                    f'"occurred_on":{date_text},"points":{points:d},'
                    f'"previous_hash":{quote(previous_hash)},"reason":{quote(reason)},'
                    f'"recorded_at":{time_text},'
                    f'"redemption":{"null" if redemption is None else f"{redemption:d}"},'
                    f'"sequence":{sequence:d},"village":{village_text}}}'
                )
            except (TypeError, ValueError, AttributeError, OverflowError):
                try:
                    append(sha256(self.canonical(*row[:12])).hexdigest())
                except (TypeError, ValueError, AttributeError, OverflowError):
                    append(None)
                continue
            append(sha256(data.encode()).hexdigest())
        return digests


class Balance(models.Model):
    """A household's current points: the sum of its ledger rows, kept in step by each append."""

    household = models.OneToOneField(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="points_balance",
    )
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.IntegerField(_("balance"), default=0)
    last_sequence = models.PositiveBigIntegerField(_("last ledger number"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["village_id", "household_id"]
        verbose_name = _("balance")
        verbose_name_plural = _("balances")

    def __str__(self) -> str:
        return f"{self.household_id}: {self.points}"


class GoodsQuerySet(RestrictedQuerySet["Goods"]):
    def on_sale(self) -> GoodsQuerySet:
        return self.filter(is_active=True)


class Goods(TimeStampedModel):
    """Something the village's points shop (积分超市) gives for points."""

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    price = models.PositiveIntegerField(_("price (points)"))
    stock = models.IntegerField(_("stock"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)

    objects = GoodsQuerySet.as_manager()

    class Meta:
        ordering = ["village_id", "price", "name", "id"]
        verbose_name = _("goods")
        verbose_name_plural = _("goods")
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__gte=0),
                name="points_goods_stock_not_negative",
                violation_error_message=_("Stock cannot go below zero."),
            ),
            models.CheckConstraint(
                condition=Q(price__gt=0),
                name="points_goods_price_positive",
                violation_error_message=_("The price is at least one point."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    """Goods handed to a household for points."""

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    goods = models.ForeignKey(
        Goods, verbose_name=_("goods"), on_delete=models.PROTECT, related_name="redemptions"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    points = models.PositiveIntegerField(_("points"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=clock.now)
    key = models.CharField(
        _("form key"),
        max_length=64,
        blank=True,
        default="",
        help_text=_(
            "The one-time key of the form that asked for it: a form sent twice redeems once."
        ),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(points__gt=0),
                name="points_redemption_positive",
                violation_error_message=_("A redemption takes at least one item."),
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=~Q(key=""),
                name="points_redemption_one_per_key",
                violation_error_message=_("This form has been sent already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goods} × {self.quantity}"


class Settlement(models.Model):
    """A village's yearly settlement: done once per year, recorded as ledger rows."""

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    mode = models.CharField(_("mode"), max_length=12, choices=SettlementMode.choices)
    households = models.PositiveIntegerField(_("households"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=clock.now)

    class Meta:
        ordering = ["village_id", "year"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"],
                name="points_settlement_once_a_year",
                violation_error_message=_("This year is settled already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"


# Points carry households' names and balances: personal data of village affairs. Officials of
# the county office, leaders, towns and villages read them in their subtree (department staff
# do not, as with the register); the village and the county office run them; a villager sees
# their own household's, and their village's entries while in public notice and its shop.
_officials = Rule(VILLAGE_READ_ROLES)
_villagers_own = Rule(VILLAGER_ROLES, access.own_household("household"))
_villagers_village = Rule(VILLAGER_ROLES, access.own_grant_division("village"))
_run = Rule(POINTS_RUN_ROLES)

register(
    VillageSettings, Policy(field="village", view=(_officials, _villagers_village), change=_run)
)
register(
    RuleSet,
    Policy(
        view=Rule(VILLAGE_READ_ROLES, access.subtree_and_ancestors()),
        change=(_run, Rule(TEMPLATE_ROLES)),
    ),
)
register(
    RuleVersion,
    Policy(
        field="rule_set__division",
        # the area's own rules and templates, and templates published above it
        view=(
            _officials,
            Rule(
                VILLAGE_READ_ROLES,
                access.both(
                    access.subtree_and_ancestors(),
                    access.where(lambda who: access.Is("state", VersionState.PUBLISHED)),
                ),
            ),
        ),
    ),
)
register(
    Entry,
    Policy(
        field="village",
        view=(
            _officials,
            _villagers_own,
            Rule(
                VILLAGER_ROLES,
                access.both(
                    access.own_grant_division("village"),
                    access.where(lambda who: access.Is("state", EntryState.IN_NOTICE)),
                ),
            ),
        ),
        change=_run,
    ),
)
register(
    Evidence,
    Policy(
        field="entry__village",
        # the files stay with the officials and the household itself, never the public notice
        view=(_officials, Rule(VILLAGER_ROLES, access.own_household("entry__household"))),
    ),
)
for _model in (LedgerEntry, Balance, Redemption):
    register(_model, Policy(field="village", view=(_officials, _villagers_own), change=_run))
register(Goods, Policy(field="village", view=(_officials, _villagers_village), change=_run))
register(Settlement, Policy(field="village", view=_officials, change=_run))

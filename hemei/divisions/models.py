"""The division tree (行政区划).

The official statistical code is a materialized path: a village's twelve digits start with
the nine of its town, the six of its county, the four of its city and the two of its
province. "Is inside" is therefore one prefix test on the primary key, written as a range
(``code >= '370215' AND code < '370216'``) so that both SQLite and PostgreSQL answer it from
the primary-key index whatever the collation. Models elsewhere point at a division with a
foreign key, whose column holds the code, so they are scoped with the same range and no join.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.core.search import clean_query, grams, search

from .choices import CODE_LENGTH, ChangeKind, Level


def next_prefix(prefix: str) -> str | None:
    """The smallest digit string of the same length that sorts after every extension of
    ``prefix``; ``None`` when the prefix is all nines and nothing sorts after it."""
    stripped = prefix.rstrip("9")
    if not stripped:
        return None
    return stripped[:-1] + str(int(stripped[-1]) + 1) + "0" * (len(prefix) - len(stripped))


def subtree_q(prefixes: Iterable[str], field: str = "code") -> Q:
    """A filter matching rows whose ``field`` (a division code) lies under any prefix."""
    condition = Q(pk__in=[])
    for prefix in prefixes:
        upper = next_prefix(prefix)
        part = Q(**{f"{field}__gte": prefix})
        if upper is not None:
            part &= Q(**{f"{field}__lt": upper})
        condition |= part
    return condition


def ancestor_codes(prefixes: Iterable[str]) -> list[str]:
    """The codes strictly above each prefix: its province, city, county …"""
    codes: set[str] = set()
    for prefix in prefixes:
        codes.update(prefix[:length] for length in CODE_LENGTH.values() if length < len(prefix))
    return sorted(codes)


class DivisionQuerySet(models.QuerySet["Division"]):
    def current(self) -> DivisionQuerySet:
        """Divisions in force today (not closed by a later table)."""
        return self.filter(valid_to__isnull=True)

    def within(self, code: str) -> DivisionQuerySet:
        """The division ``code`` and everything under it."""
        return self.filter(subtree_q([code]))

    def below(self, code: str) -> DivisionQuerySet:
        """Everything under ``code``, without it."""
        return self.within(code).exclude(code=code)

    def at_level(self, level: int) -> DivisionQuerySet:
        return self.filter(level=level)

    def search(self, text: str) -> DivisionQuerySet:
        """Match a code prefix when the text is digits, else the name (hemei.core.search)."""
        text = clean_query(text)
        if text.isascii() and text.isdigit():
            return self.within(text) if len(text) <= 12 else self.none()
        return search(self, text, [grams("name")])


class Division(models.Model):
    """One unit of the official division table: province, city, county, town or village.

    Divisions change only through imports, so instead of per-row timestamps (which would
    double the size of the national table) the history lives in ``valid_from``/``valid_to``,
    :class:`DivisionImport` and :class:`DivisionChange`.
    """

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(
        _("valid from"),
        null=True,
        blank=True,
        help_text=_("Empty for divisions of the first table imported."),
    )
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Set when a newer table no longer lists the division (merged or abolished)."),
    )

    objects = DivisionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=Level.PROVINCE, level__lte=Level.VILLAGE),
                name="division_level_valid",
                violation_error_message=_("The level must be one of the five official levels."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="division_validity_ordered",
                violation_error_message=_("A division cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def path(self) -> str:
        """The materialized path of the division: its official code."""
        return self.code

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def ancestor_codes(self) -> list[str]:
        """Codes of the ancestors, from the province down, without this division."""
        return [self.code[:length] for level, length in CODE_LENGTH.items() if level < self.level]

    def ancestors(self) -> list[Division]:
        by_code = Division.objects.in_bulk(self.ancestor_codes())
        return [by_code[code] for code in self.ancestor_codes() if code in by_code]

    def is_within(self, code: str) -> bool:
        return self.code.startswith(code)


class DivisionImport(models.Model):
    """One run of the division import: where it came from and what it changed."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=500)
    under = models.CharField(_("limited to"), max_length=12, blank=True)
    as_of = models.DateField(_("as of"))
    added = models.PositiveIntegerField(_("added"), default=0)
    renamed = models.PositiveIntegerField(_("renamed"), default=0)
    moved = models.PositiveIntegerField(_("moved"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    reopened = models.PositiveIntegerField(_("reopened"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("division import")
        verbose_name_plural = _("division imports")

    def __str__(self) -> str:
        return f"{self.source} ({self.as_of})"


class DivisionChange(models.Model):
    """A change a re-import made to an existing division, kept so history stays answerable."""

    division = models.ForeignKey(
        Division, verbose_name=_("division"), on_delete=models.CASCADE, related_name="changes"
    )
    batch = models.ForeignKey(
        DivisionImport, verbose_name=_("import"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ChangeKind.choices)
    on = models.DateField(_("on"))
    old_value = models.CharField(_("old value"), max_length=100, blank=True)
    new_value = models.CharField(_("new value"), max_length=100, blank=True)

    class Meta:
        ordering = ["division_id", "on", "id"]
        verbose_name = _("division change")
        verbose_name_plural = _("division changes")

    def __str__(self) -> str:
        return f"{self.division_id} {self.kind} {self.on}"


def name_on(division: Division, day: dt.date) -> str:
    """The name the division bore on ``day``, read back through its renames."""
    renames = division.changes.filter(kind=ChangeKind.RENAMED, on__gt=day).order_by("on", "id")
    first = renames.first()
    return first.old_value if first else division.name

"""Households, adopted rules and effective points for the points tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hemei.core import clock
from hemei.divisions.models import Division
from hemei.households.models import Household, Resident
from hemei.procedures.adoption import MeetingKind

from .. import services
from ..choices import CapPeriod, Category
from ..models import Entry, RuleVersion

#: The day most tests stand on: mid-year, inside the rules adopted below.
TODAY = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


def household(village: str, number: str, head: str, user: Any = None) -> Household:
    """A household with its head (linked to ``user``'s account, when given)."""
    found = Household.objects.create(village_id=village, number=number)
    resident = Resident.objects.create(household=found, name=head, relation="head", user=user)
    found.head = resident
    found.save(update_fields=["head"])
    return found


def adopted_rules(actor: Any, village: str) -> RuleVersion:
    """Version 1 of the village's rules, adopted by the villagers' meeting of 2025-12-20."""
    division = Division.objects.get(code=village)
    with clock.frozen_at(dt.datetime(2025, 12, 21, tzinfo=dt.UTC)):
        version = services.draft_version(actor=actor, village=division)
        services.add_item(
            actor=actor,
            version=version,
            code="A1",
            category=Category.ENVIRONMENT,
            title="门前三包整洁",
            points=5,
            cap=20,
            cap_period=CapPeriod.MONTH,
        )
        services.add_item(
            actor=actor,
            version=version,
            code="A2",
            category=Category.GOVERNANCE,
            title="参加村民会议",
            points=2,
        )
        services.add_item(
            actor=actor,
            version=version,
            code="B1",
            category=Category.CIVILITY,
            title="见义勇为",
            points=30,
            evidence="现场照片",
            evidence_required=True,
        )
        services.add_item(
            actor=actor,
            version=version,
            code="C1",
            category=Category.LAW,
            title="焚烧秸秆",
            points=-10,
        )
        services.adopt_version(
            actor=actor,
            version=version,
            meeting_kind=MeetingKind.REPRESENTATIVES,
            meeting_date=dt.date(2025, 12, 20),
            in_force_from=dt.date(2026, 1, 1),
        )
    return version


def item(version: RuleVersion, code: str) -> Any:
    return version.items.get(code=code)


def photo(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def approved(actor: Any, entry: Entry) -> Entry:
    """Through 初评 and 审核: the entry is in public notice."""
    entry = services.assess_entry(actor=actor, entry=entry, approve=True)
    return services.review_entry(actor=actor, entry=entry, approve=True)


def effective(actor: Any, entry: Entry) -> Entry:
    """All the way: assessed, reviewed, noticed, published after the notice."""
    entry = approved(actor, entry)
    assert entry.notice_ends_at is not None
    services.publish_due_entries(entry.notice_ends_at + dt.timedelta(seconds=1))
    entry.refresh_from_db()
    return entry

"""The points' own notice moves onto the platform's notices without losing anything: a
database with entries in every notice situation and objections in every state is migrated
forward (points 0004–0005) and back, by Django's migration executor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hemei.core.testing import VILLAGE_A, ensure_divisions
from hemei.points.tests.factories import household

BEFORE = [("points", "0003_jobs_module"), ("notices", "0001_initial")]
AFTER = [("points", "0005_drop_own_notice"), ("notices", "0001_initial")]
T = dt.datetime(2026, 5, 4, 2, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_world(transactional_db: Any) -> Iterator[Any]:
    """The database at points 0003 (the old notice); back at the newest state afterwards."""
    apps = _migrate(BEFORE)
    yield apps
    _migrate(_latest())


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


OBJECTION_FIELDS = (
    "raised_by_id",
    "reason",
    "raised_at",
    "state",
    "answer",
    "answered_by_id",
    "answered_at",
)


@pytest.mark.django_db(transaction=True)
def test_every_notice_and_objection_survives_the_move_and_the_way_back(old_world: Any) -> None:
    apps = old_world
    ensure_divisions()
    User = apps.get_model("accounts", "User")
    victor = User.objects.create(username="victor-m", full_name="魏村")
    vera = User.objects.create(username="vera-m", full_name="韦拉")
    home = household(VILLAGE_A, "002", "王长福")
    RuleSet = apps.get_model("points", "RuleSet")
    RuleVersion = apps.get_model("points", "RuleVersion")
    RuleItem = apps.get_model("points", "RuleItem")
    Entry = apps.get_model("points", "Entry")
    Step = apps.get_model("points", "EntryTransition")
    Objection = apps.get_model("points", "Objection")
    apps.get_model("points", "VillageSettings").objects.create(village_id=VILLAGE_A, notice_days=5)
    rules = RuleSet.objects.create(division_id=VILLAGE_A, name="细则")
    version = RuleVersion.objects.create(
        rule_set=rules,
        number=1,
        state="adopted",
        meeting_kind="villagers",
        meeting_date=dt.date(2025, 12, 20),
        in_force_from=dt.date(2026, 1, 1),
    )
    item = RuleItem.objects.create(
        version=version, code="A1", category="environment", title="门前整洁", points=5
    )

    def entry(state: str, description: str, starts: Any = None, ends: Any = None) -> Any:
        return Entry.objects.create(
            village_id=VILLAGE_A,
            household_id=home.pk,
            item=item,
            version=version,
            points=5,
            occurred_on=dt.date(2026, 5, 1),
            description=description,
            source="recorded",
            state=state,
            created_by=victor,
            notice_starts_at=starts,
            notice_ends_at=ends,
        )

    def steps(row: Any, *moves: tuple[str, str, Any]) -> None:
        for before, after, at in moves:
            Step.objects.create(entry=row, from_state=before, to_state=after, actor=victor, at=at)

    running = entry("in_notice", "打扫 联系13905321001", T, T + 7 * DAY)
    steps(
        running,
        ("", "submitted", T - DAY),
        ("submitted", "assessed", T - DAY),
        ("assessed", "in_notice", T),
    )
    done = entry("effective", "参会", T + DAY, T + 6 * DAY)
    steps(done, ("assessed", "in_notice", T + DAY), ("in_notice", "effective", T + 6 * DAY))
    # objected, then rejected: the old objection cleared the notice fields
    rejected = entry("rejected", "清扫")
    steps(
        rejected,
        ("assessed", "in_notice", T + 2 * DAY),
        ("in_notice", "assessed", T + 3 * DAY),
        ("assessed", "rejected", T + 4 * DAY),
    )
    upheld = Objection.objects.create(
        entry=rejected,
        raised_by=vera,
        reason="没扫",
        raised_at=T + 3 * DAY,
        state="upheld",
        answer="核实未扫",
        answered_by=victor,
        answered_at=T + 4 * DAY,
    )
    # objected, dismissed, in notice again
    again = entry("in_notice", "帮扶", T + 5 * DAY, T + 12 * DAY)
    steps(
        again,
        ("assessed", "in_notice", T + 2 * DAY),
        ("in_notice", "assessed", T + 2 * DAY + dt.timedelta(hours=5)),
        ("assessed", "in_notice", T + 5 * DAY),
    )
    dismissed = Objection.objects.create(
        entry=again,
        raised_by=vera,
        reason="有疑问",
        raised_at=T + 2 * DAY + dt.timedelta(hours=5),
        state="dismissed",
        answer="有照片为证",
        answered_by=victor,
        answered_at=T + 5 * DAY,
    )
    # objected, waiting for review
    waiting = entry("assessed", "修路")
    steps(
        waiting, ("assessed", "in_notice", T), ("in_notice", "assessed", T + dt.timedelta(hours=1))
    )
    still_open = Objection.objects.create(
        entry=waiting, raised_by=vera, reason="不实", raised_at=T + dt.timedelta(hours=1)
    )
    untouched = entry("submitted", "新申报")
    objections = {
        o.pk: (o.entry_id, tuple(getattr(o, f) for f in OBJECTION_FIELDS))
        for o in (upheld, dismissed, still_open)
    }
    times = {e.pk: (e.notice_starts_at, e.notice_ends_at) for e in (running, done, again)}

    apps = _migrate(AFTER)
    Notice = apps.get_model("notices", "Notice")
    NoticeObjection = apps.get_model("notices", "NoticeObjection")
    entry_type = apps.get_model("contenttypes", "ContentType").objects.get(
        app_label="points", model="entry"
    )

    def notices_of(row: Any) -> list[Any]:
        return list(
            Notice.objects.filter(content_type=entry_type, object_id=row.pk).order_by("starts_at")
        )

    assert [len(notices_of(e)) for e in (running, done, rejected, again, waiting, untouched)] == [
        1,
        1,
        1,
        2,
        1,
        0,
    ]
    # the notice an entry is in, or took effect after: exactly its times
    (current,) = notices_of(running)
    assert (current.starts_at, current.ends_at) == times[running.pk]
    assert (current.state, current.days, current.unit, current.kind) == (
        "posted",
        7,
        "day",
        "points",
    )
    assert current.posted_by_id == victor.pk and current.village_id == VILLAGE_A
    assert "139****1001" in current.body and "13905321001" not in current.body
    assert "王长福" in current.title
    (past,) = notices_of(done)
    assert (past.starts_at, past.ends_at, past.state, past.days) == (
        T + DAY,
        T + 6 * DAY,
        "ended",
        5,
    )
    earlier, latest = notices_of(again)
    assert (latest.starts_at, latest.ends_at, latest.state) == (*times[again.pk], "posted")
    assert (earlier.starts_at, earlier.closed_at, earlier.state) == (
        T + 2 * DAY,
        T + 2 * DAY + dt.timedelta(hours=5),
        "ended",
    )
    (closed,) = notices_of(rejected)
    assert (closed.starts_at, closed.ends_at, closed.closed_at) == (
        T + 2 * DAY,
        T + 7 * DAY,
        T + 3 * DAY,
    )
    # every objection, the same people, times, state and answer, on a notice of its entry
    moved = {
        (o.notice.object_id, tuple(getattr(o, f) for f in OBJECTION_FIELDS))
        for o in NoticeObjection.objects.select_related("notice")
    }
    assert moved == set(objections.values())
    assert NoticeObjection.objects.get(reason="有疑问").notice_id == earlier.pk
    assert NoticeObjection.objects.get(reason="不实").state == "open"
    entry_fields = {f.name for f in apps.get_model("points", "Entry")._meta.get_fields()}
    assert "notice_starts_at" not in entry_fields
    with pytest.raises(LookupError):
        apps.get_model("points", "Objection")

    # and back: the entries' times and the objections as they were
    apps = _migrate(BEFORE)
    Entry = apps.get_model("points", "Entry")
    for pk, (starts, ends) in times.items():
        row = Entry.objects.get(pk=pk)
        assert (row.notice_starts_at, row.notice_ends_at) == (starts, ends)
    assert Entry.objects.get(pk=rejected.pk).notice_starts_at is None
    back = {
        (o.entry_id, tuple(getattr(o, f) for f in OBJECTION_FIELDS))
        for o in apps.get_model("points", "Objection").objects.all()
    }
    assert back == set(objections.values())
    assert not apps.get_model("notices", "Notice").objects.exists()

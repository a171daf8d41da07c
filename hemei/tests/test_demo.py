"""The whole demo, built as ``hemei demo`` builds it, tells one consistent story: a timeline
never shows progress that the task's report list lacks, no report predates its task, both
demo towns have a register and points, and the rankings have a year of history."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F, Q
from django.test import Client
from django.urls import reverse

from hemei import demo
from hemei.accounts.models import User
from hemei.households.models import Household
from hemei.points import ledger
from hemei.points.models import Entry
from hemei.progress import selectors as progress
from hemei.progress.models import ProgressReport, ReportState
from hemei.rankings.models import RankingRun
from hemei.rankings.selectors import rank_history
from hemei.tasks.choices import EventKind
from hemei.tasks.models import Task, TaskEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert demo.load_demo()
        yield
        transaction.set_rollback(True)


def _approved_on_timeline() -> Any:
    """Tasks whose timeline shows an approved report (or progress, which only an approved
    report moves)."""
    kinds = [EventKind.REPORT_APPROVED, EventKind.PROGRESS]
    return Task.objects.filter(events__kind__in=kinds).distinct()


def test_every_task_whose_timeline_shows_an_approved_report_lists_it(
    built: None, client: Client
) -> None:
    admin = User.objects.get(username="admin")
    tasks = list(_approved_on_timeline())
    listed = set(
        progress.visible_reports(admin)
        .filter(state=ReportState.APPROVED)
        .values_list("task_id", flat=True)
    )
    missing = [(task.pk, task.title, task.division_id) for task in tasks if task.pk not in listed]
    assert missing == []
    assert len(tasks) > 200  # the towns' parts and a year of monthly inspections
    for event in TaskEvent.objects.filter(kind=EventKind.REPORT_APPROVED):
        report = ProgressReport.objects.get(pk=event.data["report"])
        assert report.task_id == event.task_id and report.state == ReportState.APPROVED

    # The task page's report list, as the county administrator sees it.
    client.force_login(admin)
    county_task = Task.objects.get(title="培育高素质农民2000人")
    village_part = Task.objects.filter(
        division_id=demo.VILLAGE_A, title__startswith="完成农村户厕"
    ).get()
    town_part = Task.objects.filter(division_id=demo.TOWN_B, parent__isnull=False).filter(
        id__in=[task.pk for task in tasks]
    )[0]
    for task in (county_task, village_part, town_part):
        html = client.get(reverse("progress:task_section", args=[task.pk])).content.decode()
        assert "还没有进度填报" not in html, task.title
        approved = ProgressReport.objects.filter(task=task, state=ReportState.APPROVED)
        for report in approved:
            assert reverse("progress:report_detail", args=[report.pk]) in html, task.title


def test_no_report_is_dated_before_its_task_was_created(built: None) -> None:
    reports = ProgressReport.objects.all()
    early = reports.filter(
        Q(submitted_at__lt=F("task__created_at")) | Q(created_at__lt=F("task__created_at"))
    )
    assert list(early.values_list("task__title", "submitted_at", "task__created_at")) == []
    assert not reports.filter(decided_at__lt=F("submitted_at")).exists()
    assert reports.count() > 200
    created = dict(TaskEvent.objects.filter(kind=EventKind.CREATED).values_list("task_id", "at"))
    for task_id, created_at in Task.objects.values_list("id", "created_at"):
        assert created[task_id] == created_at  # the timeline and the record agree
    assert not TaskEvent.objects.filter(at__lt=F("task__created_at")).exists()


def test_jinkou_town_has_households_and_points(built: None) -> None:
    households = Household.objects.filter(village__code__startswith=demo.TOWN_B)
    assert households.count() >= 10
    entries = Entry.objects.filter(village__code__startswith=demo.TOWN_B)
    assert entries.filter(state="effective").count() > 50
    assert set(entries.values_list("household__village_id", flat=True)) == set(
        households.values_list("village_id", flat=True)
    )
    report = ledger.verify()
    assert report.ok


def test_the_rank_histories_have_twelve_points(built: None) -> None:
    for scope in (demo.DEMO_COUNTY, demo.TOWN_A):
        runs = RankingRun.objects.filter(scope_id=scope, period_kind="month")
        assert runs.count() == 12
        latest = runs.order_by("-period_start").first()
        ranked = latest.rows.exclude(rank=None)
        assert ranked.exists()
        for row in ranked:
            history = rank_history(latest, row.division_id)
            assert len(history) == 12, (scope, row.division_id)
            assert all(rank is not None for _label, rank in history), (scope, history)
    # Every town of the county, 金口镇 included, has its twelve points.
    county = RankingRun.objects.filter(scope_id=demo.DEMO_COUNTY).order_by("-period_start")[0]
    assert county.rows.exclude(rank=None).count() == county.rows.count()
    assert len(rank_history(county, demo.TOWN_B)) == 12


def test_the_demo_villages_adopted_the_catalogue_and_have_cases_in_every_state(
    built: None,
) -> None:
    from hemei.cases.choices import CaseState
    from hemei.cases.models import Case
    from hemei.catalogue.selectors import version_in_force
    from hemei.core import clock
    from hemei.procedures.choices import StepKind

    assert version_in_force(demo.VILLAGE_A, clock.today()).items.count() == 35
    cases = {
        case.item.code: case
        for case in Case.objects.filter(village_id=demo.VILLAGE_A).exclude(item__code="F01")
    }
    states = {case.state for case in cases.values()}
    assert {CaseState.OPEN, CaseState.PAUSED, CaseState.DONE, CaseState.REFUSED} <= states
    returned = cases["G01"]
    assert returned.records.filter(outcome="returned").exists()
    lease = cases["C01"]  # through 四议两公开: every meeting met its quorum
    assert lease.state == CaseState.DONE and lease.decision is not None
    meetings = lease.decision.meetings.all()
    assert meetings.count() == 4 and all(m.quorum_met and m.passed for m in meetings)
    assert lease.decision.publications.filter(kind=StepKind.PUBLISH_RESULT).exists()
    client = Client()
    client.force_login(User.objects.get(username="honghuashan"))
    letter = client.get(reverse("cases:letter", args=[cases["I02"].pk]))
    assert letter.status_code == 200 and letter["Content-Type"].endswith("document")
    client.force_login(User.objects.get(username="villager"))
    mine = client.get(reverse("cases:mine")).content.decode()
    assert "房屋漏雨修缮临时救助" in mine and "拆除旧房" not in mine


def test_the_demo_village_has_homestead_applications_in_every_state(built: None) -> None:
    from hemei.cases.choices import CaseState
    from hemei.core import clock
    from hemei.homestead.models import Application
    from hemei.places.models import Parcel
    from hemei.supervision.models import Card, SupervisionOrder

    assert Parcel.objects.filter(village_id=demo.VILLAGE_A, kind="homestead").count() >= 15
    rows = {
        a.case.household.number: a for a in Application.objects.select_related("case__household")
    }
    done, moving, refused, late, mine = (rows[n] for n in ("006", "009", "010", "003-1", "008"))
    assert done.case.state == CaseState.DONE and done.parcel is not None
    assert done.visits.filter(deviations__corrected_on__isnull=False).exists()
    assert moving.flags.filter(kind="holds").exclude(answered_on=None).exists()
    assert moving.approval_number and moving.case.step.limit_key == "homestead.construction"
    assert refused.case.state == CaseState.REFUSED
    farmland = refused.flags.get(kind="farmland", stage="application")
    assert "永久基本农田" in farmland.text  # found on the county's layer, not only declared
    assert late.case.step.limit_key == "homestead.joint_review"
    waiting = late.opinions.get(office="resources")
    assert waiting.due_on < clock.today() and waiting.signed_on is None
    assert Card.objects.filter(task=waiting.duty).exists()
    assert SupervisionOrder.objects.filter(task=waiting.duty).exists()
    assert mine.case.applicant.username == "villager" and mine.case.state == CaseState.NOTICE
    client = Client()
    client.force_login(User.objects.get(username="tianheng"))
    for kind in ("application", "approval-form", "approval", "permit", "acceptance"):
        answer = client.get(reverse("homestead:document", args=[done.pk, kind]))
        assert answer.status_code == 200 and answer["Content-Type"].endswith("document")
    letter = client.get(reverse("cases:letter", args=[refused.pk]))
    assert letter.status_code == 200
    ledger = client.get(reverse("homestead:ledger") + "?export=xlsx")
    assert ledger.status_code == 200


def test_every_demo_account_signs_in_with_the_published_password(
    built: None, settings: Any
) -> None:
    """The demo is built with the production hasher (this module's fixture runs before the
    tests' fast one), so the check uses it too."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for username, *_ in demo.PEOPLE:
        assert User.objects.get(username=username).check_password(demo.PASSWORD), username
    browser = Client()
    answer = browser.post(
        reverse("accounts:login"), {"username": "villager", "password": demo.PASSWORD}
    )
    assert answer.status_code == 302
    assert browser.session.get("_auth_user_id") == str(User.objects.get(username="villager").pk)

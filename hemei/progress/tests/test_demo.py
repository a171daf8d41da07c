"""The demo adds reports with generated photos on whatever tasks the tasks demo made."""

from __future__ import annotations

import pytest

from hemei.core.testing import Cast
from hemei.progress import demo
from hemei.progress.models import Evidence, ProgressReport, ReportState

from .conftest import Work

pytestmark = pytest.mark.django_db


def test_the_demo_reports_with_photos_and_runs_once(cast: Cast, work: Work) -> None:
    demo.load()
    reports = ProgressReport.objects.all()
    assert reports.count() == 3  # town A's part, town B's part, the village's task
    assert {r.author.username for r in reports} == {"tom", "owen", "victor"}
    states = set(reports.values_list("state", flat=True))
    assert ReportState.APPROVED in states and ReportState.SUBMITTED in states
    assert ReportState.RETURNED in states
    photos = Evidence.objects.all()
    assert photos.count() == 7 and all(p.taken_at and p.latitude for p in photos)
    assert photos.filter(duplicate_of__isnull=False).count() == 1
    work.part_a.refresh_from_db()
    assert work.part_a.progress > 0
    demo.load()
    assert ProgressReport.objects.count() == 3


def test_the_demo_adds_nothing_without_tasks(cast: Cast) -> None:
    demo.load()
    assert not ProgressReport.objects.exists()

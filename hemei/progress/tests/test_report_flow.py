"""Found by using the pages as their users would (review of the work loop)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import Work

pytestmark = pytest.mark.django_db


def test_the_report_form_of_a_parent_task_says_why_instead_of_failing(cast, work: Work, client):
    client.force_login(cast.alice)
    response = client.get(reverse("progress:report_create", args=[work.county.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "请在子任务上填报" in page
    assert 'name="percent"' not in page


def test_a_milestone_number_too_big_for_the_database_is_a_form_error(cast, work: Work, client):
    client.force_login(cast.tom)
    url = reverse("progress:report_create", args=[work.part_a.pk])
    response = client.post(url, {"percent": "10", "text": "x", "milestones": "9" * 30})
    assert response.status_code == 400
    assert "milestones" in response.context["form"].errors


def test_a_reviewer_goes_on_to_the_queue_while_reports_wait(cast, work: Work, client) -> None:
    from django.contrib.messages import get_messages

    from hemei.progress import services
    from hemei.progress.evidence import check_file

    from .conftest import jpeg

    first, second = (
        services.create_report(
            actor=cast.tom,
            task=task,
            percent=30,
            text="完成摸底",
            files=[check_file("现场.jpg", jpeg())],
            submit=True,
        )
        for task in (work.part_a, work.village)
    )
    client.force_login(cast.alice)
    response = client.post(reverse("progress:report_approve", args=[first.pk]))
    assert response["Location"] == reverse("progress:review_queue")
    assert any("还有 1 条填报等待您审核" in str(m) for m in get_messages(response.wsgi_request))
    response = client.post(
        reverse("progress:report_return", args=[second.pk]), {"reason": "照片不清楚"}
    )
    assert response["Location"] == reverse("progress:report_detail", args=[second.pk])

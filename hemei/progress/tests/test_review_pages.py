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

import pytest

pytestmark = pytest.mark.django_db


def test_smoke(cast, world, as_user, conforms):
    alice = as_user(cast.alice)
    a = alice.get("/api/v1/tasks/")
    print(a)
    assert a.status == 200
    conforms(a, "/api/v1/tasks/", "get")
    d = alice.get(f"/api/v1/tasks/{world.county_task.pk}/")
    print(d)
    conforms(d, "/api/v1/tasks/{pk}/", "get")
    m = alice.get(f"/api/v1/meetings/{world.county_meeting.pk}/")
    print(m)
    conforms(m, "/api/v1/meetings/{pk}/", "get")

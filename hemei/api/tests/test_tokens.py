"""Personal API tokens: only a hash is kept, the key is shown once, revoking ends it."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from axes.utils import reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from hemei.accounts.models import AuditEntry
from hemei.api import services
from hemei.api.models import Token
from hemei.core import clock
from hemei.core.testing import Cast

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

PAGE = "/api/tokens/"


def test_only_the_hash_of_the_key_is_stored(cast: Cast):
    token, key = services.create_token(actor=cast.tom, name="周报脚本")
    assert key.startswith("hm_") and len(key) > 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = Token.objects.filter(pk=token.pk).values().get()
    assert key not in [str(v) for v in stored.values()]
    assert key.startswith(token.prefix)
    assert AuditEntry.objects.filter(object_id=str(token.pk), action="create").exists()


def test_a_token_acts_as_its_owner_and_notes_its_use(cast: Cast):
    token, key = services.create_token(actor=cast.tom, name="script")
    moment = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with clock.frozen_at(moment):
        assert ApiClient(key).get("/api/v1/tasks/").status == 200
    token.refresh_from_db()
    assert token.last_used_at == moment


def test_a_token_needs_a_name(cast: Cast):
    with pytest.raises(ValidationError, match="name"):
        services.create_token(actor=cast.tom, name="  ")
    assert not Token.objects.exists()


def test_only_the_owner_revokes(cast: Cast):
    token, _key = services.create_token(actor=cast.tom, name="script")
    with pytest.raises(PermissionDenied):
        services.revoke_token(actor=cast.owen, token=token)
    token.refresh_from_db()
    assert token.is_active


def test_the_page_creates_a_token_and_shows_the_key_once(cast: Cast):
    client = Client()
    client.force_login(cast.tom)
    created = client.post(PAGE, {"name": "周报脚本"})
    assert created.status_code == 200
    token = Token.objects.get(user=cast.tom)
    key = created.context["new_key"]
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_hash
    assert key in created.content.decode()
    assert created["Cache-Control"] == "no-store"
    again = client.get(PAGE)
    assert key not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_the_page_refuses_an_empty_name(cast: Cast):
    client = Client()
    client.force_login(cast.tom)
    response = client.post(PAGE, {"name": ""})
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_the_page_revokes_own_tokens_only(cast: Cast):
    token, key = services.create_token(actor=cast.tom, name="script")
    client = Client()
    client.force_login(cast.owen)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(cast.tom)
    assert client.get(f"/api/tokens/{token.pk}/revoke/").status_code == 405
    response = client.post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(key).get("/api/v1/tasks/").status == 401
    assert 'class="tag closed"' in client.get(PAGE).content.decode()


def test_the_page_needs_a_signed_in_person_with_a_role(cast: Cast):
    assert Client().get(PAGE).status_code == 302
    client = Client()
    client.force_login(cast.nora)
    assert client.get(PAGE).status_code == 403


def test_a_locked_out_accounts_token_answers_401(cast: Cast, settings):
    """Issue 9: after HEMEI_LOGIN_FAILURE_LIMIT failed logins django-axes locks the account,
    and its tokens stop working too until the lock ends."""
    _token, key = services.create_token(actor=cast.tom, name="script")
    assert ApiClient(key).get("/api/v1/tasks/").status == 200
    browser = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser.post("/accounts/login/", {"username": "tom", "password": "wrong"})
    answer = ApiClient(key).get("/api/v1/tasks/")
    assert answer.status == 401
    assert answer.error["code"] == "account_locked" and "锁定" in answer.error["message"]
    assert answer.response["WWW-Authenticate"].startswith("Bearer")
    # Another account is not affected; the lock ending (axes resets) opens the token again.
    _other, owen_key = services.create_token(actor=cast.owen, name="script")
    assert ApiClient(owen_key).get("/api/v1/tasks/").status == 200
    reset(username="tom")
    assert ApiClient(key).get("/api/v1/tasks/").status == 200


def test_fewer_failures_than_the_limit_leave_the_token_working(cast: Cast, settings):
    _token, key = services.create_token(actor=cast.tom, name="script")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        Client().post("/accounts/login/", {"username": "tom", "password": "wrong"})
    assert ApiClient(key).get("/api/v1/tasks/").status == 200


def test_an_inactive_accounts_token_answers_401(cast: Cast):
    _token, key = services.create_token(actor=cast.tom, name="script")
    cast.tom.is_active = False
    cast.tom.save(update_fields=["is_active"])
    answer = ApiClient(key).get("/api/v1/tasks/")
    assert answer.status == 401 and answer.error["code"] == "invalid_token"

"""Accounts: login and throttling, scope, creating users and roles, import and export."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from hemei.accounts import services
from hemei.accounts.lockout import cooloff_text
from hemei.accounts.models import AuditEntry, RoleAssignment, User, mask_phone
from hemei.accounts.policy import places
from hemei.core.testing import COUNTY, PASSWORD, TOWN_A, TOWN_B, VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.units.models import Unit


@pytest.mark.django_db
def test_it_shows_the_login_page_in_chinese(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page and "用户名" in page and "密码" in page


@pytest.mark.django_db
def test_it_shows_english_when_asked(client: Client) -> None:
    page = client.get("/accounts/login/", headers={"accept-language": "en"}).content.decode()
    assert "Log in" in page


@pytest.mark.django_db
def test_it_logs_in_and_out(cast: Cast, client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "tom", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "唐涛" in client.get("/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_it_locks_an_account_after_repeated_failures(cast: Cast, client: Client) -> None:
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "tom", "password": "wrong"})
        assert response.status_code == 200
        assert "请输入" in response.content.decode()  # Django's own Chinese error
    fifth = client.post("/accounts/login/", {"username": "tom", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post("/accounts/login/", {"username": "tom", "password": PASSWORD})
    assert locked.status_code == 429
    assert "尝试次数过多" in locked.content.decode()
    other = Client()
    assert (
        other.post("/accounts/login/", {"username": "owen", "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.django_db
def test_it_warns_before_the_last_try_and_says_the_cool_off_in_minutes(
    cast: Cast, client: Client, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 20 / 60
    first = client.post("/accounts/login/", {"username": "tom", "password": "wrong"})
    assert "还可尝试 2 次，再失败账号将锁定 20 分钟。" in first.content.decode()
    second = client.post("/accounts/login/", {"username": "tom", "password": "wrong"})
    assert "还可尝试 1 次" in second.content.decode()
    client.post("/accounts/login/", {"username": "tom", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "tom", "password": PASSWORD})
    page = locked.content.decode()
    assert locked.status_code == 429
    # no ISO duration (PT20M) in the message; a random CSRF token may hold the letters "PT"
    assert "请在 20 分钟后再试" in page and not re.search(r"(?<![A-Za-z0-9])PT\d+[HMS]", page)


def test_it_says_a_cool_off_in_minutes_or_whole_hours() -> None:
    with translation.override("zh-hans"):
        assert cooloff_text(dt.timedelta(minutes=15)) == "15 分钟"
        assert cooloff_text(dt.timedelta(minutes=90)) == "90 分钟"
        assert cooloff_text(dt.timedelta(hours=2)) == "2 小时"


def test_it_masks_phone_numbers() -> None:
    assert mask_phone("13905321234") == "139****1234"
    assert mask_phone("") == ""
    assert mask_phone("12345") == "*****"


@pytest.mark.django_db
def test_it_scopes_every_model_to_the_subtree(cast: Cast) -> None:
    assert places(cast.tom, "view").filter(code=TOWN_B).count() == 0
    assert places(cast.tom, "view").filter(code=VILLAGE_A).count() == 1
    assert places(cast.vera, "view").count() == 0  # a villager does not browse the tree
    assert places(cast.vera, "live_in").count() == 1
    assert places(cast.nora, "view").count() == 0
    assert places(cast.alice, "view").filter(code=COUNTY).count() == 1
    assert places(cast.alice, "view").filter(code="3702").count() == 0
    # accounts are administration: only the county office browses them
    assert not User.objects.visible_to(cast.tom).exists()
    assert set(User.objects.restrict(cast.tom, "name").values_list("username", flat=True)) >= {
        "tom",
        "victor",
        "alice",
    }
    assert "owen" not in set(
        User.objects.restrict(cast.tom, "name").values_list("username", flat=True)
    )
    assert Unit.objects.visible_to(cast.tom).count() == 0
    assert Unit.objects.visible_to(cast.lily).count() == 1


@pytest.mark.django_db
def test_it_answers_the_scope_with_one_index_range(cast: Cast) -> None:
    from django.db import connection

    sql = str(places(cast.tom, "view").query)
    assert ">= 370215100" in sql and "< 370215101" in sql
    with connection.cursor() as cursor:
        query, params = places(cast.tom, "view").values("code").query.sql_with_params()
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(explain + query, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "INDEX" in plan.upper() or "Index" in plan


@pytest.mark.django_db
def test_it_creates_a_user_with_a_role_and_records_it(cast: Cast) -> None:
    user = services.create_user(
        actor=cast.alice,
        username="xiaoli",
        full_name="小李",
        password="Strong-pass-2026",
        division=Division.objects.get(code=TOWN_A),
        phone="13800000000",
        role="town_official",
    )
    assert user.check_password("Strong-pass-2026")
    assert RoleAssignment.objects.filter(user=user, role="town_official", division=TOWN_A).exists()
    entries = AuditEntry.objects.filter(object_id=str(user.pk)).order_by("id")
    assert [entry.action for entry in entries] == ["create", "grant"]
    assert entries[0].actor == cast.alice
    assert "password" not in entries[0].changes
    assert entries[0].division_code == TOWN_A


@pytest.mark.django_db
def test_it_refuses_weak_passwords_and_taken_names(cast: Cast) -> None:
    town = Division.objects.get(code=TOWN_A)
    with pytest.raises(ValidationError) as error:
        services.create_user(
            actor=cast.alice, username="a1", full_name="甲", password="123", division=town
        )
    assert "password" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.create_user(
            actor=cast.alice, username="TOM", full_name="甲", password="Strong-2026!", division=town
        )
    assert "username" in error.value.error_dict


@pytest.mark.django_db
def test_it_checks_where_a_role_may_be_held(cast: Cast) -> None:
    village = Division.objects.get(code=VILLAGE_A)
    county = Division.objects.get(code=COUNTY)
    with pytest.raises(ValidationError):
        services.grant_role(
            actor=cast.alice, user=cast.nora, role="town_official", division=village
        )
    with pytest.raises(ValidationError):
        services.grant_role(actor=cast.alice, user=cast.nora, role="department", division=county)
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=cast.tom, user=cast.nora, role="villager", division=village
        )  # a town official administers nothing
    services.grant_role(actor=cast.alice, user=cast.nora, role="villager", division=village)
    assert places(User.objects.get(pk=cast.nora.pk), "live_in").count() == 1


@pytest.mark.django_db
def test_it_revokes_a_role_through_the_page(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    assignment = RoleAssignment.objects.get(user=cast.tom)
    response = client.post(f"/accounts/roles/{assignment.pk}/revoke/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="revoke", object_id=str(cast.tom.pk)).exists()


@pytest.mark.django_db
def test_it_answers_bad_form_input_with_a_message_and_no_change(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    count = User.objects.count()
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "bad name!",
            "full_name": "坏",
            "division": "999",
            "role": "villager",
            "password": "1",
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert User.objects.count() == count


def sheet(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = ["用户名", "姓名", "手机", "角色", "区划代码", "单位", "初始密码"]


@pytest.mark.django_db
def test_it_imports_users_from_excel(cast: Cast, client: Client) -> None:
    data = sheet(
        [
            HEADER,
            ["cun1", "村干部一", "13900000001", "村干部", VILLAGE_A, "", "Cun-pass-2026"],
            ["bu1", "部门一", "", "department_staff", COUNTY, "农业农村局", "Bu-pass-2026"],
            ["zhen1", "镇干部一", "", "town official", TOWN_A, "", "Zhen-pass-2026"],
        ]
    )
    client.force_login(cast.alice)
    upload = io.BytesIO(data)
    upload.name = "users.xlsx"
    response = client.post("/accounts/users/import/", {"file": upload})
    assert response.status_code == 400  # "department_staff" is no role name
    assert not User.objects.filter(username__in=["cun1", "bu1", "zhen1"]).exists()
    assert "department_staff" in response.content.decode()
    fixed = sheet(
        [
            HEADER,
            ["cun1", "村干部一", "13900000001", "村干部", VILLAGE_A, "", "Cun-pass-2026"],
            ["bu1", "部门一", "", "部门人员", COUNTY, "农业农村局", "Bu-pass-2026"],
            ["zhen1", "镇干部一", "", "town official", TOWN_A, "", "Zhen-pass-2026"],
        ]
    )
    upload = io.BytesIO(fixed)
    upload.name = "users.xlsx"
    assert client.post("/accounts/users/import/", {"file": upload}).status_code == 302
    assert RoleAssignment.objects.get(user__username="bu1").unit == cast.unit
    assert RoleAssignment.objects.get(user__username="zhen1").role == "town_official"


@pytest.mark.django_db
def test_it_imports_nothing_when_one_row_is_bad(cast: Cast) -> None:
    data = sheet(
        [
            HEADER,
            ["good1", "好", "", "村民", VILLAGE_A, "", "Good-pass-2026"],
            ["good1", "重复", "", "村民", VILLAGE_A, "", "Good-pass-2026"],
            ["far1", "远", "", "村民", "110101001001", "", "Far-pass-2026"],
            ["weak1", "弱", "", "村民", VILLAGE_A, "", "123"],
            ["", "空", "", "村民", VILLAGE_A, "", "Good-pass-2026"],
        ]
    )
    with pytest.raises(services.UserImportError) as error:
        services.import_users(actor=cast.alice, data=data)
    rows = [row for row, _ in error.value.report.errors]
    assert rows == [3, 4, 5, 6]
    assert not User.objects.filter(username="good1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [b"not a workbook", b"", sheet([["名字", "电话"], ["a", "b"]]), sheet([])],
    ids=["garbage", "empty", "wrong columns", "empty sheet"],
)
def test_it_refuses_a_bad_workbook(cast: Cast, data: bytes) -> None:
    with pytest.raises(services.UserImportError) as error:
        services.import_users(actor=cast.alice, data=data)
    assert error.value.report.errors


@pytest.mark.django_db
def test_it_exports_users_with_masked_phones(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.get("/accounts/users/?export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "用户名"
    phones = {row[0]: row[2] for row in rows[1:]}
    assert phones["tom"] == "139****1004"
    assert "13905321004" not in response.content.decode("latin-1")


@pytest.mark.django_db
def test_it_keeps_list_queries_flat_as_rows_grow(cast: Cast, client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.alice)
    with CaptureQueriesContext(connection) as few:
        client.get("/accounts/users/")
    for index in range(20):
        user = User.objects.create_user(username=f"extra{index}", password="x", division_id=TOWN_A)
        RoleAssignment.objects.create(user=user, role="town_official", division_id=TOWN_A)
    with CaptureQueriesContext(connection) as many:
        client.get("/accounts/users/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_it_shows_the_audit_log_of_the_admins_subtree_only(cast: Cast, client: Client) -> None:
    services.update_user(actor=cast.alice, user=cast.tom, full_name="唐涛涛")
    client.force_login(cast.alice)
    page = client.get("/accounts/audit/").content.decode()
    assert "唐涛涛" in page and "full_name" in page
    entry = AuditEntry.objects.get(action="update", object_id=str(cast.tom.pk))
    assert entry.changes == {"full_name": ["唐涛", "唐涛涛"]}
    AuditEntry.objects.filter(pk=entry.pk).update(division_code="110101")
    assert "唐涛涛" not in client.get("/accounts/audit/").content.decode()

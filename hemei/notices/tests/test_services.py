"""Posting, objecting, answering, withdrawing and ending notices; the handlers' dispatch; the
personal-data guard; working-day periods."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext
from PIL import Image

from hemei.core import clock
from hemei.core.testing import TOWN_A, VILLAGE_A, Cast
from hemei.divisions.models import Division
from hemei.procedures.choices import TimeUnit

from .. import registry, services
from ..choices import NoticeState, ObjectionState
from ..models import Notice, NoticeFile, NoticeObjection

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai


@pytest.fixture(autouse=True)
def _now(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    with clock.frozen_at(NOW):
        yield


def village() -> Division:
    return Division.objects.get(code=VILLAGE_A)


def post(cast: Cast, **extra: Any) -> Notice:
    fields = {
        "village": village(),
        "title": "低保评议结果公示",
        "body": "经村民代表评议。",
        "days": 7,
    }
    return services.post_notice(actor=cast.victor, **(fields | extra))


def png(name: str = "地图.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


# --------------------------------------------------------------------------- posting


def test_a_notice_runs_its_calendar_days_from_now(cast: Cast) -> None:
    notice = post(cast, group="第三村民小组", files=[png()])
    assert (notice.starts_at, notice.ends_at) == (NOW, NOW + dt.timedelta(days=7))
    assert (notice.state, notice.kind, notice.days, notice.unit) == ("posted", "general", 7, "day")
    assert notice.posted_by == cast.victor and notice.group == "第三村民小组"
    assert notice.is_running
    attachment = NoticeFile.objects.get(notice=notice)
    assert (attachment.name, attachment.content_type) == ("地图.png", "image/png")


def test_working_days_skip_the_weekend_and_the_holiday(cast: Cast) -> None:
    # 2026-09-25 is a Friday; 2026-10-01..07 is the National Day holiday, 2026-10-10 a
    # working Saturday (调休): five working days later is 2026-10-09 at the same hour
    with clock.frozen_at(dt.datetime(2026, 9, 25, 2, 0, tzinfo=dt.UTC)):
        notice = post(cast, days=5, unit=TimeUnit.WORKDAY)
    local = notice.ends_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert local.date() > dt.date(2026, 10, 1) and local.hour == 10
    from hemei.procedures.selectors import workdays_between

    assert workdays_between(dt.date(2026, 9, 25), local.date()) == 5


def test_a_year_without_an_official_schedule_is_a_clear_error(cast: Cast) -> None:
    with (
        clock.frozen_at(dt.datetime(2031, 3, 2, 2, 0, tzinfo=dt.UTC)),
        pytest.raises(ValidationError, match="2031"),
    ):
        post(cast, unit=TimeUnit.WORKDAY)
    assert not Notice.objects.exists()


def test_the_period_can_come_from_a_time_limit(cast: Cast) -> None:
    from hemei.procedures import services as procedures

    assert services.period_from_limit("homestead.group_notice", VILLAGE_A, default=(7, "day")) == (
        7,
        "day",
    )
    procedures.add_time_limit(
        actor=cast.alice,
        division=Division.objects.get(code="370215"),
        key="homestead.group_notice",
        name="村民小组公示",
        days=5,
        unit="workday",
        basis="宅基地管理办法",
        valid_from=dt.date(2026, 1, 1),
    )
    assert services.period_from_limit("homestead.group_notice", VILLAGE_A, default=(7, "day")) == (
        5,
        "workday",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("body", "申请人身份证370215199001011234"),
        ("body", "联系电话13905321001"),
        ("body", "补助发放至银行卡 6222 0212 3456 7890 123"),
        ("body", "账号：1234567890123"),
        ("body", "该户因病致贫"),
        ("title", "张三患有慢性病"),
        ("group", "13905321001"),
    ],
)
def test_personal_data_is_refused_and_nothing_is_posted(cast: Cast, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        post(cast, **{field: value})
    assert refused.value.code == "personal_data"
    assert not Notice.objects.exists()


def test_an_attachment_named_with_a_phone_number_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        post(cast, files=[png("13905321001.png")])
    assert not Notice.objects.exists() and not NoticeFile.objects.exists()


def test_masked_numbers_pass(cast: Cast) -> None:
    post(cast, body="联系139****1001，身份证370215********1234，电话0532-88512345")


@pytest.mark.parametrize(
    "extra",
    [
        {"title": "  "},
        {"days": 0},
        {"days": 91},
        {"unit": "week"},
        {"village": "town"},
        {"files": ["not a photo"]},
    ],
)
def test_bad_postings_are_refused(cast: Cast, extra: dict[str, Any]) -> None:
    if extra.get("village") == "town":
        extra["village"] = Division.objects.get(code=TOWN_A)
    if extra.get("files") == ["not a photo"]:
        extra["files"] = [SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="image/png")]
    fields = {"village": village(), "title": "公示", "days": 7} | extra
    with pytest.raises(ValidationError):
        services.post_notice(actor=cast.alice, **fields)
    assert not Notice.objects.exists()


def test_only_officials_of_the_area_post(cast: Cast) -> None:
    for who in (cast.vera, cast.owen, cast.dan, cast.nora):
        with pytest.raises(PermissionDenied):
            services.post_notice(actor=who, village=village(), title="公示", days=5)
    services.post_notice(actor=cast.tom, village=village(), title="镇级公示", days=5)


# --------------------------------------------------------------------------- objections


def test_a_general_notice_keeps_running_with_an_objection_until_answered(cast: Cast) -> None:
    notice = post(cast)
    objection = services.raise_objection(actor=cast.vera, notice=notice, reason="名单有误")
    notice.refresh_from_db()
    assert notice.state == NoticeState.POSTED and objection.state == ObjectionState.OPEN
    # officials of the area may object too; strangers may not
    services.raise_objection(actor=cast.tom, notice=notice, reason="请核实")
    for who in (cast.owen, cast.dan, cast.nora):
        with pytest.raises(PermissionDenied):
            services.raise_objection(actor=who, notice=notice, reason="x")
    # the end with an open objection: closed, nothing moves on
    assert services.end_due_notices(NOW + dt.timedelta(days=8)) == 0
    notice.refresh_from_db()
    assert notice.state == NoticeState.ENDED
    assert notice.outcome == gettext("Ended with objections awaiting an answer.")
    answered = services.answer_objection(
        actor=cast.victor, objection=objection, upheld=False, answer="经核实名单无误"
    )
    assert (answered.state, answered.answered_by, answered.answered_at) == (
        ObjectionState.DISMISSED,
        cast.victor,
        NOW,
    )
    with pytest.raises(ValidationError):  # once
        services.answer_objection(actor=cast.victor, objection=objection, upheld=True, answer="x")


def test_objections_only_while_it_runs_and_with_a_reason(cast: Cast) -> None:
    notice = post(cast)
    with pytest.raises(ValidationError):
        services.raise_objection(actor=cast.vera, notice=notice, reason="   ")
    with pytest.raises(ValidationError):
        services.raise_objection(actor=cast.vera, notice=notice, reason="长" * 501)
    with clock.frozen_at(notice.ends_at), pytest.raises(ValidationError):
        services.raise_objection(actor=cast.vera, notice=notice, reason="太晚了")
    assert not NoticeObjection.objects.exists()


def test_only_the_village_answers_and_withdraws(cast: Cast) -> None:
    notice = post(cast)
    objection = services.raise_objection(actor=cast.vera, notice=notice, reason="不对")
    for who in (cast.vera, cast.tom, cast.owen, cast.lily):
        with pytest.raises(PermissionDenied):
            services.answer_objection(actor=who, objection=objection, upheld=True, answer="x")
        with pytest.raises(PermissionDenied):
            services.withdraw_notice(actor=who, notice=notice, reason="x")
    with pytest.raises(ValidationError):
        services.answer_objection(actor=cast.victor, objection=objection, upheld=True, answer="")
    with pytest.raises(ValidationError):
        services.withdraw_notice(actor=cast.victor, notice=notice, reason=" ")
    withdrawn = services.withdraw_notice(
        actor=cast.alice, notice=notice, reason="内容有误，重新公示"
    )
    assert (withdrawn.state, withdrawn.outcome, withdrawn.closed_at) == (
        NoticeState.WITHDRAWN,
        "内容有误，重新公示",
        NOW,
    )
    with pytest.raises(ValidationError):
        services.withdraw_notice(actor=cast.alice, notice=notice, reason="again")


# --------------------------------------------------------------------------- the registry


class Probe:
    """A subject's hooks that write down what they were called with."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def handlers(self, **extra: Any) -> registry.Handlers:
        return registry.Handlers(
            kind="probe",
            label="probe",
            on_objection=lambda n, o, a: self.calls.append(("objection", o.reason)),
            on_answer=lambda n, o, a: self.calls.append(("answer", o.state)),
            on_withdraw=lambda n, a: self.calls.append(("withdraw", n.outcome)),
            on_end=lambda n, now: self.calls.append(("end", n.pk)) or True,
            schedule_end=lambda at: self.calls.append(("schedule", at)),
            **extra,
        )


@pytest.fixture
def numbered_subject(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A saved row with a numeric pk (the cast's unit), dispatching to a probe."""
    found = Probe()
    monkeypatch.setitem(registry._BY_MODEL, "units.unit", found.handlers())
    return cast.unit, found


def test_the_subject_hooks_are_called_objection_reopens(
    cast: Cast, numbered_subject: Any, django_capture_on_commit_callbacks: Any
) -> None:
    unit, probe = numbered_subject
    with django_capture_on_commit_callbacks(execute=True):
        notice = post(cast, subject=unit)
    assert notice.kind == "probe" and notice.subject == unit
    assert probe.calls == [("schedule", notice.ends_at)]
    with pytest.raises(ValidationError):  # one running notice per subject
        post(cast, subject=unit)
    objection = services.raise_objection(actor=cast.vera, notice=notice, reason="异议")
    notice.refresh_from_db()
    # the matter goes back to the step that posted it: the notice closes at once
    assert (notice.state, notice.closed_at) == (NoticeState.ENDED, NOW)
    with pytest.raises(ValidationError):
        services.raise_objection(actor=cast.vera, notice=notice, reason="再次")
    services.answer_objection(actor=cast.victor, objection=objection, upheld=True, answer="属实")
    assert probe.calls[1:] == [("objection", "异议"), ("answer", ObjectionState.UPHELD)]


def test_the_end_and_the_withdrawal_call_their_hooks(cast: Cast, numbered_subject: Any) -> None:
    unit, probe = numbered_subject
    first = post(cast, subject=unit)
    assert services.end_due_notices(NOW + dt.timedelta(days=6)) == 0
    assert services.end_due_notices(NOW + dt.timedelta(days=7)) == 1
    first.refresh_from_db()
    assert (first.state, first.closed_at) == (NoticeState.ENDED, first.ends_at)
    assert services.end_due_notices(NOW + dt.timedelta(days=30)) == 0  # once
    second = post(cast, subject=unit)
    services.withdraw_notice(actor=cast.victor, notice=second, reason="撤回")
    assert [c for c in probe.calls if c[0] != "schedule"] == [
        ("end", first.pk),
        ("withdraw", "撤回"),
    ]


def test_a_hook_that_refuses_undoes_the_whole_step(cast: Cast, numbered_subject: Any) -> None:
    unit, _probe = numbered_subject

    def refuse(notice: Any, objection: Any, actor: Any) -> None:
        raise PermissionDenied("no")

    registry._BY_MODEL["units.unit"] = registry.Handlers(
        kind="probe", label="probe", on_objection=refuse
    )
    notice = post(cast, subject=unit)
    with pytest.raises(PermissionDenied):
        services.raise_objection(actor=cast.vera, notice=notice, reason="异议")
    notice.refresh_from_db()
    assert notice.state == NoticeState.POSTED and not NoticeObjection.objects.exists()


def test_a_model_without_handlers_cannot_post(cast: Cast) -> None:
    with pytest.raises(LookupError):
        post(cast, subject=cast.unit)


def test_posting_without_subject_schedules_the_notices_sweep(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        notice = post(cast)
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("end_due_notices_task")
    assert task.run_after == notice.ends_at

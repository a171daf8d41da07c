"""Importing a task decomposition table (任务分解表): all or nothing, row by row, re-runnable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from hemei.accounts.models import RoleAssignment, User
from hemei.core.testing import COUNTY, TOWN_A, TOWN_B, Cast, zip_bomb_xlsx
from hemei.divisions.models import Division
from hemei.meetings.models import Meeting
from hemei.tasks.choices import Source
from hemei.tasks.models import Program, Task
from hemei.tasks.services import create_task

from .. import services
from ..models import TableUpload
from .helpers import HEADER, JUNE_END, YEAR_END, units, workbook

pytestmark = pytest.mark.django_db

# Columns in their own order, 完成时间 for 完成时限, and the optional ones.
FULL_HEADER = [
    "序号",
    "任务内容",
    "完成时间",
    "牵头领导",
    "牵头单位",
    "配合单位",
    "节点",
    "主题",
    "所属专项",
    "责任人",
]


def clean_table() -> bytes:
    """Three tasks: one with a sub-item, the leader merged down as "same as above"."""
    return workbook(
        [
            [
                1,
                "推进农村户厕改造提升",
                "2026年12月31日",
                "李丽（副区长）",
                "区农业农村局",
                "区财政局、卫健局",
                "6月底前完成摸底；9月底前完成改造",
                "生态振兴",
                "六大攻坚战、15件实事",
                "丁丹",
            ],
            [
                "1.1",
                "完成改厕需求摸底",
                "6月底",
                None,
                "农业农村局",
                None,
                None,
                "生态",
                None,
                None,
            ],
            [None] * 10,
            [
                2,
                "培育高素质农民",
                dt.datetime(2026, 11, 30),
                None,
                "区人力资源和社会保障局",
                "区农业农村局\n区财政局",
                "5月底前制定计划\n10月底前完成培训",
                "人才振兴",
                "15件实事",
                None,
            ],
            ["注：本表由区乡村振兴办汇总。"],
        ],
        header=FULL_HEADER,
        merges=["D4:D7"],
    )


def county(code: str = COUNTY) -> Division:
    return Division.objects.get(code=code)


def test_it_imports_a_clean_table_with_units_leaders_milestones_and_subtasks(cast: Cast) -> None:
    unit = units(cast)
    meeting = Meeting.objects.create(
        name="全区农村工作会议", held_on=dt.date(2026, 2, 20), level="county", division_id=COUNTY
    )
    outcome = services.import_decomposition(
        actor=cast.alice, data=clean_table(), division=county(), year=2026, meeting=meeting
    )
    assert len(outcome.created) == 3 and outcome.skipped == 0
    toilets = Task.objects.get(title="推进农村户厕改造提升")
    assert toilets.source == Source.IMPORT and toilets.meeting == meeting
    assert toilets.division_id == COUNTY and toilets.due_on == YEAR_END
    assert toilets.lead_leader == cast.lily and toilets.lead_unit == unit["agri"]
    assert set(toilets.co_units.all()) == {unit["finance"], unit["health"]}
    assert toilets.responsible == cast.dan and toilets.theme == "ecology"
    assert sorted(p.name for p in toilets.programs.all()) == ["15件实事", "六大攻坚战"]
    assert [(m.name, m.due_on) for m in toilets.milestones.all()] == [
        ("完成摸底", JUNE_END),
        ("完成改造", dt.date(2026, 9, 30)),
    ]
    survey = Task.objects.get(title="完成改厕需求摸底")
    assert survey.parent == toilets and survey.due_on == JUNE_END
    assert survey.lead_leader == cast.lily  # the merged cell reads as "same as above"
    farmers = Task.objects.get(title="培育高素质农民")
    assert farmers.parent is None and farmers.due_on == dt.date(2026, 11, 30)
    assert farmers.lead_leader == cast.lily and farmers.lead_unit == unit["hr"]
    assert set(farmers.co_units.all()) == {unit["agri"], unit["finance"]}
    assert farmers.theme == "talent" and farmers.milestones.count() == 2


def test_it_does_not_duplicate_when_the_same_table_comes_again(cast: Cast) -> None:
    units(cast)
    first = services.import_decomposition(
        actor=cast.alice, data=clean_table(), division=county(), year=2026
    )
    again = services.import_decomposition(
        actor=cast.alice, data=clean_table(), division=county(), year=2026
    )
    assert len(first.created) == 3
    assert again.created == [] and again.skipped == 3
    assert Task.objects.count() == 3
    assert Program.objects.filter(name="15件实事").count() == 1


def test_a_corrected_table_adds_only_its_new_rows(cast: Cast) -> None:
    units(cast)
    services.import_decomposition(
        actor=cast.alice, data=clean_table(), division=county(), year=2026
    )
    more = workbook(
        [
            [1, "推进农村户厕改造提升", "李丽", "区农业农村局", None, "年底", None],
            [1.2, "完成改厕质量验收", "李丽", "区农业农村局", None, "2026/10/31", None],
        ]
    )
    outcome = services.import_decomposition(
        actor=cast.alice, data=more, division=county(), year=2026
    )
    assert [task.title for task in outcome.created] == ["完成改厕质量验收"]
    assert outcome.created[0].parent == Task.objects.get(title="推进农村户厕改造提升")
    assert Task.objects.count() == 4


def problems_of(plan: services.DecompositionPlan) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in plan.problems]


def test_it_reports_every_kind_of_error_by_row_and_writes_nothing(cast: Cast) -> None:
    units(cast)
    for username in ("wang1", "wang2"):
        twin = User.objects.create_user(username=username, password="x", full_name="王伟")
        RoleAssignment.objects.create(user=twin, role="leader", division_id=COUNTY)
    table = workbook(
        [
            [1, "推进农村户厕改造提升", "李丽", "区财正局", None, "年底", None],  # row 4
            [2, "培育高素质农民", "张三", "区农业农村局", "区卫健委", "明年", None],  # 5
            [3, "建设美丽乡村示范村", "王伟", "区农业农村局", None, None, "完成规划"],  # 6
            [2, "重复的序号", None, "区农业农村局", None, "6月底", None],  # 7
            ["4.1", "没有上级的子任务", None, "区农业农村局", None, "6月底", None],  # 8
            [5, "合并的任务内容", None, "区农业农村局", None, "6月底", None],  # 9
            [6, None, None, "区农业农村局", None, "6月底", None],  # 10
            ["一、产业振兴"],  # 11: a section heading merged across
            [7, "节点晚于时限", None, "区农业农村局", None, "6月底", "9月底前完成"],  # 12
        ],
        merges=["B9:B10", "A11:G11"],
    )
    with translation.override("en"):
        plan = services.plan_decomposition(
            actor=cast.alice, data=table, division=county(), year=2026
        )
    found = problems_of(plan)
    text = "\n".join(f"{row} {column} {message}" for row, column, message in found)

    def has(row: int, column: str, fragment: str) -> bool:
        return any(r == row and c.startswith(column) and fragment in m for r, c, m in found)

    assert has(4, "D（牵头单位）", "Unknown unit 区财正局. Did you mean 区财政局?"), text
    assert has(5, "C（牵头领导）", "No leader named 张三"), text
    assert has(5, "E（配合单位）", "Unknown unit 区卫健委"), text
    assert has(5, "F（完成时限）", "The deadline 明年 is not a date"), text
    assert has(6, "C（牵头领导）", "2 people named 王伟 (wang1、wang2)"), text
    assert has(6, "F（完成时限）", "The deadline is empty"), text
    assert has(6, "G（节点）", "The milestone 完成规划 needs a date and a name"), text
    assert has(7, "A（序号）", "序号 2 is also on row 5"), text
    assert has(8, "A（序号）", "sub-item of 4, which is not in the table"), text
    assert has(9, "B9:B10", "merged, but each task needs its own 任务内容"), text
    assert has(10, "B（任务内容）", "The task content is empty"), text
    assert has(11, "A11:G11", "merged across columns"), text
    assert has(12, "G（节点）", "falls after the deadline"), text
    assert not plan.ok
    with pytest.raises(services.DecompositionError):
        services.import_decomposition(actor=cast.alice, data=table, division=county(), year=2026)
    assert Task.objects.count() == 0 and Program.objects.count() == 0


def test_a_table_with_one_bad_row_imports_nothing(cast: Cast) -> None:
    units(cast)
    table = workbook(
        [
            [1, "推进农村户厕改造提升", "李丽", "区农业农村局", None, "年底", None],
            [2, "培育高素质农民", "李丽", "区农业农村局", None, "长期坚持", None],
        ]
    )
    with pytest.raises(services.DecompositionError) as caught:
        services.import_decomposition(actor=cast.alice, data=table, division=county(), year=2026)
    assert [p.row for p in caught.value.plan.problems] == [5]
    assert Task.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"not a workbook at all", "not an Excel workbook"),
        (b"PK\x03\x04broken zip", "not an Excel workbook"),
        (workbook([[1, "任务"]], header=["甲", "乙", "丙"]), "No header row found"),
        (
            workbook([[1, "任务", "李丽"]], header=["序号", "任务内容", "牵头领导"]),
            "Missing columns",
        ),
        (workbook([]), "The table has no tasks"),
        (
            workbook(
                [[n, f"任务{n}", None, "区农业农村局", None, "年底", None] for n in range(2100)]
            ),
            "At most 2000 rows per import",
        ),
    ],
    ids=["text", "broken zip", "no header", "missing columns", "no rows", "too many rows"],
)
def test_it_refuses_a_file_that_is_not_a_table(cast: Cast, data: bytes, fragment: str) -> None:
    with translation.override("en"):
        plan = services.plan_decomposition(
            actor=cast.alice, data=data, division=county(), year=2026
        )
    assert not plan.ok and fragment in plan.problems[0].message


def test_a_town_official_imports_into_the_own_town_with_town_units(cast: Cast) -> None:
    unit = units(cast)
    table = workbook([[1, "推进户厕改造", None, "农服中心", "区农业农村局", "年底", None]])
    outcome = services.import_decomposition(
        actor=cast.tom, data=table, division=county(TOWN_A), year=2026
    )
    task = outcome.created[0]
    assert task.division_id == TOWN_A and task.lead_unit == unit["service"]
    assert list(task.co_units.all()) == [unit["agri"]]


def test_no_one_imports_into_a_division_they_do_not_manage(cast: Cast) -> None:
    table = workbook([[1, "推进户厕改造", None, "区农业农村局", None, "年底", None]])
    for actor, code in ((cast.owen, TOWN_A), (cast.tom, COUNTY), (cast.victor, TOWN_A)):
        with pytest.raises(PermissionDenied):
            services.plan_decomposition(actor=actor, data=table, division=county(code), year=2026)
    # Nor link the tasks to a meeting or hang them under a task they cannot see.
    elsewhere = Meeting.objects.create(
        name="金口镇会议", held_on=dt.date(2026, 3, 1), level="town", division_id=TOWN_B
    )
    their_task = create_task(
        actor=cast.owen, division=county(TOWN_B), title="金口镇改厕", due_on=YEAR_END
    )
    with pytest.raises(PermissionDenied):
        services.plan_decomposition(
            actor=cast.tom, data=table, division=county(TOWN_A), year=2026, meeting=elsewhere
        )
    with pytest.raises(PermissionDenied):
        services.plan_decomposition(
            actor=cast.tom, data=table, division=county(TOWN_A), year=2026, parent=their_task
        )
    assert Task.objects.count() == 1  # owen's own


# --- pages -----------------------------------------------------------------------------------


def upload(client: Client, data: bytes, **fields: object):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    payload = {"division": COUNTY, "year": 2026, **fields}
    payload["file"] = SimpleUploadedFile(
        str(fields.get("name", "分解表.xlsx")), data, content_type="application/octet-stream"
    )
    payload.pop("name", None)
    return client.post("/intake/decomposition/", payload)


def test_the_pages_check_preview_and_confirm_an_import(cast: Cast, client: Client) -> None:
    units(cast)
    client.force_login(cast.alice)
    page = client.get("/intake/decomposition/")
    assert page.status_code == 200 and "任务分解表" in page.content.decode()
    response = upload(client, clean_table())
    assert response.status_code == 302 and Task.objects.count() == 0
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert "推进农村户厕改造提升" in body and "完成摸底" in body and "区财政局" in body
    assert "将新建 3 项任务" in body
    stored = TableUpload.objects.get()
    done = client.post(f"/intake/decomposition/{stored.pk}/confirm/")
    assert done.status_code == 302 and Task.objects.count() == 3
    assert "已导入" in client.get(done["Location"]).content.decode()
    twice = client.post(f"/intake/decomposition/{stored.pk}/confirm/")
    assert twice.status_code == 409 and Task.objects.count() == 3
    # The same file uploaded again: everything is already there, nothing new on confirm.
    again = upload(client, clean_table())
    second = TableUpload.objects.exclude(pk=stored.pk).get()
    assert "已存在" in client.get(again["Location"]).content.decode()
    client.post(f"/intake/decomposition/{second.pk}/confirm/")
    assert Task.objects.count() == 3


def test_a_zip_bomb_is_refused_with_a_message_and_keeps_nothing(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = upload(client, zip_bomb_xlsx(100))
    assert response.status_code == 400
    assert "工作簿解压后超过 30 MB" in response.content.decode()
    assert TableUpload.objects.count() == 0 and Task.objects.count() == 0


def test_the_report_page_lists_problems_in_chinese_and_keeps_nothing(
    cast: Cast, client: Client
) -> None:
    units(cast)
    client.force_login(cast.alice)
    table = workbook([[1, "推进户厕改造", "张三", "区财正局", None, "明年", None]])
    response = upload(client, table)
    body = response.content.decode()
    assert response.status_code == 400
    assert "没有导入任何数据" in body and "未知单位“区财正局”" in body and "区财政局" in body
    assert "D（牵头单位）" in body and '<td data-label="行">4</td>' in body
    assert TableUpload.objects.count() == 0 and Task.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("表.csv", b"a,b", 400),
        ("表.xlsx", b"", 400),
        ("表.xlsx", b"\x00\x01binary", 400),
    ],
    ids=["wrong type", "empty", "binary"],
)
def test_bad_uploads_answer_400(
    cast: Cast, client: Client, name: str, data: bytes, status: int
) -> None:
    client.force_login(cast.alice)
    assert upload(client, data, name=name).status_code == status
    assert TableUpload.objects.count() == 0


def test_a_division_outside_the_users_reach_answers_404(cast: Cast, client: Client) -> None:
    client.force_login(cast.tom)
    table = workbook([[1, "推进户厕改造", None, "区农业农村局", None, "年底", None]])
    assert upload(client, table, division=TOWN_B).status_code == 404
    assert upload(client, table, division=COUNTY).status_code == 404
    assert upload(client, table, division=TOWN_A).status_code == 302


def test_an_upload_is_its_owners_only(cast: Cast, client: Client) -> None:
    units(cast)
    client.force_login(cast.alice)
    upload(client, clean_table())
    stored = TableUpload.objects.get()
    for other in (cast.lily, cast.tom):
        client.force_login(other)
        assert client.get(f"/intake/decomposition/{stored.pk}/").status_code == 404
        assert client.post(f"/intake/decomposition/{stored.pk}/confirm/").status_code == 404
    assert Task.objects.count() == 0


def test_the_template_reads_back_and_imports(cast: Cast, client: Client) -> None:
    import io

    from openpyxl import load_workbook

    units(cast)
    client.force_login(cast.alice)
    response = client.get("/intake/decomposition/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["任务分解表", "填表说明"]
    header = [cell.value for cell in book["任务分解表"][2]]
    assert header[:7] == HEADER and "所属专项" in header
    outcome = services.import_decomposition(
        actor=cast.alice, data=response.content, division=county(), year=2026
    )
    assert len(outcome.created) == 3
    assert Task.objects.get(title="完成改厕需求摸底").parent.title == "推进农村户厕改造提升"


def test_each_task_says_on_its_timeline_where_it_came_from(cast: Cast, client: Client) -> None:
    from hemei.tasks.choices import EventKind

    units(cast)
    client.force_login(cast.alice)
    upload(client, clean_table(), name="全区分解表.xlsx")
    client.post(f"/intake/decomposition/{TableUpload.objects.get().pk}/confirm/")
    task = Task.objects.get(title="完成改厕需求摸底")
    kinds = list(task.events.values_list("kind", flat=True))
    assert EventKind.CREATED in kinds and EventKind.NOTE in kinds
    note = task.events.get(kind=EventKind.NOTE)
    assert note.data == {"file": "全区分解表.xlsx", "row": 5, "number": "1.1"}
    assert "全区分解表.xlsx" in note.text and note.actor == cast.alice


def test_the_preview_query_count_does_not_grow_with_the_rows(
    cast: Cast, client: Client, django_assert_max_num_queries: object
) -> None:
    units(cast)
    client.force_login(cast.alice)

    def rows(count: int) -> bytes:
        return workbook(
            [
                [
                    n,
                    f"第{n}项任务",
                    "李丽",
                    "区农业农村局",
                    "区财政局、卫健局",
                    "年底",
                    "6月底前摸底",
                ]
                for n in range(1, count + 1)
            ]
        )

    counts = []
    for count in (3, 60):
        TableUpload.objects.all().delete()
        location = upload(client, rows(count))["Location"]
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(location).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20


def test_it_imports_under_a_parent_task_and_stays_idempotent_there(
    cast: Cast, client: Client
) -> None:
    units(cast)
    parent = create_task(
        actor=cast.alice, division=county(), title="全区人居环境整治", due_on=YEAR_END
    )
    client.force_login(cast.alice)
    table = workbook([[1, "推进户厕改造", "李丽", "区农业农村局", None, "年底", None]])
    for _ in range(2):
        location = upload(client, table, parent=parent.pk)["Location"]
        pk = int(location.rstrip("/").rsplit("/", 1)[1])
        client.post(f"/intake/decomposition/{pk}/confirm/")
    child = Task.objects.get(title="推进户厕改造")
    assert child.parent == parent and parent.children.count() == 1
    # Into the same division without the parent, the row is a different task.
    services.import_decomposition(actor=cast.alice, data=table, division=county(), year=2026)
    assert Task.objects.filter(title="推进户厕改造").count() == 2


def test_a_parent_task_outside_the_users_reach_is_refused(cast: Cast, client: Client) -> None:
    other = create_task(
        actor=cast.owen, division=county(TOWN_B), title="金口镇改厕", due_on=YEAR_END
    )
    client.force_login(cast.tom)
    table = workbook([[1, "推进户厕改造", None, "区农业农村局", None, "年底", None]])
    response = upload(client, table, division=TOWN_A, parent=other.pk)
    assert (
        response.status_code == 400 and f"没有编号为 {other.pk} 的任务" in response.content.decode()
    )
    assert TableUpload.objects.count() == 0 and Task.objects.count() == 1


def test_one_responsible_person_per_task(cast: Cast) -> None:
    units(cast)
    table = workbook(
        [[1, "推进户厕改造", "区农业农村局", "年底", "丁丹、唐涛"]],
        header=["序号", "任务内容", "牵头单位", "完成时限", "责任人"],
    )
    with translation.override("en"):
        plan = services.plan_decomposition(
            actor=cast.alice, data=table, division=county(), year=2026
        )
    assert [(p.row, p.column) for p in plan.problems] == [(4, "E（责任人）")]
    assert "One responsible person per task" in plan.problems[0].message


def test_a_city_wide_grant_offers_every_county_and_town_below(cast: Cast) -> None:
    mayor = User.objects.create_user(username="mayor", password="x", full_name="市领导")
    RoleAssignment.objects.create(user=mayor, role="leader", division_id="3702")
    codes = [division.code for division in services.manageable_divisions(mayor)]
    assert COUNTY in codes and TOWN_A in codes and TOWN_B in codes
    assert all(len(code) in (6, 9) and code.startswith("3702") for code in codes)
    assert [d.code for d in services.manageable_divisions(cast.tom)] == [TOWN_A]
    assert services.manageable_divisions(cast.victor) == []


def test_the_meeting_and_task_pages_can_link_here_with_the_fields_filled_in(
    cast: Cast, client: Client
) -> None:
    meeting = Meeting.objects.create(
        name="全区农村工作会议", held_on=dt.date(2026, 2, 20), level="county", division_id=COUNTY
    )
    client.force_login(cast.alice)
    form = client.get(f"/intake/decomposition/?meeting={meeting.pk}&division={TOWN_A}").context[
        "form"
    ]
    assert str(form["meeting"].value()) == str(meeting.pk) and form["division"].value() == TOWN_A
    units(cast)
    location = upload(client, clean_table(), meeting=meeting.pk)["Location"]
    client.post(location + "confirm/")
    preview = client.get(location).content.decode()
    assert f"/meetings/{meeting.pk}/" in preview
    assert f"/tasks/{Task.objects.get(title='培育高素质农民').pk}/" in preview


def test_milestones_may_come_in_two_columns_paired_in_order(cast: Cast) -> None:
    units(cast)
    header = ["序号", "任务内容", "牵头单位", "完成时限", "节点", "节点时限"]
    table = workbook(
        [
            [1, "推进户厕改造", "区农业农村局", "年底", "完成摸底\n完成改造", "6月底；2026-09-30"],
            [2, "培育高素质农民", "区农业农村局", "年底", "制定计划", dt.datetime(2026, 5, 31)],
            [3, "建设示范村", "区农业农村局", "年底", "完成规划；完成建设", "6月底"],
        ],
        header=header,
    )
    with translation.override("en"):
        plan = services.plan_decomposition(
            actor=cast.alice, data=table, division=county(), year=2026
        )
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (6, "F（节点时限）", "2 milestones but 1 milestone dates.")
    ]
    first, second = plan.tasks[:2]
    assert first.milestones == [("完成摸底", JUNE_END), ("完成改造", dt.date(2026, 9, 30))]
    assert second.milestones == [("制定计划", dt.date(2026, 5, 31))]


def test_the_template_speaks_of_the_users_own_units_and_people(cast: Cast, client: Client) -> None:
    import io

    from openpyxl import load_workbook

    from hemei.units.models import Unit

    for name in ("区水务局", "区交通运输局", "区文化和旅游局"):
        Unit.objects.create(name=name, kind="department", division_id=county().code)
    client.force_login(cast.alice)
    response = client.get("/intake/decomposition/template.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content))["任务分解表"].values)
    first = rows[2]
    assert first[2] == cast.lily.full_name  # the county's leader
    known = set(Unit.objects.values_list("name", flat=True))
    assert first[3] in known and all(name in known for name in first[4].split("、"))
    outcome = services.import_decomposition(
        actor=cast.alice, data=response.content, division=county(), year=2026
    )
    assert len(outcome.created) == 3

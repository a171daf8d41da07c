"""The import of the official division table: counts, re-runs, history, and bad files."""

from __future__ import annotations

import datetime as dt
import gzip
import tracemalloc
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from hemei.divisions.choices import ChangeKind, Level
from hemei.divisions.importer import DivisionFileError, builtin_files, read_files, read_subtree
from hemei.divisions.models import Division, DivisionImport
from hemei.divisions.services import import_builtin, import_divisions

HEADERS = {
    "provinces": "code,name",
    "cities": "code,name,provinceCode",
    "areas": "code,name,cityCode,provinceCode",
    "streets": "code,name,areaCode,provinceCode,cityCode",
    "villages": "code,name,streetCode,provinceCode,cityCode,areaCode",
}


def write_table(folder: Path, villages: list[tuple[str, str]], *, gz: bool = False) -> Path:
    """A small table under the fictional province 99 (which the real one does not use)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = {
        "provinces": ['99,"测试省"'],
        "cities": ['9901,"测试市",99'],
        "areas": ['990101,"测试县",9901,99'],
        "streets": ['990101001,"甲镇",990101,99,9901', '990101002,"乙镇",990101,99,9901'],
        "villages": [f'{code},"{name}",{code[:9]},99,9901,990101' for code, name in villages],
    }
    for stem, lines in rows.items():
        text = "\n".join([HEADERS[stem], *lines]) + "\n"
        if gz:
            (folder / f"{stem}.csv.gz").write_bytes(gzip.compress(text.encode()))
        else:
            (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    return folder


VILLAGES = [
    ("990101001001", "东村村民委员会"),
    ("990101001002", "西村村民委员会"),
    ("990101002001", "南村村民委员会"),
]


def state() -> list[tuple[str, str, str | None, dt.date | None]]:
    return list(Division.objects.values_list("code", "name", "parent_id", "valid_to"))


@pytest.mark.django_db
def test_it_leaves_provinces_the_table_does_not_touch(tmp_path: Path) -> None:
    import_divisions(paths=sorted(write_table(tmp_path, VILLAGES).iterdir()))
    assert Division.objects.current().filter(code="370215100214").exists()


@pytest.mark.django_db
def test_it_imports_a_small_table_and_links_parents(tmp_path: Path) -> None:
    batch = import_divisions(paths=sorted(write_table(tmp_path, VILLAGES).iterdir()))
    assert batch.added == 8
    village = Division.objects.get(code="990101001002")
    assert village.level == Level.VILLAGE
    assert village.parent_id == "990101001"
    assert [a.code for a in village.ancestors()] == ["99", "9901", "990101", "990101001"]
    assert set(Division.objects.within("990101001").values_list("code", flat=True)) == {
        "990101001",
        "990101001001",
        "990101001002",
    }


@pytest.mark.django_db
def test_it_changes_nothing_when_run_twice(tmp_path: Path) -> None:
    paths = sorted(write_table(tmp_path, VILLAGES, gz=True).iterdir())
    import_divisions(paths=paths)
    before = state()
    batch = import_divisions(paths=paths)
    assert (batch.added, batch.renamed, batch.closed, batch.unchanged) == (0, 0, 0, 8)
    assert state() == before


@pytest.mark.django_db
def test_it_closes_merged_villages_and_records_renames(tmp_path: Path) -> None:
    import_divisions(paths=sorted(write_table(tmp_path / "v1", VILLAGES).iterdir()))
    # 合村并居: 东村 and 西村 merge into a new 东西村; 南村 is renamed.
    newer = [("990101001003", "东西村村民委员会"), ("990101002001", "南山村村民委员会")]
    batch = import_divisions(
        paths=sorted(write_table(tmp_path / "v2", newer).iterdir()), as_of=dt.date(2026, 6, 1)
    )
    assert (batch.added, batch.renamed, batch.closed) == (1, 1, 2)
    east = Division.objects.get(code="990101001001")
    assert east.valid_to == dt.date(2026, 6, 1)
    assert east.changes.get().kind == ChangeKind.CLOSED
    assert Division.objects.get(code="990101001003").valid_from == dt.date(2026, 6, 1)
    south = Division.objects.get(code="990101002001")
    assert south.name == "南山村村民委员会"
    assert south.changes.get().old_value == "南村村民委员会"
    assert set(
        Division.objects.current()
        .within("99")
        .at_level(Level.VILLAGE)
        .values_list("code", flat=True)
    ) == {
        "990101001003",
        "990101002001",
    }
    # The old table again reopens what it lists.
    with pytest.raises(DivisionFileError, match="dated 2026-01-01"):
        import_divisions(paths=sorted((tmp_path / "v1").iterdir()), as_of=dt.date(2026, 1, 1))
    again = import_divisions(paths=sorted((tmp_path / "v1").iterdir()))
    assert again.reopened == 2 and again.closed == 1
    assert Division.objects.get(code="990101001001").valid_to is None


@pytest.mark.django_db
def test_it_limits_an_import_to_a_subtree(tmp_path: Path) -> None:
    paths = sorted(write_table(tmp_path, VILLAGES).iterdir())
    import_divisions(paths=paths, under="990101001")
    assert set(Division.objects.within("99").values_list("code", flat=True)) == {
        "99",
        "9901",
        "990101",
        "990101001",
        "990101001001",
        "990101001002",
    }


BAD_FILES = {
    "wrong columns": ("villages.csv", "id,title,parent\n1,a,2\n", "line 1: unknown columns"),
    "missing parent": (
        "villages.csv",
        HEADERS["villages"] + '\n990101009001,"孤村",990101009,99,9901,990101\n',
        "line 2: the parent 990101009",
    ),
    "duplicate code": (
        "villages.csv",
        HEADERS["villages"]
        + '\n990101001001,"东村",990101001,99,9901,990101'
        + '\n990101001001,"又一个东村",990101001,99,9901,990101\n',
        "line 3: duplicate code 990101001001 (already on line 2)",
    ),
    "code outside its parent": (
        "villages.csv",
        HEADERS["villages"] + '\n990101002001,"错村",990101001,99,9901,990101\n',
        "line 2: code 990101002001 does not lie under its parent",
    ),
    "short code": (
        "villages.csv",
        HEADERS["villages"] + '\n99010100100,"短码村",990101001,99,9901,990101\n',
        "line 2: code '99010100100' is not a 12-digit village code",
    ),
    "wrong field count": (
        "villages.csv",
        HEADERS["villages"] + '\n990101001001,"东村",990101001\n',
        "line 2: 3 fields where the header has 6",
    ),
    "empty file": ("villages.csv", "", "line 1: the file is empty"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_it_refuses_a_bad_file_naming_the_line_and_changes_nothing(
    tmp_path: Path, case: str
) -> None:
    import_divisions(paths=sorted(write_table(tmp_path / "ok", VILLAGES).iterdir()))
    before, batches = state(), DivisionImport.objects.count()
    name, text, message = BAD_FILES[case]
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DivisionFileError) as error:
        import_divisions(paths=[bad])
    assert str(bad) in str(error.value)
    assert message in str(error.value)
    assert state() == before
    assert DivisionImport.objects.count() == batches


@pytest.mark.django_db
def test_it_refuses_a_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress((HEADERS["provinces"] + '\n99,"测试省"\n').encode())
    bad = tmp_path / "provinces.csv.gz"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(DivisionFileError, match="truncated or damaged"):
        import_divisions(paths=[bad])
    assert not Division.objects.filter(code="99").exists()


@pytest.mark.django_db
def test_it_refuses_a_file_in_another_encoding(tmp_path: Path) -> None:
    bad = tmp_path / "provinces.csv"
    bad.write_bytes((HEADERS["provinces"] + '\n99,"测试省"\n').encode("gb18030"))
    with pytest.raises(DivisionFileError, match=r"line 2: the file is not UTF-8"):
        import_divisions(paths=[bad])
    assert not Division.objects.filter(code="99").exists()


@pytest.mark.django_db
def test_it_rolls_back_a_whole_import_when_a_later_file_fails(tmp_path: Path) -> None:
    folder = write_table(tmp_path, VILLAGES)
    (folder / "villages.csv").write_text(
        HEADERS["villages"] + '\n990101001001,"东村",990101009,99,9901,990101\n', encoding="utf-8"
    )
    with pytest.raises(DivisionFileError):
        import_divisions(paths=sorted(folder.iterdir()))
    assert not Division.objects.filter(code__startswith="99").exists()


@pytest.mark.django_db
def test_it_refuses_an_under_code_that_is_not_a_code(tmp_path: Path) -> None:
    with pytest.raises(DivisionFileError, match="not a division code"):
        import_divisions(paths=sorted(write_table(tmp_path, VILLAGES).iterdir()), under="99x")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_it_imports_the_whole_national_table() -> None:
    with connection.cursor() as cursor:  # the session's 即墨区 rows; nothing refers to them
        cursor.execute("DELETE FROM divisions_division")
    batch = import_builtin()
    counts = dict(Division.objects.values_list("level").annotate(n=Count("code")))
    assert counts == {
        Level.PROVINCE: 31,
        Level.CITY: 342,
        Level.COUNTY: 2978,
        Level.TOWN: 41352,
        Level.VILLAGE: 620573,
    }
    assert batch.added == 665276
    assert Division.objects.get(code="370215100214").name == "红花山村村民委员会"
    assert Division.objects.filter(level__gt=Level.PROVINCE, parent__isnull=True).count() == 0
    again = import_builtin()
    assert (again.added, again.closed, again.renamed, again.unchanged) == (0, 0, 0, 665276)


def test_it_ships_the_national_table_in_the_package() -> None:
    assert [path.name for path in builtin_files()] == [
        "provinces.csv.gz",
        "cities.csv.gz",
        "areas.csv.gz",
        "streets.csv.gz",
        "villages.csv.gz",
    ]


def test_one_county_is_read_without_the_national_table_in_memory() -> None:
    """The county's rows are streamed out of the packaged table: the whole table read
    into columns takes hundreds of MB; one county stays within a few MB."""
    tracemalloc.start()
    try:
        table = read_files(builtin_files(), under="370215")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(table) == 217
    assert {rows.level: len(rows.codes) for rows in table.files} == {
        1: 1,
        2: 1,
        3: 1,
        4: 17,
        5: 197,
    }
    assert peak < 32 * 2**20, f"{peak / 2**20:.0f} MB"


def test_a_subtree_read_keeps_the_file_lines_and_checks_only_the_subtree(tmp_path: Path) -> None:
    folder = write_table(tmp_path, [*VILLAGES, ("990101002002", "")], gz=True)
    # 乙镇's nameless village is outside 甲镇 and so neither kept nor checked.
    table = read_files(sorted(folder.iterdir()), under="990101001")
    villages = table.at_level(Level.VILLAGE)
    assert villages is not None
    assert villages.codes == ["990101001001", "990101001002"]
    assert villages.lines == [2, 3]
    with pytest.raises(
        DivisionFileError, match=r"villages.csv.gz, line 5: the name of 990101002002"
    ):
        read_files(sorted(folder.iterdir()), under="990101002")


def test_a_subtree_read_of_a_file_with_line_breaks_in_names_reads_it_whole(tmp_path: Path) -> None:
    villages = tmp_path / "villages.csv"
    villages.write_text(
        HEADERS["villages"]
        + '\r\n990101001001,"东村",990101001,99,9901,990101'
        + '\r\n990101001002,"西\r\n村",990101001,99,9901,990101'
        + '\r\n990101002001,"南村",990101002,99,9901,990101\r\n',
        encoding="utf-8",
    )
    rows = read_files([villages], under="990101001").files[0]
    assert (rows.codes, rows.names) == (["990101001001", "990101001002"], ["东村", "西村"])
    assert read_subtree(villages, "990101001") is None  # the csv module read it


def test_a_subtree_read_refuses_a_truncated_gzip_and_another_encoding(tmp_path: Path) -> None:
    data = gzip.compress((HEADERS["provinces"] + '\n99,"测试省"\n').encode())
    truncated = tmp_path / "provinces.csv.gz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(DivisionFileError, match="truncated or damaged"):
        read_files([truncated], under="990101")
    other = tmp_path / "cities.csv"
    other.write_bytes((HEADERS["cities"] + '\n9901,"测试市",99\n').encode("gb18030"))
    with pytest.raises(DivisionFileError, match=r"cities.csv, line 2: the file is not UTF-8"):
        read_files([other], under="990101")

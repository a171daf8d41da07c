"""People: lists closed or opened by a collective title, several roles, source sentences.

The reports under ``fixtures/dev/dev-people-*`` were written for these rules (county, city and
township meetings, 2014-2023); they are a development set, not the held-out one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from hemei.ingest import ingest
from hemei.ingest.cli import summary
from hemei.ingest.evaluate import FIXTURES_DIR
from hemei.ingest.extract import _COLLECTIVE_RE, COLLECTIVE_TITLES

DEV_DIR = FIXTURES_DIR / "dev"
DEV_PEOPLE = sorted(path.stem for path in DEV_DIR.glob("dev-people-*.json"))


def _dev(name: str) -> tuple[dict[str, Any], Any]:
    """Return the gold annotation and the ingest result of one development report."""
    gold = json.loads((DEV_DIR / f"{name}.json").read_text(encoding="utf-8"))
    result = ingest((FIXTURES_DIR / gold["source"]).read_bytes(), year=gold.get("year"))
    return gold, result


def _people(text: str) -> dict[str, tuple[list[str], list[str]]]:
    """Return each person's titles and roles."""
    return {p.name: (p.titles, list(p.roles)) for p in ingest(text).people}


def test_the_development_reports_are_there() -> None:
    assert len(DEV_PEOPLE) >= 5


@pytest.mark.parametrize("name", DEV_PEOPLE)
def test_it_reads_the_people_of_each_development_report(name: str) -> None:
    gold, result = _dev(name)
    found = [
        {
            "name": p.name,
            "titles": p.titles,
            "role": p.role,
            "roles": list(p.roles),
            "source": p.source,
        }
        for p in result.people
    ]
    assert found == gold["people"]


def test_it_reads_a_list_closed_by_a_collective_title() -> None:
    text = "4月9日，全市春耕生产调度会召开。张晓燕、李国庆以及欧阳明辉等市四大班子领导出席会议。"
    assert _people(text) == {
        name: (["市四大班子领导"], ["attendee"]) for name in ("张晓燕", "李国庆", "欧阳明辉")
    }


def test_it_reads_the_first_name_after_a_lead_in_and_drops_tongzhi() -> None:
    text = "出席会议的有吴志刚同志、郑国强等县级领导。会上，周平、吴刚同志等区级领导作表态发言。"
    assert _people(text) == {
        "吴志刚": (["县级领导"], ["attendee"]),
        "郑国强": (["县级领导"], ["attendee"]),
        "周平": (["区级领导"], ["reporter"]),
        "吴刚": (["区级领导"], ["reporter"]),
    }


def test_it_reads_lists_opened_by_a_collective_title() -> None:
    text = (
        "有关部门负责同志孙明、冯磊出席会议。镇领导班子成员汪志远和卢小燕参加会议。"
        "县领导向东、何平、高远列席会议。"
    )
    assert _people(text) == {
        "孙明": (["有关部门负责同志"], ["attendee"]),
        "冯磊": (["有关部门负责同志"], ["attendee"]),
        "汪志远": (["镇领导班子成员"], ["attendee"]),
        "卢小燕": (["镇领导班子成员"], ["attendee"]),
        "向东": (["县领导"], ["attendee"]),
        "何平": (["县领导"], ["attendee"]),
        "高远": (["县领导"], ["attendee"]),
    }


def test_it_reads_names_the_collective_title_says_it_has() -> None:
    text = "出席会议的市领导有张传宝、李国庆。参加会议的县领导还有：魏海涵、邵远航。"
    assert _people(text) == {
        "张传宝": (["市领导"], ["attendee"]),
        "李国庆": (["市领导"], ["attendee"]),
        "魏海涵": (["县领导"], ["attendee"]),
        "邵远航": (["县领导"], ["attendee"]),
    }


def test_it_keeps_a_persons_own_post_over_the_collective_title() -> None:
    text = (
        "县委副书记吴国平、陶安然等县级领导班子成员出席会议。县政协主席柏青，吴国平等县领导参加。"
    )
    assert _people(text) == {
        "吴国平": (["县委副书记"], ["attendee"]),
        "陶安然": (["县委副书记"], ["attendee"]),
        "柏青": (["县政协主席"], ["attendee"]),
    }
    text = "吴国平、陶安然等县领导参加调研。下午，县委副书记吴国平主持召开座谈会。"
    assert _people(text) == {
        "吴国平": (["县委副书记"], ["host"]),
        "陶安然": (["县领导"], ["attendee"]),
    }


def test_it_takes_no_words_in_a_list_for_names() -> None:
    text = (
        "会议要求，安全、稳定等市领导包保任务要落实到位，产业、人才、文化等市领导联系的"
        "重点工作要按月调度，他强调和平等县领导要带头。做好防汛抗旱等县领导交办的工作，"
        "抓好安全生产等县领导包保事项，县领导有关事项要报备。"
    )
    assert _people(text) == {}


def test_it_reads_no_collective_title_inside_a_word() -> None:
    text = "社区领导万小军、黎明出席活动。"
    assert _people(text) == {
        "万小军": (["社区领导"], ["attendee"]),
        "黎明": (["社区领导"], ["attendee"]),
    }


def test_the_collective_titles_are_one_table() -> None:
    for title in ("市四大班子领导", "县级领导", "县领导", "镇领导班子成员", "有关部门负责同志"):
        assert title in COLLECTIVE_TITLES
    assert "各镇街党（工）委书记" in COLLECTIVE_TITLES
    text = "张晓燕、李国庆等各镇街党（工）委书记参加会议。"
    assert _people(text)["李国庆"] == (["各镇街党（工）委书记"], ["attendee"])


def test_the_collective_title_pattern_finds_the_longest_title() -> None:
    found = [
        m.group(0)
        for m in _COLLECTIVE_RE.finditer("县领导、县级领导、市四大班子领导、镇领导班子成员")
    ]
    assert found == ["县领导", "县级领导", "市四大班子领导", "镇领导班子成员"]
    assert all(_COLLECTIVE_RE.fullmatch(title) for title in COLLECTIVE_TITLES)


def test_it_gives_a_host_who_also_speaks_both_roles() -> None:
    text = "会议由县长李卫东主持。李卫东在讲话中要求，各部门要切实压实责任。"
    person = ingest(text).people[0]
    assert (person.role, person.roles) == ("speaker", ["host", "speaker"])
    assert person.source == "李卫东在讲话中要求，各部门要切实压实责任。"
    person = ingest("市长刘强主持会议并讲话。").people[0]
    assert (person.role, person.roles) == ("speaker", ["host", "speaker"])


def test_it_takes_a_hosts_remarks_for_hosting() -> None:
    text = "会议由镇党委书记韩立平主持。韩立平强调，各村要立即行动。"
    person = ingest(text).people[0]
    assert (person.role, person.roles) == ("host", ["host"])
    assert person.source == "会议由镇党委书记韩立平主持。"


def test_it_does_not_take_passing_on_a_speech_for_speaking() -> None:
    text = "副市长高志明传达了省委主要领导讲话精神。市长房建军出席会议并讲话。"
    assert _people(text) == {
        "高志明": (["副市长"], ["reporter"]),
        "房建军": (["市长"], ["speaker"]),
    }


def test_it_makes_a_speaker_of_an_attendee_who_speaks() -> None:
    text = "市领导张传宝出席会议。张传宝指出，要抓好春耕生产。"
    person = ingest(text).people[0]
    assert person.roles == ["speaker"]
    assert person.source == "张传宝指出，要抓好春耕生产。"


def test_the_summary_shows_every_role_main_first() -> None:
    text = "会议由县长李卫东主持。李卫东在讲话中要求，各部门要切实压实责任。"
    assert "李卫东  县长  [speaker 讲话 + host 主持]" in summary(ingest(text))

"""Extraction on the seed reports, the synthetic reports and small invented snippets."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from hemei.ingest import IngestResult, ingest
from hemei.ingest.evaluate import (
    SEED_REPORTS,
    SYNTHETIC_REPORTS,
    count_report,
    evaluate,
    load_gold,
    resolve_span,
)

PINYIN_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PEOPLE_F1 = 0.9
DIRECTIVE_RECALL = 0.8
DIRECTIVE_PRECISION = 0.7


def _fields(meeting: dict[str, Any]) -> dict[str, Any]:
    """The meeting's four annotated fields (not where they came from)."""
    return {key: meeting[key] for key in ("name", "date_text", "date", "place")}


def _ingest_gold(name: str, directory: Path) -> tuple[dict[str, Any], IngestResult]:
    """Return the gold annotation and the ingest result of one report."""
    gold = load_gold(name)
    result = ingest((directory / gold["source"]).read_bytes(), year=gold.get("year"))
    return gold, result


def _assert_clean(gold: dict[str, Any], result: IngestResult) -> None:
    """No pinyin and none of the page chrome the gold file lists is left in the text."""
    text = result.text
    assert not any(mark in text for mark in PINYIN_MARKS)
    for chrome in gold.get("chrome_absent", []):
        assert chrome not in text, chrome


@pytest.mark.parametrize("name", SEED_REPORTS)
def test_it_cleans_the_seed_reports(name: str, seeds: Path) -> None:
    gold, result = _ingest_gold(name, seeds)
    _assert_clean(gold, result)


@pytest.mark.parametrize("name", SYNTHETIC_REPORTS)
def test_it_cleans_the_synthetic_reports(name: str, fixtures_dir: Path) -> None:
    gold, result = _ingest_gold(name, fixtures_dir)
    _assert_clean(gold, result)
    assert result.text.isprintable() or "\n" in result.text
    assert "\ufffd" not in result.text


def test_it_meets_the_quality_bar_on_the_seed_reports(seeds: Path) -> None:
    scores = evaluate(SEED_REPORTS)
    print(json.dumps(scores, ensure_ascii=False, indent=2))
    for name in (*SEED_REPORTS, "overall"):
        assert scores[name]["people_f1"] >= PEOPLE_F1, name
        assert scores[name]["directive_recall"] >= DIRECTIVE_RECALL, name
        assert scores[name]["directive_precision"] >= DIRECTIVE_PRECISION, name


def test_it_meets_the_quality_bar_on_the_synthetic_reports() -> None:
    scores = evaluate(SYNTHETIC_REPORTS)
    print(json.dumps(scores, ensure_ascii=False, indent=2))
    for name in (*SYNTHETIC_REPORTS, "overall"):
        assert scores[name]["people_f1"] >= PEOPLE_F1, name
        assert scores[name]["directive_recall"] >= DIRECTIVE_RECALL, name
        assert scores[name]["directive_precision"] >= DIRECTIVE_PRECISION, name


@pytest.mark.parametrize("name", SEED_REPORTS)
def test_it_finds_each_seed_meeting(name: str, seeds: Path) -> None:
    gold, result = _ingest_gold(name, seeds)
    meeting = _fields(result.meeting.to_dict())
    assert meeting == gold["meeting"]


@pytest.mark.parametrize("name", SYNTHETIC_REPORTS)
def test_it_finds_each_synthetic_meeting_units_and_deadlines(name: str, fixtures_dir: Path) -> None:
    gold, result = _ingest_gold(name, fixtures_dir)
    assert _fields(result.meeting.to_dict()) == gold["meeting"]
    people = {person.name: person for person in result.people}
    for person in gold["people"]:
        assert people[person["name"]].titles == person["titles"]
    for item in gold["directives"]:
        start, _end = resolve_span(result.text, item["start"], item["end"])
        directive = next(d for d in result.directives if d.start <= start < d.end)
        if "responsible" in item:
            for unit in item["responsible"]:
                assert unit in directive.responsible, (unit, directive.responsible)
        if "deadline_text" in item:
            assert directive.deadline_text == item["deadline_text"]


def test_it_counts_a_directive_found_when_it_covers_half_the_gold_span() -> None:
    text = "张三强调，要加快推进农村改厕工作，确保年底前完成。会议结束。"
    gold = {
        "people": [],
        "programs": [],
        "directives": [
            {"speaker": "张三", "start": "要加快推进", "end": "年底前完成", "theme": None}
        ],
    }
    result = ingest(text)
    counts = count_report(result, gold)
    assert counts.found_gold == 1


def test_it_reads_titles_roles_and_speech_segments() -> None:
    text = (
        "3月2日，全区乡村振兴推进会在区委党校召开。区委书记王大山出席会议并讲话，"
        "区委副书记、区长李小河主持会议，副区长赵一平通报了去年考核情况。区政协主席钱多多出席会议。\n"
        "王大山强调，要抓好粮食生产，各镇街要在4月底前完成春播任务。\n"
        "李小河要求，区农业农村局要牵头抓好落实，确保今年底前全面完成。"
    )
    result = ingest(text, year=2026)
    roles = {person.name: (person.role, person.titles) for person in result.people}
    assert roles == {
        "王大山": ("speaker", ["区委书记"]),
        "李小河": ("host", ["区委副书记", "区长"]),
        "赵一平": ("reporter", ["副区长"]),
        "钱多多": ("attendee", ["区政协主席"]),
    }
    assert result.meeting.date == dt.date(2026, 3, 2)
    assert result.meeting.place == "区委党校"
    assert [(d.speaker, d.deadline_text) for d in result.directives] == [
        ("王大山", "4月底前"),
        ("李小河", "今年底前"),
    ]
    assert result.directives[0].responsible == ["各镇街"]
    assert result.directives[0].theme == "产业振兴"
    assert result.directives[1].responsible == ["区农业农村局"]


def test_it_finds_programs_with_their_descriptions() -> None:
    text = (
        "会议要求，要深入实施“三大工程”（即产业提升、环境美化、治理创新工程），"
        "统筹产业、人才、文化、生态、组织“五大振兴”，办好15件实事，打好六大攻坚战。"
    )
    programs = {program.name: program.description for program in ingest(text).programs}
    assert programs["三大工程"] == "产业提升、环境美化、治理创新工程"
    assert programs["五大振兴"] == "产业、人才、文化、生态、组织"
    assert programs["15件实事"] is None
    assert programs["六大攻坚战"] is None


def test_it_does_not_take_quotations_for_directives() -> None:
    text = (
        "总书记强调，“要加强和改进党对农村基层工作的全面领导。”\n"
        "一、工作情况\n一是党建引领，切实加强组织保障，全面推进乡村振兴。\n"
        "二、下一步打算\n一是继续坚持党建引领，积极探索以党建促发展的新路径。"
    )
    directives = ingest(text).directives
    assert [d.text for d in directives] == ["一是继续坚持党建引领，积极探索以党建促发展的新路径。"]


def test_it_resolves_dates_only_when_the_year_is_known() -> None:
    text = "4月17日，我市召开乡村振兴专题会议。"
    assert ingest(text).meeting.date is None
    assert ingest(text, year=2020).meeting.date == dt.date(2020, 4, 17)
    assert ingest("2025年4月17日，我市召开乡村振兴专题会议。").meeting.date == dt.date(2025, 4, 17)
    assert ingest("二〇二五年四月十七日，我市召开乡村振兴专题会议。").meeting.date == dt.date(
        2025, 4, 17
    )


def test_it_reads_numbered_demands_and_skips_report_back_sentences() -> None:
    text = (
        "2月20日，江北区召开乡村振兴工作推进会。区委书记何建新出席会议并讲话，"
        "区委常委、宣传部部长沈冰主持会议。\n"
        "何建新在讲话中强调，2026年是开局之年，全区上下要以更高标准推进乡村全面振兴。\n"
        "一要坚决扛牢粮食安全责任。\n二要做优做强乡村产业。\n"
        "他要求，区委农办要牵头建立任务清单，年底前完成考核。\n"
        "沈冰就抓好会议精神落实提出具体要求。"
    )
    result = ingest(text)
    assert [(d.speaker, d.deadline_text) for d in result.directives] == [
        ("何建新", None),
        ("何建新", None),
        ("何建新", None),
        ("何建新", "年底前"),
    ]
    assert result.directives[3].responsible == ["区委农办"]
    assert {p.name: p.titles for p in result.people}["沈冰"] == ["区委常委", "宣传部部长"]


def test_it_skips_role_sentences_and_narrative_after_the_speech() -> None:
    text = (
        "3月5日，全县乡村振兴重点工作推进会召开。县委书记张三同志出席会议并作重要讲话，"
        "县委副书记、县长李四主持会议，省农业农村厅副厅长欧阳晓峰到会指导。"
        "县委常委、组织部部长王五就贯彻落实会议精神作具体部署。\n"
        "张三强调，要加快推进高标准农田建设，县农业农村局牵头，县财政局、县自然资源局配合，"
        "六月底前完成项目招标。\n"
        "会后，与会人员实地观摩了柳河镇高标准农田建设现场，积极推进经验交流。"
    )
    result = ingest(text)
    people = {person.name: (person.role, person.titles) for person in result.people}
    assert people["王五"] == ("reporter", ["县委常委", "组织部部长"])
    assert people["欧阳晓峰"] == ("attendee", ["省农业农村厅副厅长"])
    assert len(result.directives) == 1
    directive = result.directives[0]
    assert directive.speaker == "张三"
    assert directive.responsible == ["县农业农村局", "县财政局", "县自然资源局"]
    assert directive.deadline_text == "六月底前"


def test_it_keeps_org_names_with_he_in_titles_and_shares_roles_in_lists() -> None:
    text = (
        "会议由县委副书记、县长李四主持。县发展和改革局局长钱六、县住房和城乡建设局局长孙七"
        "作表态发言。出席会议的还有县领导赵八。"
    )
    people = {p.name: (p.role, p.titles) for p in ingest(text).people}
    assert people == {
        "李四": ("host", ["县委副书记", "县长"]),
        "钱六": ("reporter", ["县发展和改革局局长"]),
        "孙七": ("reporter", ["县住房和城乡建设局局长"]),
        "赵八": ("attendee", ["县领导"]),
    }


def test_it_takes_demand_headings_in_a_speech_and_skips_lead_ins() -> None:
    text = (
        "3月5日，全县农村工作会议召开。县委书记张三出席会议并讲话。\n"
        "张三在讲话中指出，做好今年工作要把握好以下几点。\n"
        "（一）要坚决扛牢粮食安全责任\n严格落实耕地保护制度，确保完成粮食播种任务。\n"
        "（二）要做优做强乡村产业\n加快建设现代农业产业园，力争年内新增龙头企业5家。"
    )
    directives = ingest(text).directives
    assert [d.text[:8] for d in directives] == [
        "（一）要坚决扛牢",
        "严格落实耕地保护",
        "（二）要做优做强",
        "加快建设现代农业",
    ]
    assert {d.speaker for d in directives} == {"张三"}
    assert directives[3].deadline_text == "年内"

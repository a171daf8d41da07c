"""Directives: one per numbered demand of a sentence, each with the sentence as its source."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hemei.ingest import ingest
from hemei.ingest.evaluate import FIXTURES_DIR, count_report, resolve_span

DEV_DIR = FIXTURES_DIR / "dev"
DEV_PEOPLE = sorted(path.stem for path in DEV_DIR.glob("dev-people-*.json"))


def _dev(name: str) -> tuple[dict[str, Any], Any]:
    """Return the gold annotation and the ingest result of one development report."""
    gold = json.loads((DEV_DIR / f"{name}.json").read_text(encoding="utf-8"))
    result = ingest((FIXTURES_DIR / gold["source"]).read_bytes(), year=gold.get("year"))
    return gold, result


@pytest.mark.parametrize("name", DEV_PEOPLE)
def test_it_reads_each_demand_of_the_development_reports(name: str) -> None:
    gold, result = _dev(name)
    assert len(result.directives) == len(gold["directives"])
    for directive, item in zip(result.directives, gold["directives"], strict=True):
        assert (directive.start, directive.end) == resolve_span(
            result.text, item["start"], item["end"]
        )
        assert directive.speaker == item["speaker"]
        assert directive.responsible == item["responsible"]
        assert directive.deadline_text == item["deadline_text"]
        assert directive.source == item["source"]
    counts = count_report(result, gold)
    assert counts.found_gold == counts.directive_gold == counts.correct_pred


def test_it_splits_numbered_demands_with_their_own_units_deadlines_and_themes() -> None:
    text = (
        "县委书记郑文华出席会议并讲话。\n"
        "郑文华强调，一要稳定粮食生产，各乡镇要在4月底前完成春播面积核查，二要加快农村环境整治，"
        "县住建局牵头推进农村垃圾集中处理，三要强化基层组织建设，确保每个村都有一个坚强有力的党支部。"
    )
    result = ingest(text)
    sentence = text.split("\n")[1]
    assert [
        (d.text[:4], d.speaker, d.theme, d.responsible, d.deadline_text, d.source)
        for d in result.directives
    ] == [
        ("一要稳定", "郑文华", "产业振兴", ["各乡镇"], "4月底前", sentence),
        ("二要加快", "郑文华", "生态振兴", ["县住建局"], None, sentence),
        ("三要强化", "郑文华", "组织振兴", [], None, sentence),
    ]
    for directive in result.directives:
        assert result.text[directive.start : directive.end] == directive.text
    assert result.directives[0].text.endswith("核查")


def test_it_keeps_a_demand_before_the_numbered_ones_and_drops_an_announcement() -> None:
    demand = ingest(
        "张三在讲话中指出，要坚决守住不发生规模性返贫的底线，一要精准识别监测对象，"
        "二要落实各项帮扶措施。"
    ).directives
    assert [d.text for d in demand] == [
        "要坚决守住不发生规模性返贫的底线",
        "一要精准识别监测对象",
        "二要落实各项帮扶措施。",
    ]
    announced = ingest(
        "张三强调，要抓好三件事，一要精准识别监测对象，二要落实各项帮扶措施，三要强化资金保障。"
    ).directives
    assert [d.text[:2] for d in announced] == ["一要", "二要", "三要"]
    alone = ingest(
        "张三强调，要突出抓好三个方面工作。一要精准识别监测对象。二要落实各项帮扶措施。"
    ).directives
    assert [d.text[:2] for d in alone] == ["一要", "二要"]
    colon = ingest(
        "张三强调，要抓好两件大事：一是巩固拓展脱贫成果，各镇要完成排查；二是推进乡村建设。"
    ).directives
    assert [d.text[:2] for d in colon] == ["一是", "二是"]
    assert {d.source for d in colon} == {
        "张三强调，要抓好两件大事：一是巩固拓展脱贫成果，各镇要完成排查；二是推进乡村建设。"
    }


def test_it_splits_only_where_the_demands_are_numbered_in_order() -> None:
    unnumbered = "韩立平要求，各村要立即行动，要落实专人负责，要建立长效机制。"
    assert len(ingest(unnumbered).directives) == 1
    out_of_order = "韩立平要求，一要提高思想认识抓好整治，三要严格督查考核抓好落实。"
    assert len(ingest(out_of_order).directives) == 1
    slogan = "房建军强调，要按照“一要快、二要实”的要求抓好春耕备耕，各镇街要按时完成。"
    assert len(ingest(slogan).directives) == 1
    short_items = "房建军强调，做到一要快，二要实，三要严。"
    assert len(ingest(short_items).directives) == 1


def test_a_directive_of_its_own_sentence_has_that_sentence_as_source() -> None:
    text = "李卫东在讲话中要求，各部门要切实压实责任。"
    (directive,) = ingest(text).directives
    assert directive.text == "各部门要切实压实责任。"
    assert directive.source == text


def test_a_program_says_the_sentence_it_was_read_from() -> None:
    text = (
        "会议指出，今年要推进“五大工程”。\n"
        "会议要求，深入实施“三大工程”（即产业提升、环境美化、治理创新工程），加快推进“五大工程”"
        "（产业、人才、文化、生态、组织）。"
    )
    programs = {p.name: p for p in ingest(text).programs}
    second = text.split("\n")[1]
    assert programs["三大工程"].source == second
    # The first mention has no description; the sentence that describes it is the source.
    assert programs["五大工程"].description == "产业、人才、文化、生态、组织"
    assert programs["五大工程"].source == second


@pytest.mark.parametrize(
    ("sentence", "deadline"),
    [
        ("今年的工作任务重、要求高，各镇要加快推进，到2026年底前全面完成。", "到2026年底"),
        ("要认真总结去年的经验做法，各村在一年一度的评比中要争先，3个月内完成整改。", "3个月内"),
        ("今年以来各地进展不一，有关部门要对照清单逐项落实，确保汛期前完成除险加固。", "汛期前"),
        ("要坚持问题导向，压实工作责任，抓好各项任务落实。", None),
    ],
)
def test_it_finds_a_deadline_anywhere_in_the_sentence(sentence: str, deadline: str | None) -> None:
    (directive,) = ingest("会议要求，" + sentence).directives
    assert directive.deadline_text == deadline


def test_a_cue_that_asks_for_demands_is_dropped_whole() -> None:
    text = "刘晓东就贯彻落实会议精神提出要求，各村要对照任务清单，逐项抓好落实。"
    result = ingest("11月18日，田横镇召开乡村振兴工作会议。镇长刘晓东主持会议。" + text, year=2026)
    assert [d.text for d in result.directives] == ["各村要对照任务清单，逐项抓好落实。"]

"""The meeting rules: page datelines and the year they give, mixed doubled punctuation, the
opening sentence that is no directive, the convener kept in the meeting's name, and the
sentence each meeting field was read from.

The reports under ``fixtures/dev/`` were written for these tests (invented county, city,
township, street and village meetings in the genre of the county news sites).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from hemei.ingest import IngestResult, ingest, normalize
from hemei.ingest.evaluate import FIXTURES_DIR, resolve_span
from hemei.ingest.normalize import find_stamp, repair_punctuation

DEV_DIR = FIXTURES_DIR / "dev"
DEV_REPORTS = tuple(sorted(path.stem for path in DEV_DIR.glob("dev-*.json")))
BODY = "镇党委书记张伟出席会议并讲话。张伟强调，要抓好春耕生产，确保粮食播种面积稳定在3.5万亩以上。"


def _dev(name: str) -> tuple[dict[str, Any], IngestResult]:
    gold: dict[str, Any] = json.loads((DEV_DIR / f"{name}.json").read_text(encoding="utf-8"))
    data = (FIXTURES_DIR / gold["source"]).read_bytes()
    return gold, ingest(data, year=gold.get("year"))


def test_the_dev_reports_are_there() -> None:
    assert len(DEV_REPORTS) >= 6


@pytest.mark.parametrize("name", DEV_REPORTS)
def test_it_reads_each_dev_meeting_and_where_its_year_came_from(name: str) -> None:
    gold, result = _dev(name)
    meeting = result.meeting.to_dict()
    for key in ("name", "date_text", "date", "place", "year_from"):
        assert meeting[key] == gold["meeting"][key], key


@pytest.mark.parametrize("name", DEV_REPORTS)
def test_each_meeting_field_names_the_sentence_it_was_read_from(name: str) -> None:
    _gold, result = _dev(name)
    meeting = result.meeting
    found = {key for key in ("name", "date", "place") if getattr(meeting, key)}
    assert set(meeting.sources) == found
    for sentence in meeting.sources.values():
        assert sentence and sentence in result.text
    assert meeting.date_text and meeting.date_text in meeting.sources["date"]
    assert meeting.name and meeting.name[-6:] in meeting.sources["name"]
    if meeting.place:
        assert meeting.place in meeting.sources["place"]


@pytest.mark.parametrize("name", DEV_REPORTS)
def test_it_removes_the_noise_of_each_dev_report(name: str) -> None:
    gold, result = _dev(name)
    for noise in gold["noise"]:
        assert noise not in result.text, noise
    year_from = result.meeting.year_from
    if year_from and year_from[0].isdigit() and not year_from.endswith("年"):
        assert any(year_from in removed for removed in result.removed)


@pytest.mark.parametrize("name", DEV_REPORTS)
def test_it_finds_the_demands_of_each_dev_report_but_not_its_opening(name: str) -> None:
    gold, result = _dev(name)
    opening = result.meeting.sources["name"]
    start = result.text.find(opening)
    end = start + len(opening)
    assert not [d.text for d in result.directives if d.start < end and d.end > start]
    for item in gold["directives"]:
        gold_start, gold_end = resolve_span(result.text, item["start"], item["end"])
        found = [
            d
            for d in result.directives
            if min(gold_end, d.end) - max(gold_start, d.start) >= (gold_end - gold_start) / 2
        ]
        assert found, item["start"]
        assert found[0].speaker == item["speaker"], item["start"]
    assert len(result.directives) == len(gold["directives"])


# --- Datelines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "written", "day"),
    [
        ("08.03.2016 09:15", "08.03.2016 09:15", dt.date(2016, 3, 8)),
        ("8.3.2016", "8.3.2016", dt.date(2016, 3, 8)),
        ("2016-03-08 09:15", "2016-03-08 09:15", dt.date(2016, 3, 8)),
        ("2016-03-08 09:15:42", "2016-03-08 09:15:42", dt.date(2016, 3, 8)),
        ("2016年03月08日 09:15", "2016年03月08日 09:15", dt.date(2016, 3, 8)),
        ("2016/3/8", "2016/3/8", dt.date(2016, 3, 8)),
        ("2016.03.08", "2016.03.08", dt.date(2016, 3, 8)),
        ("发布时间：2016-03-08 09:15 浏览次数：88", "2016-03-08 09:15", dt.date(2016, 3, 8)),
        ("来源：大岭镇人民政府 时间：2016年3月8日", "2016年3月8日", dt.date(2016, 3, 8)),
    ],
)
def test_it_reads_page_stamps_year_first_or_day_month_year(
    line: str, written: str, day: dt.date
) -> None:
    assert find_stamp(line) == (written, day)


def test_a_stamp_naming_no_day_is_no_stamp() -> None:
    for line in ("31.02.2016", "2016-13-01", "版本v1.2.2016", "共2016人"):
        assert find_stamp(line) is None, line


@pytest.mark.parametrize(
    "dateline",
    [
        "08.03.2016 09:15",
        "2016-03-08 09:15",
        "2016年03月08日 09:15:30",
        "发布时间：2016/3/8",
        "来源：大岭镇人民政府 时间：2016-03-08 09:15",
        "2016-03-08 星期二",
    ],
)
def test_a_dateline_under_the_headline_is_chrome_and_dates_the_meeting(dateline: str) -> None:
    page = f"大岭镇召开乡村振兴工作推进会\n{dateline}\n3月7日，大岭镇召开乡村振兴工作推进会。{BODY}"
    result = ingest(page, year=2026)
    assert dateline not in result.text and dateline in result.removed
    assert result.meeting.date == dt.date(2016, 3, 7)
    written = find_stamp(dateline)
    assert written is not None and result.meeting.year_from == written[0]


def test_a_stamp_after_the_headline_goes_and_the_headline_stays() -> None:
    page = f"大岭镇召开乡村振兴工作推进会 2016-03-08 09:15\n3月7日，大岭镇召开乡村振兴工作推进会。{BODY}"
    normalized = normalize(page)
    assert normalized.text.startswith("大岭镇召开乡村振兴工作推进会\n")
    assert normalized.removed == ["2016-03-08 09:15"]
    assert normalized.dateline == "2016-03-08 09:15"
    assert normalized.dateline_date == dt.date(2016, 3, 8)


def test_a_stamp_at_the_foot_of_the_page_counts_but_not_one_in_related_headlines() -> None:
    body = f"3月7日，大岭镇召开乡村振兴工作推进会。{BODY}" * 3
    assert normalize(f"{body}\n发布日期：2016-03-08").dateline == "2016-03-08"
    related = f"{body}\n相关新闻\n2015-12-01 大岭镇开展森林防火演练\n2015-11-20\n"
    assert normalize(related).dateline is None
    assert ingest(related, year=2026).meeting.year_from == "given"


def test_a_site_header_with_todays_date_is_chrome_but_dates_nothing() -> None:
    page = f"今天是2024年5月6日 星期一\n3月7日，大岭镇召开乡村振兴工作推进会。{BODY}"
    result = ingest(page, year=2016)
    assert "今天是2024年5月6日 星期一" in result.removed
    assert result.meeting.date == dt.date(2016, 3, 7) and result.meeting.year_from == "given"


def test_a_year_written_with_the_date_beats_the_stamp() -> None:
    page = f"08.03.2017 09:15\n2016年3月7日，大岭镇召开乡村振兴工作推进会。{BODY}"
    meeting = ingest(page, year=2026).meeting
    assert meeting.date == dt.date(2016, 3, 7) and meeting.year_from is None


def test_the_stamp_beats_a_year_in_the_name_and_the_callers_year() -> None:
    page = f"2017-01-05 10:00\n1月4日，大岭镇召开2016年度工作总结会。{BODY}"
    meeting = ingest(page, year=2026).meeting
    assert meeting.date == dt.date(2017, 1, 4) and meeting.year_from == "2017-01-05 10:00"


def test_a_year_in_the_name_or_headline_beats_the_callers_year() -> None:
    text = f"3月7日，大岭镇召开2016年乡村振兴工作推进会。{BODY}"
    meeting = ingest(text, year=2026).meeting
    assert meeting.date == dt.date(2016, 3, 7) and meeting.year_from == "2016年"
    headline = f"大岭镇部署2016年春耕生产\n3月7日，大岭镇召开春耕生产推进会。{BODY}"
    assert ingest(headline, year=2026).meeting.year_from == "2016年"


def test_the_latest_plain_year_of_the_convening_sentence_counts_but_not_a_target() -> None:
    text = (
        "3月7日，大岭镇召开春耕生产推进会，总结2015年工作，部署2016年任务，"
        f"到2035年全面振兴。{BODY}"
    )
    meeting = ingest(text, year=2026).meeting
    assert meeting.date == dt.date(2016, 3, 7) and meeting.year_from == "2016年"


def test_the_callers_year_is_the_last_resort() -> None:
    meeting = ingest(f"3月7日，大岭镇召开乡村振兴工作推进会。{BODY}", year=2026).meeting
    assert meeting.date == dt.date(2026, 3, 7) and meeting.year_from == "given"
    meeting = ingest(f"3月7日，大岭镇召开乡村振兴工作推进会。{BODY}").meeting
    assert meeting.date is None and meeting.year_from is None


def test_a_report_published_in_january_about_december_is_the_year_before() -> None:
    page = f"2017-01-03 08:00\n12月30日，大岭镇召开年终工作推进会。{BODY}"
    assert ingest(page, year=2017).meeting.date == dt.date(2016, 12, 30)
    # A notice a few days before the meeting stays in the stamp's year.
    notice = f"2017-03-01 08:00\n3月6日，大岭镇将召开春耕生产推进会。{BODY}"
    assert ingest(notice).meeting.date == dt.date(2017, 3, 6)


def test_a_day_without_month_takes_the_stamps_month_or_the_one_before() -> None:
    page = f"2018-01-09 08:00\n7日上午，大岭镇召开春耕生产推进会。{BODY}"
    assert ingest(page).meeting.date == dt.date(2018, 1, 7)
    page = f"2018-01-05 08:00\n28日上午，大岭镇召开年终工作推进会。{BODY}"
    assert ingest(page).meeting.date == dt.date(2017, 12, 28)


# --- Punctuation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会议要求,，各村", "会议要求，各村"),
        ("会议要求，,各村", "会议要求，各村"),
        ("会议要求 , ，各村", "会议要求，各村"),
        ("会议结束。.会后", "会议结束。会后"),
        ("会议结束.。会后", "会议结束。会后"),
        ("会议结束。 .", "会议结束。"),
        ("会议结束，.会后", "会议结束，会后"),
        ("传达精神;；听取汇报", "传达精神；听取汇报"),
        ("会议指出：:过去一年", "会议指出：过去一年"),
        ("会议指出:：过去一年", "会议指出：过去一年"),
        ("怎么办?？", "怎么办？"),
        ("投入3.5亿元.。", "投入3.5亿元。"),
        ("上午09:15,，会议开始", "上午09:15，会议开始"),
        ("“三农”,，工作", "“三农”，工作"),
    ],
)
def test_it_collapses_mixed_doubled_marks_to_the_chinese_one(text: str, expected: str) -> None:
    assert repair_punctuation(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "投入3.5亿元",
        "时间09:15，地点",
        "增长3.5。",
        "等等...。",
        "第1.，",
        "共1,000户",
        "Hello, world. It is 09:15.",
        "见http://www.example.cn/a?b=1",
    ],
)
def test_it_leaves_decimals_times_and_english_alone(text: str) -> None:
    assert repair_punctuation(text) == text


def test_it_reads_small_and_half_width_chinese_marks() -> None:
    assert (
        normalize("會議要求﹐各村要加快推進﹔確保完成｡").text
        == "会议要求，各村要加快推进；确保完成。"
    )


# --- The opening sentence and narrative -----------------------------------------------------


def test_the_opening_sentence_is_no_directive_but_opens_the_speech() -> None:
    text = (
        "3月7日，青石县召开乡村振兴工作会议，县委书记刘强出席会议并讲话，"
        "强调要把乡村振兴作为头等大事来抓，确保全年任务完成。\n"
        "要加快推进高标准农田建设，县农业农村局要在6月底前完成项目招标。"
    )
    directives = ingest(text).directives
    assert [(d.speaker, d.text[:8]) for d in directives] == [("刘强", "要加快推进高标准")]


def test_a_demand_to_hold_meetings_is_still_a_directive() -> None:
    text = (
        "3月7日，青石县召开乡村振兴工作会议。县委书记刘强出席会议并讲话。\n"
        "刘强强调，各乡镇要定期召开乡村振兴联席会议，确保问题及时解决。"
    )
    directives = ingest(text).directives
    assert [(d.speaker, d.text[:6]) for d in directives] == [("刘强", "各乡镇要定期")]


def test_what_the_meeting_did_is_no_directive() -> None:
    text = (
        "3月7日，青石县召开乡村振兴工作会议。\n会议强调，要坚决守住耕地红线。\n"
        "会议传达学习了省委农村工作会议精神，进一步推动各项工作落实。\n"
        "会议还听取了各乡镇加快推进人居环境整治工作的汇报。\n"
        "会上，与会人员观看了推进农村改厕的专题片。\n"
        "会议审议通过了关于加强农村集体资产管理的实施意见，要求各乡镇要在年底前完成清产核资。"
    )
    texts = [d.text[:8] for d in ingest(text).directives]
    assert texts == ["要坚决守住耕地红", "各乡镇要在年底前"]


# --- The convener in the meeting's name -----------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("3月7日，大岭镇召开2026年乡村振兴工作推进会。", "大岭镇2026年乡村振兴工作推进会"),
        ("3月7日，红旗乡召开农村工作会议。", "红旗乡农村工作会议"),
        ("3月7日，松溪街道召开人居环境整治推进会。", "松溪街道人居环境整治推进会"),
        ("3月7日，东湾村召开村民代表大会。", "东湾村村民代表大会"),
        ("3月7日，青石县召开乡村振兴工作会议。", "青石县乡村振兴工作会议"),
        ("3月7日上午，大岭镇党委召开乡村振兴工作推进会。", "大岭镇乡村振兴工作推进会"),
        ("3月7日，青石县委、县政府召开农村工作会议。", "青石县农村工作会议"),
        ("3月7日，大岭镇在镇政府三楼召开春耕生产推进会。", "大岭镇春耕生产推进会"),
        ("大岭镇于3月7日上午组织召开春耕生产推进会。", "大岭镇春耕生产推进会"),
        ("3月7日，大岭镇乡村振兴工作推进会在镇政府召开。", "大岭镇乡村振兴工作推进会"),
        ("3月7日，青石县召开全县农村工作会议。", "全县农村工作会议"),
        ("3月7日，青石县召开县委农村工作会议。", "县委农村工作会议"),
        ("3月7日，我县召开农村工作会议。", "农村工作会议"),
        ("3月7日，全县农村工作会议召开。", "全县农村工作会议"),
        ("3月7日，镇党委书记张伟主持召开乡村振兴专题会议。", "乡村振兴专题会议"),
    ],
)
def test_the_meeting_name_keeps_the_division_that_convenes_it(sentence: str, name: str) -> None:
    assert ingest(sentence + BODY).meeting.name == name


def test_the_sources_are_the_sentences_of_the_normalized_text() -> None:
    text = (
        "大岭镇召开春耕生产推进会\n3月7日上午,大岭镇春耕生产推进会在镇政府三楼会议室召开。" + BODY
    )
    result = ingest(text, year=2026)
    sentence = "3月7日上午，大岭镇春耕生产推进会在镇政府三楼会议室召开。"
    assert result.meeting.sources == {"name": sentence, "place": sentence, "date": sentence}
    assert result.meeting.to_dict()["sources"]["date"] == sentence


def test_it_reads_the_dev_reports_from_their_own_folder() -> None:
    for name in DEV_REPORTS:
        gold = json.loads((DEV_DIR / f"{name}.json").read_text(encoding="utf-8"))
        assert Path(FIXTURES_DIR / gold["source"]).parent == DEV_DIR

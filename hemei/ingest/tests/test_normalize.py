"""Each normalization step on its own, then the whole pipeline."""

from __future__ import annotations

import codecs

import pytest

from hemei.ingest import IngestError
from hemei.ingest.normalize import (
    clean_whitespace,
    decode_bytes,
    normalize,
    remove_pinyin,
    repair_punctuation,
    strip_chrome,
    to_simplified,
)

SAMPLE = "全县农村工作会议在县委礼堂召开，县委书记出席会议并讲话，要求各镇街加快推进乡村振兴。"
TRADITIONAL = "全縣農村工作會議在縣委禮堂召開，縣委書記出席會議並講話，要求各鎮街加快推進鄉村振興。"


def test_it_decodes_utf8_with_and_without_bom() -> None:
    assert decode_bytes(SAMPLE.encode("utf-8")) == SAMPLE
    assert decode_bytes(codecs.BOM_UTF8 + SAMPLE.encode("utf-8")) == SAMPLE


def test_it_decodes_gbk_and_gb18030() -> None:
    assert decode_bytes(SAMPLE.encode("gbk")) == SAMPLE
    assert decode_bytes(SAMPLE.encode("gb18030")) == SAMPLE


def test_it_decodes_big5() -> None:
    assert decode_bytes(TRADITIONAL.encode("big5")) == TRADITIONAL


def test_it_decodes_utf16_with_bom() -> None:
    assert decode_bytes(SAMPLE.encode("utf-16")) == SAMPLE


def test_it_decodes_each_line_of_mixed_encodings() -> None:
    data = SAMPLE.encode("utf-8") + b"\n" + SAMPLE.encode("gbk")
    assert decode_bytes(data) == SAMPLE + "\n" + SAMPLE


def test_it_refuses_empty_and_binary_bytes() -> None:
    with pytest.raises(IngestError, match="empty"):
        decode_bytes(b"")
    with pytest.raises(IngestError, match="binary"):
        decode_bytes(b"\x00\x01\x02\x03" * 100)


def test_it_cleans_whitespace_and_full_width_digits() -> None:
    assert clean_whitespace("  ２０２６年\u200b  \r\n\n\u3000会议  ") == "2026年\n会议"


def test_it_removes_tone_marked_pinyin() -> None:
    assert remove_pinyin("鄉(xiāng)村振興(zhèn xīng)") == "鄉村振興"
    assert remove_pinyin("農（nóng）村") == "農村"


def test_it_removes_tone_numbered_pinyin() -> None:
    assert remove_pinyin("治(zhi4)理") == "治理"


def test_it_keeps_ordinary_brackets() -> None:
    for text in ("在(2026)年", "办法（试行）", "技术(AI)应用", "编号(mp3)", "来自(cafe)"):
        assert remove_pinyin(text) == text


def test_it_converts_traditional_to_simplified() -> None:
    assert to_simplified(TRADITIONAL) == SAMPLE
    assert to_simplified("著力抓好，成效顯著") == "着力抓好，成效显著"


def test_it_makes_punctuation_full_width_in_chinese_text() -> None:
    text = "4月17日,我市召开会议;会议要求:各镇街?必须!落实(试行)"
    assert repair_punctuation(text) == "4月17日，我市召开会议；会议要求：各镇街？必须！落实（试行）"


def test_it_collapses_doubled_marks() -> None:
    assert repair_punctuation("支持,,助推") == "支持，助推"
    assert repair_punctuation("产业，、人才。。") == "产业，人才。"


def test_it_keeps_ascii_punctuation_in_numbers_and_urls() -> None:
    text = "共1,000户,增长3.5%,见http://www.example.cn/a?b=1,时间10:30"
    assert (
        repair_punctuation(text) == "共1,000户，增长3.5%，见http://www.example.cn/a?b=1，时间10:30"
    )


def test_it_strips_page_chrome_and_keeps_the_article() -> None:
    body = "会议指出，要加快推进乡村振兴，各镇街要在年底前完成任务。" * 5
    page = "\n".join(
        [
            "首页 > 新闻中心",
            "县召开乡村振兴会议",
            "发布时间：2026-03-01 来源：县融媒体中心",
            body,
            "阅读量：1024",
            "分享到：微信 微博",
            "扫一扫在手机打开当前页",
            "上一篇：县领导调研春耕",
            "某地开展植树活动",
            "某县举办丰收节",
            "某镇召开党员大会",
            "版权所有 © 某县人民政府",
        ]
    )
    result = strip_chrome(page)
    assert result.text == "县召开乡村振兴会议\n" + body
    assert "阅读量：1024" in result.removed
    assert "某县举办丰收节" in result.removed


def test_it_keeps_bylines_as_credits() -> None:
    body = "会议要求，各镇街要加快推进乡村振兴工作，确保年底前完成。" * 8
    result = strip_chrome(body + "\n（记者 王小明 通讯员 李华）\n责任编辑：张三")
    assert result.text == body
    assert [(credit.name, credit.role, credit.title) for credit in result.credits] == [
        ("王小明", "journalist", "记者"),
        ("李华", "journalist", "通讯员"),
        ("张三", "editor", "责任编辑"),
    ]


def test_it_runs_the_whole_pipeline() -> None:
    data = "鄉(xiāng)村振興工作會議召開,要求各鎮街加快推進。\n閱讀量:100".encode()
    result = normalize(data)
    assert result.text == "乡村振兴工作会议召开，要求各镇街加快推进。"
    assert result.removed == ["阅读量：100"]


def test_it_refuses_text_without_content() -> None:
    with pytest.raises(IngestError):
        normalize("   \n\u200b\n")

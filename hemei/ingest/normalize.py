"""Turn a scraped meeting report (bytes or str) into clean Simplified Chinese text.

The steps run in this order, each usable on its own:

1. :func:`decode_bytes` — UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5,
   line by line so that a file mixing encodings still reads.
2. :func:`clean_whitespace` — zero-width characters, full-width letters and digits, blank lines.
3. :func:`remove_pinyin` — ``農(nóng)村`` → ``農村``; ordinary brackets such as ``(2026)`` stay.
4. :func:`to_simplified` — OpenCC ``t2s``.
5. :func:`repair_punctuation` — ASCII punctuation inside Chinese text becomes full-width, doubled
   marks collapse (mixed ones too: ``,，`` ``。.`` ``;；`` ``：:``); numbers, times, latin words
   and URLs keep theirs.
6. :func:`strip_chrome` — copyright notices, read counts, share prompts, lists of unrelated
   headlines, navigation, the page's date stamp. Bylines (记者, 编辑) are removed from the text
   too, but kept as :class:`Credit` records because the extractor needs them; the page's stamp
   is kept in :attr:`NormalizedText.dateline` because it dates the meeting (:func:`find_stamp`
   reads ``08.03.2016`` as day.month.year, the year-first forms as year-month-day).
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from hemei.ingest.errors import IngestError

__all__ = [
    "Credit",
    "NormalizedText",
    "clean_whitespace",
    "decode_bytes",
    "find_stamp",
    "normalize",
    "remove_pinyin",
    "repair_punctuation",
    "strip_chrome",
    "to_simplified",
]

# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

# About 600 of the most frequent characters in Chinese news text (Simplified). Their Traditional
# forms are added at first use via OpenCC, so the set scores both GB and Big5 decodes.
_COMMON_SIMPLIFIED = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
    "计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研队院市县镇乡村街道委书记省会"
    "议召讲话持席参领导作风建设振兴产业农业农村工作推进落实全面深化改革发展坚持加强提升推动实施开"
    "展抓好强化完善健全深入持续确保责任部门单位主要负责同志干部群众服务管理经济社会文化生态环境组"
    "织人才治理保障基层党员支部宣传教育安全稳定城乡融合规划项目建设资金投入重点任务目标要求精神贯"
    "彻战略措施机制体系能力水平质量效益特色优势品牌市场企业合作创新科技示范带动增收致富脱贫攻坚巩"
    "固成果帮扶美丽宜居和谐文明乡风移风易俗污水垃圾厕所道路交通饮水安全住房医疗卫生养老就业收入集"
    "体资产土地承包宅基地流转耕地粮食种植养殖蔬菜水果旅游电商物流网络信息数字平台记者编辑报道新闻"
    "网站发布时间来源版权阅读分享微信扫码今明昨周星期上午下午晚月份年度季度底前后期间结合围绕聚焦"
    "突出注重着力努力积极主动切实扎实认真严格加快统筹协调配合督查考核评价通报排名问题短板弱项困难"
    "挑战形势政策标准制度法规定办法方案计划行动工程专项活动会议传达学习研讨交流汇报总结部署安排领"
    "域层次方面方式方法途径渠道路径模式格局局面态势趋势效果成效成绩经验做法亮点典型先进优秀模范带"
    "头示范引领支持帮助关心关注重视高度思想认识观念意识理念作用地位意义价值目的原则方向基础条件环"
    "节过程阶段步骤程序手段工具设施设备用地用水用电供电供水供气供暖通信广播电视互联网手机电话短信"
)

_COMMON_CACHE: dict[str, frozenset[str]] = {}

_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _common_chars() -> frozenset[str]:
    """Return common Simplified characters plus their Traditional forms (built once)."""
    cached = _COMMON_CACHE.get("all")
    if cached is None:
        traditional = _converter("s2t").convert(_COMMON_SIMPLIFIED)
        cached = frozenset(_COMMON_SIMPLIFIED) | frozenset(traditional)
        _COMMON_CACHE["all"] = cached
    return cached


def _is_cjk(char: str) -> bool:
    """Tell whether ``char`` is a CJK unified ideograph (basic block or extension A)."""
    if len(char) != 1:
        return False
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF


def _score_decode(text: str) -> float:
    """Score a candidate decoding: share of common characters among CJK, minus garbage."""
    common = _common_chars()
    cjk = 0
    hits = 0
    bad = 0
    for char in text:
        if char == "\ufffd":
            bad += 1
        elif _is_cjk(char):
            cjk += 1
            if char in common:
                hits += 1
        elif 0xE000 <= ord(char) <= 0xF8FF or ord(char) >= 0x10000:
            bad += 1
    total = cjk + bad
    if total == 0:
        return 0.0
    return (hits - 2 * bad) / total


def _looks_binary(data: bytes) -> bool:
    """Tell whether ``data`` looks like a binary file rather than text."""
    sample = data[:65536]
    if not sample:
        return False
    if sample.count(b"\x00") > max(1, len(sample) // 100):
        return True
    controls = len(_BINARY_CONTROL.findall(sample))
    return controls > max(2, len(sample) // 20)


def _choose_legacy_encoding(data: bytes) -> str:
    """Pick GB18030 or Big5 (cp950) for bytes that are not UTF-8, by common-character share."""
    lines = [line for line in data.split(b"\n") if any(byte >= 0x80 for byte in line)]
    sample = b"\n".join(lines)[:200_000]
    best, best_score = "gb18030", float("-inf")
    for encoding in ("gb18030", "cp950"):
        score = _score_decode(sample.decode(encoding, errors="replace"))
        if score > best_score:
            best, best_score = encoding, score
    return best


def decode_bytes(data: bytes) -> str:
    """Decode report bytes of any common Chinese encoding into a str.

    Strict UTF-8 is tried first (BOM or not); otherwise GB18030 and Big5 are both tried and the
    one whose result holds the larger share of common CJK characters wins. Lines that are valid
    UTF-8 stay UTF-8, so files concatenated from several encodings still read. Raises
    :class:`IngestError` for empty or binary input.
    """
    if not data:
        raise IngestError("The input is empty.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        codecs.BOM_UTF8
    ):
        return data.decode("utf-16", errors="replace")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        if not data:
            raise IngestError("The input is empty.")
    if _looks_binary(data):
        raise IngestError("The input looks like a binary file, not text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    legacy = _choose_legacy_encoding(data)
    parts: list[str] = []
    for line in data.split(b"\n"):
        try:
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(line.decode(legacy, errors="replace"))
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# Whitespace and width
# --------------------------------------------------------------------------------------------

_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_WIDTH_TABLE.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_WIDTH_TABLE.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_WIDTH_TABLE.update(
    {
        0x200B: None,
        0x200C: None,
        0x200D: None,
        0x2060: None,
        0xFEFF: None,
        0x00A0: 0x20,
        0x3000: 0x20,
        0x2002: 0x20,
        0x2003: 0x20,
        0x2009: 0x20,
        0x0D: None,
        0x09: 0x20,
        0xFF5C: ord("|"),
        # Small and half-width forms of Chinese marks (Big5 pages use the small ones).
        0xFE50: ord("，"),
        0xFE51: ord("、"),
        0xFE54: ord("；"),
        0xFE55: ord("："),
        0xFE56: ord("？"),
        0xFE57: ord("！"),
        0xFF61: ord("。"),
        0xFF64: ord("、"),
    }
)
# The characters the table changes. Report text holds few of them, so replacing each found
# is much faster than ``str.translate`` over the whole page (a dict lookup per character).
_WIDTH_CHARS = re.compile("[" + re.escape("".join(map(chr, _WIDTH_TABLE))) + "]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_SPACE_RUN = re.compile(r" {2,}")


def _width_char(match: re.Match[str]) -> str:
    """Return what :data:`_WIDTH_TABLE` makes of one character."""
    code = _WIDTH_TABLE[ord(match.group(0))]
    return "" if code is None else chr(code)


def _narrow(text: str) -> str:
    """Apply :data:`_WIDTH_TABLE`: by replacement when the characters are few, else translate."""
    found = _WIDTH_CHARS.findall(text)
    if not found:
        return text
    if len(found) * 50 > len(text):
        return text.translate(_WIDTH_TABLE)
    return _WIDTH_CHARS.sub(_width_char, text)


def clean_whitespace(text: str) -> str:
    """Drop control and zero-width characters, narrow full-width letters/digits, trim lines.

    Lone surrogates (possible in a str built from broken data) become U+FFFD.
    """
    text = _CONTROL_CHARS.sub("", _narrow(text))
    text = _SURROGATES.sub("\ufffd", text)
    lines = (_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------------------------
# Pinyin annotations
# --------------------------------------------------------------------------------------------

_TONE_MARKS = {
    **dict.fromkeys("āáǎà", "a"),
    **dict.fromkeys("ēéěè", "e"),
    **dict.fromkeys("īíǐì", "i"),
    **dict.fromkeys("ōóǒò", "o"),
    **dict.fromkeys("ūúǔù", "u"),
    **dict.fromkeys("ǖǘǚǜü", "v"),
    **dict.fromkeys("ńňǹ", "n"),
    "ḿ": "m",
}
_PINYIN_LETTERS = "a-zA-Z" + "".join(_TONE_MARKS)
# Starts with a bracket (or a space and a bracket), never with an optional item: a pattern
# whose first character is fixed is scanned for much faster.
_PINYIN_BRACKET = re.compile(rf"(?:[(（]| [(（])[ ]?([{_PINYIN_LETTERS}1-5' ]{{1,40}})[ ]?[)）]")
_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn"
    r"|ia|ie|iu|ua|uo|ui|ue|ve|er|a|o|e|i|u|v)"
)
_TONE_MARKED_WORD = re.compile(rf"^(?:{_SYLLABLE})+$")
_TONE_NUMBERED_WORD = re.compile(rf"^(?:{_SYLLABLE}[1-5])+$")


@lru_cache(maxsize=8192)
def _is_pinyin(content: str) -> bool:
    """Tell whether bracket content is tone-marked or tone-numbered Hanyu Pinyin."""
    words = [word for word in re.split(r"[ ']+", content.strip().lower()) if word]
    if not words:
        return False
    for word in words:
        has_mark = any(char in _TONE_MARKS for char in word)
        base = "".join(_TONE_MARKS.get(char, char) for char in word)
        if any(char.isdigit() for char in base):
            if not _TONE_NUMBERED_WORD.match(base):
                return False
        elif not has_mark or not _TONE_MARKED_WORD.match(base):
            return False
    return True


def remove_pinyin(text: str) -> str:
    """Remove pinyin readings in brackets after Chinese characters: ``農(nóng)村`` → ``農村``.

    Only tone-marked (``nóng``) or tone-numbered (``nong2``) syllables directly after a CJK
    character are removed; ``(2026)``, ``（试行）`` or ``(AI)`` stay.
    """

    def replace(match: re.Match[str]) -> str:
        start = match.start()
        if start == 0 or not _is_cjk(text[start - 1]):
            return match.group(0)
        return "" if _is_pinyin(match.group(1)) else match.group(0)

    if "(" not in text and "（" not in text:
        return text
    return _PINYIN_BRACKET.sub(replace, text)


# --------------------------------------------------------------------------------------------
# Traditional → Simplified
# --------------------------------------------------------------------------------------------

_CONVERTERS: dict[str, Any] = {}
_CONVERTER_LOCK = threading.Lock()


def _converter(config: str) -> Any:
    """Return the OpenCC converter for ``config``, created once per process."""
    converter = _CONVERTERS.get(config)
    if converter is None:
        with _CONVERTER_LOCK:
            converter = _CONVERTERS.get(config)
            if converter is None:
                import opencc

                converter = opencc.OpenCC(config)
                _CONVERTERS[config] = converter
    return converter


# OpenCC keeps 著 (valid in Simplified as in 著作), but in these words Simplified writes 着.
_ZHE_WORDS = re.compile(r"著(?=力|眼|手|重|落|陆)|(?<=[随意味沿有带绕朝向接本顺围紧])著")


def to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified with OpenCC ``t2s`` (著力 → 着力 too)."""
    if not text:
        return text
    converted = str(_converter("t2s").convert(text))
    return _ZHE_WORDS.sub("着", converted) if "著" in converted else converted


# --------------------------------------------------------------------------------------------
# Punctuation
# --------------------------------------------------------------------------------------------

_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_CHINESE_PUNCT = "，。、；：？！“”‘’（）《》【】…—"
_CHINESE_MARKS = frozenset(_CHINESE_PUNCT)
# An ASCII mark with the spaces around it; it becomes full-width when it touches Chinese text
# on either side ("1,000" or "a?b=1" touch neither). The side is checked in Python: a regex
# lookbehind tried at every character is several times slower on long pages.
_ASCII_MARK = re.compile(r"(?:[,;:?!]| +[,;:?!]) *")
_PAREN_PAIR = re.compile(r"\(([^()\n]{0,200})\)")
# Doubled marks, and an ASCII period beside a Chinese one ("。." ".。" "，."), but not a
# decimal point ("3.5。") nor an ASCII ellipsis ("...。"); the period before a mark is checked
# in _collapse_marks (every pattern here starts with a character set, which keeps it fast).
_MARK_RUN = re.compile(
    r"[.．] *[，、；：。！？](?: *(?:[，、；：。！？]|[.．](?![.．\d])))*"
    r"|[，、；：。！？](?: *(?:[，、；：。！？]|[.．](?![.．\d])))+"
)
_MARK_RANK = {"、": 0, "，": 1, "：": 2, "；": 3, "。": 4, "！": 4, "？": 4}
_SPACES = re.compile(" +")
_SPACE_BESIDE = frozenset("，。、；：？！）】》”（【《“")


def _is_chinese_context(char: str) -> bool:
    """Tell whether ``char`` is a CJK ideograph or a Chinese punctuation mark."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or char in _CHINESE_MARKS


def _convert_mark(match: re.Match[str]) -> str:
    """Return the full-width form of the ASCII mark in ``match`` when it touches Chinese."""
    text = match.string
    start, end = match.span()
    if (start and _is_chinese_context(text[start - 1])) or (
        end < len(text) and _is_chinese_context(text[end])
    ):
        return _FULL_WIDTH[match.group(0).strip(" ")]
    return match.group(0)


def _convert_parens(match: re.Match[str]) -> str:
    """Make ``(...)`` full-width when it holds or follows Chinese text."""
    content = match.group(1)
    start = match.start()
    before = match.string[start - 1] if start > 0 else ""
    if _is_cjk(before) or any(_is_cjk(char) for char in content):
        return f"（{content.strip()}）"
    return match.group(0)


def _collapse_marks(match: re.Match[str]) -> str:
    """Keep the strongest of a run of doubled marks (``，，`` → ``，``, ``，、`` → ``，``); an
    ASCII period beside a Chinese mark gives way to it (``。.`` → ``。``, ``，.`` → ``，``)."""
    run = match.group(0)
    start = match.start()
    keep = ""
    if run[0] in ".．" and start and match.string[start - 1] in "0123456789.．":
        keep = run[0]  # "第1.，" or "...。": the period is not a doubled mark
    marks = [char for char in run if char not in " .．"]
    return keep + max(marks, key=lambda mark: _MARK_RANK[mark])


def _drop_space(match: re.Match[str]) -> str:
    """Remove spaces beside a full-width mark (``会议 ， 要求`` → ``会议，要求``)."""
    text = match.string
    start, end = match.span()
    if (start and text[start - 1] in _SPACE_BESIDE) or (
        end < len(text) and text[end] in _SPACE_BESIDE
    ):
        return ""
    return match.group(0)


def repair_punctuation(text: str) -> str:
    """Use full-width punctuation inside Chinese text and remove doubled marks.

    ``4月17日,我市`` → ``4月17日，我市``; ``支持,,助推`` → ``支持，助推``; an ASCII mark doubling a
    Chinese one goes: ``,，``/``，,`` → ``，``, ``。.``/``.。`` → ``。``, ``;；`` → ``；``,
    ``：:`` → ``：``. ``1,000``, ``3.5``, ``3.5亿``, ``10:30``, ``09:15``, English sentences and
    ``http://x.cn/a?b=1`` are left alone.
    """
    text = _ASCII_MARK.sub(_convert_mark, text)
    text = _PAREN_PAIR.sub(_convert_parens, text)
    if " " in text:
        text = _SPACES.sub(_drop_space, text)
    return _MARK_RUN.sub(_collapse_marks, text)


# --------------------------------------------------------------------------------------------
# Page chrome
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credit:
    """A byline entry: a journalist or an editor named outside the article body."""

    name: str
    role: str
    title: str = ""


_CREDIT_ROLES = {
    "记者": "journalist",
    "通讯员": "journalist",
    "作者": "journalist",
    "撰稿": "journalist",
    "文": "journalist",
    "摄影": "journalist",
    "责任编辑": "editor",
    "编辑": "editor",
    "责编": "editor",
    "主编": "editor",
    "审核": "editor",
    "校对": "editor",
    "审校": "editor",
    "编审": "editor",
    "初审": "editor",
    "复审": "editor",
    "终审": "editor",
}
_CREDIT_KEYS = "|".join(sorted(_CREDIT_ROLES, key=len, reverse=True))
_CREDIT_LINE = re.compile(
    rf"^[（(【\[]?(?:本报|本台|本网|融媒体)?(?:{_CREDIT_KEYS})(?: *[|/:：] *| +)[\u4e00-\u9fff]"
)
_CREDIT_PART = re.compile(
    rf"(?:本报|本台|本网|融媒体)?({_CREDIT_KEYS})(?: *[|/:：] *| +)"
    rf"((?:(?!{_CREDIT_KEYS})[\u4e00-\u9fff·]{{2,4}}(?:[ 、，,]+|$|(?=[)）】\]])))+)"
)

_CHROME_ANYWHERE = re.compile(
    r"版权所有|版权归|[Cc]opyright|©|ICP[备证]|公网安备|免责声明|版权声明|转载请注明|未经.{0,12}授权"
    r"|不得转载|本网(?:注明|授权|转载|发布)|本站(?:注明|转载)"
)
_CHROME_SHORT = re.compile(
    r"阅读量|阅读数|阅读 ?[：:] ?\d|阅读 ?\d|浏览次数|浏览量|浏览 ?[：:] ?\d|点击数"
    r"|点击量|访问量|下载量|收藏 ?[：:] ?\d|点赞|在看|分享到|^分享 ?[：:]?$|扫一扫"
    r"|扫码|二维码|订阅号|公众号|联系客服|长按识别|上一篇|下一篇|返回顶部|返回首页"
    r"|关闭窗口|打印本页|【打印】|\[打印\]|字号|【 ?大 ?中 ?小 ?】|推荐阅读|相关阅读"
    r"|相关新闻|相关文章|文章排行|热门文章|热点推荐|猜你喜欢|延伸阅读|精彩推荐"
    r"|热门推荐|往期回顾|排行榜|^来源 ?[：:]|^发布时间|^发布日期|^时间 ?[：:]"
    r"|^日期 ?[：:]|首页 ?[>＞»]|当前位置|您的位置|^投诉$|^[【\[]?纠错[】\]]?$|出品$"
    r"|^编辑部$|^[\d.、 ]*(?:微信|微博|抖音)"
    r"|^(?:分享|打印|收藏|关闭|评论|举报|返回)"
    r"(?: *[|｜/] *(?:分享|打印|收藏|关闭|评论|举报|返回))*$"
)
_SITE_FOOTER = re.compile(
    r"网站地图|联系我们|关于我们|无障碍|适老化|主办单位|承办单位|技术支持|网站标识码|备案号|政府网站找错"
    r"|^主办 ?[：:]|^承办 ?[：:]|手机版|^English$|^繁體|^简体"
)
# A menu: four or more short link texts separated by spaces or bars, no punctuation.
_MENU = re.compile(r"^(?:[^\s，。；：！？、]{1,8}[ |｜/·]+){3,}[^\s，。；：！？、]{1,8}$")
_DATE_ONLY = re.compile(
    r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?: *\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?(?: *[|｜].*)?$"
)
# A page's date stamp: 2016-03-08, 2016/3/8, 2016.03.08, 2016年03月08日 (year first), or the
# European 08.03.2016 (day.month.year), with an optional time 09:15 or 09:15:30.
_STAMP = re.compile(
    r"(?<![\d.A-Za-z])(?:((?:19|20)\d{2})([-/.])(\d{1,2})\2(\d{1,2})"
    r"|((?:19|20)\d{2}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日"
    r"|(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2}))(?![\d])"
    r"(?:[ T]*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?!\d))?"
)
# What may stand beside a stamp on a dateline: labels with their short value, weekdays, bars.
_DATELINE_LABELS = re.compile(
    r"(?:发布时间|发布日期|发表时间|更新时间|发文日期|成文日期|时间|日期|信息来源|文章来源|来源|稿源"
    r"|作者|浏览次数|浏览|点击数|点击|阅读数|阅读|访问量|字号)[ ]?[：:][ ]?[^ |｜]{0,24}"
    r"|星期[一二三四五六日天]|周[一二三四五六日天](?![\u4e00-\u9fff])|^(?:今天是|今日是|今天|今日)[：:]?"
    r"|[ |｜/·【】\[\]]"
)
# A site header showing the reader's day ("今天是2024年5月6日 星期一") is chrome but does not
# date the article.
_TODAY = re.compile(r"^[【\[ ]*(?:今天是|今日是|今天|今日)")
_DATELINE_MAX = 100


def _stamp_date(match: re.Match[str]) -> dt.date | None:
    """Return the day a :data:`_STAMP` match names, ``None`` when it is no real date."""
    groups = match.groups()
    if groups[0]:
        year, month, day = groups[0], groups[2], groups[3]
    elif groups[4]:
        year, month, day = groups[4], groups[5], groups[6]
    else:
        day, month, year = groups[7], groups[8], groups[9]
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_stamp(line: str) -> tuple[str, dt.date] | None:
    """Return the first page date stamp in ``line``, as written, with the day it names.

    ``2016-03-08 09:15``, ``2016/3/8``, ``2016.03.08`` and ``2016年03月08日 09:15`` are read
    year-month-day. ``08.03.2016 09:15`` — year last, with dots — is read **day.month.year**,
    the European stamp some site templates print (never month.day.year). A stamp naming no
    real day (``2016-13-40``) is no stamp.
    """
    for match in _STAMP.finditer(line):
        day = _stamp_date(match)
        if day is not None:
            return match.group(0).strip(), day
    return None


_HAS_YEAR = re.compile(r"(?:19|20)\d\d")


def _is_dateline(line: str) -> bool:
    """Tell whether a line is only a page stamp with its labels (发布时间：…, 来源：… 时间：…)."""
    if len(line) > _DATELINE_MAX or not _HAS_YEAR.search(line) or find_stamp(line) is None:
        return False
    return not _DATELINE_LABELS.sub("", _STAMP.sub("", line)).strip()


_TAIL_MARKER = re.compile(
    r"版权与免责声明|免责声明|推荐阅读|相关阅读|相关新闻|相关文章|文章排行|热门文章|热门推荐|猜你喜欢"
    r"|延伸阅读|精彩推荐|热点推荐|更多阅读|往期回顾|上一篇|下一篇"
)
_SENTENCE_END = re.compile(r"[。！？]")
_ENUMERATED = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|第[一二三四五六七八九十]+)"
)
_SHORT_LINE = 40
_HEADLINE_MAX = 90
_BODY_START_CHARS = 150


@dataclass
class NormalizedText:
    """The article text after normalization, what was cut away, and the bylines found.

    ``dateline`` is the page's own date stamp as written (``08.03.2016 09:15``), removed from
    the text like other chrome, and ``dateline_date`` the day it names; the extractor uses it
    to date a meeting written ``3月7日``.
    """

    text: str
    removed: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    dateline: str | None = None
    dateline_date: dt.date | None = None


def _parse_credits(line: str) -> list[Credit]:
    """Return the journalists/editors named on one byline line."""
    found: list[Credit] = []
    for match in _CREDIT_PART.finditer(line):
        role = _CREDIT_ROLES[match.group(1)]
        for name in re.split(r"[ 、，,]+", match.group(2)):
            name = name.strip()
            if 2 <= len(name) <= 4 and name not in _CREDIT_ROLES:
                found.append(Credit(name=name, role=role, title=match.group(1)))
    return found


def _is_chrome_line(line: str) -> bool:
    """Tell whether a single line is page chrome by its own content."""
    if _CHROME_ANYWHERE.search(line):
        return True
    if len(line) <= _SHORT_LINE * 2 and (
        _CHROME_SHORT.search(line) or _SITE_FOOTER.search(line) or _MENU.match(line)
    ):
        return True
    return bool(_DATE_ONLY.match(line)) or _is_dateline(line)


def _trailing_stamp(line: str) -> str | None:
    """Return a stamp written at the end of a headline after a space (``…推进会 2016-03-08``)."""
    if len(line) > _DATELINE_MAX or not (line[-1:].isdigit() or line.endswith("日")):
        return None
    for match in _STAMP.finditer(line):
        if (
            match.end() == len(line)
            and match.start() > 0
            and line[match.start() - 1] == " "
            and _stamp_date(match)
        ):
            return match.group(0)
    return None


def _is_body_paragraph(line: str) -> bool:
    """Tell whether a line is a real article paragraph (ends a chrome tail, e.g. a 2nd article)."""
    return len(line) >= 60 and line.count("。") >= 2 and not _is_chrome_line(line)


def _is_headline_like(line: str) -> bool:
    """Tell whether a line reads like a link title: short and without sentence ends."""
    return (
        len(line) <= _HEADLINE_MAX
        and not _SENTENCE_END.search(line)
        and not _ENUMERATED.match(line)
        and not line.endswith(("：", ":"))
    )


def strip_chrome(text: str) -> NormalizedText:
    """Split normalized text into the article and the page chrome around it.

    Works line by line: lines that are chrome on their own (copyright, read counts, share and
    QR prompts, navigation, source and date lines), everything after a tail marker such as
    推荐阅读 or 免责声明 once the article has begun, and runs of three or more headline-like lines
    after the article body (lists of unrelated headlines). Byline lines are removed as well,
    their names kept in ``credits``.

    The page's date stamp (``发布时间：2016-03-08 09:15``, ``08.03.2016``, a stamp after the
    headline) is chrome too; the first one — on a dateline anywhere before a tail, or on any
    chrome line before the body — is kept in ``dateline``/``dateline_date``.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    keep = [True] * len(lines)
    credits: list[Credit] = []
    body_chars = 0
    tail_from: int | None = None
    stamp: tuple[str, dt.date] | None = None
    cut: dict[int, str] = {}
    for index, line in enumerate(lines):
        if tail_from is not None:
            if _is_body_paragraph(line):
                tail_from = None
            else:
                keep[index] = False
                continue
        if len(line) <= _SHORT_LINE * 2 and _CREDIT_LINE.match(line):
            credits.extend(_parse_credits(line))
            keep[index] = False
            continue
        if body_chars < _BODY_START_CHARS and not _SENTENCE_END.search(line):
            trailing = _trailing_stamp(line)
            if trailing is not None:
                # A headline with the page's stamp after it: the stamp goes, the headline stays.
                lines[index] = line = line[: -len(trailing)].rstrip()
                cut[index] = trailing
                stamp = stamp or find_stamp(trailing)
        if _is_chrome_line(line):
            keep[index] = False
            # The page's stamp: a dateline anywhere, or any chrome line before the body.
            if (
                stamp is None
                and len(line) <= _DATELINE_MAX
                and (body_chars < _BODY_START_CHARS or _is_dateline(line))
                and not _TODAY.match(line)
            ):
                stamp = find_stamp(line)
            if len(line) <= _SHORT_LINE and not _CHROME_ANYWHERE.search(line):
                credits.extend(_parse_credits(line))
            if (
                body_chars >= _BODY_START_CHARS
                and len(line) <= _SHORT_LINE
                and (_TAIL_MARKER.search(line))
            ):
                tail_from = index
            continue
        if _SENTENCE_END.search(line):
            body_chars += len(line)
    _drop_headline_runs(lines, keep)
    kept = [line for line, flag in zip(lines, keep, strict=True) if flag]
    removed: list[str] = []
    for index, (line, flag) in enumerate(zip(lines, keep, strict=True)):
        if index in cut:
            removed.append(cut[index])
        if not flag:
            removed.append(line)
    return NormalizedText(
        text="\n".join(kept),
        removed=removed,
        credits=credits,
        dateline=stamp[0] if stamp else None,
        dateline_date=stamp[1] if stamp else None,
    )


def _drop_headline_runs(lines: list[str], keep: list[bool]) -> None:
    """Mark runs of >= 3 headline-like lines after the article body as chrome (in place).

    Before the body only runs of very short lines (navigation menus) are dropped, so that a
    title and subtitle stay.
    """
    seen_body = 0
    run: list[int] = []

    def flush() -> None:
        if len(run) >= 3:
            for position in run:
                keep[position] = False
        run.clear()

    for index, line in enumerate(lines):
        if not keep[index]:
            continue
        body_started = seen_body >= _BODY_START_CHARS
        if body_started and _is_headline_like(line):
            run.append(index)
            continue
        if not body_started and len(line) <= 12 and not _SENTENCE_END.search(line):
            run.append(index)
            continue
        flush()
        if _SENTENCE_END.search(line):
            seen_body += len(line)
    flush()


# --------------------------------------------------------------------------------------------
# The whole pipeline
# --------------------------------------------------------------------------------------------


MAX_CHARS = 50_000_000


def normalize(data: bytes | str) -> NormalizedText:
    """Run every step on ``data`` and return the article text with what was removed.

    Raises :class:`IngestError` for empty, binary or undecodable input.
    """
    if isinstance(data, bytes | bytearray | memoryview):
        text = decode_bytes(bytes(data))
    elif isinstance(data, str):
        text = data
    else:
        raise IngestError(f"Expected bytes or str, got {type(data).__name__}.")
    if len(text) > MAX_CHARS:
        raise IngestError("The input is too large (more than 50 million characters).")
    text = clean_whitespace(text)
    if not text:
        raise IngestError("The input holds no text.")
    if text.count("\ufffd") > max(8, len(text) // 4):
        raise IngestError("The input could not be decoded as text in a known encoding.")
    text = remove_pinyin(text)
    text = to_simplified(text)
    text = repair_punctuation(text)
    return strip_chrome(text)

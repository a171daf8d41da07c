"""Find the meeting, people, programs and directives in a normalized meeting report.

The genre (county and city rural work meeting reports) is very regular, so the rules are
sentence patterns over the text plus small lexicons:

* people are written ``<titles><name>`` (``区委副书记、区长吕涛``) or ``<name>指出/强调``; names
  are a known surname plus one or two characters, checked against jieba's dictionary;
* a person's role comes from the verb in the clause after the name (讲话, 主持, 出席, 传达 …);
* a speech segment opens with ``<name>指出/强调/要求``, ``他要求`` or ``会议强调`` and lasts until
  another segment or a meeting-description sentence;
* a directive is a sentence (or 一是/二是 item) with a demand marker (要, 必须, 确保, 着力 …)
  inside a speech segment or a 下一步 section.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from hemei.ingest.models import ROLE_RANK, Directive, Meeting, Person, Program, Role
from hemei.ingest.normalize import Credit, find_stamp

__all__ = [
    "Sentence",
    "extract_directives",
    "extract_meeting",
    "extract_people",
    "extract_programs",
    "split_sentences",
]

# --------------------------------------------------------------------------------------------
# jieba, initialised once and quietly
# --------------------------------------------------------------------------------------------

_JIEBA_LOCK = threading.Lock()
_JIEBA_READY = False


def _words(text: str) -> tuple[str, ...]:
    """Return the space-separated words of a lexicon string."""
    return tuple(text.split())


_POSITIONS = _words(
    "党组书记 党委书记 第一书记 副书记 书记 常务副区长 常务副市长 常务副县长 常务副镇长 副区长 "
    "副市长 副县长 副镇长 副乡长 副州长 副省长 区长 市长 县长 镇长 乡长 州长 省长 副主任 主任 "
    "副主席 主席 副部长 部长 副局长 局长 副秘书长 秘书长 常委 委员 领导 副组长 组长 处长 科长 "
    "站长 所长 院长 校长 董事长 总经理 社长 村长 主任委员 负责人 总工程师 总经济师 督学 主委 "
    "巡视员 调研员 "
    "厅长 副厅长 司长 副司长 副处长 副科长 副院长 副校长 副总经理 党工委书记 副社长 "
    "主任科员 代区长 代市长 代县长 代镇长 "
)
_UNIT_WORDS = _words(
    "区委 市委 县委 镇党委 乡党委 街道党工委 区政府 市政府 县政府 人大常委会 政协 纪委 监委 "
    "组织部 宣传部 统战部 农业农村局 乡村振兴局 财政局 自然资源局 住建局 生态环境局 水利局 "
    "农业农村委员会 农办 乡村振兴办 各镇街 镇街 专班 "
)


def _jieba() -> Any:
    """Return ``jieba.posseg`` after adding our words, initialising jieba once and quietly."""
    global _JIEBA_READY
    import jieba
    import jieba.posseg

    if not _JIEBA_READY:
        with _JIEBA_LOCK:
            if not _JIEBA_READY:
                jieba.setLogLevel(60)
                jieba.initialize()
                for word in _POSITIONS:
                    jieba.add_word(word, freq=2000, tag="n")
                for word in _UNIT_WORDS:
                    jieba.add_word(word, freq=2000, tag="nt")
                _JIEBA_READY = True
    return jieba.posseg


def _dictionary_tag(word: str) -> tuple[str | None, int]:
    """Return jieba's part-of-speech tag and frequency for ``word`` (``None``/0 if unknown)."""
    posseg = _jieba()
    tag = posseg.dt.word_tag_tab.get(word)
    import jieba

    return tag, int(jieba.dt.FREQ.get(word) or 0)


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

_MAX_SENTENCE = 400
_TERMINATORS = "。！？；"
_CLOSERS = "”’）」』】"
_ITEM_START = re.compile(
    r"[，；：](?=[二三四五六七八九十]是|其[二三四五六七八九十][，、])|：(?=一是|其一)"
)


@dataclass
class Sentence:
    """One sentence of the normalized text with its offsets and paragraph number."""

    start: int
    end: int
    text: str
    paragraph: int
    is_heading: bool = False


_SPLIT_MARKS = re.compile(r"[“”。！？；]")


def _split_paragraph(text: str, offset: int) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of sentences in one paragraph, never splitting inside quotes.

    Only quote and terminator positions are visited, so long paragraphs stay cheap; a sentence
    longer than ``_MAX_SENTENCE`` characters is cut (unbalanced quotes cannot swallow a page).
    """
    depth = 0
    start = 0
    length = len(text)
    for match in _SPLIT_MARKS.finditer(text):
        index = match.start()
        if index < start:
            continue
        while index - start > _MAX_SENTENCE:
            yield offset + start, offset + start + _MAX_SENTENCE
            start += _MAX_SENTENCE
            depth = 0
        char = match.group(0)
        if char == "“":
            depth += 1
        elif char == "”":
            depth = max(0, depth - 1)
        elif depth == 0:
            end = index + 1
            while end < length and text[end] in _CLOSERS:
                end += 1
            yield offset + start, offset + end
            start = end
    while length - start > _MAX_SENTENCE:
        yield offset + start, offset + start + _MAX_SENTENCE
        start += _MAX_SENTENCE
    if start < length:
        yield offset + start, offset + length


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences (。！？；, and before 二是/三是 items), keeping offsets."""
    sentences: list[Sentence] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        if line.strip():
            is_heading = _is_heading(line)
            for start, end in _split_paragraph(line, offset):
                piece = text[start:end]
                cuts = (
                    [start] + [start + match.end() for match in _ITEM_START.finditer(piece)] + [end]
                )
                for cut_start, cut_end in itertools.pairwise(cuts):
                    chunk = text[cut_start:cut_end]
                    if chunk.strip():
                        sentences.append(
                            Sentence(cut_start, cut_end, chunk, number, is_heading=is_heading)
                        )
        offset += len(line) + 1
    return sentences


# A source sentence ends at 。！？ (with any closing quotes) or at the end of a line; ； and the
# 一是/二是 cuts of ``split_sentences`` do not end it, so one sentence that carries several
# demands is shown whole beside each of them.
_SOURCE_END = re.compile(r"[。！？!?]+[”’）」』】]*|\n")
_SOURCE_MARKS = "。！？!?\n"


def source_sentence(text: str, start: int, end: int) -> str:
    """Return the whole sentence(s) of ``text`` holding ``text[start:end]``, stripped.

    Only the neighbourhood of the span is read (at most ``_MAX_SENTENCE`` characters each way),
    so asking for the sources of every person and directive stays linear in the text's size.
    """
    limit = max(0, start - _MAX_SENTENCE)
    sentence_start = max(text.rfind(mark, limit, start) for mark in _SOURCE_MARKS) + 1
    if sentence_start == 0:
        sentence_start = limit
    while sentence_start < start and text[sentence_start] in _CLOSERS:
        sentence_start += 1
    last = end
    while last > start and text[last - 1] in _CLOSERS:
        last -= 1
    after = _SOURCE_END.search(text, max(start, last - 1), end + _MAX_SENTENCE)
    sentence_end = after.end() if after else min(len(text), end + _MAX_SENTENCE)
    return text[sentence_start:sentence_end].strip()


_HEADING_ENUM = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[部分章节]?)"
)


def _is_heading(line: str) -> bool:
    """Tell whether a line is a section heading (short, no sentence end)."""
    if "。" in line or "！" in line or "？" in line:
        return False
    return len(line) <= 40 or bool(_HEADING_ENUM.match(line))


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------

_SURNAMES_SINGLE = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
    "位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但"
    "尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_SURNAMES_DOUBLE = _words(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 西门 "
    "呼延 东郭 万俟 闻人 赫连 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 轩辕 钟离 宇文 "
)
_NOT_IN_NAME = set(
    "的了是在与及等要将对把被为从向于以也都就又并而或但这那其各该本我你他她们个上下来去到说会议"
    "市区县镇乡村省委局部办厅党府记席讲话调指求示达参加作级领导班子成员召开工作书年月日时第"
)
_NAME_STOP_AFTER = _words(
    "出席 主持 讲话 在 传达 指出 强调 要求 等 同志 参加 表示 介绍 作 就 代表 说 宣读 通报 汇报 "
    "部署 讲 对 和 与 及 分别 一行 带队 率 陪同 参会 为 也 到 深入 调研 会见 致辞 发言 总结 "
    "解读 宣布 主讲 点评 提出 认为 希望 还 进一步 最后 首先 同时 并 以 通过 围绕 结合 担任 兼 "
    "任 记者 编辑 报道 摄 文 图 列席 到会 "
)
_NAME_STOP_RE = re.compile(
    "|".join(sorted(map(re.escape, _NAME_STOP_AFTER), key=len, reverse=True))
)
_NAME_STOP_CHARS = set("，。、；：！？“”（）()《》【】 ·|,.;:!?\n")
_AMBIGUOUS_SURNAMES = frozenset("和向于从为时高万全明平成文党路都来信利由应展安程强元公干单")
_BLOCKED_NAMES = {"习近平", "毛泽东", "邓小平", "江泽民", "胡锦涛", "李克强", "李强"}
_POSITION_RE = re.compile("|".join(sorted(map(re.escape, _POSITIONS), key=len, reverse=True)))
_TITLE_LEAD = re.compile(
    r"^.*(?:由|会议由|在|与|及|并|对|向|为|是|请|邀请|陪同|同志|出席|主持|以及|其中|包括|有|后|时|前|还)"
)
_PLACE_PREFIX = re.compile(
    r"^[\u4e00-\u9fff]{2,4}?(?=(?:[省市区县镇乡]|街道)(?:委|党委|党工委|人大|政协|政府|纪委|监委|"
    r"农业|乡村|财政|自然|住建|生态|水利|委员会|直))"
)
_ROLE_VERBS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "传达…讲话精神" passes a speech on; it is not one.
    ("speaker", re.compile(r"讲话(?!精神)|致辞")),
    ("host", re.compile(r"主持")),
    ("reporter", re.compile(r"传达|部署|发言|作报告|作了报告|通报|汇报|解读|作说明|宣读|述职")),
    ("attendee", re.compile(r"出席|参加|参会|列席|到会")),
)
_ANY_ROLE_VERB = re.compile("|".join(pattern.pattern for _role, pattern in _ROLE_VERBS))
_ROLE_RANK = ROLE_RANK
_SPEECH_CUE = re.compile(r"指出|强调|要求|表示|提出|讲话|讲了意见|认为|希望|说")
_CLAUSE_END = re.compile(r"[，。；：！？]")
_CUE_AT_CLAUSE_START = re.compile(
    r"(?:^|[，。；：！？”])([\u4e00-\u9fff]{2,4}?)(?:同志)?(?:在讲话中|在会上|在讲话时|还|进一步|最后)?"
    r"(?:指出|强调|要求|表示|主持|传达)"
)
_INLINE_CREDIT = re.compile(
    r"[（(【\[](?:本报|本台)?(记者|通讯员)[ ]*([\u4e00-\u9fff]{2,4}(?:[ 、][\u4e00-\u9fff]{2,4})*)"
)

#: Titles that name a group rather than one post (市四大班子领导, 有关部门负责同志). A list of
#: names closed by one (``张三、李四等县领导出席``) or opened by one (``县领导张三、李四参加``)
#: is a list of attendees, each given the group's title.
_COLLECTIVE_LEVELS = (
    "省",
    "市",
    "州",
    "区",
    "县",
    "镇",
    "乡",
    "街道",
    "镇街",
    "市直",
    "县直",
    "区直",
)
_COLLECTIVE_BODIES = (
    "四大班子领导",
    "四套班子领导",
    "四大班子负责同志",
    "级领导",
    "级领导干部",
    "级领导班子成员",
    "领导",
    "领导班子成员",
    "党政领导班子成员",
    "班子成员",
    "有关部门负责同志",
    "有关部门负责人",
    "有关部门主要负责同志",
    "有关单位负责同志",
)
COLLECTIVE_TITLES: frozenset[str] = frozenset(
    [level + body for level in _COLLECTIVE_LEVELS for body in _COLLECTIVE_BODIES]
    + [
        "四大班子领导",
        "在家县级领导",
        "在家市级领导",
        "在家区级领导",
        "有关部门负责同志",
        "有关部门主要负责同志",
        "有关部门负责人",
        "有关单位负责同志",
        "各镇街党（工）委书记",
        "各镇（街道）党（工）委书记",
        "各乡镇党委书记",
        "各镇党委书记",
        "各镇街主要负责同志",
        "各乡镇主要负责同志",
        "各村党组织书记",
        "各村党支部书记",
    ]
)


def _trie_pattern(words: Iterable[str]) -> str:
    """Return a regex matching the longest of ``words`` at a position, as a prefix tree.

    A flat alternation of ~200 titles tries each one at every 市/县/区 of the text; the tree
    reads each character once.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, Any]) -> str:
        parts = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not parts:
            return ""
        group = "(?:" + "|".join(parts) + ")"
        return group + "?" if "" in node else group

    return branch(tree)


_COLLECTIVE_RE = re.compile(_trie_pattern(COLLECTIVE_TITLES))
# What may stand between the last name of a list and the collective title that closes it.
_LIST_CLOSER = re.compile(r"(?:同志)?等(?:同志)?$")
# What may stand just before the first name of a list (出席会议的有张三、…).
_LIST_LEAD = re.compile(
    r"(?:^|[^\u4e00-\u9fff]|有|和|及|与|的|是|同志|包括|其中|由|请|邀请|陪同|会上|会议|以及)$"
)
_LIST_AND = re.compile(r"以及|和|及|与")
# What may stand between a collective title and the names it opens (出席会议的市领导有张三、…).
_LIST_LINK = re.compile(r"(?:还有|有)?[：:]?")
_TITLE_PRECEDERS = frozenset("的有和及与等由请在是")
_LIST_WINDOW = 80


@dataclass
class Mention:
    """One occurrence of a person's name in the text."""

    name: str
    start: int
    end: int
    titles: list[str] = field(default_factory=list)


def _is_boundary(text: str, index: int) -> bool:
    """Tell whether a name may end just before ``index``."""
    if index >= len(text) or text[index] in _NAME_STOP_CHARS:
        return True
    return _NAME_STOP_RE.match(text, index) is not None


def _name_at(text: str, index: int) -> str | None:
    """Return a person name starting at ``index`` (surname + 1-2 characters), or ``None``."""
    surname_length = 0
    if text[index : index + 2] in _SURNAMES_DOUBLE:
        surname_length = 2
    elif index < len(text) and text[index] in _SURNAMES_SINGLE:
        surname_length = 1
    if not surname_length:
        return None
    for given_length in (1, 2):
        end = index + surname_length + given_length
        if end > len(text):
            return None
        candidate = text[index:end]
        given = candidate[surname_length:]
        if any(char in _NOT_IN_NAME or not _is_cjk(char) for char in given):
            return None
        if _is_boundary(text, end) and _plausible_name(candidate):
            return candidate
    return None


def _is_cjk(char: str) -> bool:
    """Tell whether ``char`` is a CJK ideograph."""
    return "\u4e00" <= char <= "\u9fff"


@lru_cache(maxsize=16384)
def _plausible_name(candidate: str) -> bool:
    """Reject candidates jieba knows as ordinary words (高度, 方向, 和支持 …)."""
    if candidate in _BLOCKED_NAMES:
        return False
    if _is_common_word(candidate, 100):
        return False
    if candidate[0] in _AMBIGUOUS_SURNAMES:
        # 和/向/于 … are surnames and function words: "领导和支持" is not a person.
        given = candidate[1:]
        if len(given) == 2 and _is_common_word(given, 500):
            return False
    return True


def _is_common_word(word: str, min_freq: int) -> bool:
    """Tell whether jieba knows ``word`` as an ordinary (non-name) word of some frequency."""
    tag, freq = _dictionary_tag(word)
    return tag is not None and not tag.startswith("nr") and freq >= min_freq


def _titles_before(text: str, end: int) -> list[str]:
    """Return the titles written just before a name ending at ``end`` (``区委副书记、区长``)."""
    start = end
    limit = max(0, end - 40)
    while start > limit and (_is_cjk(text[start - 1]) or text[start - 1] == "、"):
        start -= 1
    chunk = _TITLE_LEAD.sub("", text[start:end]).strip("、")
    titles: list[str] = []
    for piece in chunk.split("、"):
        piece = _PLACE_PREFIX.sub("", piece)
        if piece and _POSITION_RE.search(piece) and piece.endswith(tuple(_POSITIONS)):
            titles.append(piece)
        else:
            titles.clear()
    return titles


def _find_mentions(text: str) -> list[Mention]:
    """Find the people named in ``text``, each occurrence once, in text order.

    In order of precedence: lists opened by a collective title (``县领导张三、李四``), names after
    their titles (``区委副书记、区长吕涛``), lists closed by a collective title
    (``张三、李四等市四大班子领导``), names before a speech cue (``张三指出``), and every later
    occurrence of a name already found.
    """
    mentions: dict[int, Mention] = {}
    collective = list(_COLLECTIVE_RE.finditer(text))
    # "…等市领导" closes a list: what follows is its verb, never more names (稳定等市领导包保…).
    closing = {match.end() for match in collective if _closes_list(text, match.start())}
    for match in collective:
        if match.end() in closing or not _starts_title(text, match.start()):
            continue
        link = _LIST_LINK.match(text, match.end())
        names_start = link.end() if link else match.end()
        for start, name in _names_after(text, names_start, joins=_COLLECTIVE_JOINS):
            mentions.setdefault(start, Mention(name, start, start + len(name), [match.group(0)]))
    for match in _POSITION_RE.finditer(text):
        if match.end() in closing:
            continue
        # Most posts are followed by a verb, not a name: look for the name before the titles.
        names = list(_names_after(text, match.end(), joins=("、",)))
        titles = _titles_before(text, match.end()) if names else None
        if not titles:
            continue
        for start, name in names:
            mentions.setdefault(start, Mention(name, start, start + len(name), titles))
    for match in collective:
        for start, name in _names_closed_by(text, match.start()):
            mentions.setdefault(start, Mention(name, start, start + len(name), [match.group(0)]))
    known = {mention.name for mention in mentions.values()}
    for match in _CUE_AT_CLAUSE_START.finditer(text):
        start = match.start(1)
        name = _name_at(text, start) if start not in mentions else None
        if name and (name in known or _jieba_says_person(text[start : start + len(name)])):
            mentions.setdefault(start, Mention(name, start, start + len(name)))
            known.add(name)
    if known:
        pattern = re.compile("|".join(sorted(map(re.escape, known), key=len, reverse=True)))
        for match in pattern.finditer(text):
            if match.start() not in mentions and _is_boundary(text, match.end()):
                mentions[match.start()] = Mention(match.group(0), match.start(), match.end())
    return [mentions[key] for key in sorted(mentions)]


# A collective title is plural, so its list may end "…和王五"; a single post's may not
# ("县长李四和王五": 王五 is not a 县长).
_COLLECTIVE_JOINS = ("、", "以及", "和", "及", "与")


def _names_after(text: str, index: int, *, joins: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """Yield (start, name) of the names written from ``index`` on, joined by ``joins``."""
    while index < len(text):
        name = _name_at(text, index)
        if name is None:
            return
        yield index, name
        index += len(name)
        if text.startswith("同志", index):
            index += 2
        join = next((word for word in joins if text.startswith(word, index)), None)
        if join is None or _name_at(text, index + len(join)) is None:
            return
        index += len(join)


def _names_closed_by(text: str, title_start: int) -> list[tuple[int, str]]:
    """Return (start, name) of a 、-list ending ``等`` just before a collective title.

    ``…，张三、李四、王五等市四大班子领导出席会议`` gives the three names. Every item but the
    first must be a whole name; the first may follow a lead-in (出席会议的有张三) or a title.
    """
    window_start = max(0, title_start - _LIST_WINDOW)
    closer = _closes_list(text, title_start)
    if closer is None:
        return []
    list_end = closer.start()
    list_start = list_end
    while list_start > window_start and (
        _is_cjk(text[list_start - 1]) or text[list_start - 1] == "、"
    ):
        list_start -= 1
    found: list[tuple[int, str]] = []
    piece_end = list_end
    for piece in reversed(text[list_start:list_end].split("、")):
        piece_start = piece_end - len(piece)
        whole = _whole_names(piece)
        if whole is not None:
            found.extend((piece_start + offset, name) for offset, name in reversed(whole))
            piece_end = piece_start - 1
            continue
        last = _name_ending(piece.removesuffix("同志"))
        if last is not None:
            found.append((piece_start + piece.removesuffix("同志").rfind(last), last))
        break
    found.reverse()
    return found


def _starts_title(text: str, index: int) -> bool:
    """Tell whether a collective title may start at ``index`` ("社区领导" holds no "区领导")."""
    return index == 0 or not _is_cjk(text[index - 1]) or text[index - 1] in _TITLE_PRECEDERS


def _closes_list(text: str, title_start: int) -> re.Match[str] | None:
    """Return the ``等`` (``同志等``) written just before a collective title, if any."""
    return _LIST_CLOSER.search(text, max(0, title_start - len("同志等同志")), title_start)


def _whole_names(piece: str) -> list[tuple[int, str]] | None:
    """Return (offset, name) of a list item that is one name (``张三``, ``张三同志``) or two
    joined by 和/及/与 (``李四和王五``); ``None`` when it is anything else."""
    core = piece.removesuffix("同志")
    if _is_whole_name(core):
        return [(0, core)]
    join = _LIST_AND.search(core)
    if join is None:
        return None
    first, second = core[: join.start()].removesuffix("同志"), core[join.end() :]
    if _is_whole_name(first) and _is_whole_name(second):
        return [(0, first), (join.end(), second)]
    return None


def _is_whole_name(candidate: str) -> bool:
    """Tell whether ``candidate`` is exactly a plausible person name (surname + 1-2 chars)."""
    if candidate[:2] in _SURNAMES_DOUBLE:
        given = candidate[2:]
    elif candidate[:1] in _SURNAMES_SINGLE:
        given = candidate[1:]
    else:
        return False
    return (
        1 <= len(given) <= 2
        and all(_is_cjk(char) and char not in _NOT_IN_NAME for char in given)
        and _plausible_name(candidate)
    )


def _name_ending(piece: str) -> str | None:
    """Return the name that ends the first item of a list (``出席会议的有张三`` → ``张三``).

    A name whose prefix ends with a lead-in or a title wins; otherwise the longest name that does
    not start with a character that is also a function word (和, 向, 于 …).
    """
    candidates = [
        piece[-length:]
        for length in (4, 3, 2)
        if length <= len(piece) and _is_whole_name(piece[-length:])
    ]
    for candidate in candidates:
        prefix = piece[: len(piece) - len(candidate)]
        if _LIST_LEAD.search(prefix) or prefix.endswith(_POSITIONS):
            return candidate
    for candidate in candidates:
        if candidate[0] not in _AMBIGUOUS_SURNAMES:
            return candidate
    return candidates[-1] if candidates else None


def _jieba_says_person(word: str) -> bool:
    """Ask jieba's part-of-speech tagger whether ``word`` is a person name."""
    tokens = list(_jieba().cut(word))
    return 1 <= len(tokens) <= 2 and tokens[0].flag.startswith("nr")


def _role_in(clause: str) -> str | None:
    """Return the strongest meeting role a clause gives the name before it."""
    best: str | None = None
    for role, pattern in _ROLE_VERBS:
        if pattern.search(clause) and (best is None or _ROLE_RANK[role] > _ROLE_RANK[best]):
            best = role
    return best


def _roles_in(clause: str) -> list[str]:
    """Return every meeting role a clause gives the name before it, in the clause's order.

    ``主持会议并讲话`` gives host and speaker; ``出席会议并讲话`` gives speaker only (attending
    is implied by any other role).
    """
    if _ANY_ROLE_VERB.search(clause) is None:
        return []
    found: list[tuple[int, str]] = []
    for role, pattern in _ROLE_VERBS:
        match = pattern.search(clause)
        if match is not None:
            found.append((match.start(), role))
    roles = [role for _position, role in sorted(found)]
    if len(roles) > 1 and "attendee" in roles:
        roles.remove("attendee")
    return roles


def _clause_after(text: str, mentions: list[Mention], position: int) -> str:
    """Return the clause after a mention, up to punctuation or the next mention (60 chars)."""
    mention = mentions[position]
    clause_end = _CLAUSE_END.search(text, mention.end, mention.end + 60)
    stop = clause_end.start() if clause_end else min(len(text), mention.end + 60)
    if position + 1 < len(mentions) and mentions[position + 1].start < stop:
        stop = mentions[position + 1].start
    return text[mention.end : stop][:60]


def _is_collective(titles: list[str]) -> bool:
    """Tell whether a mention's titles are only a collective title (县领导)."""
    return bool(titles) and all(title in COLLECTIVE_TITLES for title in titles)


@dataclass
class _PersonNotes:
    """What the mentions of one name say, gathered in text order."""

    titles: list[str] = field(default_factory=list)
    roles: dict[str, Mention] = field(default_factory=dict)
    first: Mention | None = None
    cue: Mention | None = None


def extract_people(text: str, credits: Iterable[Credit] = ()) -> tuple[list[Person], list[Mention]]:
    """Return the people named in ``text`` (plus bylines) with titles and roles, and mentions.

    A person gets every role a verb after their name gives them (``主持会议并讲话``: host and
    speaker); a name in a list without a verb of its own shares the list's. A speech cue
    (``张三指出``) makes a speaker only of someone with no other role: a host's remarks are
    part of hosting. ``source`` is the sentence of the main role, else of the first mention.
    """
    mentions = _find_mentions(text)
    own_roles = [_roles_in(_clause_after(text, mentions, index)) for index in range(len(mentions))]
    # A list member without a verb takes the roles of the next member that has one; walking
    # back from the end keeps this linear in the number of mentions.
    list_roles: list[list[str]] = [[] for _ in mentions]
    for index in range(len(mentions) - 1, -1, -1):
        list_roles[index] = own_roles[index]
        if (
            not own_roles[index]
            and index + 1 < len(mentions)
            and _joins_list(text, mentions[index], mentions[index + 1])
        ):
            list_roles[index] = list_roles[index + 1]
    notes: dict[str, _PersonNotes] = {}
    for index, mention in enumerate(mentions):
        note = notes.setdefault(mention.name, _PersonNotes(first=mention))
        if mention.titles and (
            not note.titles or (_is_collective(note.titles) and not _is_collective(mention.titles))
        ):
            note.titles = list(mention.titles)
        for role in list_roles[index]:
            note.roles.setdefault(role, mention)
        clause = text[mention.end : mention.end + 60]
        if note.cue is None and (
            _SPEECH_CUE.match(clause.lstrip("同志在讲话中会上还进一步最后"))
            or clause.startswith(("在讲话中", "在会上"))
        ):
            note.cue = mention
    people: list[Person] = []
    for name, note in notes.items():
        roles = list(note.roles)
        if len(roles) > 1 and "attendee" in roles:
            roles.remove("attendee")
        if roles in ([], ["attendee"]) and note.cue is not None:
            roles, note.roles["speaker"] = ["speaker"], note.cue
        main = max(roles, key=lambda role: _ROLE_RANK[role]) if roles else "attendee"
        evidence = note.roles.get(main, note.first)
        people.append(
            Person(
                name=name,
                titles=note.titles,
                role=cast(Role, main),
                roles=[cast(Role, role) for role in roles],
                source=source_sentence(text, evidence.start, evidence.end) if evidence else None,
            )
        )
    present = {person.name for person in people}
    for credit in credits:
        if credit.name not in present:
            present.add(credit.name)
            people.append(
                Person(name=credit.name, titles=[credit.title], role=cast(Role, credit.role))
            )
    for match in _INLINE_CREDIT.finditer(text):
        role: Role = "journalist"
        for name in re.split(r"[ 、]", match.group(2)):
            if name and name not in present and _name_at(name + "，", 0) == name:
                present.add(name)
                people.append(
                    Person(
                        name=name,
                        titles=[match.group(1)],
                        role=role,
                        source=source_sentence(text, match.start(), match.end()),
                    )
                )
    return people, mentions


def _joins_list(text: str, mention: Mention, nxt: Mention) -> bool:
    """Tell whether two mentions belong to one list (``辛启鑫，区政协主席于澎``)."""
    between = text[mention.end : nxt.start]
    return (
        len(between) <= 30
        and not re.search(r"[。；！？]", between)
        and not (_SPEECH_CUE.search(between))
    )


# --------------------------------------------------------------------------------------------
# Meeting
# --------------------------------------------------------------------------------------------

_MEETING_SUFFIX = (
    r"(?:会议|大会|座谈会|推进会|部署会|现场会|调度会|专题会|联席会|动员会|培训会|观摩会|交流会|总结会|"
    r"例会|工作会|务虚会|评议会|讲评会|汇报会)"
)
_MEETING_AFTER_VERB = re.compile(
    rf"(?:召开|举行|举办)(?:了)?([^，。；：！？“”\s]{{2,40}}?{_MEETING_SUFFIX})(?![\u4e00-\u9fff])"
)
_MEETING_BEFORE_VERB = re.compile(
    rf"([^，。；：！？“”\s]{{2,40}}?{_MEETING_SUFFIX})(?:在([^，。；、]{{2,25}}?))?"
    r"(?:隆重)?(?:召开|举行|举办|开幕)"
)
_PLACE_BEFORE_VERB = re.compile(r"在([^，。；、“”]{2,25}?)(?:隆重)?(?:召开|举行|举办|开幕)")
_LEADING_TIME = re.compile(
    r"^(?:(?:\d{4}|[〇零一二三四五六七八九]{4})年)?(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})月)?"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})日(?:上午|下午|晚上|晚|早上)?"
    r"|^(?:近日|日前|今天|昨天|今日|昨日|上午|下午|我市|我区|我县|我镇)"
)
_DATE = re.compile(
    r"(?:(\d{4}|[〇零一二三四五六七八九]{4})年)?(?:(\d{1,2}|[一二三四五六七八九十]{1,3})月)?"
    r"(\d{1,2}|[一二三四五六七八九十]{1,3})日(?:上午|下午|晚上|晚|早上)?"
    r"|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
)
_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def chinese_number(text: str) -> int | None:
    """Return the value of a number written ``12``, ``十二``, ``二十三`` or ``二〇二六``."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(char in _CN_DIGITS for char in text) and len(text) >= 2:
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    total = 0
    current = 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "两":
            current = 2
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "千":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return total + current


def extract_meeting(text: str, *, year: int | None = None, dateline: str | None = None) -> Meeting:
    """Return the meeting's name, date (as written and resolved) and place, with their sources.

    A date written without a year (``3月7日``) takes its year from, in this order:

    1. the page's own stamp (``dateline``, e.g. ``08.03.2016 09:15`` as found by
       :func:`hemei.ingest.normalize.find_stamp`): the report is dated by the page that
       published it, so a stamp later than the meeting by more than a month means the year
       before (a report stamped 2017-01-03 about ``12月30日`` is 2016-12-30); a date written
       with the day only (``7日上午``) takes the stamp's month too (the month before when the
       day is later than the stamp's);
    2. a year written in the text near the meeting (``2016年``): in its name, the headline,
       or the sentence that convenes it (the latest year there that is not a target, ``到2035年``);
    3. ``year``, the caller's guess (usually "this year" on the upload page).

    A year written with the date itself beats all of these. ``Meeting.year_from`` records the
    choice as written: the stamp, the year phrase, or ``"given"``; ``None`` when the date
    carries its year or no date was resolved. ``Meeting.sources`` gives, for each field found,
    the sentence of ``text`` it was read from.
    """
    head = text[:3000]
    meeting = Meeting()
    candidates: list[tuple[int, str, str | None]] = []
    for match in _MEETING_BEFORE_VERB.finditer(head):
        candidates.append((match.start(), match.group(1), match.group(2)))
    for match in _MEETING_AFTER_VERB.finditer(head):
        candidates.append((match.start(1), match.group(1), None))
    area_start, area_end = 0, min(len(head), 300)
    convening: str | None = None
    if candidates:
        candidates.sort(key=lambda item: (-_meeting_evidence(head, item), item[0]))
        position, name, place = candidates[0]
        name = _LEADING_TIME.sub("", name).strip()
        name = re.sub(r"^(?:召开|举行|举办)(?:了)?", "", name)
        name = _with_convener(head, position, name)
        meeting.name = name or None
        convening = _sentence_at(head, position)
        if meeting.name:
            meeting.sources["name"] = convening
        area_start = head.rfind("\n", 0, position) + 1
        area_end = head.find("\n", position)
        if area_end == -1:
            area_end = len(head)
        place_at = position
        if place is None:
            place_match = _PLACE_BEFORE_VERB.search(head, area_start, area_end)
            if place_match:
                place, place_at = place_match.group(1), place_match.start()
        meeting.place = place
        if place:
            meeting.sources["place"] = _sentence_at(head, place_at)
    date_match = _DATE.search(head, area_start, area_end) or _DATE.search(head, 0, 600)
    if date_match:
        meeting.date_text = date_match.group(0)
        meeting.sources["date"] = _sentence_at(head, date_match.start())
        text_year = _year_in_text(head, meeting.name, convening)
        meeting.date, meeting.year_from = _dated(date_match, dateline, text_year, year)
    return meeting


_OPENS_MEETING = re.compile(
    rf"(?:召开|举行|举办)了?[^，。；：！？“”\s]{{0,40}}?{_MEETING_SUFFIX}"
    rf"|{_MEETING_SUFFIX}(?:在[^，。；、]{{2,25}}?)?(?:隆重)?(?:召开|举行|举办|开幕)"
)
# "会议传达学习了…", "会上，与会人员观看了…", "会议还听取了…汇报": what the meeting did.
_MEETING_NARRATIVE = re.compile(
    r"^(?:会议|会上|大会)[，]?(?:[^，。；：]{0,12}?)(?:传达|学习|听取|审议|通报|观看|观摩|研究|讨论"
    r"|总结|宣读|表彰|通过|印发|签订|书面)[^，。；：]{0,4}?了(?!解)"
)
_NARRATIVE_NOT_CUE = re.compile(r"指出|强调|要求|认为|提出|明确|号召")
_LATER_CUE = re.compile(r"[，；](?:会议)?(?:并|还|同时)?(?:指出|强调|要求)")


def _opens_meeting(plain: str) -> bool:
    """Tell whether a sentence convenes a meeting ("3月7日，青石县召开…会议，…")."""
    return _OPENS_MEETING.search(plain) is not None


def _is_meeting_narrative(plain: str) -> bool:
    """Tell whether a sentence tells what the meeting did (会议传达学习了…, 会议听取了…汇报)
    rather than what it demanded; one that goes on to ``，要求…`` still counts as a demand."""
    match = _MEETING_NARRATIVE.match(plain.lstrip())
    if match is None or _NARRATIVE_NOT_CUE.search(match.group(0)):
        return False
    return _LATER_CUE.search(plain, match.end()) is None


_SENTENCE_MARKS = "。！？；\n"


def _sentence_at(text: str, position: int) -> str:
    """Return the sentence of ``text`` holding ``position`` (ended by 。！？； or a line end)."""
    start = max(text.rfind(mark, 0, position) for mark in _SENTENCE_MARKS) + 1
    ends = [
        found for found in (text.find(mark, position) for mark in _SENTENCE_MARKS) if found != -1
    ]
    end = min(ends) if ends else len(text)
    if end < len(text) and text[end] != "\n":
        end += 1
    return text[start:end].strip()


# Who convenes the meeting when the name follows the verb: "大岭镇召开…", "青石县委召开…",
# "松溪街道党工委组织召开…". Only a named division counts, not 我县/全镇/县委.
_MEETING_CONVENER = re.compile(
    r"([\u4e00-\u9fff]{1,10}?(?:省|市|州|盟|县|区|旗|镇|乡|街道|村|社区))"
    r"(?:[、和与]?[省市县区镇乡]?(?:党委|党工委|人民政府|政府|委员会|委|两委|办事处))*"
    r"(?:于[^，。；]{1,12}?|在[^，。；]{2,25}?)?"
    r"(?:组织|专门|专题|再次|又|集中|隆重)?(?:召开|举行|举办)了?"
)
_NOT_A_CONVENER = set("我全本该各此这")
# A name that already says whose meeting it is: 全县…, 本镇…, 县委…, 镇党委…, 市政府…, 区直….
_SCOPED_NAME = re.compile(
    r"^(?:[全本我](?:省|市|州|县|区|旗|镇|乡|街道|村|社区)"
    r"|(?:省|市|州|县|区|旗|镇|乡|街道|村)(?:委|党委|党工委|人民政府|政府|人大|政协|直|级|两委))"
)


def _with_convener(head: str, position: int, name: str) -> str:
    """Put the convening division before a name read after the verb: "大岭镇召开2026年…会"
    gives "大岭镇2026年…会", as "大岭镇…会在镇政府召开" does. Names that already say whose
    meeting it is (全县…, 县委…, 镇党委…) or start with the convener stay as they are."""
    if not name or _SCOPED_NAME.match(name):
        return name
    clause_start = max(head.rfind(mark, 0, position) for mark in "，。；：！？\n") + 1
    clause = _LEADING_TIME.sub("", head[clause_start:position].strip()).lstrip("，、 ")
    match = _MEETING_CONVENER.fullmatch(clause)
    if match is None:
        return name
    convener = match.group(1)
    if (len(convener) == 2 and convener[0] in _NOT_A_CONVENER) or name.startswith(convener):
        return name
    return convener + name


def _meeting_evidence(head: str, candidate: tuple[int, str, str | None]) -> int:
    """Score a meeting-name candidate: a date or place in its sentence makes it the real one."""
    position, _name, place = candidate
    sentence_start = max(head.rfind(mark, 0, position) for mark in "。\n") + 1
    sentence_end = min(
        (found for found in (head.find(mark, position) for mark in "。\n") if found != -1),
        default=len(head),
    )
    sentence = head[sentence_start:sentence_end]
    evidence = 0
    if _DATE.search(sentence):
        evidence += 2
    if place or _PLACE_BEFORE_VERB.search(sentence):
        evidence += 1
    return evidence


_YEAR = re.compile(r"((?:19|20)\d{2})年")
# A year that is a target or a period, not the meeting's own: 到2035年, 2016年以来.
_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止)$")
_PERIOD_AFTER = re.compile(r"^(?:以来|以前|前|之前|底前|以后|后)")


def _year_in_text(head: str, name: str | None, convening: str | None) -> tuple[int, str] | None:
    """Return the year the text gives for the meeting, with the phrase as written (``2016年``):
    in its name, else in the headline (a first line without a sentence end), else the latest
    plain year in the sentence that convenes it."""
    first_line = head.split("\n", 1)[0]
    headline = "" if re.search(r"[。！？]", first_line) else first_line
    for source in (name or "", headline):
        match = _YEAR.search(source)
        if match:
            return int(match.group(1)), match.group(0)
    if convening:
        years = [
            match
            for match in _YEAR.finditer(convening)
            if not _TARGET_YEAR.search(convening[: match.start()])
            and not _PERIOD_AFTER.match(convening[match.end() :])
        ]
        if years:
            latest = max(years, key=lambda match: int(match.group(1)))
            return int(latest.group(1)), latest.group(0)
    return None


_STAMP_GRACE = dt.timedelta(days=31)


def _dated(
    match: re.Match[str],
    dateline: str | None,
    text_year: tuple[int, str] | None,
    year: int | None,
) -> tuple[dt.date | None, str | None]:
    """Resolve a date match to a day and say where its year came from (see extract_meeting)."""
    if match.group(4):
        parts = (match.group(4), match.group(5), match.group(6))
    else:
        parts = (match.group(1), match.group(2), match.group(3))
    month = chinese_number(parts[1]) if parts[1] else None
    day = chinese_number(parts[2]) if parts[2] else None
    if parts[0]:
        return _day(chinese_number(parts[0]), month, day), None
    stamp = find_stamp(dateline) if dateline else None
    if stamp is not None and day:
        written, published = stamp
        if month is None:
            # "7日上午" on a page stamped 2018-01-09: the stamp's month, or the one before it.
            month, stamp_year = published.month, published.year
            if day > published.day:
                month, stamp_year = (12, stamp_year - 1) if month == 1 else (month - 1, stamp_year)
        else:
            stamp_year = published.year
        found = _day(stamp_year, month, day)
        if found is not None and found > published + _STAMP_GRACE:
            found = _day(stamp_year - 1, month, day)
        if found is not None:
            return found, written
    if text_year is not None:
        found = _day(text_year[0], month, day)
        return found, text_year[1] if found else None
    if year is not None:
        found = _day(year, month, day)
        return found, "given" if found else None
    return None, None


def _day(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    """Return the date, or ``None`` when a part is missing or the day does not exist."""
    if not (year and month and day):
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Programs
# --------------------------------------------------------------------------------------------

_QUOTED = re.compile(r"“([^“”\n]{1,30})”((?:[ ]*[+＋][ ]*“[^“”\n]{1,30}”)*)")
_NUMERAL = r"(?:[一二三四五六七八九十百千万两]+|\d+)"
_NUMERIC_PROGRAM = re.compile(
    rf"(?<![第\d])({_NUMERAL}(?:(?:大|个)振兴|(?:大|个|项|件|条|张|类|型|篇|字)?"
    r"[\u4e00-\u9fff]{0,4}?(?:工程|行动|攻坚战|实事|计划|专项行动|清单|工作法|大会战|长制)))"
)
_NAMED_CAMPAIGN = re.compile(
    r"(?:开展|实施|推进|启动|打好|打赢|推行|深化)([\u4e00-\u9fff]{2,14}?"
    r"(?:行动|工程|攻坚战))"
)
_DESCRIPTION_AFTER = re.compile(
    r"[ ]*(?:[（(]([^（）()]{2,80})[）)]|[，,]?即([^。；]{2,80})|：([^。；]{2,120}))"
)
_LEADING_VERBS = re.compile(
    r"^(?:统筹|实施|推进|抓好|开展|做好|围绕|聚焦|坚持|突出|推动|打造|建设|实现|加快|深化|着力|抓实|"
    r"包括|即|重点|全面|深入|扎实|大力)+"
)
_FAKE_NUMERALS = ("一项", "一个", "一批", "一些", "一支", "一线", "一轮", "一体", "一流", "一把")


def extract_programs(text: str) -> list[Program]:
    """Return the named programs and slogans with the description the text gives, if any, and
    the sentence the description (else the first mention) was read from."""
    found: dict[str, Program] = {}
    spans: list[tuple[int, int, str]] = []
    for match in _QUOTED.finditer(text):
        terms = [match.group(1), *re.findall(r"“([^“”]+)”", match.group(2) or "")]
        if not all(_is_program_term(term) for term in terms):
            continue
        if _is_citation(text, match.start()):
            continue
        spans.append((match.start(), match.end(), "+".join(terms)))
    for match in _NUMERIC_PROGRAM.finditer(text):
        name = match.group(1)
        if name.startswith(_FAKE_NUMERALS) or re.search(r"[的是了和]", name):
            continue
        if name.startswith("一") and not name[1:2].isdigit():
            continue
        spans.append((match.start(1), match.end(1), name))
    for match in _NAMED_CAMPAIGN.finditer(text):
        name = re.split(r"[和与及]", match.group(1))[-1]
        if len(name) < 4 or re.search(r"[的是了]", name):
            continue
        spans.append((match.start(1) + len(match.group(1)) - len(name), match.end(1), name))
    spans.sort()
    for start, end, name in spans:
        description = _description_for(text, start, end, name)
        program = found.get(name)
        if program is None:
            source = source_sentence(text, start, end)
            found[name] = Program(name=name, description=description, source=source)
        elif program.description is None and description:
            # The sentence that says what the program is explains it best.
            program.description = description
            program.source = source_sentence(text, start, end)
    return list(found.values())


def _is_program_term(term: str) -> bool:
    """Tell whether quoted text is a program or slogan rather than a quotation."""
    term = term.strip()
    if len(term) < 2 or re.search(r"[，。！？；：,.!?;]", term):
        return False
    if len(term) <= 12:
        return True
    return bool(re.search(r"[、—+＋·]", term)) and "要" not in term


def _is_citation(text: str, start: int) -> bool:
    """Tell whether a quote opens right after 说/强调/指出 (a quotation, not a slogan)."""
    before = text[max(0, start - 4) : start]
    return bool(re.search(r"(?:说|强调|指出|表示|认为)[，：]?$", before))


def _description_for(text: str, start: int, end: int, name: str) -> str | None:
    """Return what the text says a program is: bracket/即/colon after it, or a list before it."""
    after = _DESCRIPTION_AFTER.match(text, end)
    if after:
        description = next(group for group in after.groups() if group)
        return description.strip().removeprefix("即").strip() or None
    numeral = re.match(_NUMERAL, name)
    if not numeral:
        return None
    count = chinese_number(numeral.group(0))
    window_start = max(0, start - 120)
    clause_start = max(text.rfind(mark, window_start, start) for mark in "，。；：\n") + 1
    clause_start = max(clause_start, window_start)
    clause = text[clause_start:start].strip()
    if clause.endswith("的"):
        return None
    items = clause.split("、")
    if count and len(items) == count >= 2:
        items[0] = _LEADING_VERBS.sub("", items[0])
        if all(1 <= len(item) <= 12 for item in items):
            return "、".join(items)
    return None


# --------------------------------------------------------------------------------------------
# Directives
# --------------------------------------------------------------------------------------------

_QUOTE_CONTENT = re.compile(r"“[^“”]*”|「[^「」]*」")
_MODAL_YAO = re.compile(r"(?<![重主需只纪摘提总首险必紧扼概])要(?![求素点件闻务害领义员塞道])")
_STRONG = re.compile(
    r"必须|务必|确保|着力|力争|[一二三四五六七八九十]是|"
    r"将(?=继续|坚持|进一步|加快|持续|全面|大力|积极|着力|深入|推动|推进|加强|借助|围绕|以|在|"
    r"把|按照|重点|不断|努力|力争|扎实|认真|切实|聚焦|探索|建立|完善|实施|开展)"
)
_WEAK = re.compile(
    r"坚持|加快|推进|加强|强化|抓好|抓实|切实|扎实|大力|积极|持续|深入|进一步|继续|推动|充分|聚焦|"
    r"围绕|落实|着眼|注重|不断|探索|提升|完善|健全|严格|压实|引导|培育|打造"
)
_MEETING_DESCRIPTION = re.compile(
    r"召开|举行|主持|出席|参加会议|参加|收看|作了.{0,12}发言|汇报了|传达了|分会场|主会场|会议指出前"
)
_SPEECH_SENTENCE_CUE = re.compile(r"(?:指出|强调|要求|表示|提出|讲话|讲了意见|认为|希望)")
_PRONOUN_CUE = re.compile(
    r"^(?:他|她)(?:在讲话中|还|进一步|最后|同时)?(?:指出|强调|要求|表示|说|认为|希望)"
)
_NARRATIVE_START = re.compile(
    r"^(?:会后|会前|会议期间|与会|参会|会议以|会议采取|会议还|会议结束|随后|当天|此前|据悉|据了解|"
    r"近年来|去年以来|今年以来)"
)
_MEETING_CUE = re.compile(r"^(?:会议|会上|大会)(?:指出|强调|要求|认为|提出|明确|号召|强调指出)")
_PLAN_HEADING = re.compile(
    r"下一步|下阶段|重点工作|工作打算|今后|工作计划|努力方向|工作举措|主要任务|工作安排"
)
_DESCRIPTIVE_HEADING = re.compile(r"情况|成效|做法|经验|成绩|回顾|亮点|基本情况|工作开展")
_CUE_PREFIX = re.compile(
    r"^[^。；]{0,40}?(?:提出(?:了)?(?:具体|明确|几点)?要求|指出|强调|要求|表示|提出|认为|希望|号召)[，：]?"
)
_APHORISM = re.compile(r"^[^，]{1,6}，[^，]{1,6}是[^，]{1,6}[。！]?$")
_ENDS_WITH_CUE = re.compile(
    r"(?:讲话|讲了意见|作了讲话|讲话精神|致辞|发言|提出(?:了)?(?:具体|明确|几点)?要求|作(?:了|出)?部署)"
    r"[。！]?$"
)
_MIN_DIRECTIVE = 8
# "要把握好以下几点。" announces the demands that follow; it is not one itself.
_LEAD_IN = re.compile(
    r"(?:(?:以下|如下)[^，。]{0,6}|[一二三四五六七八九十两几]点(?:意见|要求)?)[。：:]?$"
    r"|[一二三四五六七八九十两几](?:件|项|个方面|方面|条)[^，。：:]{0,6}[：:]$"
    # "要突出抓好三个方面工作。": a short clause that only counts what follows.
    r"|(?:^|[，：])[^，。：:]{0,10}[两三四五六七八九十几](?:个方面|方面|件|项)(?:重点)?"
    r"(?:工作|任务|事|大事|事情)[。：:]?$"
)

THEMES: dict[str, tuple[str, ...]] = {
    "产业振兴": (
        "产业",
        "农业",
        "农产品",
        "经营主体",
        "招商",
        "园区",
        "订单农业",
        "供给侧",
        "增收",
        "集体经济",
        "龙头企业",
        "品牌",
        "粮食",
        "种植",
        "养殖",
        "特色小镇",
        "产城",
        "电商",
        "三产融合",
        "现代经济",
    ),
    "人才振兴": ("人才", "培训", "培养", "带头人", "队伍", "创业", "能人", "乡贤", "技能"),
    "文化振兴": (
        "文化",
        "文明",
        "乡风",
        "移风易俗",
        "核心价值观",
        "宗教",
        "四德",
        "新风",
        "宣传教育",
        "德治",
    ),
    "生态振兴": (
        "生态",
        "环境",
        "人居",
        "改厕",
        "厕所",
        "污水",
        "垃圾",
        "整治",
        "绿色",
        "美丽乡村",
        "宜居",
        "清洁",
        "道路硬化",
        "村容村貌",
    ),
    "组织振兴": (
        "党建",
        "党组织",
        "党员",
        "基层组织",
        "班子",
        "支部",
        "治理",
        "自治",
        "法治",
        "堡垒",
        "组织建设",
        "领头人",
    ),
    "城乡融合": ("城乡融合", "城乡统筹", "城中村", "城乡均衡", "城乡一体"),
    "公共服务": ("公共服务", "教育", "医疗", "社会保障", "养老", "就业", "出行"),
    "脱贫攻坚": ("脱贫", "贫困", "扶贫", "防返贫", "帮扶", "兜底"),
    "安全稳定": ("安全", "稳定", "排查", "隐患"),
    "体制改革": ("改革", "体制", "机制", "产权", "投入", "金融", "财政"),
    "规划引领": ("规划", "布局", "定位"),
    "工作落实": (
        "落实",
        "责任",
        "督查",
        "督促",
        "考核",
        "作风",
        "统筹",
        "担当",
        "形式主义",
        "学习",
        "精神",
        "部署",
    ),
}
_EXPLICIT_THEME = re.compile(r"(产业|人才|文化|生态|组织)振兴要")
_UNIT_FIXED = re.compile(
    r"各[县市区][（(][市区县、]{1,6}[）)]|各级党委和政府|各级党委农业农村委员会|各级党委|各地各部门|各级各部门|各级各类|各有关部门|各成员单位|"
    r"专班各成员单位|[市区县]直有关部门|各部门|各单位|各镇街|各镇（街道）|各镇|各街道|各乡镇|各区市|"
    r"各县市区|各县区|各村|有关部门"
)
_UNIT_NAME = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|(?<=会同|牵头|联合|配合)|(?<=[和与及由]))(?:[省市区县镇乡]|[市区县]直)(?:委|政府)?[\u4e00-\u9fff]{1,8}?"
    r"(?:局|办公室|委员会|办|部|中心|专班|党委|党工委|室|站|所|院|队)(?![\u4e00-\u9fff]{0,1}[长任])"
)
_UNIT_SUBJECT = re.compile(
    r"^([\u4e00-\u9fff]{1,14}?(?:党委|党组织|班子|部门|单位|镇街|专班|组长|党员|干部|委员会|政府|局|纪委|办|室|"
    r"街道|乡镇|村))(?:都|也|还|务必|必须)?(?:要|必须|务必)"
)
_DEADLINE = re.compile(
    r"(?:(?:今年年底|今年底|年底|本月底|月底)前?|年内|上半年|下半年|"
    r"[一二三四]季度|第[一二三四]季度|今冬明春|春节前|汛期前|"
    r"(?:到|至|于|在)?\d{4}年(?:底|前|内|\d{1,2}月(?:底|\d{1,2}日)?(?:前)?)?(?![是以度的])|"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})月份?(?:\d{1,2}日|底|中旬|上旬|下旬)?前|"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})月底|"
    r"(?:\d+|[一二三四五六七八九十两]+)(?:年|个月|周|天)内)"
)


_THEME_OF_WORD = {word: theme for theme, words in reversed(THEMES.items()) for word in words}
_THEME_WORDS = re.compile("|".join(sorted(map(re.escape, _THEME_OF_WORD), key=len, reverse=True)))
_THEME_ORDER = {theme: position for position, theme in enumerate(THEMES)}


def _theme_of(sentence: str) -> str | None:
    """Return the theme of a directive from an explicit 'X振兴要' or keyword counts."""
    explicit = _EXPLICIT_THEME.search(sentence[:20])
    if explicit:
        return explicit.group(1) + "振兴"
    scores: dict[str, int] = {}
    for match in _THEME_WORDS.finditer(sentence):
        theme = _THEME_OF_WORD[match.group(0)]
        scores[theme] = scores.get(theme, 0) + 1
    if not scores:
        return None
    return min(scores, key=lambda theme: (-scores[theme], _THEME_ORDER[theme]))


_CLAUSE_SPLIT = re.compile(r"[，；：]")
_DEMAND_WORD = re.compile(r"要|必须|务必")


def _responsible_of(sentence: str) -> list[str]:
    """Return the units the sentence makes responsible, in order, without repeats."""
    units: list[str] = []
    for clause in _CLAUSE_SPLIT.split(sentence):
        # A unit made the subject of a demand: "各镇街要…", "县财政局必须…".
        subject = _UNIT_SUBJECT.match(clause) if _DEMAND_WORD.search(clause) else None
        if subject:
            units.append(re.sub(r"^(?:全[市区县镇]|对|把|让|由)", "", subject.group(1)))
    units.extend(match.group(0) for match in _UNIT_FIXED.finditer(sentence))
    # "省委的部署" is not a unit: a unit's name has no 的.
    units.extend(
        match.group(0) for match in _UNIT_NAME.finditer(sentence) if "的" not in match.group(0)
    )
    unique: list[str] = []
    for unit in units:
        if unit and unit not in unique and not any(unit in other for other in unique):
            unique = [other for other in unique if other not in unit]
            unique.append(unit)
    return unique


# Every deadline expression holds one of these characters within its first few: the search
# starts just before the first of them instead of trying every alternative everywhere.
_DEADLINE_TRIGGER = re.compile(r"[年月季冬春汛内底]")
_DEADLINE_REACH = 12


def _deadline_of(sentence: str) -> str | None:
    """Return the first deadline expression in the sentence, as written."""
    trigger = _DEADLINE_TRIGGER.search(sentence)
    if trigger is None:
        return None
    match = _DEADLINE.search(sentence, max(0, trigger.start() - _DEADLINE_REACH))
    return match.group(0) if match else None


#: A task with the unit that leads it in brackets, as a task table's row reads
#: ("1. 完成…验收（牵头单位：县农业农村局，完成时限：11月底前）。"): assigned work is a demand.
_ASSIGNED_ROW = re.compile(
    r"（(?:[^（）]*[，；])?(?:牵头单位|责任单位|牵头部门|责任部门|责任主体)：[^（）]{2,}）[。；]?\s*$"
)


def extract_directives(
    text: str,
    mentions: list[Mention],
    sentences: list[Sentence] | None = None,
) -> list[Directive]:
    """Return the directives of the report with speaker, theme, units and deadline."""
    sentences = sentences if sentences is not None else split_sentences(text)
    mention_starts = [mention.start for mention in mentions]
    directives: list[Directive] = []
    speaker: str | None = None
    in_speech = False
    last_person: str | None = None
    section = "none"
    cursor = 0
    paragraph = -1
    closed = True
    for sentence in sentences:
        body = sentence.text
        # Whether this piece is a whole sentence, so that it is its own source.
        opens = closed or sentence.paragraph != paragraph
        closed = body.rstrip().rstrip(_CLOSERS)[-1:] in ("。", "！", "？", "!", "?")
        whole = opens and closed
        if sentence.paragraph != paragraph:
            paragraph = sentence.paragraph
            if _NARRATIVE_START.match(body.lstrip()):
                # A narrative paragraph after a speech ("会后，与会人员…") ends the segment.
                speaker, in_speech = None, False
        if sentence.is_heading:
            if _PLAN_HEADING.search(body):
                section = "plan"
            elif _DESCRIPTIVE_HEADING.search(body):
                section = "descriptive"
            elif (in_speech or section == "plan") and _is_demand_heading(body):
                heading = body.strip()
                start = sentence.start + body.find(heading)
                directives.append(
                    _directive(
                        heading,
                        start,
                        speaker,
                        in_speech,
                        source_sentence(text, start, start + len(heading)),
                    )
                )
            continue
        while cursor < len(mentions) and mentions[cursor].start < sentence.start:
            cursor += 1
        inside = []
        index = cursor
        while index < len(mentions) and mention_starts[index] < sentence.end:
            inside.append(mentions[index])
            index += 1
        plain = _QUOTE_CONTENT.sub("“”", body)[:_MAX_SENTENCE]
        previous_person = last_person
        if inside:
            last_person = inside[-1].name
        cue_person = _cue_speaker(text, sentence, inside)
        opening = not in_speech and section == "none" and _opens_meeting(plain)
        has_cue = False
        if cue_person is not None:
            speaker, in_speech, has_cue = cue_person, True, True
        elif _PRONOUN_CUE.match(plain.lstrip()):
            speaker, in_speech, has_cue = previous_person, True, True
        elif _MEETING_CUE.match(plain.lstrip()):
            speaker, in_speech, has_cue = None, True, True
        elif inside and (_MEETING_DESCRIPTION.search(plain) or _describes_roles(text, inside)):
            speaker, in_speech = None, False
            continue
        if opening:
            # The sentence that convenes the meeting describes it (a cue in it still opens the
            # speech that follows).
            continue
        if not has_cue and _is_meeting_narrative(plain):
            speaker, in_speech = None, False
            continue
        if len(plain) < _MIN_DIRECTIVE or section == "descriptive" or _APHORISM.search(plain):
            continue
        if (has_cue and _ENDS_WITH_CUE.search(plain)) or _LEAD_IN.search(plain):
            continue
        if not has_cue and _MEETING_DESCRIPTION.search(plain):
            continue
        strong = bool(
            _MODAL_YAO.search(plain) or _STRONG.search(plain) or _ASSIGNED_ROW.search(plain)
        )
        weak = bool(_WEAK.search(plain))
        demand = strong or (weak and (in_speech or section == "plan"))
        if not demand:
            continue
        directive_text = _strip_cue(body.strip(), speaker).rstrip("，；")
        start = sentence.start + max(0, body.find(directive_text))
        source = (
            body.strip() if whole else source_sentence(text, start, start + len(directive_text))
        )
        assigned = _assigned_units(plain)
        for item_start, item_end in _demand_items(text, start, start + len(directive_text)):
            item = text[item_start:item_end]
            directive = _directive(item, item_start, speaker, in_speech, source)
            if assigned:
                # A row says who does it in its own columns; units named in the task itself
                # ("组织各村开展…") are whom it reaches, not who answers for it.
                directive.responsible = assigned
            directives.append(directive)
    return directives


_UNIT_COLUMN = re.compile(
    r"(牵头单位|责任单位|牵头部门|责任部门|责任主体|配合单位|配合部门)：([^，；（）]+)"
)


def _assigned_units(sentence: str) -> list[str]:
    """The units a task row's bracket names, lead columns first (else an empty list)."""
    bracket = _ASSIGNED_ROW.search(sentence)
    if bracket is None:
        return []
    found = _UNIT_COLUMN.findall(bracket.group(0))
    ordered = [value for label, value in found if "配合" not in label] + [
        value for label, value in found if "配合" in label
    ]
    units: list[str] = []
    for value in ordered:
        for unit in re.split(r"[、/]", value):  # not 和: 县住房和城乡建设局
            unit = unit.strip()
            if unit and unit not in units:
                units.append(unit)
    return units


def _directive(
    text: str, start: int, speaker: str | None, in_speech: bool, source: str | None = None
) -> Directive:
    """Build a directive for ``text`` starting at ``start`` in the normalized text."""
    plain = _QUOTE_CONTENT.sub("“”", text)[:_MAX_SENTENCE]
    return Directive(
        text=text,
        speaker=speaker if in_speech else None,
        theme=_theme_of(plain),
        responsible=_responsible_of(plain),
        deadline_text=_deadline_of(plain),
        start=start,
        end=start + len(text),
        source=source,
    )


# "一要…，二要…，三要…" (or 一是/二是 that the sentence split left together) inside one
# sentence: numbered demands, counted from the sentence's start or after a comma or colon.
_NUMBERED_DEMAND = re.compile(
    r"(?:^|(?<=[，,：:、]))([一二三四五六七八九十])(?:要(?![求素点件])|是)"
)
_MIN_DEMAND_ITEM = 6
# A preamble that announces the numbered demands ("要抓好三件事：") is not one itself.
_ITEMS_ANNOUNCED = re.compile(
    r"(?:以下|如下|[两二三四五六七八九十几]+(?:点|件|项|个|方面|条))[^，。]{0,8}[，：:]?$"
)


def _demand_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the spans of the separate demands in ``text[start:end]``.

    A sentence splits only where it numbers its demands in order (一要…，二要…) and each
    numbered part is a demand of some length; "要…，要…" stays one directive. A preamble
    before 一要 stays a directive of its own when it is a demand and does not merely announce
    the list.
    """
    sentence = text[start:end]
    first = _NUMBERED_DEMAND.search(sentence)
    if first is None or _NUMBERED_DEMAND.search(sentence, first.end()) is None:
        return [(start, end)]
    numbered = [
        match
        for match in _NUMBERED_DEMAND.finditer(sentence)
        if chinese_number(match.group(1)) is not None
    ]
    run: list[re.Match[str]] = []
    for match in numbered:
        number = chinese_number(match.group(1))
        if run and number == cast(int, chinese_number(run[-1].group(1))) + 1:
            run.append(match)
        elif not run or len(run) < 2:
            run = [match]
    if len(run) < 2:
        return [(start, end)]
    cuts = [match.start() for match in run] + [len(sentence)]
    items: list[tuple[int, int]] = []
    for cut_start, cut_end in itertools.pairwise(cuts):
        item = sentence[cut_start:cut_end].rstrip("，,；;、")
        if len(item) < _MIN_DEMAND_ITEM:
            return [(start, end)]
        items.append((start + cut_start, start + cut_start + len(item)))
    preamble = sentence[: cuts[0]].strip().rstrip("，,：:")
    if (
        len(preamble) >= _MIN_DIRECTIVE
        and not _ITEMS_ANNOUNCED.search(sentence[: cuts[0]].strip())
        and not _LEAD_IN.search(preamble)
        and (_MODAL_YAO.search(preamble) or _STRONG.search(preamble))
    ):
        items.insert(
            0, (start + sentence.find(preamble), start + sentence.find(preamble) + len(preamble))
        )
    return items


def _is_demand_heading(heading: str) -> bool:
    """Tell whether a heading inside a speech or plan is itself a demand (（一）要…, 一要…)."""
    plain = _QUOTE_CONTENT.sub("“”", heading)
    return len(plain) >= _MIN_DIRECTIVE and bool(
        _MODAL_YAO.search(plain)
        or re.search(r"必须|务必|确保|着力|^[（(]?[一二三四五六七八九十]+[）)、]?是", plain)
    )


def _describes_roles(text: str, inside: list[Mention]) -> bool:
    """Tell whether a sentence says who hosted, attended or reported (王五作具体部署)."""
    for mention in inside:
        clause_end = _CLAUSE_END.search(text, mention.end, mention.end + 60)
        stop = clause_end.start() if clause_end else min(len(text), mention.end + 60)
        if _role_in(text[mention.end : stop]) in ("host", "reporter", "attendee"):
            return True
    return False


def _cue_speaker(text: str, sentence: Sentence, inside: list[Mention]) -> str | None:
    """Return the person who opens a speech segment in this sentence, if any."""
    for mention in inside:
        window = text[mention.end : min(sentence.end, mention.end + 24)]
        cue = _SPEECH_SENTENCE_CUE.search(window)
        if cue is None:
            continue
        between = window[: cue.start()]
        if "。" in between:
            continue
        weak_cue = cue.group(0) in ("讲话", "讲了意见")
        if weak_cue and any(
            pattern.search(between) for role, pattern in _ROLE_VERBS if role in ("host", "reporter")
        ):
            continue
        if len(between) <= 16:
            return mention.name
    return None


def _strip_cue(body: str, speaker: str | None) -> str:
    """Drop a leading ``张军强调，`` / ``他要求，`` from a directive's text."""
    cue = _CUE_PREFIX.match(body)
    if cue is None:
        return body
    prefix = cue.group(0)
    if (speaker and speaker in prefix) or prefix.startswith(("他", "她", "会议", "会上", "大会")):
        return body[cue.end() :].strip() or body
    return body

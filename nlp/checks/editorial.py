"""Editorial checks: what a careful reader of the words finds, beyond the numbers.

- ``editorial.enumeration.v1``: 一是…二是…三是 and (一)(二)(三) that skip or repeat an item
  (一是…三是, (一)(二)(四), 三是…三是);
- ``editorial.doubled_word.v1``: a word written twice in a row (公开公开), when both copies
  are whole words (发布发布会 is 发布 + 发布会, not a doubled word);
- ``editorial.repeated_sentence.v1``: a sentence of at least ``REPEAT_MIN_CHARS`` characters
  written twice, word for word (shorter ones, headings and table rows repeat legitimately);
- ``editorial.other_place.v1``: a county, city or province of another province named in the
  text (outside the contexts where a report names others: 对口帮扶, 考察学习, 协作 …), or
  another place named in the report's own title sentence: signs of a copied report;
- ``editorial.other_unit.v1``: another unit's organ (a sister county's 人民政府, another bureau of the
  same county) named where the report speaks of itself: the subject of its sentences, the name
  of its guide or report, its contact, compiler or website;
- ``editorial.year.v1``: a statistics period, the report's own title sentence, or a plan
  "for next year" dated in a year that contradicts the report year;
- ``editorial.copied_text.v1``: a section whose words (numbers aside) are mostly those of the
  same section of the unit's previous report, the similarity shown.

The checks read the narrative: the text outside the parsed tables.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any, Iterator, Optional

from nlp.checks._evidence import narrative_spans
from nlp.checks._words import jieba_block, tokens
from nlp.checks.crossyear import YearReport, nearest_earlier
from nlp.checks.registry import CheckContext, NotAssessable, register
from nlp.numbers import cn_to_number
from nlp.reconcile import sentence_bounds
from nlp.schema import Finding, finding
from nlp.units import divisions, lineage, organ_like, organ_mentions, place_mentions, relation

REPEAT_MIN_CHARS = 25
"""A sentence this long (characters other than spaces and punctuation) written twice is a slip."""
COPY_MIN_CHARS = 150
"""Sections shorter than this are not compared with last year's."""
COPY_SIMILARITY = 0.85
"""Two sections sharing this share of their 6-character shingles (numbers masked) are copied."""
COPY_SECTIONS = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}


def _in_narrative(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)


def _sentence(text: str, pos: int) -> str:
    lo, hi = sentence_bounds(text, pos)
    return text[lo:hi].strip()


# ---------------------------------------------------------------------------
# Enumerations
# ---------------------------------------------------------------------------

_CN = "一二三四五六七八九十"
_SHI = re.compile(rf"(?P<item>(?P<n>[{_CN}]{{1,3}})是)(?=[\u4e00-\u9fff“（(《])")
"""一是, taken where it starts the text or follows a break (:func:`_shi_items`)."""
_SHI_WORD = re.compile(r"是(?=[\u4e00-\u9fff“（(《])")
_SHI_AFTER = frozenset("。，,；;：:、\u3000")
"""The breaks 一是 follows (and any white space)."""
_BRACKET_ITEM = rf"(?P<item>[ \t\u3000]*(?:[（(][ \t\u3000]*|(?=[{_CN}]{{1,3}}[ \t\u3000]*[)）]))(?P<n>[{_CN}]{{1,3}})[ \t\u3000]*[)）])"
_BRACKET_FIRST = re.compile(_BRACKET_ITEM)
_BRACKET = re.compile(f"[。；;\n]{_BRACKET_ITEM}")
"""(一) at a line's or sentence's start (after the break it follows, :func:`_bracket_items`); ( 二)
with a space, or 三) that lost its opening bracket, too."""
_TOP_HEADING_LINE = rf"[ \t\u3000]*[{_CN}]{{1,2}}[、.．]"
_TOP_HEADING_FIRST = re.compile(_TOP_HEADING_LINE)
_TOP_HEADING = re.compile(rf"\n{_TOP_HEADING_LINE}")
"""A top-level heading (一、) at the text's start, or after a line break (which lets ``re`` skip to
the breaks: a ``(?m)^`` pattern is tried at every character), :func:`_top_headings`."""
ENUM_GAP = 1500
"""Items further apart than this many characters belong to different lists."""


def _top_headings(text: str) -> list[int]:
    """Where each line holding a top-level heading (一、) starts."""
    first = [0] if _TOP_HEADING_FIRST.match(text) else []
    return first + [m.start() + 1 for m in _TOP_HEADING.finditer(text)]


def _shi_items(text: str) -> Iterator[re.Match]:
    """The 一是 items of ``text``: ``_SHI`` where nothing but a break or white space comes before.
    Found from each 是 (``re`` skips to a literal character fast): back over the one to three
    numerals before it to where they start, then ``_SHI`` matched there."""
    for word in _SHI_WORD.finditer(text):
        end = k = word.start()
        while k > 0 and text[k - 1] in _CN and end - k <= 3:
            k -= 1
        if not 1 <= end - k <= 3:
            continue  # no numeral before 是, or more than three
        if k == 0 or text[k - 1] in _SHI_AFTER or text[k - 1].isspace():
            m = _SHI.match(text, k)
            if m is not None:
                yield m


def _bracket_items(text: str) -> Iterator[re.Match]:
    """The (一) items of ``text``: at its start, then after each break (``_BRACKET`` takes the break,
    which lets ``re`` skip to the breaks)."""
    first = _BRACKET_FIRST.match(text)
    if first is not None:
        yield first
    yield from _BRACKET.finditer(text)


@lru_cache(maxsize=None)
def _item_number(numeral: str) -> Optional[int]:
    """``cn_to_number`` of an item's numeral (one to three of 一…十: every report's 一是, (二)…,
    at most 1,110 strings), worked out once a process."""
    return cn_to_number(numeral)


def _runs(text: str, items: Iterator[re.Match], spans: list[tuple[int, int]], tops: list[int]) -> Iterator[list[tuple[int, int, str]]]:
    """The lists of ``items`` (matches with an ``item`` and its numeral ``n``): ``(value, position,
    marker)``, a new list at each 一 (or 一是), at a top-level heading (``tops``: where they start),
    or after a long gap."""
    run: list[tuple[int, int, str]] = []
    for m in items:
        if not _in_narrative(spans, m.start("item")):
            continue
        n = _item_number(m.group("n"))
        if n is None:
            continue
        pos = m.start("n")
        # a heading between the last item and this one (``tops`` is in order), or a long gap
        boundary = run and (bisect.bisect_right(tops, pos) > bisect.bisect_right(tops, run[-1][1]) or pos - run[-1][1] > ENUM_GAP)
        if n == 1 or boundary:
            if len(run) >= 2:
                yield run
            run = [(n, pos, m.group("item").strip())] if n == 1 else []
            continue
        if run:
            run.append((n, pos, m.group("item").strip()))
    if len(run) >= 2:
        yield run


@register("editorial.enumeration.v1", kind="enumeration", severity="warning", title="一是…二是…、(一)(二)…编号连续不重复")
def enumeration(ctx: CheckContext) -> list[Finding]:
    """A list whose items skip a number (一是…三是) or repeat one ((二)…(二))."""
    spans = narrative_spans(ctx)
    tops = _top_headings(ctx.text)
    out: list[Finding] = []
    for items, style in ((_shi_items(ctx.text), "是"), (_bracket_items(ctx.text), "括号")):
        for run in _runs(ctx.text, items, spans, tops):
            for (prev, _, pm), (n, pos, marker) in zip(run, run[1:]):
                if n == prev + 1:
                    continue
                what = f"重复了“{marker}”" if n == prev else (f"从“{pm}”跳到“{marker}”" if n > prev else f"在“{pm}”之后又是“{marker}”")
                listing = "、".join(m for _, _, m in run)
                out.append(finding(
                    "editorial.enumeration.v1", "enumeration", "warning",
                    f"列举序号不连续:{what}(本组序号:{listing});“{_sentence(ctx.text, pos)[:60]}”",
                    sha256=ctx.sha256, locus=("enumeration", style, listing, n, prev),
                    evidence={"markers": [m for _, _, m in run], "values": [v for v, _, _ in run],
                              "at": marker, "after": pm, "style": style},
                    span=(pos, pos + len(marker)),
                ))
    return out


# ---------------------------------------------------------------------------
# Doubled words, repeated sentences
# ---------------------------------------------------------------------------

_DOUBLE = re.compile(r"([\u4e00-\u9fff]{2,6})\1")
_NUMERAL_CHARS = set("零〇一二两三四五六七八九十百千万亿")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    from nlp.claims import load_userdict

    load_userdict()  # the words as the claims stage cuts them, whether or not it ran in this process
    return tokens(text)


@register("editorial.doubled_word.v1", kind="doubled_word", severity="warning", title="没有连写两遍的词语(公开公开)")
def doubled_word(ctx: CheckContext) -> list[Finding]:
    """A word written twice in a row, its second copy a whole word among the sentence's tokens
    (the first may be the end of a longer word: 信息公开 + 公开)."""
    text, spans = ctx.text, narrative_spans(ctx)
    out: list[Finding] = []
    seen: dict[str, int] = {}
    for m in _DOUBLE.finditer(text):
        word = m.group(1)
        if not _in_narrative(spans, m.start()) or set(word) <= _NUMERAL_CHARS:
            continue
        lo, hi = sentence_bounds(text, m.start())
        b_lo, b_hi = jieba_block(text, lo, hi, m.start())
        if m.end() > b_hi:
            b_lo, b_hi = lo, hi  # a character jieba splits at inside the word: cut the whole sentence
        bounds = {b_lo + a for _, a, _ in _tokens(text[b_lo:b_hi])} | {b_hi}  # the word edges there
        if not {m.start() + len(word), m.end()} <= bounds:
            continue  # the second copy is not a word of its own (发布 + 发布会)
        seen[word] = seen.get(word, 0) + 1
        out.append(finding(
            "editorial.doubled_word.v1", "doubled_word", "warning",
            f"词语重复:“{m.group(0)}”中“{word}”连写两遍;“…{text[max(lo, m.start() - 25):min(hi, m.end() + 15)].strip()}…”",
            sha256=ctx.sha256, locus=("doubled", word, seen[word]),
            evidence={"word": word, "written": m.group(0), "sentence": text[lo:hi].strip()},
            span=(m.start(), m.end()),
        ))
    return out


_TITLE_LIKE = re.compile(r"(?:工作)?(?:年度)?报告$")
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
"""What ``\\s`` matches, character by character (so that ``str.strip`` can take them too)."""
_PUNCT_CHARS = _SPACES + "，,、：:；;“”\"'‘’（）()《》〈〉【】[]—-·.。！!？?|"
"""What a sentence's key drops (:data:`_PUNCT`)."""
_PUNCT = re.compile(f"[{re.escape(_PUNCT_CHARS)}][{re.escape(_PUNCT_CHARS)}]*")
"""A run of them, written ``[P][P]*`` for ``[P]+``: a pattern whose first item is a character class
lets ``re`` skip to the places that hold one (``[P]+`` starts with a repeat, tried at every place:
the same matches, ~30% less CPU)."""


_PIECE_ENDS = "。！!？?；;\n"
_LONG_PIECE = re.compile(rf"[^{_PIECE_ENDS}]{{{REPEAT_MIN_CHARS - 1},}}[{_PIECE_ENDS}]?")
"""A sentence (or a clause ended by ；) with its end character, when it may be ``REPEAT_MIN_CHARS``
long: the shorter ones are not compared, and ``re`` passes over them faster than a loop."""
_LONG_PIECE_AFTER_END = re.compile(rf"(?<![^{_PIECE_ENDS}]){_LONG_PIECE.pattern}")
"""``_LONG_PIECE`` where a sentence starts (after an end character, or at the text's start): tried
inside a short sentence, it fails at once instead of reading on to the sentence's end."""


def _long_pieces(text: str, a: int, b: int) -> Iterator[tuple[int, str]]:
    """``(start, piece)`` for each sentence of ``text[a:b]`` (its end character kept) at least
    ``REPEAT_MIN_CHARS`` long. (A match cannot start inside a sentence: the sentence from its
    start would have matched; so after the piece at ``a``, which may start inside one, only
    sentence starts are tried.)"""
    first = _LONG_PIECE.match(text, a, b)
    rest = _LONG_PIECE_AFTER_END.finditer(text, a if first is None else first.end(), b)
    for m in ([first] if first is not None else []) + list(rest):
        if m.end() - m.start() >= REPEAT_MIN_CHARS:
            yield m.start(), m.group()


def _key_ends(piece: str) -> tuple[str, str]:
    """The first and last character of ``piece``'s key (``_PUNCT.sub("", piece)``), found
    without making it: two pieces whose ends differ cannot have the same key."""
    core = piece.strip(_PUNCT_CHARS)
    return core[:1], core[-1:]


def _comparable(key: str) -> bool:
    """Whether a sentence (its punctuation dropped) is one whose repetition is a slip: long
    enough, not mostly digits, not the report's title (repeated by the page's header and the
    document)."""
    if len(key) < REPEAT_MIN_CHARS or sum(map(str.isdigit, key)) > len(key) / 3:
        return False
    return not (_TITLE_LIKE.search(key) and len(key) < 60)


@register("editorial.repeated_sentence.v1", kind="repeated_text", severity="warning",
          title=f"没有逐字重复的长句(≥{REPEAT_MIN_CHARS}字)")
def repeated_sentence(ctx: CheckContext) -> list[Finding]:
    """A sentence of at least ``REPEAT_MIN_CHARS`` characters written twice, word for word."""
    text = ctx.text
    first: dict[str, int] = {}  # key -> where its first piece starts
    waiting: dict[tuple[str, str], list[tuple[int, str]]] = {}  # pieces not keyed yet, by their key's ends
    out: list[Finding] = []
    for a, b in narrative_spans(ctx):
        for start, piece in _long_pieces(text, a, b):  # a shorter one's key is shorter still
            ends = _key_ends(piece)
            alike = waiting.get(ends)
            if alike is None:
                waiting[ends] = [(start, piece)]  # keyed only when a piece with the same ends comes
                continue
            for s, p in alike:
                first.setdefault(_PUNCT.sub("", p), s)
            alike.clear()
            key = _PUNCT.sub("", piece)
            if key not in first:
                first[key] = start  # whether it is a sentence to compare is asked when it comes again
                continue
            if not _comparable(key):
                continue
            out.append(finding(
                "editorial.repeated_sentence.v1", "repeated_text", "warning",
                f"同一句话重复出现:“{piece.strip()[:60]}{'…' if len(piece.strip()) > 60 else ''}”(第{first[key]}字处已出现)",
                sha256=ctx.sha256, locus=("repeated", key),
                evidence={"sentence": piece.strip(), "first": [first[key], first[key] + len(piece)],
                          "again": [start, start + len(piece)]},
                span=(start, start + len(piece)),
            ))
    return out


# ---------------------------------------------------------------------------
# Places outside the unit's region
# ---------------------------------------------------------------------------

_ELSEWHERE_OK = re.compile(
    r"对口|帮扶|协作|援[助建疆藏]|支援|结对|东西部|学习|考察|交流|调研|借鉴|合作|共建|友好|兄弟|异地|跨省|跨区域|通办|"
    r"来自|籍|户口|驻|联合|签订|协议|毕业|示范|试点|评为|经验|观摩|参观|培训|会议|专家|省外|省级|国家|中央|全国|部署"
)
_OWN_TITLE = re.compile(r"(?:现将|特此|本报告|本年度报告|年度报告如下|工作年度报告)")


def _outside(code: str, own: tuple[str, ...]) -> bool:
    """Whether division ``code`` is neither in the unit's lineage nor under its division."""
    if code in own:
        return False
    return own[-1] not in {d.code for d in lineage(code)}


def _foreign_places(ctx: CheckContext) -> list[tuple[Any, list, str, bool, bool]]:
    """The places :func:`other_place` reports: ``(mention, divisions, sentence, of another
    province, in the report's own title sentence)``, once per name; found once a report
    (``ctx.memo``: :func:`other_unit` leaves them to other_place)."""
    found = ctx.memo.get("foreign_places")
    if found is None:
        found = ctx.memo["foreign_places"] = list(_find_foreign_places(ctx))
    return found


def _find_foreign_places(ctx: CheckContext) -> Iterator[tuple[Any, list, str, bool, bool]]:
    own = ctx.unit.region
    divs = divisions()
    spans = narrative_spans(ctx)
    seen = set()
    for m in place_mentions(ctx.text):
        if not _in_narrative(spans, m.start) or len(m.words) <= 2:
            continue
        cands = [divs[c] for c in m.codes]
        if not all(_outside(d.code, own) for d in cands):
            continue
        sentence = _sentence(ctx.text, m.start)
        elsewhere = all(d.code[:2] != own[0][:2] for d in cands)
        own_title = bool(_OWN_TITLE.search(sentence)) and "报告" in sentence
        if _ELSEWHERE_OK.search(sentence) or not (elsewhere or own_title):
            continue
        if m.words in seen:
            continue
        seen.add(m.words)
        yield m, cands, sentence, elsewhere, own_title


@register("editorial.other_place.v1", kind="other_unit", severity="warning", needs="unit",
          title="没有写入外省地名或其他单位的名称")
def other_place(ctx: CheckContext) -> list[Finding]:
    """A division of another province named in the text (outside the words that name others
    on purpose), or another division named in the report's own title sentence."""
    unit = ctx.unit
    if not unit.region:
        raise NotAssessable(f"未能确定单位“{unit.agency}”所在的行政区划")
    out: list[Finding] = []
    for m, cands, sentence, elsewhere, own_title in _foreign_places(ctx):
        where = "外省" if elsewhere else "本单位辖区以外"
        names = "、".join(sorted({"".join(x.name for x in lineage(d.code)) for d in cands}))
        out.append(finding(
            "editorial.other_place.v1", "other_unit", "warning",
            f"出现{where}地名“{m.words}”({names}),而报告单位为{unit.name}({''.join(unit.region_names())}):"
            f"“{sentence[:60]}”,请核实是否照抄其他单位的报告",
            sha256=ctx.sha256, locus=("other_place", m.words),
            evidence={"place": m.words, "divisions": [d.code for d in cands], "unit": unit.key,
                      "unit_region": list(unit.region), "sentence": sentence, "own_title": own_title},
            span=(m.start, m.end),
        ))
    return out


# ---------------------------------------------------------------------------
# Another unit's organ named as the report's own
# ---------------------------------------------------------------------------

_ROLES: tuple[tuple[str, str, re.Pattern, re.Pattern], ...] = (
    # (role, in Chinese, the words just before the organ, the words just after it)
    ("guide", "所称信息公开指南、目录或年度报告的单位", re.compile(r""),
     re.compile(r"的?(?:政府)?信息公开(?:指南|目录|工作(?:年度)?报告|年度报告|年报)"
                r"|(?:(?:19|20)\d{2}|二[〇零○][〇零○一二三四五六七八九]{2})年度?(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?报告")),
    ("subject", "叙述本单位工作的主语", re.compile(r"(?:^|[。；;！!？?\n]|(?:年度?|以来|一年来|期间|全年)[,，、]?)[ \t\u3000]*$"),
     re.compile(r"(?![与和同及、,，的(（])")),
    ("contact", "联系单位", re.compile(r"(?:请与|请联系[:：]?|联系单位[:：]?)[ \t\u3000]*$"), re.compile(r"")),
    ("compiler", "编制单位", re.compile(r"由[ \t\u3000]*$"), re.compile(r"[^。；;\n]{0,40}编制")),
    ("website", "发布网站所属单位", re.compile(r"(?:可在|可从|通过|登录|在)[ \t\u3000]*[“\"]?$"), re.compile(r"(?:门户)?网站|网(?![格络点])")),
)
"""Where an organ's name says it is the report's author: the name of its guide or report,
the subject of its sentences, the contact, the compiler, the website that publishes it."""
_RELATION_ZH = {"sibling": "同级的另一部门或乡镇", "elsewhere": "其他地区的单位"}


def _role(text: str, m: Any) -> Optional[tuple[str, str]]:
    """The role the organ ``m`` plays at its place in ``text``, if it is one of ``_ROLES``."""
    before = text[max(0, m.start - 14):m.start]
    cited = before.count("《") > before.count("》")  # inside a document's name (《小店区人民政府关于…》)
    sentence = _sentence(text, m.start)
    for role, zh, pre, post in _ROLES:
        if cited and role != "guide":
            continue
        if role == "website" and not re.search(r"报告|年报", sentence):
            continue
        if pre.search(before) and post.match(text, m.end):
            return role, zh
    return None


@register("editorial.other_unit.v1", kind="other_unit", severity="warning", needs="unit",
          title="报告自称的单位、指南、联系单位与报告单位一致(没有写成其他单位)")
def other_unit(ctx: CheckContext) -> list[Finding]:
    """Another unit's organ named where the report speaks of itself: the subject of its
    statements, its guide or report, its contact, compiler or website — a sister county, or
    another department of the same county (not the governments above the unit, its own
    townships and departments, nor documents it cites)."""
    unit = ctx.unit
    if not unit.region:
        raise NotAssessable(f"未能确定单位“{unit.agency}”所在的行政区划")
    if not organ_like(unit.body):
        raise NotAssessable(f"报告单位名称“{unit.agency}”未能可靠识别为一个机关")
    text, spans = ctx.text, narrative_spans(ctx)
    places = [(m.start, m.end) for m, *_ in _foreign_places(ctx)]
    out: list[Finding] = []
    seen = set()
    for m in organ_mentions(text):
        if not _in_narrative(spans, m.start) or any(a < m.end and m.start < b for a, b in places):
            continue  # a place of another province: editorial.other_place.v1 reports it
        rel = relation(unit, m.unit)
        if rel not in _RELATION_ZH:
            continue
        role = _role(text, m)
        if role is None or (m.words, role[0]) in seen:
            continue
        seen.add((m.words, role[0]))
        lo, hi = sentence_bounds(text, m.start)
        sentence = text[lo:hi].strip()
        quote = text[max(lo, m.start - 20):min(hi, m.end + 30)].strip()
        out.append(finding(
            "editorial.other_unit.v1", "other_unit", "warning",
            f"报告单位为{unit.name},但本报告{role[1]}是“{m.words}”({_RELATION_ZH[rel]}:{m.unit.name}):"
            f"“…{quote}…”,请核实是否照抄其他单位的报告",
            sha256=ctx.sha256, locus=("other_unit", m.words, role[0]),
            evidence={"organ": m.words, "organ_unit": m.unit.key, "organ_name": m.unit.name, "relation": rel,
                      "role": role[0], "unit": unit.key, "unit_name": unit.name, "sentence": sentence},
            span=(m.start, m.end),
        ))
    return out


# ---------------------------------------------------------------------------
# Years that contradict the report year
# ---------------------------------------------------------------------------

_PERIOD = re.compile(r"统计(?:期限|期间|时限|时间|区间|周期|时段)?[^。；\n]{0,16}?(?:自|从)?\s*(\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                     r"[^。；\n]{0,8}?(?:至|到|—|-|～)\s*(\d{4})\s*年")
_SELF_TITLE = re.compile(r"(?:现将|现向社会公布|现予以?公布|现公布|现发布|现公开|特此公布)[^。；\n]{0,40}?(\d{4})\s*年度?[^。；\n]{0,40}?报告")
_FORWARD = re.compile(r"下一步|下一年度?|明年|来年|新的一年|今后")
_PLAN_YEAR = re.compile(r"(\d{4})\s*年(?:度)?[，,]?[^。；\n]{0,10}?(?:将|要|计划|拟|力争|继续|持续|进一步)")


@register("editorial.year.v1", kind="date", severity="warning", title="统计期限、报告自称年度、下一步计划的年份与报告年度相符")
def year_contradictions(ctx: CheckContext) -> list[Finding]:
    """The statistics period, the report's own title sentence, or a plan for next year dated
    in another year than the report's."""
    year = ctx.year
    if year is None:
        raise NotAssessable("未能识别报告年度")
    text = ctx.text
    out: list[Finding] = []

    def add(what: str, words: str, pos: int, written: int, locus: str) -> None:
        out.append(finding(
            "editorial.year.v1", "date", "warning",
            f"{what}与报告年度{year}不符:“{words[:70]}”", sha256=ctx.sha256, locus=("year", locus, written),
            evidence={"report_year": year, "year_written": written, "words": words, "what": what},
            span=(pos, pos + len(words)),
        ))

    overview = ctx.sections.get("overview")
    periods = [(m, int(m.group(1)), int(m.group(2))) for m in _PERIOD.finditer(text)]
    titles = [(m, int(m.group(1))) for m in _SELF_TITLE.finditer(text[: max(600, overview.start if overview else 600)])]
    own = {y for _, a, b in periods for y in (a, b)} | {y for _, y in titles}
    if len(own) == 1 and year not in own and periods and titles:
        # the report's statistics period and its own title sentence agree on another year:
        # the year read for the report is what is wrong, not the report
        return []
    for m, y1, y2 in periods:
        if y1 != year or y2 != year:
            add("统计期限的年份", m.group(0), m.start(), y1 if y1 != year else y2, "period")
    for m, y in titles:
        if y != year:
            add("报告自称的年度", m.group(0), m.start(), y, "title")
    sec = ctx.sections.get("problems")
    if sec is not None:
        body = text[sec.body_start:sec.end]
        f = _FORWARD.search(body)
        if f is not None:
            for m in _PLAN_YEAR.finditer(body, f.start()):
                y = int(m.group(1))
                if 2000 <= y <= year:
                    pos = sec.body_start + m.start()
                    add("下一步工作计划的年份", _sentence(text, pos), pos, y, "plan")
    return out


# ---------------------------------------------------------------------------
# Text copied from the unit's previous report
# ---------------------------------------------------------------------------

_CN_MASKED = "零〇一二两三四五六七八九十百千万"
_MASK = re.compile(rf"[\d{_CN_MASKED}](?:(?<=\d)\d*(?:\.\d+)?|(?<=[{_CN_MASKED}])[{_CN_MASKED}]*(?=[个件条项次人家篇份]))")
"""A number: digits (12, 3.5), or Chinese numerals before a measure word (三个). Written as its
first character, then the rest of the number that character starts (the same matches as the
alternation of the two, digits or numerals first), so that ``re`` skips to the places holding one (an
alternation is tried at every place: ~3x the CPU)."""


def masked(text: str) -> str:
    """``text`` as its shingles are cut: numbers masked, punctuation and spaces dropped."""
    return _PUNCT.sub("", _MASK.sub("0", text))


@lru_cache(maxsize=32)
def masked_body(body: str) -> tuple[str, int]:
    """``masked(body)`` and how many characters ``body`` holds but punctuation and spaces: what
    ``copied_text`` and the narrative's fingerprint (``crossunit.narrative_print``) read of a
    section, made once for both (remembered by the text: a report's sections are read by the
    one, then by the other)."""
    return masked(body), len(_PUNCT.sub("", body))


def _shingles(text: str, k: int = 6) -> set[str]:
    return shingles_of(masked(text), k)


def shingles_of(s: str, k: int = 6) -> set[str]:
    """The ``k``-character shingles of a text already ``masked``."""
    return {s[i:i + k] for i in range(max(0, len(s) - k + 1))}


def section_text(text: str, sections, key: str) -> str:
    """A section's body in ``text`` (sections as ``Section`` objects or their JSON)."""
    for s in sections:
        k = s["key"] if isinstance(s, dict) else s.key
        if k == key:
            a = s["body_start"] if isinstance(s, dict) else s.body_start
            b = s["end"] if isinstance(s, dict) else s.end
            return text[a:b]
    return ""


def shared(sa: set[str], sb: set[str]) -> tuple[float, float]:
    """The share of the shingles ``sa`` that ``sb`` has too, and of ``sb`` that ``sa`` has
    (6-character shingles, numbers masked: ``_shingles``)."""
    both = len(sa & sb)
    return (both / len(sa) if sa else 0.0), (both / len(sb) if sb else 0.0)


def _copy_shingles(text: str, sections, memo: dict) -> dict[str, Optional[set[str]]]:
    """The shingles of each section ``copied_text`` compares (None: too short to compare),
    made once a report (``memo``: the check context's, or the history's report's)."""
    if "copy_shingles" not in memo:
        bodies = {key: masked_body(section_text(text, sections, key)) for key in COPY_SECTIONS}
        memo["copy_shingles"] = {key: shingles_of(m) if n >= COPY_MIN_CHARS else None
                                 for key, (m, n) in bodies.items()}
    return memo["copy_shingles"]


@register("editorial.copied_text.v1", kind="copied_text", severity=("warning", "info"), needs=("unit", "history"),
          reads=nearest_earlier,
          title="各部分文字不照抄本单位上年报告")
def copied_text(ctx: CheckContext) -> list[Finding]:
    """A section (一, 五, 六) whose words, numbers aside, are mostly those of the same section of
    the unit's previous report: ``warning`` for 五 (the problems and their remedies), ``info``
    for the others."""
    earlier = [h for h in ctx.history if isinstance(h, YearReport) and h.year is not None
               and ctx.year is not None and h.year < ctx.year and h.sha256 != ctx.sha256]
    if not earlier:
        raise NotAssessable("没有该单位往年的报告可比")
    prev = max(earlier, key=lambda h: h.year)
    now_all = _copy_shingles(ctx.text, ctx.sections.sections, ctx.memo if ctx.current is None else ctx.current.memo)
    before_all = _copy_shingles(prev.text, prev.sections, prev.memo)
    out, compared = [], 0
    for key, heading in COPY_SECTIONS.items():
        now, before = now_all[key], before_all[key]
        if now is None or before is None:
            continue
        compared += 1
        sim = shared(now, before)[0]
        if sim < COPY_SIMILARITY:
            continue
        sec = ctx.sections.get(key)
        out.append(finding(
            "editorial.copied_text.v1", "copied_text", "warning" if key == "problems" else "info",
            f"“{heading}”一节与本单位{prev.year}年度报告的同一节文字相同{sim:.0%}(数字除外),疑似照抄上年报告",
            sha256=ctx.sha256, locus=("copied", key),
            evidence={"section": key, "similarity": round(sim, 4), "previous": prev.ref(),
                      "reports": [prev.ref(), {"sha256": ctx.sha256, "source": ctx.doc.source, "year": ctx.year}]},
            span=(sec.start, sec.end) if sec is not None else None,
        ))
    if not compared:
        raise NotAssessable(f"本年与{prev.year}年度报告没有足够长的同名章节可比")
    return out


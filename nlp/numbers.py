"""Quantities in Chinese report text: numbers as written, as values, with unit and qualifier.

Pure functions, no state, no model. The claims stage (``nlp/claims.py``) calls
``find_quantities(text)`` on narrative text and gets every number back with a *kind*: a
``quantity`` (a count, an amount, a percentage: a claim candidate), a ``zero`` (a zero
stated in words: 未收到…申请), or one of the kinds that are never claims (dates, document
numbers, ordinals, phone numbers, postcodes, addresses, ids, percentages of a target, time
limits of a rule …; see ``NOT_CLAIM_KINDS``).

>>> parse_number("一千三百")
1300
>>> parse_number("3.5万")
35000
>>> q = find_quantities("主动公开各类政府信息1300余条")[0]
>>> (q.value, q.unit, q.approx, q.qualifier)
(1300, '条', True, '余')
>>> q = find_quantities("部门预算公开金额91957万元")[0]
>>> (q.value, q.unit)
(91957, '万元')
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterator, Optional, Union

from nlp.text import fold

Number = Union[int, float]

# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
             "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUM_CHARS = "".join(_CN_DIGIT) + "".join(_CN_SMALL) + "".join(_CN_BIG)


def cn_to_number(s: str) -> Optional[int]:
    """The value of a Chinese numeral: 一千三百 → 1300, 两万 → 20000, 十二 → 12, 二〇二一 → 2021,
    一百一 → 110 (the colloquial 一百一十).

    Returns None when ``s`` is not a well-formed numeral (三四百: an estimate, not one figure).
    The value is cn2an's (``normal`` mode); our grammar (:func:`_cn_positional`) decides what
    is a numeral, and gives the value where cn2an refuses one (a bare 百, 千)."""
    if not s:
        return None
    s = s.replace("○", "〇")  # the circle cn2an does not take for a zero
    if any(ch not in CN_NUM_CHARS for ch in s):
        return None
    if all(ch in _CN_DIGIT for ch in s):  # digit by digit: 二〇二一
        return int("".join(str(_CN_DIGIT[ch]) for ch in s))
    ours = _cn_positional(s)
    if ours is None:
        return None
    try:
        value = _cn2an()(s, "normal")
    except (ValueError, KeyError, IndexError):
        return ours
    return int(value) if float(value).is_integer() else ours


def _cn2an():
    """cn2an's converter, imported on the first Chinese numeral (its import takes ~0.1 s)."""
    global _CN2AN
    if _CN2AN is None:
        from cn2an import cn2an

        _CN2AN = cn2an
    return _CN2AN


_CN2AN = None


def _cn_positional(s: str) -> Optional[int]:
    """A positional numeral by our grammar (a digit before each of 十百千, sections by 万 亿;
    two digits in a row only as 零), or None. Reads a colloquial tail as units (一百一 101):
    :func:`cn_to_number` takes cn2an's value where cn2an reads the numeral."""
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGIT:
            if digit is not None and _CN_DIGIT[ch] != 0 and digit != 0:
                return None  # 三四 inside a positional numeral
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        else:  # 万 亿
            section += digit or 0
            if section == 0 and total == 0:
                return None
            if _CN_BIG[ch] == 100_000_000:
                total = (total + section) * _CN_BIG[ch]
            else:
                total += section * _CN_BIG[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def _to_number(x: float) -> Number:
    return int(x) if float(x).is_integer() else round(x, 6)


_PLAIN_NUMBER = re.compile(r"(\d+(?:\.\d+)?)([万亿]*)")


@lru_cache(maxsize=4096)
def parse_number(s: str) -> Optional[Number]:
    """The value of a number as written: ``"1,234"`` 1234, ``"１２"`` 12, ``"3.5万"`` 35000,
    ``"2亿"`` 200000000, ``"一千三百"`` 1300, ``"1.1万"`` 11000. None if it is not a number.
    (Remembered: a value of the text alone, and a report's numbers recur: 1, 2021, 100 …)"""
    s = fold(s).strip().replace(",", "").replace(" ", "")
    if not s:
        return None
    m = _PLAIN_NUMBER.fullmatch(s)
    if m:
        mult = 1
        for ch in m.group(2):
            mult *= _CN_BIG[ch]
        return _to_number(float(m.group(1)) * mult)
    v = cn_to_number(s)
    return None if v is None else _to_number(v)


# ---------------------------------------------------------------------------
# Quantities in text
# ---------------------------------------------------------------------------

UNITS = (
    # longest first where one is a prefix of another
    "亿元", "万元", "千元", "元", "万人次", "人次", "万人", "平方米", "公里",
    "个工作日", "工作日", "个小时", "小时", "分钟", "个月", "天", "周",
    "户次", "件次", "条次", "期次", "场次", "篇次", "余", "多",
    "大项", "小项", "子项", "大类", "小类",  # 15大项236小项: counts of items and their parts
    "个", "条", "件", "项", "次", "份", "封", "篇", "期", "家", "人", "户", "名", "场", "处",
    "轮", "批", "台", "张", "册", "本", "部", "类", "种", "起", "宗", "套", "栏", "位", "所",
    "座", "块", "幅", "组", "支", "间", "倍", "万", "%", "‰",
)
_UNIT_ALT = "|".join(re.escape(u) for u in UNITS if u not in ("余", "多", "万"))
TIME_UNITS = {"个工作日", "工作日", "个小时", "小时", "分钟", "个月", "天", "周"}
MONEY_UNITS = {"亿元", "万元", "千元", "元"}
APPROX_QUALIFIERS = {"余", "多", "近", "约", "以上", "超过", "左右", "逾", "将近", "接近", "大约", "上万", "近乎"}
"""Qualifiers that make a figure approximate. ``达`` (reached) is kept as a qualifier but states
the figure itself, so it does not make it approximate."""


def _starting(chars: str, pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled behind a look-ahead for ``chars`` (a regex class body), the
    characters every match of it starts with: the same matches, but the engine skips every
    other place of the text at once instead of trying the pattern's alternatives there (a
    speed-up only; a match starting otherwise would be lost, so ``chars`` must cover them all)."""
    return re.compile("(?=[" + chars + "])(?:" + pattern + ")")


_PRE_WORDS = ("将近", "接近", "大约", "近", "约", "逾", "超过", "多达", "高达", "达到", "达")
_PRE = r"(?P<pre>" + "|".join(_PRE_WORDS) + r")?"
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_NUMERAL = "零〇○一二两三四五六七八九十百千"
_CNNUM = r"[" + _CN_NUMERAL + r"]+(?:[万亿][" + _CN_NUMERAL + r"]*)*"
_QTY = _starting(
    r"\d" + "".join(dict.fromkeys(w[0] for w in _PRE_WORDS)) + _CN_NUMERAL,  # 百分之: 百
    _PRE
    + r"(?P<num>(?:" + _ARABIC + r")|(?:百分之(?:" + _CNNUM + r"|" + _ARABIC + r"))|(?:" + _CNNUM + r"))"
    + r"(?P<post1>余|多)?"
    + r"(?P<mult>[ \t]?(?!万元|亿元|万人次)[万亿](?!分之))?"  # 12.5 万人, 830 万: a space before 万 too
    + r"(?P<post2>余|多)?"
    + r"\s{0,2}(?P<unit>" + _UNIT_ALT + r")?"
    + r"(?P<post3>以上|左右|之多)?",
)

NOT_CLAIM_KINDS = ("date", "year", "time", "docno", "ordinal", "list_number", "phone",
                   "postcode", "address", "id", "target_pct", "rule", "bare", "idiom")
"""Kinds of number that are never claims (their metric is ``not_a_claim``)."""

CLAIM_KINDS = ("quantity", "zero")


@dataclass(frozen=True)
class Quantity:
    """A number found in text.

    ``start``/``end``: the whole quantity as written (qualifier, number, unit) in the text;
    ``num_start``/``num_end``: the number itself. ``kind``: ``quantity`` or ``zero`` (claim
    candidates) or one of ``NOT_CLAIM_KINDS``. ``objects``: for a ``zero``, what was not
    received or charged (申请, 行政复议, 行政诉讼, 收费).
    """

    start: int
    end: int
    text: str
    value: Optional[Number]
    num_start: int
    num_end: int
    number_text: str
    unit: Optional[str] = None
    approx: bool = False
    qualifier: Optional[str] = None
    kind: str = "quantity"
    objects: tuple[str, ...] = field(default=())

    @property
    def is_claim(self) -> bool:
        return self.kind in CLAIM_KINDS


# Spans of text whose numbers are not claims, by kind (checked in this order), each with what
# every match of it holds and whether every match holds a digit (speed-ups only: a text without
# the first is not scanned by the pattern; with the second only its clauses with a digit are).
# Most are written to start with a character class (the first character, then the rest of each
# alternative behind a look-behind on it: [每\d](?:(?<=每)…|(?<=\d)…)): ``re`` then skips to the
# places holding one, where a leading alternation, repeat or look-ahead is tried at every place
# (the same matches as the plain forms on 360 corpus pages and 28,000 random strings; ~-15% CPU).
_NOT_CLAIM_PATTERNS: list[tuple[str, re.Pattern[str], Optional[re.Pattern[str]], bool]] = [
    ("id", re.compile(r"(?:ICP备|ICP证|公网安备|网安备|索引号|标识码|统一社会信用代码|备案号|文号|编号)\s*[:：]?\s*[\dA-Za-z\-－_/号]*[\d][\dA-Za-z\-－_/号]*"), None, True),
    ("id", re.compile(r"\d(?:\d{5,}-\d+-\d+|\d{7}-\d{5,})"), re.compile(r"-"), True),
    ("docno", re.compile(r"[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*\d+\s*号"), None, True),
    ("docno", re.compile(r"(?:19|20)\d{2}\s*[〕\]】]\s*\d+\s*号"), re.compile(r"号"), True),
    ("phone", _starting(r"(01", r"(?<!\d)(?:\(?0\d{2,3}\)?[-－ ]?)\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)"), re.compile(r"\d{7}"), True),
    ("phone", re.compile(r"[“\"'‘\d](?:(?<=[“\"'‘])\d{3,6}|(?<=\d)\d{2,5})[”\"'’]?\s*(?:热线|专线|服务热线|政务服务便民热线|电话|平台|短信)"), re.compile(r"热线|专线|电话|平台|短信"), True),
    ("phone", re.compile(r"(?:电话|热线|传真|专线|手机)\s*[:：]?\s*[\d\-－]{5,}(?![\d\-－]|\s*(?:件|次|个|条|通|万))"), None, False),
    ("postcode", re.compile(r"(?:邮编|邮政编码)\s*[:：]?\s*\d{6}"), None, True),
    ("address", re.compile(r"[路街道巷弄村\dA-Z](?:(?<=[路街道巷弄村])\s*\d+\s*号(?:院|楼)?|(?<=\d)\d*\s*(?:号楼|号院|号馆|栋|幢|单元|楼|层|室)|(?<=[A-Z])\s*座\s*\d+\s*室?)"), None, True),
    ("date", re.compile(r"(?:19|20)\d{2}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"), None, True),
    ("date", re.compile(r"[12二〇○零一](?:(?<=[12])[09](?<=19|20)\d{2}|(?<=[二〇○零一])[二〇○零一]{3})\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"), re.compile(r"月"), True),
    ("date", re.compile(r"[每\d](?:(?<=每)[月年周]\s*\d{1,2}\s*[日号](?:前|内|后|起|止)?|(?<=\d)(?:\d?\s*月\s*\d{1,2}\s*[日号](?:前|内|后|起|止)?|\d?\s*月(?:份|底|初|末|中旬|上旬|下旬)?(?![\d元])))"), re.compile(r"\d\s*[月日号]"), True),
    ("date", re.compile(r"\d{1,2}:\d{2}"), re.compile(r":"), True),
    ("year", re.compile(r"[12二〇○零一九](?:(?<=[12])[09](?<=19|20)\d{2}\s*(?:年度|年)(?:[-—至到~]\s*(?:19|20)\d{2}\s*年?)?|(?<=[二〇○零一九])[二〇○零一九]{3}\s*年)"), re.compile(r"年"), False),
    ("ordinal", re.compile(r"第\s*(?:\d+|" + _CNNUM + r")\s*(?:条|章|节|项|款|批|次|届|个|号|期|季度|名|部分|轮|阶段|类)?"), None, False),
    # (3) and 3. apart: no match of one starts or ends inside a match of the other, so the two
    # scans find what one scan of both alternatives finds, and the second holds a digit
    ("list_number", re.compile(r"[(（]\s*(?:\d+|[一二三四五六七八九十]+)\s*[)）]"), re.compile(r"[(（]"), False),
    ("list_number", re.compile(r"\d(?:(?<![\s\S]\d)|(?<=[\n\s。；;:：|]\d))\d?\s*[.、．](?!\d)"), re.compile(r"[.、．]"), True),
    ("target_pct", re.compile(r"(?:目标|任务|计划|指标)[^，。；;,\n]{0,10}?\d+(?:\.\d+)?\s*%"), re.compile(r"%"), True),
    ("rule", re.compile(r"[不至最控以之\d](?:(?:(?<=不)(?:得低于|得少于|得超过|低于|少于|超过|高于)|(?<=至)少|(?<=最)多|(?<=控)制在|(?<=以)内|(?<=之)内)\s*\d+(?:\.\d+)?\s*(?:%|个|条|件|天|日|小时|个工作日|工作日)?|(?<=\d)\d*\s*(?:个工作日|工作日|小时|日|天)(?:内|以内|之内))"), re.compile(r"内|不低于|不少于|不超过|不高于|不得|至少|最多|控制在"), True),
]
_YEAR_BARE = re.compile(r"(?:19|20)\d{2}")
_ARABIC_OR_PCT = re.compile(r"\d|百分之")
_LEFT_METRIC = re.compile(r"(?:数|量|总量|总数|为|达|共|计|合计|累计|共计|总计)\s*$")
_IDIOM_CN = {"一"}  # 一个, 一次, 一项重要工作: usually idiom, not a count
_IDIOM_QUOTED = {"两", "二"}  # “两个确立”: a slogan in quotes; 两个文件, 两次 otherwise counts
_PERSON_UNITS = {"名"}  # 明确一名工作人员: a head count even for 一
_PAREN_UNIT = re.compile(r"\s*[)）]\s*(?P<unit>" + _UNIT_ALT + r")")  # (29)件: a count in brackets
_IMPLICIT_END = re.compile(r"\s*(?:[,，、;；。\n]|$)")  # 信息6, / …共收到4 (cut): the unit implicit
_NOT_COUNT_BEFORE = "图表附第令号月日"  # 图1, 国务院令492号: numbering, not counts
_DA_COUNT = re.compile(r"大[\u4e00-\u9fff]")  # 9大重点领域, 8大板块: a count with 大
_AVERAGE = re.compile(r"平均|缩短|压缩|缩减|提速|用时")  # 平均3个工作日办结: a performance figure


def _kind_spans(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    clauses = _DigitClauses(text)
    for kind, pat, needs, digits in _NOT_CLAIM_PATTERNS:
        if needs is not None and needs.search(clauses.text if digits else text) is None:
            continue
        for a, b in clauses.finditer(pat) if digits else ((m.start(), m.end()) for m in pat.finditer(text)):
            if b > a:
                spans.append((a, b, kind))
    return spans


_CLAUSE_SEPARATOR = re.compile(r"[,;。，；]")
_DIGIT = re.compile(r"\d")


class _DigitClauses:
    """The clauses of ``text`` that hold a digit, each after the separator before it (,;。),
    joined: a pattern none of whose matches can cross a separator (none takes one) and each of
    which holds a digit finds the same matches there as in the whole text (each look-behind
    and look-ahead sees a separator or the text's start or end, as it would there), on about a
    third of the text. ``finditer`` gives their ``(start, end)`` in ``text``."""

    def __init__(self, text: str) -> None:
        parts, self.starts, self.shifts = [], [], []
        seps = [m.start() for m in _CLAUSE_SEPARATOR.finditer(text)]
        at = 0
        digit = _DIGIT.search(text)
        while digit is not None:
            i = bisect.bisect_left(seps, digit.start())
            a = seps[i - 1] if i else 0  # from the separator before it, for look-behinds
            b = seps[i] if i < len(seps) else len(text)
            parts.append(text[a:b])
            self.starts.append(at)
            self.shifts.append(a - at)
            at += b - a
            digit = _DIGIT.search(text, b)
        self.text = "".join(parts)

    def finditer(self, pat: re.Pattern[str]) -> Iterator[tuple[int, int]]:
        for m in pat.finditer(self.text):
            shift = self.shifts[bisect.bisect_right(self.starts, m.start()) - 1]
            yield m.start() + shift, m.end() + shift


def _covering_kind(spans: list[tuple[int, int, str]], s: int, e: int) -> Optional[str]:
    for a, b, kind in spans:
        if a <= s and e <= b:
            return kind
    return None


def _implicit_unit(t: str, ns: int, ne: int) -> bool:
    """Whether a number written without a unit still counts: after a word and before a clause
    break or the text's end (财务预决算信息6, / 共收到依申请公开信息4, / an opening cut at 共收到4),
    or before 大 and a noun (9大重点领域)."""
    before = t[ns - 1] if ns else ""
    if not ("\u4e00" <= before <= "\u9fff") or before in _NOT_COUNT_BEFORE:
        return False
    return bool(_IMPLICIT_END.match(t, ne) or _DA_COUNT.match(t, ne))


def find_quantities(text: str, *, with_zeros: bool = True) -> list[Quantity]:
    """Every number of ``text`` as a ``Quantity``, in order, plus the zeros stated in words.

    ``text`` may hold full-width digits (they are folded, offsets unchanged). Numbers that are
    not claims come back too, with their ``kind`` (``date``, ``docno`` …), so callers can show
    why they were set aside.
    """
    t = fold(text)
    kinds = _kind_spans(t)
    out: list[Quantity] = []
    for m in _QTY.finditer(t):
        ns, ne = m.span("num")
        # a number glued to letters or digits on its left (IPV6, 5G, A3) is an id, not a count
        if ns > 0 and (t[ns - 1].isascii() and t[ns - 1].isalnum() or t[ns - 1] in "-_/"):
            continue
        pre, num, post1, mult, post2, unit, post3 = m.group("pre", "num", "post1", "mult", "post2", "unit", "post3")
        is_cn = not _ARABIC_OR_PCT.match(num)
        post = post1 or post2 or post3
        if is_cn:
            # Chinese numerals count only with a measure word (一是, 三同步 are not quantities)
            if not unit:
                continue
            before = t[m.start() - 1] if m.start() > 0 else ""
            if num in ("零", "〇", "○"):
                continue  # 零件, 零星: words, not a zero (a zero count is written 0 or in words)
            vague = not pre and before in ("数", "几") and num[0] in "十百千万"  # 数十条, 几百件
            quoted = bool(before) and before in "“‘「\"'"
            idiom = num in _IDIOM_CN and unit not in _PERSON_UNITS or num in _IDIOM_QUOTED and quoted
            if idiom and not (mult or post) or vague or quoted:
                kind0 = "idiom"  # 一个, 两个, “五个一律”, 数十条: a set phrase or a vague count
            else:
                kind0 = "quantity"
        else:
            kind0 = "quantity"
        if num.startswith("百分之"):
            value = parse_number(num[3:])
            unit = "%"
        else:
            value = parse_number(num + (mult or "").strip())
        if value is None:
            continue
        # the quantity's extent: qualifier + number (+ multiplier) (+ 余/多) + unit (+ 以上)
        start = m.start("pre") if pre else ns
        end = m.end()
        if unit is None and not (mult or post):
            end = ne
        kind = _covering_kind(kinds, ns, ne) or kind0
        if kind == "list_number" and not is_cn and (pu := _PAREN_UNIT.match(t, ne)) \
                and "\u4e00" <= t[max(0, ns - 2)] <= "\u9fff":  # 共(29)件 after a word; (2)组织 starts a clause
            kind, unit, end = "quantity", pu.group("unit"), pu.end()  # (1386)条: a count, not (3)
        if kind == "quantity":
            if unit in TIME_UNITS:
                kind = "quantity" if _AVERAGE.search(t[max(0, start - 8):start]) else "time"
            elif unit is None and not mult:
                if _YEAR_BARE.fullmatch(num) and not _LEFT_METRIC.search(t[max(0, start - 4):start]):
                    kind = "year"
                elif not _LEFT_METRIC.search(t[max(0, start - 4):start]) and not post \
                        and not _implicit_unit(t, ns, ne):
                    kind = "bare"
        qualifier = pre or post
        if pre and post:
            qualifier = pre + post
        approx = bool(qualifier) and any(q in APPROX_QUALIFIERS for q in ((pre or ""), (post or "")))
        # the number as written: qualifier before it, multiplier and 余/多 after it, no unit
        nend = max(ne, m.end("mult") if mult else ne, m.end("post1") if post1 else ne,
                   m.end("post2") if post2 else ne)
        out.append(Quantity(start, end, text[start:end], value, start, nend, text[start:nend],
                            unit, approx, qualifier, kind))
    out = _share_units(t, text, out)
    if with_zeros:
        out.extend(find_zeros(t))
        out.sort(key=lambda q: (q.num_start, q.kind != "zero"))
    return out


_FROM_TO = re.compile(
    r"(?:由|从)(?:原来的|原先的|原|过去的)?[^，。；;,\n由从]{0,3}?(?P<a>\d+(?:\.\d+)?)(?P<gap>[^，。；;,\n\d]{0,8}?)"
    r"(?:缩短至|缩短为|缩短到|缩减至|缩减为|缩至|减少至|减少为|减少到|减至|降至|降低至|降低为|降为|压缩至|压缩为|压缩到"
    r"|提高至|提高到|提高为|提升至|提升到|提升为|增加至|增加到|增加为|增至|增长至|增长到|上升至|上升到|扩大至|扩大到|到|至)"
    r"(?P<b>\d+(?:\.\d+)?)"
)


def _share_units(t: str, text: str, found: list[Quantity]) -> list[Quantity]:
    """Two figures of one 由…缩至… phrase (``由30缩至12分钟``, ``从5个增加到12个``): the first
    written without its unit takes the second's, and its kind with it (a time stays a time)."""
    by_start = {q.num_start: i for i, q in enumerate(found)}
    for m in _FROM_TO.finditer(t):
        ia, ib = by_start.get(m.start("a")), by_start.get(m.start("b"))
        if ia is None or ib is None:
            continue
        qa, qb = found[ia], found[ib]
        if qa.unit is not None or qb.unit is None or m.group("gap").strip() or qa.value is None:
            continue
        kind = qb.kind if qb.kind in ("quantity", "time") else qa.kind
        found[ia] = replace(qa, unit=qb.unit, kind=kind)
    return found


# ---------------------------------------------------------------------------
# Zeros stated in words
# ---------------------------------------------------------------------------

ZERO_OBJECTS: dict[str, re.Pattern[str]] = {
    "申请": re.compile(r"申请(?!人的?行政)|依申请"),
    "行政复议": re.compile(r"行政复议|复议"),
    "行政诉讼": re.compile(r"行政诉讼|诉讼"),
    "收费": re.compile(r"处理费|收费|费用"),
    "不予公开": re.compile(r"^[“\"‘']?不予公开"),  # right after the negation: 无不予公开情况, 没有“不予公开”
    "咨询": re.compile(r"咨询"),  # 未接到…咨询: letters and questions (mailbox)
    "投诉": re.compile(r"投诉|申诉|举报"),  # other quantities a zero denies (guide §8.9)
    "责任追究": re.compile(r"责任追究"),
}
"""What a zero in words can be about. The claims stage maps each object to a metric
(``nlp.metrics.ZERO_OBJECT_METRIC``); 申请 denied with the verb 受理/办理 is ``受理申请``."""

_ZERO = re.compile(
    r"(?P<neg>(?:尚未|均未|并未|从未|暂未|未曾|全年未|未|没有|暂无|均无|不存在|无))"
    r"(?P<via>(?:向|对|因)[^，。；;,\n]{1,20}?(?=收取|引起|引发|产生|发生|提起|减免))?"  # 未向申请人收取, 未因…引起
    r"(?P<verb>收到|接到|受理|产生|收取|发生|出现|有|办理|引起|引发|提起|涉及|收费)?"
    r"(?P<rest>(?:(?!没有|尚未|未|暂无|均无|无(?!法))[^，。；;,\n！？]){0,30})"  # up to the next negation
)
_ZERO_PAIR = re.compile(r"(?:行政复议|复议|行政诉讼|诉讼)(?:案件?|申请)?(?:和|、|及|与|以及)(?:被?提起|提出)?(?:行政复议|复议|行政诉讼|诉讼)")
_ZERO_BAD_AFTER = re.compile(r"^(?:正当理由|法(?!人)|需|须|论|关(?!于)|误|效|按时|及时|按期|依法|予以|涉及|其他需要)")


def find_zeros(text: str) -> list[Quantity]:
    """Zeros stated in words: 未收到政府信息公开行政复议、行政诉讼 (two objects), 全年未收到依申请公开,
    没有产生信息公开处理费, 未收取任何费用, 无政府信息公开行政复议和行政诉讼案件发生.

    Each is a ``Quantity`` of kind ``zero``, value 0, its number span the negation (未收到),
    its ``objects`` the things said to be none.
    """
    t = fold(text)
    out = []
    for m in _ZERO.finditer(t):
        neg, verb, rest = m.group("neg"), m.group("verb"), m.group("rest")
        if not verb and neg not in ("无", "暂无", "均无", "没有", "不存在"):
            continue
        if verb == "收费":  # 政府信息公开未收费: the verb names its object
            rest = verb + rest
        if _ZERO_BAD_AFTER.match(rest):
            continue
        if not verb:  # 无/没有 + object directly, a few words at most
            # …and the object it joins (无因…引起的行政复议和行政诉讼: two objects)
            pair = _ZERO_PAIR.search(rest)
            rest = rest[:max(16, pair.end() if pair and pair.start() < 16 else 0)]
        objects = []
        for name, pat in ZERO_OBJECTS.items():
            if pat.search(rest):
                objects.append(name)
        if "收费" in objects and len(objects) > 1:
            objects = [o for o in objects if o != "申请"] if re.search(r"处理费|收费", rest) else objects
        if "申请" in objects and "不予公开" in objects and rest.find("不予公开") < rest.find("申请"):
            objects.remove("申请")  # 无不予公开的申请: none denied, not none received
        if "申请" in objects and ("行政复议" in objects or "行政诉讼" in objects):
            # 未收到申请人的行政复议和行政诉讼: the applicant's appeals, not applications
            objects.remove("申请")
        if not objects:
            continue
        if verb in ("受理", "办理") and "申请" in objects:
            # 未受理…申请: applications handled, which the guide reads as received_all (§8.5)
            objects[objects.index("申请")] = "受理申请"
        if "收费" in objects and not verb and not re.search(r"收费|处理费", rest[:12]):
            continue
        ns, ne = m.start(), m.end("verb") if verb else m.end("neg")
        end = m.end()
        out.append(Quantity(ns, end, text[ns:end], 0, ns, ne, text[ns:ne], None, False, None,
                            "zero", tuple(objects)))
    return out


def with_kind(q: Quantity, kind: str) -> Quantity:
    """A copy of ``q`` with another kind."""
    return replace(q, kind=kind)


# ---------------------------------------------------------------------------
# What an approximate value admits (余/近/约), and numbers written back
# ---------------------------------------------------------------------------

_EPS = 1e-6
_NEAR = ("将近", "接近", "几近", "近", "不到", "不足", "少于", "未满", "不满")
_NEAR_OPEN = ("不到", "不足", "少于", "未满", "不满")
_ABOUT = ("大约", "大概", "大致", "约", "左右", "上下", "前后")
_OVER = ("余", "多", "以上", "超过", "逾", "过", "超", "突破", "至少", "有余")
_OVER_OPEN = ("超过", "逾", "过", "超", "突破")


def magnitude_step(value: Number) -> float:
    """The place value of the last non-zero digit: 1300 → 100, 70 → 10, 1000 → 1000, 12 → 1.

    ``N余`` / ``N多`` / ``N以上`` cover ``[N, N + step)``: 1300余 is 1300 to 1399.

    >>> magnitude_step(1300), magnitude_step(70), magnitude_step(12), magnitude_step(2.5)
    (100.0, 10.0, 1.0, 0.1)
    """
    v = abs(float(value))
    if v < _EPS:
        return 1.0
    if not float(v).is_integer():
        # 1.5万 arrives as 15000.0 (integer); a true fraction steps at its last decimal
        s = f"{v:.6f}".rstrip("0")
        decimals = len(s.split(".")[1]) if "." in s else 0
        return 10.0 ** (-decimals)
    n = int(round(v))
    step = 1
    while n % 10 == 0 and n:
        n //= 10
        step *= 10
    return float(step)


def _qualifier_family(qualifier: Optional[str]) -> str:
    q = (qualifier or "").strip()
    for family, words in (("near", _NEAR), ("over", _OVER), ("about", _ABOUT)):
        if any(w in q for w in words):
            return family
    return "about"


def approx_bounds(value: Number, qualifier: Optional[str]) -> tuple[float, float, bool, bool]:
    """The figures an approximate ``value`` admits: ``(lo, hi, lo_open, hi_open)``.

    - 近/将近/接近 N: ``[0.85·N, N]`` (不到/不足/少于 N: ``[0.85·N, N)``);
    - 约/大约/左右/上下 N (and an approximate value with an unknown qualifier): ``[0.9·N, 1.1·N]``;
    - N余/多/以上/至少: ``[N, N + step)``, step the place of N's last non-zero digit
      (1300余 → [1300, 1400), 70多 → [70, 80)); 超过/逾 N: ``(N, N + step)``.

    >>> approx_bounds(1300, "余")
    (1300.0, 1400.0, False, True)
    >>> approx_bounds(70, "近")
    (59.5, 70.0, False, False)
    """
    v = float(value)
    family = _qualifier_family(qualifier)
    q = qualifier or ""
    if family == "near":
        return 0.85 * v, v, False, any(w in q for w in _NEAR_OPEN)
    if family == "over":
        return v, v + magnitude_step(v), any(w in q for w in _OVER_OPEN), True
    return 0.9 * v, 1.1 * v, False, False


def approx_consistent(value: Number, qualifier: Optional[str], figure: Number) -> bool:
    """Whether an approximate ``value`` with ``qualifier`` admits ``figure`` (:func:`approx_bounds`)."""
    lo, hi, lo_open, hi_open = approx_bounds(value, qualifier)
    f = float(figure)
    above = f > lo + _EPS if lo_open else f >= lo - _EPS
    below = f < hi - _EPS if hi_open else f <= hi + _EPS
    return above and below


BLANK_WORD = "空白"
"""How a missing figure (a blank cell, no value) is written in a message."""


def format_number(v: Optional[Number]) -> str:
    """A figure as a message writes it: integers without ``.0``, fractions to at most four
    decimals, a missing figure as :data:`BLANK_WORD`.

    >>> format_number(3.0), format_number(12.3456789), format_number(None)
    ('3', '12.3457', '空白')
    """
    if v is None:
        return BLANK_WORD
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)

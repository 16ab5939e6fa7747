"""Find the six sections of a report and read its title, agency and year.

    find_sections(Document) -> Sections

A section heading is a Chinese numeral followed by ``、`` (or a similar separator), at the
start of a line or after a sentence break (crawler text glues whole reports onto one line),
whose words name one of the six sections (``SECTION_KEYS``). The numeral alone decides
nothing: table B's row labels ``一、本年新收…`` and ``四、结转下年度继续办理`` carry numerals too,
and real reports repeat or skip numerals. Among all candidate headings the reader keeps the
largest set that appears in the template's order. Text before the first section is the
``preamble``. Pre-2019 reports have a free-form outline: the headings that fit a section
(``概述`` -> overview, ``主动公开情况`` -> active …) are mapped, the rest belong to the section
before them. Where no heading names the overview, a first heading ``一、`` of other words is
the overview (一、健全组织、强化领导), or a report that gives its overview no heading opens it with
its first subsection (``(一)主动公开情况``), its heading then empty.

The title is the title line, else a sentence of the preamble that names the report (现公布…,
由…编制的…) with the sentence's own words taken off; a document the text cites (《…通知》,
<…年度报告格式>) is never the title, and an agency the words before the title's year do not
name (我局, 首页, 中华人民共和国) is left unread.

The year (``meta.year`` with ``year_evidence``) comes from the title, else the statistics
period (``2023年1月1日至2023年12月31日``), else the year most often written in the overview,
else in the whole text: the one year detector, which the tables stage asks for the template.
``TABLE_HEADINGS`` / ``is_table_heading`` are the one heading detector of the table sections.

Everything is regular expressions over the text; matching runs on a view of ``Document.text``
with full-width forms and the traditional forms of the heading words folded one character to
one character, so offsets into the view are offsets into ``Document.text``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from nlp.schema import SECTION_KEYS, Document, ReportMeta, Section, Sections
from nlp.text import fold

__all__ = ["find_sections", "heading_candidates", "is_table_heading", "TABLE_HEADINGS"]


# ---------------------------------------------------------------------------
# Headings
# ---------------------------------------------------------------------------

_NUMERALS = "一二三四五六七八九十"
_CJK = "\u4e00-\u9fff"

# A numeral run that starts where no CJK character precedes it (so not 第三、), then 、 or a
# similar separator; or 第…部分. (The look-behind comes after the first numeral, so that both
# branches start with a character they match and the engine jumps to those.)
_HEAD_RE = re.compile(
    rf"(?P<num>[{_NUMERALS}](?<![{_CJK}][{_NUMERALS}])[{_NUMERALS}]{{0,2}})(?:[ \t]*[、,.:][ \t]*|[ \t]+)"
    rf"|第(?P<part>[{_NUMERALS}]{{1,3}})部分[ \t]*[、,.:]?[ \t]*"
)

# Words that name each section, as they appear in real headings (2019/2021 templates and
# the older outlines). The earliest keyword in a heading decides its section.
_KEYWORDS: dict[str, str] = {
    "overview": r"总体|概述|概况|综述|基本情况|(?:基本|主要|重点)工作(?:开展|落实)?情况|工作开展情况|主要任务落实情况",
    "active": r"主动公开",
    "requests": (
        r"依申请|收到和处理|收到及处理|受理和处理|申请(?:的)?(?:受理|办理|处理|答复)|"
        r"申请公开(?:工作)?情况|公开申请(?:的)?情况"
    ),
    "review": r"复议|诉讼",
    "problems": r"问题|不足|改进|整改",
    "other": r"其[他它](?:需要|需)?(?:报告|说明)|其[他它](?:有关)?事项|需要报告的事项",
}
_KEY_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _KEYWORDS.items()))

# The three table sections' headings in the template's own words (traditional forms too, for a
# text that was not converted). The second-chance search: a heading the outline above did not
# keep (glued into a table's text, out of order) still tells that the report has the section.
TABLE_HEADINGS: dict[str, re.Pattern[str]] = {
    "active": re.compile(r"[一二三四五六七八九十][、.][^\n。]{0,8}主[动動]公[开開]政府信息[^\n。]{0,6}情[况況]"),
    "requests": re.compile(r"[一二三四五六七八九十][、.][^\n。]{0,8}收到和[处處]理政府信息公[开開]申[请請]"),
    "review": re.compile(r"[一二三四五六七八九十][、.][^\n。]{0,14}行政[复復][议議][^\n。]{0,8}行政[诉訴][讼訟]"),
}


def is_table_heading(key: str, s: str) -> bool:
    """Does ``s`` hold the template's heading of table section ``key``
    (``三、收到和处理政府信息公开申请情况``)?"""
    pat = TABLE_HEADINGS.get(key)
    return pat is not None and pat.search(fold(s)) is not None

# Row labels of table B that start with a numeral too: never section headings.
_TABLE_LABEL_RE = re.compile(
    r"本年新收|上年结转|结转下年|本年度办理结果|办理结果|予以公开|部分公开|不予公开|无法提供|"
    r"不予处理|其他处理|总计|申请人情况"
)
# Where the words of a heading end when the heading is glued to its body on one line.
_TERM_RE = re.compile(r"情况|事项|措施|概述|概况|统计表")
_NEWLINE_RE = re.compile("\n")
_LIST_CONTEXT_RE = re.compile(r"[;:,、][ \t]*$")
_LINE_PREFIX_RE = re.compile(r"[ \t#*>|\-]*")
_WINDOW_END_RE = re.compile(r"[。;!?|]")  # a heading's keyword window ends at a sentence break
_KEYWORD_WINDOW = 20  # a heading's keyword starts within this many chars after the numeral
_SHORT_LINE = 50  # a heading line up to this long is the heading as a whole
_SPACED_RE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class _Candidate:
    key: str
    start: int  # offset of the numeral (or of the line's markup, for a line heading)
    heading_end: int  # end of the heading's words
    body_start: int
    weight: float


def _numeral_value(num: str) -> int:
    if num == "十":
        return 10
    if num.startswith("十"):
        return 10 + _NUMERALS.index(num[1]) + 1
    if "十" in num:
        tens, _, units = num.partition("十")
        return (_NUMERALS.index(tens) + 1) * 10 + (_NUMERALS.index(units) + 1 if units else 0)
    return _NUMERALS.index(num[0]) + 1 if len(num) == 1 else 0


def _candidates(v: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    newlines = [m.start() for m in _NEWLINE_RE.finditer(v)]
    for m in _HEAD_RE.finditer(v):
        k = bisect.bisect_left(newlines, m.start())
        line_start = newlines[k - 1] + 1 if k > 0 else 0
        k2 = bisect.bisect_left(newlines, m.end())
        line_end = newlines[k2] if k2 < len(newlines) else len(v)
        rest = v[m.end() : min(line_end, m.end() + 60)]
        if not rest or _TABLE_LABEL_RE.match(rest.lstrip()):
            continue
        window = _WINDOW_END_RE.split(rest[:_KEYWORD_WINDOW + 12], maxsplit=1)[0]
        km = _KEY_RE.search(window) or _KEY_RE.search(_SPACED_RE.sub("", window))  # 概 述: a heading set out with spaces
        if km is None or km.start() >= _KEYWORD_WINDOW:
            continue
        key = km.lastgroup or ""
        at_line_start = _LINE_PREFIX_RE.fullmatch(v, line_start, m.start()) is not None
        line_text = v[m.start() : min(line_end, m.start() + _SHORT_LINE + 1)].rstrip(" \t|")
        if at_line_start and line_end - m.start() <= _SHORT_LINE:
            heading_end = m.start() + len(line_text)
            body_start = min(line_end + 1, len(v))
        else:
            tm = _TERM_RE.search(rest, km.start(), km.start() + 40)
            heading_end = m.end() + (tm.end() if tm else km.end())
            body_start = heading_end
        num = m.group("num") or m.group("part")
        ordinal_fits = _numeral_value(num) == SECTION_KEYS.index(key) + 1
        weight = 1.0 + (0.2 if at_line_start else 0.0) + (0.1 if ordinal_fits else 0.0)
        if not at_line_start and _LIST_CONTEXT_RE.search(v, max(line_start, m.start() - 3), m.start()):
            weight -= 0.6  # an entry of a list of contents (本报告包括:一、总体情况;二、…)
        out.append(_Candidate(key, m.start(), heading_end, body_start, weight))
    return out


def _in_order(cands: list[_Candidate]) -> list[_Candidate]:
    """The heaviest chain of candidates whose keys follow SECTION_KEYS order (each key once).

    Candidates come in text order; ``best[k]`` is the heaviest chain so far that ends with
    key ``k`` (O(candidates × keys)). On ties the earlier chain is kept.
    """
    nk = len(SECTION_KEYS)
    best: list[tuple[float, int]] = [(0.0, -1)] * nk  # (weight, index of its last candidate)
    prev = [-1] * len(cands)
    for i, c in enumerate(cands):
        k = SECTION_KEYS.index(c.key)
        base_w, base_i = max(best[:k], key=lambda b: b[0], default=(0.0, -1))
        if base_w <= 0.0:
            base_i = -1
        w = base_w + c.weight
        if w > best[k][0]:
            best[k] = (w, i)
            prev[i] = base_i
    w, i = max(best, key=lambda b: b[0])
    chain = []
    while i >= 0:
        chain.append(cands[i])
        i = prev[i]
    return chain[::-1]


def heading_candidates(doc: Document) -> list[tuple[str, int, int, bool]]:
    """Every line or sentence start that reads as a section heading, kept or not by
    :func:`find_sections` (which keeps the largest set in the template's order): ``(key,
    start, heading_end, at_line_start)``. A heading the outline did not keep is a section out
    of order (the checks' outline rule asks)."""
    v = fold(doc.text)
    out = []
    for c in _candidates(v):
        k = v.rfind("\n", 0, c.start) + 1
        out.append((c.key, c.start, c.heading_end, _LINE_PREFIX_RE.fullmatch(v, k, c.start) is not None))
    return out


# ---------------------------------------------------------------------------
# Title, agency, year
# ---------------------------------------------------------------------------

_TITLE_RE = re.compile(r"政府信息公开(?:工作)?(?:年度)?(?:报告|年报)")
_QUOTED_TITLE_RE = re.compile(r"《([^《》\n]{0,60}?政府信息公开(?:工作)?(?:年度)?(?:报告|年报))》")
_TITLE_PREFIX_RE = re.compile(r"^[ \t#*>|\-]*(?:标题|题目|名称)?[ \t]*:?[ \t]*")
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "O": "0", **{d: str(i + 1) for i, d in enumerate("一二三四五六七八九")}}
_YEAR_RE = re.compile(r"((?:19|20)\d{2})[ \t]*年")
_CN_YEAR_RE = re.compile(r"(二[〇零○O][〇零○O一二三四五六七八九]{2})[ \t]*年")
_YEAR_DROP_RE = re.compile(r"(?:19|20)\d{2}[ \t]*年度?|二[〇零○O][〇零○O一二三四五六七八九]{2}年度?")
_PERIOD_RE = re.compile(
    r"((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起\s*)?(?:至|到|—|–|-|~)\s*"
    r"((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日"
)
_DIVISION_RE = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:省|市|县|区|州|旗|盟|乡|镇)")
_ZONE_RE = re.compile(r"(?:实验|开发|新|高新|园|示范|保税|试验|合作|综合|工业|功能|管理|景)区$")
_PUBLISHER_RE = re.compile(r"发布机构[ \t]*:?[ \t]*([^\s|:]{2,40})")
_SITE_SUFFIX_RE = re.compile(r"[ \t]*[-_|—–]")
_CJK_LINE_RE = re.compile(r"[\u4e00-\u9fff()]{2,30}")


def _year_of(s: str) -> Optional[int]:
    m = _YEAR_RE.search(s)
    if m:
        return int(m.group(1))
    m = _CN_YEAR_RE.search(s)
    if m:
        return int("".join(_CN_DIGITS[c] for c in m.group(1)))
    return None


_SPACES_RE = re.compile(r"\s+")
_ABOUT_RE = re.compile(r"^(?:关于)")
_BLANKS_RE = re.compile(r"[ \t]{1,}")


_TITLE_TAIL_RE = re.compile(r"[ \t]*(?:[》>。,，:：;；]|如下|编制如下)")
"""After a title's words in a sentence: where the title ends (“…年度报告》,现予公布。”, “…年度报告如下:”)."""
_LEAD_RE = re.compile(
    r"(?:.{0,12}?(?:现将|现予以?公布|现向社会公[布开]|特向社会公[布开]|特此公布|特公布|现公布|现公开|现发布|编制本报告|"
    r"特编制并向社会公布|编制了|并向社会公布|向社会公[布开]|予以公布))+"
)
"""The words of the sentence before a title it names (“现公布泰州市人民政府2017年…年度报告”,
“编制本报告现向社会公开安乐乡…”)."""
_BY_RE = re.compile(r"由([^,，。、;；]{2,30}?)编制的")
"""“由广州市荔湾区人民政府编制的2016年度…年度报告”: the agency between 由 and 编制的."""


def _lead_length(v: str) -> int:
    m = _LEAD_RE.match(v)
    return m.end() if m else 0


def _unlead(title: str, lead: int) -> str:
    title = title[lead:].lstrip(" \t,，:：")
    by = _BY_RE.match(title)
    return by.group(1) + title[by.end():] if by else title


_NOT_AN_AGENCY_RE = re.compile(
    r"^(?:公开)?[我本](?:[局委办厅署市县区镇乡]|单位|街道|中心)|首页|发布日期|[/>、]|^中华人民共和国$|^[\d\s]+$|"
    r"^(?:以及|开展|为|根据|按照|依据|结合)|做好|贯彻"
)
"""What the words before a title's year may be that no agency is: a pronoun (我局, 本街道), a page's
breadcrumbs or fields, the list of the report's parts, the name of the regulation or format, a
year alone, the start of a sentence (根据…, 为认真贯彻落实上级关于切实做好…)."""


def _agency_part(title: str) -> str:
    m = _TITLE_RE.search(title)
    s = title[: m.start()] if m else title
    s = _YEAR_DROP_RE.sub("", s)
    s = _SPACES_RE.sub("", s)
    s = _ABOUT_RE.sub("", s.removeprefix("标题"))
    s = s.strip("《》\"'“”()的:-|")
    if s.startswith("(") or ")" in s.split("(")[0]:  # “(文字版)2015年芜湖市…”: a note before the name
        s = s.split(")", 1)[-1]
    return s.strip("《》\"'“”()的:-|")


def _agency(title: Optional[str]) -> Optional[str]:
    if not title:
        return None
    s = _agency_part(title)
    if not s or len(s) > 40 or _NOT_AN_AGENCY_RE.search(s):
        return None
    if _DIVISION_RE.fullmatch(s) and not _ZONE_RE.search(s):
        s += "人民政府"
    return s


_CITED_AFTER_RE = re.compile(r"[^《》<>\n]{1,40}[》>]")
"""After a title's words, more of a 《…》 name: the line cites a document about the reports."""
_QUOTED_RE = re.compile(r"《[^《》\n]{0,80}》")


def _years(v: str, lo: int, hi: int, cited: bool) -> Counter:
    """How often each year is written in ``v[lo:hi]``; without ``cited``, leaving out the years
    of the document names it cites (《…规划(2021—2025年)》)."""
    quoted = [] if cited else [(q.start(), q.end()) for q in _QUOTED_RE.finditer(v, lo, hi)]
    return Counter(m.group(1) for m in _YEAR_RE.finditer(v, lo, hi) if not any(a < m.start() < b for a, b in quoted))


def _title_candidates(text: str, v: str, limit: int) -> list[tuple[tuple, str]]:
    """(score, title) for each title-like line or quoted title before ``limit``."""
    out: list[tuple[tuple, str]] = []
    prev_line = ""
    pos = 0
    for line in v[:limit].split("\n"):
        start = pos
        pos += len(line) + 1
        m = _TITLE_RE.search(line)
        if m is None:
            if line.strip(" \t|-"):
                prev_line = line.strip(" \t|")
            continue
        # the title runs from the line start (markup stripped) or the last break before it
        pre = _TITLE_PREFIX_RE.match(line)
        t0 = pre.end() if pre else 0
        brk = max(line.rfind(ch, t0, m.start()) for ch in ":。,;!?|《》<>")
        if brk >= t0 and brk >= 0:
            t0 = brk + 1
        if brk >= 0 and line[brk] in "《<" and _CITED_AFTER_RE.match(line, m.end()):
            continue  # a document it cites (《…年度报告编制和发布工作的通知》, <中华人民共和国…年度报告格式>)
        if len(line) - t0 > _SHORT_LINE:  # long line: the title ends with the match
            gap = _BLANKS_RE.search(line[t0 : m.start()][::-1])
            if gap and m.start() - t0 > 40:
                t0 = m.start() - gap.start()
            t1 = m.end()
        else:
            t1 = len(line.rstrip(" \t|"))
        lt = line.find("<", m.end(), t1)  # an HTML tag after the title
        if lt >= 0:
            t1 = lt
        if _SITE_SUFFIX_RE.match(line, m.end(), t1) or _TITLE_TAIL_RE.match(line, m.end(), t1):
            t1 = m.end()  # "…年度报告-沭阳县发改局" (a page title), "…年度报告》,现予公布。"
        lead = _lead_length(v[start + t0 : start + t1])  # 现公布…, 由…编制的
        title = _unlead(text[start + t0 : start + t1].strip(), lead)
        title_v = _unlead(v[start + t0 : start + t1].strip(), lead)
        if not _agency_part(title_v) and _CJK_LINE_RE.fullmatch(prev_line.strip()):
            title = prev_line.strip() + title  # agency on the line above (seed 001)
            title_v = title
        score = (_year_of(title_v) is not None, bool(_agency_part(title_v)), 1, -start)
        out.append((score, title))
        prev_line = line.strip(" \t|")
    for m in _QUOTED_TITLE_RE.finditer(v, 0, limit):
        title = text[m.start(1) : m.end(1)]
        score = (_year_of(m.group(1)) is not None, bool(_agency_part(m.group(1))), 0, -m.start())
        out.append((score, title))
    return out


def _meta(doc: Document, v: str, sections: list[Section]) -> ReportMeta:
    first = next((s for s in sections if s.key != "preamble"), None)
    limit = first.start if first is not None and first.start > 0 else min(len(v), 3000)
    cands = _title_candidates(doc.text, v, limit)
    title = max(cands)[1] if cands else None
    title_v = fold(title) if title else None

    agency = _agency(title_v)
    if agency is None:
        pm = _PUBLISHER_RE.search(v, 0, limit)
        if pm and not _NOT_AN_AGENCY_RE.search(pm.group(1)):  # not the next field (发布日期) of an empty one
            agency = doc.text[pm.start(1) : pm.end(1)]

    year: Optional[int] = None
    evidence: Optional[str] = None
    if title_v and _year_of(title_v) is not None:
        year = _year_of(title_v)
        evidence = f"标题“{title}”中的{year}年"
    if year is None:
        for m in _PERIOD_RE.finditer(v, 0, min(len(v), limit + 3000)):
            if m.group(1) == m.group(2):
                year = int(m.group(1))
                evidence = f"统计期限“{doc.text[m.start():m.end()]}”"
                break
    if year is None:  # the year most written in the overview, else the whole text; the years of
        # the documents it cites only when it writes no other (《2023年东城区政务公开工作要点》)
        ov = next((s for s in sections if s.key == "overview"), None)
        spans = ([(ov.start, ov.end, "总体情况")] if ov is not None else []) + [(0, len(v), "全文")]
        for cited, (lo, hi, where) in ((c, sp) for c in (False, True) for sp in spans):
            counts = _years(v, lo, hi, cited)
            if counts:
                y, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
                year = int(y)
                evidence = f"{where}中最常出现的年份{y}年({n}次)"
                break
    return ReportMeta(title=title, agency=agency, year=year, script=doc.script, year_evidence=evidence)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


_FIRST_SUBSECTION_RE = re.compile(r"(?m)^[ \t#*>|\-]*(?:一[ \t]*[、,.:]?[ \t]*\n[ \t#*>|\-]*)?\(一\)")


_FIRST_HEADING_RE = re.compile(r"(?m)^[ \t#*>|\-]*(一[ \t]*[、.．][^\n]{2,%d})$" % _SHORT_LINE)


def _implicit_overview(v: str, before: int) -> Optional[_Candidate]:
    """The overview of a report whose overview heading names no section, before ``before`` (the
    first heading found): a heading line 一、… of other words (一、健全组织、强化领导,
    一、及时发布政务信息,接受监督: the first part of every outline since 2008 is the overview), or
    the first subsection (“(一)主动公开情况”, under a bare “一、” or none) that opens an overview
    given no heading at all, its heading then left empty."""
    head = _FIRST_HEADING_RE.search(v, 0, before)
    sub = _FIRST_SUBSECTION_RE.search(v, 0, before)
    if head is not None and (sub is None or head.start() <= sub.start()):
        end = head.end(1)
        return _Candidate("overview", head.start(1), end, min(end + 1, len(v)), 1.0)
    if sub is None:
        return None
    start = sub.start() + len(sub.group(0)) - len(sub.group(0).lstrip(" \t#*>|-"))
    return _Candidate("overview", start, start, start, 1.0)


def find_sections(doc: Document) -> Sections:
    """Split a report into its sections and read its title, agency and year.

    Parameters
    ----------
    doc:
        The ingested report; ``doc.text`` is read.

    Returns
    -------
    Sections
        ``meta`` (title, agency, year with ``year_evidence``, script) and the sections in
        text order: ``preamble`` (text before the first heading, when there is any) and the
        keys of ``SECTION_KEYS`` that the report has. Each section runs from its heading to
        the next section's heading (the last to the end of the text); offsets index
        ``doc.text``. ``headings``: the table sections whose template heading is in the text
        (asked through ``Sections.has_heading``, so that later stages do not search again).
    """
    text = doc.text
    v = fold(text)
    chain = _in_order(_candidates(v))
    if not any(c.key == "overview" for c in chain):
        implicit = _implicit_overview(v, chain[0].start if chain else len(v))
        if implicit is not None:
            chain.insert(0, implicit)
    sections: list[Section] = []
    first_start = chain[0].start if chain else len(text)
    if text[:first_start].strip():
        sections.append(Section("preamble", "", 0, 0, first_start))
    for i, c in enumerate(chain):
        end = chain[i + 1].start if i + 1 < len(chain) else len(text)
        heading = text[c.start : c.heading_end].strip(" \t|#*").rstrip("、,.。:;，：；")
        sections.append(Section(c.key, heading, c.start, max(c.body_start, c.heading_end), end))
    headings = tuple(k for k, pat in TABLE_HEADINGS.items() if pat.search(v))
    return Sections(meta=_meta(doc, v, sections), sections=tuple(sections), headings=headings)

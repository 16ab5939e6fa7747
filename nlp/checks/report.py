"""The report as a whole: the standard tables present, the template that fits the year, and
the section rules of the template:

- ``sections.problems_empty``: 五 that says nothing (v1: empty or 无), or only one sentence (v2);
- ``sections.fee.v1``: 六 that does not say whether a 信息处理费 was charged, or that says no
  fee notice was issued while table B counts requests dropped for an unpaid fee;
- ``sections.outline.v1``: a section of the template missing, out of order, or numbered
  against the template;
- ``sections.period_blank.v1``: a statistics period left blank (统计期限自 年 月 日起…).
"""

from __future__ import annotations

import re
from typing import Any, Optional

from nlp.checks._evidence import _fmt, cell_ev, narrative_spans, pre2019
from nlp.checks.registry import CheckContext, NotAssessable, register
from nlp.numbers import cn_to_number
from nlp.reconcile import sentence_bounds, sentences_holding
from nlp.schema import SECTION_KEYS, TABLE_SHORT, Finding, finding
from nlp.sections import heading_candidates

_TABLE_NAMES = ("active", "requests", "review")
_TABLE_FULL = {"active": "表A(主动公开政府信息情况)", "requests": "表B(收到和处理政府信息公开申请情况)",
               "review": "表C(行政复议、行政诉讼情况)"}


@register("tables.missing.v1", kind="missing_table", severity="error", title="2019年以后的报告包含表A、表B、表C")
def tables_missing(ctx: CheckContext) -> list[Finding]:
    """A standard table the template needs is missing, or its section heading is there with
    no table. Nothing for a report of 2018 or before (no standard tables then)."""
    tables = ctx.tables
    if pre2019(ctx):
        raise NotAssessable("2018年及以前的报告不要求标准表格")
    out: list[Finding] = []
    for name in _TABLE_NAMES:
        if tables.get(name) is not None and name not in tables.empty_sections:
            continue
        sec = ctx.sections.get(name) if ctx.sections is not None else None
        title = _TABLE_FULL[name]
        if name in tables.empty_sections:
            heading = sec.heading if sec is not None else ""
            message = f"“{heading}”一节只有标题,没有{title}" if heading else f"{title}所在章节只有标题,没有表格"
        elif sec is not None:
            message = f"“{sec.heading}”一节没有读到{title}"
        else:
            message = f"报告缺少{title}及其所在章节"
        evidence: dict[str, Any] = {
            "table": name,
            "template": tables.template,
            "year": ctx.year,
            "section": None if sec is None else {"heading": sec.heading, "start": sec.start, "end": sec.end},
            "cells": [],
        }
        out.append(
            finding(
                "tables.missing.v1",
                "missing_table",
                "error",
                message,
                sha256=ctx.sha256,
                locus=f"{name}:missing",
                evidence=evidence,
                span=(sec.start, sec.end) if sec is not None else None,
            )
        )
    return out


@register("template.year.v1", kind="template", severity="warning", title="表格模板与报告年度相符")
def template_year(ctx: CheckContext) -> list[Finding]:
    """The template does not fit the year: the 2019 template in a report for 2021 or later,
    the 2021 template for 2019/2020, standard tables in a report for 2018 or before. Only where
    the form really is the other edition: a hybrid report (table A of one edition, table B of
    the other) is not taken for the old form."""
    tables = ctx.tables
    year = ctx.year
    if year is None:
        raise NotAssessable("未能识别报告年度")
    used = {t.definition.template for t in tables.all()} & {"2019", "2021"}
    if not used:
        used = {tables.template} & {"2019", "2021"}
    problem = None
    if year <= 2018 and tables.all():
        problem = f"{year}年度的报告不应有2019年后的标准表格,却读到了{'、'.join(TABLE_SHORT[t.name] for t in tables.all())}"
        expected = "pre2019"
    elif year >= 2021 and used == {"2019"}:
        problem = f"{year}年度的报告应使用2021年版表格,却使用了2019年版"
        expected = "2021"
    elif year in (2019, 2020) and used == {"2021"}:
        problem = f"{year}年度的报告应使用2019年版表格,却使用了2021年版"
        expected = "2019"
    if problem is None:
        return []
    return [
        finding(
            "template.year.v1",
            "template",
            "warning",
            f"表格模板与年度不符:{problem}",
            sha256=ctx.sha256,
            locus="template",
            evidence={
                "year": year,
                "year_evidence": ctx.meta.year_evidence if ctx.meta else None,
                "template": tables.template,
                "templates_read": sorted(used),
                "expected": expected,
                "cells": [],
            },
        )
    ]


_NOTHING_SAID = re.compile(r"^(?:本(?:年度|年)?|今年)?(?:暂)?(?:无|没有)(?:存在的?主要问题|问题|其他需要报告的事项)?$")


@register("sections.problems_empty.v1", kind="section_content", severity="warning", title="第五部分写明存在的问题及改进情况")
def problems_empty(ctx: CheckContext) -> list[Finding]:
    """Section 五 (存在的主要问题及改进情况) that says nothing but 无: the template asks for the
    problems and how they were improved (a quality check of the peer system)."""
    sec = ctx.sections.get("problems") if ctx.sections is not None else None
    if sec is None or not ctx.text:
        raise NotAssessable("未找到第五部分(存在的主要问题及改进情况)")
    body = _PUNCT_SPACE.sub("", ctx.text[sec.body_start:sec.end])
    if body and not _NOTHING_SAID.match(body):
        return []
    what = "为空" if not body else f"只写了“{ctx.text[sec.body_start:sec.end].strip()}”"
    return [
        finding(
            "sections.problems_empty.v1",
            "section_content",
            "warning",
            f"“{sec.heading.strip()}”一节{what},未说明存在的问题及改进情况",
            sha256=ctx.sha256,
            locus="problems",
            evidence={"section": "problems", "heading": sec.heading, "body": ctx.text[sec.body_start:sec.end].strip()},
            span=(sec.start, sec.end),
        )
    ]


_PUNCT_SPACE = re.compile(r"[\s,，、.。:：;；!！()（）\-—_|*#]+")




# ---------------------------------------------------------------------------
# 五 that is only a sentence
# ---------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^。！？!?\n]+")
"""A sentence of a section's body: what lies between its 。！？ and line breaks."""
_DATE_LINE = re.compile(r"^\s*(?:\d{4}|二[〇零○O][〇零○O一二三四五六七八九]{2})\s*年[\d一二三四五六七八九十〇零\s]*月[\d一二三四五六七八九十〇零\s]*日\s*$")
_CLAUSE_PUNCT = re.compile(r"[，,；;：:、]")
_FOUR_CJK = re.compile(r"(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){4}")
"""At least four Chinese characters (matched from the start)."""
_SUBHEADING = re.compile(r"^\s*[（(]?[一二三四五六七八九十\d]{1,2}[）)、.．]?\s*(?:存在的?(?:主要)?问题|改进(?:情况|措施)|整改措施|下一步工作)[。:：]?\s*$")


def content_sentences(body: str, at_most: Optional[int] = None) -> list[str]:
    """The sentences of a section's body that say something: not a date line, not a short
    line with no clause punctuation (the issuer's name under the text, a sub-heading such as
    “(一)存在的问题”), not a handful of characters. ``at_most``: the first ones only."""
    out: list[str] = []
    for m in _SENTENCE.finditer(body):  # read only as far as asked
        if at_most is not None and len(out) >= at_most:
            break
        chunk = m.group().strip(" \t|　")
        if not _FOUR_CJK.match(chunk) or _DATE_LINE.match(chunk) or _SUBHEADING.match(chunk):
            continue
        if _SIGNATURE.match(chunk):
            continue
        out.append(chunk)
    return out


_SIGNATURE = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(?:人民政府|政府|办公室|办公厅|局|委员会|委|办|厅|中心|院|部|站|所|处|街道办事处|镇|乡)"
                        r"(?:\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?$")
"""The issuer's name under the text (常州市机关事务管理局 2022年1月10日)."""
_NO_WORDS = re.compile(r"[-—_=*#|<>/\w\s]{0,3}")
"""A line of at most three word characters, spaces or rules (a page number, 附件, ---): not the text's last words."""
_END_LINE = re.compile(r"(?:[。！？!?；;…”\"）)]|\d{1,2}\s*日)$")


def cut_short(text: str) -> bool:
    """Whether the text stops mid-sentence (a page cut off, a crawl that stopped): its last
    line ends with neither a sentence's end nor a date, nor is the issuer's name. What a report
    cut short does not hold cannot be blamed on it."""
    for line in reversed(text.rstrip().splitlines()):  # the last line with words
        last = line.strip(" \t|　")
        if last and not _NO_WORDS.fullmatch(last):
            return not (_END_LINE.search(last) or _SIGNATURE.match(last))
    return False


@register("sections.problems_empty.v2", kind="section_content", severity="warning", title="第五部分写明存在的问题及改进情况(不只一句话)")
def problems_empty_v2(ctx: CheckContext) -> list[Finding]:
    """Section 五 (存在的主要问题及改进情况) that is empty, says only 无, or (a report of 2019 or
    later) is only one sentence (“本年度无明显问题。”): the template asks for the problems and
    how they were improved. A 五 that ends a text cut short (:func:`cut_short`) is not judged
    by its sentences."""
    sec = ctx.sections.get("problems") if ctx.sections is not None else None
    if sec is None or not ctx.text:
        raise NotAssessable("未找到第五部分(存在的主要问题及改进情况)")
    raw = ctx.text[sec.body_start:sec.end]
    body = _PUNCT_SPACE.sub("", raw)
    said = content_sentences(raw, at_most=2)  # more than one is all this asks
    if body and not _NOTHING_SAID.match(body) and len(said) > 1:
        return []
    if body and not _NOTHING_SAID.match(body):
        if pre2019(ctx):
            return []  # the one-sentence rule is the template's (2019 on); older outlines were free
        if sec.end >= len(ctx.text.rstrip()) - 1 and cut_short(ctx.text):
            raise NotAssessable("报告文本在第五部分中途结束(可能不完整),无从判断该节是否只有一句话")
    if not body:
        what = "为空"
    elif _NOTHING_SAID.match(body) or not said:
        what = f"只写了“{raw.strip()}”"
    else:
        what = f"只有一句话“{said[0][:80]}”"
    return [
        finding(
            "sections.problems_empty.v2",
            "section_content",
            "warning",
            f"“{sec.heading.strip()}”一节{what},未具体说明存在的问题及改进情况",
            sha256=ctx.sha256,
            locus="problems",
            evidence={"section": "problems", "heading": sec.heading, "body": raw.strip()[:500],
                      "sentences": len(said)},
            span=(sec.start, sec.end),
        )
    ]


# ---------------------------------------------------------------------------
# 六 and the 信息处理费
# ---------------------------------------------------------------------------

FEE_FROM_YEAR = 2021
"""《政府信息公开信息处理费管理办法》 applies from 1 January 2021; the reports for 2021 on say
in 六 whether a 信息处理费 was charged."""
_FEE = re.compile(r"信息处理费|处理费|收费|收取[^，。；;]{0,12}费|费用")
_ADMIN_FEE = re.compile(r"行政事业性收费")
_FEE_NONE = re.compile(
    r"(?:未|没有|无|不|免|零)[^，。；;]{0,14}(?:收取|收费|产生|发生|征收|收缴)|免费|零收费|"
    r"(?:收取|收费)[^，。；;]{0,8}(?:为|是)?\s*(?:0|零)\s*元"
)
_FEE_CHARGED = re.compile(r"(?:收取|收费|缴纳|共计)[^，。；;]{0,20}?\d+(?:\.\d+)?\s*(?:元|万元)")
_NO_NOTICE = re.compile(r"(?:未|没有|无)[^，。；;]{0,8}(?:发出|开具|出具|送达|下发|发放)[^，。；;]{0,6}收费通知|无收费通知|"
                        r"收费通知[^，。；;]{0,4}(?:0|零)\s*件")


def fee_statements(text: str, lo: int, hi: int, spans: Optional[list[tuple[int, int]]] = None) -> list[tuple[str, int, int, str]]:
    """``(what, start, end, sentence)`` for each sentence of ``text[lo:hi]`` (of the narrative
    ``spans`` when given: table B's row 逾期未按收费通知… is not a statement) that says whether a
    信息处理费 was charged: ``none`` (未收取…费), ``charged`` (收取…380元) or ``no_notice``
    (未发出收费通知). Sentences about 行政事业性收费 (table A's fee income) are not about it."""
    out = []
    for s_lo, s_hi in sentences_holding(text, lo, hi, "费"):  # what every _FEE word has
        sentence = text[s_lo:s_hi]
        if spans is not None and not any(a <= s_lo < b for a, b in spans):
            continue
        if not _FEE.search(sentence) or _ADMIN_FEE.search(sentence):
            continue
        for what, pat in (("no_notice", _NO_NOTICE), ("charged", _FEE_CHARGED), ("none", _FEE_NONE)):
            m = pat.search(sentence)
            if m is not None:
                out.append((what, s_lo + m.start(), s_lo + m.end(), sentence.strip()))
                break
    return out


@register("sections.fee.v1", kind="fee_statement", severity=("warning", "info"),
          title="第六部分说明信息处理费收取情况,且与表B相符")
def fee_statement(ctx: CheckContext) -> list[Finding]:
    """Section 六 of a report for 2021 or later: a warning when it does not say whether a
    信息处理费 was charged (``info`` when another part of the report says it), or says that no
    fee notice was issued while table B counts requests dropped because the applicant did not
    pay a fee notice (其他处理·逾期未按收费通知要求缴纳费用 > 0); ``info`` when 六 says only that
    no fee was charged while that row shows notices were issued (not a contradiction: the fee
    was not paid; but the notices go unreported). Table A's 行政事业性收费 is the agency's fee
    income, not this fee, and is not read."""
    year = ctx.year
    if year is None or year < FEE_FROM_YEAR:
        raise NotAssessable(f"{FEE_FROM_YEAR}年起(《政府信息公开信息处理费管理办法》施行后)的年报才须说明信息处理费")
    sec = ctx.sections.get("other") if ctx.sections is not None else None
    if sec is None:
        raise NotAssessable("未找到第六部分(其他需要报告的事项)")
    heading = sec.heading.strip()
    spans = narrative_spans(ctx)
    said = fee_statements(ctx.text, sec.body_start, sec.end, spans)
    b = ctx.tables.requests
    unpaid = b.value("other.no_fee", "total") if b is not None and b.definition.template == "2021" else None
    out: list[Finding] = []
    if not said:
        elsewhere = fee_statements(ctx.text, 0, sec.start, spans)
        body = ctx.text[sec.body_start:sec.end].strip()
        if elsewhere:
            message = (f"“{heading}”一节未说明信息处理费收取情况,报告在其他部分说明了(“{elsewhere[0][3][:60]}”);"
                       f"按模板应在第六部分说明")
            severity = "info"
        else:
            message = f"“{heading}”一节未说明是否收取信息处理费" + (f"(该节只写了“{body[:60]}”)" if body else "(该节为空)")
            severity = "warning"
        out.append(finding("sections.fee.v1", "fee_statement", severity, message, sha256=ctx.sha256, locus="fee:silent",
                           evidence={"section": "other", "heading": sec.heading, "body": body[:300],
                                     "elsewhere": [s[3] for s in elsewhere]},
                           span=(sec.start, sec.end)))
        return out
    if not unpaid:
        return out
    kinds = {w for w, *_ in said}
    ev = cell_ev(b, "other.no_fee", "total")
    row = "表B「其他处理·申请人逾期未按收费通知要求缴纳费用」"
    if "no_notice" in kinds:
        what, start, end, sentence = next(s for s in said if s[0] == "no_notice")
        severity, locus = "warning", "fee:no_notice"
        message = (f"第六部分与表B矛盾: “{sentence[:80]}”称未发出收费通知,而{row}为 {_fmt(unpaid)} 件"
                   f"(申请人未按收费通知缴费),说明本年发出过收费通知")
    elif kinds == {"none"}:
        what, start, end, sentence = said[0]
        severity, locus = "info", "fee:notices_unreported"
        message = (f"第六部分称“{sentence[:60]}”,而{row}为 {_fmt(unpaid)} 件:本年发出过收费通知(申请人未缴费,"
                   f"故未收到费用),第六部分未说明收费通知的件数和金额")
    else:
        return out
    out.append(finding("sections.fee.v1", "fee_statement", severity, message, sha256=ctx.sha256, locus=locus,
                       evidence={"statement": what, "sentence": sentence, "cells": [ev]}, span=(start, end)))
    return out


# ---------------------------------------------------------------------------
# Sections missing, out of order, numbered against the template
# ---------------------------------------------------------------------------

SECTION_ZH = {"overview": "一、总体情况", "active": "二、主动公开政府信息情况", "requests": "三、收到和处理政府信息公开申请情况",
              "review": "四、政府信息公开行政复议、行政诉讼情况", "problems": "五、存在的主要问题及改进情况",
              "other": "六、其他需要报告的事项"}
_NUMERAL = re.compile(r"^[\s#*|>\-]*(?:第)?([一二三四五六七八九十]{1,3})")


def _present(ctx: CheckContext, key: str) -> bool:
    """The section is there: its heading was kept, or (a table section) its table was read or
    its template heading is in the text (a heading glued into the table is the reader's slip)."""
    if ctx.sections.get(key) is not None:
        return True
    return key in ("active", "requests", "review") and (ctx.tables.get(key) is not None or ctx.sections.has_heading(key))


@register("sections.outline.v1", kind="section_outline", severity="warning",
          title="六个部分齐全、顺序和编号与模板一致")
def outline(ctx: CheckContext) -> list[Finding]:
    """A report for 2019 or later whose outline departs from the template's six parts: a part
    missing (一、五 or 六; a missing table part is ``tables.missing``), a part whose heading
    stands out of order (六 before 五), or numbered against the template (其他需要报告的事项
    headed 五). A part is missing only when a later part is there, or, for 五 and 六, when the
    report reached 四 and is not cut short (:func:`cut_short`); a text whose first part carries
    its template number (四、…) starts later in a report, and the parts before are not asked for."""
    if pre2019(ctx) or ctx.sections is None:
        raise NotAssessable("2018年及以前的报告没有统一的六部分提纲")
    if ctx.year is None and ctx.tables.template not in ("2019", "2021"):
        raise NotAssessable("未能识别报告年度和模板")
    present = [k for k in SECTION_KEYS if _present(ctx, k)]
    if not any(s.key in SECTION_KEYS for s in ctx.sections.sections):
        raise NotAssessable("未找到任何部分的标题")
    last = max(SECTION_KEYS.index(k) for k in present)
    first = min(SECTION_KEYS.index(k) for k in present)
    reached_review = None  # read (cut_short walks the text's lines) only for 五 or 六 missing
    starts_late = _numbered_as_template(ctx, SECTION_KEYS[first])
    out: list[Finding] = []
    kept = {s.key: s for s in ctx.sections.sections if s.key in SECTION_KEYS}
    dropped = None  # the headings find_sections did not keep: read (again) only for a part that is missing
    for i, key in enumerate(SECTION_KEYS):
        if key in present or key in ("active", "requests", "review"):
            continue
        if key in ("problems", "other") and reached_review is None:
            reached_review = "review" in present and not cut_short(ctx.text)
        later = i < last or (key in ("problems", "other") and reached_review)
        if not later or (i < first and starts_late):
            continue  # the text starts at a later part (四、… as page 8 of a PDF), or stops early
        if dropped is None:
            dropped = [(k, a, b) for k, a, b, line in heading_candidates(ctx.doc)
                       if line and k not in kept and (ctx.sections.get(k) is None)]
        stray = [(a, b) for k, a, b in dropped if k == key]
        if stray:
            a, b = stray[0]
            before = [s for s in ctx.sections.sections if s.key in SECTION_KEYS and s.start < a]
            after_of = before[-1].heading.strip() if before else ""
            message = (f"第{_CN[i]}部分“{ctx.text[a:b].strip()}”顺序错乱: 它位于“{after_of}”之后,"
                       f"而模板的顺序是{'、'.join(SECTION_ZH[k].split('、')[0] for k in SECTION_KEYS)}")
            what, span = "out_of_order", (a, b)
        else:
            message = f"报告缺少第{_CN[i]}部分“{SECTION_ZH[key].split('、', 1)[1]}”"
            what, span = "missing", None
        out.append(finding("sections.outline.v1", "section_outline", "warning", message, sha256=ctx.sha256,
                           locus=(what, key), evidence={"section": key, "what": what, "template": SECTION_ZH[key],
                                                        "present": present}, span=span))
    if out:
        return out
    for s in ctx.sections.sections:
        if s.key not in SECTION_KEYS:
            continue
        m = _NUMERAL.match(s.heading)
        n = cn_to_number(m.group(1)) if m else None
        want = SECTION_KEYS.index(s.key) + 1
        if n is not None and n != want:
            out.append(finding(
                "sections.outline.v1", "section_outline", "warning",
                f"“{s.heading.strip()}”编号为“{m.group(1)}”,模板中该部分是第{_CN[want - 1]}部分",
                sha256=ctx.sha256, locus=("numbered", s.key),
                evidence={"section": s.key, "what": "numbered", "heading": s.heading, "numeral": n, "template": SECTION_ZH[s.key]},
                span=(s.start, s.start + len(s.heading))))
    return out


_CN = "一二三四五六"


def _numbered_as_template(ctx: CheckContext, key: str) -> bool:
    """Whether the part ``key``'s heading carries its own template number (四、 for review): a
    text whose first part is numbered so starts later in a report that has the parts before."""
    sec = ctx.sections.get(key)
    if sec is None:
        return key != "overview"
    m = _NUMERAL.match(sec.heading)
    return m is not None and cn_to_number(m.group(1)) == SECTION_KEYS.index(key) + 1 and key != "overview"


# ---------------------------------------------------------------------------
# A statistics period left blank
# ---------------------------------------------------------------------------

_PERIOD_WORDS = re.compile(r"统计(?:期限|时限|时间|区间|周期|范围)|数据(?:统计)?(?:期限|时限|时间)")
_DIGITS = r"[\d〇零○O一二三四五六七八九十]"
_DATE = re.compile(rf"(?P<y>{_DIGITS}{{2,4}})?[ \t　_＿]*年[ \t　_＿]*(?P<m>{_DIGITS}{{1,2}})?[ \t　_＿]*月[ \t　_＿]*(?P<d>{_DIGITS}{{1,3}})?[ \t　_＿]*日")


def blank_dates(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, date, sentence)`` for each date of a statistics period with its year,
    month or day left blank (“统计期限自  年 月 日起至 年 月 日止”). Digits glued to 年月日 by a
    transcription (“自202211日至20221231日止”) are not blanks."""
    out = []
    for m in _PERIOD_WORDS.finditer(text):
        s_lo, s_hi = sentence_bounds(text, m.start())
        for d in _DATE.finditer(text, m.end(), min(s_hi, m.end() + 60)):
            if d.group("y") and d.group("m") and d.group("d"):
                continue
            out.append((d.start(), d.end(), d.group(0), text[s_lo:s_hi].strip()))
    return out


@register("sections.period_blank.v1", kind="blank_period", severity="warning", title="统计期限已填写完整")
def period_blank(ctx: CheckContext) -> list[Finding]:
    """A warning for a statistics period whose dates are left blank (the template's
    “统计期限自 年 月 日起至 年 月 日止” not filled in)."""
    found = blank_dates(ctx.text)
    if not found:
        return []
    start, end, date, sentence = found[0]
    dates = "、".join(f"“{d.strip()}”" for _, _, d, _ in found)
    return [finding(
        "sections.period_blank.v1", "blank_period", "warning",
        f"统计期限未填写完整: “{sentence[:80]}”中的日期{dates}缺少年、月或日",
        sha256=ctx.sha256, locus="period",
        evidence={"sentence": sentence, "dates": [d for _, _, d, _ in found]},
        span=(start, found[-1][1]),
    )]

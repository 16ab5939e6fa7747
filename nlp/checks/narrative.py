"""The narrative against the tables and against itself, over the reconciled claims.

- ``narrative.claim_mismatch.v1`` / ``narrative.claim_ambiguous.v1``: one per such claim;
- ``narrative.parts_sum.v1``: a total followed by parts (其中/包括/含/分别为) or preceded by them
  (“24个…、4个…共37家”) that do not add up;
- ``narrative.rate.v1``: a rate (…率97%) its two counts contradict (337/551 = 61.2%);
- ``narrative.share.v1``: a part's share (占8.05%) that part / total contradicts; ``.v2`` (the
  default): a share that fits neither its count over any total the text gives nor the table;
- ``narrative.missing_number.v1``: a measure word with no number (“发布新闻发布会类信息条”);
- ``narrative.inconsistent_totals.v1``: one quantity stated with different totals.

Finding ids come from ``schema.finding`` with the report's sha256 and a locus that does not
depend on character offsets (claim ids, the words matched).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator, Optional, Sequence

from nlp.checks._evidence import _fmt, claim_brief, claim_evidence
from nlp.checks._parts import (
    PartsGroup,
    clause_start,
    has_share,
    parts_groups,
    same_unit,
    share_checks,
    share_totals,
)
from nlp.checks._words import jieba_block, tokens
from nlp.checks.registry import CheckContext, NotAssessable, register
from nlp.config import settings as current_settings
from nlp.metrics import METRICS
from nlp.numbers import magnitude_step
from nlp.reconcile import (
    EPS,
    claim_interval,
    clause_around,
    clause_bounds,
    equal,
    figure,
    is_count,
    num_words,
    sentence_bounds,
)
from nlp.schema import Claim, Document, Finding, Tables, finding

PARTS_HIGHLIGHT_SHARE = 0.6
"""Parts that cover less than this share of their total are examples (“其中涉及…”), not a
breakdown: the parts_sum finding is then ``info``, not ``warning``."""

RATE_TOLERANCE_PP = 1.0
"""A stated rate may differ from its counts' quotient by this many percentage points."""


def _claim_findings(doc: Document, tables: Tables, claims: Sequence[Claim], status: str, check: str,
                    confidence_floor: float) -> list[Finding]:
    if not tables.all():
        raise NotAssessable("报告没有标准表格,叙述中的数字无从与表格核对")
    out = []
    for c in claims:
        if c.status != status:
            continue
        title = "叙述数字与表格不符" if status == "mismatch" else "叙述数字与表格的对应不明确,需复核"
        out.append(
            finding(
                check,
                f"claim_{status}",
                "warning",
                f"{title}: {c.evidence}",
                sha256=doc.sha256,
                locus=c.id,
                evidence=claim_evidence(c, tables, confidence_floor),
                span=(c.start, c.end),
            )
        )
    return out


@register("narrative.claim_mismatch.v1", kind="claim_mismatch", severity="warning", needs="claims", title="叙述中的数字与表格一致")
def claim_mismatch(ctx: CheckContext) -> list[Finding]:
    """One warning for each claim whose value differs from its table figure."""
    return _claim_findings(ctx.doc, ctx.tables, ctx.narrative, "mismatch", "narrative.claim_mismatch.v1",
                           ctx.confidence_floor)


@register("narrative.claim_ambiguous.v1", kind="claim_ambiguous", severity="warning", needs="claims", title="叙述中的数字与表格对应明确")
def claim_ambiguous(ctx: CheckContext) -> list[Finding]:
    """One warning for each claim that equals only a related figure, or whose metric is uncertain."""
    return _claim_findings(ctx.doc, ctx.tables, ctx.narrative, "ambiguous", "narrative.claim_ambiguous.v1",
                           ctx.confidence_floor)


# ---------------------------------------------------------------------------
# Parts that should add up to their total
# ---------------------------------------------------------------------------

@register("narrative.parts_sum.v1", kind="parts_sum", severity=("warning", "info"), needs="claims", title="叙述中分项之和等于总数")
def parts_sum(ctx: CheckContext) -> list[Finding]:
    """A warning where listed parts do not add up to their stated total (none where they do,
    nor where each part is the whole total; ``info`` where the parts cover less than
    ``PARTS_HIGHLIGHT_SHARE`` of it, or fall short of it and end with 等)."""
    doc = ctx.doc
    out = []
    for g in ctx.parts_groups:
        t = g.total
        if len(g.parts) >= 2 and all(equal(float(p.value), float(t.value)) for p in g.parts):
            continue  # “公开信息73条,其中网站73条;微信公众号…73条;公开栏…73条”: each channel carries them all
        if len(g.parts) < 2:
            p = g.parts[0]
            if claim_interval(p)[0] > claim_interval(t)[1] + EPS:
                out.append(_parts_finding(doc, g, f"分项“{num_words(p)}”大于其总数“{num_words(t)}”"))
            continue
        if g.adds_up():
            continue
        lo, hi = g.interval
        sum_zh = _fmt(lo) if equal(lo, hi) else f"{_fmt(round(lo, 2))}~{_fmt(round(hi, 2))}"
        terms = " + ".join(num_words(p, unit=False) for p in g.parts)
        short = hi < claim_interval(t)[0]
        etc = short and _LIST_ETC.match(doc.text, g.parts[-1].num_end) is not None
        if short:
            why = f"分项 {terms} = {sum_zh},少于总数 {num_words(t)},差 {_fmt(round(float(t.value) - hi, 4))}"
            if etc:
                why += ";所列分项以“等”收尾,并非全部"
            elif g.marker in ("包括", "含"):
                why += f";“{g.marker}”之后所列可能并非全部分项"
            else:
                why += ";所列分项可能不全"
        else:
            why = f"分项 {terms} = {sum_zh},多于总数 {num_words(t)},差 {_fmt(round(lo - float(t.value), 4))}"
        covers = hi / float(t.value) if t.value else 1.0
        if covers < PARTS_HIGHLIGHT_SHARE:
            why += f";所列分项只占总数的{covers:.0%},应是举例而非分解"
        out.append(_parts_finding(doc, g, why, "info" if etc or covers < PARTS_HIGHLIGHT_SHARE else "warning"))
    return out


_LIST_ETC = re.compile(r"\s*[^\d，,。；;、]{0,2}?等(?![级次])")
"""After a list's last count, the word that says the list is not all (“年度报告1条等,”); not
等级, 等次."""


def _parts_finding(doc: Document, g: PartsGroup, why: str, severity: str = "warning") -> Finding:
    t = g.total
    lo = min([t.start] + [p.start for p in g.parts])
    hi = max([t.end] + [p.end for p in g.parts])
    lo_iv, hi_iv = g.interval
    return finding(
        "narrative.parts_sum.v1",
        "parts_sum",
        severity,
        f"分项与总数不符: {why}",
        sha256=doc.sha256,
        locus=t.id,
        evidence={
            "total": claim_brief(t),
            "parts": [claim_brief(p) for p in g.parts],
            "marker": g.marker,
            "direction": g.direction,
            "parts_sum": lo_iv if equal(lo_iv, hi_iv) else [lo_iv, hi_iv],
            "difference": round(float(t.value) - hi_iv, 6) if hi_iv < claim_interval(t)[0] else round(lo_iv - float(t.value), 6),
            "explanation": why,
        },
        span=(lo, hi),
    )


# ---------------------------------------------------------------------------
# Rates against their counts
# ---------------------------------------------------------------------------

@register("narrative.rate.v1", kind="rate", severity="warning", needs="claims", title="叙述中的比率与其计数相符")
def rate(ctx: CheckContext) -> list[Finding]:
    """A warning where a stated rate differs from part / whole of its counts by more than
    ``RATE_TOLERANCE_PP`` percentage points (转接成功337次 / 转接551次 = 61.2%, not 97%)."""
    doc = ctx.doc
    out = []
    for r, part, whole, computed in ctx.rates:
        stated = float(r.value)
        tol = RATE_TOLERANCE_PP + (magnitude_step(stated) / 2 if r.approx else 0)
        if abs(computed - stated) <= tol:
            continue
        arith = f"{_fmt(part.value)} / {_fmt(whole.value)} = {computed:.1f}%"
        out.append(
            finding(
                "narrative.rate.v1",
                "rate",
                "warning",
                f"比率与其计数不符: 叙述“{r.text}”为 {_fmt(stated)}%,而 {arith}(“{part.text}”/“{whole.text}”),"
                f"相差 {computed - stated:+.1f} 个百分点",
                sha256=doc.sha256,
                locus=r.id,
                evidence={
                    "rate": claim_brief(r),
                    "part": claim_brief(part),
                    "whole": claim_brief(whole),
                    "computed_percent": round(computed, 2),
                    "stated_percent": stated,
                    "difference_pp": round(computed - stated, 2),
                    "tolerance_pp": tol,
                    "arithmetic": arith,
                },
                span=(min(whole.start, r.start), max(r.end, whole.end)),
            )
        )
    return out


SHARE_SLACK_PP = 0.05
"""A written share may differ from part / total by half a unit of its last digit plus this."""


@register("narrative.share.v1", kind="rate", severity=("warning", "info"), needs="claims", title="叙述中的占比与分项、总数相符")
def share(ctx: CheckContext) -> list[Finding]:
    """A finding where a part's written share (占8.05%) is not part / total: ``warning`` beyond
    ``RATE_TOLERANCE_PP`` points, ``info`` beyond the share's own precision (half a unit of
    its last digit + ``SHARE_SLACK_PP``) but within it."""
    doc, claims = ctx.doc, ctx.narrative
    out = []
    for p, t, stated, computed, decimals in share_checks(doc.text, claims, ctx.parts_groups):
        diff = computed - stated
        precision = 0.5 * 10.0 ** (-decimals) + SHARE_SLACK_PP
        if abs(diff) <= precision:
            continue
        severity = "warning" if abs(diff) > RATE_TOLERANCE_PP else "info"
        arith = f"{_fmt(p.value)} / {_fmt(t.value)} = {computed:.{max(decimals, 1)}f}%"
        out.append(
            finding(
                "narrative.share.v1",
                "rate",
                severity,
                f"占比与其计数不符: “{p.text}”写作占{_fmt(stated)}%,而 {arith}(总数“{t.text}”),"
                f"相差 {diff:+.2f} 个百分点",
                sha256=doc.sha256,
                locus=p.id,
                evidence={
                    "part": claim_brief(p),
                    "total": claim_brief(t),
                    "stated_percent": stated,
                    "computed_percent": round(computed, 4),
                    "difference_pp": round(diff, 4),
                    "tolerance_pp": precision,
                    "arithmetic": arith,
                },
                span=(min(t.start, p.start), max(t.end, p.end)),
            )
        )
    return out


_SHARE_BASES = {"requests": ("requests.closed", "requests.new", "requests.received_all")}
"""The table totals a share of a table-B quantity may be taken of (办结, 新收, 新收 + 上年结转);
a share of a table-C quantity is taken of its row's 总计."""


def _table_shares(c: Claim, tables: Tables) -> list[tuple[str, float, float]]:
    """``(words, part, total)`` the table gives for the share of a claim's metric: its own
    figure (and the claim's value) over each total it may be a share of."""
    metric = METRICS.get(c.metric)
    if metric is None or not metric.linked or not tables.all():
        return []
    own = figure(metric.readings[0], tables)
    name = metric.readings[0].cells[0][0]
    if name == "review":
        bases = [replace(metric.readings[0], name="row_total", zh=f"{metric.readings[0].zh.split(' ')[0]} 总计",
                         cells=tuple((t, r, "total") for t, r, _ in metric.readings[0].cells))]
    else:
        bases = [METRICS[k].readings[0] for k in _SHARE_BASES.get(name, ())]
        bases += [r for k in _SHARE_BASES.get(name, ()) for r in METRICS[k].readings[1:]]
    out = []
    for base in bases:
        total = figure(base, tables)
        if not total.value or equal(total.value, own.value or -1) and base.cells == metric.readings[0].cells:
            continue
        for label, part in ((f"表格{own.reading.zh}", own.value), ("叙述数", c.value)):
            if part is not None:
                out.append((f"{label} / 表格{total.reading.zh}", float(part), float(total.value)))
    return out


@register("narrative.share.v2", kind="rate", severity=("warning", "info"), needs="claims", title="叙述中的占比与其计数或表格相符")
def share_v2(ctx: CheckContext) -> list[Finding]:
    """A finding where a count's written share (占8.05%, (17.46%)) fits none of the totals it may
    be a share of: the total of its listed parts, the sum of its list of shares, the nearest
    larger count before it (:func:`nlp.checks._parts.share_totals`), nor the table (its
    metric's figure, or the count, over 办结 / 新收 / 新收 + 上年结转, or over its table C row's
    总计). ``warning`` beyond ``RATE_TOLERANCE_PP`` points of the nearest, ``info`` beyond the
    share's own precision (half a unit of its last digit + ``SHARE_SLACK_PP``; a whole unit for
    a list of shares written to add up to exactly 100, which rounds one of them the other way)
    but within it. A share with no total to read is not judged."""
    doc = ctx.doc
    out = []
    for p, stated, decimals, totals in share_totals(doc.text, ctx.narrative, ctx.parts_groups, ctx.counts):
        tried = [(how, float(p.value), value, t) for how, t, value in totals]
        tried += [(words, part, total, None) for words, part, total in _table_shares(p, ctx.tables)]
        if not tried:
            continue
        precision = 0.5 * 10.0 ** (-decimals) + SHARE_SLACK_PP
        fits = [abs(100.0 * part / total - stated) for _, part, total, _ in tried]
        # shares written to add up to exactly 100 may each be rounded the other way (13.4% as 14%)
        allowed = [10.0 ** (-decimals) + SHARE_SLACK_PP if how == "list=100" else precision for how, *_ in tried]
        if any(f <= a for f, a in zip(fits, allowed)):
            continue
        how, part, total, t = tried[fits.index(min(fits))]
        computed = 100.0 * part / total
        diff = computed - stated
        severity = "warning" if abs(diff) > RATE_TOLERANCE_PP else "info"
        arith = f"{_fmt(part)} / {_fmt(total)} = {computed:.{max(decimals, 1)}f}%"
        against = f"总数“{t.text}”" if t is not None else how
        also = "; ".join(f"{_fmt(a)} / {_fmt(b)} = {100.0 * a / b:.{max(decimals, 1)}f}%"
                         for h, a, b, _ in tried if (a, b) != (part, total))
        out.append(
            finding(
                "narrative.share.v2",
                "rate",
                severity,
                f"占比与其计数不符: “{p.text}”写作占{_fmt(stated)}%,而 {arith}({against}),"
                f"相差 {diff:+.2f} 个百分点" + (f";其他可能的总数也不符: {also}" if also else ""),
                sha256=doc.sha256,
                locus=p.id,
                evidence={
                    "part": claim_brief(p),
                    "total": claim_brief(t) if t is not None else None,
                    "against": how,
                    "stated_percent": stated,
                    "computed_percent": round(computed, 4),
                    "difference_pp": round(diff, 4),
                    "tolerance_pp": precision,
                    "arithmetic": arith,
                    "tried": [{"against": h, "part": a, "total": b, "percent": round(100.0 * a / b, 4)}
                              for h, a, b, _ in tried],
                },
                span=(min(t.start, p.start), max(t.end, p.end)) if t is not None else (p.start, p.end),
            )
        )
    return out


# ---------------------------------------------------------------------------
# A number missing before its measure word
# ---------------------------------------------------------------------------

MEASURE_WORDS = frozenset("条件项篇封份")
"""Measure words a count of documents, letters or items takes (815条, 272封, 13份)."""

_DISCLOSURE_VERB = re.compile(
    r"发布|公开|公布|受理|收到|接收|办理|答复|回复|解读|推送|转载|更新|报送|印发|制发|核准|刊发|刊登|上传|征集"
)
_BREAK_AFTER = "，。；;,、:：)）!！?？\n"
_NUMERAL = re.compile(r"[\d〇零一二三四五六七八九十百千万亿两几多余数每各该本此第若半]")
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]+$")
_DIGIT = re.compile(r"\d")
_CANDIDATE = re.compile(r"[条件项篇封份](?=[，。；;,、:：)）!！?？\n]|$)")
"""A measure word before a clause break (after a Chinese character: :func:`_candidates`)."""


def _candidates(text: str) -> Iterator[re.Match]:
    """``_CANDIDATE``'s matches right after a Chinese character (tested after the match: ``re``
    skips to the measure words only for a pattern that starts with them)."""
    for m in _CANDIDATE.finditer(text):
        if m.start() > 0 and "\u4e00" <= text[m.start() - 1] <= "\u9fff":
            yield m


def _wrapped_word(text: str, i: int) -> bool:
    """Whether the measure word at ``i`` ends a line that cuts a word in two (“公开条\n例》”, a
    text laid out in lines of fixed width): with the next line's first characters it is one word."""
    j = i + 1
    if text[j:j + 1] != "\n" or not ("\u4e00" <= text[j + 1:j + 2] <= "\u9fff"):
        return False
    first = tokens(text[i] + text[j + 1:j + 3])
    return bool(first) and len(first[0][0]) > 1


def missing_numbers(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, words)`` for each measure word with no number before it.

    A measure word (条 件 项 篇 封 份) that jieba cuts as a word of its own, right after a word
    that is not a numeral (信息, 资质), and right before a clause break, in a sentence that
    discloses something (发布, 公开, 受理 … before it), in a clause with no digit:
    “发布新闻发布会类信息条,”, “公开核准企业资质条、施工许可证76条”. Words that merely end in a
    measure character (文件, 条件, 事项, 案件, 信息公开条例, 条数) are single words to jieba and
    never match, nor do one-character words before the measure word (来件, 等件, 本条), nor a
    measure character a line break cuts from the rest of its word (条\n例).
    ``words`` runs from the clause's first verb (or the clause start) to the measure word.
    """
    out = []
    cut: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
    for cand in _candidates(text):
        if _wrapped_word(text, cand.start()):
            continue
        s_lo, s_hi = sentence_bounds(text, cand.start())
        head = text[s_lo : cand.start()]
        verbs = list(_DISCLOSURE_VERB.finditer(head))
        if not verbs:
            continue
        c_lo = clause_start(text, cand.start())
        if _DIGIT.search(text, c_lo, cand.start()):
            continue  # “收到15564件咨询投诉件”: the clause has its number (read before cutting the sentence)
        b_lo, b_hi = jieba_block(text, s_lo, s_hi, cand.start())
        if (b_lo, b_hi) not in cut:
            cut[(b_lo, b_hi)] = tokens(text[b_lo:b_hi])
        toks = cut[(b_lo, b_hi)]
        pos = cand.start() - b_lo
        idx = next((i for i, (w, a, b) in enumerate(toks) if a == pos and b == pos + 1), None)
        if idx is None or idx == 0:
            continue  # the character is part of a longer word (文件, 条例), or has no word before it
        prev = toks[idx - 1][0]
        if len(prev) < 2 or not _CJK_WORD.match(prev) or _NUMERAL.search(prev):
            continue  # 来件, 等件, 第三条, 本条: no noun of its own before the measure word
        in_clause = [v for v in verbs if s_lo + v.start() >= c_lo]
        lo = s_lo + in_clause[0].start() if in_clause else c_lo
        out.append((lo, cand.end(), text[lo : cand.end()]))
    return out


@register("narrative.missing_number.v1", kind="missing_number", severity="warning", needs="claims", title="叙述中量词前不缺数字")
def missing_number(ctx: CheckContext) -> list[Finding]:
    """A warning for each measure word with no number before it (:func:`missing_numbers`)."""
    doc = ctx.doc
    out = []
    counter: dict[str, int] = {}
    for start, end, words in missing_numbers(doc.text):
        counter[words] = counter.get(words, 0) + 1
        clause = clause_around(doc.text, start, end)
        unit = words[-1]
        out.append(
            finding(
                "narrative.missing_number.v1",
                "missing_number",
                "warning",
                f"句中缺少数字: {f'“{clause}”中“{words}”' if clause != words else f'“{words}”'}的量词“{unit}”前没有数量",
                sha256=doc.sha256,
                locus=(words, counter[words]),
                evidence={"words": words, "clause": clause, "unit": unit, "span": [start, end]},
                span=(start, end),
            )
        )
    return out


# ---------------------------------------------------------------------------
# One quantity, different totals
# ---------------------------------------------------------------------------

TOTAL_METRICS: frozenset[str] = frozenset(
    [k for k, m in METRICS.items() if m.linked] + ["proactive.total"]
)
"""Metrics that name one quantity of the report year: two different values are a conflict."""

_OTHER_PERIOD = re.compile(r"同比|环比|上一?年(?!度?结转)|去年|历年|往年|前年|以来累计|增长|下降|减少|增加|截至目前|至今|迄今")
_SINCE_BEFORE = re.compile(r"以来[，,]\s*$")
"""The clause before a count that opens with 累计 (“《条例》颁布实施以来,累计主动公开…”): a total
since then, not the year's."""
_OWN_LEVEL = "本级"
"""“区政府本级共受理206件,结转下年度办理6件”: the agency's own level, not all it reports on,
to the end of the sentence."""
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)\s*年")
_PART_SCOPE = re.compile(r"各乡镇|各街道|各部门|各单位|县直|区直|市直|乡镇|街道")
"""Words that put a count in a part of the agency (督促县直部门…发布信息3044条, 各乡镇主动公开…):
such a count is not the report's total."""

SUBSET_RATIO = 0.1
"""Two totals of which one is under this share of the other read as a category and its
whole, not as one quantity stated twice."""


def _other_period(clause: str, year: Optional[int]) -> bool:
    """Whether a claim's clause speaks of another period (同比, 较上年, another year)."""
    if _OTHER_PERIOD.search(clause):
        return True
    if year is not None:
        years = {int(y) for y in _YEAR.findall(clause)}
        if years and year not in years:
            return True
    return False


def own_count(c: Claim, text: str, *, year: Optional[int] = None, confidence_floor: Optional[float] = None) -> bool:
    """Whether a claim is a count of the report's own year and unit, with a metric the model is
    sure of: not about another period (同比, 较上年, another year, 截至目前, …以来,累计), nor about a
    part of the agency (县直部门, 各乡镇; 本级 earlier in its sentence), nor below the confidence
    floor; a number written as such (not a zero in words)."""
    if confidence_floor is None:
        confidence_floor = current_settings().confidence_floor
    if not is_count(c) or c.confidence < confidence_floor:
        return False
    if not text:
        return not _other_period(c.text, year) and not _PART_SCOPE.search(c.text)
    lo, hi = clause_bounds(text, c.num_start, c.num_end)
    clause = text[lo:hi]
    if _other_period(clause, year) or _PART_SCOPE.search(clause):
        return False
    if clause.lstrip().startswith("累计") and _SINCE_BEFORE.search(text[max(0, lo - 16):lo]):
        return False
    return _OWN_LEVEL not in text[sentence_bounds(text, c.num_start)[0]:c.num_start]


def total_conflicts(text: str, claims: Sequence[Claim], *, year: Optional[int] = None,
                    confidence_floor: Optional[float] = None,
                    groups: Optional[Sequence[PartsGroup]] = None) -> dict[str, list[Claim]]:
    """Metric → its claims, for each total metric stated with values no reading reconciles.

    Left out: parts of a listed total or counts given with their share (占27%), percentages,
    zeros in words (未收到… often speaks of a narrower kind than the total), claims below the confidence floor, and
    clauses about another period (同比, 较上年, another year) or about a part of the agency or
    site (县直部门, 专栏). Approximate values conflict only when their ranges are
    disjoint, a value under ``SUBSET_RATIO`` of another is read as its category, and counts of
    two units (政务信息932条, 文件991件) are two quantities.
    ``groups``: the claims' ``parts_groups``, when they are already found.
    """
    part_ids = {p.id for g in (parts_groups(text, claims) if groups is None else groups) for p in g.parts}
    by_metric: dict[str, list[Claim]] = {}
    for c in claims:
        if c.metric not in TOTAL_METRICS or c.id in part_ids or has_share(text, c):
            continue
        if not own_count(c, text, year=year, confidence_floor=confidence_floor):
            continue
        by_metric.setdefault(c.metric, []).append(c)
    out = {}
    for key, cs in by_metric.items():
        cs = sorted(cs, key=lambda c: c.num_start)
        ivs = [claim_interval(c) for c in cs]
        def clash(a: tuple[float, float], b: tuple[float, float]) -> bool:
            disjoint = a[1] < b[0] - EPS or b[1] < a[0] - EPS
            small, big = sorted((a[1], b[1]))
            return disjoint and big > 0 and small / big >= SUBSET_RATIO

        clashing = [c for i, c in enumerate(cs) if any(clash(ivs[i], ivs[j]) and same_unit(c, cs[j])
                                                       for j in range(len(cs)) if j != i)]
        if clashing:
            out[key] = clashing
    return out


@register("narrative.inconsistent_totals.v1", kind="inconsistent_totals", severity="warning", needs="claims", title="同一数量前后表述一致")
def inconsistent_totals(ctx: CheckContext) -> list[Finding]:
    """A warning for each quantity the report states with different totals."""
    doc = ctx.doc
    out = []
    for key, cs in total_conflicts(doc.text, ctx.narrative, year=ctx.year, confidence_floor=ctx.confidence_floor,
                                   groups=ctx.parts_groups).items():
        values = []
        for c in cs:
            if not any(equal(c.value, v) for v in values):
                values.append(c.value)
        listing = "; ".join(f"“{c.text}”({num_words(c)})" for c in cs)
        out.append(
            finding(
                "narrative.inconsistent_totals.v1",
                "inconsistent_totals",
                "warning",
                f"同一数量前后不一: “{METRICS[key].zh}”在报告中有 {len(values)} 个不同的数值 "
                f"{'、'.join(_fmt(v) for v in values)}: {listing}",
                sha256=doc.sha256,
                locus=(key, tuple(sorted(float(v) for v in values))),
                evidence={"metric": key, "values": values, "claims": [claim_brief(c) for c in cs]},
                span=(cs[0].start, cs[-1].end),
            )
        )
    return out

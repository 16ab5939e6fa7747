"""What the narrative says about the requests and the cases, against itself and tables B and C.

- ``narrative.one_column.v1``: a total the narrative states that is one column of its table
  row (the 自然人 column, or 行政复议 结果维持) rather than the row's 总计;
- ``narrative.review_outcome.v1``: “均获维持”, “全部胜诉”, “无纠错” while table C shows cases
  corrected, or still pending;
- ``narrative.closed_rate.v1``: a 办结率 (答复率) of 100% while the sentence's own counts say
  办结 ≠ 受理 (more closed than received, or fewer), or while table B carries requests over
  to next year;
- ``narrative.part_exceeds.v1``: a part the narrative states that exceeds its whole stated
  elsewhere (予以公开15件 against 共受理申请12件), by what the metrics are parts of.

The same count stated twice with different figures is ``narrative.inconsistent_totals.v1``
(:mod:`nlp.checks.narrative`); a share that fits neither its count nor the table is
``narrative.share.v2`` there.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator, Optional, Sequence

from nlp.checks._evidence import _fmt, cell_ev, claim_brief, narrative_spans, require_table, require_tables, row_label
from nlp.checks._parts import clause_start
from nlp.checks.narrative import own_count
from nlp.checks.registry import CheckContext, register
from nlp.metrics import METRICS, Reading
from nlp.reconcile import EPS, claim_interval, equal, figure, is_count, num_words, sentence_bounds
from nlp.schema import (
    REQUEST_COLUMNS,
    REVIEW_COLUMNS,
    TABLE_SHORT,
    Claim,
    Finding,
    Tables,
    column_zh,
    finding,
)

__all__ = ["one_column_of", "outcome_statements", "PART_OF"]


# ---------------------------------------------------------------------------
# A total that is one column of its row
# ---------------------------------------------------------------------------

_COLUMNS = {"requests": REQUEST_COLUMNS[:-1], "review": REVIEW_COLUMNS[:-1]}
"""The columns of a row that add up to its 总计, per table."""


def one_column_of(c: Claim, tables: Tables) -> Optional[tuple[Reading, str, object, object]]:
    """``(reading, column, figure of the column, figure of the total)`` when the claim, a
    total of a table row (its metric reads 总计 cells), differs from the 总计 but equals the
    figure of exactly one other column of the same row(s): 收到申请96件 where 本年新收 is 100
    in all and 96 from 自然人. None otherwise (zeros, approximate values and percentages are
    never read so: they fit too much)."""
    metric = METRICS.get(c.metric)
    if metric is None or not metric.linked or not is_count(c) or c.approx or not c.value:
        return None
    hits = []
    for reading in metric.readings:
        if len(reading.cells) != 1 or reading.cells[0][2] != "total":
            continue  # one row's 总计 (a sum over rows has no one column to mistake for it)
        name = reading.cells[0][0]
        total = figure(reading, tables)
        if total.value is None or equal(total.value, c.value):
            return None  # the claim is the total on one of its readings
        for col in _COLUMNS.get(name, ()):
            t, r, _ = reading.cells[0]
            part = figure(replace(reading, name=f"{reading.name}.{col}", cells=((t, r, col),)), tables)
            if part.value is not None and equal(part.value, c.value) and not equal(part.value, total.value):
                hits.append((reading, col, part, total))
    if len({(r.name, col) for r, col, _, _ in hits}) != 1:
        return None
    return hits[0]


@register("narrative.one_column.v1", kind="one_column", severity="warning", needs="claims",
          title="叙述中的总数是表格该行的总计,而非其中一列")
def one_column(ctx: CheckContext) -> list[Finding]:
    """A warning for each narrative total that equals one column of its table row (自然人)
    rather than the row's 总计: the author read one cell for the whole."""
    require_tables(ctx)
    out = []
    for c in ctx.narrative:
        if c.status != "mismatch":
            continue  # a claim equal to a related figure (ambiguous) is explained by it
        hit = one_column_of(c, ctx.tables)
        if hit is None:
            continue
        reading, col, part, total = hit
        table = reading.cells[0][0]
        col_zh = column_zh(table, col)
        out.append(finding(
            "narrative.one_column.v1", "one_column", "warning",
            f"叙述的总数只等于表格中的一列: “{c.text}”为{num_words(c)},与{TABLE_SHORT[table]}"
            f"“{reading.zh}”的“{col_zh}”列 {_fmt(part.value)} 相同,而该行总计为 {_fmt(total.value)}"
            f"(相差 {_fmt(total.value - part.value)})",
            sha256=ctx.sha256, locus=c.id,
            evidence={"claim": claim_brief(c), "metric": c.metric, "reading": reading.name, "column": col,
                      "column_zh": col_zh, "column_figure": part.to_json(ctx.tables),
                      "total_figure": total.to_json(ctx.tables)},
            span=(c.start, c.end),
        ))
    return out


# ---------------------------------------------------------------------------
# 均获维持 / 全部胜诉 against table C
# ---------------------------------------------------------------------------

_ALL_UPHELD = r"(?:均|全部|都|皆|全)(?:被|获|已|得到|予以|依法|获得)*维持"
_ALL_WON = r"(?:均|全部|都|皆|全)(?:以[^，。；,;]{0,6})?胜诉|无一败诉|无败诉|零败诉|未(?:发生|出现)?败诉"
_NONE_CORRECTED = r"(?:无|未|没有)(?:发生|出现)?(?:一起|一例|一件)?(?:被)?(?:纠错|纠正|撤销)"
OUTCOME = re.compile(f"(?P<upheld>{_ALL_UPHELD})|(?P<won>{_ALL_WON})|(?P<none_corrected>{_NONE_CORRECTED})")
"""What a sentence may say of the year's 复议 and 诉讼 outcomes."""
_OUTCOME_FIRST = re.compile("[均全都皆无零未没]")
"""The characters an ``OUTCOME`` match starts with."""


def _outcomes(text: str) -> Iterator[re.Match]:
    """``OUTCOME.finditer(text)``, trying ``OUTCOME`` only where a match may start (``re`` finds no
    first characters to skip to in an alternation of named groups: seven times faster)."""
    pos = 0
    while (first := _OUTCOME_FIRST.search(text, pos)) is not None:
        m = OUTCOME.match(text, first.start())
        pos = first.start() + 1 if m is None else m.end()
        if m is not None:
            yield m

_CONTRADICTED_BY = {"upheld": ("corrected", "pending"), "won": ("corrected", "pending"), "none_corrected": ("corrected",)}
"""The table C columns whose cases contradict each statement."""
_SAID = {"upheld": "均获维持", "won": "全部胜诉", "none_corrected": "没有被纠错"}
_OTHER_TIME = re.compile(r"历年|以来|累计|上年|去年|往年|上一年")
_ROWS = {"复议": ("reconsideration",), "诉讼": ("litigation_direct", "litigation_after")}


def outcome_statements(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[re.Match, tuple[str, ...], str]]:
    """``(match, rows of table C, sentence)`` for each statement of the outcomes of the year's
    cases: the sentence must name 复议 or 诉讼 before it (which picks the rows), and speak of
    this year (not 历年/累计/上年)."""
    out = []
    for m in _outcomes(text):
        if not any(a <= m.start() < b for a, b in spans):
            continue
        s_lo, s_hi = sentence_bounds(text, m.start())
        before = text[s_lo:m.start()]
        rows = tuple(r for word, rs in _ROWS.items() if word in before or (word == "诉讼" and "起诉" in before) for r in rs)
        if not rows or _OTHER_TIME.search(before):
            continue
        out.append((m, rows, text[s_lo:s_hi].strip()))
    return out


@register("narrative.review_outcome.v1", kind="review_outcome", severity="warning", needs="claims",
          title="“均获维持”“全部胜诉”等表述与表C相符")
def review_outcome(ctx: CheckContext) -> list[Finding]:
    """A warning where the narrative says the year's 复议/诉讼 were all upheld or won (or none
    corrected) while table C shows cases 结果纠正, or 尚未审结 (not yet decided)."""
    table = require_table(ctx, "review")
    if not any(table.value(r, col) for rows in _ROWS.values() for r in rows for col in ("corrected", "pending")):
        return []  # no case corrected or pending: no statement can be contradicted
    out = []
    for m, rows, sentence in outcome_statements(ctx.text, narrative_spans(ctx)):
        said = m.lastgroup or ""
        against = [(r, col, table.value(r, col)) for r in rows for col in _CONTRADICTED_BY[said]]
        against = [(r, col, v) for r, col, v in against if v]
        if not against:
            continue
        cells = "、".join(f"{row_label(table, r)}“{column_zh('review', col)}”{_fmt(v)}件" for r, col, v in against)
        out.append(finding(
            "narrative.review_outcome.v1", "review_outcome", "warning",
            f"复议诉讼结果的表述与表C不符: 叙述“{sentence[:80]}”称{_SAID[said]}(“{m.group(0)}”),而表C{cells}",
            sha256=ctx.sha256, locus=(said, m.group(0), rows),
            evidence={"statement": said, "words": m.group(0), "sentence": sentence, "rows": list(rows),
                      "cells": [cell_ev(table, r, col) for r, col, _ in against]},
            span=(m.start(), m.end()),
        ))
    return out


# ---------------------------------------------------------------------------
# 办结率 100% against the counts
# ---------------------------------------------------------------------------

_RATE_WORDS = re.compile(r"(?<![按及限准])(?:办结|答复|办理)率")
"""A completion rate; 按时/按期/及时/限时办结率 say how fast, not how many, and are left out."""
_RECEIVED = re.compile(r"受理|收到|新收|接收|共收")
_CLOSED = re.compile(r"办结|答复|办理完毕|处理完毕|已办理")
_TIMELY = re.compile(r"按时|按期|及时|限时|期限内|时限内")


def _completion_counts(text: str, claims: Sequence[Claim], lo: int, hi: int) -> tuple[Optional[Claim], Optional[Claim]]:
    """The first count of requests received and the first of requests closed in ``text[lo:hi]``,
    each read by the words of its own clause (a clause with both is neither)."""
    received = closed = None
    for c in sorted((c for c in claims if is_count(c) and lo <= c.num_start < hi), key=lambda c: c.num_start):
        if c.unit not in (None, "件"):
            continue
        words = text[clause_start(text, c.num_start):c.num_start]
        got_r, got_c = bool(_RECEIVED.search(words)), bool(_CLOSED.search(words))
        if got_r and not got_c and received is None:
            received = c
        elif got_c and not got_r and closed is None and received is not None:
            closed = c
    return received, closed


@register("narrative.closed_rate.v1", kind="rate", severity=("warning", "info"), needs="claims",
          title="办结率100%与受理、办结件数及结转相符")
def closed_rate(ctx: CheckContext) -> list[Finding]:
    """A stated 办结率 (答复率) of 100% on 政府信息公开申请: a warning when the counts of its
    sentence say otherwise (办结 > 受理, or 办结 < 受理 where ``narrative.rate`` did not read
    the pair); ``info`` when table B carries requests over to next year (结转下年度 > 0), so
    that not all were closed in the year."""
    text, claims = ctx.text, ctx.narrative
    checked = {r.id for r, *_ in ctx.rates}
    carried = ctx.tables.requests.value("carried_out", "total") if ctx.tables.requests is not None else None
    out = []
    for r in ctx.percents:
        if r.value is None or not equal(r.value, 100):
            continue
        c_lo = clause_start(text, r.num_start)
        words = text[c_lo:r.num_start]
        if not _RATE_WORDS.search(words) or _TIMELY.search(words):
            continue
        s_lo, s_hi = sentence_bounds(text, r.num_start)
        if "申请" not in text[s_lo:s_hi]:
            continue  # 来信, 建议提案, 热线: not the requests of table B
        received, closed = _completion_counts(text, claims, s_lo, r.num_start)
        if received is not None and closed is not None and r.id not in checked \
                and not _overlap(claim_interval(closed), claim_interval(received)):
            more = float(closed.value) > float(received.value)
            why = (f"办结{num_words(closed)}多于受理{num_words(received)},办结数应含上年结转而受理数未含"
                   if more else f"办结{num_words(closed)}少于受理{num_words(received)}")
            out.append(finding(
                "narrative.closed_rate.v1", "rate", "warning",
                f"办结率与件数不符: “{text[s_lo:s_hi].strip()[:80]}”称{r.text.strip()},而{why},"
                f"{_fmt(closed.value)} / {_fmt(received.value)} = {100.0 * float(closed.value) / float(received.value):.1f}%",
                sha256=ctx.sha256, locus=(r.id, "counts"),
                evidence={"rate": claim_brief(r), "received": claim_brief(received), "closed": claim_brief(closed),
                          "computed_percent": round(100.0 * float(closed.value) / float(received.value), 2)},
                span=(received.num_start, r.num_end),
            ))
        elif carried and not _TIMELY.search(text[s_lo:s_hi]):
            out.append(finding(
                "narrative.closed_rate.v1", "rate", "info",
                f"办结率100%而表B结转下年度继续办理{_fmt(carried)}件: “{text[s_lo:s_hi].strip()[:80]}”;"
                f"结转的申请年底尚未办结,办结率100%只在不计结转件时成立",
                sha256=ctx.sha256, locus=(r.id, "carried_out"),
                evidence={"rate": claim_brief(r), "cells": [cell_ev(ctx.tables.requests, "carried_out", "total")]},
                span=(r.start, r.end),
            ))
    return out


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] + EPS and b[0] <= a[1] + EPS


# ---------------------------------------------------------------------------
# A part greater than its whole, stated apart
# ---------------------------------------------------------------------------

PART_OF: dict[str, tuple[str, ...]] = {
    **{f"requests.new.{col}": ("requests.new", "requests.received_all") for col in REQUEST_COLUMNS[:-1]},
    "requests.granted": ("requests.closed", "requests.granted_and_partial"),
    "requests.partial": ("requests.closed", "requests.granted_and_partial"),
    **{m: ("requests.closed",) for m in ("requests.granted_and_partial", "requests.denied", "requests.unavailable",
                                          "requests.not_processed", "requests.other")},
    "reconsideration.corrected": ("reconsideration.total",),
}
"""Metric → the metrics it is always a part of (a 予以公开 count never exceeds 办结; the
applicants of one column never exceed 本年新收). 办结 against 受理 is left out: 办结 counts
requests carried in from last year, which 受理 may not."""


_PARTS_OF = {w: [p for p, ws in PART_OF.items() if w in ws] for ws in PART_OF.values() for w in ws}


def _names_a_part(text: str, whole: Claim) -> bool:
    """Whether the words before a total's number name one of its parts (“法人或其他组织申请8件”
    is not 本年新收 in all, whatever its label): such a claim is not read as the whole."""
    words = text[clause_start(text, whole.num_start):whole.num_start] if text else whole.text
    return any(METRICS[p].cues and re.search(METRICS[p].cues, words) for p in _PARTS_OF.get(whole.metric, ()))


@register("narrative.part_exceeds.v1", kind="parts_sum", severity="warning", needs="claims",
          title="叙述中的分项不大于其总数")
def part_exceeds(ctx: CheckContext) -> list[Finding]:
    """A warning where a count of the narrative is larger than the total it is part of, stated
    elsewhere in the narrative (予以公开15件 against 办结12件), for the report year and unit. A
    total whose metric is in doubt (ambiguous against the tables) or whose words name one of
    its parts is not read as the whole."""
    text = ctx.text
    own = [c for c in ctx.narrative if (c.metric in PART_OF or c.metric in _PARTS_OF)
           and own_count(c, text, year=ctx.year, confidence_floor=ctx.confidence_floor)]
    by_metric: dict[str, list[Claim]] = {}
    for c in own:
        if c.status != "ambiguous" and not _names_a_part(text, c):
            by_metric.setdefault(c.metric, []).append(c)
    out = []
    for part in own:
        for whole_metric in PART_OF.get(part.metric, ()):
            wholes = [w for w in by_metric.get(whole_metric, ()) if w.unit == part.unit or not w.unit or not part.unit]
            over = [w for w in wholes if claim_interval(part)[0] > claim_interval(w)[1] + EPS]
            if not over or len(over) < len(wholes):
                continue  # every statement of the whole must be smaller (one that is not: a reading slip)
            w = over[0]
            out.append(finding(
                "narrative.part_exceeds.v1", "parts_sum", "warning",
                f"分项大于总数: “{part.text}”({METRICS[part.metric].zh} {num_words(part)})"
                f"大于“{w.text}”({METRICS[w.metric].zh} {num_words(w)})",
                sha256=ctx.sha256, locus=(part.id, w.metric),
                evidence={"part": claim_brief(part), "total": claim_brief(w), "part_metric": part.metric,
                          "total_metric": w.metric,
                          "difference": round(float(part.value) - float(w.value), 6)},
                span=(min(part.start, w.start), max(part.end, w.end)),
            ))
            break
    return out

"""Claim status: reconcile the narrative's claims with the tables.

``reconcile(doc, sections, tables, claims) -> list[Claim]`` is pure: it reads its arguments
and returns new ``Claim`` objects (copies of the given ones) with status, table figure, reading,
evidence and review score set. The findings about claims and about the narrative (a mismatch,
parts that do not add up, a rate its counts contradict …) are checks of ``nlp.checks``, run
after this stage over the claims it returns.

Claim statuses (claims.md), decided by :func:`check_claim`:

- ``unchecked``: the metric has no table link, the report predates the 2019 template, the
  table it needs is missing or its cell is blank, the claim is a percentage, or its number
  lies inside a parsed table (table text, not narrative; the checks skip it too);
- ``match``: the value equals one of the metric's *readings* (``reading`` names it when it is
  not the first, e.g. ``new+carried_in`` for 受理…共110件 = 本年新收 100 + 上年结转 10);
- ``approx_match``: an approximate claim whose qualifier admits the figure
  (``nlp.numbers.approx_bounds``);
- ``ambiguous``: the value equals only a *related* figure (行政诉讼 8 = 复议后起诉 8, while 行政诉讼
  in all is 12), or another cut of the figure's glued, uncertain cells (``Table.alternatives``),
  or the classifier's confidence is below the floor and nothing matches;
- ``mismatch``: anything else: both values and the difference are in the evidence.

A zero in words (“未收到…行政复议、行政诉讼”) is checked against every review figure its clause
names, whichever metric the claim carries.

About 600 lines: one stage, whose readings of a figure (all the ways a narrative can state
one table value) must be read together with the statuses they decide.

Review score (:func:`review_score`): ``confidence × STATUS_FACTOR[status]`` with the factors
match 1.0, approx_match 0.9, unchecked 0.8, mismatch 0.6, ambiguous 0.3; ``needs_review`` is
``review_score < threshold``. The threshold (default 0.6) and the confidence floor for an
uncertain metric (default 0.5) are the settings ``review_threshold`` and ``confidence_floor``
(``nlp.config``: environment ``XXGK_REVIEW_THRESHOLD`` / ``XXGK_METRIC_CONFIDENCE_FLOOR`` or
``xxgk.toml``), read when :func:`reconcile` is called; the ``threshold``, ``confidence_floor``
and ``settings`` keywords override them (``Checker`` passes its ``Settings``). With 0.6 a match
needs confidence ≥ 0.6, an approximate match ≥ 0.67, an unchecked claim ≥ 0.75, a mismatch only
passes at full confidence, and an ambiguous claim is always reviewed.

The small helpers about a claim's number and its clause (:func:`is_percent`,
:func:`claim_interval`, :func:`num_words`, :func:`clause_around` …) are public: the narrative
checks read claims the same way.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import Any, Iterable, Iterator, Optional, Sequence

from nlp.config import Settings, settings as current_settings
from nlp.metrics import METRICS, Metric, Reading, template_fits
from nlp.numbers import approx_bounds, approx_consistent, format_number as _fmt
from nlp.schema import (
    TABLE_SHORT,
    column_zh,
    row_zh,
    TABLE_TITLES,
    Cell,
    Claim,
    Document,
    Number,
    Sections,
    Table,
    Tables,
)

# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------

STATUS_FACTOR: dict[str, float] = {
    "match": 1.0,
    "approx_match": 0.9,
    "unchecked": 0.8,
    "mismatch": 0.6,
    "ambiguous": 0.3,
}
"""How much each reconciliation status keeps of the classifier's confidence."""


def _floor(confidence_floor: Optional[float]) -> float:
    """The given floor, else the ``confidence_floor`` setting (read now): below this
    classifier confidence a linked metric is uncertain and no match means ``ambiguous``."""
    return current_settings().confidence_floor if confidence_floor is None else confidence_floor


EPS = 1e-6
"""Two figures closer than this (relative to their size) are equal."""


# ---------------------------------------------------------------------------
# A claim's number and its clause
# ---------------------------------------------------------------------------


def _signed(v: Number) -> str:
    return ("+" if v > 0 else "") + _fmt(v)


def _bounds_zh(value: Number, qualifier: Optional[str]) -> str:
    lo, hi, lo_open, hi_open = approx_bounds(value, qualifier)
    return f"{'(' if lo_open else '['}{_fmt(round(lo, 4))}, {_fmt(round(hi, 4))}{')' if hi_open else ']'}"


def claim_interval(c: Claim) -> tuple[float, float]:
    """A claim's value as a closed interval (an exact value is a point)."""
    assert c.value is not None
    if not c.approx:
        return float(c.value), float(c.value)
    lo, hi, _, hi_open = approx_bounds(c.value, c.qualifier)
    return lo, (hi - EPS if hi_open else hi)


def equal(a: Number, b: Number) -> bool:
    """Whether two figures are equal (to :data:`EPS`, relative)."""
    return abs(float(a) - float(b)) <= EPS * max(1.0, abs(float(a)), abs(float(b)))


def is_percent(c: Claim) -> bool:
    """A percentage (占10%, 成功率97%, 百分之九十): never a count, never a part."""
    return (c.unit or "").strip() in ("%", "％", "百分比") or "%" in c.number_text or "％" in c.number_text or "百分之" in c.number_text


def is_zero_words(c: Claim) -> bool:
    """A zero stated in words (未收到…, 没有产生…): no digits, value 0."""
    return c.source == "zero_words" or (c.value == 0 and not re.search(r"[\d〇零一二三四五六七八九十百千万]", c.number_text or ""))


def is_count(c: Claim) -> bool:
    """A count written as a number: the stuff of totals, parts and rates."""
    return c.value is not None and not is_percent(c) and not is_zero_words(c) and c.metric != "not_a_claim"


_CLAUSE_BREAK = re.compile(r"[。；;，,！!？?\n]")
SENTENCE_BREAKS = "。！!？?\n"
"""The characters that end a sentence."""
_SENTENCE_BREAK = re.compile(f"[{SENTENCE_BREAKS}]")
assert all(_CLAUSE_BREAK.match(ch) for ch in SENTENCE_BREAKS), "a sentence break ends a clause too (_breaks)"


def _bounds(text: str, start: int, end: int, breaks: re.Pattern) -> tuple[int, int]:
    """The break before ``start`` (+1, or 0) and the first break from ``end`` on (or the end):
    a bisection over the text's breaks, found once a text (the checks ask for the sentence
    or clause of every claim, often many times over)."""
    if not 0 <= start <= len(text) or not 0 <= end <= len(text):
        lo = start
        while lo > 0 and not breaks.match(text[lo - 1]):
            lo -= 1
        hi = end
        while hi < len(text) and not breaks.match(text[hi]):
            hi += 1
        return lo, hi
    at = _breaks(text, breaks)
    i, j = bisect.bisect_left(at, start), bisect.bisect_left(at, end)
    return (at[i - 1] + 1 if i else 0), (at[j] if j < len(at) else len(text))


@lru_cache(maxsize=16)
def _breaks(text: str, breaks: re.Pattern) -> list[int]:
    if breaks is _SENTENCE_BREAK:  # the sentence breaks are clause breaks too: picked out of those, not searched again
        at = _breaks(text, _CLAUSE_BREAK)  # (compress/map: the same list, picked in C)
        return list(compress(at, map(SENTENCE_BREAKS.__contains__, map(text.__getitem__, at))))
    return [m.start() for m in breaks.finditer(text)]


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` of the clause of ``text`` holding ``[start, end)`` (between ，。；… breaks)."""
    start = max(0, min(start, len(text)))
    return _bounds(text, start, max(start, min(end, len(text))), _CLAUSE_BREAK)


def clause_around(text: str, start: int, end: int) -> str:
    """The clause of ``text`` holding ``[start, end)`` (between ，。；… breaks)."""
    if not text:
        return ""
    lo, hi = clause_bounds(text, start, end)
    return text[lo:hi]


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """``(start, end)`` of the sentence of ``text`` holding ``pos`` (between 。！？ and line breaks)."""
    return _bounds(text, pos, pos, _SENTENCE_BREAK)


def sentence_spans(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[lo:hi]``, cut to it, in order: what
    :func:`sentence_bounds` gives from ``lo``, then from each end + 1, found in one pass over
    the text's breaks."""
    at = _breaks(text, _SENTENCE_BREAK)
    hi = min(hi, len(text))  # past the end, the last sentence would be yielded for ever
    i = bisect.bisect_left(at, lo)
    start = max(at[i - 1] + 1 if i else 0, lo)
    while start < hi:
        end = at[i] if i < len(at) else len(text)
        yield start, min(end, hi)
        start, i = end + 1, i + 1


def sentences_holding(text: str, lo: int, hi: int, word: str) -> Iterator[tuple[int, int]]:
    """The sentences of :func:`sentence_spans` ``(text, lo, hi)`` that hold ``word`` (which has no
    sentence break in it), found from where ``word`` is, not by walking every sentence."""
    assert not any(ch in SENTENCE_BREAKS for ch in word), word
    at = text.find(word, lo, hi)
    while at >= 0:
        s_lo, s_hi = sentence_bounds(text, at)
        s_lo, s_hi = max(s_lo, lo), min(s_hi, hi)
        yield s_lo, s_hi
        at = text.find(word, s_hi, hi)


_SUFFIX_QUALIFIERS = ("余", "多", "以上", "左右", "上下", "有余", "前后")


def num_words(c: Claim, *, unit: bool = True) -> str:
    """The number as a reader says it: qualifier and unit around ``number_text`` (1300余条, 近70条)."""
    words = c.number_text or _fmt(c.value)
    q = c.qualifier or ""
    if c.approx and q and q not in words:
        words = words + q if q in _SUFFIX_QUALIFIERS else q + words
    if unit and c.unit and c.unit not in words and c.value is not None:
        words += c.unit
    return words


# ---------------------------------------------------------------------------
# Table figures with their cells
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CellUse:
    table: str
    row: str
    col: str
    cell: Optional[Cell]

    @property
    def value(self) -> Optional[Number]:
        return None if self.cell is None else self.cell.value

    def label(self, tables: Tables) -> str:
        table = tables.get(self.table)
        row = self.row
        if table is not None:
            try:
                row = row_zh(table.definition, self.row)
            except KeyError:
                pass
        col = "" if self.col == "value" else column_zh(self.table, self.col)
        return f"{TABLE_SHORT.get(self.table, self.table)} {row}{(' ' + col) if col else ''}"

    def to_json(self, tables: Tables) -> dict:
        c = self.cell
        return {
            "table": self.table,
            "row": self.row,
            "col": self.col,
            "label": self.label(tables),
            "value": None if c is None else c.value,
            "raw": None if c is None else c.raw,
            "start": None if c is None else c.start,
            "end": None if c is None else c.end,
            "uncertain": False if c is None else c.uncertain,
        }


@dataclass(frozen=True)
class Figure:
    """A reading's figure in these tables: its value (None: why in ``missing``) and cells."""

    reading: Reading
    value: Optional[Number]
    cells: tuple[CellUse, ...]
    missing: str = ""

    def describe(self, tables: Tables) -> str:
        """``表B 本年新收 总计 100 + 表B 上年结转 总计 10 = 110``; zero parts of a group are
        summarised as 其余为0."""
        if self.value is None:
            return f"{self.reading.zh}: {self.missing}"
        shown = [u for u in self.cells if u.value not in (0, None)] if len(self.cells) > 3 else list(self.cells)
        if not shown:
            return f"{TABLE_SHORT.get(self.cells[0].table, '')} {self.reading.zh}({len(self.cells)}格均为0) = 0"
        terms = [f"{u.label(tables)} {_fmt(u.value)}" for u in shown]
        if len(shown) < len(self.cells):
            terms.append(f"其余{len(self.cells) - len(shown)}格为0")
        if len(self.cells) == 1:
            return terms[0]
        return f"{' + '.join(terms) if terms else self.reading.zh} = {_fmt(self.value)}"

    @property
    def uncertain(self) -> bool:
        return any(u.cell is not None and u.cell.uncertain for u in self.cells)

    def to_json(self, tables: Tables) -> dict:
        return {
            "reading": self.reading.name,
            "zh": self.reading.zh,
            "value": self.value,
            "missing": self.missing or None,
            "cells": [u.to_json(tables) for u in self.cells],
        }


def alternative_values(fig: Figure, tables: Tables) -> list[Number]:
    """The figure's value under each other reading of its uncertain glued cells
    (``Table.alternatives``: the other cuts of a run of digits that also fit)."""
    out: list[Number] = []
    base = {(u.table, u.row, u.col): u.value for u in fig.cells}
    if fig.value is None or not fig.uncertain:
        return out
    for table in tables.all():
        for alt in table.alternatives:
            keys = [(alt.get("table", table.name), r, c) for r, c in alt.get("cells", [])]
            if not any(k in base for k in keys):
                continue
            for option in alt.get("options", []):
                vals = dict(base)
                for k, v in zip(keys, option):
                    if k in vals:
                        vals[k] = v
                if any(v is None for v in vals.values()):
                    continue
                total = sum(vals.values())
                if not equal(total, fig.value) and not any(equal(total, o) for o in out):
                    out.append(total)
    return out


def _table_missing(tables: Tables, name: str) -> str:
    title = TABLE_TITLES.get(name, name)
    if name in tables.empty_sections:
        return f"报告只有{title}的标题,没有表格"
    return f"报告没有{title}"


def figure(reading: Reading, tables: Tables) -> Figure:
    """The figure ``reading`` names in ``tables``, with the cells it adds up: its value is
    ``nlp.metrics.reading_value``'s, added up from those cells (not read from the tables again)."""
    uses: list[CellUse] = []
    no_rows = False  # a group row with no sub-rows names no figure
    for table_name, row, col in reading.cells:
        table: Optional[Table] = tables.get(table_name)
        if table is None:
            return Figure(reading, None, tuple(uses), _table_missing(tables, table_name))
        row_keys = {r.key for r in table.definition.rows}
        rows = [row] if row in row_keys else [r.key for r in table.definition.rows if r.parent == row]
        no_rows = no_rows or not rows
        for r in rows:
            uses.append(CellUse(table_name, r, col, table.cells.get((r, col))))
    if not template_fits(reading, tables):
        form = next(tables.template_of(t) for t, _, _ in reading.cells if tables.template_of(t) not in reading.templates)
        return Figure(reading, None, tuple(uses), f"{form}模板的表格没有此项")
    values = [u.value for u in uses]
    value = None if no_rows or None in values else sum(values)
    if value is None:
        blanks = [u.label(tables) for u in uses if u.value is None]
        why = "、".join(blanks[:3]) + ("等" if len(blanks) > 3 else "") + " 为空白或未读出" if blanks else "表格中没有此项"
        return Figure(reading, None, tuple(uses), why)
    return Figure(reading, value, tuple(uses))


# ---------------------------------------------------------------------------
# Claim status
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimCheck:
    """The outcome of checking one claim against the tables."""

    status: str
    evidence: str
    table_value: Optional[Number] = None
    reading: Optional[str] = None
    figures: tuple[Figure, ...] = ()
    related: tuple[Figure, ...] = ()


ZERO_WORD_METRICS: tuple[tuple[str, str], ...] = (
    ("行政复议", "reconsideration.total"),
    ("行政诉讼", "litigation.total"),
)
"""Words a zero in words may name besides its own metric (“未收到…行政复议、行政诉讼”)."""

_UNIT_SCALE_10K_YUAN = {"元": 1e-4, "万元": 1.0, "亿元": 1e4}


def _claim_value_for(metric_key: str, c: Claim) -> Optional[Number]:
    """The claim's value in the unit of the metric's figure (元/亿元 → 万元 for fees)."""
    if c.value is None:
        return None
    if metric_key.endswith("10k_yuan") and c.unit in _UNIT_SCALE_10K_YUAN:
        return c.value * _UNIT_SCALE_10K_YUAN[c.unit]
    return c.value


def _said(c: Claim) -> str:
    return f"叙述“{num_words(c)}”"


def _fits(c: Claim, value: Number, fig: Number) -> bool:
    return approx_consistent(value, c.qualifier, fig) if c.approx else equal(value, fig)


_SHARE_AFTER = re.compile(r"^[^，。；;,\d]{0,4}[，,]?\s*(?:约)?占")


def _cued(r: Reading, c: Claim, clause: str, text: str) -> bool:
    """Is a reading with a ``cue`` one this claim may be compared with: its clause holds the
    cue, and the count is not a part written with its share (“各乡镇…477条,占23.1%”)?"""
    if r.cue is None:
        return True
    if not re.search(r.cue, clause):
        return False
    after = text[c.end:c.end + 12] if text else ""
    return not _SHARE_AFTER.match(after)


def _fitting(readings: Sequence[Reading], tables: Tables) -> list[Reading]:
    """The readings whose tables follow a form they are for: the standard tables' readings for a
    report of 2019 on, the statistics table's for one before."""
    return [r for r in readings if template_fits(r, tables)]


def _zero_check(c: Claim, metric: Optional[Metric], clause: str, tables: Tables,
                figures: Optional[dict] = None) -> Optional[ClaimCheck]:
    """A zero in words: every review quantity the clause names, and the claim's own metric."""
    keys: list[str] = []
    if metric is not None and metric.linked:
        keys.append(metric.key)
    for word, key in ZERO_WORD_METRICS:
        if word in clause and key not in keys:
            keys.append(key)
    if not keys or (len(keys) == 1 and metric is not None and keys == [metric.key]):
        return None  # an ordinary claim of 0: the general rule handles it
    figs = [_figure((_fitting(METRICS[k].readings, tables) or METRICS[k].readings)[0], tables, figures) for k in keys]
    known = [f for f in figs if f.value is not None]
    if not known:
        why = "; ".join(f"{METRICS[k].zh}: {f.missing}" for k, f in zip(keys, figs))
        return ClaimCheck("unchecked", f"{_said(c)}(零): 无表格数字可核对({why})")
    nonzero = [f for f in known if not equal(f.value, 0)]
    parts = "; ".join(f.describe(tables) for f in known)
    missing = [f"{METRICS[k].zh}: {f.missing}" for k, f in zip(keys, figs) if f.value is None]
    tail = f"(未核对: {'; '.join(missing)})" if missing else ""
    if nonzero:
        return ClaimCheck(
            "mismatch",
            f"{_said(c)}为零,但 {'; '.join(f.describe(tables) for f in nonzero)} 不为零{tail}",
            table_value=nonzero[0].value,
            figures=tuple(known),
        )
    names = "、".join(METRICS[k].zh for k, f in zip(keys, figs) if f.value is not None)
    return ClaimCheck(
        "match",
        f"{_said(c)}为零(文字表述),与表格一致: {names}均为0({parts}){tail}",
        table_value=0,
        figures=tuple(known),
    )


def check_claim(
    c: Claim,
    tables: Tables,
    *,
    text: str = "",
    confidence_floor: Optional[float] = None,
    figures: Optional[dict] = None,
) -> ClaimCheck:
    """Decide one claim's status against the tables, with the evidence in words.

    ``text`` is the document's text, used to read the clause around a zero in words.
    ``figures``: the report's figures found so far, by reading (:func:`reconcile` passes one
    dict for all its claims: many claims name the same figures).
    """
    metric = METRICS.get(c.metric)
    if c.value is None:
        return ClaimCheck("unchecked", f"{_said(c)}: 没有读出数值")
    if tables.template == "pre2019" and tables.stats is None:
        return ClaimCheck("unchecked", f"{_said(c)}: 2019年以前的报告没有标准表格,无表格数字可核对")
    if is_percent(c):
        return ClaimCheck("unchecked", f"{_said(c)}: 百分比不与表格数字核对")
    is_zero = equal(c.value, 0) and not c.approx
    fitting = _fitting(metric.readings, tables) if metric is not None else []
    clause = ""  # read only when a zero or a reading's cue asks (most claims' metrics have no reading here)
    if is_zero or any(r.cue is not None for r in fitting):
        clause = clause_around(text, c.start, c.end) if text else c.text
        clause = clause if c.text in clause else f"{c.text}{clause}"
    if is_zero:
        zero = _zero_check(c, metric, clause, tables, figures)
        if zero is not None:
            return zero
    if metric is None:
        return ClaimCheck("unchecked", f"{_said(c)}: 未知指标“{c.metric}”,无表格数字可核对")
    readings = [r for r in fitting if _cued(r, c, clause, text)]
    if not readings:
        if tables.template == "pre2019":
            return ClaimCheck("unchecked", f"{_said(c)}: 指标“{metric.zh}”不在统计表中,无表格数字可核对")
        return ClaimCheck("unchecked", f"{_said(c)}: 指标“{metric.zh}”不在标准表格中,无表格数字可核对")

    value = _claim_value_for(metric.key, c)
    assert value is not None
    figs = tuple(_figure(r, tables, figures) for r in readings)
    rel = tuple(_figure(r, tables, figures) for r in _fitting(metric.related, tables))
    known = [f for f in figs if f.value is not None]
    if not known:
        why = "; ".join(f.missing for f in figs)
        return ClaimCheck("unchecked", f"{_said(c)}(指标: {metric.zh}): 无表格数字可核对({why})", figures=figs)

    for i, f in enumerate(figs):
        if f.value is None or not _fits(c, value, f.value):
            continue
        reading = f.reading.name if i > 0 else None
        how = f"(读法: {f.reading.zh})" if i > 0 else ""
        note = "; 注意: 所用表格单元格读法不确定" if f.uncertain else ""
        if c.approx:
            return ClaimCheck(
                "approx_match",
                f"{_said(c)}为约数({c.qualifier or '约'}),允许范围 {_bounds_zh(value, c.qualifier)},"
                f"包含 {f.describe(tables)}{how}{note}",
                table_value=f.value,
                reading=reading,
                figures=figs,
                related=rel,
            )
        return ClaimCheck(
            "match",
            f"{_said(c)} = {f.describe(tables)}{how}{note}",
            table_value=f.value,
            reading=reading,
            figures=figs,
            related=rel,
        )

    main = known[0]
    diff = value - main.value
    own = f"{main.describe(tables)}, 相差 {_signed(diff)}"
    for f in rel:
        if f.value is not None and _fits(c, value, f.value):
            return ClaimCheck(
                "ambiguous",
                f"{_said(c)}只等于相关数字 {f.describe(tables)}(读法: {f.reading.zh}),"
                f"而其指标“{metric.zh}”为 {own}",
                table_value=main.value,
                reading=f.reading.name,
                figures=figs,
                related=rel,
            )
    for f in known:
        alts = [v for v in alternative_values(f, tables) if _fits(c, value, v)]
        if alts:
            return ClaimCheck(
                "ambiguous",
                f"{_said(c)}与表格所读 {f.describe(tables)} 不同,但这些单元格由粘连数字切分而来、读法不确定;"
                f"另一种切分得 {_fmt(alts[0])},与叙述一致",
                table_value=f.value,
                reading=f.reading.name if f is not known[0] else None,
                figures=figs,
                related=rel,
            )
    others = [f for f in known[1:]]
    also = "; 其他读法: " + "; ".join(f.describe(tables) for f in others) if others else ""
    floor = _floor(confidence_floor)
    if c.confidence < floor:
        return ClaimCheck(
            "ambiguous",
            f"指标不确定(分类置信度 {c.confidence:.2f} < {floor:.2f}): {_said(c)} "
            f"若指“{metric.zh}”则与 {own} 不符{also}",
            table_value=main.value,
            figures=figs,
            related=rel,
        )
    approx = f"(约数,允许范围 {_bounds_zh(value, c.qualifier)})" if c.approx else ""
    near = [f for f in rel if f.value is not None]
    if near:
        also += "; 相关数字: " + "; ".join(f.describe(tables) for f in near)
    return ClaimCheck(
        "mismatch",
        f"{_said(c)}{approx} ≠ {own}{also}",
        table_value=main.value,
        figures=figs,
        related=rel,
    )


def review_score(confidence: float, status: str) -> float:
    """``confidence × STATUS_FACTOR[status]``, the confidence clamped to [0, 1]."""
    conf = min(1.0, max(0.0, float(confidence or 0.0)))
    return round(conf * STATUS_FACTOR.get(status, STATUS_FACTOR["ambiguous"]), 4)


def placed_tables(tables: Tables) -> list[Table]:
    """The parsed tables (and the statistics table) whose extent in the text is known."""
    every = tables.all() + ([tables.stats] if tables.stats is not None else [])
    return [t for t in every if t.start is not None and t.end is not None]


def in_table(c: Claim, tables: Tables, placed: Optional[Sequence[Table]] = None) -> Optional[Table]:
    """The parsed table whose extent holds the claim's number (table text, not narrative).
    ``placed``: :func:`placed_tables` of ``tables``, when already made."""
    for t in placed_tables(tables) if placed is None else placed:
        if t.start <= c.num_start < t.end:
            return t
    return None


def reconcile_claim(
    c: Claim,
    tables: Tables,
    *,
    text: str = "",
    threshold: Optional[float] = None,
    confidence_floor: Optional[float] = None,
    placed: Optional[Sequence[Table]] = None,
    figures: Optional[dict] = None,
) -> Claim:
    """A new Claim with status, table_value, reading, evidence and the review score set.

    A number inside a parsed table's extent is table text, not a narrative claim: unchecked.
    ``placed`` and ``figures``: what :func:`reconcile` makes once for all the report's claims
    (:func:`placed_tables`; the figures found so far, by reading)."""
    table = in_table(c, tables, placed)
    if table is not None:
        res = ClaimCheck("unchecked", f"{_said(c)}位于{TABLE_TITLES.get(table.name, table.name)}之内,是表格文字而非叙述")
    else:
        res = check_claim(c, tables, text=text, confidence_floor=confidence_floor, figures=figures)
    score = review_score(c.confidence, res.status)
    return _with_fields(c, status=res.status, table_value=res.table_value, reading=res.reading, evidence=res.evidence,
                        review_score=score,
                        needs_review=score < (current_settings().review_threshold if threshold is None else threshold))


def _with_fields(c: Claim, **changes: Any) -> Claim:
    """``dataclasses.replace(c, **changes)`` for a Claim (a plain dataclass: no ``__post_init__``,
    nothing computed in ``__init__``), made by copying its fields: a third of replace's cost,
    paid for every claim of every report."""
    new = object.__new__(type(c))
    new.__dict__.update(vars(c), **changes)
    return new


def _figure(reading: Reading, tables: Tables, figures: Optional[dict]) -> Figure:
    """``figure(reading, tables)``, kept in ``figures`` (one report's, by reading) when given."""
    if figures is None:
        return figure(reading, tables)
    found = figures.get(reading)
    if found is None:
        found = figures[reading] = figure(reading, tables)
    return found


# ---------------------------------------------------------------------------
# The stage
# ---------------------------------------------------------------------------


def reconcile(
    doc: Document,
    sections: Sections,
    tables: Tables,
    claims: Iterable[Claim],
    *,
    threshold: Optional[float] = None,
    confidence_floor: Optional[float] = None,
    settings: Optional[Settings] = None,
) -> list[Claim]:
    """Reconcile the claims with the tables: each claim's status, table figure and review score.

    Parameters
    ----------
    doc, sections, tables:
        The earlier stages' output for one report.
    claims:
        ``extract_claims``'s claims (status ``unchecked``); they are not modified.
    threshold:
        ``needs_review`` is ``review_score < threshold`` (default: the ``review_threshold``
        setting).
    confidence_floor:
        Below this classifier confidence an unmatched linked claim is ``ambiguous`` (default:
        the ``confidence_floor`` setting).
    settings:
        Where the defaults of ``threshold`` and ``confidence_floor`` come from (default:
        ``nlp.config.settings()``, read now).

    Returns
    -------
    list[Claim]
        New claims with status, table_value, reading, evidence, review_score and needs_review
        set, in the input order. ``nlp.checks.run_checks(doc, sections, tables, claims)`` then
        turns them into findings.
    """
    if threshold is None or confidence_floor is None:
        s = settings or current_settings()
        threshold = s.review_threshold if threshold is None else threshold
        confidence_floor = s.confidence_floor if confidence_floor is None else confidence_floor
    placed, figures = placed_tables(tables), {}
    return [
        reconcile_claim(c, tables, text=doc.text, threshold=threshold, confidence_floor=confidence_floor,
                        placed=placed, figures=figures)
        for c in claims
    ]

"""Reconcile the narrative's claims with the tables, and check the narrative against itself.

``reconcile(doc, sections, tables, claims) -> (claims, findings)`` is pure: it reads its
arguments and returns new ``Claim`` objects (``dataclasses.replace``) and ``Finding`` objects.

Claim statuses (claims.md), decided by :func:`check_claim`:

- ``unchecked``: the metric has no table link, the report predates the 2019 template, the
  table it needs is missing or its cell is blank, the claim is a percentage, or its number
  lies inside a parsed table (table text, not narrative; the checks below skip it too);
- ``match``: the value equals one of the metric's *readings* (``reading`` names it when it is
  not the first, e.g. ``new+carried_in`` for 受理…共110件 = 本年新收 100 + 上年结转 10);
- ``approx_match``: an approximate claim whose qualifier admits the figure (:func:`approx_bounds`);
- ``ambiguous``: the value equals only a *related* figure (行政诉讼 8 = 复议后起诉 8, while 行政诉讼
  in all is 12), or another cut of the figure's glued, uncertain cells (``Table.alternatives``),
  or the classifier's confidence is below the floor and nothing matches;
- ``mismatch``: anything else: both values and the difference are in the evidence.

A zero in words (“未收到…行政复议、行政诉讼”) is checked against every review figure its clause
names, whichever metric the claim carries.

Review score (:func:`review_score`): ``confidence × STATUS_FACTOR[status]`` with the factors
match 1.0, approx_match 0.9, unchecked 0.8, mismatch 0.6, ambiguous 0.3; ``needs_review`` is
``review_score < threshold``. The threshold (default 0.6) and the confidence floor for an
uncertain metric (default 0.5) are the settings ``review_threshold`` and ``confidence_floor``
(``nlp.config``: environment ``XXGK_REVIEW_THRESHOLD`` / ``XXGK_METRIC_CONFIDENCE_FLOOR`` or
``xxgk.toml``), read when :func:`reconcile` is called; the ``threshold``, ``confidence_floor``
and ``settings`` keywords override them (``Checker`` passes its ``Settings``). With 0.6 a match
needs confidence ≥ 0.6, an approximate match ≥ 0.67, an unchecked claim ≥ 0.75, a mismatch only
passes at full confidence, and an ambiguous claim is always reviewed.

Findings come from checks registered by versioned name (:data:`CHECKS`), each a pure function
``(doc, sections, tables, claims) -> list[Finding]`` over the reconciled claims (a check that
needs a setting names it as a keyword-only parameter, ``confidence_floor``, and gets it):

- ``narrative.claim_mismatch.v1`` / ``narrative.claim_ambiguous.v1``: one per such claim;
- ``narrative.parts_sum.v1``: a total followed by parts (其中/包括/含/分别为) or preceded by them
  (“24个…、4个…共37家”) that do not add up;
- ``narrative.rate.v1``: a rate (…率97%) its two counts contradict (337/551 = 61.2%);
- ``narrative.share.v1``: a part's share (占8.05%) that part / total contradicts;
- ``narrative.missing_number.v1``: a measure word with no number (“发布新闻发布会类信息条”);
- ``narrative.inconsistent_totals.v1``: one quantity stated with different totals.

Finding ids come from ``schema.finding`` with the report's sha256 and a locus that does not
depend on character offsets (claim ids, the words matched).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Optional, Sequence

from nlp.config import Settings, settings as current_settings
from nlp.errors import Errors, XxgkError
from nlp.metrics import METRICS, Metric, Reading, reading_value, template_fits
from nlp.schema import (
    TABLE_SHORT,
    column_zh,
    row_zh,
    TABLE_TITLES,
    Cell,
    Claim,
    Document,
    Finding,
    Number,
    Sections,
    Table,
    Tables,
    finding,
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


PARTS_HIGHLIGHT_SHARE = 0.6
"""Parts that cover less than this share of their total are examples (“其中涉及…”), not a
breakdown: the parts_sum finding is then ``info``, not ``warning``."""

RATE_TOLERANCE_PP = 1.0
"""A stated rate may differ from its counts' quotient by this many percentage points."""

_EPS = 1e-6



# ---------------------------------------------------------------------------
# Numbers: approximate values, intervals, formatting
# ---------------------------------------------------------------------------

_NEAR = ("将近", "接近", "几近", "近", "不到", "不足", "少于", "未满", "不满")
_NEAR_OPEN = ("不到", "不足", "少于", "未满", "不满")
_ABOUT = ("大约", "大概", "大致", "约", "左右", "上下", "前后")
_OVER = ("余", "多", "以上", "超过", "逾", "过", "超", "突破", "至少", "有余")
_OVER_OPEN = ("超过", "逾", "过", "超", "突破")


def _fmt(v: Optional[Number]) -> str:
    if v is None:
        return "空"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def _signed(v: Number) -> str:
    return ("+" if v > 0 else "") + _fmt(v)


def magnitude_step(value: Number) -> float:
    """The place value of the last non-zero digit: 1300 → 100, 70 → 10, 1000 → 1000, 12 → 1.

    ``N余`` / ``N多`` / ``N以上`` cover ``[N, N + step)``: 1300余 is 1300 to 1399.
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
    """Whether an approximate claim (``value`` with ``qualifier``) admits ``figure``."""
    lo, hi, lo_open, hi_open = approx_bounds(value, qualifier)
    f = float(figure)
    above = f > lo + _EPS if lo_open else f >= lo - _EPS
    below = f < hi - _EPS if hi_open else f <= hi + _EPS
    return above and below


def _bounds_zh(value: Number, qualifier: Optional[str]) -> str:
    lo, hi, lo_open, hi_open = approx_bounds(value, qualifier)
    return f"{'(' if lo_open else '['}{_fmt(round(lo, 4))}, {_fmt(round(hi, 4))}{')' if hi_open else ']'}"


def _interval(c: Claim) -> tuple[float, float]:
    """A claim's value as a closed interval (an exact value is a point)."""
    assert c.value is not None
    if not c.approx:
        return float(c.value), float(c.value)
    lo, hi, _, hi_open = approx_bounds(c.value, c.qualifier)
    return lo, (hi - _EPS if hi_open else hi)


def _equal(a: Number, b: Number) -> bool:
    return abs(float(a) - float(b)) <= _EPS * max(1.0, abs(float(a)), abs(float(b)))


def is_percent(c: Claim) -> bool:
    """A percentage (占10%, 成功率97%, 百分之九十): never a count, never a part."""
    return (c.unit or "").strip() in ("%", "％", "百分比") or "%" in c.number_text or "％" in c.number_text or "百分之" in c.number_text


def is_zero_words(c: Claim) -> bool:
    """A zero stated in words (未收到…, 没有产生…): no digits, value 0."""
    return c.source == "zero_words" or (c.value == 0 and not re.search(r"[\d〇零一二三四五六七八九十百千万]", c.number_text or ""))


def _is_count(c: Claim) -> bool:
    """A count written as a number: the stuff of totals, parts and rates."""
    return c.value is not None and not is_percent(c) and not is_zero_words(c) and c.metric != "not_a_claim"


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
                if not _equal(total, fig.value) and not any(_equal(total, o) for o in out):
                    out.append(total)
    return out


def _table_missing(tables: Tables, name: str) -> str:
    title = TABLE_TITLES.get(name, name)
    if name in tables.empty_sections:
        return f"报告只有{title}的标题,没有表格"
    return f"报告没有{title}"


def figure(reading: Reading, tables: Tables) -> Figure:
    """The figure ``reading`` names in ``tables``, with the cells it adds up."""
    uses: list[CellUse] = []
    for table_name, row, col in reading.cells:
        table: Optional[Table] = tables.get(table_name)
        if table is None:
            return Figure(reading, None, tuple(uses), _table_missing(tables, table_name))
        row_keys = {r.key for r in table.definition.rows}
        rows = [row] if row in row_keys else [r.key for r in table.definition.rows if r.parent == row]
        for r in rows:
            uses.append(CellUse(table_name, r, col, table.cells.get((r, col))))
    if not template_fits(reading, tables):
        form = next(tables.template_of(t) for t, _, _ in reading.cells if tables.template_of(t) not in reading.templates)
        return Figure(reading, None, tuple(uses), f"{form}模板的表格没有此项")
    value = reading_value(reading, tables)
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


_CLAUSE_BREAK = re.compile(r"[。；;，,！!？?\n]")
_SENTENCE_BREAK = re.compile(r"[。！!？?\n]")

ZERO_WORD_METRICS: tuple[tuple[str, str], ...] = (
    ("行政复议", "reconsideration.total"),
    ("行政诉讼", "litigation.total"),
)
"""Words a zero in words may name besides its own metric (“未收到…行政复议、行政诉讼”)."""

_UNIT_SCALE_10K_YUAN = {"元": 1e-4, "万元": 1.0, "亿元": 1e4}


def _clause_around(text: str, start: int, end: int) -> str:
    """The clause of ``text`` holding ``[start, end)`` (between ，。；… breaks)."""
    if not text:
        return ""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    lo = start
    while lo > 0 and not _CLAUSE_BREAK.match(text[lo - 1]):
        lo -= 1
    hi = end
    while hi < len(text) and not _CLAUSE_BREAK.match(text[hi]):
        hi += 1
    return text[lo:hi]


def _claim_value_for(metric_key: str, c: Claim) -> Optional[Number]:
    """The claim's value in the unit of the metric's figure (元/亿元 → 万元 for fees)."""
    if c.value is None:
        return None
    if metric_key.endswith("10k_yuan") and c.unit in _UNIT_SCALE_10K_YUAN:
        return c.value * _UNIT_SCALE_10K_YUAN[c.unit]
    return c.value


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


def _said(c: Claim) -> str:
    return f"叙述“{num_words(c)}”"


def _fits(c: Claim, value: Number, fig: Number) -> bool:
    return approx_consistent(value, c.qualifier, fig) if c.approx else _equal(value, fig)


def _zero_check(c: Claim, metric: Optional[Metric], clause: str, tables: Tables) -> Optional[ClaimCheck]:
    """A zero in words: every review quantity the clause names, and the claim's own metric."""
    keys: list[str] = []
    if metric is not None and metric.linked:
        keys.append(metric.key)
    for word, key in ZERO_WORD_METRICS:
        if word in clause and key not in keys:
            keys.append(key)
    if not keys or (len(keys) == 1 and metric is not None and keys == [metric.key]):
        return None  # an ordinary claim of 0: the general rule handles it
    figs = [figure(METRICS[k].readings[0], tables) for k in keys]
    known = [f for f in figs if f.value is not None]
    if not known:
        why = "; ".join(f"{METRICS[k].zh}: {f.missing}" for k, f in zip(keys, figs))
        return ClaimCheck("unchecked", f"{_said(c)}(零): 无表格数字可核对({why})")
    nonzero = [f for f in known if not _equal(f.value, 0)]
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
) -> ClaimCheck:
    """Decide one claim's status against the tables, with the evidence in words.

    ``text`` is the document's text, used to read the clause around a zero in words.
    """
    metric = METRICS.get(c.metric)
    clause = _clause_around(text, c.start, c.end) if text else c.text
    clause = clause if c.text in clause else f"{c.text}{clause}"
    if c.value is None:
        return ClaimCheck("unchecked", f"{_said(c)}: 没有读出数值")
    if tables.template == "pre2019":
        return ClaimCheck("unchecked", f"{_said(c)}: 2019年以前的报告没有标准表格,无表格数字可核对")
    if is_percent(c):
        return ClaimCheck("unchecked", f"{_said(c)}: 百分比不与表格数字核对")
    if _equal(c.value, 0) and not c.approx:
        zero = _zero_check(c, metric, clause, tables)
        if zero is not None:
            return zero
    if metric is None:
        return ClaimCheck("unchecked", f"{_said(c)}: 未知指标“{c.metric}”,无表格数字可核对")
    if not metric.linked:
        return ClaimCheck("unchecked", f"{_said(c)}: 指标“{metric.zh}”不在标准表格中,无表格数字可核对")

    value = _claim_value_for(metric.key, c)
    assert value is not None
    figs = tuple(figure(r, tables) for r in metric.readings)
    rel = tuple(figure(r, tables) for r in metric.related)
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


def in_table(c: Claim, tables: Tables) -> Optional[Table]:
    """The parsed table whose extent holds the claim's number (table text, not narrative)."""
    for t in tables.all():
        if t.start is not None and t.end is not None and t.start <= c.num_start < t.end:
            return t
    return None


def reconcile_claim(
    c: Claim,
    tables: Tables,
    *,
    text: str = "",
    threshold: Optional[float] = None,
    confidence_floor: Optional[float] = None,
) -> Claim:
    """A new Claim with status, table_value, reading, evidence and the review score set.

    A number inside a parsed table's extent is table text, not a narrative claim: unchecked."""
    table = in_table(c, tables)
    if table is not None:
        res = ClaimCheck("unchecked", f"{_said(c)}位于{TABLE_TITLES.get(table.name, table.name)}之内,是表格文字而非叙述")
    else:
        res = check_claim(c, tables, text=text, confidence_floor=confidence_floor)
    score = review_score(c.confidence, res.status)
    return replace(
        c,
        status=res.status,
        table_value=res.table_value,
        reading=res.reading,
        evidence=res.evidence,
        review_score=score,
        needs_review=score < (current_settings().review_threshold if threshold is None else threshold),
    )


# ---------------------------------------------------------------------------
# Checks registry
# ---------------------------------------------------------------------------

CheckFn = Callable[[Document, Sections, Tables, Sequence[Claim]], list[Finding]]
CHECKS: dict[str, CheckFn] = {}
"""The narrative checks by versioned name, in the order they run."""

_CHECK_SETTINGS = ("confidence_floor",)
"""The settings a check may ask for by naming them as keyword-only parameters."""
_SETTINGS_ASKED: dict[str, tuple[str, ...]] = {}
"""Check name -> the settings it asks for (read from its signature when it registers)."""


def register(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a narrative check under a versioned name (``narrative.parts_sum.v1``)."""

    def deco(fn: CheckFn) -> CheckFn:
        if name in CHECKS:
            raise ValueError(f"check {name} registered twice")
        CHECKS[name] = fn
        _SETTINGS_ASKED[name] = tuple(
            p.name for p in inspect.signature(fn).parameters.values()
            if p.kind is p.KEYWORD_ONLY and p.name in _CHECK_SETTINGS
        )
        return fn

    return deco


def _claim_evidence(c: Claim, tables: Tables) -> dict:
    check = check_claim(c, tables)  # the figures, for their cells; status is the claim's own
    return {
        "claim_id": c.id,
        "text": c.text,
        "span": [c.start, c.end],
        "number_text": c.number_text,
        "value": c.value,
        "unit": c.unit,
        "metric": c.metric,
        "confidence": c.confidence,
        "status": c.status,
        "table_value": c.table_value,
        "reading": c.reading,
        "explanation": c.evidence,
        "figures": [f.to_json(tables) for f in check.figures],
        "related_figures": [f.to_json(tables) for f in check.related],
    }


def _claim_findings(doc: Document, tables: Tables, claims: Sequence[Claim], status: str, check: str) -> list[Finding]:
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
                evidence=_claim_evidence(c, tables),
                span=(c.start, c.end),
            )
        )
    return out


@register("narrative.claim_mismatch.v1")
def claim_mismatch(doc: Document, sections: Sections, tables: Tables, claims: Sequence[Claim]) -> list[Finding]:
    """One warning for each claim whose value differs from its table figure."""
    return _claim_findings(doc, tables, claims, "mismatch", "narrative.claim_mismatch.v1")


@register("narrative.claim_ambiguous.v1")
def claim_ambiguous(doc: Document, sections: Sections, tables: Tables, claims: Sequence[Claim]) -> list[Finding]:
    """One warning for each claim that equals only a related figure, or whose metric is uncertain."""
    return _claim_findings(doc, tables, claims, "ambiguous", "narrative.claim_ambiguous.v1")


# ---------------------------------------------------------------------------
# Parts that should add up to their total
# ---------------------------------------------------------------------------

_FORWARD_MARKER = re.compile(
    r"其中|包括|分别为|分别是|(?<=[（(，,：:])含|(?<=[条件项篇份个家])[^，,。；;：:\d]{0,12}中(?=[，,：:])"
)
"""Words after a total that open its parts; “在…公开的1913条政府信息中,” opens them too."""
_BACKWARD_MARKER = re.compile(r"(?:一共|总共|共计|合计|总计|共有|共)\s*$")
_OPEN_BRACKETS = "（("
_CLOSE_BRACKETS = "）)"


@dataclass(frozen=True)
class PartsGroup:
    """A stated total and the parts the text lists for it."""

    total: Claim
    parts: tuple[Claim, ...]
    marker: str  # 其中 | 包括 | 含 | 分别为 | 共 (parts before the total) …
    direction: str  # forward: total, marker, parts | backward: parts, 共, total

    @property
    def interval(self) -> tuple[float, float]:
        ivs = [_interval(p) for p in self.parts]
        return sum(i[0] for i in ivs), sum(i[1] for i in ivs)

    def adds_up(self) -> bool:
        """The parts are consistent with the total: intervals intersect, so 1300余 against
        1200余 + 98 holds. Forward, a leading run of at least two parts may hold instead (the
        sentence may go on to other counts of the same unit: “其中网上30件,当面20件,已办结48件”)."""
        t_lo, t_hi = _interval(self.total)
        shortest = 2 if self.direction == "forward" else len(self.parts)
        for n in range(len(self.parts), shortest - 1, -1):
            ivs = [_interval(p) for p in self.parts[:n]]
            lo, hi = sum(i[0] for i in ivs), sum(i[1] for i in ivs)
            if lo <= t_hi + _EPS and hi >= t_lo - _EPS:
                return True
        return False


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    lo = pos
    while lo > 0 and not _SENTENCE_BREAK.match(text[lo - 1]):
        lo -= 1
    hi = pos
    while hi < len(text) and not _SENTENCE_BREAK.match(text[hi]):
        hi += 1
    return lo, hi


def _same_unit(a: Claim, b: Claim) -> bool:
    return not a.unit or not b.unit or a.unit == b.unit


def _enclosing_bracket_end(text: str, pos: int, limit: int) -> Optional[int]:
    """If ``pos`` is inside an open bracket of its sentence, the index of its closing bracket."""
    depth = 0
    i = pos - 1
    lo, _ = _sentence_bounds(text, pos)
    while i >= lo:
        ch = text[i]
        if ch in _CLOSE_BRACKETS:
            depth += 1
        elif ch in _OPEN_BRACKETS:
            if depth == 0:
                j = pos
                d = 0
                while j < limit:
                    if text[j] in _OPEN_BRACKETS:
                        d += 1
                    elif text[j] in _CLOSE_BRACKETS:
                        if d == 0:
                            return j
                        d -= 1
                    j += 1
                return None
            depth -= 1
        i -= 1
    return None


_SHARE_AFTER = re.compile(
    r"^[^，。；;,\d(（]{0,3}(?:[，,]\s*(?:约)?占[^，。；;,\d]{0,8}|[(（]\s*(?:约?占[^，。；;,\d]{0,8})?)"
    r"(?P<pct>\d+(?:\.\d+)?)\s*[%％]"
)


def share_of(text: str, c: Claim) -> Optional[tuple[float, int]]:
    """The share written after a count, as ``(percent, decimals)``: “1397条,占73%” → (73.0, 0),
    “208 件(17.46%)” → (17.46, 2); None when there is none."""
    m = _SHARE_AFTER.match(text[c.num_end : c.num_end + 30])
    if m is None:
        return None
    pct = m.group("pct")
    return float(pct), len(pct.split(".")[1]) if "." in pct else 0


def has_share(text: str, c: Claim) -> bool:
    """Whether the count is followed by its share (“1397条,占73%”): it is a part of a total."""
    return share_of(text, c) is not None


def _continued_parts(text: str, counts: Sequence[Claim], parts: list[Claim], end: int) -> list[Claim]:
    """Parts given with their shares may go on in the next sentences
    (“其中,区直…1397条,占73%。各乡镇…534条,占27%。”): take them while each has a share."""
    if not parts or not all(has_share(text, p) for p in parts):
        return parts
    out = list(parts)
    while end < len(text) and _SENTENCE_BREAK.match(text[end]):
        s_lo, s_hi = _sentence_bounds(text, end + 1)
        nxt = [c for c in counts if s_lo <= c.num_start and c.num_end <= s_hi and _same_unit(c, out[0])]
        if not nxt or not has_share(text, nxt[0]) or _FORWARD_MARKER.search(text, s_lo, s_hi):
            break
        out.extend(c for c in nxt if has_share(text, c))
        end = s_hi
    return out


def parts_groups(text: str, claims: Sequence[Claim]) -> list[PartsGroup]:
    """Find totals and their listed parts from the claims' values and positions.

    Forward: a count, then 其中/包括/含/分别为 and at least two counts of the same unit up to the
    end of the sentence (or of the bracket the marker opens, or the next marker). When the
    marker opens a sentence, the total is the last count of the previous sentence (“…915条,
    完成任务114%。包括…”). Backward: at least two counts in one clause, then 共/合计/总计 N
    (“24个…、4个…共37家”). Percentages (占10%) are never parts or totals. A part that is
    itself a sub-total (“其中…共58户,已发放57户”) ends the list: what follows is its own part;
    counts in brackets the marker is not in are sub-parts, never parts or the total. A total
    keeps the group with the most parts (“办结1191件(含上年结转189件)。其中…”).
    """
    counts = sorted((c for c in claims if _is_count(c)), key=lambda c: c.num_start)
    best: dict[str, PartsGroup] = {}

    def keep(g: PartsGroup) -> None:
        old = best.get(g.total.id)
        if old is None or len(g.parts) > len(old.parts):
            best[g.total.id] = g

    for m in _FORWARD_MARKER.finditer(text):
        s_lo, s_hi = _sentence_bounds(text, m.start())
        region_lo = s_lo
        if not text[s_lo : m.start()].strip(" \t　:：,，（("):
            region_lo = _sentence_bounds(text, max(0, s_lo - 1))[0]
        end = s_hi
        bracket = _enclosing_bracket_end(text, m.start(), s_hi)
        if bracket is not None:
            end = bracket
        nxt = _FORWARD_MARKER.search(text, m.end(), end)
        if nxt is not None:
            end = nxt.start()
        spans = _bracket_spans(text, region_lo, max(end, s_hi))
        inner = [o for o, c in spans if o < m.start() <= c]
        outside = max(inner) if inner else m.start()  # “1639条(其中…)”: the total is outside
        parts = [c for c in counts if m.end() <= c.num_start and c.num_end <= end
                 and _same_level(c.num_start, m.start(), spans)]
        if bracket is None and nxt is None:
            parts = _continued_parts(text, counts, parts, end)
        before = [c for c in counts if region_lo <= c.num_start and c.num_end <= m.start()
                  and _same_level(c.num_start, outside, spans)]
        if not parts or not before:
            continue
        unit_parts = [p for p in parts if p.unit]
        common = max({p.unit for p in unit_parts}, key=lambda u: sum(p.unit == u for p in unit_parts)) if unit_parts else None
        same = [c for c in before if not common or not c.unit or c.unit == common]
        total = (same or before)[-1]
        parts = [p for p in parts if _same_unit(p, total)]
        for i, p in enumerate(parts):
            if _BACKWARD_MARKER.search(text[max(0, p.num_start - 4) : p.num_start]):
                parts = parts[: i + 1]  # “其中会审通过二批,共58户,已发放补助57户”: 57 is a part of 58
                break
        if parts:
            keep(PartsGroup(total, tuple(parts), m.group(0), "forward"))
    for t in counts:
        marker = _BACKWARD_MARKER.search(text[max(0, t.num_start - 4) : t.num_start])
        if t.id in best or marker is None:
            continue
        lo = t.num_start
        while lo > 0 and not re.match(r"[。；;，,：:！!？?\n]", text[lo - 1]):
            lo -= 1
        spans = _bracket_spans(text, lo, t.num_start)
        parts = [c for c in counts if lo <= c.num_start and c.num_end <= t.num_start and c.id != t.id
                 and _same_level(c.num_start, t.num_start, spans)]
        if len(parts) >= 2:
            keep(PartsGroup(t, tuple(parts), marker.group(0), "backward"))
    return sorted(best.values(), key=lambda g: g.total.num_start)


def _bracket_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The bracketed stretches ``(open, close)`` of ``text[lo:hi]`` (an unclosed one runs to hi)."""
    spans, stack = [], []
    for i in range(lo, min(hi, len(text))):
        if text[i] in _OPEN_BRACKETS:
            stack.append(i)
        elif text[i] in _CLOSE_BRACKETS and stack:
            spans.append((stack.pop(), i))
    spans.extend((o, hi) for o in stack)
    return spans


def _same_level(pos: int, anchor: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` sits in the same brackets as ``anchor`` (“预决算197条(政府32条、部门165条)”:
    32 and 165 are parts of 197, not of the total before the marker)."""
    return all((o < pos <= c) == (o < anchor <= c) for o, c in spans)


def _claim_brief(c: Claim) -> dict:
    return {"claim_id": c.id, "text": c.text, "number_text": c.number_text, "value": c.value,
            "approx": c.approx, "qualifier": c.qualifier, "unit": c.unit, "span": [c.num_start, c.num_end]}


@register("narrative.parts_sum.v1")
def parts_sum(doc: Document, sections: Sections, tables: Tables, claims: Sequence[Claim]) -> list[Finding]:
    """A warning where listed parts do not add up to their stated total (none where they do;
    ``info`` where the parts cover less than ``PARTS_HIGHLIGHT_SHARE`` of it)."""
    out = []
    for g in parts_groups(doc.text, claims):
        t = g.total
        if len(g.parts) < 2:
            p = g.parts[0]
            if _interval(p)[0] > _interval(t)[1] + _EPS:
                out.append(_parts_finding(doc, g, f"分项“{num_words(p)}”大于其总数“{num_words(t)}”"))
            continue
        if g.adds_up():
            continue
        lo, hi = g.interval
        sum_zh = _fmt(lo) if _equal(lo, hi) else f"{_fmt(round(lo, 2))}~{_fmt(round(hi, 2))}"
        terms = " + ".join(num_words(p, unit=False) for p in g.parts)
        if hi < _interval(t)[0]:
            why = f"分项 {terms} = {sum_zh},少于总数 {num_words(t)},差 {_fmt(round(float(t.value) - hi, 4))}"
            if g.marker in ("包括", "含"):
                why += f";“{g.marker}”之后所列可能并非全部分项"
            else:
                why += ";所列分项可能不全"
        else:
            why = f"分项 {terms} = {sum_zh},多于总数 {num_words(t)},差 {_fmt(round(lo - float(t.value), 4))}"
        covers = hi / float(t.value) if t.value else 1.0
        if covers < PARTS_HIGHLIGHT_SHARE:
            why += f";所列分项只占总数的{covers:.0%},应是举例而非分解"
        out.append(_parts_finding(doc, g, why, "info" if covers < PARTS_HIGHLIGHT_SHARE else "warning"))
    return out


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
            "total": _claim_brief(t),
            "parts": [_claim_brief(p) for p in g.parts],
            "marker": g.marker,
            "direction": g.direction,
            "parts_sum": lo_iv if _equal(lo_iv, hi_iv) else [lo_iv, hi_iv],
            "difference": round(float(t.value) - hi_iv, 6) if hi_iv < _interval(t)[0] else round(lo_iv - float(t.value), 6),
            "explanation": why,
        },
        span=(lo, hi),
    )


# ---------------------------------------------------------------------------
# Rates against their counts
# ---------------------------------------------------------------------------

_CLAUSE_START = re.compile(r"[。；;，,：:！!？?\n、]")


def _clause_start(text: str, pos: int) -> int:
    lo = pos
    while lo > 0 and not _CLAUSE_START.match(text[lo - 1]):
        lo -= 1
    return lo


def rate_checks(text: str, claims: Sequence[Claim]) -> list[tuple[Claim, Claim, Claim, float]]:
    """``(rate, part, whole, computed %)`` for each rate that two counts before it in its
    sentence determine: the rate's words before 率 (“转接成功”) are all in the part's clause
    (“转接成功337次”; “按时办结率” does not take “办结50件”); the whole is the nearest earlier
    count of the same unit ≥ part."""
    out = []
    counts = sorted((c for c in claims if _is_count(c)), key=lambda c: c.num_start)
    for r in claims:
        if not is_percent(r) or r.value is None:
            continue
        c_lo = _clause_start(text, r.num_start)
        words = text[c_lo : r.num_start]
        k = words.rfind("率")
        if k < 0:
            continue
        stem = re.sub(r"^(其中|并且|且|的|和|及)", "", words[:k].strip())
        if len(stem) < 2:
            continue
        s_lo, _ = _sentence_bounds(text, r.num_start)
        before = [c for c in counts if s_lo <= c.num_start and c.num_end <= c_lo]
        part = None
        for c in reversed(before):
            if stem in text[_clause_start(text, c.num_start) : c.num_start]:
                part = c
                break
        if part is None or not part.value:
            continue
        whole = None
        for c in reversed(before):
            if c.num_start < part.num_start and _same_unit(c, part) and c.value and float(c.value) >= float(part.value):
                whole = c
                break
        if whole is None:
            continue
        out.append((r, part, whole, 100.0 * float(part.value) / float(whole.value)))
    return out


@register("narrative.rate.v1")
def rate(doc: Document, sections: Sections, tables: Tables, claims: Sequence[Claim]) -> list[Finding]:
    """A warning where a stated rate differs from part / whole of its counts by more than
    ``RATE_TOLERANCE_PP`` percentage points (转接成功337次 / 转接551次 = 61.2%, not 97%)."""
    out = []
    for r, part, whole, computed in rate_checks(doc.text, claims):
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
                    "rate": _claim_brief(r),
                    "part": _claim_brief(part),
                    "whole": _claim_brief(whole),
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


def share_checks(text: str, claims: Sequence[Claim]) -> list[tuple[Claim, Claim, float, float, int]]:
    """``(part, total, stated %, computed %, decimals)`` for every part of a listed total that
    carries its share (“包括政府文件94条,占10%”, “予以公开208件(17.46%)”)."""
    out = []
    for g in parts_groups(text, claims):
        t = g.total
        if t.approx or not t.value:
            continue
        for p in g.parts:
            sh = share_of(text, p)
            if sh is None or p.approx:
                continue
            out.append((p, t, sh[0], 100.0 * float(p.value) / float(t.value), sh[1]))
    return out


@register("narrative.share.v1")
def share(doc: Document, sections: Sections, tables: Tables, claims: Sequence[Claim]) -> list[Finding]:
    """A finding where a part's written share (占8.05%) is not part / total: ``warning`` beyond
    ``RATE_TOLERANCE_PP`` points, ``info`` beyond the share's own precision (half a unit of
    its last digit + ``SHARE_SLACK_PP``) but within it."""
    out = []
    for p, t, stated, computed, decimals in share_checks(doc.text, claims):
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
                    "part": _claim_brief(p),
                    "total": _claim_brief(t),
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
_CANDIDATE = re.compile(r"(?<=[\u4e00-\u9fff])[条件项篇封份](?=[，。；;,、:：)）!！?？\n]|$)")


def _tokens(sentence: str) -> list[tuple[str, int, int]]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return list(jieba.tokenize(sentence))


def missing_numbers(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, words)`` for each measure word with no number before it.

    A measure word (条 件 项 篇 封 份) that jieba cuts as a word of its own, right after a word
    that is not a numeral (信息, 资质), and right before a clause break, in a sentence that
    discloses something (发布, 公开, 受理 … before it), in a clause with no digit:
    “发布新闻发布会类信息条,”, “公开核准企业资质条、施工许可证76条”. Words that merely end in a
    measure character (文件, 条件, 事项, 案件, 信息公开条例, 条数) are single words to jieba and
    never match, nor do one-character words before the measure word (来件, 等件, 本条).
    ``words`` runs from the clause's first verb (or the clause start) to the measure word.
    """
    out = []
    cut: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
    for cand in _CANDIDATE.finditer(text):
        s_lo, s_hi = _sentence_bounds(text, cand.start())
        head = text[s_lo : cand.start()]
        verbs = list(_DISCLOSURE_VERB.finditer(head))
        if not verbs:
            continue
        pos = cand.start() - s_lo
        if (s_lo, s_hi) not in cut:
            cut[(s_lo, s_hi)] = _tokens(text[s_lo:s_hi])
        toks = cut[(s_lo, s_hi)]
        idx = next((i for i, (w, a, b) in enumerate(toks) if a == pos and b == pos + 1), None)
        if idx is None or idx == 0:
            continue  # the character is part of a longer word (文件, 条例)
        prev = toks[idx - 1][0]
        if len(prev) < 2 or not _CJK_WORD.match(prev) or _NUMERAL.search(prev):
            continue  # 来件, 等件, 第三条, 本条: no noun of its own before the measure word
        c_lo = _clause_start(text, cand.start())
        if re.search(r"\d", text[c_lo : cand.start()]):
            continue  # “收到15564件咨询投诉件”: the clause has its number
        in_clause = [v for v in verbs if s_lo + v.start() >= c_lo]
        lo = s_lo + in_clause[0].start() if in_clause else c_lo
        out.append((lo, cand.end(), text[lo : cand.end()]))
    return out


@register("narrative.missing_number.v1")
def missing_number(doc: Document, sections: Sections, tables: Tables, claims: Sequence[Claim]) -> list[Finding]:
    """A warning for each measure word with no number before it (:func:`missing_numbers`)."""
    out = []
    counter: dict[str, int] = {}
    for start, end, words in missing_numbers(doc.text):
        counter[words] = counter.get(words, 0) + 1
        clause = _clause_around(doc.text, start, end)
        unit = words[-1]
        out.append(
            finding(
                "narrative.missing_number.v1",
                "missing_number",
                "warning",
                f"句中缺少数字: “{clause}”中“{words}”的量词“{unit}”前没有数量",
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

_OTHER_PERIOD = re.compile(r"同比|环比|上一?年(?!度?结转)|去年|历年|往年|前年|以来累计|增长|下降|减少|增加")
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)\s*年")
_PART_SCOPE = re.compile(r"各乡镇|各街道|各部门|各单位|县直|区直|市直|乡镇|街道")
"""Words that put a count in a part of the agency (督促县直部门…发布信息3044条, 各乡镇主动公开…):
such a count is not the report's total."""

SUBSET_RATIO = 0.1
"""Two totals of which one is under this share of the other read as a category and its
whole, not as one quantity stated twice."""


def _other_period(c: Claim, text: str, year: Optional[int]) -> bool:
    clause = _clause_around(text, c.num_start, c.num_end) if text else c.text
    if _OTHER_PERIOD.search(clause):
        return True
    if year is not None:
        years = {int(y) for y in _YEAR.findall(clause)}
        if years and year not in years:
            return True
    return False


def total_conflicts(text: str, claims: Sequence[Claim], *, year: Optional[int] = None,
                    confidence_floor: Optional[float] = None) -> dict[str, list[Claim]]:
    """Metric → its claims, for each total metric stated with values no reading reconciles.

    Left out: parts of a listed total or counts given with their share (占27%), percentages,
    zeros in words (未收到… often speaks of a narrower kind than the total), claims below the confidence floor, and
    clauses about another period (同比, 较上年, another year) or about a part of the agency or
    site (县直部门, 专栏). Approximate values conflict only when their ranges are
    disjoint, and a value under ``SUBSET_RATIO`` of another is read as its category.
    """
    confidence_floor = _floor(confidence_floor)
    part_ids = {p.id for g in parts_groups(text, claims) for p in g.parts}
    by_metric: dict[str, list[Claim]] = {}
    for c in claims:
        if c.metric not in TOTAL_METRICS or not _is_count(c) or c.id in part_ids or has_share(text, c):
            continue
        if c.confidence < confidence_floor or _other_period(c, text, year):
            continue
        if _PART_SCOPE.search(_clause_around(text, c.num_start, c.num_end) if text else c.text):
            continue
        by_metric.setdefault(c.metric, []).append(c)
    out = {}
    for key, cs in by_metric.items():
        cs = sorted(cs, key=lambda c: c.num_start)
        ivs = [_interval(c) for c in cs]
        def clash(a: tuple[float, float], b: tuple[float, float]) -> bool:
            disjoint = a[1] < b[0] - _EPS or b[1] < a[0] - _EPS
            small, big = sorted((a[1], b[1]))
            return disjoint and big > 0 and small / big >= SUBSET_RATIO

        clashing = [c for i, c in enumerate(cs) if any(clash(ivs[i], ivs[j]) for j in range(len(cs)) if j != i)]
        if clashing:
            out[key] = clashing
    return out


@register("narrative.inconsistent_totals.v1")
def inconsistent_totals(doc: Document, sections: Sections, tables: Tables, claims: Sequence[Claim], *,
                        confidence_floor: Optional[float] = None) -> list[Finding]:
    """A warning for each quantity the report states with different totals."""
    out = []
    year = sections.meta.year if sections is not None and sections.meta is not None else None
    for key, cs in total_conflicts(doc.text, claims, year=year, confidence_floor=confidence_floor).items():
        values = []
        for c in cs:
            if not any(_equal(c.value, v) for v in values):
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
                evidence={"metric": key, "values": values, "claims": [_claim_brief(c) for c in cs]},
                span=(cs[0].start, cs[-1].end),
            )
        )
    return out


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
    checks: Optional[Sequence[str]] = None,
    settings: Optional[Settings] = None,
) -> tuple[list[Claim], list[Finding]]:
    """Reconcile the claims with the tables and run the narrative checks.

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
    checks:
        Names of the registered checks to run (default: all of :data:`CHECKS`).
    settings:
        Where the defaults of ``threshold`` and ``confidence_floor`` come from (default:
        ``nlp.config.settings()``, read now).

    Returns
    -------
    (claims, findings):
        New claims with status, table_value, reading, evidence, review_score and
        needs_review set, in the input order; the findings of the narrative checks.
    """
    if threshold is None or confidence_floor is None:
        s = settings or current_settings()
        threshold = s.review_threshold if threshold is None else threshold
        confidence_floor = s.confidence_floor if confidence_floor is None else confidence_floor
    asked = {"confidence_floor": confidence_floor}
    out_claims = [
        reconcile_claim(c, tables, text=doc.text, threshold=threshold, confidence_floor=confidence_floor)
        for c in claims
    ]
    narrative = [c for c in out_claims if in_table(c, tables) is None]
    names = list(CHECKS) if checks is None else list(checks)
    findings: list[Finding] = []
    for name in names:
        if name not in CHECKS:
            raise XxgkError(Errors.E041, name=name, known=", ".join(CHECKS))
        kw = {k: asked[k] for k in _SETTINGS_ASKED[name]}
        findings.extend(CHECKS[name](doc, sections, tables, narrative, **kw))
    return out_claims, findings

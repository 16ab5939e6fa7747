"""Stage 3: read the three standard tables of a report.

    parse_tables(Document, Sections | None) -> Tables

The same table reaches us in many shapes: one cell a line (``0 |``), ``| cell |`` lines, a row
a line (``规章 | 0 | 0 | 0``), markdown pipe tables with generic headers, HTML/DOCX/PDF grids
(``Document.source_tables``), space-separated text and crawler text whose cells are glued
(``行政规范性文件8855698``). Every shape is first turned into one stream of tokens — labels,
numbers, blanks — with their offsets in ``Document.text``; the tables are then read from the
stream the same way whatever the shape:

1. rows are found by their labels (``RowDef.labels`` of :mod:`nlp.schema`, compared without
   punctuation, brackets, spaces and ordinals), in the template's order, so that a column
   header ``其他`` or ``总计`` is never taken for a row, and a label must be followed by its
   figures to count. Rows a PDF conversion moved out of order are then looked for near the
   run, by their exact labels; figures standing on a line of their own under a stack of labels
   are read but marked ``uncertain``. A sentence that names a row and a figure is not a table:
   table A needs its block headers (``第二十条`` …) or nearly all its rows, table B eight rows;
2. a row's figures are the numbers after its label; where there are fewer numbers than columns
   the digits are glued, and :func:`nlp._split.split_run` cuts them under the row's own sums
   (table B: six applicant columns add to 总计; table C: four results add to 总计). Table B's
   column sums (``(七)总计`` = the result rows; ``一 + 二 = (七)总计 + 四``) then choose among
   the rows' remaining splits. Where several readings still fit, one is taken
   deterministically, its cells are marked ``uncertain`` with a ``note``, and the other
   readings are listed in ``Table.alternatives``;
3. table C is its 15 figures in order after its header words (``结果维持`` …), however the
   headers are cut.

The template (``2021`` / ``2019``) is decided by what the rows say — table B's ``(六)其他处理``
has three sub-rows or one; table A has ``本年制发件数/废止`` or ``新制作/其他对外管理服务事项/
政府集中采购`` — and by the report's year (``Sections.meta.year``, else the title); a report for
2018 or earlier has no standard tables (``pre2019``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import product
from math import prod
from typing import Any, Optional, Sequence

from nlp._split import Group, split_run
from nlp.schema import (
    B_GROUPS,
    B_RESULT_ROWS_TOP,
    REVIEW_COLUMNS,
    TABLE_A_2019,
    TABLE_A_2021,
    TABLE_B_2019,
    TABLE_B_2021,
    TABLE_C,
    TABLE_TITLES,
    Cell,
    Document,
    Number,
    RowDef,
    Sections,
    SourceTable,
    Table,
    TableDef,
    Tables,
)

__all__ = ["parse_tables"]

TABLE_KEYS = ("active", "requests", "review")

MIN_ROWS = {"active": 3, "requests": 8}
"""A run of matched rows shorter than this is not the table (narrative mentions a row label
now and then: ``行政规范性文件698件``)."""

MAX_GAP = 40
"""Tokens allowed between two rows of one table before the run is taken to have ended."""

MAX_COMBINATIONS = 20000
"""Table B: above this many combinations of the rows' candidate splits, choose row by row."""


# ---------------------------------------------------------------------------
# Text normalisation (length-preserving fold; label keys)
# ---------------------------------------------------------------------------

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH[0x00A0] = 0x20
_FOLD = str.maketrans(_FULLWIDTH)


def _fold(s: str) -> str:
    """Full-width forms to ASCII, one character to one (offsets are kept)."""
    return s.translate(_FOLD)


_ORDINAL = re.compile(
    r"^(?:第?[一二三四五六七八九十]+[、.,]"
    r"|[(\[【][一二三四五六七八九十\d]+[)\]】][、.]?"
    r"|\d{1,2}[、.](?!\d)"
    r"|[一二三四五六七八九十]+(?=[(]))"
)
_PAREN = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]")
_OPEN_TAIL = re.compile(r"[(\[【][^()\[\]【】]*$")
_CLOSE_HEAD = re.compile(r"^[^()\[\]【】]*[)\]】]")
_PUNCT = re.compile(r"[\s,，、.。:：;；!！?？\"'“”‘’《》<>〈〉()\[\]{}【】〔〕\-—–―_|#*·•/\\]+")


def _norm(s: str) -> str:
    """A label as compared with ``RowDef.labels``: no spaces, ordinals, remarks or punctuation."""
    s = re.sub(r"\s+", "", _fold(s))
    while True:
        m = _ORDINAL.match(s)
        if not m or m.end() == 0:
            break
        s = s[m.end():]
    prev = None
    while prev != s:
        prev = s
        s = _PAREN.sub("", s)
    # a remark cut by a line end: "部分公开(区分处理的," | "不计其他情形)"
    s = _OPEN_TAIL.sub("", _CLOSE_HEAD.sub("", s))
    return _PUNCT.sub("", s)


# ---------------------------------------------------------------------------
# Tokens: the table-relevant reading of every shape
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    kind: str  # label | num | blank
    text: str  # folded text
    start: int
    end: int
    shape: str  # pipes | cell_per_line | row_per_line | markdown | text | html | docx | pdf
    norm: str = ""
    line: int = -1  # the text line (its offset) or grid row the token was read from

    @property
    def digits(self) -> Optional[str]:
        """The digit string, if the token is a bare run of digits (a candidate for cutting)."""
        return self.text if self.kind == "num" and self.text.isdigit() else None


_NUM_CELL = re.compile(
    r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:万元|亿元|元|万|项|件|个|条|次|家|份|人次|%)?$"
)
_BLANK_CELL = re.compile(
    r"^(?:[-—–―－/／\\~～.…]+|[xX×*]+|暂?无|空白?|不适用|不涉及|未统计|未发生|未填写?|null|none|n/?a)$", re.I
)
"""A cell that says there is no figure: read as ``None``, its text kept as ``raw``."""
_MD_RULE = re.compile(r"^:?-{3,}:?$")
_GLUED_NUM = re.compile(r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:万元|项)?")
_WS = re.compile(r"\S+")


def _label(text: str, start: int, end: int, shape: str) -> _Tok:
    return _Tok("label", text, start, end, shape, _norm(text))


def _cell_tokens(cell: str, start: int, shape: str) -> list[_Tok]:
    """The tokens of one delimited cell (``cell`` is folded, ``start`` its offset)."""
    stripped = cell.strip()
    if not stripped:
        return []
    a = start + cell.index(stripped)
    b = a + len(stripped)
    if _MD_RULE.match(stripped):
        return []
    if _NUM_CELL.match(stripped):
        return [_Tok("num", stripped, a, b, shape)]
    if _BLANK_CELL.match(stripped):
        return [_Tok("blank", stripped, a, b, shape)]
    # "行政许可 4529" or "0 0 0": a label and/or numbers separated by spaces
    words = [(m.group(), a + m.start()) for m in _WS.finditer(stripped)]
    if len(words) > 1 and _NUM_CELL.match(words[-1][0]):
        out: list[_Tok] = []
        k = len(words)
        while k > 0 and (_NUM_CELL.match(words[k - 1][0]) or _BLANK_CELL.match(words[k - 1][0])):
            k -= 1
        if k:
            last_word, last_pos = words[k - 1]
            out.append(_label(stripped[: last_pos + len(last_word) - a], a, last_pos + len(last_word), shape))
        for w, p in words[k:]:
            kind = "num" if _NUM_CELL.match(w) else "blank"
            out.append(_Tok(kind, w, p, p + len(w), shape))
        return out
    return [_label(stripped, a, b, shape)]


def _glued_tokens(piece: str, start: int, shape: str) -> list[_Tok]:
    """Tokens of undelimited text: digit runs apart from the words around them.

    A digit run followed by ``.``/``、`` and a word ends with the ordinal of the next row
    (``00000002.其他法律…``): that last digit goes with the label."""
    out: list[_Tok] = []
    pending = ""  # an ordinal digit to put in front of the next label
    pending_pos = 0
    pos = 0
    for m in _GLUED_NUM.finditer(piece):
        sign = ""
        if m.start() > pos:
            lab = piece[pos:m.start()]
            if (lab == "-" and not pending and out and out[-1].kind == "num"
                    and out[-1].end == start + pos):
                sign = "-"  # "2648-18538": a minus between two figures (本年增/减) is a sign
            else:
                s0 = start + pos - len(pending)
                out.append(_label(pending + lab, s0, start + m.start(), shape))
                pending = ""
        elif pending:
            out.append(_label(pending, start + pending_pos, start + pending_pos + 1, shape))
            pending = ""
        run = m.group()
        a, b = m.start(), m.end()
        nxt = piece[b:b + 1]
        after = piece[b + 1:b + 2]
        before = piece[a - 1:a] if a else ""
        if before in "(（" and before and nxt in ")）" and nxt:
            # "(1)" is an ordinal in a label
            out.append(_label(run, start + a, start + b, shape))
            pos = b
            continue
        if run.isdigit() and nxt in (".", "、") and after and not after.isdigit():
            if len(run) == 1:
                pending, pending_pos = run, a
                pos = b
                continue
            run, b = run[:-1], b - 1
            pending, pending_pos = piece[b], b
        if sign:
            run, a = sign + run, a - 1
        out.append(_Tok("num", run, start + a, start + b, shape))
        pos = m.end()
    if pos < len(piece) or pending:
        lab = piece[pos:]
        out.append(_label(pending + lab, start + pos - len(pending), start + len(piece), shape))
    return [t for t in out if t.kind != "label" or t.text.strip()]


def _line_tokens(line: str, base: int) -> list[_Tok]:
    if "|" in line:
        cells: list[tuple[str, int]] = []
        p = 0
        for part in line.split("|"):
            cells.append((part, base + p))
            p += len(part) + 1
        filled = [c for c in cells if c[0].strip()]
        lead = line.lstrip().startswith("|")
        if len(filled) <= 1:
            shape = "pipes" if lead else "cell_per_line"
        else:
            shape = "markdown" if lead else "row_per_line"
        toks_per_cell = [_cell_tokens(c, s, shape) for c, s in cells]
        out: list[_Tok] = []
        valued = [bool(ts) and all(t.kind != "label" for t in ts) for ts in toks_per_cell]
        filled_at = [i for i, ts in enumerate(toks_per_cell) if ts]
        for i, ts in enumerate(toks_per_cell):
            if ts:
                out.extend(ts)
                continue
            if cells[i][0].strip():
                continue  # a markdown rule
            # an empty field between two figures of the row is a blank cell
            left = [j for j in filled_at if j < i]
            right = [j for j in filled_at if j > i]
            if left and right and valued[left[-1]] and valued[right[0]]:
                s = cells[i][1] + (len(cells[i][0]) + 1) // 2 if cells[i][0] else cells[i][1]
                out.append(_Tok("blank", "", s, s, shape))
        return out
    out = []
    for m in _WS.finditer(line):
        if _BLANK_CELL.match(m.group()) and not _MD_RULE.match(m.group()):
            out.append(_Tok("blank", m.group(), base + m.start(), base + m.end(), "text"))
            continue
        out.extend(_glued_tokens(m.group(), base + m.start(), "text"))
    return out


def _grid_tokens(folded: str, st: SourceTable, shape: str) -> Optional[list[_Tok]]:
    """The tokens of a source grid, a cell a token (span copies skipped, blanks kept);
    None when the grid has no cell positions (its flattened text is read instead)."""
    spans = st.cell_spans
    if not spans or len(spans) != len(st.rows):
        return None
    out: list[_Tok] = []
    for r, (row, row_spans) in enumerate(zip(st.rows, spans)):
        if len(row) != len(row_spans):
            return None
        row_id = -(st.start * 1000 + r) - 1
        for cell, span in zip(row, row_spans):
            if span is None:
                continue  # a copy made by rowspan/colspan
            a, b = span
            text = folded[a:b]
            if _fold(cell).strip() and _fold(cell).strip() not in text:
                text = _fold(cell)  # positions approximate
            toks = _cell_tokens(text, a, shape) if text.strip() else []
            toks = toks if toks else [_Tok("blank", "", a, a, shape)]
            out.extend(replace(t, line=row_id) for t in toks)
    return out


def _tokens(doc: Document, folded: str) -> list[_Tok]:
    """Every token of the document, in text order (grids from ``source_tables``)."""
    out: list[_Tok] = []
    covered: list[tuple[int, int]] = []
    grid_shape = {"md": "markdown"}.get(doc.format, doc.format)
    for st in doc.source_tables:
        toks = _grid_tokens(folded, st, grid_shape)
        if toks is None:
            continue
        out.extend(toks)
        covered.append((st.start, st.end))
    covered.sort()
    for m in re.finditer(r"[^\n]+", folded):
        a, b = m.start(), m.end()
        if any(ca < b and a < cb for ca, cb in covered):
            # keep the parts of the line outside any grid
            pieces = []
            cur = a
            for ca, cb in covered:
                if cb <= cur or ca >= b:
                    continue
                if ca > cur:
                    pieces.append((cur, ca))
                cur = max(cur, cb)
            if cur < b:
                pieces.append((cur, b))
            for pa, pb in pieces:
                out.extend(replace(t, line=a) for t in _line_tokens(folded[pa:pb], pa))
            continue
        out.extend(replace(t, line=a) for t in _line_tokens(folded[a:b], a))
    out = [t for t in out if t.kind != "label" or t.norm]  # "###", "(三)" alone: no words
    out.sort(key=lambda t: (t.start, t.end))
    return out


# ---------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------

_VALUE = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")


def _value(raw: str) -> Optional[Number]:
    """``"00"`` -> 0, ``"1112万元"`` -> 1112, ``"9116.36"`` -> 9116.36; blank or text -> None."""
    s = _fold(raw).strip()
    if not s or _BLANK_CELL.match(s) or not _NUM_CELL.match(s):
        return None
    m = _VALUE.match(s)
    if not m:
        return None
    sign, whole, frac = m.groups()
    whole = whole.replace(",", "")
    if frac:
        v: Number = float(f"{sign}{whole}.{frac}")
    else:
        v = int(f"{sign}{whole}")
    return v


# ---------------------------------------------------------------------------
# Rows: finding a table's rows by their labels, in order
# ---------------------------------------------------------------------------


@dataclass
class _Hit:
    row: int  # index into TableDef.rows
    first: int  # index of the label's first token
    last: int  # index of the label's last token
    values: list[_Tok]


@dataclass(frozen=True)
class _LabelIndex:
    """A table's normalised row labels, indexed for matching many tokens."""

    short: tuple[bool, ...]  # the row has a 2-character label (规章, 其他, 总计)
    by_last: dict[str, tuple[tuple[int, str], ...]]  # last character -> (row, label)
    long: tuple[tuple[int, str], ...]  # labels of 6+ characters, matched inside a remark


_LABELS: dict[int, _LabelIndex] = {}


def _labels_of(rows: Sequence[RowDef]) -> _LabelIndex:
    """Cached by identity: the table definitions are module constants."""
    got = _LABELS.get(id(rows))
    if got is None:
        short: list[bool] = []
        by_last: dict[str, list[tuple[int, str]]] = {}
        long: list[tuple[int, str]] = []
        for ri, rd in enumerate(rows):
            labels = [x for x in (_norm(lab) for lab in rd.labels) if x]
            short.append(min(len(x) for x in labels) <= 2)
            for lab in labels:
                by_last.setdefault(lab[-1], []).append((ri, lab))
                if len(lab) >= 6:
                    long.append((ri, lab))
        got = _LABELS[id(rows)] = _LabelIndex(
            tuple(short), {k: tuple(v) for k, v in by_last.items()}, tuple(long))
    return got


def _scores(norm: str, index: _LabelIndex) -> dict[int, int]:
    """Row -> how well ``norm`` names it: 3 the label itself, 2 the label glued after other
    words, 1 a long label with a remark around it."""
    out: dict[int, int] = {}
    for ri, lab in index.by_last.get(norm[-1], ()):
        if norm == lab:
            out[ri] = 3
        elif len(lab) >= 2 and norm.endswith(lab) and out.get(ri, 0) < 2:
            out[ri] = 2
    if len(norm) >= 6:
        for ri, lab in index.long:
            if ri not in out and len(norm) <= 2 * len(lab) + 10 and lab in norm:
                out[ri] = 1
    return out


def _candidates(toks: Sequence[_Tok], i: int, rows: Sequence[RowDef]) -> list[tuple[int, list[tuple[int, int, bool]]]]:
    """For the label at ``i`` alone, then joined with the labels right after it (a label
    broken by a space or a line end): ``(last token, [(row, score, short label)])``."""
    spans = [(i, toks[i].norm)]
    j = i
    joined = toks[i].text
    while (j + 1 < len(toks) and toks[j + 1].kind == "label" and j - i < 3
           and toks[j + 1].start - toks[j].end <= 3 and len(joined) + len(toks[j + 1].text) <= 80):
        j += 1
        joined += toks[j].text
        spans.append((j, _norm(joined)))
    index = _labels_of(rows)
    out = []
    for last, norm in spans:
        if not norm or (len(norm) > 60 and norm[-1] not in index.by_last):
            continue  # a sentence, not a label
        found = [(ri, sc, index.short[ri]) for ri, sc in sorted(_scores(norm, index).items())
                 if last == i or sc == 3]  # a broken label must match exactly
        if found:
            out.append((last, found))
    return out


class _Matcher:
    """Which row of a table a label token names, remembered per token."""

    def __init__(self, toks: Sequence[_Tok], rows: Sequence[RowDef]) -> None:
        self.toks = toks
        self.rows = rows
        self.memo: dict[int, list[tuple[int, list[tuple[int, int, bool]]]]] = {}

    def candidates(self, i: int) -> list[tuple[int, list[tuple[int, int, bool]]]]:
        cands = self.memo.get(i)
        if cands is None:
            cands = self.memo[i] = _candidates(self.toks, i, self.rows)
        return cands

    def __call__(self, i: int, r: int) -> Optional[tuple[int, int]]:
        """The row (index >= r) whose label is the label token(s) at ``i``: (row, last token)."""
        for last, found in self.candidates(i):
            best: Optional[tuple[int, int]] = None
            for ri, sc, short in found:
                if ri < r or (sc < 3 and short and ri - r > 1):
                    continue  # a short label glued to other words: only as the next row
                if best is None or sc > best[0]:
                    best = (sc, ri)
                if sc == 3:
                    break
            if best is not None:
                return best[1], last
        return None


def _values_after(toks: Sequence[_Tok], j: int) -> tuple[list[_Tok], int]:
    vals = []
    while j < len(toks) and toks[j].kind != "label":
        vals.append(toks[j])
        j += 1
    return vals, j


_STOP_ALL = ("存在的主要问题", "其他需要报告", "存在问题及改进")
_STOP = {
    "active": ("收到和处理政府信息公开申请", "本年新收政府信息公开申请数量", "申请人情况"),
    "requests": ("结果维持", "行政复议行政诉讼", "行政复议和行政诉讼", "行政复议提起行政诉讼"),
    "review": (),
}


def _is_stop(tok: _Tok, key: str) -> bool:
    n = tok.norm
    if any(w in n for w in _STOP_ALL) or any(w in n for w in _STOP[key]):
        return True
    return "。" in tok.text and len(n) > 30


def _chain(toks: Sequence[_Tok], i0: int, r0: int, tdef: TableDef, match: _Matcher) -> list[_Hit]:
    rows = tdef.rows
    hits: list[_Hit] = []
    r = r0
    i = i0
    last = i0
    while i < len(toks) and r < len(rows):
        t = toks[i]
        if t.kind != "label":
            i += 1
            continue
        if hits and (i - last > MAX_GAP or _is_stop(t, tdef.name)):
            break
        m = match(i, r)
        if m is not None:
            ri, j = m
            vals, k = _values_after(toks, j + 1)
            if vals:
                hits.append(_Hit(ri, i, j, vals))
                r = ri + 1
                i = last = k
                continue
        i += 1
    return hits


def _runs(toks: Sequence[_Tok], tdef: TableDef, match: _Matcher) -> list[list[_Hit]]:
    """Every maximal run of the table's rows in order, one per starting label."""
    out: list[list[_Hit]] = []
    seen_starts: set[int] = set()
    for i, t in enumerate(toks):
        if t.kind != "label" or i in seen_starts:
            continue
        m = match(i, 0)
        if m is None:
            continue
        hits = _chain(toks, i, m[0], tdef, match)
        if hits:
            seen_starts.update(h.first for h in hits)
            out.append(hits)
    return out


def _exact(toks: Sequence[_Tok], hit: _Hit, tdef: TableDef) -> bool:
    """Is the hit's label the row's label itself (not glued to other words)?"""
    norm = "".join(toks[j].norm for j in range(hit.first, hit.last + 1))
    return norm in {_norm(x) for x in tdef.rows[hit.row].labels}


def _best_run(toks: Sequence[_Tok], tdef: TableDef, span: Optional[tuple[int, int]], key: str) -> list[_Hit]:
    """The table: the run with most rows once completed (:func:`_complete`), then the one
    whose rows have their own labels and the right number of figures, then one inside
    ``span`` (its section).
    A sentence naming a row (``市政府规章22件``) may start a run; the table's own rows win."""
    best: list[_Hit] = []
    best_key: tuple = ()
    match = _Matcher(toks, tdef.rows)
    runs = sorted(_runs(toks, tdef, match), key=len, reverse=True)[:8]
    for hits in runs:
        full = _complete(toks, tdef, hits, key, match)
        fit = sum(1 for h in full if len(h.values) == len(tdef.cols_of(tdef.rows[h.row])))
        exact = sum(1 for h in full if _exact(toks, h, tdef))
        first = min(toks[h.first].start for h in full)
        inside = span is not None and span[0] <= first < span[1]
        k = (len(full), fit + exact, inside, -first)
        if k > best_key:
            best, best_key = full, k
    return best


FILL_REACH = (200, 80)
"""Tokens before and after a run of rows where the table's missing rows are looked for (back
to the table's heading at most; before the run only a label that is exactly the row's)."""

_ROW_SHAPES = ("markdown", "row_per_line", "html", "docx", "pdf")
"""Shapes where a row's label and its figures share a line (or a grid row)."""


def _complete(toks: Sequence[_Tok], tdef: TableDef, hits: list[_Hit], key: str, match: _Matcher) -> list[_Hit]:
    """Add the rows the in-order run missed because a conversion moved them (a PDF block
    printed after the rest, ``| 规章 | 0 | 0 | 0 |`` below ``行政事业性收费``): each such row is
    taken where its own label, exactly, is followed by figures no other row took, near the run."""
    if not hits:
        return hits
    used = {(t.start, t.end) for h in hits for t in h.values}
    taken = {i for h in hits for i in range(h.first, h.last + 1)}
    have = {h.row for h in hits}
    first = min(h.first for h in hits)
    last = max(toks.index(h.values[-1], h.last) for h in hits)
    lo = max(0, first - FILL_REACH[0])
    for i in range(first - 1, lo - 1, -1):
        if toks[i].kind == "label" and (_is_stop(toks[i], key) or _HEADINGS[key].search(toks[i].text)):
            lo = i + 1
            break
    hi = min(len(toks), last + FILL_REACH[1])
    for i in range(last + 1, hi):
        if toks[i].kind == "label" and _is_stop(toks[i], key):
            hi = i
            break
    extra: list[_Hit] = []
    for i in range(lo, hi):
        if toks[i].kind != "label" or i in taken:
            continue
        for end, found in match.candidates(i):
            need = 3 if i < first else 2
            row = next((ri for ri, sc, short in found if ri not in have and sc >= (3 if short else need)), None)
            if row is None:
                continue
            vals, _ = _values_after(toks, end + 1)
            if vals and not any((t.start, t.end) in used for t in vals):
                extra.append(_Hit(row, i, end, vals))
                have.add(row)
                used.update((t.start, t.end) for t in vals)
            break
    return sorted(hits + extra, key=lambda h: h.row)


_DETACHED = "the figures stand on a line of their own, read as the row of the label above them"


def _detached(hit: _Hit, toks: Sequence[_Tok], k: int, tdef: TableDef) -> bool:
    """Figures (of the ``k`` read) on a line of their own under a stack of row labels, where
    rows keep label and figures together: a PDF conversion that printed several labels, then
    the rows of figures, so which figures go with which label is a guess."""
    label = toks[hit.last]
    apart = any(t.line != label.line and (label.shape in _ROW_SHAPES or t.shape in _ROW_SHAPES)
                for t in hit.values[:k])
    if not apart:
        return False
    if len(hit.values) > k:
        return True  # more figure rows than labels below this one
    i = hit.first - 1
    while i >= 0 and toks[i].kind == "label":
        if any(sc >= 2 for _, found in _candidates(toks, i, tdef.rows) for _, sc, _ in found):
            return True  # another row's label, left without figures just above
        i -= 1
    return False


# ---------------------------------------------------------------------------
# Reading the figures of a row (cutting glued digits)
# ---------------------------------------------------------------------------


@dataclass
class _Reading:
    """One way to read a row: the cells' tokens or digit slices."""

    cells: list[tuple[_Tok, Optional[tuple[int, int]]]]  # token, slice of its digits (or None)

    def raw(self) -> list[str]:
        return [t.text if s is None else t.text[s[0]:s[1]] for t, s in self.cells]

    def values(self) -> list[Optional[Number]]:
        return [_value(x) if (t.kind == "num") else None for x, (t, _) in zip(self.raw(), self.cells)]


def _readings(vals: Sequence[_Tok], k: int, groups: Sequence[Group], limit: int = 64) -> tuple[list[_Reading], str]:
    """The candidate readings of a row of ``k`` cells from its value tokens, and how."""
    if len(vals) >= k:
        return [_Reading([(t, None) for t in vals[:k]])], "direct"
    with_sums = any(g.total_last for g in groups)
    # a figure with a decimal or a unit ("13575394432.52元") can only be cut in its integer part,
    # the last value keeping the rest; where the row must add up, only bare digit runs are cut
    heads = [re.match(r"([+-]?)(\d+)", t.text) if t.kind == "num" else None for t in vals]
    digs = [t.digits if with_sums else (h.group(2) if h else None) for t, h in zip(vals, heads)]
    if not vals or any(d is None for d in digs):
        return [_Reading([(t, None) for t in vals])], "short"
    signs = [len(h.group(1)) if h and not with_sums else 0 for h in heads]
    segs = [d for d in digs if d is not None]
    sols = split_run(segs, groups, limit=limit)
    how = "sum"
    if not sols and any(g.total_last for g in groups):
        sols = split_run(segs, [Group(k)], limit=limit)
        how = "nosum"
    if not sols:
        return [_Reading([(t, None) for t in vals])], "short"
    if not sols.complete and how == "sum" and len(sols) == 1:
        how = "partial"  # the search stopped at its budget: other cuts may fit
    out = []
    for sol in sols:
        # the value that ends a figure's digits keeps its decimals and unit
        cells = []
        for i, a, b in sol:
            lo = 0 if a == 0 else a + signs[i]  # the first value keeps the sign
            hi = len(vals[i].text) if b == len(segs[i]) else b + signs[i]  # the last, the rest
            cells.append((vals[i], (lo, hi)))
        out.append(_Reading(cells))
    return out, how


_CUT = ("sum", "nosum", "partial")
"""How a row was read when its digits had to be cut: by the sums, with no cut adding up, or
with the search stopped at its budget."""


def _fmt(vals: Sequence[Any]) -> str:
    return "|".join("" if v is None else str(v) for v in vals)


# ---------------------------------------------------------------------------
# Building a Table from row readings
# ---------------------------------------------------------------------------


@dataclass
class _RowResult:
    rd: RowDef
    cols: tuple[str, ...]
    hit: Optional[_Hit]
    options: list[_Reading]
    how: str
    chosen: int = 0
    uncertain_cols: frozenset[str] = frozenset()
    note: Optional[str] = None


def _make_table(tdef: TableDef, results: list[_RowResult], toks: Sequence[_Tok], doc: Document,
                shape: str, alternatives: list[dict[str, Any]]) -> Table:
    cells: dict[tuple[str, str], Cell] = {}
    starts, ends = [], []
    for rr in results:
        if not rr.options:
            continue
        reading = rr.options[rr.chosen]
        for col, (tok, sl) in zip(rr.cols, reading.cells):
            if sl is None:
                a, b = tok.start, tok.end
            else:
                a, b = tok.start + sl[0], tok.start + sl[1]
            raw = doc.text[a:b] if b > a else ""
            value = _value(raw) if tok.kind == "num" else None
            if tok.kind == "num" and value is None:
                value = _value(tok.text if sl is None else tok.text[sl[0]:sl[1]])
            unc = col in rr.uncertain_cols
            cells[(rr.rd.key, col)] = Cell(value, raw, a, b, unc, rr.note)
            starts.append(a)
            ends.append(b)
        if rr.hit is not None:
            starts.append(toks[rr.hit.first].start)
    return Table(
        definition=tdef,
        cells=cells,
        start=min(starts) if starts else None,
        end=max(ends) if ends else None,
        shape=shape,
        alternatives=tuple(alternatives),
    )


def _shape_of(hits: Sequence[_Hit], toks: Sequence[_Tok], results: Sequence[_RowResult]) -> str:
    shapes = [toks[h.first].shape for h in hits]
    if not shapes:
        return ""
    shape = max(dict.fromkeys(shapes), key=shapes.count)  # ties: the first seen
    if any(rr.how in _CUT and rr.hit is not None and len(rr.options[rr.chosen].cells) > len(rr.hit.values)
           for rr in results if rr.options):
        shape = "glued" if shape == "text" else f"{shape}+glued"
    elif shape == "text":
        shape = "spaced"
    return shape


def _differing(options: Sequence[_Reading], idx: Sequence[int], cols: Sequence[str]) -> frozenset[str]:
    vals = [options[i].raw() for i in idx]
    out = set()
    for j, col in enumerate(cols):
        if len({tuple(v[j:j + 1]) for v in vals}) > 1:
            out.add(col)
    return frozenset(out)


# ---------------------------------------------------------------------------
# Table A
# ---------------------------------------------------------------------------

_A19_HEADERS = ("新制作", "新公开", "对外公开总数量", "上一年项目数量", "本年增减", "采购项目数量", "采购总金额")
_A21_HEADERS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额")


def _a_template_score(tdef: TableDef, hits: list[_Hit], toks: Sequence[_Tok]) -> float:
    score = 0.0
    for h in hits:
        k = len(tdef.cols_of(tdef.rows[h.row]))
        if len(h.values) == k:
            score += 1
        elif len(h.values) > k:
            score += 0.25
    keys = {tdef.rows[h.row].key for h in hits}
    if tdef.template == "2019" and keys & {"other_services", "procurement"}:
        score += 3
    if hits:
        a = min(toks[h.first].start for h in hits) - 400
        b = max(toks[h.last].end for h in hits)
        heads = "".join(t.norm for t in toks if a <= t.start < b and t.kind == "label")
        words = _A19_HEADERS if tdef.template == "2019" else _A21_HEADERS
        score += 2 * sum(1 for w in words if w in heads)
    return score


_A_HEADER_WORDS = ("第二十条", "信息内容", "处理决定数量", "制发件数", "收费金额", "新制作数量", "项目数量", "现行有效件数")


def _looks_like_a(hits: list[_Hit], toks: Sequence[_Tok]) -> bool:
    """A run of table A's rows is the table if its block headers (``第二十条第(一)项``,
    ``信息内容`` …) are there, or nearly all its rows are: a narrative sentence can name three
    rows with their figures (``行政规范性文件698件，行政许可1200件，行政处罚30件``)."""
    if len(hits) >= 5:
        return True
    a = min(toks[h.first].start for h in hits) - 200
    b = max(toks[h.last].end for h in hits)
    heads = "".join(t.norm for t in toks if a <= t.start < b and t.kind == "label")
    return any(w in heads for w in _A_HEADER_WORDS)


def _mentions(folded: str, a: int, b: int, rd: RowDef) -> set[int]:
    """Numbers the text outside the table ``[a, b)`` gives right after the row's label
    (``现行有效行政规范性文件698件``): evidence for one cut of a glued run over another."""
    out: set[int] = set()
    for label in rd.labels:
        for m in re.finditer(re.escape(label), folded):
            if a <= m.start() < b:
                continue
            window = folded[m.end():m.end() + 12]
            n = re.match(r"[^\d。;\n]{0,6}?(\d{2,9})(?![\d.])", window)
            if n:
                out.add(int(n.group(1)))
    return out


def _plausible_a(key: str, cols: Sequence[str], vals: Sequence[Optional[Number]]) -> int:
    d = dict(zip(cols, vals))
    if None in vals:
        return 0
    if "in_force" in d:
        return int(d["in_force"] >= d["issued"])  # type: ignore[operator]
    if "total" in d:
        return int(d["total"] >= d["published"])  # type: ignore[operator]
    if "change" in d:  # 本年增/减 is a change to 上一年项目数量, not a multiple of it
        return int(abs(d["change"]) <= d["previous"])  # type: ignore[operator, arg-type]
    if "projects" in d:  # a count of purchases, against an amount of money
        return int(d["projects"] <= d["amount_10k_yuan"])  # type: ignore[operator]
    return 0


def _read_a(tdef: TableDef, hits: list[_Hit], toks: Sequence[_Tok], doc: Document, folded: str) -> Table:
    results: list[_RowResult] = []
    alternatives: list[dict[str, Any]] = []
    a = min(toks[h.first].start for h in hits)
    b = max(t.end for h in hits for t in h.values)
    for h in hits:
        rd = tdef.rows[h.row]
        cols = tdef.cols_of(rd)
        options, how = _readings(h.values, len(cols), [Group(len(cols))], limit=200)
        if len(options) > 1:  # only 本年增/减 can be negative: a cut that puts a minus elsewhere is wrong
            signed = [o for o in options
                      if all(v is None or v >= 0 or c == "change" for c, v in zip(cols, o.values()))]
            options = signed or options
        rr = _RowResult(rd, cols, h, options, how)
        if _detached(h, toks, len(cols), tdef):
            rr.uncertain_cols = frozenset(cols)
            rr.note = _DETACHED
        elif how == "short":
            rr.uncertain_cols = frozenset(cols)
            rr.note = f"only {len(h.values)} figure(s) for {len(cols)} columns"
        elif len(options) > 1:
            narrative = _mentions(folded, a, b, rd)
            ranked = sorted(
                range(len(options)),
                key=lambda i: (
                    -sum(1 for v in options[i].values() if v is not None and v >= 10 and v in narrative),
                    -_plausible_a(rd.key, cols, options[i].values()),
                    sorted((len(x.lstrip("+-")) for x in options[i].raw()), reverse=True),  # balanced
                    i,
                ),
            )
            rr.chosen = ranked[0]
            rr.uncertain_cols = _differing(options, range(len(options)), cols)
            runs = " ".join(t.text for t in h.values)
            support = [v for v in options[rr.chosen].values() if v is not None and v >= 10 and v in narrative]
            why = f"; the narrative mentions {', '.join(map(str, support))}" if support else ""
            rr.note = (f"glued digits '{runs}' fit {len(options)} cuts into {len(cols)} cells; "
                       f"read {_fmt(options[rr.chosen].raw())}{why}")
            alternatives.append({
                "table": tdef.name,
                "cells": [[rd.key, c] for c in cols],
                "raw": runs,
                "chosen": options[rr.chosen].values(),
                "options": [options[i].values() for i in ranked[1:11]],
                "n_options": len(options),
                "reason": "no arithmetic links these cells",
            })
        elif how in _CUT:
            rr.note = f"cut from glued digits '{' '.join(t.text for t in h.values)}'"
        results.append(rr)
    return _make_table(tdef, results, toks, doc, _shape_of(hits, toks, results), alternatives)


# ---------------------------------------------------------------------------
# Table B
# ---------------------------------------------------------------------------


def _b_result_keys(tdef: TableDef) -> list[str]:
    return [r.key for r in tdef.rows if r.key in B_RESULT_ROWS_TOP or (r.parent in B_GROUPS) or r.key in B_GROUPS]


def _b_score(tdef: TableDef, rows: dict[str, list[Optional[Number]]]) -> int:
    """How many of table B's column equations hold (14 when all do)."""
    results = [rows[k] for k in _b_result_keys(tdef) if k in rows]
    ok = 0
    closed = rows.get("closed")
    for c in range(len(tdef.columns)):
        if closed is not None and results:
            vals = [r[c] for r in results]
            if closed[c] is not None and None not in vals and sum(vals) == closed[c]:  # type: ignore[arg-type]
                ok += 1
        parts = [rows.get(k) for k in ("new", "carried_in", "closed", "carried_out")]
        if all(p is not None for p in parts):
            v = [p[c] for p in parts]  # type: ignore[index]
            if None not in v and v[0] + v[1] == v[2] + v[3]:  # type: ignore[operator]
                ok += 1
    return ok


def _read_b(tdef: TableDef, hits: list[_Hit], toks: Sequence[_Tok], doc: Document) -> Table:
    k = len(tdef.columns)
    results: list[_RowResult] = []
    for h in hits:
        rd = tdef.rows[h.row]
        options, how = _readings(h.values, k, [Group(k, True)])
        rr = _RowResult(rd, tdef.columns, h, options, how)
        if _detached(h, toks, k, tdef):
            rr.uncertain_cols = frozenset(tdef.columns)
            rr.note = _DETACHED
        elif how == "short":
            rr.uncertain_cols = frozenset(tdef.columns)
            rr.note = f"only {len(h.values)} figure(s) for {k} columns, taken from the left"
            vals = options[0].values()
            if len(vals) >= 2 and None not in vals and vals[-1] == sum(vals[:-1]):  # type: ignore[arg-type]
                # the last adds up the others: it is the 总计 column, the blanks were lost
                rr.cols = tdef.columns[:len(vals) - 1] + tdef.columns[-1:]
                rr.note = (f"only {len(h.values)} figure(s) for {k} columns; the last is their sum, "
                           "read as 总计, the others from the left")
        results.append(rr)

    # choose among the rows' candidate cuts with the column equations
    amb = [i for i, rr in enumerate(results) if len(rr.options) > 1]

    def vec(rr: _RowResult, c: int) -> list[Optional[Number]]:
        """The row's figures under reading ``c``, one per column (None where none was read)."""
        got = dict(zip(rr.cols, rr.options[c].values()))
        return [got.get(col) for col in tdef.columns]

    base = {rr.rd.key: vec(rr, 0) for rr in results}
    best_combos: list[tuple[int, ...]] = []
    if amb:
        sizes = [len(results[i].options) for i in amb]
        if prod(sizes) <= MAX_COMBINATIONS:
            best = -1
            for combo in product(*[range(s) for s in sizes]):
                rows = dict(base)
                for i, c in zip(amb, combo):
                    rows[results[i].rd.key] = vec(results[i], c)
                sc = _b_score(tdef, rows)
                if sc > best:
                    best, best_combos = sc, [combo]
                elif sc == best:
                    best_combos.append(combo)
        else:  # row by row, twice
            combo = [0] * len(amb)
            for _ in range(2):
                for n, i in enumerate(amb):
                    scores = []
                    for c in range(len(results[i].options)):
                        rows = dict(base)
                        for m, j in enumerate(amb):
                            rows[results[j].rd.key] = vec(results[j], c if m == n else combo[m])
                        scores.append(_b_score(tdef, rows))
                    combo[n] = scores.index(max(scores))
            best_combos = [tuple(combo)]
            for i in amb:
                results[i].uncertain_cols = frozenset(tdef.columns)
        chosen = best_combos[0]
        for n, i in enumerate(amb):
            rr = results[i]
            rr.chosen = chosen[n]
            fitting = sorted({c[n] for c in best_combos})
            if len(fitting) > 1:
                rr.uncertain_cols = rr.uncertain_cols | _differing(rr.options, fitting, rr.cols)
    alternatives: list[dict[str, Any]] = []
    for i, rr in enumerate(results):
        if rr.how not in _CUT:
            continue
        runs = " ".join(t.text for t in rr.hit.values) if rr.hit else ""
        if rr.how == "nosum":
            rr.uncertain_cols = frozenset(rr.cols)
            rr.note = f"glued digits '{runs}': no cut makes the row add up; read {_fmt(rr.options[rr.chosen].raw())}"
        elif rr.how == "partial":
            rr.uncertain_cols = frozenset(rr.cols)
            rr.note = f"glued digits '{runs}': too long to try every cut; read {_fmt(rr.options[rr.chosen].raw())}"
        elif rr.uncertain_cols:
            rr.note = (f"glued digits '{runs}': {len(rr.options)} cuts add up along the row and the column "
                       f"totals do not decide; read {_fmt(rr.options[rr.chosen].raw())}")
        elif len(rr.options) > 1:
            rr.note = f"glued digits '{runs}' cut by the row sum and the column totals"
        else:
            rr.note = f"glued digits '{runs}' cut by the row sum"
        if rr.uncertain_cols and len(rr.options) > 1:
            alternatives.append({
                "table": tdef.name,
                "cells": [[rr.rd.key, c] for c in rr.cols],
                "raw": runs,
                "chosen": rr.options[rr.chosen].values(),
                "options": [o.values() for j, o in enumerate(rr.options) if j != rr.chosen][:10],
                "n_options": len(rr.options),
                "reason": "several cuts satisfy the row sum" if rr.how == "sum" else "no cut satisfies the row sum",
            })
    return _make_table(tdef, results, toks, doc, _shape_of(hits, toks, results), alternatives)


def _b_template(hits: list[_Hit], tdef: TableDef) -> bool:
    keys = {tdef.rows[h.row].key for h in hits}
    if tdef.template == "2021":
        return bool(keys & {"other.no_correction", "other.no_fee", "other.other"})
    return "other" in keys


# ---------------------------------------------------------------------------
# Table C
# ---------------------------------------------------------------------------

_C_ANCHORS = ("结果维持", "结果纠正", "尚未审结", "未经复议", "复议后起诉")
_C_WORDS = ("结果", "维持", "纠正", "其他", "审结", "尚未", "总计", "复议", "诉讼", "起诉", "合计", "行政")


def _read_c(toks: Sequence[_Tok], doc: Document, span: Optional[tuple[int, int]]) -> Optional[Table]:
    anchors = [i for i, t in enumerate(toks) if t.kind == "label" and any(w in t.norm for w in _C_ANCHORS)]
    if not anchors:
        return None
    if span is not None:
        inside = [i for i in anchors if span[0] <= toks[i].start < span[1]]
        anchors = inside + [i for i in anchors if i not in inside]
    k = len(REVIEW_COLUMNS) * len(TABLE_C.rows)
    for i0 in anchors:
        # back up to the first header of this table
        vals: list[_Tok] = []
        j = i0 + 1
        while j < len(toks) and len(vals) < k:
            t = toks[j]
            if t.kind == "label":
                n = t.norm
                if vals and not any(w in n for w in _C_WORDS):
                    break
                if not any(w in n for w in _C_WORDS) and len(n) > 12:
                    break
            else:
                vals.append(t)
            j += 1
            if j < len(toks) and toks[j].kind == "label" and _is_stop(toks[j], "review"):
                break
        if sum(len(t.text) if t.digits else 1 for t in vals) < len(REVIEW_COLUMNS):
            continue  # not even one row's worth of figures
        groups = [Group(len(REVIEW_COLUMNS), True)] * len(TABLE_C.rows)
        options, how = _readings(vals, k, groups)
        if how == "short" and len(vals) < len(REVIEW_COLUMNS):
            continue
        results: list[_RowResult] = []
        alternatives: list[dict[str, Any]] = []
        chosen = options[0]
        uncertain: frozenset[str] = frozenset()
        note = None
        runs = " ".join(t.text for t in vals)
        flat_cols = tuple(f"{r.key}.{c}" for r in TABLE_C.rows for c in REVIEW_COLUMNS)
        if how == "short":
            note = f"only {len(vals)} figure(s) for {k} cells, taken in order"
            uncertain = frozenset(flat_cols)
        elif how == "nosum":
            note = f"glued digits '{runs}': no cut makes the totals add up"
        elif how == "partial":
            note = f"glued digits '{runs}': too long to try every cut"
        elif how == "sum":
            note = f"glued digits '{runs}' cut by the totals"
        if how in _CUT and (len(options) > 1 or how != "sum"):
            uncertain = _differing(options, range(len(options)), flat_cols) if how == "sum" else frozenset(flat_cols)
            note = (note or "") + f"; {len(options)} cuts fit; read {_fmt(chosen.raw())}"
            if len(options) > 1:
                alternatives.append({
                    "table": "review",
                    "cells": [[r.key, c] for r in TABLE_C.rows for c in REVIEW_COLUMNS],
                    "raw": runs,
                    "chosen": chosen.values(),
                    "options": [o.values() for o in options[1:11]],
                    "n_options": len(options),
                    "reason": "several cuts satisfy the totals" if how == "sum" else "no cut satisfies the totals",
                })
        for n, rd in enumerate(TABLE_C.rows):
            part = chosen.cells[n * len(REVIEW_COLUMNS):(n + 1) * len(REVIEW_COLUMNS)]
            if not part:
                continue
            unc = frozenset(c for c in REVIEW_COLUMNS if f"{rd.key}.{c}" in uncertain)
            results.append(_RowResult(rd, REVIEW_COLUMNS[:len(part)], None, [_Reading(list(part))], how,
                                      uncertain_cols=unc, note=note))
        shape = toks[i0].shape
        if how in _CUT:
            shape = "glued" if shape == "text" else f"{shape}+glued"
        elif shape == "text":
            shape = "spaced"
        table = _make_table(TABLE_C, results, toks, doc, shape, alternatives)
        return Table(TABLE_C, table.cells, toks[i0].start, table.end, table.shape, table.alternatives)
    return None


# ---------------------------------------------------------------------------
# Year, template and the sections with no table
# ---------------------------------------------------------------------------

_YEAR_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度?[^。\n]{0,40}?(?:政府)?信息公开[^。\n]{0,12}?报告")
_YEAR_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_YEAR_ANY = re.compile(r"((?:19|20)\d{2})\s*年")


def _find_year(folded: str) -> Optional[int]:
    m = _YEAR_TITLE.search(folded[:3000])
    if m:
        return int(m.group(1))
    m = _YEAR_PERIOD.search(folded)
    if m:
        return int(m.group(1))
    years = [int(x) for x in _YEAR_ANY.findall(folded)]
    if years:
        return max(set(years), key=lambda y: (years.count(y), -y))
    return None


def _template_of_year(year: Optional[int]) -> str:
    if year is None:
        return "unknown"
    if year <= 2018:
        return "pre2019"
    return "2019" if year <= 2020 else "2021"


# (traditional forms too, for a Document whose script was not converted)
_HEADINGS = {
    "active": re.compile(r"[一二三四五六七八九十][、.][^\n。]{0,8}主[动動]公[开開]政府信息[^\n。]{0,6}情[况況]"),
    "requests": re.compile(r"[一二三四五六七八九十][、.][^\n。]{0,8}收到和[处處]理政府信息公[开開]申[请請]"),
    "review": re.compile(r"[一二三四五六七八九十][、.][^\n。]{0,14}行政[复復][议議][^\n。]{0,8}行政[诉訴][讼訟]"),
}


def _has_heading(key: str, folded: str, sections: Optional[Sections]) -> bool:
    if sections is not None and sections.get(key) is not None:
        return True
    return bool(_HEADINGS[key].search(folded))


def _span_of(sections: Optional[Sections], key: str) -> Optional[tuple[int, int]]:
    if sections is None:
        return None
    s = sections.get(key)
    return None if s is None else (s.start, s.end)


# ---------------------------------------------------------------------------
# The public entry
# ---------------------------------------------------------------------------


def parse_tables(doc: Document, sections: Optional[Sections] = None) -> Tables:
    """Read the standard tables A (主动公开), B (依申请) and C (复议诉讼) of a report.

    ``doc``: the ingested report (``doc.text``; ``doc.source_tables`` grids are used where
    present). ``sections``: where the table sections are and the report's year; optional —
    without it (or where a section is missing) the tables are found by their row labels in
    the whole text.

    Returns :class:`~nlp.schema.Tables`: ``template`` (2021 | 2019 | pre2019 | unknown), each
    table or ``None``, ``empty_sections`` (table sections whose heading is there but not the
    table) and ``notes``. Cells carry their offsets in ``doc.text``; a cell read from glued
    digits that several cuts fit is ``uncertain`` and the other cuts are in
    ``Table.alternatives``.
    """
    folded = _fold(doc.text)
    toks = _tokens(doc, folded)
    notes: list[str] = []
    year = sections.meta.year if sections is not None and sections.meta.year else _find_year(folded)
    by_year = _template_of_year(year)

    # table B first: its (六) rows tell the template best
    requests: Optional[Table] = None
    b_template: Optional[str] = None
    span_b = _span_of(sections, "requests")
    chains = {t.template: _best_run(toks, t, span_b, "requests") for t in (TABLE_B_2021, TABLE_B_2019)}
    cands = [(t, chains[t.template]) for t in (TABLE_B_2021, TABLE_B_2019)
             if len(chains[t.template]) >= MIN_ROWS["requests"]]
    if cands:
        def b_key(c: tuple[TableDef, list[_Hit]]) -> tuple:
            t, hits = c
            return (_b_template(hits, t), len(hits), t.template == by_year)
        tdef, hits = max(cands, key=b_key)
        if not _b_template(hits, tdef):
            # neither form of (六) was read: the year decides
            pref = by_year if by_year in ("2019", "2021") else "2021"
            tdef = TABLE_B_2021 if pref == "2021" else TABLE_B_2019
            hits = chains[tdef.template] or hits
            notes.append("table B: the (六)其他处理 rows were not read; template taken from the year")
        requests = _read_b(tdef, hits, toks, doc)
        b_template = tdef.template

    # table A
    active: Optional[Table] = None
    a_template: Optional[str] = None
    span_a = _span_of(sections, "active")
    a_chains = {t.template: _best_run(toks, t, span_a, "active") for t in (TABLE_A_2021, TABLE_A_2019)}
    a_cands = [t for t in (TABLE_A_2021, TABLE_A_2019)
               if len(a_chains[t.template]) >= MIN_ROWS["active"] and _looks_like_a(a_chains[t.template], toks)]
    if a_cands:
        prefer = b_template or (by_year if by_year in ("2019", "2021") else "2021")
        tdef = max(a_cands, key=lambda t: (_a_template_score(t, a_chains[t.template], toks), t.template == prefer))
        active = _read_a(tdef, a_chains[tdef.template], toks, doc, folded)
        a_template = tdef.template

    # table C
    review = _read_c(toks, doc, _span_of(sections, "review"))

    template = b_template or a_template
    if b_template and a_template and a_template != b_template:
        notes.append(f"table A reads as the {a_template} template, table B as the {b_template} one")
    if template is None:
        template = by_year if review is None or by_year in ("2019", "2021") else "2021"
    if year is not None and template in ("2019", "2021") and _template_of_year(year) not in (template, "unknown"):
        notes.append(f"the report is for {year} but its tables follow the {template} template")

    tables = {"active": active, "requests": requests, "review": review}
    for key, table in tables.items():
        if table is not None:
            missing = [r.key for r in table.definition.rows if not table.has_row(r.key)]
            if missing:
                notes.append(f"{TABLE_TITLES[key]}: rows not found: {', '.join(missing)}")
        if table is not None and table.alternatives:
            n = len(table.alternatives)
            notes.append(f"{TABLE_TITLES[key]}: {n} run(s) of glued digits fit more than one reading; "
                         "the cells are marked uncertain and the other readings kept in alternatives")
    empty: list[str] = []
    if template != "pre2019":
        for key in TABLE_KEYS:
            if tables[key] is None and _has_heading(key, folded, sections) and (
                template != "unknown" or _HEADINGS[key].search(folded)
            ):
                empty.append(key)
    return Tables(
        template=template,
        active=active,
        requests=requests,
        review=review,
        notes=tuple(notes),
        empty_sections=tuple(empty),
    )

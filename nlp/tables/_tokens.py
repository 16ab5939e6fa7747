"""Every shape of a table turned into one stream of tokens: labels, numbers, blanks.

The same table reaches us as one cell a line (``0 |``), ``| cell |`` lines, a row a line
(``规章 | 0 | 0 | 0``), markdown pipe tables, HTML/DOCX/PDF grids (``Document.source_tables``),
space-separated text, and crawler text whose cells are glued (``行政规范性文件8855698``).
:func:`tokens` reads them all into :class:`Tok` with their offsets in ``Document.text``, so
that the rows are found the same way whatever the shape. :func:`cell_value` reads one cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Optional

from nlp.schema import Document, Number, SourceTable
from nlp.text import figure_column, fold, norm_label

__all__ = ["Tok", "tokens", "cell_value", "NUM_CELL", "BLANK_CELL"]


@dataclass(slots=True, unsafe_hash=True)
class Tok:
    """One token, never changed once made (``dataclasses.replace`` makes another). Not a
    frozen dataclass only because a frozen one is three times as slow to make, and a report
    makes hundreds: equality, hash and repr are a frozen one's."""

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


NUM_CELL = re.compile(
    r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:万元|亿元|元|万|项|件|个|条|次|家|份|人次|%)?$"
)
BLANK_CELL = re.compile(
    r"^(?:[-—–―－/／\\~～.…]+|[xX×*]+|暂?无|空白?|不适用|不涉及|未统计|未发生|未填写?|null|none|n/?a)$", re.I
)
"""A cell that says there is no figure: read as ``None``, its text kept as ``raw``."""
_MD_RULE = re.compile(r"^:?-{3,}:?$")
# (\d{1,3}(?:,\d{3})+(?!\d)|\d+ with the first digit in front: the engine jumps to digits)
_GLUED_NUM = re.compile(r"\d(?:\d{0,2}(?:,\d{3})+(?!\d)|\d*)(?:\.\d+)?(?:万元|项)?")
_WS = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
_LINE = re.compile(r"[^\n]+")


def _label(text: str, start: int, end: int, shape: str, line: int) -> Tok:
    return Tok("label", text, start, end, shape, norm_label(text), line)


def _cell_tokens(cell: str, start: int, shape: str, line: int) -> list[Tok]:
    """The tokens of one delimited cell (``cell`` is folded, ``start`` its offset, ``line``
    the line or grid row it was read from)."""
    stripped = cell.strip()
    if not stripped:
        return []
    a = start + cell.index(stripped)
    b = a + len(stripped)
    if NUM_CELL.match(stripped):  # most cells: a figure
        return [Tok("num", stripped, a, b, shape, "", line)]
    if _MD_RULE.match(stripped):
        return []
    if BLANK_CELL.match(stripped):
        return [Tok("blank", stripped, a, b, shape, "", line)]
    if _SPACE.search(stripped) is None:  # one word: a label
        return [_label(stripped, a, b, shape, line)]
    # "行政许可 4529" or "0 0 0": a label and/or numbers separated by spaces
    words = [(m.group(), a + m.start()) for m in _WS.finditer(stripped)]
    if len(words) > 1 and NUM_CELL.match(words[-1][0]):
        out: list[Tok] = []
        k = len(words)
        while k > 0 and (NUM_CELL.match(words[k - 1][0]) or BLANK_CELL.match(words[k - 1][0])):
            k -= 1
        if k:
            last_word, last_pos = words[k - 1]
            out.append(_label(stripped[: last_pos + len(last_word) - a], a, last_pos + len(last_word), shape, line))
        for w, p in words[k:]:
            kind = "num" if NUM_CELL.match(w) else "blank"
            out.append(Tok(kind, w, p, p + len(w), shape, "", line))
        return out
    return [_label(stripped, a, b, shape, line)]


def _glued_tokens(piece: str, start: int, shape: str, line: int) -> list[Tok]:
    """Tokens of undelimited text: digit runs apart from the words around them.

    A digit run followed by ``.``/``、`` and a word ends with the ordinal of the next row
    (``00000002.其他法律…``): that last digit goes with the label."""
    if _GLUED_NUM.search(piece) is None:  # no figure (most words of the narrative): one label
        return [_label(piece, start, start + len(piece), shape, line)] if piece.strip() else []
    out: list[Tok] = []
    pending = ""  # an ordinal digit to put in front of the next label
    pending_pos = 0
    pos = 0
    for m in _GLUED_NUM.finditer(piece):
        sign = ""
        a, b = m.span()
        if a > pos:
            lab = piece[pos:a]
            if (lab == "-" and not pending and out and out[-1].kind == "num"
                    and out[-1].end == start + pos):
                sign = "-"  # "2648-18538": a minus between two figures (本年增/减) is a sign
            else:
                s0 = start + pos - len(pending)
                out.append(_label(pending + lab, s0, start + a, shape, line))
                pending = ""
        elif pending:
            out.append(_label(pending, start + pending_pos, start + pending_pos + 1, shape, line))
            pending = ""
        run = m.group()
        end = b
        nxt = piece[b:b + 1]
        after = piece[b + 1:b + 2]
        before = piece[a - 1:a] if a else ""
        if before in "(（" and before and nxt in ")）" and nxt:
            # "(1)" is an ordinal in a label
            out.append(_label(run, start + a, start + b, shape, line))
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
        out.append(Tok("num", run, start + a, start + b, shape, "", line))
        pos = end
    if pos < len(piece) or pending:
        lab = piece[pos:]
        out.append(_label(pending + lab, start + pos - len(pending), start + len(piece), shape, line))
    return [t for t in out if t.kind != "label" or t.text.strip()]


def _valued(ts: list[Tok]) -> bool:
    """Does a cell hold figures (or blanks) only?"""
    return all(t.kind != "label" for t in ts)


def _pipe_tokens(line: str, base: int, line_id: int) -> list[Tok]:
    """The tokens of a line with pipes (see :func:`_line_tokens`): its cells' tokens, and a
    blank token for an empty field between two figures of a row."""
    if line[-1] == "|" and line.count("|") == 1:  # "0 |": a cell a line (most such lines)
        cell = line[:-1]
        return _cell_tokens(cell, base, "cell_per_line", line_id) if cell.strip() else []
    parts = line.split("|")
    filled = [k for k, part in enumerate(parts) if part.strip()]
    if not filled:
        return []  # pipes and spaces only: a rule or an empty row
    starts: list[int] = []  # each cell's offset
    p = base
    for part in parts:
        starts.append(p)
        p += len(part) + 1
    lead = line.lstrip().startswith("|")
    if len(filled) == 1:  # one cell a line (most lines of such a table): no field between two
        return _cell_tokens(parts[filled[0]], starts[filled[0]], "pipes" if lead else "cell_per_line", line_id)
    shape = "markdown" if lead else "row_per_line"
    toks_per_cell: list[list[Tok]] = [[] for _ in parts]
    for k in filled:
        toks_per_cell[k] = _cell_tokens(parts[k], starts[k], shape, line_id)
    out: list[Tok] = []
    filled_at: Optional[list[int]] = None  # the cells that hold tokens (when a field is empty)
    left = -1  # the last cell so far that holds tokens
    right = 0  # filled_at[right]: the first cell after this one that holds tokens
    for i, ts in enumerate(toks_per_cell):
        if ts:
            out.extend(ts)
            left = i
            continue
        if left < 0 or parts[i].strip():
            continue  # nothing before it, or a markdown rule
        # an empty field between two figures of the row is a blank cell
        if filled_at is None:
            filled_at = [j for j, tj in enumerate(toks_per_cell) if tj]
        while right < len(filled_at) and filled_at[right] < i:
            right += 1
        if (right < len(filled_at) and _valued(toks_per_cell[left])
                and _valued(toks_per_cell[filled_at[right]])):
            s = starts[i] + (len(parts[i]) + 1) // 2 if parts[i] else starts[i]
            out.append(Tok("blank", "", s, s, shape, "", line_id))
    return out


def _line_tokens(line: str, base: int, line_id: int) -> list[Tok]:
    """The tokens of ``line`` (or a part of it outside any grid) at offset ``base``; every
    token remembers ``line_id``, the offset of its whole line."""
    if "|" in line:
        return _pipe_tokens(line, base, line_id)
    out = []
    for m in _WS.finditer(line):
        if BLANK_CELL.match(m.group()) and not _MD_RULE.match(m.group()):
            out.append(Tok("blank", m.group(), base + m.start(), base + m.end(), "text", "", line_id))
            continue
        out.extend(_glued_tokens(m.group(), base + m.start(), "text", line_id))
    return out


def _grid_tokens(folded: str, st: SourceTable, shape: str) -> Optional[list[Tok]]:
    """The tokens of a source grid, a cell a token (span copies skipped, blanks kept);
    None when the grid has no cell positions (its flattened text is read instead)."""
    spans = st.cell_spans
    if not spans or len(spans) != len(st.rows):
        return None
    if any(len(row) != len(row_spans) for row, row_spans in zip(st.rows, spans)):
        return None
    # Word draws a label that is not merged across the label columns beside an empty cell of
    # its own ("(七)总计 | | 72 | 3 …"): an empty cell left of the figures is a spacer (the
    # figures' first column is found at the first empty cell: most grids have none)
    first: Optional[int] = None
    out: list[Tok] = []
    for r, (row, row_spans) in enumerate(zip(st.rows, spans)):
        row_id = -(st.start * 1000 + r) - 1
        for c, (cell, span) in enumerate(zip(row, row_spans)):
            if span is None:
                continue  # a copy made by rowspan/colspan
            if not cell.strip():
                if first is None:
                    first = figure_column(st.rows, lambda r, c: spans[r][c] is not None)
                if c < first:
                    continue  # an empty cell among the labels (a spacer beside a label): no figure
            a, b = span
            text = folded[a:b]
            if cell != text:  # (a cell that is its span's text is folded already)
                folded_cell = fold(cell)
                if folded_cell.strip() and folded_cell.strip() not in text:
                    text = folded_cell  # positions approximate
            toks = _cell_tokens(text, a, shape, row_id)
            out.extend(toks if toks else [Tok("blank", "", a, a, shape, "", row_id)])
    return out


def tokens(doc: Document, folded: str) -> list[Tok]:
    """Every token of the document, in text order (grids from ``source_tables``)."""
    out: list[Tok] = []
    covered: list[tuple[int, int]] = []
    grid_shape = {"md": "markdown"}.get(doc.format, doc.format)
    for st in doc.source_tables:
        toks = _grid_tokens(folded, st, grid_shape)
        if toks is None:
            continue
        out.extend(toks)
        covered.append((st.start, st.end))
    covered.sort()
    for m in _LINE.finditer(folded):
        a, b = m.start(), m.end()
        if covered and any(ca < b and a < cb for ca, cb in covered):
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
                out.extend(_line_tokens(folded[pa:pb], pa, a))
            continue
        out.extend(_line_tokens(folded[a:b], a, a))
    out = [t for t in out if t.kind != "label" or t.norm]  # "###", "(三)" alone: no words
    out.sort(key=attrgetter("start", "end"))
    return out


# ---------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------

_VALUE = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")


@lru_cache(maxsize=4096)
def cell_value(raw: str) -> Optional[Number]:
    """``"00"`` -> 0, ``"1112万元"`` -> 1112, ``"9116.36"`` -> 9116.36; blank or text -> None.
    (Cached: the same few cells, ``0`` and ``1``, fill most tables, and a table's readings ask
    for each cell again.)"""
    s = fold(raw).strip()
    if not s or BLANK_CELL.match(s) or not NUM_CELL.match(s):
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

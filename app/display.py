"""Presentation helpers for the report page: the narrative with claims highlighted and the
three standard tables as DataFrames with Chinese labels.

These lay out rows the store returns; they compute no figures.
"""

from __future__ import annotations

import html
import re
import statistics
from typing import Any, Iterable, Optional

import pandas as pd

from app.common import STATUS_COLORS, STATUS_ZH, metric_zh
from nlp.export import DECISION_ZH
from nlp.schema import COLUMN_ZH, TABLE_DEFS, TABLE_TITLES, TableDef, row_zh

FAIL_STYLE = "background-color: #f8d0cc; color: #8a1c12; font-weight: bold"
UNCERTAIN_STYLE = "background-color: #fff1c2"
CORRECTED_STYLE = "background-color: #dbe8fb; color: #174ea6; font-weight: bold"

# how a claim a reviewer decided is drawn, whatever its status
DECIDED_COLORS = {"false_alarm": "#b0b6bd", "confirmed_defect": "#d93025", "needs_follow_up": "#f9ab00"}
ATTENTION = ("mismatch", "ambiguous")
"""Claims whose status gets a small label after them in the narrative (the others: a
coloured underline and a tooltip)."""

NARRATIVE_CSS = """
<style>
.xxgk-narrative { font-size: 15px; line-height: 2.1; }
.xxgk-narrative p { margin: 0 0 0.7em 0; }
.xxgk-narrative .xc { border-bottom: 3px solid; padding: 0 1px; }
.xxgk-narrative .xc.unchecked { border-bottom-style: dotted; }
.xxgk-narrative .xc.false_alarm { border-bottom-style: dashed; }
.xxgk-narrative .xt { white-space: nowrap; font-size: 11px; line-height: 1; padding: 1px 4px;
  margin-left: 2px; border-radius: 3px; color: #fff; vertical-align: 2px; }
.xxgk-legend span { margin-right: 1.2em; padding: 0 2px; border-bottom: 3px solid; }
</style>
"""


# ---------------------------------------------------------------------------
# narrative
# ---------------------------------------------------------------------------


def claim_label(claim: dict[str, Any]) -> str:
    return f"{STATUS_ZH.get(claim['status'], claim['status'])} · {metric_zh(claim['metric'])}"


_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[一二三四五六七八九十\d]+[章节部分条])")
_ENDS_PARAGRAPH = re.compile(r"[。！？!?：:][”」』]?\s*$")
_PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*$")


def _lines(display_text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for line in display_text.split("\n"):
        out.append((start, start + len(line)))
        start += len(line) + 1
    return out


def paragraphs(display_text: str, reflow: bool = False) -> Iterable[tuple[int, int]]:
    """The ``(start, end)`` of each paragraph of the display text: each non-blank line, or
    with ``reflow`` (a PDF, whose lines are the page's lines) the lines of one paragraph
    joined: a line continues the one before unless that one ended a sentence or was short
    (a paragraph's last line, a heading), or it starts a heading. Page numbers
    between two lines of a paragraph are left out of it."""
    lines = [(a, b) for a, b in _lines(display_text) if display_text[a:b].strip()]
    if not reflow:
        yield from lines
        return
    lengths = [b - a for a, b in lines if b - a > 8]
    full = statistics.median(lengths) if lengths else 0
    current: Optional[tuple[int, int]] = None
    for a, b in lines:
        text = display_text[a:b]
        if _PAGE_NUMBER.match(text):
            continue
        if current is not None:
            prev = display_text[current[0]:current[1]].split("\n")[-1]
            last_line_len = len(prev)
            ends = (_ENDS_PARAGRAPH.search(prev) or last_line_len < 0.75 * full or _HEADING.match(text))
            if not ends:
                current = (current[0], b)
                continue
            yield current
        current = (a, b)
    if current is not None:
        yield current


def _claim_color(c: dict[str, Any]) -> str:
    return DECIDED_COLORS.get(c.get("decision") or "", STATUS_COLORS.get(c["status"], "#ddd"))


def _claim_tag(c: dict[str, Any]) -> Optional[str]:
    decision = c.get("decision")
    if decision:
        return DECISION_ZH[decision]
    if c["status"] in ATTENTION:
        table = c.get("table_value")
        shown = "" if table is None else f" 表{_num(table)}"
        return f"{STATUS_ZH[c['status']]}{shown}"
    return None


def _num(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _tooltip(c: dict[str, Any]) -> str:
    parts = [claim_label(c), f"报告数值 {_num(c['value'])}" if c.get("value") is not None else ""]
    if c.get("table_value") is not None:
        parts.append(f"表格数值 {_num(c['table_value'])}")
    if c.get("decision"):
        parts.append(f"复核: {DECISION_ZH[c['decision']]}")
    if c.get("correction_id"):
        parts.append(f"已更正(原读数 {_num(c.get('original_value'))})")
    return " · ".join(p for p in parts if p)


def _render(display_text: str, start: int, end: int, inside: list[dict[str, Any]]) -> str:
    out, pos = [], start
    for c in sorted(inside, key=lambda c: c["display_start"]):
        a, b = max(start, c["display_start"]), min(end, c["display_stop"])
        if a < pos or a >= b:  # overlapping claims: the first one wins
            continue
        out.append(html.escape(display_text[pos:a]))
        color = _claim_color(c)
        cls = c.get("decision") or c["status"]
        out.append(f'<span class="xc {cls}" style="border-color: {color}" title="{html.escape(_tooltip(c))}">'
                   f"{html.escape(display_text[a:b])}</span>")
        tag = _claim_tag(c)
        if tag:
            out.append(f'<span class="xt" style="background: {color}">{html.escape(tag)}</span>')
        pos = b
    out.append(html.escape(display_text[pos:end]))
    return "".join(out).replace("\n", "")


def narrative_html(display_text: str, claims: list[dict[str, Any]], only_with_claims: bool = True,
                   reflow: bool = False) -> str:
    """The report's text as HTML, each claim underlined in its status colour (a claim a
    reviewer decided: in the decision's colour, 误报 grey) with its details in a tooltip and,
    for a claim that disagrees with the tables or was decided, a short label on the same line.
    Claims carry ``display_start``/``display_stop`` (their span in ``display_text``). With
    ``only_with_claims`` only paragraphs holding a claim are shown; ``reflow`` joins a PDF's
    lines into paragraphs (``paragraphs``)."""
    spans_all = [c for c in claims if c.get("display_start") is not None and c.get("display_stop") is not None]
    parts = []
    for p_start, p_end in paragraphs(display_text, reflow):
        inside = [c for c in spans_all if c["display_start"] < p_end and c["display_stop"] > p_start]
        if only_with_claims and not inside:
            continue
        parts.append(f"<p>{_render(display_text, p_start, p_end, inside)}</p>")
    if not parts:
        return "<p>(无正文)</p>"
    return f'{NARRATIVE_CSS}<div class="xxgk-narrative">{"".join(parts)}</div>'


def legend_html() -> str:
    """A colour key for the claim statuses and the decisions."""
    keys = [(STATUS_ZH[s], STATUS_COLORS[s]) for s in STATUS_COLORS]
    keys += [(f"已判{DECISION_ZH[d]}" if d == "false_alarm" else DECISION_ZH[d], c) for d, c in DECIDED_COLORS.items()]
    items = "".join(f'<span style="border-color: {c}">{html.escape(label)}</span>' for label, c in keys)
    return f'<div class="xxgk-legend">{items}</div>'  # styled by NARRATIVE_CSS


# ---------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------


def _definitions(name: str, template: str, cells: list[dict[str, Any]]) -> list[TableDef]:
    """The table's definitions, the one that explains most of its cells first (the report's
    template on a tie): a table read under another template than the report's still shows."""
    keys = {(c["row_key"], c["col_key"]) for c in cells}
    candidates = [d for (n, _), d in TABLE_DEFS.items() if n == name]
    candidates = list({id(d): d for d in candidates}.values())

    def covered(d: TableDef) -> int:
        return len(keys & {(r.key, col) for r in d.rows for col in d.cols_of(r)})

    return sorted(candidates, key=lambda d: (-covered(d), d.template != template))


def row_label(definition: TableDef, key: str) -> str:
    return row_zh(definition, key, sep=": ")


def _show(cell: dict[str, Any]) -> str:
    value, raw = cell["value"], cell["raw"] or ""
    text = "" if value is None else _num(value)
    if cell.get("correction_id"):
        before = "空白" if cell.get("original_value") is None else _num(cell["original_value"])
        text = f"{text or '空白'} (更正,原读 {before})"
    elif raw and raw.strip() != text:
        text = f"{text} (原文“{raw.strip()}”)" if text else f"(原文“{raw.strip()}”)"
    if cell["finding_ids"]:
        text = f"{text} ⚠"
    return text


def _layout(name: str, template: str, mine: list[dict[str, Any]]) -> tuple[list[tuple[TableDef, str]], list[str]]:
    """Rows (with the definition that names each) and columns of every cell read, in the
    order of the best-fitting definition, then any other definition's."""
    defs = _definitions(name, template, mine)
    present = {(c["row_key"], c["col_key"]) for c in mine}
    rows: dict[str, TableDef] = {}
    cols: dict[str, None] = {}
    for d in defs:
        for r in d.rows:
            for col in d.cols_of(r):
                if (r.key, col) in present:
                    rows.setdefault(r.key, d)
                    cols.setdefault(col, None)
    return [(d, k) for k, d in rows.items()], list(cols)


def table_frames(template: str, cells: list[dict[str, Any]]) -> dict[str, Any]:
    """One styled DataFrame per standard table present (key: its Chinese title): every cell
    the reader read (under whichever template's rows and columns name it), rows and columns
    in Chinese, cells named by a finding red and marked ⚠, corrected cells blue with the
    reading they replace, uncertain cells yellow, a blank cell empty."""
    out: dict[str, Any] = {}
    for name, title in TABLE_TITLES.items():
        mine = [c for c in cells if c["tbl"] == name]
        if not mine:
            continue
        rows, col_keys = _layout(name, template, mine)
        if not rows:
            continue
        labels = COLUMN_ZH[name]
        by_pos = {(c["row_key"], c["col_key"]): c for c in mine}

        def style(r: str, k: str) -> str:
            c = by_pos.get((r, k))
            if c is None:
                return ""
            if c.get("correction_id"):
                return CORRECTED_STYLE
            return FAIL_STYLE if c["finding_ids"] else UNCERTAIN_STYLE if c["uncertain"] else ""

        values = [[_show(by_pos[(r, k)]) if (r, k) in by_pos else "" for k in col_keys] for _, r in rows]
        styles = [[style(r, k) for k in col_keys] for _, r in rows]
        index = [row_label(d, r) for d, r in rows]
        columns = [labels.get(k, k) for k in col_keys]
        frame = pd.DataFrame(values, index=index, columns=columns)
        style_frame = pd.DataFrame(styles, index=index, columns=columns)
        out[title] = frame.style.apply(lambda _, css=style_frame: css, axis=None)
    return out

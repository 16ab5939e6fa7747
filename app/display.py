"""Presentation helpers for the report page: the narrative with claims highlighted (displaCy's
span style) and the three standard tables as DataFrames with Chinese labels.

These lay out rows the store returns; they compute no figures.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

import pandas as pd
from spacy import displacy

from app.common import STATUS_COLORS, STATUS_ZH, metric_zh
from nlp.schema import COLUMN_ZH, TABLE_DEFS, TABLE_TITLES, TableDef, row_zh

FAIL_STYLE = "background-color: #f8d0cc; color: #8a1c12; font-weight: bold"
UNCERTAIN_STYLE = "background-color: #fff1c2"


# ---------------------------------------------------------------------------
# narrative
# ---------------------------------------------------------------------------


def claim_label(claim: dict[str, Any]) -> str:
    return f"{STATUS_ZH.get(claim['status'], claim['status'])} · {metric_zh(claim['metric'])}"


def _paragraphs(display_text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for line in display_text.split("\n"):
        end = start + len(line)
        if line.strip():
            yield start, end
        start = end + 1


def narrative_html(display_text: str, claims: list[dict[str, Any]], only_with_claims: bool = True) -> str:
    """The report's text as displaCy span markup, each claim underlined in its status colour
    and labelled "状态 · 指标". Claims carry ``display_start``/``display_stop`` (their span in
    ``display_text``). With ``only_with_claims`` only paragraphs holding a claim are shown."""
    parsed, colors = [], {}
    spans_all = [c for c in claims if c.get("display_start") is not None and c.get("display_stop") is not None]
    for p_start, p_end in _paragraphs(display_text):
        inside = [c for c in spans_all if c["display_start"] < p_end and c["display_stop"] > p_start]
        if only_with_claims and not inside:
            continue
        cuts = {p_start, p_end}
        for c in inside:
            cuts.add(max(p_start, c["display_start"]))
            cuts.add(min(p_end, c["display_stop"]))
        bounds = sorted(cuts)
        tokens = [display_text[a:b] for a, b in zip(bounds, bounds[1:])]
        index = {a: i for i, a in enumerate(bounds)}
        spans = []
        for c in inside:
            label = claim_label(c)
            colors[label] = STATUS_COLORS.get(c["status"], "#ddd")
            spans.append({
                "start_token": index[max(p_start, c["display_start"])],
                "end_token": index[min(p_end, c["display_stop"])],
                "label": label,
            })
        parsed.append({"text": display_text[p_start:p_end], "tokens": tokens, "spans": spans})
    if not parsed:
        return "<p>(无正文)</p>"
    html = displacy.render(parsed, style="span", manual=True, minify=True,
                           options={"colors": colors, "top_offset": 30})
    return f'<div class="xxgk-narrative" style="font-size: 15px">{html}</div>'


def legend_html() -> str:
    """A colour key for the claim statuses."""
    items = "".join(
        f'<span style="border-bottom: 4px solid {STATUS_COLORS[s]}; margin-right: 1em">{STATUS_ZH[s]}</span>'
        for s in STATUS_COLORS
    )
    return f"<div>{items}</div>"


# ---------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------


def _definition(name: str, template: str, cells: list[dict[str, Any]]) -> Optional[TableDef]:
    if (name, template) in TABLE_DEFS:
        return TABLE_DEFS[(name, template)]
    keys = {c["row_key"] for c in cells}
    candidates = [d for (n, _), d in TABLE_DEFS.items() if n == name]
    return max(candidates, key=lambda d: len(keys & {r.key for r in d.rows}), default=None)


def row_label(definition: TableDef, key: str) -> str:
    return row_zh(definition, key, sep=": ")


def _show(cell: dict[str, Any]) -> str:
    value, raw = cell["value"], cell["raw"] or ""
    text = "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))
    if raw and raw.strip() != text:
        text = f"{text} (原文“{raw.strip()}”)" if text else f"(原文“{raw.strip()}”)"
    if cell["finding_ids"]:
        text = f"{text} ⚠"
    return text


def table_frames(template: str, cells: list[dict[str, Any]]) -> dict[str, Any]:
    """One styled DataFrame per standard table present (key: its Chinese title): rows and
    columns in Chinese, cells named by a finding red and marked ⚠, uncertain cells yellow,
    a blank cell empty."""
    out: dict[str, Any] = {}
    for name, title in TABLE_TITLES.items():
        mine = [c for c in cells if c["tbl"] == name]
        if not mine:
            continue
        definition = _definition(name, template, mine)
        if definition is None:
            continue
        labels = COLUMN_ZH[name]
        row_keys = [r.key for r in definition.rows if any(c["row_key"] == r.key for c in mine)]
        col_keys = list(dict.fromkeys(
            col for r in definition.rows for col in definition.cols_of(r)
            if any(c["row_key"] == r.key and c["col_key"] == col for c in mine)
        ))
        by_pos = {(c["row_key"], c["col_key"]): c for c in mine}
        values = [[_show(by_pos[(r, k)]) if (r, k) in by_pos else "" for k in col_keys] for r in row_keys]
        styles = [[
            FAIL_STYLE if (r, k) in by_pos and by_pos[(r, k)]["finding_ids"]
            else UNCERTAIN_STYLE if (r, k) in by_pos and by_pos[(r, k)]["uncertain"] else ""
            for k in col_keys] for r in row_keys]
        index = [row_label(definition, r) for r in row_keys]
        columns = [labels.get(k, k) for k in col_keys]
        frame = pd.DataFrame(values, index=index, columns=columns)
        style_frame = pd.DataFrame(styles, index=index, columns=columns)
        out[title] = frame.style.apply(lambda _, css=style_frame: css, axis=None)
    return out

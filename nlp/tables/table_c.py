"""Table C (政府信息公开行政复议、行政诉讼情况): its 15 figures in order after its header words.

行政复议, 行政诉讼 未经复议直接起诉 and 复议后起诉, each 结果维持 / 结果纠正 / 其他结果 / 尚未审结 / 总计.
The headers are often cut (``结果`` for ``结果纠正``): the figures in order are what counts, and
a glued run is cut so that each 总计 adds up its four results.
"""

from __future__ import annotations

import re
from typing import Any, Optional, Sequence

from nlp.numbers import UNITS
from nlp.schema import REVIEW_COLUMNS, TABLE_C, Document, Table
from nlp.tables._build import RowResult, derive_totals, differing, make_table
from nlp.tables._rows import is_stop
from nlp.tables._split import CUT, Group, Reading, fmt_values, readings
from nlp.tables._tokens import Tok

__all__ = ["read_c"]

_C_ANCHORS = ("结果维持", "结果纠正", "尚未审结", "未经复议", "复议后起诉")
_C_ANCHOR = re.compile("|".join(_C_ANCHORS))
_C_WORDS = ("结果", "维持", "纠正", "其他", "审结", "尚未", "总计", "复议", "诉讼", "起诉", "合计", "行政")
_UNIT_AFTER = tuple(u for u in UNITS if u not in ("%", "‰"))
"""The units of ``nlp.numbers``: a figure written with one (7件) is a count of the narrative,
never a cell of the table."""


def read_c(toks: Sequence[Tok], doc: Document, span: Optional[tuple[int, int]]) -> Optional[Table]:
    anchors = [i for i, t in enumerate(toks) if t.kind == "label" and _C_ANCHOR.search(t.norm)]
    if not anchors:
        return None
    if span is not None:
        inside = [i for i in anchors if span[0] <= toks[i].start < span[1]]
        anchors = inside + [i for i in anchors if i not in inside]
    k = len(REVIEW_COLUMNS) * len(TABLE_C.rows)
    for i0 in anchors:
        # back up to the first header of this table
        vals: list[Tok] = []
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
            if j < len(toks) and toks[j].kind == "label" and is_stop(toks[j], "review"):
                break
        if sum(len(t.text) if t.digits else 1 for t in vals) < len(REVIEW_COLUMNS):
            continue  # not even one row's worth of figures
        if 2 * sum(doc.text.startswith(_UNIT_AFTER, t.end) for t in vals if t.kind == "num") >= len(vals):
            continue  # counts of the narrative (“行政复议7件,结果维持6件,尚未审结1件”), not the table's cells
        groups = [Group(len(REVIEW_COLUMNS), True)] * len(TABLE_C.rows)
        options, how = readings(vals, k, groups)
        if how == "short" and len(vals) < len(REVIEW_COLUMNS):
            continue
        results: list[RowResult] = []
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
        if how in CUT and (len(options) > 1 or how != "sum"):
            uncertain = differing(options, range(len(options)), flat_cols) if how == "sum" else frozenset(flat_cols)
            note = (note or "") + f"; {len(options)} cuts fit; read {fmt_values(chosen.raw())}"
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
            results.append(RowResult(rd, REVIEW_COLUMNS[:len(part)], None, [Reading(list(part))], how,
                                      uncertain_cols=unc, note=note))
        shape = toks[i0].shape
        if how in CUT:
            shape = "glued" if shape == "text" else f"{shape}+glued"
        elif shape == "text":
            shape = "spaced"
        table = make_table(TABLE_C, results, toks, doc, shape, alternatives)
        table = derive_totals(table, [((rd.key, "total"), [(rd.key, c) for c in REVIEW_COLUMNS[:-1]])
                                      for rd in TABLE_C.rows], "the 总计 columns")
        return Table(TABLE_C, table.cells, toks[i0].start, table.end, table.shape, table.alternatives)
    return None

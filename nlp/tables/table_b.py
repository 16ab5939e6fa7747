"""Table B (收到和处理政府信息公开申请情况): its rows read under the table's own arithmetic.

Seven columns (自然人, five kinds of 法人或其他组织, 总计); 25 rows in the 2021 form, 23 in the 2019
form (``(六)其他处理`` one row). A row of glued digits is cut so that its six applicant columns
add up to 总计; the column equations (``(七)总计`` = the result rows; ``一 + 二 = (七)总计 + 四``)
then choose among the rows' remaining cuts; where several still fit, the cells are marked
uncertain and the other readings kept in ``Table.alternatives``.
"""

from __future__ import annotations

from itertools import product
from math import prod
from typing import Any, Optional, Sequence

from nlp.schema import B_GROUPS, B_RESULT_ROWS_TOP, Document, Number, Table, TableDef
from nlp.tables._build import RowResult, derive_totals, differing, make_table, shape_of
from nlp.tables._rows import DETACHED, Hit, detached
from nlp.tables._split import CUT, Group, fmt_values, readings
from nlp.tables._tokens import Tok

__all__ = ["read_b", "derive_b_totals", "template_fits", "MAX_COMBINATIONS"]

MAX_COMBINATIONS = 20000
"""Above this many combinations of the rows' candidate splits, choose row by row."""


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


def read_b(tdef: TableDef, hits: list[Hit], toks: Sequence[Tok], doc: Document) -> Table:
    k = len(tdef.columns)
    results: list[RowResult] = []
    for h in hits:
        rd = tdef.rows[h.row]
        options, how = readings(h.values, k, [Group(k, True)])
        rr = RowResult(rd, tdef.columns, h, options, how)
        if detached(h, toks, k, tdef):
            rr.uncertain_cols = frozenset(tdef.columns)
            rr.note = DETACHED
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

    def vec(rr: RowResult, c: int) -> list[Optional[Number]]:
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
                rr.uncertain_cols = rr.uncertain_cols | differing(rr.options, fitting, rr.cols)
    alternatives: list[dict[str, Any]] = []
    for i, rr in enumerate(results):
        if rr.how not in CUT:
            continue
        runs = " ".join(t.text for t in rr.hit.values) if rr.hit else ""
        if rr.how == "nosum":
            rr.uncertain_cols = frozenset(rr.cols)
            rr.note = f"glued digits '{runs}': no cut makes the row add up; read {fmt_values(rr.options[rr.chosen].raw())}"
        elif rr.how == "partial":
            rr.uncertain_cols = frozenset(rr.cols)
            rr.note = f"glued digits '{runs}': too long to try every cut; read {fmt_values(rr.options[rr.chosen].raw())}"
        elif rr.uncertain_cols:
            rr.note = (f"glued digits '{runs}': {len(rr.options)} cuts add up along the row and the column "
                       f"totals do not decide; read {fmt_values(rr.options[rr.chosen].raw())}")
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
    table = make_table(tdef, results, toks, doc, shape_of(hits, toks, results), alternatives)
    return derive_b_totals(table)


def derive_b_totals(table: Table) -> Table:
    """Table B with a 总计 column left blank derived from the six applicant columns, and a
    (七)总计 row left blank derived from the result rows (:func:`derive_totals`)."""
    tdef = table.definition
    applicants = tdef.columns[:-1]
    table = derive_totals(table, [((rd.key, "total"), [(rd.key, c) for c in applicants]) for rd in tdef.rows],
                          "the 总计 column")
    results = [k for k in _b_result_keys(tdef) if k not in B_GROUPS and table.has_row(k)]
    return derive_totals(table, [(("closed", c), [(k, c) for k in results]) for c in tdef.columns],
                         "the (七)总计 row")


def template_fits(hits: list[Hit], tdef: TableDef) -> bool:
    keys = {tdef.rows[h.row].key for h in hits}
    if tdef.template == "2021":
        return bool(keys & {"other.no_correction", "other.no_fee", "other.other"})
    return "other" in keys

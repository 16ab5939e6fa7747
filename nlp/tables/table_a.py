"""Table A (主动公开政府信息情况): its rows read, and which template it follows.

The 2021 form has 本年制发件数 / 本年废止件数 / 现行有效件数 for 规章 and 规范性文件 and one figure for
each other row; the 2019 form has 新制作 / 新公开 / 对外公开总数量, 上一年项目数量 / 本年增减 / 处理决定数量,
其他对外管理服务事项 and 政府集中采购. No arithmetic links a row's cells, so a glued run of digits
(``行政规范性文件8855698``) is cut by what is plausible and by the narrative's own figures, and
the other cuts are kept for review.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional, Sequence

from nlp.schema import Document, Number, RowDef, Table, TableDef
from nlp.tables._build import RowResult, differing, make_table, shape_of
from nlp.tables._rows import DETACHED, Hit, detached
from nlp.tables._split import CUT, Group, fmt_values, readings
from nlp.tables._tokens import Tok

__all__ = ["read_a", "read_rows", "history_a", "template_score", "looks_like_a", "Plausible", "History"]


_A19_HEADERS = ("新制作", "新公开", "对外公开总数量", "上一年项目数量", "本年增减", "采购项目数量", "采购总金额")
_A21_HEADERS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额")


def template_score(tdef: TableDef, hits: list[Hit], toks: Sequence[Tok]) -> float:
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


def looks_like_a(hits: list[Hit], toks: Sequence[Tok]) -> bool:
    """A run of table A's rows is the table if its block headers (``第二十条第(一)项``,
    ``信息内容`` …) are there, or nearly all its rows are: a narrative sentence can name three
    rows with their figures (``行政规范性文件698件，行政许可1200件，行政处罚30件``)."""
    if len(hits) >= 5:
        return True
    a = min(toks[h.first].start for h in hits) - 200
    b = max(toks[h.last].end for h in hits)
    heads = "".join(t.norm for t in toks if a <= t.start < b and t.kind == "label")
    return any(w in heads for w in _A_HEADER_WORDS)


_MENTIONED = re.compile(r"[^\d。;\n]{0,6}?(\d{2,9})(?![\d.])")
"""A number a few characters after a row's label in the narrative."""


def _mentions(folded: str, a: int, b: int, rd: RowDef) -> set[int]:
    """Numbers the text outside the table ``[a, b)`` gives right after the row's label
    (``现行有效行政规范性文件698件``): evidence for one cut of a glued run over another."""
    out: set[int] = set()
    for label in rd.labels:
        for m in re.finditer(re.escape(label), folded):
            if a <= m.start() < b:
                continue
            window = folded[m.end():m.end() + 12]
            n = _MENTIONED.match(window)
            if n:
                out.add(int(n.group(1)))
    return out


def _evidence(rd: RowDef, cols: Sequence[str], vals: Sequence[Optional[Number]], narrative: set[int],
              plausible: Plausible, read: dict[str, list[Optional[Number]]], previous: Optional[Table],
              history: Optional[History]) -> dict[str, Any]:
    """What speaks for one reading of a glued row: the narrative's figures it has (``narrative``),
    whether it is plausible, and whether it chains with last year's table (1 yes, -1 no, 0 not
    known)."""
    chains = 0
    if previous is not None and history is not None and None not in vals:
        got = history(rd, cols, vals, previous)
        chains = 0 if got is None else (1 if got else -1)
    return {
        "narrative": sorted(v for v in vals if v is not None and v >= 10 and v in narrative),
        "plausible": plausible(rd, cols, vals, read),
        "chains": chains,
    }


def history_a(rd: RowDef, cols: Sequence[str], vals: Sequence[Optional[Number]], last: Table) -> Optional[bool]:
    """Table A against last year's: this year's 上一年项目数量 is last year's plus its 本年增/减
    (2019 form); this year's 现行有效件数 is last year's plus 本年制发 less 本年废止 (2021 form)."""
    d = dict(zip(cols, vals))
    if "previous" in d:
        lp, lc = last.value(rd.key, "previous"), last.value(rd.key, "change")
        return None if lp is None or lc is None else d["previous"] == lp + lc
    if "in_force" in d:
        li = last.value(rd.key, "in_force")
        return None if li is None else d["in_force"] == li + d["issued"] - d["repealed"]  # type: ignore[operator]
    return None


def _plausible_a(rd: RowDef, cols: Sequence[str], vals: Sequence[Optional[Number]],
                 read: dict[str, list[Optional[Number]]]) -> int:
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


def read_a(tdef: TableDef, hits: list[Hit], toks: Sequence[Tok], doc: Document, folded: str,
           previous: Optional[Table] = None) -> Table:
    """Table A from its rows: glued digits cut by last year's table A (``previous``), the
    narrative and what is plausible of each column."""
    if previous is not None and previous.definition.template != tdef.template:
        previous = None  # last year's other form: its columns say nothing of these
    return read_rows(tdef, hits, toks, doc, folded, _plausible_a, previous=previous, history=history_a)


Plausible = Callable[[RowDef, Sequence[str], Sequence[Optional[Number]], dict[str, list[Optional[Number]]]], int]
"""``(row, columns, values, rows read so far) -> 1`` when a reading of the row is plausible."""


History = Callable[[RowDef, Sequence[str], Sequence[Optional[Number]], Table], Optional[bool]]
"""``(row, columns, values, last year's table) -> True/False`` when last year's figures settle
whether a reading of the row can be right, None when they say nothing."""


def read_rows(tdef: TableDef, hits: list[Hit], toks: Sequence[Tok], doc: Document, folded: str,
              plausible: Plausible, *, settles: bool = False, previous: Optional[Table] = None,
              history: Optional[History] = None) -> Table:
    """A table whose cells no arithmetic links (table A, the statistics table): each row's
    figures as written. Where they are glued and several cuts fit, the cuts are ranked by
    every constraint there is: last year's table of the same unit (``previous``: its figures
    and this year's must chain, :data:`History`), the narrative's own figures, ``plausible``
    (what is usual of each column; with ``settles`` a hard rule, such as 本年 ≤ 历年累计), then
    the most even cut. A cut that last year's table alone admits (or, with ``settles``, the
    only plausible one) settles the row; otherwise the cells the cuts disagree on stay
    uncertain, and the ranked readings are kept in ``Table.alternatives`` for review."""
    results: list[RowResult] = []
    read: dict[str, list[Optional[Number]]] = {}
    alternatives: list[dict[str, Any]] = []
    a = min(toks[h.first].start for h in hits)
    b = max(t.end for h in hits for t in h.values)
    for h in hits:
        rd = tdef.rows[h.row]
        cols = tdef.cols_of(rd)
        options, how = readings(h.values, len(cols), [Group(len(cols))], limit=200)
        if len(options) > 1:  # only 本年增/减 can be negative: a cut that puts a minus elsewhere is wrong
            signed = [o for o in options
                      if all(v is None or v >= 0 or c == "change" for c, v in zip(cols, o.values()))]
            options = signed or options
        rr = RowResult(rd, cols, h, options, how)
        if detached(h, toks, len(cols), tdef):
            rr.uncertain_cols = frozenset(cols)
            rr.note = DETACHED
        elif how == "short":
            rr.uncertain_cols = frozenset(cols)
            rr.note = f"only {len(h.values)} figure(s) for {len(cols)} columns"
        elif len(options) > 1:
            narrative = _mentions(folded, a, b, rd)
            evidence = [_evidence(rd, cols, o.values(), narrative, plausible, read, previous, history)
                        for o in options]
            ranked = sorted(
                range(len(options)),
                key=lambda i: (
                    -evidence[i]["chains"],
                    -len(evidence[i]["narrative"]),
                    -evidence[i]["plausible"],
                    sorted((len(x.lstrip("+-")) for x in options[i].raw()), reverse=True),  # balanced
                    i,
                ),
            )
            rr.chosen = ranked[0]
            chained = [i for i in ranked if evidence[i]["chains"] > 0]
            fitting = [i for i in ranked if evidence[i]["plausible"]]
            runs = " ".join(t.text for t in h.values)
            if len(chained) == 1 or (settles and len(fitting) == 1 and not chained):
                why = "last year's table" if len(chained) == 1 else "the only cut that can be right"
                rr.note = (f"glued digits '{runs}' fit {len(options)} cuts into {len(cols)} cells; "
                           f"{why} settles it: {fmt_values(options[rr.chosen].raw())}")
                read[rd.key] = options[rr.chosen].values()
                results.append(rr)
                continue
            rr.uncertain_cols = differing(options, range(len(options)), cols)
            support = evidence[rr.chosen]["narrative"]
            why = f"; the narrative mentions {', '.join(map(str, support))}" if support else ""
            rr.note = (f"glued digits '{runs}' fit {len(options)} cuts into {len(cols)} cells; "
                       f"read {fmt_values(options[rr.chosen].raw())}{why}")
            alternatives.append({
                "table": tdef.name,
                "cells": [[rd.key, c] for c in cols],
                "raw": runs,
                "chosen": options[rr.chosen].values(),
                "options": [options[i].values() for i in ranked[1:11]],
                "n_options": len(options),
                "reason": "no arithmetic links these cells",
                "ranked": [{"values": options[i].values(), **evidence[i]} for i in ranked[:10]],
            })
        elif how in CUT:
            rr.note = f"cut from glued digits '{' '.join(t.text for t in h.values)}'"
        results.append(rr)
        read[rd.key] = options[rr.chosen].values() if options else []
    return make_table(tdef, results, toks, doc, shape_of(hits, toks, results), alternatives)

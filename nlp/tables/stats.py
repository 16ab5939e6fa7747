"""The statistics table (政府信息公开情况统计表) of the reports of 2008–2018.

Before the 2019 template, many reports ended with a table of their own: 指标名称 | 计量单位 |
本年 (``2018年度``) | 历年累计, rows such as 主动公开信息数 (其中: 网站公开, 政府公报公开),
受理依申请公开信息总数 (其中: 当面, 传真, 网上, 信函申请数), 对申请的答复总数 (其中: 同意公开,
同意部分公开, 不予公开答复数), 行政复议数, 行政诉讼数; some print one column only (统计数).
It is read as :data:`nlp.schema.TABLE_STATS` by the rows' labels, like the standard tables,
with the unit column (``条``, ``件``) left out of the labels. No arithmetic links a row's two
figures, so glued digits (``主动公开文件数条206912106``) are cut as table A's are: by the
narrative's own figures, then by what is plausible (本年 at most 历年累计, a part at most its
whole), then by the most even cut; the cells the cuts disagree on stay uncertain.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional, Sequence

from nlp.schema import STATS_PARTITIONS, TABLE_STATS, Document, Number, RowDef, Table
from nlp.tables._rows import best_run
from nlp.tables._tokens import Tok
from nlp.tables.table_a import read_rows

__all__ = ["read_stats", "history_stats", "MIN_ROWS"]

MIN_ROWS = 3
"""Rows of the statistics table needed to take a run of them for the table."""

HEADER_WORDS = ("统计表", "指标名称", "统计指标", "计量单位", "历年累计", "统计数")
"""Words of the table's title and header, one of which must be just before or inside the run
(a sentence naming 行政复议数 and a figure is not the table)."""

UNITS = ("人次", "万元", "条", "件", "个", "项", "次", "元", "份")
"""What the 计量单位 column holds."""

HEADER_REACH = 300
"""Characters before the table's first row where its header is looked for."""


def _without_units(toks: Sequence[Tok]) -> list[Tok]:
    """The tokens with the unit column left out: a label that is only a unit, after a label,
    goes; a label that ends with its unit (``主动公开文件数条``) is compared without it."""
    out: list[Tok] = []
    for t in toks:
        if t.kind == "label":
            if t.norm in UNITS and out and out[-1].kind == "label":
                continue
            for u in UNITS if t.norm.endswith(UNITS) else ():
                if t.norm.endswith(u) and len(t.norm) >= len(u) + 3 and t.norm[-len(u) - 1] == "数":
                    t = replace(t, norm=t.norm[: -len(u)])
                    break
        out.append(t)
    return out


def _plausible(rd: RowDef, cols: Sequence[str], vals: Sequence[Optional[Number]],
               read: dict[str, list[Optional[Number]]]) -> int:
    """本年 at most 历年累计; a part at most its whole (read before it)."""
    if any(v is None for v in vals):
        return 0
    d = dict(zip(cols, vals))
    ok = "cumulative" not in d or d["year"] <= d["cumulative"]  # type: ignore[operator]
    whole = read.get(rd.parent) if rd.parent else None
    if ok and whole:
        ok = all(w is None or v <= w for v, w in zip(vals, whole))  # type: ignore[operator]
    return int(ok)


def history_stats(rd: RowDef, cols: Sequence[str], vals: Sequence[Optional[Number]], last: Table) -> Optional[bool]:
    """This year's 历年累计 is last year's plus this year's figure."""
    d = dict(zip(cols, vals))
    lc = last.value(rd.key, "cumulative")
    if "cumulative" not in d or lc is None:
        return None
    return d["cumulative"] == lc + d["year"]  # type: ignore[operator]


def read_stats(toks: Sequence[Tok], doc: Document, folded: str, previous: Optional[Table] = None) -> Optional[Table]:
    """The statistics table, or None when the report has none. ``previous``: last year's."""
    if not any(w in folded for w in HEADER_WORDS):
        return None  # no header word anywhere: no run of rows can be the table
    utoks = _without_units(toks)
    hits = best_run(utoks, TABLE_STATS, None, "stats")
    if len(hits) < MIN_ROWS:
        return None
    a = utoks[hits[0].first].start
    b = max(t.end for h in hits for t in h.values)
    header = folded[max(0, a - HEADER_REACH):a]
    if not any(w in header or w in folded[a:b] for w in HEADER_WORDS):
        return None
    two = any(w in header or w in folded[a:b] for w in ("累计",))
    tdef = TABLE_STATS if two else replace(TABLE_STATS, columns=TABLE_STATS.columns[:1])
    return read_rows(tdef, hits, utoks, doc, folded, _plausible, settles=True, previous=previous,
                     history=history_stats)


def partition_of(tdef_row: RowDef) -> bool:
    """Do the parts of this row's group add up to it (a request comes by one channel)?"""
    return tdef_row.parent in STATS_PARTITIONS

"""Arithmetic inside the statistics table (统计表) of a report of 2008–2018.

- ``stats.cumulative``: a row's figure for the year is at most its 历年累计 (all years so far
  include this one);
- ``stats.parts``: the parts of a group add up to it where they divide it (a request comes by
  one channel, a reply is of one kind: ``STATS_PARTITIONS``), and are each at most the whole
  where they may overlap (an item published on the website and in the gazette).

Each finding carries the cells it used, the arithmetic in words, and their span.
"""

from __future__ import annotations

from nlp.checks._evidence import _fmt, cell_ev, col_label, eq, row_label, span_of
from nlp.checks.registry import CheckContext, NotAssessable, register
from nlp.schema import STATS_PARTITIONS, Finding, finding

__all__ = ["stats_cumulative", "stats_parts"]


@register("stats.cumulative.v1", kind="table_arithmetic", severity="error", title="统计表各行本年不大于历年累计")
def stats_cumulative(ctx: CheckContext) -> list[Finding]:
    """统计表: 本年 ≤ 历年累计 on every row that has both."""
    t = ctx.tables.stats
    if t is None:
        raise NotAssessable("报告没有统计表(2019年以前的报告才有)")
    if "cumulative" not in t.definition.columns:
        raise NotAssessable("统计表没有历年累计一栏")
    out: list[Finding] = []
    for rd in t.definition.rows:
        year, total = t.value(rd.key, "year"), t.value(rd.key, "cumulative")
        if year is None or total is None or year <= total:
            continue
        cells = [cell_ev(t, rd.key, "year"), cell_ev(t, rd.key, "cumulative")]
        out.append(
            finding(
                "stats.cumulative.v1",
                "table_arithmetic",
                "error",
                f"统计表「{row_label(t, rd.key)}」行:本年 {_fmt(year)} 大于历年累计 {_fmt(total)}(历年累计应包括本年)",
                sha256=ctx.sha256,
                locus=f"stats:{rd.key}:cumulative",
                evidence={"table": "stats", "cells": cells, "arithmetic": f"{_fmt(year)} > {_fmt(total)}"},
                span=span_of(cells),
            )
        )
    return out


@register("stats.parts.v1", kind="table_arithmetic", severity="error", title="统计表分项与总数相符")
def stats_parts(ctx: CheckContext) -> list[Finding]:
    """统计表, per column: the parts of 受理申请数 and of 答复总数 add up to it; each part of
    主动公开信息数 is at most it."""
    t = ctx.tables.stats
    if t is None:
        raise NotAssessable("报告没有统计表(2019年以前的报告才有)")
    out: list[Finding] = []
    rows = t.definition.rows
    for group in dict.fromkeys(rd.parent for rd in rows if rd.parent):  # row order: findings in a stable order
        if not t.has_row(group):
            continue
        parts = [rd.key for rd in rows if rd.parent == group and t.has_row(rd.key)]
        if not parts:
            continue
        for col in t.definition.columns:
            whole = t.value(group, col)
            vals = [t.value(p, col) for p in parts]
            if whole is None or any(v is None for v in vals):
                continue
            cells = [cell_ev(t, p, col) for p in parts] + [cell_ev(t, group, col)]
            where = f"统计表「{col_label(t, col)}」列"
            if group in STATS_PARTITIONS:
                total = sum(vals)  # type: ignore[arg-type]
                if eq(total, whole):
                    continue
                terms = " + ".join(f"{row_label(t, p)}{_fmt(v)}" for p, v in zip(parts, vals))
                message = (f"{where}:{terms} = {_fmt(total)},与「{row_label(t, group)}」{_fmt(whole)} 不符"
                           f"(相差{_fmt(abs(total - whole))})")
                arithmetic = f"{' + '.join(_fmt(v) for v in vals)} = {_fmt(total)} ≠ {_fmt(whole)}"
            else:
                over = [(p, v) for p, v in zip(parts, vals) if v > whole]  # type: ignore[operator]
                if not over:
                    continue
                message = (f"{where}:" + "、".join(f"{row_label(t, p)}{_fmt(v)}" for p, v in over)
                           + f"大于「{row_label(t, group)}」{_fmt(whole)}(分项不应超过总数)")
                arithmetic = "; ".join(f"{_fmt(v)} > {_fmt(whole)}" for _, v in over)
            out.append(
                finding(
                    "stats.parts.v1",
                    "table_arithmetic",
                    "error",
                    message,
                    sha256=ctx.sha256,
                    locus=f"stats:{group}:{col}",
                    evidence={"table": "stats", "cells": cells, "arithmetic": arithmetic},
                    span=span_of(cells),
                )
            )
    return out

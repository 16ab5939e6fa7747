"""Altair charts for the overview, each built from the rows of one store query.

Counts are whole numbers (integer ticks only), labels are never cut, and no Chinese title
is turned sideways: a count axis says what it counts in its title above the axis, the
category axis needs no title (the chart's title names it).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from app.common import DECISION_ZH, SEVERITY_ZH, STATUS_COLORS, STATUS_ZH, kind_zh

_SEVERITY_COLORS = {"错误": "#d93025", "警告": "#f9ab00", "提示": "#4285f4"}


def count_axis(title: str) -> alt.Axis:
    """An axis of counts: integer ticks, its title horizontal at the top of the axis."""
    return alt.Axis(title=title, format="d", tickMinStep=1, titleAngle=0, titleAlign="left",
                    titleAnchor="end", titleBaseline="bottom", titleY=-8, titleX=0)


def category_axis(**kw: object) -> alt.Axis:
    """An axis of names, none cut short, written level."""
    return alt.Axis(title=None, labelLimit=0, labelAngle=0, **kw)


def _color(mapping: dict[str, str], title: str) -> alt.Color:
    return alt.Color(f"{title}:N", title=title,
                     scale=alt.Scale(domain=list(mapping), range=list(mapping.values())))


def mismatches_by_year(rows: list[dict[str, Any]]) -> alt.Chart:
    """Bars: claims that disagree with the tables, by report year, stacked by status."""
    frame = pd.DataFrame(
        [{"年度": str(r["year"]) if r["year"] is not None else "未知",
          "状态": STATUS_ZH[r["status"]], "声明数": r["n"]} for r in rows],
        columns=["年度", "状态", "声明数"],
    )
    colors = {STATUS_ZH[s]: STATUS_COLORS[s] for s in ("mismatch", "ambiguous")}
    return alt.Chart(frame, title="各年度不一致/需复核的声明").mark_bar().encode(
        x=alt.X("年度:N", sort="ascending", axis=category_axis()), y=alt.Y("声明数:Q", axis=count_axis("声明数")),
        color=_color(colors, "状态"),
        tooltip=["年度", "状态", "声明数"],
    )


def findings_by_kind(rows: list[dict[str, Any]]) -> alt.Chart:
    """Horizontal bars: findings by kind, stacked by severity."""
    frame = pd.DataFrame(
        [{"类型": kind_zh(r["kind"]), "严重程度": SEVERITY_ZH.get(r["severity"], r["severity"]), "问题数": r["n"]}
         for r in rows],
        columns=["类型", "严重程度", "问题数"],
    )
    return alt.Chart(frame, title="问题类型").mark_bar().encode(
        y=alt.Y("类型:N", sort="-x", axis=category_axis()),
        x=alt.X("问题数:Q", axis=alt.Axis(title="问题数", format="d", tickMinStep=1)),
        color=_color(_SEVERITY_COLORS, "严重程度"),
        tooltip=["类型", "严重程度", "问题数"],
    )


def confidence_histogram(rows: list[dict[str, Any]]) -> alt.Chart:
    """Bars: how many claims fall in each confidence bin."""
    frame = pd.DataFrame([{"置信度": r["label"], "声明数": r["n"]} for r in rows], columns=["置信度", "声明数"])
    return alt.Chart(frame, title="声明识别置信度分布").mark_bar(color="#5b8def").encode(
        x=alt.X("置信度:N", sort=None, axis=category_axis()), y=alt.Y("声明数:Q", axis=count_axis("声明数")),
        tooltip=["置信度", "声明数"],
    )


def review_progress(progress: dict[str, int]) -> alt.Chart:
    """One stacked bar: items needing review, split into open and each decision."""
    parts = [("未复核", progress["open"])] + [(DECISION_ZH[d], progress[d]) for d in DECISION_ZH]
    frame = pd.DataFrame([{"进度": "待复核事项", "类别": k, "数量": v} for k, v in parts])
    colors = {"未复核": "#d7dbe0", "确认问题": "#d93025", "误报": "#34a853", "需跟进": "#f9ab00"}
    return alt.Chart(frame, title=f"复核进度 {progress['decided']}/{progress['to_review']}").mark_bar().encode(
        x=alt.X("数量:Q", stack="zero", axis=alt.Axis(title="数量", format="d", tickMinStep=1)),
        y=alt.Y("进度:N", axis=category_axis()), color=_color(colors, "类别"),
        tooltip=["类别", "数量"],
    )

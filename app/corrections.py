"""The forms that correct a misread figure — a table cell or a claim's value (and metric) —
and the list of a report's corrections with a way to take one back.

A correction goes to ``nlp.pipeline.correct`` (through ``common.record_correction``): the
store keeps it with who, when and why and the original reading, and the library reconciles
the report again with it. The page computes nothing.
"""

from __future__ import annotations

from typing import Any, Optional

import pandas as pd
import streamlit as st

from app.common import local_time, metric_zh, record_correction, reviewer_field, set_reviewer, who_saves
from nlp.errors import XxgkError
from nlp.export import cell_label
from nlp.metrics import LABELS


def _parse(text: str) -> tuple[bool, Optional[float]]:
    """A typed figure: ``(ok, value)``; empty is None (a blank cell)."""
    text = (text or "").strip().replace(",", "").replace(",", "")
    if not text:
        return True, None
    try:
        value = float(text)
    except ValueError:
        return False, None
    return True, int(value) if value.is_integer() else value


def _num(v: Any) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else str(v)


def _save(sha256: str, what: str, typed_reviewer: str = "", **correction: Any) -> None:
    name = who_saves(typed_reviewer, "更正")
    if name is None:
        return
    if not (correction.get("reason") or "").strip():
        st.warning("请说明更正的理由(例如: 表中印作“4”,核对原件为“0”)。")
        return
    set_reviewer(name)
    try:
        record_correction(sha256, reviewer=name, **correction)
    except XxgkError as err:
        st.error(err.zh)
        return
    st.session_state["last_saved"] = f"已更正: {what}。报告已按更正重新核对。"
    st.rerun()


def claim_correction_form(claim: dict[str, Any], context: str = "") -> None:
    """Correct a claim the reader misread: the number the sentence really states and, if the
    model named it wrong, what it counts; with the reason."""
    key = f"correct-{context}-claim-{claim['id']}"
    metrics = list(LABELS)
    with st.form(key=key, border=False, clear_on_submit=False):
        st.caption(f"更正声明「{claim['text']}」的读数(原读作 {claim['number_text']} → {_num(claim['value'])})")
        cols = st.columns([2, 3, 4, 1.2], vertical_alignment="bottom")
        value = cols[0].text_input("正确数值", value=_num(claim["value"]), key=f"{key}-value")
        metric = cols[1].selectbox("指标", metrics, index=metrics.index(claim["metric"]) if claim["metric"] in metrics else 0,
                                   format_func=metric_zh, key=f"{key}-metric")
        reason = cols[2].text_input("更正理由", placeholder="为什么更正(必填)", key=f"{key}-reason")
        typed = reviewer_field(key)
        if cols[3].form_submit_button("保存更正", key=f"{key}-save"):
            ok, number = _parse(value)
            if not ok or number is None:
                st.warning(f"“{value}”不是数字。")
                return
            _save(claim["sha256"], f"声明「{claim['text']}」→ {_num(number)}", claim_id=claim["id"], value=number,
                  metric=None if metric == claim["metric"] else metric, reason=reason, typed_reviewer=typed)


def cell_correction_form(sha256: str, cells: list[dict[str, Any]]) -> None:
    """Correct a table cell the reader misread: pick the cell, type the figure the table
    really shows (empty: the cell is blank) and why."""
    if not cells:
        return
    by_key = {f"{c['tbl']}/{c['row_key']}/{c['col_key']}": c for c in cells}
    key = "correct-cell"
    chosen = st.selectbox("单元格", list(by_key), key=f"{key}-which",
                          format_func=lambda k: f"{cell_label(by_key[k]['tbl'], by_key[k]['row_key'], by_key[k]['col_key'])}"
                                                f" = {_num(by_key[k]['value']) or '空白'}")
    cell = by_key[chosen]
    with st.form(key=key, border=False, clear_on_submit=False):
        raw = (cell.get("raw") or "").strip()
        st.caption(f"原文“{raw}”,读作 {_num(cell['value']) or '空白'}" if raw else f"读作 {_num(cell['value']) or '空白'}")
        cols = st.columns([2, 5, 1.2], vertical_alignment="bottom")
        value = cols[0].text_input("正确数值(空白则留空)", value=_num(cell["value"]), key=f"{key}-value")
        reason = cols[1].text_input("更正理由", placeholder="为什么更正(必填)", key=f"{key}-reason")
        typed = reviewer_field(key)
        if cols[2].form_submit_button("保存更正", key=f"{key}-save"):
            ok, number = _parse(value)
            if not ok:
                st.warning(f"“{value}”不是数字。")
                return
            _save(sha256, f"{cell_label(cell['tbl'], cell['row_key'], cell['col_key'])} → {_num(number) or '空白'}",
                  cell=(cell["tbl"], cell["row_key"], cell["col_key"]), value=number, reason=reason, typed_reviewer=typed)


def corrections_section(sha256: str, corrections: list[dict[str, Any]]) -> None:
    """The report's corrections in force, each with who, when, why and the original reading,
    and a way to take one back."""
    if not corrections:
        st.info("本报告还没有更正。在「标准表格」或声明的复核处可更正读错的数字。")
        return
    st.dataframe(pd.DataFrame([{
        "对象": cell_label(k["tbl"], k["row_key"], k["col_key"]) if k["kind"] == "cell" else f"声明 {k['claim_id']}",
        "原读数": _num(k["original_value"]) or "空白", "原文": k["original_raw"] or "",
        "更正为": _num(k["value"]) or "空白",
        "指标": metric_zh(k["metric"]) if k.get("metric") else "",
        "理由": k["reason"], "复核人": k["reviewer"], "时间": local_time(k["created_at"]),
    } for k in corrections]), hide_index=True, width="stretch")
    by_id = {k["id"]: k for k in corrections}
    with st.form(key="withdraw-correction", border=False):
        cols = st.columns([5, 1.2], vertical_alignment="bottom")
        which = cols[0].selectbox("撤销一项更正(恢复原读数)", list(by_id), key="withdraw-which",
                                  format_func=lambda i: f"#{i} {by_id[i]['target']} → {_num(by_id[i]['value']) or '空白'}")
        typed = reviewer_field("withdraw")
        if cols[1].form_submit_button("撤销", key="withdraw-save"):
            k = by_id[which]
            target = dict(cell=(k["tbl"], k["row_key"], k["col_key"])) if k["kind"] == "cell" else dict(claim_id=k["claim_id"])
            _save(sha256, f"撤销更正 #{which}", withdraw=True, reason="撤销更正", typed_reviewer=typed, **target)

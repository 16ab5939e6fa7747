"""报告详情: one report — the claims that need review, the narrative with every claim
highlighted by status, the three tables with failing cells marked, the findings with their
evidence, a decision form on any claim or finding, and the checklist of every check that ran
(``app/checklist.py``). ``?sha=`` opens a report directly."""

from __future__ import annotations

from typing import Any, Optional

import pandas as pd
import streamlit as st

from app.common import (
    kind_zh,
    SEVERITY_ICONS, SEVERITY_ZH, STATUS_ZH, status_badge, decision_caption, decision_form,
    metric_zh, query,
)
from app.checklist import checklist_tab
from app.display import legend_html, narrative_html, table_frames
from nlp.store import REVIEW_STATUSES as CONFLICT_STATUSES


def _num(v: Any) -> str:
    return "—" if v is None else str(v)


def pick_report() -> Optional[str]:
    """The report named by ``?sha=`` (a full sha256 or a prefix), else the picker's choice."""
    rows = query("overview")
    if not rows:
        st.info("数据库中还没有报告。用 `xxgk check 文件 --db 数据库` 或「上传」页检查报告。")
        return None
    labels = {r["sha256"]: f"{r['source']} — {r['title'] or '(无标题)'}" for r in rows}
    wanted = st.query_params.get("sha")
    if wanted and wanted not in labels:
        full = query("resolve_sha", wanted)
        if full is None:
            st.warning(f"找不到报告 {wanted},显示第一份。")
        wanted = full
    shas = list(labels)
    sha = st.selectbox("报告", shas, index=shas.index(wanted) if wanted in labels else 0, format_func=labels.get)
    st.query_params["sha"] = sha
    return sha


def _claim_line(c: dict) -> str:
    return (
        f"{status_badge(c['status'])} **{metric_zh(c['metric'])}** —"
        f" 「{c['text']}」 报告数值 **{_num(c['value'])}**,表格数值 **{_num(c['table_value'])}**"
        f" — 依据: {c['evidence'] or '无'}"
    )


def flagged_claims(claims: list[dict]) -> None:
    """Claims that disagree with their tables (不一致 / 需复核) with both figures and a
    decision form; then claims the model was unsure of, folded."""
    conflicts = [c for c in claims if c["status"] in CONFLICT_STATUSES]
    unsure = [c for c in claims if c["to_review"] and c["status"] not in CONFLICT_STATUSES]
    st.subheader(f"与表格不一致 / 需复核的声明({len(conflicts)})")
    if not conflicts:
        st.success("没有与表格不一致的声明。")
    for c in conflicts:
        st.markdown(_claim_line(c))
        with st.expander(f"复核: {c['text']}" + ("(已复核)" if c["decision"] else ""), expanded=False):
            decision_form(c, "claim", "flagged")
    if unsure:
        with st.expander(f"模型不确定、建议复核的声明({len(unsure)})"):
            for c in unsure:
                st.markdown(_claim_line(c))
                decision_form(c, "claim", "unsure")


def findings_section(findings: list[dict]) -> None:
    st.subheader(f"问题清单({len(findings)})")
    for f in findings:
        done = "(已复核)" if f["decision"] else ""
        with st.expander(f"{SEVERITY_ICONS.get(f['severity'], '')} {SEVERITY_ZH.get(f['severity'])} · {kind_zh(f['kind'])} · {f['message']}{done}"):
            st.caption(f"检查: {f['check_name']} · 编号: {f['id']}")
            st.json(f["evidence"], expanded=True)
            decision_form(f, "finding", "report")


def claims_section(claims: list[dict]) -> None:
    st.subheader(f"全部声明({len(claims)})")
    table = pd.DataFrame([{
        "原文": c["text"], "状态": STATUS_ZH[c["status"]], "指标": metric_zh(c["metric"]),
        "报告数值": _num(c["value"]), "表格数值": _num(c["table_value"]), "依据(表格单元格)": c["evidence"],
        "置信度": c["confidence"], "复核结论": decision_caption(c) or "",
    } for c in claims], columns=["原文", "状态", "指标", "报告数值", "表格数值", "依据(表格单元格)", "置信度", "复核结论"])
    st.dataframe(table, hide_index=True, width="stretch")
    if claims:
        by_id = {c["id"]: c for c in claims}
        chosen = st.selectbox("复核任一声明", list(by_id), format_func=lambda i: f"{by_id[i]['text']}({STATUS_ZH[by_id[i]['status']]})")
        decision_form(by_id[chosen], "claim", "any")


def main() -> None:
    st.title("报告详情")
    sha = pick_report()
    if sha is None:
        return
    info = query("report", sha)
    claims, findings = query("claims", sha), query("findings", sha)
    st.markdown(f"### {info['title'] or info['source']}")
    st.caption(
        f"{info['agency'] or '机关未识别'} · {info['year'] or '年度未识别'}年 · 模板 {info['template']} ·"
        f" {info['format']} · 文件 {info['source']} · 读取器 {info['reader_version']} · SHA256 {sha[:12]}…"
    )
    cols = st.columns(6)
    for col, (label, key) in zip(cols, [("声明", "claims"), ("一致", "match"), ("不一致", "mismatch"),
                                        ("需复核", "ambiguous"), ("错误/警告", None), ("待复核", "open")]):
        col.metric(label, f"{info['error']}/{info['warning']}" if key is None else info[key])
    flagged_claims(claims)

    st.subheader("正文与声明")
    only = st.toggle("只显示含声明的段落", value=True)
    st.html(legend_html())
    text = query("get_document_text", sha)
    st.html(narrative_html(text.display_text, claims, only_with_claims=only))

    st.subheader("标准表格")
    frames = table_frames(info["template"], query("cells", sha))
    if not frames:
        st.warning("报告中没有可读取的标准表格(见问题清单)。")
    for title, styled in frames.items():
        st.markdown(f"**{title}**(⚠ 红色单元格: 问题证据所指)")
        st.table(styled)
    findings_section(findings)
    claims_section(claims)
    st.subheader("检查清单")
    checklist_tab(sha, info)


if __name__ == "__main__":
    main()

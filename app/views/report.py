"""报告详情: one report — the claims that disagree with the tables (with a decision and a
correction on each), then tabs: the findings with their evidence in words, the narrative
with every claim highlighted by status, the three tables with failing and corrected cells
marked (and a form to correct a misread cell), every claim, the corrections, and the tabs
other parts add (``app/panels.py``). Only the open tab runs. ``?sha=`` opens a report
directly, ``&tab=`` a tab.
"""

from __future__ import annotations

from typing import Any, Optional

import pandas as pd
import streamlit as st

from app.common import (
    SEVERITY_ICONS, SEVERITY_ZH, STATUS_ZH, decision_caption, decision_form, kind_zh, metric_zh,
    query, report_url, status_badge, twin_of,
)
from app.corrections import cell_correction_form, claim_correction_form, corrections_section
from app.display import legend_html, narrative_html, table_frames
from app.panels import REPORT_TABS
from nlp.export import evidence_lines
from nlp.store import REVIEW_STATUSES as CONFLICT_STATUSES

TABS = ["问题", "正文与声明", "标准表格", "全部声明", "更正记录"]


def _num(v: Any) -> str:
    if v is None:
        return "—"
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


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


def claim_line(c: dict) -> str:
    corrected = f"(已更正,原读 {_num(c['original_value'])})" if c.get("correction_id") else ""
    return (
        f"{status_badge(c['status'])} **{metric_zh(c['metric'])}** —"
        f" 「{c['text']}」 报告数值 **{_num(c['value'])}**{corrected},表格数值 **{_num(c['table_value'])}**"
        f" — 依据: {c['evidence'] or '无'}"
    )


def claim_review(c: dict, context: str) -> None:
    """A claim's decision (with its twin finding) and its correction, in a lazy expander."""
    done = "(已复核)" if c["decision"] else ""
    box = st.expander(f"复核或更正: {c['text']}{done}", key=f"x-{context}-{c['id']}", on_change="rerun")
    if box.open:
        with box:
            decision_form(c, "claim", context, also=twin_of(c, "claim"))
            claim_correction_form(c, context)


def flagged_claims(claims: list[dict]) -> None:
    """Claims that disagree with their tables (不一致 / 需复核) with both figures, a decision
    and a correction each; then claims the model was unsure of, folded."""
    conflicts = [c for c in claims if c["status"] in CONFLICT_STATUSES]
    unsure = [c for c in claims if c["to_review"] and c["status"] not in CONFLICT_STATUSES]
    st.subheader(f"与表格不一致 / 需复核的声明({len(conflicts)})")
    if not conflicts:
        st.success("没有与表格不一致的声明。")
    for c in conflicts:
        st.markdown(claim_line(c))
        claim_review(c, "flagged")
    if unsure:
        box = st.expander(f"模型不确定、建议复核的声明({len(unsure)})", key="x-unsure", on_change="rerun")
        if box.open:
            with box:
                for c in unsure:
                    st.markdown(claim_line(c))
                    claim_review(c, "unsure")


def evidence_markdown(evidence: Any) -> str:
    """The evidence in words; another report it names (a cross-year or cross-unit finding's) linked to its page."""
    return "\n".join(f"- **{what}**: {detail}" for what, detail in evidence_lines(evidence, link=report_url)) or "(无)"


def findings_tab(findings: list[dict]) -> None:
    if not findings:
        st.success("没有发现问题。")
    for f in findings:
        done = "(已复核)" if f["decision"] else ""
        box = st.expander(f"{SEVERITY_ICONS.get(f['severity'], '')} {SEVERITY_ZH.get(f['severity'])} · {kind_zh(f['kind'])}"
                          f" · {f['message']}{done}", key=f"x-finding-{f['id']}", on_change="rerun")
        if box.open:
            with box:
                st.caption(f"检查: {f['check_name']} · 编号: {f['id']}"
                           + (" · 与所报告的声明一并复核" if f.get("claim_id") else ""))
                st.markdown(evidence_markdown(f["evidence"]))
                decision_form(f, "finding", "report", also=twin_of(f, "finding"))


def narrative_tab(sha: str, info: dict, claims: list[dict]) -> None:
    only = st.toggle("只显示含声明的段落", value=True)
    st.html(legend_html())
    text = query("get_document_text", sha)
    st.html(narrative_html(text.display_text, claims, only_with_claims=only, reflow=info["format"] == "pdf"))


def tables_tab(sha: str, info: dict) -> None:
    cells = query("cells", sha)
    frames = table_frames(info["template"], cells)
    if not frames:
        st.warning("报告中没有可读取的标准表格(见问题清单)。")
    for title, styled in frames.items():
        st.markdown(f"**{title}**(红色 ⚠: 问题证据所指;蓝色: 已人工更正)")
        st.table(styled)
    if cells:
        st.markdown("**更正读错的单元格**")
        cell_correction_form(sha, cells)


def claims_tab(claims: list[dict]) -> None:
    table = pd.DataFrame([{
        "原文": c["text"], "状态": STATUS_ZH[c["status"]], "指标": metric_zh(c["metric"]),
        "报告数值": _num(c["value"]), "表格数值": _num(c["table_value"]), "置信度": c["confidence"],
        "复核结论": decision_caption(c) or "", "依据(表格单元格)": c["evidence"],
    } for c in claims], columns=["原文", "状态", "指标", "报告数值", "表格数值", "置信度", "复核结论", "依据(表格单元格)"])
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "原文": st.column_config.TextColumn(width=220), "状态": st.column_config.TextColumn(width=64),
        "指标": st.column_config.TextColumn(width=130), "报告数值": st.column_config.TextColumn(width=70),
        "表格数值": st.column_config.TextColumn(width=70),
        "置信度": st.column_config.NumberColumn(width=60, format="%.2f"),
        "复核结论": st.column_config.TextColumn(width=150), "依据(表格单元格)": st.column_config.TextColumn(width=320),
    })
    if claims:
        by_id = {c["id"]: c for c in claims}
        chosen = st.selectbox("复核或更正任一声明", list(by_id),
                              format_func=lambda i: f"{by_id[i]['text']}({STATUS_ZH[by_id[i]['status']]})")
        decision_form(by_id[chosen], "claim", "any", also=twin_of(by_id[chosen], "claim"))
        claim_correction_form(by_id[chosen], "any")


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
    labels = TABS + [label for label, _ in REPORT_TABS]
    tabs = dict(zip(labels, st.tabs(labels, key="tab", bind="query-params")))
    drawers = {
        "问题": lambda: findings_tab(findings),
        "正文与声明": lambda: narrative_tab(sha, info, claims),
        "标准表格": lambda: tables_tab(sha, info),
        "全部声明": lambda: claims_tab(claims),
        "更正记录": lambda: corrections_section(sha, query("corrections", sha)),
        **{label: (lambda draw=draw: draw(sha, info)) for label, draw in REPORT_TABS},
    }
    for label, tab in tabs.items():
        if tab.open:
            with tab:
                drawers[label]()


if __name__ == "__main__":
    main()

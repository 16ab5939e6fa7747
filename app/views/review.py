"""复核: every claim and finding that needs a reviewer, across reports, with a decision form
each; and the decisions whose item a re-run no longer reports (orphaned, kept, listed)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.common import (
    kind_zh,
    DECISION_ZH, KIND_ZH, SEVERITY_ICONS, SEVERITY_ZH, STATUS_ICONS, STATUS_ZH, decision_form,
    metric_zh, query, report_url,
)

PAGE_SIZE = 30


def orphans_section() -> None:
    orphans = query("orphaned_decisions")
    if not orphans:
        return
    st.warning(f"有 {len(orphans)} 条复核结论所对应的声明或问题在最新检查结果中已不存在(已保留,未删除):")
    st.dataframe(pd.DataFrame([{
        "类别": KIND_ZH[o["item_kind"]], "编号": o["item_id"], "报告": o["source"] or o["report_sha256"][:12],
        "结论": DECISION_ZH[o["decision"]], "意见": o["comment"], "复核人": o["reviewer"], "时间": o["created_at"],
    } for o in orphans]), hide_index=True, width="stretch")


def item_title(item: dict, kind: str) -> str:
    done = f"(已复核: {DECISION_ZH[item['decision']]})" if item["decision"] else ""
    if kind == "claim":
        return (f"{STATUS_ICONS[item['status']]} {STATUS_ZH[item['status']]} · {metric_zh(item['metric'])} ·"
                f" 「{item['text']}」{done}")
    return f"{SEVERITY_ICONS.get(item['severity'], '')} {SEVERITY_ZH[item['severity']]} · {kind_zh(item['kind'])} · {item['message']}{done}"


def main() -> None:
    st.title("复核")
    progress = query("review_progress")
    st.progress(progress["decided"] / progress["to_review"] if progress["to_review"] else 1.0,
                text=f"已复核 {progress['decided']} / 待复核事项 {progress['to_review']}")
    orphans_section()
    reports = {r["sha256"]: f"{r['source']} — {r['title'] or '(无标题)'}" for r in query("overview")}
    sha = st.selectbox("报告", [None, *reports], format_func=lambda s: "全部报告" if s is None else reports[s])
    only_open = st.toggle("只看未复核的", value=True)
    items = [("finding", f) for f in query("findings", sha, only_to_review=True)]
    items += [("claim", c) for c in query("claims", sha, only_to_review=True)]
    if only_open:
        items = [(k, i) for k, i in items if not i["decision"]]
    if not items:
        st.success("没有待复核的事项。")
        return
    st.caption(f"共 {len(items)} 项" + (f",显示前 {PAGE_SIZE} 项" if len(items) > PAGE_SIZE else ""))
    for kind, item in items[:PAGE_SIZE]:
        with st.expander(item_title(item, kind)):
            st.markdown(f"[{item['source']}]({report_url(item['sha256'])}) · {KIND_ZH[kind]}编号 `{item['id']}`")
            if kind == "claim":
                st.markdown(f"报告数值 **{item['value']}**,表格数值 **{item['table_value']}** — {item['evidence']}")
            else:
                st.json(item["evidence"], expanded=False)
            decision_form(item, kind, "review")


if __name__ == "__main__":
    main()

"""复核: every claim and finding that needs a reviewer, across reports, page by page, each
naming its report, with its evidence in words and a decision form (nothing chosen
beforehand); a claim and the finding that reports it are one item, decided once. Then the
decisions whose item a re-run no longer reports (orphaned, kept, listed)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from app.common import (
    DECISION_ZH, KIND_ZH, SEVERITY_ICONS, SEVERITY_ZH, STATUS_ICONS, STATUS_ZH, decision_form, kind_zh,
    local_time, metric_zh, query, report_label, report_url, twin_of,
)
from nlp.export import evidence_lines

PAGE_SIZE = 30


def orphans_section() -> None:
    orphans = query("orphaned_decisions")
    if not orphans:
        return
    st.warning(f"有 {len(orphans)} 条复核结论所对应的声明或问题在最新检查结果中已不存在(已保留,未删除):")
    st.dataframe(pd.DataFrame([{
        "类别": KIND_ZH[o["item_kind"]], "编号": o["item_id"], "报告": o["source"] or o["report_sha256"][:12],
        "结论": DECISION_ZH[o["decision"]], "意见": o["comment"], "复核人": o["reviewer"], "时间": local_time(o["created_at"]),
    } for o in orphans]), hide_index=True, width="stretch")


def item_title(item: dict, kind: str) -> str:
    done = f"(已复核: {DECISION_ZH[item['decision']]})" if item["decision"] else ""
    where = f"【{report_label(item)}】"
    if kind == "claim":
        return (f"{STATUS_ICONS[item['status']]} {where} {STATUS_ZH[item['status']]} · {metric_zh(item['metric'])} ·"
                f" 「{item['text']}」{done}")
    return (f"{SEVERITY_ICONS.get(item['severity'], '')} {where} {SEVERITY_ZH[item['severity']]} · {kind_zh(item['kind'])}"
            f" · {item['message']}{done}")


def review_items(sha: str | None, only_open: bool) -> list[tuple[str, dict]]:
    """The items to review: findings, then claims; a finding that reports a claim on the list
    is folded into that claim's item."""
    claims = query("claims", sha, only_to_review=True)
    listed = {c["id"] for c in claims}
    items = [("finding", f) for f in query("findings", sha, only_to_review=True) if f.get("claim_id") not in listed]
    items += [("claim", c) for c in claims]
    return [(k, i) for k, i in items if not (only_open and i["decision"])]


def show_item(kind: str, item: dict) -> None:
    box = st.expander(item_title(item, kind), key=f"x-review-{kind}-{item['id']}", on_change="rerun")
    if not box.open:
        return
    with box:
        st.markdown(f"[{item['title'] or item['source']}]({report_url(item['sha256'])}) · 文件 {item['source']}"
                    f" · {KIND_ZH[kind]}编号 `{item['id']}`")
        if kind == "claim":
            st.markdown(f"报告数值 **{item['value']}**,表格数值 **{item['table_value']}** — {item['evidence']}")
            if item.get("finding_id"):
                st.caption("此声明与报告它的问题一并复核(一次结论,两处记录)。")
        else:
            st.markdown("\n".join(f"- **{what}**: {detail}" for what, detail in evidence_lines(item["evidence"])))
        decision_form(item, kind, "review", also=twin_of(item, kind))


def main() -> None:
    st.title("复核")
    progress = query("review_progress")
    st.progress(progress["decided"] / progress["to_review"] if progress["to_review"] else 1.0,
                text=f"已复核 {progress['decided']} / 待复核事项 {progress['to_review']}")
    orphans_section()
    reports = {r["sha256"]: f"{r['source']} — {r['title'] or '(无标题)'}" for r in query("overview")}
    sha = st.selectbox("报告", [None, *reports], format_func=lambda s: "全部报告" if s is None else reports[s])
    only_open = st.toggle("只看未复核的", value=True)
    items = review_items(sha, only_open)
    if not items:
        st.success("没有待复核的事项。")
        return
    pages = math.ceil(len(items) / PAGE_SIZE)
    page = 1
    if pages > 1:
        page = st.segmented_control("页", list(range(1, pages + 1)), default=1, key="review-page",
                                    format_func=lambda p: f"第 {p} 页") or 1
    first = (page - 1) * PAGE_SIZE
    shown = items[first:first + PAGE_SIZE]
    st.caption(f"共 {len(items)} 项" + (f",第 {page}/{pages} 页: 第 {first + 1}–{first + len(shown)} 项" if pages > 1 else ""))
    for kind, item in shown:
        show_item(kind, item)


if __name__ == "__main__":
    main()

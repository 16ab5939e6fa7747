"""总览: every checked report with its claim and finding counts, filters, and four charts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import charts
from app.common import SEVERITY_ZH, STATUS_ZH, query, report_url

COLUMNS = {
    "打开": "link", "报告": "title", "文件": "source", "机关": "agency", "年度": "year", "模板": "template",
    "声明": "claims", "一致": "match", "近似一致": "approx_match", "不一致": "mismatch",
    "需复核": "ambiguous", "未核对": "unchecked", "错误": "error", "警告": "warning", "提示": "info",
    "待复核": "open", "已复核": "decided", "复核完成": "reviewed",
}
REVIEWED = {"全部": None, "已复核完": True, "尚有待复核": False}


def sidebar_filters() -> dict:
    """The overview's filters, read from the sidebar."""
    options = query("filter_options")
    st.sidebar.subheader("筛选")
    return {
        "year": st.sidebar.multiselect("年度", options["year"], placeholder="全部"),
        "agency": st.sidebar.multiselect("机关", options["agency"], placeholder="全部"),
        "status": st.sidebar.multiselect("含此状态的声明", options["status"], format_func=STATUS_ZH.get, placeholder="全部"),
        "severity": st.sidebar.multiselect("含此级别的问题", options["severity"], format_func=SEVERITY_ZH.get, placeholder="全部"),
        "reviewed": REVIEWED[st.sidebar.radio("复核", list(REVIEWED), horizontal=True)],
    }


def main() -> None:
    st.title("总览")
    filters = sidebar_filters()
    rows = query("overview", **filters)
    progress = query("review_progress", **filters)
    cols = st.columns(4)
    cols[0].metric("报告", len(rows))
    cols[1].metric("待复核事项", progress["open"])
    cols[2].metric("已复核", f"{progress['decided']}/{progress['to_review']}")
    cols[3].metric("确认问题", progress["confirmed_defect"])
    if not rows:
        st.info("没有符合条件的报告。用 `xxgk check 文件 --db 数据库` 或「上传」页检查报告。")
        return
    table = pd.DataFrame([{**r, "link": report_url(r["sha256"])} for r in rows])
    table = table[list(COLUMNS.values())].set_axis(list(COLUMNS), axis=1)
    st.dataframe(
        table, hide_index=True, width="stretch",
        column_config={
            "打开": st.column_config.LinkColumn("打开", display_text="查看"),
            "年度": st.column_config.NumberColumn("年度", format="%d"),
            "复核完成": st.column_config.CheckboxColumn("复核完成"),
        },
    )
    left, right = st.columns(2)
    left.altair_chart(charts.mismatches_by_year(query("mismatches_by_year", **filters)), width="stretch")
    right.altair_chart(charts.findings_by_kind(query("findings_by_kind", **filters)), width="stretch")
    left.altair_chart(charts.confidence_histogram(query("confidence_histogram", **filters)), width="stretch")
    right.altair_chart(charts.review_progress(progress), width="stretch")


if __name__ == "__main__":
    main()

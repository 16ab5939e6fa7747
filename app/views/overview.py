"""总览: every checked report with its claim and finding counts, filters, and four charts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import charts
from app.common import SEVERITY_ZH, STATUS_ZH, query, report_url

COLUMNS = {
    "打开": "link", "报告": "title", "机关": "agency", "年度": "year", "模板": "template",
    "声明": "claims", "一致": "match", "不一致": "mismatch", "需复核": "ambiguous",
    "错误": "error", "警告": "warning", "待复核": "open", "复核完成": "reviewed",
}
# The grid's columns: every one visible at 1600 px without scrolling inside the grid (the
# report page has the rest: 近似一致, 未核对, 提示, the file). A bare string here would be
# drawn on the page (Streamlit's magic), hence comments.
NUMBER_WIDTH = 56
WIDTHS = {"打开": 44, "报告": 280, "机关": 170, "年度": 52, "模板": 62, "复核完成": 64}
REVIEWED = {"全部": None, "已复核完": True, "尚有待复核": False}


def sidebar_filters() -> dict:
    """The overview's filters, read from the sidebar."""
    options = query("filter_options")
    st.sidebar.subheader("筛选")
    return {
        "year": st.sidebar.multiselect("年度", options["year"], placeholder="全部", select_all=False),
        "agency": st.sidebar.multiselect("机关", options["agency"], placeholder="全部", select_all=False),
        "status": st.sidebar.multiselect("含此状态的声明", options["status"], format_func=STATUS_ZH.get, placeholder="全部",
                                         select_all=False),
        "severity": st.sidebar.multiselect("含此级别的问题", options["severity"], format_func=SEVERITY_ZH.get, placeholder="全部",
                                           select_all=False),
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
    numbers = {k: st.column_config.NumberColumn(k, width=NUMBER_WIDTH, format="%d")
               for k in COLUMNS if k not in WIDTHS}
    st.dataframe(
        table, hide_index=True, width="stretch",
        column_config={
            **numbers,
            "打开": st.column_config.LinkColumn("打开", display_text="查看", width=WIDTHS["打开"]),
            "报告": st.column_config.TextColumn("报告", width=WIDTHS["报告"]),
            "机关": st.column_config.TextColumn("机关", width=WIDTHS["机关"]),
            "年度": st.column_config.NumberColumn("年度", format="%d", width=WIDTHS["年度"]),
            "模板": st.column_config.TextColumn("模板", width=WIDTHS["模板"]),
            "复核完成": st.column_config.CheckboxColumn("复核完成", width=WIDTHS["复核完成"]),
        },
    )
    left, right = st.columns(2)
    left.altair_chart(charts.mismatches_by_year(query("mismatches_by_year", **filters)), width="stretch")
    right.altair_chart(charts.findings_by_kind(query("findings_by_kind", **filters)), width="stretch")
    left.altair_chart(charts.confidence_histogram(query("confidence_histogram", **filters)), width="stretch")
    right.altair_chart(charts.review_progress(progress), width="stretch")


if __name__ == "__main__":
    main()

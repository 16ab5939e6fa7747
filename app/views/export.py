"""导出: the claims and findings with their current decisions as CSV (UTF-8 with BOM) or
Excel, and one report's JSON result."""

from __future__ import annotations

import streamlit as st

from app.common import query, store
from nlp import export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def main() -> None:
    st.title("导出")
    reports = {r["sha256"]: f"{r['source']} — {r['title'] or '(无标题)'}" for r in query("overview")}
    if not reports:
        st.info("数据库中还没有报告。")
        return
    sha = st.selectbox("范围", [None, *reports], format_func=lambda s: "全部报告" if s is None else reports[s])
    s, tag = store(), (sha[:12] if sha else "all")
    cols = st.columns(3)
    cols[0].download_button("问题 CSV", export.findings_csv(s, sha), f"xxgk_findings_{tag}.csv", "text/csv")
    cols[1].download_button("声明 CSV", export.claims_csv(s, sha), f"xxgk_claims_{tag}.csv", "text/csv")
    cols[2].download_button("Excel(问题 + 声明)", export.to_xlsx(s, sha), f"xxgk_{tag}.xlsx", XLSX)
    if sha:
        st.download_button("报告 JSON", export.report_json(s, sha), f"xxgk_{tag}.json", "application/json")
    st.subheader("预览: 问题")
    table = export.finding_table(s, sha)
    st.dataframe([dict(zip(table[0], row)) for row in table[1:]], hide_index=True, width="stretch")
    st.subheader("预览: 声明")
    table = export.claim_table(s, sha)
    st.dataframe([dict(zip(table[0], row)) for row in table[1:]], hide_index=True, width="stretch")


if __name__ == "__main__":
    main()

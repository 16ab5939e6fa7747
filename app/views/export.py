"""导出: the claims, findings and corrections with their current decisions as CSV (UTF-8 with
BOM) or Excel, the checklist of every check that ran on each report, one report's JSON result, and the Word documents to send: a report's 问题清单
and the 通报 of all reports (both from ``nlp.export``)."""

from __future__ import annotations

import streamlit as st

from app.common import query, store
from nlp import export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _preview(title: str, table: list[list]) -> None:
    st.subheader(title)
    if len(table) > 1:
        st.dataframe([dict(zip(table[0], row)) for row in table[1:]], hide_index=True, width="stretch")
    else:
        st.caption("(无)")


def main() -> None:
    st.title("导出")
    reports = {r["sha256"]: f"{r['source']} — {r['title'] or '(无标题)'}" for r in query("overview")}
    if not reports:
        st.info("数据库中还没有报告。")
        return
    sha = st.selectbox("范围", [None, *reports], format_func=lambda s: "全部报告" if s is None else reports[s])
    s, tag = store(), (sha[:12] if sha else "all")
    cols = st.columns(5)
    cols[0].download_button("问题 CSV", export.findings_csv(s, sha), f"xxgk_findings_{tag}.csv", "text/csv")
    cols[1].download_button("声明 CSV", export.claims_csv(s, sha), f"xxgk_claims_{tag}.csv", "text/csv")
    cols[2].download_button("更正 CSV", export.corrections_csv(s, sha), f"xxgk_corrections_{tag}.csv", "text/csv")
    cols[3].download_button("检查清单 CSV", export.checklist_csv(s, sha), f"xxgk_checklist_{tag}.csv", "text/csv",
                            help="每份报告运行过的每项检查: 通过、发现问题或无法判断(及原因)")
    cols[4].download_button("Excel(问题 + 声明 + 更正 + 检查清单)", export.to_xlsx(s, sha), f"xxgk_{tag}.xlsx", XLSX)
    st.subheader("发给单位的文件")
    cols = st.columns(3)
    if sha:
        cols[0].download_button("问题清单(Word)", export.issue_list_docx(s, sha), f"问题清单_{tag}.docx", export.DOCX,
                                help="本报告经复核确认的问题、证据和表格数字")
        cols[1].download_button("报告 JSON", export.report_json(s, sha), f"xxgk_{tag}.json", "application/json")
    cols[2].download_button("通报(Word,全部报告)", export.circular_docx(s), "通报.docx", export.DOCX,
                            help="按单位和问题类型汇总经复核确认的问题")
    _preview("预览: 问题", export.finding_table(s, sha))
    _preview("预览: 声明", export.claim_table(s, sha))
    _preview("预览: 更正", export.correction_table(s, sha, history=True))


if __name__ == "__main__":
    main()

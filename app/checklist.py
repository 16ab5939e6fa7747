"""The checklist of one report (检查清单): every check that ran, passed, found something or could
not judge and why, so that a clean report can be shown to have been checked.

``checklist_tab(sha256, report)`` draws it from the store (``Store.checklist``, the rows in
Chinese from ``nlp.export.checklist_table``); it fits the report page's tabs
(``app/panels.py``: ``REPORT_TABS.append(("检查清单", checklist_tab))``).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app.common import query, store
from nlp import export


def checklist_tab(sha256: str, report: dict[str, Any]) -> None:
    """Draw the checklist of the report ``sha256`` (``report``: its ``Store.report`` row)."""
    rows = query("checklist", sha256)
    if not rows:
        st.info("此报告没有检查清单(用较早版本检查,重新检查后即有)。")
        return
    counts = export.checklist_summary(rows)
    cols = st.columns(3)
    for col, (status, label) in zip(cols, export.CHECK_STATUS_ZH.items()):
        col.metric(label, counts.get(status, 0))
    table = export.checklist_table(store(), sha256)
    header, body = table[0], table[1:]
    shown = ["检查内容", "结果", "问题数", "最高严重程度", "无法判断的原因", "检查"]
    st.dataframe([{h: row[header.index(h)] for h in shown} for row in body], hide_index=True, width="stretch",
                 column_config={"检查内容": st.column_config.TextColumn(width=300),
                                "无法判断的原因": st.column_config.TextColumn(width=280)})
    st.download_button("下载检查清单 CSV", export.checklist_csv(store(), sha256), f"xxgk_checklist_{sha256[:12]}.csv",
                       "text/csv", key=f"checklist-csv-{sha256}")

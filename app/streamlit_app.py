"""The reviewer app's entry: the shared frame (page setup, reviewer name, store status) and
the router over the pages. Run with ``xxgk app --db xxgk.sqlite`` (or
``XXGK_DB=xxgk.sqlite streamlit run app/streamlit_app.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

try:
    from app import common
except ImportError:  # run from a checkout that is not pip-installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from app import common

PAGES = [
    st.Page("pages/overview.py", title="总览", icon="📊", url_path="overview", default=True),
    st.Page("pages/report.py", title="报告详情", icon="📄", url_path="report"),
    st.Page("pages/review.py", title="复核", icon="✅", url_path="review"),
    st.Page("pages/export.py", title="导出", icon="⬇️", url_path="export"),
    st.Page("pages/upload.py", title="上传", icon="⬆️", url_path="upload"),
]


def main() -> None:
    st.set_page_config(page_title="政府信息公开年报核查", page_icon="📑", layout="wide")
    page = st.navigation(PAGES)
    st.sidebar.caption(f"数据库: {common.db_path()}")
    common.reviewer_input()
    if st.sidebar.button("刷新数据", help="重新读取数据库(命令行刚检查过新报告时)"):
        common.clear_cache()
    saved = st.session_state.pop("last_saved", None)
    if saved:
        st.success(saved)
    page.run()


main()

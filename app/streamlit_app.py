"""The reviewer app's entry: page setup and the router over the pages. Each page's ``main()``
draws the shared frame first (``common.frame()``: store, reviewer name, refresh).

Run with ``xxgk app --db xxgk.sqlite`` (or ``XXGK_DB=xxgk.sqlite streamlit run
app/streamlit_app.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

try:
    import app.common  # noqa: F401
except ImportError:  # run from a checkout that is not pip-installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGES = [
    st.Page("pages/overview.py", title="总览", icon="📊", url_path="overview", default=True),
    st.Page("pages/report.py", title="报告详情", icon="📄", url_path="report"),
    st.Page("pages/review.py", title="复核", icon="✅", url_path="review"),
    st.Page("pages/export.py", title="导出", icon="⬇️", url_path="export"),
    st.Page("pages/upload.py", title="上传", icon="⬆️", url_path="upload"),
]


def main() -> None:
    st.set_page_config(page_title="政府信息公开年报核查", page_icon="📑", layout="wide")
    st.navigation(PAGES).run()  # each page draws the shared frame (common.frame) first


main()

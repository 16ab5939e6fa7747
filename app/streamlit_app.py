"""The reviewer app's entry: the router over the pages (``app/views/``, each a ``main()``)
and the shared frame around them (``common.frame()``: page setup, store, reviewer name,
refresh, the last saved decision).

Run with ``xxgk app --db xxgk.sqlite`` (or ``XXGK_DB=xxgk.sqlite streamlit run
app/streamlit_app.py``).
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
    st.Page("views/overview.py", title="总览", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("views/report.py", title="报告详情", icon=":material/description:", url_path="report"),
    st.Page("views/review.py", title="复核", icon=":material/fact_check:", url_path="review"),
    st.Page("views/export.py", title="导出", icon=":material/download:", url_path="export"),
    st.Page("views/upload.py", title="上传", icon=":material/upload:", url_path="upload"),
    st.Page("views/units.py", title="单位总览", icon=":material/account_tree:", url_path="units"),
]


def main() -> None:
    page = st.navigation(PAGES)
    common.frame()
    page.run()


main()

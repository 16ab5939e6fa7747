"""Driving the app headless with Streamlit's AppTest: start it, open a page (with query
parameters), open a lazy expander or tab, find a report's sha256."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from nlp.store import Store

APP = Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py"
TIMEOUT = 120


def sha_of(db: Path, prefix: str) -> str:
    """The sha256 of the stored report whose file name starts with ``prefix``."""
    return next(r["sha256"] for r in Store(db).overview() if Path(r["source"]).name.startswith(prefix))


def start() -> AppTest:
    """The app, afresh: its query cache (shared by the process, as in a real server) emptied,
    so what a test wrote into the store directly is seen at once."""
    import streamlit as st

    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def open_page(at: AppTest, page: str, **params: str) -> AppTest:
    at.switch_page(f"views/{page}.py")
    at.query_params.clear()
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open a tab of the report page (only the open tab is drawn)."""
    at.session_state["tab"] = label
    return run(at)


def expand(at: AppTest, key: str) -> AppTest:
    """Open a lazy expander (its content is drawn only when open)."""
    at.session_state[key] = True
    return run(at)


def set_reviewer(at: AppTest, name: str) -> AppTest:
    at.sidebar.text_input(key="reviewer_input").set_value(name)
    return run(at)


def decide(at: AppTest, form: str, decision: str, comment: str = "", reviewer: str | None = None) -> AppTest:
    """Fill and submit a decision form (``form``: its key, e.g. ``decide-flagged-claim-C-…``)."""
    at.radio(key=f"{form}-decision").set_value(decision)
    at.text_input(key=f"{form}-comment").set_value(comment)
    if reviewer is not None:
        at.text_input(key=f"{form}-reviewer").set_value(reviewer)
    at.button(key=f"{form}-save").click()
    return run(at)

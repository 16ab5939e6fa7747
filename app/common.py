"""What every page shares: the store (one cached connection), cached queries, the Chinese
labels, the reviewer's name and the decision form.

Pages read only through ``query(name, ...)`` (a cached call of a ``Store`` query method) and
write only through ``record_decision`` / ``save_result``, which clear the query cache.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import streamlit as st

from nlp.config import settings
from nlp.export import DECISION_ZH, SEVERITY_ZH, STATUS_ZH, kind_zh
from nlp.metrics import metric_zh
from nlp.schema import ReportResult
from nlp.store import DECISIONS, Store

QUERY_TTL = 30  # seconds; results checked from the CLI while the app runs show up by then

STATUS_COLORS = {
    "match": "#8fd19e",
    "approx_match": "#c6e9a8",
    "mismatch": "#f28b82",
    "ambiguous": "#fbbc04",
    "unchecked": "#d7dbe0",
}
STATUS_MD_COLORS = {"match": "green", "approx_match": "green", "mismatch": "red", "ambiguous": "orange", "unchecked": "gray"}
SEVERITY_MD_COLORS = {"error": "red", "warning": "orange", "info": "blue"}
# markdown marks (no emoji: a browser without an emoji font shows them as boxes)
STATUS_ICONS = {k: f":{c}[●]" for k, c in STATUS_MD_COLORS.items()}
SEVERITY_ICONS = {k: f":{c}[●]" for k, c in SEVERITY_MD_COLORS.items()}
KIND_ZH = {"claim": "声明", "finding": "问题"}

__all__ = [
    "DECISION_ZH", "SEVERITY_ZH", "STATUS_ZH", "kind_zh", "metric_zh", "db_path", "store", "query",
    "record_decision", "save_result", "reviewer_input", "frame", "decision_form", "report_url",
]


def db_path() -> str:
    """The store file: the ``db`` setting (``$XXGK_DB``, ``xxgk.toml``, else ``xxgk.sqlite``),
    a relative path taken in the working folder."""
    db = settings().db
    return db if db == ":memory:" or Path(db).is_absolute() else str(Path.cwd() / db)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """The one shared ``Store`` of this app process."""
    return _store(db_path())


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _query(path: str, name: str, args: tuple, kwargs: dict) -> Any:
    return getattr(_store(path), name)(*args, **kwargs)


def query(name: str, *args: Any, **kwargs: Any) -> Any:
    """``Store.<name>(*args, **kwargs)``, cached until a write or ``QUERY_TTL`` seconds."""
    return _query(db_path(), name, args, kwargs)


def clear_cache() -> None:
    _query.clear()


def record_decision(item: dict[str, Any], kind: str, decision: str, comment: str, reviewer: str) -> int:
    """Save a reviewer's decision on a claim or finding row (now), then drop cached queries."""
    row_id = store().record_decision(
        item_id=item["id"], item_kind=kind, report_sha256=item["sha256"],
        decision=decision, comment=comment, reviewer=reviewer,
    )
    clear_cache()
    return row_id


def save_result(result: ReportResult) -> str:
    """Store a freshly checked report, then drop cached queries. Returns its sha256."""
    sha = store().save(result)
    clear_cache()
    return sha


def report_url(sha256: str) -> str:
    """The address of a report's page (relative), e.g. ``/report?sha=…``."""
    return f"/report?sha={sha256}"


def _keep_reviewer() -> None:
    st.session_state["reviewer_name"] = st.session_state["reviewer_input"].strip()


def reviewer_input() -> str:
    """The reviewer's name, typed once in the sidebar and remembered for the session
    (kept under ``reviewer_name``, which outlives the widget)."""
    st.session_state["reviewer_input"] = st.session_state.get("reviewer_name", "")
    st.sidebar.text_input("复核人", key="reviewer_input", on_change=_keep_reviewer,
                          placeholder="填写姓名后可保存结论")
    return st.session_state.get("reviewer_name", "")


def frame() -> None:
    """The frame around every page (drawn by the router): page setup, the store, the
    reviewer's name, a refresh button, and the confirmation of the last saved decision."""
    st.set_page_config(page_title="政府信息公开年报核查", layout="wide", initial_sidebar_state="expanded")
    st.sidebar.caption(f"数据库: {db_path()}")
    reviewer_input()
    if st.sidebar.button("刷新数据", help="重新读取数据库(命令行刚检查过新报告时)"):
        clear_cache()
    saved = st.session_state.pop("last_saved", None)
    if saved:
        st.success(saved)


def status_badge(status: str) -> str:
    """A claim status as a coloured markdown badge, e.g. ``:orange-badge[需复核]``."""
    return f":{STATUS_MD_COLORS.get(status, 'gray')}-badge[{STATUS_ZH.get(status, status)}]"


def decision_caption(item: dict[str, Any]) -> Optional[str]:
    """The current decision of an item, in words, or None."""
    if not item.get("decision"):
        return None
    text = f"当前结论: **{DECISION_ZH[item['decision']]}** · {item['reviewer'] or '匿名'} · {item['decided_at']}"
    return text + (f" · {item['comment']}" if item.get("comment") else "")


def decision_form(item: dict[str, Any], kind: str, context: str = "") -> None:
    """A decision (确认问题 / 误报 / 需跟进) and a comment on one claim or finding."""
    caption = decision_caption(item)
    if caption:
        st.caption(caption)
    current = item.get("decision")
    key = form_key(item, kind, context)
    with st.form(key=key, border=False, clear_on_submit=True):
        cols = st.columns([3, 4, 1.2], vertical_alignment="bottom")
        choice = cols[0].radio(
            "复核结论", DECISIONS, format_func=DECISION_ZH.get, horizontal=True, key=f"{key}-decision",
            index=DECISIONS.index(current) if current in DECISIONS else 0,
        )
        comment = cols[1].text_input("复核意见", placeholder="说明(可选)", key=f"{key}-comment")
        if cols[2].form_submit_button("保存结论", key=f"{key}-save"):
            reviewer = st.session_state.get("reviewer_name", "").strip()
            if not reviewer:
                st.warning("请先在左侧栏填写复核人。")
                return
            record_decision(item, kind, choice, comment, reviewer)
            st.session_state["last_saved"] = f"已保存: {KIND_ZH[kind]}「{item.get('text') or item.get('message')}」→ {DECISION_ZH[choice]}"
            st.rerun()


def form_key(item: dict[str, Any], kind: str, context: str) -> str:
    """The key of an item's decision form (its widgets add -decision, -comment, -save)."""
    return f"decide-{context}-{kind}-{item['id']}"

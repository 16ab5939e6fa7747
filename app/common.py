"""What every page shares: the store (one cached connection), cached queries, the Chinese
labels, the reviewer's name, the decision and correction forms, and the page's style.

Pages read only through ``query(name, ...)`` (a cached call of a ``Store`` query method) and
write only through ``record_decision`` / ``record_correction`` / ``save_result``, which clear
the query cache. A store that cannot be opened (a mistyped path, a missing folder, not a
store) stops the page with one Chinese line, never a traceback; a read-only one is shown
and says that nothing can be saved.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional, Sequence
from urllib.parse import unquote

import streamlit as st

from nlp.config import settings
from nlp.errors import XxgkError
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
REVIEWER_COOKIE = "xxgk_reviewer"

__all__ = [
    "DECISION_ZH", "SEVERITY_ZH", "STATUS_ZH", "kind_zh", "metric_zh", "db_path", "store", "query",
    "record_decision", "record_correction", "save_result", "reviewer_input", "reviewer", "frame",
    "decision_form", "report_url", "local_time", "report_label",
]

# Streamlit's own English strings (the uploader, the hint under a form's text box, the
# multiselect's bulk option) replaced or hidden; and the grid's wide text shown in full.
STYLE = """
<style>
[data-testid="InputInstructions"] { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div > span,
[data-testid="stFileUploaderDropzoneInstructions"] > div > small { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {
  content: "将文件拖放到此处,或点击右侧按钮选择 · 单个文件不超过 20MB · TXT MD HTML HTM PDF DOCX";
  font-size: 0.9rem; color: rgba(49, 51, 63, 0.75);
}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] { display: none; }
[data-testid="stFileUploaderDropzone"] button > div::after { content: "选择文件"; }
</style>
"""


def db_path() -> str:
    """The store file: the ``db`` setting (``$XXGK_DB``, ``xxgk.toml``, else ``xxgk.sqlite``),
    a relative path taken in the working folder."""
    db = settings().db
    return db if db == ":memory:" or Path(db).is_absolute() else str(Path.cwd() / db)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path, create=False)  # a mistyped name must not make an empty store


def store() -> Store:
    """The one shared ``Store`` of this app process (raises ``XxgkError`` if it cannot be
    opened; ``frame()`` shows that and stops the page)."""
    return _store(db_path())


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _query(path: str, name: str, args: tuple, kwargs: dict) -> Any:
    return getattr(_store(path), name)(*args, **kwargs)


def query(name: str, *args: Any, **kwargs: Any) -> Any:
    """``Store.<name>(*args, **kwargs)``, cached until a write or ``QUERY_TTL`` seconds."""
    return _query(db_path(), name, args, kwargs)


def clear_cache() -> None:
    _query.clear()


def record_decision(item: dict[str, Any], kind: str, decision: str, comment: str, reviewer: str,
                    also: Sequence[tuple[str, str]] = ()) -> list[int]:
    """Save a reviewer's decision on a claim or finding row (now) — and on the items ``also``
    names (``(item_id, kind)``: the finding that reports the claim), in one transaction —
    then drop cached queries."""
    ids = store().record_decisions([(item["id"], kind), *also], item["sha256"], decision,
                                   comment=comment, reviewer=reviewer)
    clear_cache()
    return ids


def record_correction(sha256: str, **correction: Any) -> ReportResult:
    """Record a correction and reconcile the report again with it (``nlp.pipeline.correct``:
    the library computes; the page only asks), then drop cached queries."""
    from nlp.pipeline import correct

    result = correct(store(), sha256, **correction)
    clear_cache()
    return result


def save_result(result: ReportResult) -> str:
    """Store a freshly checked report, then drop cached queries. Returns its sha256."""
    from nlp.pipeline import with_corrections

    sha = store().save(with_corrections(result, store()))
    clear_cache()
    return sha


def report_url(sha256: str) -> str:
    """The address of a report's page (relative), e.g. ``/report?sha=…``."""
    return f"/report?sha={sha256}"


def report_label(item: dict[str, Any]) -> str:
    """A report in a few words: agency and year, else its file name."""
    if item.get("agency"):
        return f"{item['agency']} {item['year']}年" if item.get("year") else str(item["agency"])
    return Path(item.get("source") or "").name or str(item.get("sha256", ""))[:12]


def local_time(iso: Optional[str]) -> str:
    """A stored UTC time (ISO 8601) in the reader's time zone, to the minute: ``2026-11-29 22:17``."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    zone = None
    try:
        name = st.context.timezone
        if name:
            from zoneinfo import ZoneInfo

            zone = ZoneInfo(name)
    except Exception:  # no browser context (tests), or an unknown zone: the machine's zone
        zone = None
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------------------
# the reviewer's name: typed once, remembered by the browser (a cookie) for new tabs
# ---------------------------------------------------------------------------


def _cookie() -> str:
    """The name the browser sent (a cookie), '' if none (or no browser, as under AppTest)."""
    try:
        value = st.context.cookies.get(REVIEWER_COOKIE, "")
    except Exception:
        return ""
    return unquote(value).strip() if isinstance(value, str) else ""


def reviewer() -> str:
    """The reviewer's name this session knows ('' if none yet)."""
    return st.session_state.get("reviewer_name", "")


def set_reviewer(name: str) -> None:
    st.session_state["reviewer_name"] = name.strip()


def _keep_reviewer() -> None:
    set_reviewer(st.session_state["reviewer_input"])


def _remember_reviewer(name: str) -> None:
    """Have the browser keep the name for a year (a cookie this site sends back), so a new
    tab or a reload starts with it."""
    if not name or _cookie() == name:
        return
    value = json.dumps(name).replace("<", "\\u003c")
    st.html(
        f'<script>document.cookie = "{REVIEWER_COOKIE}=" + encodeURIComponent({value})'
        ' + "; path=/; max-age=31536000; SameSite=Strict";</script>',
        unsafe_allow_javascript=True,
    )


def reviewer_input() -> str:
    """The reviewer's name, typed once in the sidebar and remembered: for the session (kept
    under ``reviewer_name``, which outlives the widget) and by the browser, for new tabs and
    reloads."""
    if "reviewer_name" not in st.session_state:
        set_reviewer(_cookie())
    st.session_state["reviewer_input"] = reviewer()
    st.sidebar.text_input("复核人", key="reviewer_input", on_change=_keep_reviewer,
                          placeholder="填写姓名后可保存结论")
    with st.sidebar:
        _remember_reviewer(reviewer())
    return reviewer()


def frame() -> Optional[Store]:
    """The frame around every page (drawn by the router): page setup, the store, the
    reviewer's name, a refresh button, and the confirmation of the last saved decision.
    Returns the store, or stops the page with a one-line error if it cannot be opened."""
    st.set_page_config(page_title="政府信息公开年报核查", layout="wide", initial_sidebar_state="expanded")
    st.html(STYLE)
    st.sidebar.caption(f"数据库: {db_path()}")
    try:
        s = store()
    except XxgkError as err:
        st.error(err.zh)
        st.stop()
    if s.readonly:
        st.sidebar.warning("数据库只读: 可以查看,不能保存复核结论或更正。")
    reviewer_input()
    if st.sidebar.button("刷新数据", help="重新读取数据库(命令行刚检查过新报告时)"):
        clear_cache()
    saved = st.session_state.pop("last_saved", None)
    if saved:
        st.success(saved)
    return s


def status_badge(status: str) -> str:
    """A claim status as a coloured markdown badge, e.g. ``:orange-badge[需复核]``."""
    return f":{STATUS_MD_COLORS.get(status, 'gray')}-badge[{STATUS_ZH.get(status, status)}]"


def decision_caption(item: dict[str, Any]) -> Optional[str]:
    """The current decision of an item, in words, or None."""
    if not item.get("decision"):
        return None
    text = f"当前结论: **{DECISION_ZH[item['decision']]}** · {item['reviewer'] or '匿名'} · {local_time(item['decided_at'])}"
    return text + (f" · {item['comment']}" if item.get("comment") else "")


def decision_form(item: dict[str, Any], kind: str, context: str = "",
                  also: Sequence[tuple[str, str]] = ()) -> None:
    """A decision (确认问题 / 误报 / 需跟进, none chosen beforehand) and a comment on one claim
    or finding; ``also``: items decided with it (``(item_id, kind)``). What was typed stays
    until it is saved: a missing reviewer name or choice is asked for, nothing is cleared."""
    caption = decision_caption(item)
    if caption:
        st.caption(caption)
    key = form_key(item, kind, context)
    if st.session_state.pop(f"{key}-saved", False):  # saved last run: start the form afresh
        for suffix in ("-decision", "-comment"):
            st.session_state.pop(f"{key}{suffix}", None)
    current = item.get("decision")
    with st.form(key=key, border=False, clear_on_submit=False):
        cols = st.columns([3, 4, 1.2], vertical_alignment="bottom")
        choice = cols[0].radio(
            "复核结论", DECISIONS, format_func=DECISION_ZH.get, horizontal=True, key=f"{key}-decision",
            index=DECISIONS.index(current) if current in DECISIONS else None,
        )
        comment = cols[1].text_input("复核意见", placeholder="说明(可选)", key=f"{key}-comment")
        typed = reviewer_field(key)
        if cols[2].form_submit_button("保存结论", key=f"{key}-save"):
            name = who_saves(typed, "结论")
            if name is None:
                return
            if choice is None:
                st.warning("请选择复核结论(确认问题 / 误报 / 需跟进)。")
                return
            set_reviewer(name)
            record_decision(item, kind, choice, comment, name, also=also)
            st.session_state[f"{key}-saved"] = True
            what = item.get("text") or item.get("message")
            st.session_state["last_saved"] = f"已保存: {KIND_ZH[kind]}「{what}」→ {DECISION_ZH[choice]}"
            st.rerun()


def reviewer_field(key: str) -> str:
    """Inside a form: the reviewer's name asked for when the session has none ('' otherwise)."""
    return "" if reviewer() else st.text_input("复核人", placeholder="填写姓名(只需一次)", key=f"{key}-reviewer")


def who_saves(typed: str, what: str) -> Optional[str]:
    """The name a save is made under (the session's, else the one typed in the form), or None
    after saying why nothing can be saved (no name yet; a read-only store)."""
    name = reviewer() or (typed or "").strip()
    if not name:
        st.warning(f"请先填写复核人(左侧栏或此处),再保存{what}。已填写的内容仍保留。")
        return None
    if store().readonly:
        st.error("数据库只读,不能保存。")
        return None
    return name


def form_key(item: dict[str, Any], kind: str, context: str) -> str:
    """The key of an item's decision form (its widgets add -decision, -comment, -save)."""
    return f"decide-{context}-{kind}-{item['id']}"


def twin_of(item: dict[str, Any], kind: str) -> list[tuple[str, str]]:
    """The item decided together with this one: a claim's own finding, a finding's claim."""
    if kind == "claim" and item.get("finding_id"):
        return [(item["finding_id"], "finding")]
    if kind == "finding" and item.get("claim_id"):
        return [(item["claim_id"], "claim")]
    return []

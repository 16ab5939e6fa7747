"""What every page shares (issue 13 items 6, 8 and 10): a store that cannot be opened is one
Chinese line on the page, never a traceback, and a mistyped name makes no empty store; a
read-only store is shown and says nothing can be saved; Streamlit's English is replaced or
hidden, times are local; the overview's charts count in whole numbers, cut no label and turn
no Chinese title sideways."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nlp.store import Store
from webapp.helpers import open_page, start


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_a_store_that_cannot_be_opened_is_one_chinese_line(tmp_path: Path, monkeypatch):
    (tmp_path / "not-a-store.sqlite").write_bytes(b"plain text" * 200)
    cases = [
        (tmp_path / "typo.sqlite", "E031", "不存在"),
        (tmp_path / "no-folder" / "x.sqlite", "E032", "文件夹"),
        (tmp_path / "not-a-store.sqlite", "E030", "数据库"),
    ]
    for path, code, words in cases:
        monkeypatch.setenv("XXGK_DB", str(path))
        at = start()
        [error] = _errors(at)
        assert error.startswith(code) and words in error and str(path) in error
        assert not at.exception and not at.title  # the page stops there
    assert not (tmp_path / "typo.sqlite").exists()  # nothing created by a mistyped name


def _make_readonly(path: Path) -> bool:
    """Make ``path`` unwritable even to root (chattr +i) where that is possible."""
    os.chmod(path, 0o444)
    if os.geteuid() != 0:
        return True
    chattr = shutil.which("chattr")
    return bool(chattr) and subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode == 0


def test_a_read_only_store_is_shown_and_refuses_to_save(tmp_path: Path, monkeypatch, made_db: Path):
    ro = tmp_path / "ro.sqlite"
    with Store(made_db) as store:
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(made_db, ro)
    if not _make_readonly(ro):
        pytest.skip("cannot make a file read-only for this user (root without chattr)")
    try:
        monkeypatch.setenv("XXGK_DB", str(ro))
        at = start()
        assert not _errors(at) and len(at.dataframe[0].value) == 2
        assert any("只读" in w.value for w in at.sidebar.warning)
    finally:
        if shutil.which("chattr"):
            subprocess.run(["chattr", "-i", str(ro)], capture_output=True)
        os.chmod(ro, 0o644)


def test_streamlit_english_is_replaced_and_times_are_local(made_db: Path):
    store = Store(made_db)
    sha = store.overview()[0]["sha256"]
    claim = store.claims(sha)[3]
    store.record_decision(claim["id"], "claim", sha, "needs_follow_up", "看原件", "王", created_at="2026-01-02T03:04:05+00:00")
    at = start()
    for page in ("overview", "report", "review", "export", "upload", "units"):  # no English sentence on a page
        at = open_page(at, page)
        assert not [m.value for m in at.markdown if re.match(r"[A-Za-z][A-Za-z' ,:]{12}", m.value)], page
    at = start()
    style = next(h.value for h in at.html if "InputInstructions" in h.value)
    assert "stFileUploaderDropzoneInstructions" in style and "content: \"选择文件\"" in style and "单个文件不超过 20MB" in style
    assert all(m.proto.select_all == 0 for m in at.sidebar.multiselect)  # no "Select all"
    at = open_page(at, "report", sha=sha)
    at.session_state["tab"] = "全部声明"
    at.run()
    shown = " ".join(str(v) for v in at.dataframe[0].value["复核结论"])
    assert "2026-01-02 03:04" in shown or "2026-01-02 11:04" in shown or "2026-01-0" in shown
    assert "T03:04:05" not in shown and "+00:00" not in shown
    upload = open_page(at, "upload")
    assert upload.file_uploader[0].proto.max_upload_size_mb == 20 if hasattr(upload.file_uploader[0].proto, "max_upload_size_mb") else True


def _spec(chart) -> dict:
    return json.loads(chart.proto.spec)


def _axes(spec: dict) -> dict[str, dict]:
    enc = spec.get("encoding", {})
    return {ch: enc[ch] for ch in ("x", "y") if ch in enc}


def test_charts_count_in_whole_numbers_and_keep_labels_whole_and_level(db: Path):
    at = start()
    charts = at.get("vega_lite_chart")
    assert len(charts) == 4
    for chart in charts:
        spec = _spec(chart)
        for channel, enc in _axes(spec).items():
            axis = enc.get("axis") or {}
            if enc.get("type") == "quantitative":
                assert axis.get("format") == "d" and axis.get("tickMinStep") == 1, (spec.get("title"), channel, axis)
                assert axis.get("titleAngle", 0) == 0 or axis.get("title") is None, (spec.get("title"), channel)
            else:
                assert axis.get("labelLimit") == 0 and axis.get("labelAngle") == 0, (spec.get("title"), channel, axis)
                assert axis.get("title", None) is None, (spec.get("title"), channel)

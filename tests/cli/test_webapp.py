"""``xxgk app`` (nlp/cli/webapp.py): the reviewer app starts on the store the settings name;
a store that is missing, in a missing folder or not a store, and a busy port, are one line
before anything starts (issue 13 items 6 and 11); stopping the pid ``xxgk app`` was started
with stops the server (item 7)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, xxgk
from nlp.store import Store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args: list[str], cwd: Path, log: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nlp", "app", *args], cwd=cwd, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "XXGK_CONFIG": "", "XXGK_DB": ""}, **popen,
    )


def _serving(port: int) -> bool:
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok"
    except OSError:
        return False


def _wait_up(proc: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.time() + 60
    while not _serving(port):
        assert proc.poll() is None and time.time() < deadline, log.read_text("utf-8", "replace")
        time.sleep(0.3)


@pytest.mark.slow
def test_app_serves_the_store_named_in_xxgk_toml(tmp_path):
    (tmp_path / "xxgk.toml").write_text('db = "stores/review.sqlite"\n', "utf-8")
    (tmp_path / "stores").mkdir()
    Store(tmp_path / "stores" / "review.sqlite").close()
    port, log = _free_port(), tmp_path / "app.log"
    proc = _start(["--port", str(port)], tmp_path, log, start_new_session=True)
    try:
        _wait_up(proc, port, log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the group this test started
        proc.wait(30)
    first = log.read_text("utf-8").splitlines()[0]
    assert first == f"xxgk app on http://127.0.0.1:{port}  (store: {tmp_path / 'stores' / 'review.sqlite'}; Ctrl+C to stop)"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_pid_it_was_started_with_stops_the_server(tmp_path, sig):
    db = tmp_path / "review.sqlite"
    Store(db).close()
    port, log = _free_port(), tmp_path / "app.log"
    proc = _start(["--port", str(port), "--db", str(db)], tmp_path, log)  # no process group: its pid only
    try:
        _wait_up(proc, port, log)
        os.kill(proc.pid, sig)
        proc.wait(30)
        deadline = time.time() + 10
        while _serving(port) and time.time() < deadline:
            time.sleep(0.3)
        assert not _serving(port), "streamlit still serves after its xxgk app was stopped"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_bad_store_is_one_line_before_anything_starts(tmp_path):
    (tmp_path / "not-a-store.sqlite").write_bytes(b"plain text, not sqlite" * 100)
    cases = [
        (tmp_path / "typo.sqlite", "E031"),                    # a mistyped name: no empty store made
        (tmp_path / "no-such-folder" / "x.sqlite", "E032"),
        (tmp_path / "not-a-store.sqlite", "E030"),
    ]
    for db, code in cases:
        proc = xxgk("app", "--db", str(db), "--port", str(_free_port()))
        assert proc.returncode == 2, (db, proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error {code}") and str(db) in lines[0], proc.stderr
        assert "xxgk app on" not in proc.stderr + proc.stdout and "Traceback" not in proc.stderr
    assert not (tmp_path / "typo.sqlite").exists()


@pytest.mark.slow
def test_new_opens_an_empty_store_and_a_busy_port_is_an_error_before_the_announcement(tmp_path):
    db = tmp_path / "fresh.sqlite"
    port, log = _free_port(), tmp_path / "app.log"
    proc = _start(["--port", str(port), "--db", str(db), "--new"], tmp_path, log)
    try:
        _wait_up(proc, port, log)
        assert Store(db, create=False).overview() == []
        second = xxgk("app", "--db", str(db), "--port", str(port))
        assert second.returncode == 2
        assert second.stderr.strip().splitlines() == [
            f"error E024 port {port} on 127.0.0.1 is busy (another xxgk app?): stop it, or choose another port with --port"]
        assert "xxgk app on" not in second.stdout + second.stderr
    finally:
        proc.terminate()
        proc.wait(30)

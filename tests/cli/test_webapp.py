"""``xxgk app`` (nlp/cli/webapp.py): the reviewer app starts, on the store the settings name."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_app_serves_the_store_named_in_xxgk_toml(tmp_path):
    (tmp_path / "xxgk.toml").write_text('db = "stores/review.sqlite"\n', "utf-8")
    port = _free_port()
    log = (tmp_path / "app.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "nlp", "app", "--port", str(port)], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "XXGK_CONFIG": "", "XXGK_DB": ""}, start_new_session=True,
    )
    try:
        deadline, up = time.time() + 60, False
        while not up and proc.poll() is None and time.time() < deadline:
            try:
                up = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok"
            except OSError:
                time.sleep(0.3)
        assert up, (tmp_path / "app.log").read_text("utf-8", "replace")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the group this test started: xxgk and its streamlit
        proc.wait(30)
        log.close()
    first = (tmp_path / "app.log").read_text("utf-8").splitlines()[0]
    assert first == f"xxgk app on http://127.0.0.1:{port}  (store: {tmp_path / 'stores' / 'review.sqlite'}; Ctrl+C to stop)"

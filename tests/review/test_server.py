"""The Label Studio server's lifecycle (nlp/review/server.py): credentials, ports, start/stop.

The ``integration`` tests use the session's real server (``lsfixtures.ls_server``).
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import urllib.request

import pytest

from conftest import ROOT
from nlp.config import Settings
from nlp.errors import XxgkError
from nlp.review import server


def test_credentials_are_random_private_and_never_shown(tmp_path, monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_USERNAME", raising=False)
    cfg = server.ServerConfig.from_env(data_dir=tmp_path / "a", port=0)
    creds = server.ensure_credentials(cfg)
    assert stat.S_IMODE(os.stat(cfg.credentials_path).st_mode) == 0o600
    assert len(creds.token) == 40 and len(creds.password) >= 16
    assert server.ensure_credentials(cfg) == creds  # stored, not regenerated
    other = server.ensure_credentials(server.ServerConfig.from_env(data_dir=tmp_path / "b", port=0))
    assert other.token != creds.token and other.password != creds.password
    assert creds.token not in repr(creds) and creds.password not in repr(creds)


def test_token_from_env_first_then_file(tmp_path, monkeypatch):
    cfg = server.ServerConfig.from_env(data_dir=tmp_path, port=0)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    with pytest.raises(XxgkError, match="E021"):
        server.api_token(cfg)
    creds = server.ensure_credentials(cfg)
    assert server.api_token(cfg) == (creds.token, f"file {cfg.credentials_path}")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "from-env")
    assert server.api_token(cfg) == ("from-env", "env LABEL_STUDIO_API_KEY")


def test_config_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_LS_PORT", "18999")
    monkeypatch.setenv("XXGK_LS_DATA_DIR", str(tmp_path))
    cfg = server.ServerConfig.from_env()
    assert (cfg.port, cfg.data_dir) == (18999, tmp_path.resolve())
    assert server.ServerConfig.from_env(port=18100).port == 18100
    monkeypatch.delenv("XXGK_LS_PORT")
    monkeypatch.delenv("XXGK_LS_DATA_DIR")
    assert server.ServerConfig.from_env().port == Settings.default("ls_port") == 18080
    assert server.ServerConfig.from_env().data_dir == Settings.default("ls_data_dir") == ROOT / ".labelstudio"


def test_busy_port_is_a_clear_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert not server.port_free(port)
        with pytest.raises(XxgkError, match=f"E023 port {port}"):
            server.start(server.ServerConfig.from_env(data_dir=tmp_path, port=port))
    assert server.port_free(port)


def test_stop_without_a_server(tmp_path):
    cfg = server.ServerConfig.from_env(data_dir=tmp_path, port=0)
    assert server.stop(cfg) is False
    st = server.status(cfg)
    assert not st.running and st.token_source in (None, "env LABEL_STUDIO_API_KEY")


def test_wrapper_script_runs_without_the_venv_active(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    res = subprocess.run([str(ROOT / "scripts" / "labelstudio.sh"), "status", "--data-dir", str(tmp_path)],
                         capture_output=True, text=True, env=env, cwd="/")  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "running: no" in res.stdout


@pytest.mark.integration
def test_the_server_binds_localhost_and_keeps_secrets_out_of_logs(ls_server):
    cfg, info = ls_server
    assert info.url == f"http://127.0.0.1:{info.port}"
    with urllib.request.urlopen(f"{info.url}/health", timeout=5) as r:
        assert r.status == 200
    st = server.status(cfg)
    # the pid of the server running now (another test may have restarted it on the same port)
    assert st.running and st.pid == server.running(cfg).pid and st.url == info.url and st.email
    creds = server.load_credentials(cfg)
    log = cfg.log_path.read_text(encoding="utf-8", errors="replace")
    assert creds.token not in log and creds.password not in log
    lines = "\n".join(server.describe("status", cfg))
    assert "token: set (from file" in lines and creds.token not in lines and creds.password not in lines
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
    assert f"127.0.0.1:{info.port}" in listening and f"0.0.0.0:{info.port}" not in listening
    # the token the server was given works (legacy Token header enabled on the first start)
    req = urllib.request.Request(f"{info.url}/api/projects", headers={"Authorization": f"Token {creds.token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200


@pytest.mark.integration
def test_stop_and_restart_by_pid(ls_server):
    cfg, info = ls_server
    assert server.stop(cfg)
    assert not server.healthy(info.url) and not cfg.pid_path.exists()
    assert server.running(cfg) is None
    again = server.start(cfg)  # same data folder and port: the user and token persist
    assert again.url == info.url and server.healthy(info.url)
    assert server.start(cfg).pid == again.pid  # already running: returned as it is
    client = server.connect(cfg, url=info.url)
    assert isinstance(list(client.projects.list()), list)

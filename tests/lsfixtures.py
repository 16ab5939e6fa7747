"""The real Label Studio server for the integration tests: one per test session.

It is started with the project's own code (``nlp.lsserver.start``) on a free port with a
fresh data folder, and stopped at the end. The Label Studio venv (``.ls-venv``) is reused;
``scripts/test.sh`` installs it first (``xxgk ls install``), otherwise the first run installs it.
"""

from __future__ import annotations

import pytest

from nlp import lsserver


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory):
    """``(ServerConfig, ServerInfo)`` of a running server; stopped after the session."""
    cfg = lsserver.ServerConfig.from_env(data_dir=tmp_path_factory.mktemp("labelstudio"), port=lsserver.free_port())
    info = lsserver.start(cfg, progress=print)
    yield cfg, info
    lsserver.stop(cfg)


@pytest.fixture()
def ls_client(ls_server):
    """A fresh SDK client for the session's server (after any restart, same URL)."""
    cfg, info = ls_server
    return lsserver.connect(cfg, url=info.url)

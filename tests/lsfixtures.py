"""The real Label Studio server for the integration tests: one per test session.

It is started with the project's own code (``nlp.server.start``) on a free port with a
fresh data folder, and stopped at the end. The Label Studio venv (``.ls-venv``) is reused;
``scripts/test.sh`` installs it first (``xxgk ls install``), otherwise the first run installs it.

A first start spends 40 s or more on database migrations. The first session therefore keeps a
copy of the freshly migrated data folder (database, secret key, credentials; no projects) in
``.ls-venv/test-template/`` (git-ignored, like the venv) and later sessions start from a copy
of it: a restart takes a few seconds. Delete the folder to test a truly first start.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

from nlp.review import server

DB = "label_studio.sqlite3"
KEEP = (".env", server.CREDENTIALS_FILE)


def _template(cfg: server.ServerConfig):
    return cfg.venv / "test-template"


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory):
    """``(ServerConfig, ServerInfo)`` of a running server; stopped after the session."""
    cfg = server.ServerConfig.from_env(data_dir=tmp_path_factory.mktemp("labelstudio"), port=server.free_port())
    template = _template(cfg)
    fresh = not (template / DB).exists()
    if not fresh:
        for name in (DB, *KEEP):
            if (template / name).exists():
                shutil.copy2(template / name, cfg.data_dir / name)
    info = server.start(cfg, progress=print)
    if fresh:
        part = template.with_name(f"{template.name}.{os.getpid()}")  # built aside, then renamed
        part.mkdir(parents=True, exist_ok=True)
        src, dst = sqlite3.connect(cfg.data_dir / DB), sqlite3.connect(part / DB)
        src.backup(dst)
        src.close()
        dst.close()
        for name in KEEP:
            if (cfg.data_dir / name).exists():
                shutil.copy2(cfg.data_dir / name, part / name)
        try:
            part.rename(template)
        except OSError:  # another session made it first
            shutil.rmtree(part, ignore_errors=True)
    yield cfg, info
    server.stop(cfg)


@pytest.fixture()
def ls_client(ls_server):
    """A fresh SDK client for the session's server (after any restart, same URL)."""
    cfg, info = ls_server
    return server.connect(cfg, url=info.url)

"""``xxgk queue push|pull`` and ``xxgk ls status`` (nlp/cli/queue.py, nlp/cli/ls.py) against the
session's real Label Studio server (``lsfixtures.ls_server``)."""

from __future__ import annotations

import json
import uuid

import pytest
from typer.testing import CliRunner

from nlp.cli import app
from nlp.review import items_from_jsonl, server
from result_factory import make_result


@pytest.mark.integration
def test_cli_push_from_json_and_pull(ls_server, tmp_path, monkeypatch):
    cfg, info = ls_server
    monkeypatch.setenv("XXGK_LS_DATA_DIR", str(cfg.data_dir))
    monkeypatch.setenv("XXGK_LS_PORT", str(info.port))
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(make_result("cli-queue").to_json(), ensure_ascii=False) + "\n", encoding="utf-8")
    n = len(items_from_jsonl(results))
    assert n >= 1
    title = f"test {uuid.uuid4().hex[:10]}"
    runner = CliRunner()
    res = runner.invoke(app, ["queue", "push", "--from-json", str(results), "--project", title])
    assert res.exit_code == 0, res.output
    assert f"{n} new task(s)" in res.output
    monkeypatch.setenv("XXGK_LS_PROJECT", title)  # the setting instead of --project
    res = runner.invoke(app, ["queue", "push", "--from-json", str(results)])
    assert "0 new task(s)" in res.output and f"{n} unchanged" in res.output
    res = runner.invoke(app, ["queue", "pull", "--out", str(tmp_path / "ann")])
    assert res.exit_code == 0 and "0 new annotation" in res.output
    token, _ = server.api_token(cfg)
    res = runner.invoke(app, ["ls", "status"])
    assert "running: yes" in res.output and "token: set (from file" in res.output and token not in res.output


def test_a_server_that_is_not_there_is_one_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_LS_DATA_DIR", str(tmp_path))  # no credentials there
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    res = CliRunner().invoke(app, ["queue", "pull", "--out", str(tmp_path / "ann")])
    assert res.exit_code == 2
    assert res.output.startswith("error E021") and len(res.output.strip().splitlines()) == 1

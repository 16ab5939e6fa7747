"""``xxgk config`` (nlp/cli/config.py): every setting, its value and where it came from."""

from __future__ import annotations

import json

from conftest import xxgk


def test_config_shows_each_setting_and_its_source(tmp_path):
    (tmp_path / "xxgk.toml").write_text('review_threshold = 0.4\nls_project = "其他项目"\n', "utf-8")
    proc = xxgk("config", "--format", "json", cwd=tmp_path, env={"XXGK_LS_PORT": "18123", "XXGK_CONFIG": ""})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["config_file"] == str(tmp_path / "xxgk.toml")
    rows = {r["name"]: r for r in data["settings"]}
    assert (rows["review_threshold"]["value"], rows["review_threshold"]["source"]) == (0.4, f"file {tmp_path / 'xxgk.toml'}")
    assert (rows["ls_project"]["value"], rows["ls_project"]["source"]) == ("其他项目", f"file {tmp_path / 'xxgk.toml'}")
    assert (rows["ls_port"]["value"], rows["ls_port"]["source"]) == (18123, "environment XXGK_LS_PORT")
    assert rows["confidence_floor"]["source"] == "default" and rows["confidence_floor"]["env"] == "XXGK_METRIC_CONFIDENCE_FLOOR"
    assert all(r["help"] for r in rows.values())

    table = xxgk("config", cwd=tmp_path, env={"XXGK_LS_PORT": "18123", "XXGK_CONFIG": ""})
    assert table.returncode == 0, table.stderr
    lines = {line.split("│")[1].strip(): line for line in table.stdout.splitlines() if line.count("│") >= 3}
    assert "environment XXGK_LS_PORT" in lines["ls_port"] and "18123" in lines["ls_port"]
    assert "file" in lines["review_threshold"] and "default" in lines["db"]


def test_a_bad_setting_is_one_line_and_exit_2(tmp_path):
    proc = xxgk("config", cwd=tmp_path, env={"XXGK_REVIEW_THRESHOLD": "2", "XXGK_CONFIG": ""})
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error E040 environment XXGK_REVIEW_THRESHOLD='2': not a number between 0 and 1"
    (tmp_path / "xxgk.toml").write_text("no_such_setting = 1\n", "utf-8")
    proc = xxgk("config", cwd=tmp_path, env={"XXGK_CONFIG": ""})
    assert proc.returncode == 2 and proc.stderr.startswith("error E043") and "no_such_setting" in proc.stderr

"""The one configuration (nlp/config.py): paths of the checkout, settings with their sources."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from nlp.config import PATHS, Settings, config_file, settings
from nlp.errors import XxgkError


def test_paths_are_the_checkout():
    assert PATHS.root == ROOT
    assert PATHS.model_file == ROOT / "models" / "claim_model.skops"
    assert PATHS.label_config == ROOT / "annotations" / "label_config.xml"
    assert PATHS.samples.is_dir() and PATHS.app.is_file()


def test_defaults_environment_and_file_each_say_where_they_came_from(tmp_path):
    (tmp_path / "xxgk.toml").write_text('review_threshold = 0.4\ndb = "results/r.sqlite"\nls_port = 18500\n', "utf-8")
    s = Settings.from_env({"XXGK_LS_PORT": "18600", "XXGK_DEBUG": "1"}, cwd=tmp_path)
    file = f"file {tmp_path / 'xxgk.toml'}"
    assert (s.review_threshold, s.source("review_threshold")) == (0.4, file)
    assert (s.db, s.source("db")) == (str(tmp_path / "results" / "r.sqlite"), file)  # relative to the file
    assert (s.ls_port, s.source("ls_port")) == (18600, "environment XXGK_LS_PORT")  # env over file
    assert (s.debug, s.source("debug")) == (True, "environment XXGK_DEBUG")
    assert (s.confidence_floor, s.source("confidence_floor")) == (0.5, "default")
    assert s.ls_data_dir == PATHS.ls_data and s.model == str(PATHS.model_file)


def test_xxgk_config_names_another_file(tmp_path):
    other = tmp_path / "elsewhere.toml"
    other.write_text("ls_retries = 2\n", "utf-8")
    s = Settings.from_env({"XXGK_CONFIG": str(other)}, cwd=tmp_path / "nowhere")
    assert s.ls_retries == 2 and s.source("ls_retries") == f"file {other}"
    with pytest.raises(XxgkError) as e:
        config_file({"XXGK_CONFIG": str(tmp_path / "missing.toml")})
    assert e.value.code == "E043" and "missing.toml" in str(e.value)


@pytest.mark.parametrize("env, name", [
    ({"XXGK_REVIEW_THRESHOLD": "2"}, "XXGK_REVIEW_THRESHOLD"),
    ({"XXGK_REVIEW_THRESHOLD": "high"}, "XXGK_REVIEW_THRESHOLD"),
    ({"XXGK_LS_PORT": "http"}, "XXGK_LS_PORT"),
    ({"XXGK_MAX_BYTES": "0"}, "XXGK_MAX_BYTES"),
    ({"XXGK_DEBUG": "perhaps"}, "XXGK_DEBUG"),
])
def test_a_bad_value_is_a_one_line_error_naming_the_variable(env, name, tmp_path):
    with pytest.raises(XxgkError) as e:
        Settings.from_env(env, cwd=tmp_path)
    assert e.value.code == "E040" and name in str(e.value) and repr(env[name]) in str(e.value)
    assert "\n" not in str(e.value)


def test_a_bad_file_is_a_one_line_error_naming_the_file(tmp_path):
    toml = tmp_path / "xxgk.toml"
    toml.write_text("review_treshold = 0.5\n", "utf-8")  # a typo
    with pytest.raises(XxgkError) as e:
        Settings.from_env({}, cwd=tmp_path)
    assert e.value.code == "E043" and "review_treshold" in str(e.value) and str(toml) in str(e.value)
    toml.write_text("review_threshold = [\n", "utf-8")
    with pytest.raises(XxgkError, match="E043"):
        Settings.from_env({}, cwd=tmp_path)
    toml.write_text("review_threshold = 1.5\n", "utf-8")
    with pytest.raises(XxgkError, match=r"E040 file .*xxgk.toml review_threshold=1.5"):
        Settings.from_env({}, cwd=tmp_path)


def test_built_settings_are_validated_and_marked_as_arguments():
    s = Settings(review_threshold=0.5)
    assert s.source("review_threshold") == "argument" and s.source("ls_port") == "default"
    with pytest.raises(XxgkError, match="E040 argument review_threshold=2"):
        Settings(review_threshold=2)


def test_settings_are_read_when_called(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XXGK_REVIEW_THRESHOLD", "0.3")
    assert settings().review_threshold == 0.3
    monkeypatch.setenv("XXGK_REVIEW_THRESHOLD", "0.9")
    assert settings().review_threshold == 0.9
    (tmp_path / "xxgk.toml").write_text("confidence_floor = 0.25\n", "utf-8")
    assert settings().confidence_floor == 0.25


def test_no_module_reads_a_setting_at_import():
    """A bad value in the environment breaks no import; it is an error where it is used."""
    env = {**os.environ, "XXGK_REVIEW_THRESHOLD": "2", "XXGK_LS_PORT": "x", "XXGK_MAX_BYTES": "-1"}
    code = "import nlp.reconcile, nlp.pipeline, nlp.ingest, nlp.review.queue, nlp.review.server, nlp.cli; print('ok')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_no_module_but_config_reads_the_environment():
    """Settings come from nlp.config; the other modules ask it (Label Studio's own token aside)."""
    offenders = []
    for path in sorted((ROOT / "nlp").rglob("*.py")) + sorted((ROOT / "app").rglob("*.py")):
        if path.name == "config.py" and path.parent.name == "nlp":
            continue
        for i, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if ("os.environ.get(" in line or "getenv(" in line) and "LABEL_STUDIO_API_KEY" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not offenders, offenders


def test_no_module_but_config_computes_the_repository_root():
    offenders = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "nlp").rglob("*.py"))
                 if "parents[1]" in p.read_text("utf-8") and p != ROOT / "nlp" / "config.py"]
    assert not offenders, offenders

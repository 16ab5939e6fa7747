"""nlp/model/train.py: the regression guard, determinism, and the shipped model reproduced."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from nlp.config import PATHS
from nlp.metrics import LABELS
from nlp.model.persist import load_model_file
from nlp.model.train import train_model

MODEL_FILE = PATHS.model_file


@pytest.mark.skipif(not MODEL_FILE.exists(), reason="no shipped model")
def test_shipped_model_loads_without_pickle_and_has_a_card():
    model = load_model_file(MODEL_FILE)
    card = json.loads((PATHS.models / "model_card.json").read_text("utf-8"))
    assert card["version"] == model.version_
    assert set(model.classes_) <= set(LABELS)
    for key in ("held_out", "gold", "data", "code_revision", "date"):
        assert key in card
    assert card["gold"]["model"]["micro"]["f1"] >= card["gold"]["rules"]["micro"]["f1"]
    assert (PATHS.models / "MODEL_CARD.md").exists()


def test_train_guard_and_determinism(tmp_path):
    a = train_model(tmp_path, None, corpus_dirs=[PATHS.samples], gold_dir=None)
    assert a["replaced"] and a["held_out"]["current_model"] is None
    first = (tmp_path / MODEL_FILE.name).read_bytes()
    b = train_model(tmp_path, None, corpus_dirs=[PATHS.samples], gold_dir=None)
    # the same data gives the same model and the same figures; not worse, so it replaces
    assert b["version"] == a["version"] and b["held_out"]["model"] == a["held_out"]["model"]
    assert b["held_out"]["current_model"] == b["held_out"]["model"] and b["replaced"]
    assert load_model_file(tmp_path / MODEL_FILE.name).version_ == a["version"]
    assert len(first) > 0
    card = json.loads((tmp_path / "model_card.json").read_text("utf-8"))
    assert card["data"]["annotations_used"] == 0 and "rules" in card["held_out"]


@pytest.mark.skipif(not MODEL_FILE.exists(), reason="no shipped model")
def test_train_then_eval_from_scratch_reproduce_the_shipped_card(tmp_path):
    """`xxgk model train` into an empty folder gives the shipped model's version and figures."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "nlp", "model", "train", "--out", str(tmp_path), "--force"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    new = json.loads((tmp_path / "model_card.json").read_text("utf-8"))
    shipped = json.loads((PATHS.models / "model_card.json").read_text("utf-8"))
    assert new["version"] == shipped["version"]
    assert new["held_out"]["model"] == shipped["held_out"]["model"]
    assert new["gold"]["model"]["micro"] == shipped["gold"]["model"]["micro"]
    assert new["gold"]["rules"]["micro"] == shipped["gold"]["rules"]["micro"]
    proc = subprocess.run([sys.executable, "-m", "nlp", "model", "eval", "--model", str(tmp_path / MODEL_FILE.name), "--gold", str(ROOT / "data" / "gold")],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert f"{shipped['gold']['model']['micro']['f1']:.3f}" in proc.stdout

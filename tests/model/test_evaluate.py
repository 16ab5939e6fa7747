"""nlp/model/evaluate.py: the gold narrative claims (the card's figures reproduce) and the
gold table cells (their printer, scripts/gold_accuracy.py, is tested in tests/test_gold.py)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from nlp.config import PATHS
from nlp.metrics import LABELS
from nlp.model.evaluate import evaluate_gold, load_gold_map, prf
from nlp.model.persist import load_model_file

MODEL_FILE = PATHS.model_file


def test_gold_map_names_known_labels():
    assert set(load_gold_map().values()) <= set(LABELS)


@pytest.mark.skipif(not MODEL_FILE.exists(), reason="no shipped model")
def test_card_gold_figures_reproduce(gold_dir):
    card = json.loads((PATHS.models / "model_card.json").read_text("utf-8"))
    res = evaluate_gold(load_model_file(MODEL_FILE), ROOT / "data" / "gold")
    assert res["micro"] == card["gold"]["model"]["micro"]
    assert res["per_label"] == card["gold"]["model"]["per_label"]


def test_prf_counts_a_missed_claim_against_recall():
    res = prf(["a", "a", "b", "b"], ["a", "<missed>", "b", "a"])
    assert "<missed>" not in res["per_label"] and res["n"] == 4
    assert res["per_label"]["a"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert res["micro"]["recall"] == 0.5 and res["micro"]["precision"] == round(2 / 3, 4)
